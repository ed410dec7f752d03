import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { precompressDirectory } from '../../scripts/vite-precompress';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { type App, buildApp, COMPRESS_THRESHOLD_BYTES } from '../../src/server/app';
import { openTestDatabase } from '../support/test-app';

/**
 * Compression and caching as a browser sees them: the built web app is sent as the brotli or gzip copy
 * written at build time (never compressed again on the fly), API responses above the threshold are
 * compressed per request, and downloads and the public verification page still arrive whole.
 */
let app: App;
let database: Database;
let webDir: string;
let dataDir: string;

const script = `${'export const label = "Nền tảng số OCOP";\n'.repeat(200)}`;
const shell = `<!doctype html><html lang="vi"><head><title>OCOP</title></head><body><div id="root"></div>${'<!-- padding -->'.repeat(100)}</body></html>`;

beforeAll(async () => {
  webDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-web-'));
  fs.mkdirSync(path.join(webDir, 'assets'));
  fs.writeFileSync(path.join(webDir, 'index.html'), shell);
  fs.writeFileSync(path.join(webDir, 'assets', 'index-AbC123.js'), script);
  fs.writeFileSync(path.join(webDir, 'assets', 'tiny-AbC123.js'), 'export const x = 1;\n');
  fs.writeFileSync(path.join(webDir, '.build-hash'), 'secret-looking-hash\n');
  await precompressDirectory(webDir);

  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-data-'));
  database = await openTestDatabase();
  app = await buildApp({
    config: loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' }),
    database,
    sessionSecret: 'test-secret-test-secret-test-secret-00',
    webDir,
  });
});

afterAll(async () => {
  await app?.close();
  await database?.close();
  fs.rmSync(webDir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const get = (url: string, acceptEncoding?: string) =>
  app.inject({ method: 'GET', url, headers: acceptEncoding ? { 'accept-encoding': acceptEncoding } : {} });

function decode(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'br') return zlib.brotliDecompressSync(body);
  if (encoding === 'gzip') return zlib.gunzipSync(body);
  return body;
}

describe('the built web app', () => {
  it('writes a brotli and a gzip copy beside assets worth compressing, and none beside tiny ones', () => {
    const assets = fs.readdirSync(path.join(webDir, 'assets')).sort();
    expect(assets).toEqual(['index-AbC123.js', 'index-AbC123.js.br', 'index-AbC123.js.gz', 'tiny-AbC123.js']);
    expect(fs.existsSync(path.join(webDir, 'index.html.br'))).toBe(true);
  });

  it('sends the brotli copy of an asset to a browser that accepts br, cached for a year', async () => {
    const response = await get('/assets/index-AbC123.js', 'gzip, deflate, br');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('br');
    expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(
      response.rawPayload.equals(fs.readFileSync(path.join(webDir, 'assets', 'index-AbC123.js.br'))),
    ).toBe(true);
    expect(zlib.brotliDecompressSync(response.rawPayload).toString()).toBe(script);
    expect(response.rawPayload.length).toBeLessThan(script.length / 10);
  });

  it('sends the gzip copy to a browser that accepts only gzip', async () => {
    const response = await get('/assets/index-AbC123.js', 'gzip');
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['content-type']).toMatch(/^(text|application)\/javascript/);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(zlib.gunzipSync(response.rawPayload).toString()).toBe(script);
  });

  it('sends the file itself to a client that accepts no encoding', async () => {
    const response = await get('/assets/index-AbC123.js');
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.headers.vary).toMatch(/accept-encoding/i);
    expect(response.body).toBe(script);
  });

  it('does not compress on the fly an asset that has no compressed copy', async () => {
    const response = await get('/assets/tiny-AbC123.js', 'br');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBeUndefined();
    expect(response.body).toBe('export const x = 1;\n');
  });

  it('sends the app shell compressed and always revalidated, also for client-side routes', async () => {
    for (const url of ['/', '/login', '/products/123']) {
      const response = await get(url, 'br');
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['content-encoding'], url).toBe('br');
      expect(response.headers['content-type'], url).toMatch(/^text\/html/);
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(zlib.brotliDecompressSync(response.rawPayload).toString(), url).toBe(shell);
    }
  });

  it('answers a missing asset with 404 rather than the app shell, and never serves .build-hash', async () => {
    const missing = await get('/assets/index-OldHash.js', 'br');
    expect(missing.statusCode).toBe(404);
    const hash = await get('/.build-hash');
    expect(hash.body).not.toContain('secret-looking-hash');
  });
});

describe('API responses', () => {
  it('compresses a JSON response above the threshold when asked, with brotli or gzip', async () => {
    for (const encoding of ['br', 'gzip']) {
      const response = await get('/api/openapi.json', encoding);
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-encoding']).toBe(encoding);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.headers.vary).toMatch(/accept-encoding/i);
      const json = decode(response.rawPayload, encoding);
      expect(json.length).toBeGreaterThan(COMPRESS_THRESHOLD_BYTES);
      expect(response.rawPayload.length).toBeLessThan(json.length);
      expect(JSON.parse(json.toString()).openapi).toMatch(/^3\./);
    }
  });

  it('leaves a JSON response alone when not asked, or when it is below the threshold', async () => {
    const plain = await get('/api/openapi.json');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.json().openapi).toMatch(/^3\./);

    const small = await get('/api/health', 'br');
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json().status).toBe('ok');
  });

  it('streams CSV downloads compressed and leaves XLSX as it is, both complete', async () => {
    const csv = await get('/api/v1/open-data/certified-products?format=csv', 'gzip');
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-encoding']).toBe('gzip');
    expect(csv.headers['content-disposition']).toMatch(/^attachment/);
    const text = zlib.gunzipSync(csv.rawPayload).toString();
    expect(text.split('\n')[0]).toContain(',');

    const xlsx = await get('/api/v1/open-data/certified-products?format=xlsx', 'br');
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-encoding']).toBeUndefined();
    expect(xlsx.rawPayload.subarray(0, 2).toString()).toBe('PK');
  });

  it('serves the public verification page whole, compressed when asked', async () => {
    const response = await get('/v/not-a-real-code', 'br');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    const html = decode(response.rawPayload, response.headers['content-encoding'] as string | undefined);
    expect(html.toString()).toMatch(/^<!doctype html>/i);
    expect(html.toString()).toContain('</html>');
  });
});
