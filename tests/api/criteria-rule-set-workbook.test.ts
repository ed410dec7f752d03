import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type {
  RuleSetSummary,
  RuleSetView,
  RuleSetWorkbookImportResult,
} from '../../src/modules/criteria/contract';
import { RULE_SET_WORKSHEETS } from '../../src/modules/criteria/rule-set-workbook';
import { readShippedCriteria } from '../../src/modules/criteria/shipped';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * Rule-sets as Excel over HTTP: the template (the shipped 26-2026 rule-set as a starting point),
 * a rule-set's workbook, and a filled workbook imported back as the same document (a draft
 * revision with the validator's report, each problem with its cell); malformed files refused with
 * per-cell fields, never a 500; only administrators import, every criteria reader exports.
 */
let t: TestContext;
let admin: Record<string, string>;
let officer: Record<string, string>;
let member: Record<string, string>;
let commune: Record<string, string>;
let producer: Record<string, string>;
const shipped = readShippedCriteria();
const R26 = shipped.ruleSets.find((r) => r.document.code === '26-2026')!.document;
const R1048 = shipped.ruleSets.find((r) => r.document.code === '1048-2019')!.document;

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
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="bo-tieu-chi.xlsx"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/criteria/rule-sets/import.xlsx',
    headers: {
      ...headers,
      'content-type': `multipart/form-data; boundary=${boundary}`,
      ...(lang ? { 'accept-language': lang } : {}),
    },
    payload,
  });
}

async function ruleSetId(code: string): Promise<string> {
  const list = (await get(`/criteria/rule-sets?code=${code}`)).json() as { items: RuleSetSummary[] };
  return list.items[0]!.id;
}

async function loadBook(payload: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(payload as unknown as ArrayBuffer);
  return workbook;
}
const save = async (workbook: ExcelJS.Workbook) => Buffer.from(await workbook.xlsx.writeBuffer());

function rowOf(ws: ExcelJS.Worksheet, text: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (String(ws.getCell(r, 1).value ?? '').startsWith(text)) return r;
  throw new Error(`no row for ${text}`);
}

describe('rule-sets as Excel', () => {
  it('exports a stored rule-set and imports it back unchanged (no new revision)', async () => {
    const id = await ruleSetId(R1048.code);
    const response = await get(`/criteria/rule-sets/${id}/export.xlsx`, officer);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toBe(
      `attachment; filename="criteria-${R1048.code}.xlsx"`,
    );
    const imported = await upload(response.rawPayload);
    expect(imported.statusCode, imported.body).toBe(200);
    const result = imported.json() as RuleSetWorkbookImportResult;
    expect(result.created).toBe(false);
    expect(result.ruleSet.id).toBe(id);
    const json = (await get(`/criteria/rule-sets/${id}/export`)).json() as { ruleSet: unknown };
    expect(json.ruleSet).toEqual(R1048);
  });

  it('stores an edited workbook as a new draft revision with the validator report located by cell', async () => {
    const id = await ruleSetId(R26.code);
    const workbook = await loadBook((await get(`/criteria/rule-sets/${id}/export.xlsx`)).rawPayload);
    const parts = workbook.getWorksheet(RULE_SET_WORKSHEETS.parts)!;
    parts.getCell('D2').value = 45; // parts now sum to 105
    const response = await upload(await save(workbook));
    expect(response.statusCode, response.body).toBe(201);
    const result = response.json() as RuleSetWorkbookImportResult;
    expect(result.ruleSet.revision).toBe(2);
    expect(result.ruleSet.status).toBe('draft');
    expect(result.ruleSet.document.parts[0]!.maxPoints).toBe(45);
    const total = result.ruleSet.problems.find((p) => p.code === 'ruleSet.partsTotal')!;
    expect(total.vi).toBe('Tổng điểm tối đa các phần là 105, phải là 100.');
    expect(result.locations[total.path]).toBe(`${RULE_SET_WORKSHEETS.parts}!A2`);
    const unset = result.ruleSet.problems.find((p) => p.code === 'parameter.unset')!;
    expect(result.locations[unset.path]).toMatch(new RegExp(`^${RULE_SET_WORKSHEETS.parameters}!B\\d+$`));
    // The same report as the JSON import of the same document.
    const viaJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/criteria/rule-sets',
      headers: admin,
      payload: result.ruleSet.document,
    });
    expect(viaJson.statusCode).toBe(200);
    expect((viaJson.json() as { ruleSet: RuleSetView }).ruleSet.problems).toEqual(result.ruleSet.problems);
    // The validator still refuses to activate it.
    const activate = await t.app.inject({
      method: 'POST',
      url: `/api/v1/criteria/rule-sets/${result.ruleSet.id}/activate`,
      headers: admin,
      payload: { version: result.ruleSet.version },
    });
    expect(activate.statusCode).toBe(409);
  });

  it('gives the template (the shipped 26-2026 rule-set) to readers; importing it stores that rule-set', async () => {
    const template = await get('/criteria/rule-sets/template.xlsx', member);
    expect(template.statusCode).toBe(200);
    expect(template.headers['content-disposition']).toContain('mau-bo-tieu-chi.xlsx');
    const book = await loadBook(template.rawPayload);
    expect(book.worksheets.map((w) => w.name)).toEqual([...Object.values(RULE_SET_WORKSHEETS), 'Hướng dẫn']);
    const info = book.getWorksheet(RULE_SET_WORKSHEETS.info)!;
    info.getCell(rowOf(info, 'Mã bộ tiêu chí'), 2).value = 'tinh-2027';
    const parameters = book.getWorksheet(RULE_SET_WORKSHEETS.parameters)!;
    parameters.getCell(rowOf(parameters, 'Số phiếu chấm tối thiểu'), 2).value = 5;
    const response = await upload(await save(book));
    expect(response.statusCode, response.body).toBe(201);
    const result = response.json() as RuleSetWorkbookImportResult;
    expect(result.ruleSet.revision).toBe(1);
    expect(result.ruleSet.document).toEqual({
      ...R26,
      code: 'tinh-2027',
      minimumSheets: { value: 5, source: 'open' },
    });
    expect(result.ruleSet.errorCount).toBe(0);
  });

  it('refuses malformed files with precise fields, in English on request, never a 500', async () => {
    const notXlsx = await upload(Buffer.from('%PDF-1.4 not a workbook'), admin, 'en');
    expect(notXlsx.statusCode).toBe(400);
    expect(notXlsx.json().error.fields.file).toContain('not a readable Excel workbook');

    const id = await ruleSetId(R1048.code);
    const exported = (await get(`/criteria/rule-sets/${id}/export.xlsx`)).rawPayload;

    const wrongValue = await loadBook(exported);
    wrongValue.getWorksheet(RULE_SET_WORKSHEETS.bands)!.getCell('C3').value = 'năm mươi';
    const bad = await upload(await save(wrongValue));
    expect(bad.statusCode).toBe(400);
    const body = bad.json() as { error: { code: string; message: string; fields: Record<string, string> } };
    expect(body.error.code).toBe('VALIDATION');
    expect(body.error.message).toMatch(/^Tệp Excel có 1 lỗi/);
    expect(Object.keys(body.error.fields)).toEqual([`${RULE_SET_WORKSHEETS.bands}!C3`]);

    const missing = await loadBook(exported);
    missing.removeWorksheet(missing.getWorksheet(RULE_SET_WORKSHEETS.levels)!.id);
    missing.getWorksheet(RULE_SET_WORKSHEETS.checklist)!.getCell('A1').value = 'Cột khác';
    const refused = await upload(await save(missing));
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toEqual({
      [`${RULE_SET_WORKSHEETS.levels}!A1`]: 'Thiếu trang "Cấp đánh giá".',
      [`${RULE_SET_WORKSHEETS.checklist}!A1`]: 'Trang "Hồ sơ" thiếu cột "Mã hồ sơ / Item code".',
    });

    // A sheet workbook sent to the rule-set import is told apart by its worksheets.
    const sheetTemplate = (await get('/criteria/sheets/template.xlsx')).rawPayload;
    const wrongKind = await upload(sheetTemplate);
    expect(wrongKind.statusCode).toBe(400);
    expect(Object.keys(wrongKind.json().error.fields)).toContain(`${RULE_SET_WORKSHEETS.info}!A1`);

    const noFile = await t.app.inject({
      method: 'POST',
      url: '/api/v1/criteria/rule-sets/import.xlsx',
      headers: { ...admin, 'content-type': 'multipart/form-data; boundary=x' },
      payload: 'garbage',
    });
    expect(noFile.statusCode).toBe(400);
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/v1/criteria/rule-sets/import.xlsx',
      headers: admin,
      payload: {},
    });
    expect(json.statusCode).toBeGreaterThanOrEqual(400);
    expect(json.statusCode).toBeLessThan(500);
  });

  it('lets only administrators import, and every criteria reader export', async () => {
    const id = await ruleSetId(R1048.code);
    const exported = (await get(`/criteria/rule-sets/${id}/export.xlsx`)).rawPayload;
    for (const headers of [officer, commune, member, producer]) {
      expect((await upload(exported, headers)).statusCode).toBe(403);
    }
    for (const headers of [officer, commune, member]) {
      expect((await get(`/criteria/rule-sets/${id}/export.xlsx`, headers)).statusCode).toBe(200);
    }
    expect((await get(`/criteria/rule-sets/${id}/export.xlsx`, producer)).statusCode).toBe(403);
    expect((await get('/criteria/rule-sets/template.xlsx', producer)).statusCode).toBe(403);
    expect((await get(`/criteria/rule-sets/${randomUUID()}/export.xlsx`)).statusCode).toBe(404);
    const unchanged = (await get(`/criteria/rule-sets/${id}`)).json() as RuleSetView;
    expect(unchanged.revision).toBe(1);
  });
});
