import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../../src/modules/certificates/rules';
import { OPEN_DATA_FIELDS } from '../../src/modules/opendata/contract';
import { subjects } from '../../src/modules/subjects/schema';
import { parseCsvText } from '../../src/server/csv';
import { createTestContext, type TestContext } from '../support/test-app';
import { HY, HY_A, insertProduct, insertSubject, NB, NB_A, NB_B, today } from './certificates-support';
import { insertCertificate } from './expiry-support';

/**
 * Open data of certified products: CSV, JSON and XLSX parsed back to the same records, filters,
 * public fields only (no tax code, phone, e-mail or person of the subject), file names, bad input.
 */
let t: TestContext;
const KEYS = OPEN_DATA_FIELDS.map(([key]) => key);
const PRIVATE = {
  taxCode: '0101234567',
  phone: '0912345678',
  email: 'giamdoc@htx-rieng-tu.vn',
  legalRepresentative: 'Trần Văn Bí Mật',
  address: 'Số 99 ngõ Riêng Tư',
};
const numbers: Record<string, string> = {};

const get = (query: string) =>
  t.app.inject({ method: 'GET', url: `/api/v1/open-data/certified-products?${query}` });

/** The export read back through the app's one CSV reader (quotes, doubled quotes, CRLF). */
const parseCsv = (text: string): string[][] => parseCsvText(text, { delimiter: ',' }).rows;

beforeAll(async () => {
  t = await createTestContext();
  const nbSubject = await insertSubject(t, 'HTX "Ong vàng", Phủ Lý', NB_A);
  await t.database.db.update(subjects).set(PRIVATE).where(eq(subjects.id, nbSubject));
  const nbOther = await insertSubject(t, 'HTX Mắm tép Phù Vân', NB_B);
  const hySubject = await insertSubject(t, 'HTX Nhãn lồng Phố Hiến', HY_A);
  const start = addDays(today(), -100);
  const far = addDays(today(), 900);
  const honey = await insertProduct(t, nbSubject, NB_A, 'Mật ong bạc hà, loại "đặc biệt"');
  const shrimp = await insertProduct(t, nbOther, NB_B, 'Mắm tép chưng thịt');
  const longan = await insertProduct(t, hySubject, HY_A, 'Long nhãn Hưng Yên');
  const old = await insertProduct(t, nbOther, NB_B, 'Tép khô');
  numbers.honey = (
    await insertCertificate(t, {
      productId: honey,
      subjectId: nbSubject,
      provinceCode: NB,
      communeCode: NB_A,
      validFrom: start,
      validTo: far,
      productName: 'Mật ong bạc hà, loại "đặc biệt"',
      subjectName: 'HTX "Ong vàng", Phủ Lý',
      star: 4,
    })
  ).number;
  numbers.shrimp = (
    await insertCertificate(t, {
      productId: shrimp,
      subjectId: nbOther,
      provinceCode: NB,
      communeCode: NB_B,
      validFrom: start,
      validTo: addDays(today(), 20),
      productName: 'Mắm tép chưng thịt',
      star: 3,
    })
  ).number;
  numbers.longan = (
    await insertCertificate(t, {
      productId: longan,
      subjectId: hySubject,
      provinceCode: HY,
      communeCode: HY_A,
      validFrom: start,
      validTo: far,
      productName: 'Long nhãn Hưng Yên',
      star: 5,
    })
  ).number;
  const revoked = await insertCertificate(t, {
    productId: old,
    subjectId: nbOther,
    provinceCode: NB,
    communeCode: NB_B,
    validFrom: start,
    validTo: far,
    productName: 'Tép khô',
    star: 3,
  });
  numbers.revoked = revoked.number;
  await t.database.db.execute(
    sql`INSERT INTO certificate_revocations (certificate_id, number, reason_category, decision_number, decision_date)
        VALUES (${revoked.id}, ${revoked.number}, 'quality', '9/QĐ-UBND', ${today()})`,
  );
});
afterAll(async () => t.close());

function expectNoPrivateData(body: string) {
  for (const value of Object.values(PRIVATE)) expect(body).not.toContain(value);
}

describe('open data of certified products', () => {
  it('answers JSON by default to anyone, in force only, with public fields and a file name', async () => {
    const response = await get('');
    expect(response.statusCode, response.body).toBe(200);
    expect(response.headers['content-type']).toContain('application/json');
    expect(response.headers['content-disposition']).toMatch(
      /^attachment; filename="ocop-certified-products-\d{4}-\d{2}-\d{2}\.json"$/,
    );
    expect(response.headers['cache-control']).toBe('public, max-age=300');
    const body = response.json();
    expect(body.fields.map((f: { key: string }) => f.key)).toEqual(KEYS);
    const got = body.items.map((i: { certificateNumber: string }) => i.certificateNumber).sort();
    expect(got).toEqual([numbers.honey, numbers.shrimp, numbers.longan].sort());
    for (const item of body.items) expect(Object.keys(item)).toEqual(KEYS);
    const honey = body.items.find(
      (i: { certificateNumber: string }) => i.certificateNumber === numbers.honey,
    );
    expect(honey).toMatchObject({
      status: 'valid',
      statusLabel: 'Còn hiệu lực',
      star: 4,
      productName: 'Mật ong bạc hà, loại "đặc biệt"',
      subjectName: 'HTX "Ong vàng", Phủ Lý',
      provinceCode: NB,
      communeCode: NB_A,
      revokedOn: null,
    });
    expect(honey.verificationUrl).toMatch(/\/v\/.+\?s=[A-Za-z0-9_-]{86}$/);
    expectNoPrivateData(response.body);
  });

  it('exports CSV that parses back to the same records, with a BOM for spreadsheets', async () => {
    const json = (await get('status=all')).json();
    const response = await get('format=csv&status=all');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('text/csv');
    expect(response.headers['content-disposition']).toMatch(
      /filename="ocop-certified-products-all-\d{4}-\d{2}-\d{2}\.csv"/,
    );
    expect(response.body.startsWith('\uFEFF')).toBe(true);
    const [header, ...rows] = parseCsv(response.body.slice(1));
    expect(header).toEqual(KEYS);
    expect(rows).toHaveLength(4);
    const asRecords = rows.map((cells) => Object.fromEntries(KEYS.map((k, i) => [k, cells[i]])));
    for (const item of json.items) {
      const csv = asRecords.find((r) => r.certificateNumber === item.certificateNumber)!;
      for (const key of KEYS) expect(csv[key]).toBe(item[key] === null ? '' : String(item[key]));
    }
    expectNoPrivateData(response.body);
  });

  it('exports XLSX that parses back, with a sheet explaining the fields', async () => {
    const json = (await get('status=all')).json();
    const response = await get('format=xlsx&status=all');
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(response.headers['content-disposition']).toMatch(/\.xlsx"$/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const sheet = workbook.getWorksheet('certified-products')!;
    const values = sheet.getSheetValues().filter(Boolean) as unknown[][];
    // getSheetValues rows are 1-based arrays with an empty slot 0.
    const [header, ...rows] = values.map((row) => row.slice(1));
    expect(header).toEqual(KEYS);
    expect(rows).toHaveLength(json.items.length);
    for (const item of json.items) {
      const row = rows.find((r) => r[0] === item.certificateNumber)!;
      KEYS.forEach((key, i) => {
        expect(row[i] ?? null).toEqual(item[key]);
      });
    }
    expect(workbook.getWorksheet('fields')!.rowCount).toBe(KEYS.length + 1);
    const text = rows.flat().join('|');
    expectNoPrivateData(text);
  });

  it('filters by province, product set, star and status', async () => {
    const numbersOf = async (query: string) =>
      (await get(query))
        .json()
        .items.map((i: { certificateNumber: string }) => i.certificateNumber)
        .sort();
    expect(await numbersOf(`provinceCode=${NB}`)).toEqual([numbers.honey, numbers.shrimp].sort());
    expect(await numbersOf(`provinceCode=${HY}&star=5`)).toEqual([numbers.longan]);
    expect(await numbersOf(`provinceCode=${HY}&star=4`)).toEqual([]);
    expect(await numbersOf('status=revoked')).toEqual([numbers.revoked]);
    expect(await numbersOf('status=expiring')).toEqual([numbers.shrimp]);
    expect(await numbersOf('productSet=6&star=3&status=all')).toEqual(
      [numbers.shrimp, numbers.revoked].sort(),
    );
    expect(await numbersOf('productSet=99')).toEqual([]);
    const named = await get(`format=csv&provinceCode=${NB}&star=3&productSet=6&status=expiring`);
    expect(named.headers['content-disposition']).toMatch(
      new RegExp(`filename="ocop-certified-products-${NB}-set-6-3-star-expiring-\\d{4}-\\d{2}-\\d{2}\\.csv"`),
    );
  });

  it('refuses bad input by field, never a 500', async () => {
    const bad = await get('format=pdf&provinceCode=1&star=7&status=nope&productSet=%27%3B--');
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual([
      'format',
      'productSet',
      'provinceCode',
      'star',
      'status',
    ]);
    const unknown = await get('taxCode=0101234567');
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields).toHaveProperty('taxCode');
  });
});
