/**
 * Bytes a browser downloads for the app's first screen: index.html, the entry chunk with everything it
 * imports statically, their CSS, and the login page's chunk (an anonymous visitor at `/` is sent to
 * `/login`). Builds the web app into a temporary folder with Vite's manifest and prints each file's size
 * raw and as sent to a browser accepting gzip or brotli: the copy the precompress plugin writes beside
 * it, or the file itself when there is none (small files, which the server sends as they are).
 *
 *   npx tsx scripts/measure-first-load.ts [project root, default: this checkout]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';
import { compressedVariants } from './vite-precompress';

type ManifestChunk = { file: string; isEntry?: boolean; imports?: string[]; css?: string[] };
type Manifest = Record<string, ManifestChunk>;

/** The lazy pages the first screen renders. */
const FIRST_SCREEN_PAGES = ['src/web/pages/LoginPage.tsx'];

const root = path.resolve(process.argv[2] ?? path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-first-load-'));

try {
  await build({
    root,
    configFile: path.join(root, 'vite.config.ts'),
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true, manifest: 'manifest.json' },
  });
  const manifest = JSON.parse(fs.readFileSync(path.join(outDir, 'manifest.json'), 'utf8')) as Manifest;
  const files = new Set<string>(['index.html']);
  const visit = (key: string) => {
    const chunk = manifest[key];
    if (!chunk || files.has(chunk.file)) return;
    files.add(chunk.file);
    for (const css of chunk.css ?? []) files.add(css);
    for (const imported of chunk.imports ?? []) visit(imported);
  };
  for (const [key, chunk] of Object.entries(manifest)) if (chunk.isEntry) visit(key);
  for (const page of FIRST_SCREEN_PAGES) {
    if (!manifest[page]) throw new Error(`${page} is not a chunk of the build`);
    visit(page);
  }

  const totals = { raw: 0, gzip: 0, brotli: 0 };
  const rows: { file: string; raw: number; gzip: number; brotli: number }[] = [];
  for (const file of files) {
    const bytes = fs.readFileSync(path.join(outDir, file));
    const variants = await compressedVariants(bytes);
    const row = {
      file,
      raw: bytes.length,
      gzip: variants.gz?.length ?? bytes.length,
      brotli: variants.br?.length ?? bytes.length,
    };
    totals.raw += row.raw;
    totals.gzip += row.gzip;
    totals.brotli += row.brotli;
    rows.push(row);
  }
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`.padStart(10);
  console.log(`First screen of ${root} (${rows.length} files)\n`);
  console.log(`${'file'.padEnd(48)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`);
  for (const row of rows.sort((a, b) => b.raw - a.raw)) {
    console.log(`${row.file.padEnd(48)}${kb(row.raw)}${kb(row.gzip)}${kb(row.brotli)}`);
  }
  console.log(`${'total'.padEnd(48)}${kb(totals.raw)}${kb(totals.gzip)}${kb(totals.brotli)}`);
} finally {
  fs.rmSync(outDir, { recursive: true, force: true });
}
