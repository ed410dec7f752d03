import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The module rules of `.dependency-cruiser.cjs` and `.dependency-cruiser-web.cjs` (run by `npm test`)
 * applied to a small made-up source tree that breaks each of them once, so a rule that stops
 * matching (a typo in a pattern, an upgrade) fails here instead of passing everything silently.
 */
const root = path.resolve(import.meta.dirname, '../..');
const cli = path.join(root, 'node_modules/dependency-cruiser/bin/dependency-cruise.mjs');
const run = promisify(execFile);

type Violation = { rule: { name: string }; from: string; to: string };

async function violations(dir: string, config: string): Promise<Violation[]> {
  // depcruise exits non-zero when it finds errors; the JSON report is what matters here.
  const result = await run(
    process.execPath,
    [cli, 'src', '--config', path.join(root, config), '--output-type', 'json'],
    {
      cwd: dir,
    },
  ).catch((error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }));
  return (JSON.parse(result.stdout) as { summary: { violations: Violation[] } }).summary.violations;
}

const tree: Record<string, string> = {
  'tsconfig.json': JSON.stringify({
    compilerOptions: { module: 'ESNext', moduleResolution: 'Bundler', strict: true },
  }),
  // alpha ↔ beta through their entries: a cycle.
  'src/modules/alpha/index.ts': "export { a } from './service';\n",
  'src/modules/alpha/service.ts': "import { b } from '../beta';\nexport const a = () => b;\n",
  'src/modules/alpha/contract.ts': 'export const ALPHA = 1;\n',
  'src/modules/alpha/schema.ts':
    "import { gammaTable } from '../gamma/schema';\nexport const alphaTable = gammaTable;\n",
  'src/modules/beta/index.ts': "export { b } from './service';\n",
  'src/modules/beta/service.ts': "import { a } from '../alpha';\nexport const b = () => a;\n",
  // gamma reaches into delta's internals and table.
  'src/modules/gamma/index.ts': "export { g } from './service';\n",
  'src/modules/gamma/service.ts':
    "import { d } from '../delta/service';\nimport { deltaTable } from '../delta/schema';\nexport const g = () => [d, deltaTable];\n",
  'src/modules/gamma/schema.ts': "import { d } from '../delta/service';\nexport const gammaTable = d;\n",
  'src/modules/delta/index.ts': "export { d } from './service';\n",
  'src/modules/delta/service.ts': "import { query } from '../../db/client';\nexport const d = query;\n",
  'src/modules/delta/schema.ts': 'export const deltaTable = 1;\n',
  // a contract that reaches the database.
  'src/modules/delta/contract.ts': "import { d } from './service';\nexport const D = d;\n",
  'src/db/client.ts': "import fs from 'node:fs';\nexport const query = fs.readFileSync;\n",
  // the web app: a service import, and a contract import (allowed) that reaches the database.
  'src/web/page.ts':
    "import { g } from '../modules/gamma/service';\nimport { ALPHA } from '../modules/alpha/contract';\nexport const p = [g, ALPHA];\n",
  'src/web/other.ts': "import { D } from '../modules/delta/contract';\nexport const o = D;\n",
  'src/web/clean.ts': "import { ALPHA } from '../modules/alpha/contract';\nexport const c = ALPHA;\n",
};

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-boundaries-'));
  for (const [file, text] of Object.entries(tree)) {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  }
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const pairs = (found: Violation[], rule: string) =>
  found.filter((v) => v.rule.name === rule).map((v) => `${v.from} → ${v.to}`);

describe('module boundary rules', () => {
  it('find the cycle, the internal imports, a schema reaching a service and the web skipping contracts', async () => {
    const found = await violations(dir, '.dependency-cruiser.cjs');
    expect(pairs(found, 'no-circular').length).toBeGreaterThan(0);
    expect(pairs(found, 'module-internals')).toEqual(
      expect.arrayContaining([
        'src/modules/gamma/service.ts → src/modules/delta/service.ts',
        'src/modules/gamma/service.ts → src/modules/delta/schema.ts',
      ]),
    );
    expect(pairs(found, 'schema-references')).toEqual([
      'src/modules/gamma/schema.ts → src/modules/delta/service.ts',
    ]);
    // A schema.ts may import another schema.ts (foreign keys); entries and contracts are allowed.
    expect(found.map((v) => v.from)).not.toContain('src/modules/alpha/schema.ts');
    expect(pairs(found, 'web-imports-shared-files')).toEqual([
      'src/web/page.ts → src/modules/gamma/service.ts',
    ]);
  });

  it('find what the browser bundle would reach: the database and Node, through a contract too', async () => {
    const found = await violations(dir, '.dependency-cruiser-web.cjs');
    expect(pairs(found, 'contract-stays-web-safe')).toEqual(
      expect.arrayContaining(['src/modules/delta/contract.ts → src/db/client.ts']),
    );
    const fromWeb = pairs(found, 'web-reaches-no-server-code');
    expect(fromWeb).toEqual(expect.arrayContaining(['src/web/other.ts → src/db/client.ts']));
    expect(fromWeb.some((pair) => pair.endsWith('fs'))).toBe(true);
    expect(fromWeb.some((pair) => pair.startsWith('src/web/clean.ts'))).toBe(false);
  });
});
