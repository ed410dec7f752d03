import { createPublicKey, verify } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { desc, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { photoPath } from '../../src/modules/products/photo-files';
import { productPhotos } from '../../src/modules/products/schema';
import { verificationScans } from '../../src/modules/verification/schema';
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
 * The public side: signed codes checked on the page a QR code opens (tampered or copied codes
 * refused and logged), what the page shows for each status, the English toggle, the public
 * search, the product photo, and the published key an offline verifier uses.
 */
let t: TestContext;
let officer: Record<string, string>;
let subject: string;

beforeAll(async () => {
  t = await createTestContext();
  subject = await insertSubject(t, 'Hợp tác xã Nông nghiệp Đồng Tâm', NB_A);
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
});
afterAll(async () => t.close());

const get = (url: string, headers: Record<string, string> = {}) =>
  t.app.inject({
    method: 'GET',
    url,
    headers: {
      'user-agent': 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_1 like Mac OS X) Safari/604.1',
      ...headers,
    },
  });

const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;

async function lastScan() {
  // Scans are written in batches; write what waits before reading the table.
  await t.app.verification.scans.flush();
  const [row] = await t.database.db
    .select()
    .from(verificationScans)
    .orderBy(desc(verificationScans.scannedAt))
    .limit(1);
  return row!;
}

async function addPhoto(productId: string) {
  const [row] = await t.database.db
    .insert(productPhotos)
    .values({
      productId,
      mimeType: 'image/jpeg',
      sourceMimeType: 'image/jpeg',
      width: 64,
      height: 48,
      bytes: 1,
      thumbWidth: 64,
      thumbHeight: 48,
      thumbBytes: 1,
    })
    .returning();
  const file = photoPath(path.join(t.dataDir, 'uploads'), productId, row!.id, 'thumb');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await sharp({ create: { width: 64, height: 48, channels: 3, background: '#c33' } })
    .jpeg()
    .toFile(file);
}

describe('a genuine code', () => {
  it('opens a small, script-free page with everything a consumer checks, and logs the scan', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Nước mắm cốt cá cơm Đồng Tâm');
    await addPhoto(product);
    const cert = await issue(t, officer, product, { star: 4, decisionNumber: '1234/QĐ-UBND' });
    const response = await get(pathOf(cert.verificationUrl));
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/text\/html; charset=utf-8/);
    expect(response.headers['cache-control']).toBe('no-cache');
    const html = response.body;
    expect(Buffer.byteLength(html)).toBeLessThan(50 * 1024);
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<html lang="vi">');
    expect(html).toContain('Nước mắm cốt cá cơm Đồng Tâm');
    expect(html).toContain('Hợp tác xã Nông nghiệp Đồng Tâm');
    expect(html).toContain('Còn hiệu lực');
    expect(html).toContain('Tỉnh Ninh Bình');
    expect(html).toContain(cert.number);
    expect(html).toContain('1234/QĐ-UBND');
    expect(html).toContain('UBND tỉnh Ninh Bình');
    const [y, m, d] = cert.validTo.split('-');
    expect(html).toContain(`${d}/${m}/${y}`);
    // Stars are drawn shapes with words for screen readers, not ★ glyphs.
    expect(html).toContain('aria-label="4 sao"');
    expect(html.match(/fill="#e0a100"/g)).toHaveLength(4);
    expect(html).not.toContain('★');
    const photoSrc = /<img class="photo" src="([^"]+)"/.exec(html)![1]!;
    const photo = await get(photoSrc);
    expect(photo.statusCode).toBe(200);
    expect(photo.headers['content-type']).toBe('image/jpeg');
    expect((await get(photoSrc, { 'if-none-match': photo.headers.etag as string })).statusCode).toBe(304);

    const scan = await lastScan();
    expect(scan).toMatchObject({
      code: cert.number,
      certificateId: cert.id,
      signatureValid: true,
      result: 'valid',
      channel: 'qr',
      clientOs: 'ios',
      clientBrowser: 'safari',
      clientMobile: true,
      lang: 'vi',
    });
    expect(scan.ipHash).not.toContain('127.0.0.1');
    expect(scan.ipHash).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The same address on the same day hashes the same, so repeated scans can be counted.
    await get(pathOf(cert.verificationUrl));
    expect((await lastScan()).ipHash).toBe(scan.ipHash);
  });

  it('switches to English with ?lang=en and links back', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Gạo nếp cái hoa vàng');
    const cert = await issue(t, officer, product);
    const html = (await get(`${pathOf(cert.verificationUrl)}&lang=en`)).body;
    expect(html).toContain('<html lang="en">');
    expect(html).toContain('Valid');
    expect(html).toContain('aria-label="3 stars"');
    expect(html).toContain('Gạo nếp cái hoa vàng');
    expect(html).toMatch(/href="\/v\/[^"]+\?s=[A-Za-z0-9_-]{86}" lang="vi">Tiếng Việt/);
    expect((await lastScan()).lang).toBe('en');
  });

  it('verifies offline with the published key (JWK Set)', async () => {
    const product = await insertProduct(t, subject, NB_A);
    const cert = await issue(t, officer, product);
    const response = await get('/.well-known/ocop-verification-key');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/application\/jwk-set\+json/);
    const jwks = response.json();
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', use: 'sig' });
    const key = createPublicKey({ key: jwks.keys[0], format: 'jwk' });
    const url = new URL(cert.verificationUrl);
    const number = decodeURIComponent(url.pathname.slice('/v/'.length));
    const signature = Buffer.from(url.searchParams.get('s')!, 'base64url');
    expect(verify(null, Buffer.from(`OCOP-CERT-1:${number}`), key, signature)).toBe(true);
    expect(verify(null, Buffer.from('OCOP-CERT-1:37-00000-0001-2026'), key, signature)).toBe(false);
  });

  it('works for numbers written with slashes (imported or given on paper)', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Chè lam Gia Viễn');
    const cert = await issue(t, officer, product, { number: '12/2024/OCOP-NB' });
    expect(cert.verificationUrl).toContain('/v/12%2F2024%2FOCOP-NB?s=');
    const html = (await get(pathOf(cert.verificationUrl))).body;
    expect(html).toContain('Chè lam Gia Viễn');
    expect(html).toContain('Còn hiệu lực');
  });
});

describe('a code that does not verify', () => {
  it('shows "không xác thực được" for a tampered, copied or unsigned code, and logs it as failed', async () => {
    const p1 = await insertProduct(t, subject, NB_A, 'Miến dong Đồng Tâm');
    const p2 = await insertProduct(t, subject, NB_A);
    const a = await issue(t, officer, p1);
    const b = await issue(t, officer, p2);
    const sigA = new URL(a.verificationUrl).searchParams.get('s')!;
    const flipped = `${sigA.slice(0, 10)}${sigA[10] === 'A' ? 'B' : 'A'}${sigA.slice(11)}`;
    const attempts = [
      `/v/${encodeURIComponent(a.number)}?s=${flipped}`,
      `/v/${encodeURIComponent(b.number)}?s=${sigA}`,
      `/v/${encodeURIComponent(a.number)}`,
      `/v/${encodeURIComponent(a.number)}?s=ngan`,
      `/v/khong-co-so-nay?s=${sigA}`,
    ];
    for (const url of attempts) {
      const response = await get(url);
      expect(response.statusCode, url).toBe(200);
      expect(response.body, url).toContain('Không xác thực được');
      expect(response.body, url).not.toContain('Miến dong Đồng Tâm');
      expect(await lastScan(), url).toMatchObject({
        signatureValid: false,
        result: 'unverified',
        certificateId: null,
      });
    }
    const en = await get(`/v/${encodeURIComponent(a.number)}?s=${flipped}&lang=en`);
    expect(en.body).toContain('Could not be verified');
  });
});

describe('status on the page', () => {
  it('shows a revocation with its reason and date at once', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Rượu nếp cái Đồng Tâm');
    const cert = await issue(t, officer, product);
    const url = pathOf(cert.verificationUrl);
    expect((await get(url)).body).toContain('Còn hiệu lực');
    const revoked = await api(t, 'POST', `/certificates/${cert.id}/revocation`, officer, {
      reasonCategory: 'food_safety',
      decisionNumber: '88/QĐ-UBND',
      decisionDate: today(),
    });
    expect(revoked.statusCode).toBe(200);
    const html = (await get(url)).body;
    expect(html).toContain('Đã bị thu hồi');
    expect(html).toContain('Vi phạm an toàn thực phẩm');
    expect(html).toContain('88/QĐ-UBND');
    const [y, m, d] = today().split('-');
    expect(html).toContain(`${d}/${m}/${y}`);
    expect(await lastScan()).toMatchObject({ result: 'revoked', signatureValid: true });
  });

  it('points a superseded certificate to its successor, and shows a correction under the old code', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Mật ong hoa nhãn');
    const old = await issue(t, officer, product, { decisionDate: daysFromToday(-300) });
    const upgraded = await issue(t, officer, product, { issueKind: 'upgrade', star: 4 });
    const html = (await get(pathOf(old.verificationUrl))).body;
    expect(html).toContain('Đã được thay thế');
    expect(html).toContain(upgraded.number);
    expect(html).toContain(pathOf(upgraded.verificationUrl).replace('&', '&amp;'));
    const corrected = await api(t, 'POST', `/certificates/${upgraded.id}/corrections`, officer, {
      version: 1,
      reason: 'Sai chính tả tên sản phẩm',
      changes: { productName: 'Mật ong hoa nhãn Đồng Tâm' },
    });
    expect(corrected.statusCode).toBe(201);
    const page = (await get(pathOf(upgraded.verificationUrl))).body;
    expect(page).toContain('Mật ong hoa nhãn Đồng Tâm');
    expect(page).toContain('bản đính chính');
  });

  it('shows an expiring certificate in words', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Cá kho làng Vũ Đại');
    const cert = await issue(t, officer, product, { validTo: daysFromToday(20) });
    expect((await get(pathOf(cert.verificationUrl))).body).toContain('Sắp hết hiệu lực');
  });
});

describe('public search', () => {
  it('finds by product name without accents and by number, logging clicks as search scans', async () => {
    const product = await insertProduct(t, subject, NB_A, 'Cơm cháy chà bông Hoa Lư');
    const cert = await issue(t, officer, product);
    const html = (await get('/tra-cuu?q=com%20chay%20cha%20bong%20hoa%20lu')).body;
    expect(html).toContain('Cơm cháy chà bông Hoa Lư');
    expect(Buffer.byteLength(html)).toBeLessThan(50 * 1024);
    const byNumber = (await get(`/tra-cuu?q=${encodeURIComponent(cert.number)}`)).body;
    expect(byNumber).toContain('Cơm cháy chà bông Hoa Lư');
    const link = /<a href="(\/v\/[^"]+)">Cơm cháy chà bông Hoa Lư/.exec(html)![1]!.replaceAll('&amp;', '&');
    expect(link).toContain('via=search');
    expect((await get(link)).body).toContain('Còn hiệu lực');
    expect(await lastScan()).toMatchObject({ channel: 'search', result: 'valid' });
  });

  it('answers short, empty and unmatched queries without error, in both languages', async () => {
    expect((await get('/tra-cuu')).statusCode).toBe(200);
    expect((await get('/tra-cuu?q=a')).body).toContain('Nhập ít nhất 2 ký tự.');
    expect((await get('/tra-cuu?q=zzzzqqqq')).body).toContain('Không tìm thấy sản phẩm OCOP nào khớp.');
    expect((await get('/tra-cuu?q=zzzzqqqq&lang=en')).body).toContain('No OCOP product matches.');
    expect((await get('/tra-cuu?q=%25%25')).statusCode).toBe(200);
    const injected = (await get('/tra-cuu?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E')).body;
    expect(injected).not.toContain('<script>alert(1)</script>');
    expect(injected).toContain('&lt;script&gt;');
  });

  it('has no photo for a product without one, and refuses bad ids', async () => {
    const product = await insertProduct(t, subject, NB_A);
    const cert = await issue(t, officer, product);
    expect((await get(`/tra-cuu/anh/${cert.id}`)).statusCode).toBe(404);
    expect((await get('/tra-cuu/anh/khong-phai-uuid')).statusCode).toBe(400);
    expect((await get('/tra-cuu/anh/00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const scans = await t.database.db
      .select()
      .from(verificationScans)
      .where(eq(verificationScans.certificateId, cert.id));
    expect(scans).toHaveLength(0);
  });
});
