import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJobs } from '../../src/modules/imports/schema';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * The registry fixtures (tests/fixtures/registries) uploaded through POST /api/v1/imports: the
 * files provinces publish become import jobs; the broken ones are refused in the one error shape
 * with what to do, and leave no job behind.
 */
let t: TestContext;
let officer: Record<string, string>;
const NB = '37';
const dir = path.resolve(import.meta.dirname, '..', 'fixtures', 'registries');

beforeAll(async () => {
  t = await createTestContext();
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
});

afterAll(async () => t.close());

async function upload(name: string) {
  const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    fs.readFileSync(path.join(dir, name)),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: { ...officer, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

describe('registry files through the upload', () => {
  it.each([
    [
      '01-title-rows-merged-header.xlsx',
      { fileKind: 'xlsx', sheetName: 'DS OCOP', headerRow: 4, headerRows: 2, totalRows: 11 },
    ],
    [
      '02-two-sheets.xlsx',
      { fileKind: 'xlsx', sheetName: 'Danh sách 2024', headerRow: 1, headerRows: 1, totalRows: 6 },
    ],
    ['03-semicolon-utf8.csv', { fileKind: 'csv', headerRow: 2, headerRows: 1, totalRows: 11 }],
    ['04-unicode-text-utf16.txt', { fileKind: 'csv', headerRow: 1, headerRows: 1, totalRows: 11 }],
    ['10-decomposed-nfd.csv', { fileKind: 'csv', headerRow: 1, headerRows: 1, totalRows: 4 }],
  ] as const)('reads %s', async (name, expected) => {
    const res = await upload(name);
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject(expected);
  });

  it.each([
    ['05-broken-quote.csv', 400, /^dòng 12: dấu ngoặc kép không đóng/],
    ['06-lying-zip.xlsx', 413, /200 MB/],
    ['07-excel-97.xls', 415, /Lưu thành.*LibreOffice/],
    ['08-windows-1258.csv', 415, /CSV UTF-8/],
    // Refused as no spreadsheet until the upload reads through readUpload, which adds the how-to.
    ['09-libreoffice.ods', 415, /\.xlsx/],
  ] as const)('refuses %s with %i and what to do, leaving no job', async (name, status, message) => {
    const before = await t.database.db.$count(importJobs);
    const res = await upload(name);
    expect(res.statusCode, res.body).toBe(status);
    expect(res.json().error.fields.file).toMatch(message);
    expect(await t.database.db.$count(importJobs)).toBe(before);
  });
});
