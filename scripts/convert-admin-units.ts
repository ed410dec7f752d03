import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConversionError, convertAdminUnits } from '../src/modules/admin-units/convert';
import {
  ANOMALIES_FILE,
  encodeTable,
  MANIFEST_FILE,
  type Manifest,
  TABLE_FILES,
  TABLE_NAMES,
} from '../src/modules/admin-units/data';
import { manifestChecksum } from '../src/modules/admin-units/load';

/**
 * npm run data:admin-units [-- <source folder>] [--out <folder>]
 * Converts the public reference lists (default ../shared/reference/admin-units from the repository
 * root) into the checked, versioned files the app ships in data/admin-units/. Deterministic: the
 * same sources give byte-identical files, so the loader's checksum only changes with the data.
 */
const SOURCE_FILES = {
  divisionsJson: 'divisions-from-2025-07.json',
  oldCsv: 'communes-before-2025-07.csv',
  conversionCsv: 'conversion-old-to-new-2025-07.csv',
} as const;

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const outIndex = args.indexOf('--out');
const outDir = path.resolve(outIndex >= 0 ? args[outIndex + 1]! : path.join(repoRoot, 'data', 'admin-units'));
const positional = args.filter((_, i) => outIndex < 0 || (i !== outIndex && i !== outIndex + 1));
const sourceDir = path.resolve(
  positional[0] ?? path.join(repoRoot, '..', 'shared', 'reference', 'admin-units'),
);

const sha256 = (content: string | Buffer) => createHash('sha256').update(content).digest('hex');

function readSource(file: string): Buffer {
  const full = path.join(sourceDir, file);
  if (!fs.existsSync(full)) {
    console.error(
      `Missing source file ${full}. Pass the folder holding ${Object.values(SOURCE_FILES).join(', ')}.`,
    );
    process.exit(1);
  }
  return fs.readFileSync(full);
}

const raw = {
  divisionsJson: readSource(SOURCE_FILES.divisionsJson),
  oldCsv: readSource(SOURCE_FILES.oldCsv),
  conversionCsv: readSource(SOURCE_FILES.conversionCsv),
};

let result: ReturnType<typeof convertAdminUnits>;
try {
  result = convertAdminUnits({
    divisionsJson: raw.divisionsJson.toString('utf8'),
    oldCsv: raw.oldCsv.toString('utf8'),
    conversionCsv: raw.conversionCsv.toString('utf8'),
  });
} catch (error) {
  if (error instanceof ConversionError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

const { data, anomalies } = result;
fs.mkdirSync(outDir, { recursive: true });
const files: Manifest['files'] = {};
for (const table of TABLE_NAMES) {
  const content = encodeTable(table, data[table]);
  fs.writeFileSync(path.join(outDir, TABLE_FILES[table].file), content);
  files[TABLE_FILES[table].file] = { sha256: sha256(content), rows: data[table].length };
}
const manifest: Manifest = {
  format: 1,
  dataset: 'admin-units',
  validFrom: '2025-07-01',
  checksum: manifestChecksum(files),
  files,
  sources: Object.values(SOURCE_FILES).map((file, i) => {
    const content = Object.values(raw)[i]!;
    return { file, sha256: sha256(content), bytes: content.length };
  }),
  anomalies: anomalies.map(({ kind, count, description }) => ({ kind, count, description })),
};
fs.writeFileSync(path.join(outDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
fs.writeFileSync(path.join(outDir, ANOMALIES_FILE), `${JSON.stringify(anomalies, null, 2)}\n`);

console.log(`Admin units converted from ${sourceDir} into ${outDir}`);
for (const table of TABLE_NAMES)
  console.log(`  ${TABLE_FILES[table].file.padEnd(26)} ${data[table].length} rows`);
console.log('Anomalies handled (details in anomalies.json):');
for (const a of anomalies)
  console.log(`  ${a.kind.padEnd(32)} ${String(a.count).padStart(5)}  ${a.description}`);
console.log(`Checksum ${manifest.checksum}`);
