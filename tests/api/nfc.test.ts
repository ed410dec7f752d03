import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { communes } from '../../src/modules/admin-units/schema';
import { taxCodeCheckDigit } from '../../src/modules/subjects/rules';
import { subjects } from '../../src/modules/subjects/schema';
import { toNfcDeep } from '../../src/server/nfc';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * Text arrives decomposed (NFD) from some systems; it is stored NFC whether it comes in a JSON
 * body, a query string or a registry file's cells.
 */
let t: TestContext;
let admin: Record<string, string>;
let officer: Record<string, string>;
const NB = '37';
const NFD_NAME = 'Hợp tác xã Thuỷ sản Hoà Bình'.normalize('NFD');
const NFC_NAME = NFD_NAME.normalize('NFC');

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.as({ role: 'system_admin' })).headers;
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
});

afterAll(async () => t.close());

function taxCode(): string {
  for (let seed = 370_200_000; ; seed++) {
    const digit = taxCodeCheckDigit(String(seed));
    if (digit !== null) return `${seed}${digit}`;
  }
}

describe('NFC on the way in', () => {
  it('normalises nested strings, leaves passwords, buffers and numbers alone', () => {
    const password = 'mật khẩu'.normalize('NFD');
    const value = { a: [NFD_NAME, 1, null], b: { c: NFD_NAME }, newPassword: password, d: Buffer.from('x') };
    expect(toNfcDeep(value)).toEqual({
      a: [NFC_NAME, 1, null],
      b: { c: NFC_NAME },
      newPassword: password,
      d: Buffer.from('x'),
    });
    expect(NFD_NAME).not.toBe(NFC_NAME);
  });

  it('stores a subject name sent decomposed in NFC, and finds it by a decomposed search', async () => {
    const [commune] = await t.database.db
      .select({ code: communes.code })
      .from(communes)
      .where(eq(communes.provinceCode, NB))
      .limit(1);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subjects',
      headers: admin,
      payload: {
        name: NFD_NAME,
        type: 'cooperative',
        taxCode: taxCode(),
        address: 'Thôn Đông'.normalize('NFD'),
        communeCode: commune!.code,
        legalRepresentative: 'Đinh Thị Hoà'.normalize('NFD'),
        legalRepresentativeGender: 'female',
        salesChannels: [],
      },
    });
    expect(response.statusCode, response.body).toBe(201);
    const [stored] = await t.database.db.select().from(subjects).where(eq(subjects.id, response.json().id));
    expect(stored!.name).toBe(NFC_NAME);
    expect(stored!.address).toBe('Thôn Đông'.normalize('NFC'));
    expect(stored!.legalRepresentative).toBe('Đinh Thị Hoà'.normalize('NFC'));
    const search = await t.app.inject({
      method: 'GET',
      url: `/api/v1/subjects?q=${encodeURIComponent('Thuỷ sản Hoà'.normalize('NFD'))}`,
      headers: admin,
    });
    expect(search.statusCode, search.body).toBe(200);
    expect(search.json().items.map((s: { name: string }) => s.name)).toContain(NFC_NAME);
  });

  it('reads a registry file written decomposed as NFC cells', async () => {
    const csv = [
      'Tên sản phẩm;Tên chủ thể/Cơ sở/HTX;Hạng sao;Ngày QĐ;Địa chỉ',
      `Mắm tép;${NFD_NAME};4 sao;12/03/2024;Xã Gia Viễn, tỉnh Ninh Bình`,
    ]
      .join('\r\n')
      .normalize('NFD');
    const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
    const payload = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${'Sổ OCOP Hoà Bình.csv'.normalize('NFD')}"\r\nContent-Type: text/csv\r\n\r\n`,
      ),
      Buffer.from(csv),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const upload = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { ...officer, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload,
    });
    expect(upload.statusCode, upload.body).toBe(201);
    const job = upload.json();
    expect(job.fileName).toBe('Sổ OCOP Hoà Bình.csv'.normalize('NFC'));
    expect(job.headers[1]).toBe('Tên chủ thể/Cơ sở/HTX'.normalize('NFC'));
    const preview = await t.app.inject({
      method: 'GET',
      url: `/api/v1/imports/${job.id}/preview?limit=1`,
      headers: officer,
    });
    expect(preview.statusCode, preview.body).toBe(200);
    expect(preview.json().rows[0].values.subjectName).toBe(NFC_NAME);
  });
});
