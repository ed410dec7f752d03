import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/test-app';
import { HY, insertProduct, insertSubject, issue, NB, NB_A, pdfText } from './certificates-support';

/**
 * Printable documents: the A4 certificate PDF read back with pdftotext (every Vietnamese glyph),
 * and the QR code as PNG at 300 dpi and as SVG sized in millimetres, both to the signed address.
 */
let t: TestContext;
let officer: Record<string, string>;
let producer: Record<string, string>;
let otherOfficer: Record<string, string>;
let certificate: { id: string; number: string; verificationUrl: string };
const PRODUCT_NAME = 'Nước mắm cốt cá cơm Đồng Tâm – loại đặc biệt';

beforeAll(async () => {
  t = await createTestContext();
  const subject = await insertSubject(t, 'Hợp tác xã Nông nghiệp Đồng Tâm', NB_A);
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  producer = (await t.as({ role: 'producer', subjectIds: [subject] })).headers;
  otherOfficer = (await t.as({ role: 'province_officer', provinceCode: HY })).headers;
  const product = await insertProduct(t, subject, NB_A, PRODUCT_NAME);
  certificate = await issue(t, officer, product, {
    star: 4,
    decisionNumber: '1234/QĐ-UBND',
    issuer: { name: 'Ủy ban nhân dân tỉnh Ninh Bình', level: 'province' },
  });
});
afterAll(async () => t.close());

const get = (url: string, headers: Record<string, string>) =>
  t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

describe('certificate PDF', () => {
  it('is an A4 page whose text holds the exact Vietnamese names', async () => {
    const response = await get(`/certificates/${certificate.id}/pdf`, producer);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toContain(
      `giay-chung-nhan-ocop-${certificate.number}.pdf`,
    );
    const pdf = response.rawPayload;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    // A4 landscape in points.
    expect(pdf.toString('latin1')).toMatch(/\/MediaBox \[0 0 841\.89 595\.28\]/);
    const text = pdfText(pdf);
    expect(text).toContain(PRODUCT_NAME);
    expect(text).toContain('Hợp tác xã Nông nghiệp Đồng Tâm');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('GIẤY CHỨNG NHẬN');
    expect(text).toContain('SẢN PHẨM OCOP ĐẠT HẠNG 4 SAO');
    expect(text).toContain('1234/QĐ-UBND');
    expect(text).toContain(`Số: ${certificate.number}`);
    expect(text).not.toContain('★');
  });

  it('is refused outside the reader scope', async () => {
    expect((await get(`/certificates/${certificate.id}/pdf`, otherOfficer)).statusCode).toBe(404);
    expect((await get(`/certificates/${certificate.id}/pdf`, {})).statusCode).toBe(401);
  });
});

describe('product QR code', () => {
  it('renders a PNG at 300 dpi for the printed size', async () => {
    const response = await get(`/certificates/${certificate.id}/qr.png?mm=40`, producer);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('image/png');
    const meta = await sharp(response.rawPayload).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(Math.round((40 / 25.4) * 300));
    expect(meta.width).toBe(meta.height);
  });

  it('renders an SVG sized in millimetres', async () => {
    const response = await get(`/certificates/${certificate.id}/qr.svg?mm=25`, officer);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/image\/svg\+xml/);
    expect(response.body).toMatch(/^<svg width="25mm" height="25mm" /);
    expect(response.headers['content-disposition']).toContain('-25mm.svg');
  });

  it('refuses sizes too small to scan or absurdly large', async () => {
    for (const mm of ['5', '500', 'abc']) {
      const response = await get(`/certificates/${certificate.id}/qr.png?mm=${mm}`, officer);
      expect(response.statusCode).toBe(400);
      expect(response.json().error.fields).toHaveProperty('mm');
    }
  });
});
