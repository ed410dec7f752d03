import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Plugin } from 'vite';

const brotli = promisify(zlib.brotliCompress);
const gzip = promisify(zlib.gzip);

/** Text formats worth compressing; images and fonts are compressed already. */
const COMPRESSIBLE = /\.(?:html|js|mjs|css|svg|json|txt|xml|webmanifest|map)$/i;
/** Below this a compressed copy saves less than its headers and the extra file cost. */
export const PRECOMPRESS_MIN_BYTES = 1024;

/**
 * Writes `<file>.br` (brotli, quality 11) and `<file>.gz` (gzip, level 9) beside each built text asset,
 * once at build time, so the server sends them as they are (`@fastify/static` with `preCompressed`)
 * instead of compressing on every request. A copy that is not smaller than the original is not written;
 * the server then sends the original.
 */
export function precompress(): Plugin {
  return {
    name: 'ocop:precompress',
    apply: 'build',
    async writeBundle(options) {
      if (!options.dir) return;
      await precompressDirectory(options.dir);
    },
  };
}

export async function precompressDirectory(dir: string): Promise<void> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && COMPRESSIBLE.test(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name));
  await Promise.all(files.map(precompressFile));
}

async function precompressFile(file: string): Promise<void> {
  const variants = await compressedVariants(await fs.readFile(file));
  if (variants.br) await fs.writeFile(`${file}.br`, variants.br);
  if (variants.gz) await fs.writeFile(`${file}.gz`, variants.gz);
}

/** The brotli and gzip copies of a file's bytes that are worth serving (none for small files). */
export async function compressedVariants(bytes: Buffer): Promise<{ br?: Buffer; gz?: Buffer }> {
  if (bytes.length < PRECOMPRESS_MIN_BYTES) return {};
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gzip(bytes, { level: zlib.constants.Z_BEST_COMPRESSION }),
  ]);
  return {
    ...(br.length < bytes.length ? { br } : {}),
    ...(gz.length < bytes.length ? { gz } : {}),
  };
}
