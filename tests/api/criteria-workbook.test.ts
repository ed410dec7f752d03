import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SheetSummary, SheetView, SheetWorkbookImportResult } from '../../src/modules/criteria/contract';
import { readShippedCriteria } from '../../src/modules/criteria/shipped';
import { SHEET_WORKSHEET } from '../../src/modules/criteria/workbook';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * Scoring sheets as Excel over HTTP: the blank template, a sheet's workbook, and a filled workbook
 * imported back as the same document (a draft revision with the validator's report, each problem
 * with its cell); malformed files refused with per-cell fields, never a 500; only administrators import.
 */
let t: TestContext;
let admin: Record<string, string>;
let officer: Record<string, string>;
let member: Record<string, string>;
let commune: Record<string, string>;
let producer: Record<string, string>;
const shipped = readShippedCriteria();
const REAL_1048 = shipped.sheets.find((s) => s.document.ruleSet === '1048-2019')!.document;
const DEMO = shipped.sheets.find((s) => s.document.demo)!.document;

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.as({ role: 'system_admin' })).headers;
  const [unit] = await t.database.db.query.communes.findMany({ limit: 1 });
  officer = (await t.as({ role: 'province_officer', provinceCode: unit?.provinceCode ?? null })).headers;
  commune = (
    await t.as({
      role: 'commune_officer',
      provinceCode: unit?.provinceCode ?? null,
      communeCode: unit?.code ?? null,
    })
  ).headers;
  member = (await t.as({ role: 'council_member' })).headers;
  producer = (await t.as({ role: 'producer' })).headers;
  const loaded = await t.app.inject({
    method: 'POST',
    url: '/api/v1/criteria/shipped',
    headers: admin,
    payload: {},
  });
  expect(loaded.statusCode).toBe(200);
});
afterAll(async () => t.close());

const get = (url: string, headers = admin) => t.app.inject({ method: 'GET', url: `/api/v1${url}`, headers });

function upload(content: Buffer, headers = admin, lang?: string) {
  const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="phieu.xlsx"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/criteria/sheets/import.xlsx',
    headers: {
      ...headers,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(lang ? { 'accept-language': lang } : {}),
    },
    payload,
  });
}

async function sheetId(code: string): Promise<string> {
  const list = (await get('/criteria/sheets')).json() as { items: SheetSummary[] };
  return list.items.find((s) => s.code === code)!.id;
}

async function loadBook(payload: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(payload as unknown as ArrayBuffer);
  return workbook;
}

describe('scoring sheets as Excel', () => {
  it('exports a stored sheet and imports it back unchanged (no new revision)', async () => {
    const id = await sheetId(DEMO.code);
    const response = await get(`/criteria/sheets/${id}/export.xlsx`, officer);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toBe(`attachment; filename="sheet-${DEMO.code}.xlsx"`);
    const imported = await upload(response.rawPayload);
    expect(imported.statusCode, imported.body).toBe(200);
    const result = imported.json() as SheetWorkbookImportResult;
    expect(result.created).toBe(false);
    expect(result.sheet.id).toBe(id);
    const json = (await get(`/criteria/sheets/${id}/export`)).json();
    expect(json).toEqual(DEMO);
  });

  it('stores an edited workbook as a new draft revision with the validator report located by cell', async () => {
    const id = await sheetId(REAL_1048.code);
    const workbook = await loadBook((await get(`/criteria/sheets/${id}/export.xlsx`)).rawPayload);
    const ws = workbook.getWorksheet(SHEET_WORKSHEET)!;
    const titleRow = [...Array(20).keys()]
      .map((r) => r + 1)
      .find((r) => String(ws.getCell(r, 1).value).startsWith('Tên phiếu (tiếng Việt)'))!;
    ws.getCell(titleRow, 2).value = `${REAL_1048.title.vi} (sửa)`;
    const response = await upload(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(response.statusCode, response.body).toBe(201);
    const result = response.json() as SheetWorkbookImportResult;
    expect(result.sheet.revision).toBe(2);
    expect(result.sheet.status).toBe('draft');
    expect(result.sheet.title.vi).toBe(`${REAL_1048.title.vi} (sửa)`);
    const mismatch = result.sheet.problems.find((p) => p.code === 'part.maxMismatch')!;
    expect(mismatch.vi).toBe('Phần A: tổng điểm tối đa các lựa chọn là 36, khai báo 35.');
    expect(result.locations[mismatch.path]).toMatch(new RegExp(`^${SHEET_WORKSHEET}!F\\d+$`));
    // The validator still refuses to activate it.
    const activate = await t.app.inject({
      method: 'POST',
      url: `/api/v1/criteria/sheets/${result.sheet.id}/activate`,
      headers: admin,
      payload: { version: result.sheet.version },
    });
    expect(activate.statusCode).toBe(409);
  });

  it('gives the blank template to readers; importing it unfilled reports the empty cells', async () => {
    const template = await get('/criteria/sheets/template.xlsx', member);
    expect(template.statusCode).toBe(200);
    expect(template.headers['content-disposition']).toContain('mau-phieu-cham.xlsx');
    const book = await loadBook(template.rawPayload);
    expect(book.worksheets.map((w) => w.name)).toEqual([SHEET_WORKSHEET, 'Hướng dẫn']);
    const refused = await upload(template.rawPayload);
    expect(refused.statusCode).toBe(400);
    const body = refused.json() as {
      error: { code: string; message: string; fields: Record<string, string> };
    };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.message).toMatch(/^Tệp Excel có \d+ lỗi/);
    expect(Object.keys(body.error.fields)).toContain(`${SHEET_WORKSHEET}!B3`);
  });

  it('refuses malformed files with precise fields, in English on request, never a 500', async () => {
    const notXlsx = await upload(Buffer.from('%PDF-1.4 not a workbook'), admin, 'en');
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().error.fields.file).toContain('not a readable Excel workbook');

    const id = await sheetId(DEMO.code);
    const workbook = await loadBook((await get(`/criteria/sheets/${id}/export.xlsx`)).rawPayload);
    const ws = workbook.getWorksheet(SHEET_WORKSHEET)!;
    let optionRow = 0;
    for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 3).value === 'A1.1.b') optionRow = r;
    ws.getCell(optionRow, 6).value = 'hai điểm';
    const bad = await upload(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual([`${SHEET_WORKSHEET}!F${optionRow}`]);

    const noFile = await t.app.inject({
      method: 'POST',
      url: '/api/v1/criteria/sheets/import.xlsx',
      headers: { ...admin, 'content-type': 'multipart/form-data; boundary=x' },
      payload: 'garbage',
    });
    expect(noFile.statusCode).toBe(400);
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/criteria/sheets/import.xlsx',
      headers: admin,
      payload: {},
    });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
  });

  it('lets only administrators import, and every criteria reader export', async () => {
    const id = await sheetId(DEMO.code);
    const exported = (await get(`/criteria/sheets/${id}/export.xlsx`)).rawPayload;
    for (const headers of [officer, commune, member, producer]) {
      const response = await upload(exported, headers);
      expect(response.statusCode).toBe(403);
    }
    for (const headers of [officer, commune, member]) {
      expect((await get(`/criteria/sheets/${id}/export.xlsx`, headers)).statusCode).toBe(200);
    }
    expect((await get(`/criteria/sheets/${id}/export.xlsx`, producer)).statusCode).toBe(403);
    expect((await get('/criteria/sheets/template.xlsx', producer)).statusCode).toBe(403);
    expect((await get(`/criteria/sheets/${randomUUID()}/export.xlsx`)).statusCode).toBe(404);
    const unchanged = (await get(`/criteria/sheets/${id}`)).json() as SheetView;
    expect(unchanged.revision).toBe(1);
  });
});
