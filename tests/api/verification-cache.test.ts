import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { and, eq, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Database, queryRows } from '../../src/db/client';
import { negotiateEncoding } from '../../src/modules/verification/page-cache';
import { ScanLog } from '../../src/modules/verification/scan-log';
import { verificationScans } from '../../src/modules/verification/schema';
import type { App } from '../../src/server/app';
import { type SecondInstance, startSecondInstance } from '../support/second-instance';
import { createTestContext, type TestContext } from '../support/test-app';
import {
  api,
  daysFromToday,
  insertProduct,
  insertSubject,
  issue,
  NB,
  NB_A,
  today,
} from './certificates-support';

/**
 * The verification page served from memory: a warm scan makes no query, the status still moves with
 * the calendar, a revocation, correction, new certificate or photo change shows at once here and,
 * through LISTEN/NOTIFY, on another instance on the same database; scans are written in batches.
 */
let t: TestContext;
let b: SecondInstance;
let officer: Record<string, string>;
let subject: string;

beforeAll(async () => {
  t = await createTestContext();
  b = await startSecondInstance(t);
  subject = await insertSubject(t, 'Hợp tác xã Tràng An', NB_A);
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  // Scans are written when a test flushes or an instance closes, so no timer tick lands inside a
  // window whose queries are counted (the timer itself is tested on its own below).
  for (const app of [t.app, b.app]) app.verification.scans.configure({ intervalMs: 600_000 });
});
afterAll(async () => {
  await b?.close();
  await t?.close();
});
afterEach(() => {
  vi.useRealTimers();
  vi.restoreAllMocks();
});

const page = (app: App, url: string) =>
  app.inject({ method: 'GET', url, headers: { 'user-agent': 'Mozilla/5.0 (Linux; Android 14) Zalo' } });

const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

/** Counts what reaches the database through the pool (plain queries and transactions' checkouts). */
function watchQueries(database: Database) {
  const query = vi.spyOn(database.pool, 'query');
  const connect = vi.spyOn(database.pool, 'connect');
  return {
    count: () => query.mock.calls.length + connect.mock.calls.length,
    texts: () => query.mock.calls.map(([q]) => String((q as { text?: string }).text ?? q).slice(0, 80)),
    stop: () => {
      query.mockRestore();
      connect.mockRestore();
    },
  };
}

/** Polls until `check` holds, for at most `ms` (a notice crosses instances in milliseconds). */
async function eventually(check: () => Promise<boolean>, ms = 2000) {
  const until = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > until) throw new Error(`not within ${ms} ms`);
    await sleep(20);
  }
}

/**
 * Waits until every instance has processed the notice of the write just made (it arrives no later
 * than one sent now: PostgreSQL delivers in commit order). Before counting queries: that notice
 * would otherwise arrive in the middle and evict what the count relies on. The empty notice sent
 * here evicts nothing.
 */
async function noticesSettled() {
  const apps = [t.app, b.app];
  const before = apps.map((app) => app.verification.cache.stats().notices);
  await t.database.db.execute(sql`SELECT pg_notify('ocop_verification', '{"n":[]}')`);
  await eventually(async () => apps.every((app, i) => app.verification.cache.stats().notices > before[i]!));
}

async function uploadPhoto(productId: string) {
  const image = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#2a6' } })
    .jpeg()
    .toBuffer();
  const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.jpg"\r\n` +
        'Content-Type: image/jpeg\r\n\r\n',
    ),
    image,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const response = await t.app.inject({
    method: 'POST',
    url: `/api/v1/products/${productId}/photos`,
    headers: { ...officer, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json().id as string;
}

const revoke = (app: App, id: string) =>
  app.inject({
    method: 'POST',
    url: `/api/v1/certificates/${id}/revocation`,
    headers: officer,
    payload: { reasonCategory: 'quality', decisionNumber: '12/QĐ-UBND', decisionDate: today() },
  });

async function scansOf(certificateId: string): Promise<number> {
  const [row] = await queryRows<{ n: string }>(
    t.database.db,
    sql`SELECT count(*) AS n FROM verification_scans WHERE certificate_id = ${certificateId}`,
  );
  return Number(row!.n);
}

describe('a warm page view', () => {
  it('makes no query: facts, cover photo, signing key and signature come from memory, the scan waits for its batch', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Gạo tám xoan Tràng An');
    await uploadPhoto(product);
    const cert = await issue(t, officer, product, { star: 4 });
    const url = pathOf(cert.verificationUrl);
    expect(t.app.verification.listener.listening).toBe(true);
    await noticesSettled();

    const cold = watchQueries(t.database);
    const first = await page(t.app, url);
    expect(first.body).toContain('Gạo tám xoan Tràng An');
    expect(cold.count()).toBeGreaterThan(0); // the watch does see queries
    cold.stop();
    await t.app.verification.scans.flush();

    const warm = watchQueries(t.database);
    const second = await page(t.app, url);
    const photoSrc = /<img class="photo" src="([^"]+)"/.exec(second.body)![1]!;
    const photo = await page(t.app, photoSrc);
    const en = await page(t.app, `${url}&lang=en`);
    // A forged signature is refused after the signature check alone: no lookup, no query either.
    const sig = new URL(cert.verificationUrl).searchParams.get('s')!;
    const forged = await page(
      t.app,
      url.replace(sig, `${sig.slice(0, 20)}${sig[20] === 'A' ? 'B' : 'A'}${sig.slice(21)}`),
    );
    expect(warm.count()).toBe(0);
    warm.stop();

    expect(second.body).toBe(first.body);
    expect(second.body).toContain('Còn hiệu lực');
    expect(en.body).toContain('Valid');
    expect(forged.body).toContain('Không xác thực được');
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect(photo.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    expect(photo.headers.etag).toBeTruthy();
    expect(photo.headers['last-modified']).toBeTruthy();

    // The scans of the warm views were kept and go in with the next batch.
    expect(await scansOf(cert.id)).toBe(1);
    await t.app.verification.scans.flush();
    expect(await scansOf(cert.id)).toBe(3);
  });

  it('derives the status from the cached dates each day: valid, then expiring, then expired, with no query', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Miến dong Tràng An');
    const cert = await issue(t, officer, product, { validTo: daysFromToday(100) });
    const url = pathOf(cert.verificationUrl);
    await noticesSettled();
    expect((await page(t.app, url)).body).toContain('Còn hiệu lực');
    const watch = watchQueries(t.database);
    vi.useFakeTimers({ toFake: ['Date'] });
    vi.setSystemTime(Date.now() + 11 * 86_400_000);
    expect((await page(t.app, url)).body).toContain('Sắp hết hiệu lực');
    vi.setSystemTime(Date.now() + 90 * 86_400_000);
    expect((await page(t.app, url)).body).toContain('Hết hiệu lực');
    expect(watch.texts()).toEqual([]);
    expect(watch.count()).toBe(0);
  });

  it('serves the photo with validators: 304 for a matching ETag or an unchanged Last-Modified', async () => {
    const product = await insertProduct(t, subject, NB_A);
    await uploadPhoto(product);
    const cert = await issue(t, officer, product);
    const html = (await page(t.app, pathOf(cert.verificationUrl))).body;
    const src = /<img class="photo" src="([^"]+)"/.exec(html)![1]!;
    expect(src).toMatch(/^\/tra-cuu\/anh\/[0-9a-f-]{36}\?v=[0-9a-f-]{36}$/);
    const photo = await page(t.app, src);
    expect(photo.headers['cache-control']).toBe('public, max-age=604800, immutable');
    const etag = photo.headers.etag as string;
    const lastModified = photo.headers['last-modified'] as string;
    const again = (headers: Record<string, string>) => t.app.inject({ method: 'GET', url: src, headers });
    expect((await again({ 'if-none-match': etag })).statusCode).toBe(304);
    expect((await again({ 'if-modified-since': lastModified })).statusCode).toBe(304);
    expect((await again({ 'if-none-match': '"other"', 'if-modified-since': lastModified })).statusCode).toBe(
      200,
    );
    // Without the photo id (or an old one) the address may show another photo later: kept an hour.
    const bare = await page(t.app, `/tra-cuu/anh/${cert.id}`);
    expect(bare.statusCode).toBe(200);
    expect(bare.headers['cache-control']).toBe('public, max-age=3600');
  });
});

describe('the rendered page', () => {
  it('is compressed once per page for phones that ask (brotli or gzip), and the same page whole otherwise', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Nem chua Tràng An');
    const cert = await issue(t, officer, product);
    const url = pathOf(cert.verificationUrl);
    const plain = await page(t.app, url);
    const ask = (encoding: string) =>
      t.app.inject({ method: 'GET', url, headers: { 'accept-encoding': encoding } });
    const br = await ask('gzip, deflate, br');
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString('utf8')).toBe(plain.body);
    const gzip = await ask('gzip');
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzip.rawPayload).toString('utf8')).toBe(plain.body);
    expect(Number(gzip.headers['content-length'])).toBeLessThan(Buffer.byteLength(plain.body) / 2);
    expect((await ask('identity')).headers['content-encoding']).toBeUndefined();
    // A revocation renders (and compresses) the page again.
    expect((await revoke(t.app, cert.id)).statusCode).toBe(200);
    expect(brotliDecompressSync((await ask('br')).rawPayload).toString('utf8')).toContain('Đã bị thu hồi');
  });

  it('negotiates the encoding from Accept-Encoding', () => {
    expect(negotiateEncoding(undefined)).toBeNull();
    expect(negotiateEncoding('')).toBeNull();
    expect(negotiateEncoding('identity')).toBeNull();
    expect(negotiateEncoding('deflate')).toBeNull();
    expect(negotiateEncoding('gzip, deflate, br')).toBe('br');
    expect(negotiateEncoding('br;q=0.5, gzip')).toBe('gzip');
    expect(negotiateEncoding('br;q=0, gzip;q=0')).toBeNull();
    expect(negotiateEncoding('*')).toBe('br');
    expect(negotiateEncoding('br;q=0, *')).toBe('gzip');
    expect(negotiateEncoding('GZIP')).toBe('gzip');
  });
});

describe('changes show at once on this instance', () => {
  it('a revocation, a correction, a successor and a new cover photo', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Rượu cần Tràng An');
    const old = await issue(t, officer, product, { decisionDate: daysFromToday(-400) });
    const url = pathOf(old.verificationUrl);
    await page(t.app, url);
    expect((await page(t.app, url)).body).not.toContain('<img class="photo"');

    await uploadPhoto(product);
    expect((await page(t.app, url)).body).toContain('<img class="photo"');

    const upgraded = await issue(t, officer, product, { issueKind: 'upgrade', star: 4 });
    expect((await page(t.app, url)).body).toContain(upgraded.number);
    expect((await page(t.app, url)).body).toContain('Đã được thay thế');

    const upgradedUrl = pathOf(upgraded.verificationUrl);
    expect((await page(t.app, upgradedUrl)).body).toContain('Rượu cần Tràng An');
    const corrected = await api(t, 'POST', `/certificates/${upgraded.id}/corrections`, officer, {
      version: 1,
      reason: 'Sai tên',
      changes: { productName: 'Rượu cần men lá Tràng An' },
    });
    expect(corrected.statusCode).toBe(201);
    expect((await page(t.app, upgradedUrl)).body).toContain('Rượu cần men lá Tràng An');

    expect((await revoke(t.app, corrected.json().id)).statusCode).toBe(200);
    expect((await page(t.app, upgradedUrl)).body).toContain('Đã bị thu hồi');
  });
});

describe('two instances on one database', () => {
  it('a revocation through instance A shows on instance B, which served the page from its cache', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Chè lam Tràng An');
    const cert = await issue(t, officer, product);
    const url = pathOf(cert.verificationUrl);
    expect(b.app.verification.listener.listening).toBe(true);
    await noticesSettled();
    expect((await page(b.app, url)).body).toContain('Còn hiệu lực');
    const watch = watchQueries(b.database);
    expect((await page(b.app, url)).body).toContain('Còn hiệu lực');
    expect(watch.count()).toBe(0);
    watch.stop();

    expect((await revoke(t.app, cert.id)).statusCode).toBe(200);
    await eventually(async () => (await page(b.app, url)).body.includes('Đã bị thu hồi'));
    // …and it is cached again after that.
    await noticesSettled();
    await page(b.app, url);
    const after = watchQueries(b.database);
    expect((await page(b.app, url)).body).toContain('Đã bị thu hồi');
    expect(after.count()).toBe(0);
  });

  it('a successor, a correction and a removed cover photo through A show on B', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Bánh đa Tràng An');
    const photoId = await uploadPhoto(product);
    const old = await issue(t, officer, product, { decisionDate: daysFromToday(-400) });
    const url = pathOf(old.verificationUrl);
    expect((await page(b.app, url)).body).toContain('<img class="photo"');

    const removed = await t.app.inject({
      method: 'DELETE',
      url: `/api/v1/products/${product}/photos/${photoId}`,
      headers: officer,
    });
    expect(removed.statusCode).toBe(200);
    await eventually(async () => !(await page(b.app, url)).body.includes('<img class="photo"'));
    expect((await page(b.app, `/tra-cuu/anh/${old.id}`)).statusCode).toBe(404);

    const upgraded = await issue(t, officer, product, { issueKind: 'upgrade', star: 4 });
    await eventually(async () => (await page(b.app, url)).body.includes(upgraded.number));

    const upgradedUrl = pathOf(upgraded.verificationUrl);
    expect((await page(b.app, upgradedUrl)).body).toContain('Bánh đa Tràng An');
    const corrected = await api(t, 'POST', `/certificates/${upgraded.id}/corrections`, officer, {
      version: 1,
      reason: 'Sai tên',
      changes: { productName: 'Bánh đa vừng Tràng An' },
    });
    expect(corrected.statusCode).toBe(201);
    await eventually(async () => (await page(b.app, upgradedUrl)).body.includes('Bánh đa vừng Tràng An'));
  });

  it('a dropped listener connection: B reads through to the database, reconnects, starts from an empty cache', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Mắm tép Tràng An');
    const cert = await issue(t, officer, product);
    const url = pathOf(cert.verificationUrl);
    await page(b.app, url);
    expect(b.app.verification.cache.stats().certificates).toBeGreaterThan(0);
    const pid = b.app.verification.listener.processId!;
    expect(pid).toBeGreaterThan(0);

    await t.database.db.execute(sql`SELECT pg_terminate_backend(${pid})`);
    await eventually(async () => !b.app.verification.listener.listening, 2000);
    // While it is down, nothing is served from memory: a revocation now shows at once anyway.
    expect(b.app.verification.cache.stats().certificates).toBe(0);
    expect((await revoke(t.app, cert.id)).statusCode).toBe(200);
    expect((await page(b.app, url)).body).toContain('Đã bị thu hồi');

    await eventually(async () => b.app.verification.listener.listening, 5000);
    expect(b.app.verification.listener.processId).not.toBe(pid);
    // Listening again: notices arrive as before.
    const other = await issue(t, officer, await insertProduct(t, subject, NB_A));
    const otherUrl = pathOf(other.verificationUrl);
    expect((await page(b.app, otherUrl)).body).toContain('Còn hiệu lực');
    expect((await revoke(t.app, other.id)).statusCode).toBe(200);
    await eventually(async () => (await page(b.app, otherUrl)).body.includes('Đã bị thu hồi'));
  });
});

describe('the scan log', () => {
  it('keeps scans in memory and writes every one when the app closes', async () => {
    const product = await insertProduct(t, subject, NB_A);
    const cert = await issue(t, officer, product);
    const c = await startSecondInstance(t);
    c.app.verification.scans.configure({ intervalMs: 60_000, batchSize: 10_000 });
    for (let i = 0; i < 30; i++) await page(c.app, pathOf(cert.verificationUrl));
    expect(c.app.verification.scans.pending).toBe(30);
    expect(await scansOf(cert.id)).toBe(0);
    await c.close();
    expect(await scansOf(cert.id)).toBe(30);
    const rows = await t.database.db
      .select()
      .from(verificationScans)
      .where(and(eq(verificationScans.certificateId, cert.id), eq(verificationScans.result, 'valid')));
    expect(rows).toHaveLength(30);
    expect(new Set(rows.map((r) => r.ipHash)).size).toBe(1);
    expect(rows[0]).toMatchObject({ clientOs: 'android', clientBrowser: 'zalo', channel: 'qr', lang: 'vi' });
  });

  it('writes a batch as soon as it is full, in one statement', async () => {
    const log = new ScanLog(t.database.db, { batchSize: 5, intervalMs: 60_000 });
    const id = randomUUID();
    const scan = () =>
      log.record({
        scannedAt: new Date(),
        day: today(),
        code: 'SO-THU',
        certificateId: id,
        signatureValid: true,
        result: 'valid',
        channel: 'qr',
        ip: '203.0.113.7',
        userAgent: 'curl/8',
        lang: 'vi',
      });
    const query = vi.spyOn(t.database.pool, 'query');
    // drizzle calls query(config, params): the statement text on the config, the values beside it.
    const inserts = () =>
      query.mock.calls
        .map(([q, values]) => ({ text: (q as unknown as { text?: string }).text ?? '', values }))
        .filter((q) => /^insert into verification_scans/i.test(q.text));
    for (let i = 0; i < 4; i++) scan();
    await sleep(50);
    expect(await scansOf(id)).toBe(0);
    scan();
    await eventually(async () => (await scansOf(id)) === 5);
    // One statement for the five rows (passed as one JSON array).
    expect(inserts()).toHaveLength(1);
    expect(JSON.parse((inserts()[0]!.values as string[])[0]!)).toHaveLength(5);
    for (let i = 0; i < 3; i++) scan();
    await sleep(50);
    expect(log.pending).toBe(3);
    expect(await scansOf(id)).toBe(5);
    await log.close();
    expect(await scansOf(id)).toBe(8);
  });

  it('stores a crafted code (NUL, lone surrogate) without failing the rest of its batch', async () => {
    const log = new ScanLog(t.database.db, { batchSize: 1000, intervalMs: 600_000 });
    const id = randomUUID();
    for (const code of ['A\u0000B\uD800', 'BINH-THUONG']) {
      log.record({
        scannedAt: new Date(),
        day: today(),
        code,
        certificateId: id,
        signatureValid: false,
        result: 'unverified',
        channel: 'qr',
        ip: '203.0.113.9',
        userAgent: 'Mozilla/5.0',
        lang: 'vi',
      });
    }
    await log.close();
    const rows = await t.database.db
      .select()
      .from(verificationScans)
      .where(eq(verificationScans.certificateId, id));
    expect(rows.map((r) => r.code).sort()).toEqual(['AB\uFFFD', 'BINH-THUONG']);
  });

  it('writes what waits every second without a full batch', async () => {
    const log = new ScanLog(t.database.db, { batchSize: 1000, intervalMs: 200 });
    const id = randomUUID();
    log.record({
      scannedAt: new Date(),
      day: today(),
      code: 'SO-THU-2',
      certificateId: id,
      signatureValid: false,
      result: 'unverified',
      channel: 'qr',
      ip: '203.0.113.8',
      userAgent: undefined,
      lang: 'en',
    });
    await eventually(async () => (await scansOf(id)) === 1, 2000);
    await log.close();
  });
});
