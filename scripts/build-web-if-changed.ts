/**
 * Builds the web app into dist/web unless the last build there came from the same sources (`npm start`
 * runs this first, so only the first start and starts after a change pay for a build).
 *
 * The build records in dist/web/.build-hash a SHA-256 over its inputs — every file of this checkout the
 * bundle was made of (what src/web imports, through src/shared and src/modules), plus index.html, the
 * Vite config and its plugin, tsconfig.json, package-lock.json (the libraries), public/ and any .env
 * file — followed by the list of those files. A later run hashes the same files again and builds only
 * when the hash differs: a file changed, was deleted, or is new in public/; a newly imported file is
 * caught through the file that imports it.
 *
 *   npx tsx scripts/build-web-if-changed.ts            build when changed
 *   npx tsx scripts/build-web-if-changed.ts --force    build anyway (npm run build:web)
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const rootDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(rootDir, 'dist/web');
const hashFile = path.join(outDir, '.build-hash');

/** Inputs that are not modules of the bundle but change what it is. */
const FIXED_INPUTS = [
  'index.html',
  'vite.config.ts',
  'scripts/vite-precompress.ts',
  'tsconfig.json',
  'package-lock.json',
  '.env',
  '.env.local',
  '.env.production',
  '.env.production.local',
];

function filesUnder(relativeDir: string): string[] {
  const dir = path.join(rootDir, relativeDir);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) =>
      path.relative(rootDir, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'),
    );
}

/** One hash over the names and contents of the given files; a missing file counts as such. */
function hashInputs(files: readonly string[]): string {
  const hash = createHash('sha256');
  const all = [...new Set([...FIXED_INPUTS, ...filesUnder('public'), ...files])].sort();
  for (const file of all) {
    const absolute = path.join(rootDir, file);
    hash.update(`${file}\0`);
    hash.update(fs.existsSync(absolute) ? fs.readFileSync(absolute) : '\0missing\0');
    hash.update('\0');
  }
  return hash.digest('hex');
}

function storedBuild(): { hash: string; inputs: string[] } | null {
  if (!fs.existsSync(path.join(outDir, 'index.html')) || !fs.existsSync(hashFile)) return null;
  const [hash = '', ...inputs] = fs.readFileSync(hashFile, 'utf8').split('\n').filter(Boolean);
  return { hash, inputs };
}

async function buildWeb(): Promise<void> {
  const { build } = await import('vite');
  const startedAt = Date.now();
  const inputs = new Set<string>();
  await build({
    root: rootDir,
    configFile: path.join(rootDir, 'vite.config.ts'),
    plugins: [
      {
        name: 'ocop:record-inputs',
        apply: 'build',
        buildEnd() {
          for (const id of this.getModuleIds()) {
            const file = id.split('?')[0] ?? '';
            if (!path.isAbsolute(file) || file.includes(`${path.sep}node_modules${path.sep}`)) continue;
            const relative = path.relative(rootDir, file);
            if (relative.startsWith('..') || !fs.existsSync(file)) continue;
            inputs.add(relative.split(path.sep).join('/'));
          }
        },
      },
    ],
  });
  const files = [...inputs].sort();
  // A source saved while the build ran may not be in it: leave no hash, so the next start builds again.
  const changedDuringBuild = [...FIXED_INPUTS, ...files].find((file) => {
    const absolute = path.join(rootDir, file);
    return fs.existsSync(absolute) && fs.statSync(absolute).mtimeMs >= startedAt;
  });
  if (changedDuringBuild) {
    console.warn(`${changedDuringBuild} changed during the build: the next start builds the web app again.`);
    return;
  }
  fs.writeFileSync(hashFile, `${[hashInputs(files), ...files].join('\n')}\n`);
}

async function main() {
  const force = process.argv.includes('--force');
  const stored = force ? null : storedBuild();
  if (stored && stored.hash === hashInputs(stored.inputs)) {
    console.log('Web app unchanged since its last build (dist/web): not rebuilt.');
    return;
  }
  console.log(stored ? 'Web app sources changed: building dist/web…' : 'Building the web app into dist/web…');
  await buildWeb();
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
