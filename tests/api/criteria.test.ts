import fs from 'node:fs';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/schema';
import type { RuleSetView, SheetSummary, SheetView } from '../../src/modules/criteria/contract';
import type { RuleSetInput, SheetInput } from '../../src/modules/criteria/documents';
import { DEFAULT_CRITERIA_DIR } from '../../src/modules/criteria/shipped';
import { createTestContext, type TestContext } from '../support/test-app';

let t: TestContext;
let admin: Record<string, string>;
let officer: Record<string, string>;
let member: Record<string, string>;
let producer: Record<string, string>;

const readData = <T>(file: string): T =>
  JSON.parse(fs.readFileSync(path.join(DEFAULT_CRITERIA_DIR, file), 'utf8')) as T;
const ruleSet26 = () => readData<RuleSetInput>('rule-sets/26-2026.json');
const demoSheet = () => readData<SheetInput>('sheets/26-2026/demo-rau-cu-qua-hat-tuoi.json');

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.as({ role: 'system_admin' })).headers;
  const [commune] = await t.database.db.query.communes.findMany({ limit: 1 });
  officer = (await t.as({ role: 'province_officer', provinceCode: commune?.provinceCode ?? null })).headers;
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

const get = (url: string, headers: Record<string, string> = admin, lang?: string) =>
  t.app.inject({
    method: 'GET',
    url: `/api/v1${url}`,
    headers: lang ? { ...headers, 'accept-language': lang } : headers,
  });
const send = (
  method: 'POST' | 'PATCH',
  url: string,
  payload: unknown,
  headers: Record<string, string> = admin,
  lang?: string,
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers: lang ? { ...headers, 'accept-language': lang } : headers,
    payload: payload as object,
  });

async function ruleSetByCode(code: string, status?: string): Promise<RuleSetView> {
  const list = await get(`/criteria/rule-sets?code=${code}${status ? `&status=${status}` : ''}`);
  const [first] = list.json().items as { id: string }[];
  return (await get(`/criteria/rule-sets/${first!.id}`)).json();
}

async function sheetByCode(code: string): Promise<SheetView> {
  const list = await get('/criteria/sheets');
  const found = (list.json().items as SheetSummary[]).find((s) => s.code === code)!;
  return (await get(`/criteria/sheets/${found.id}`)).json();
}

/** Sets the open minimum of sheets and activates the latest draft of a shipped rule-set. */
async function activateShipped(code: string): Promise<RuleSetView> {
  const draft = await ruleSetByCode(code, 'draft');
  const set = await send('PATCH', `/criteria/rule-sets/${draft.id}/parameters`, {
    version: draft.version,
    minimumSheets: 3,
  });
  expect(set.statusCode).toBe(200);
  const activated = await send('POST', `/criteria/rule-sets/${draft.id}/activate`, {
    version: set.json().version,
  });
  expect(activated.statusCode).toBe(200);
  return activated.json();
}

async function auditActions(entityId: string): Promise<string[]> {
  const rows = await t.database.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.entityId, entityId))
    .orderBy(asc(auditLog.seq));
  return rows.map((r) => r.action);
}

describe('shipped rule-sets and sheets', () => {
  it('loads the four rule-set versions and the two sheets once, as drafts with their reports', async () => {
    const again = await send('POST', '/criteria/shipped', {});
    expect(again.statusCode).toBe(200);
    expect(again.json().ruleSets.map((r: { code: string; created: boolean }) => [r.code, r.created])).toEqual(
      [
        ['1048-2019', false],
        ['148-2023', false],
        ['148-1489-2025', false],
        ['26-2026', false],
      ],
    );
    const list = await get('/criteria/rule-sets');
    expect(list.statusCode).toBe(200);
    const items = list.json().items as {
      code: string;
      status: string;
      errorCount: number;
      revision: number;
    }[];
    expect(items.map((i) => i.code).sort()).toEqual(['1048-2019', '148-1489-2025', '148-2023', '26-2026']);
    for (const item of items) expect(item).toMatchObject({ status: 'draft', errorCount: 1, revision: 1 });
  });

  it('reports the real 1048 sheet: part A = 36 against 35, in Vietnamese and English', async () => {
    const sheet = await sheetByCode('1048-2019.rau-cu-qua-hat-tuoi');
    expect(sheet).toMatchObject({ status: 'draft', demo: false, errorCount: 1, ruleSetCode: '1048-2019' });
    expect(sheet.problems).toEqual([
      {
        code: 'part.maxMismatch',
        severity: 'error',
        path: 'parts.0.maxPoints',
        ref: 'A',
        vi: 'Phần A: tổng điểm tối đa các lựa chọn là 36, khai báo 35.',
        en: 'Part A: the best options sum to 36; 35 is declared.',
      },
    ]);
  });

  it('refuses to activate the real 1048 sheet as it is, naming the problem', async () => {
    await activateShipped('1048-2019');
    const sheet = await sheetByCode('1048-2019.rau-cu-qua-hat-tuoi');
    const vi = await send('POST', `/criteria/sheets/${sheet.id}/activate`, { version: sheet.version });
    expect(vi.statusCode).toBe(409);
    expect(vi.json().error).toEqual({
      code: 'CONFLICT',
      message:
        'Phiếu chấm còn 1 lỗi, không thể kích hoạt: Phần A: tổng điểm tối đa các lựa chọn là 36, khai báo 35.',
      fields: { 'parts.0.maxPoints': 'Phần A: tổng điểm tối đa các lựa chọn là 36, khai báo 35.' },
    });
    const en = await send(
      'POST',
      `/criteria/sheets/${sheet.id}/activate`,
      { version: sheet.version },
      admin,
      'en',
    );
    expect(en.json().error.fields['parts.0.maxPoints']).toBe(
      'Part A: the best options sum to 36; 35 is declared.',
    );
    expect((await sheetByCode('1048-2019.rau-cu-qua-hat-tuoi')).status).toBe('draft');
  });
});

describe('rule-set lifecycle', () => {
  it('refuses to activate while the minimum number of sheets is unset', async () => {
    const draft = await ruleSetByCode('148-2023', 'draft');
    const response = await send('POST', `/criteria/rule-sets/${draft.id}/activate`, {
      version: draft.version,
    });
    expect(response.statusCode).toBe(409);
    expect(Object.keys(response.json().error.fields)).toEqual(['minimumSheets.value']);
  });

  it('sets open parameters on a draft, with optimistic concurrency and an audit entry', async () => {
    const draft = await ruleSetByCode('148-2023', 'draft');
    const stale = await send('PATCH', `/criteria/rule-sets/${draft.id}/parameters`, {
      version: draft.version + 5,
      minimumSheets: 5,
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE');
    const set = await send('PATCH', `/criteria/rule-sets/${draft.id}/parameters`, {
      version: draft.version,
      minimumSheets: 5,
      rounding: { decimals: 1, mode: 'half-up' },
      requirementJudgement: 'all',
      outlierDistance: 12.5,
    });
    expect(set.statusCode).toBe(200);
    const view = set.json() as RuleSetView;
    expect(view).toMatchObject({ errorCount: 0, version: draft.version + 1 });
    expect(view.document.minimumSheets).toEqual({ value: 5, source: 'open' });
    expect(view.document.rounding).toEqual({ decimals: 1, mode: 'half-up', source: 'open' });
    expect(view.document.requirementJudgement).toEqual({ mode: 'all', source: 'open' });
    expect(await auditActions(draft.id)).toEqual([
      'criteria.rule_set.imported',
      'criteria.rule_set.parameters_set',
    ]);
  });

  it('adds no fresh draft when the shipped data is loaded again after the open parameters were set', async () => {
    const before = (await get('/criteria/rule-sets?code=148-2023')).json().items as RuleSetView[];
    expect(before.find((r) => r.revision === 1)?.version).toBeGreaterThan(1);
    const again = await send('POST', '/criteria/shipped', {});
    expect(again.statusCode).toBe(200);
    expect(again.json().ruleSets).toContainEqual({ code: '148-2023', revision: 1, created: false });
    const after = (await get('/criteria/rule-sets?code=148-2023')).json().items as RuleSetView[];
    expect(after.map((r) => r.revision)).toEqual(before.map((r) => r.revision));
  });

  it('refuses parameters the regulation fixes, unknown fields and values out of range', async () => {
    const fixed = {
      ...ruleSet26(),
      code: 'test-fixed',
      rounding: { decimals: 2, mode: 'truncate', source: 'law' },
    };
    const imported = await send('POST', '/criteria/rule-sets', fixed);
    expect(imported.statusCode).toBe(201);
    const { id, version } = imported.json().ruleSet;
    const law = await send('PATCH', `/criteria/rule-sets/${id}/parameters`, {
      version,
      rounding: { decimals: 0, mode: 'half-up' },
    });
    expect(law.statusCode).toBe(400);
    expect(law.json().error.fields.rounding).toBe(
      'Giá trị này do văn bản quy định; muốn sửa hãy nhập bộ tiêu chí đã chỉnh.',
    );
    const unknown = await send('PATCH', `/criteria/rule-sets/${id}/parameters`, {
      version,
      certificateValidityMonths: 24,
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields).toHaveProperty('certificateValidityMonths');
    const range = await send('PATCH', `/criteria/rule-sets/${id}/parameters`, { version, minimumSheets: 0 });
    expect(range.statusCode).toBe(400);
    expect(range.json().error.fields).toHaveProperty('minimumSheets');
  });

  it('keeps one active revision per code: activating a new revision retires the old one', async () => {
    const first = await activateShipped('26-2026');
    expect(first).toMatchObject({ status: 'active', revision: 1 });
    const changed = { ...ruleSet26(), minimumSheets: { value: 4, source: 'open' } };
    const imported = await send('POST', '/criteria/rule-sets', changed);
    expect(imported.statusCode).toBe(201);
    expect(imported.json()).toMatchObject({
      created: true,
      ruleSet: { revision: 2, status: 'draft', errorCount: 0 },
    });
    const same = await send('POST', '/criteria/rule-sets', changed);
    expect(same.statusCode).toBe(200);
    expect(same.json()).toMatchObject({ created: false, ruleSet: { id: imported.json().ruleSet.id } });
    const second = imported.json().ruleSet as RuleSetView;
    const activated = await send('POST', `/criteria/rule-sets/${second.id}/activate`, {
      version: second.version,
    });
    expect(activated.statusCode).toBe(200);
    const revisions = (await get('/criteria/rule-sets?code=26-2026')).json().items as {
      revision: number;
      status: string;
    }[];
    expect(revisions.map((r) => [r.revision, r.status])).toEqual([
      [2, 'active'],
      [1, 'retired'],
    ]);
    expect(await auditActions(first.id)).toContain('criteria.rule_set.retired');
    // A retired revision is final: it cannot come back.
    const again = await send('POST', `/criteria/rule-sets/${first.id}/activate`, {
      version: first.version + 1,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe('Chỉ bộ tiêu chí ở trạng thái nháp mới kích hoạt được.');
  });

  it('answers one of two simultaneous activations of the same draft with STALE', async () => {
    const draft = (
      await send('POST', '/criteria/rule-sets', {
        ...ruleSet26(),
        code: 'test-race',
        minimumSheets: { value: 3, source: 'open' },
      })
    ).json().ruleSet as RuleSetView;
    const [a, b] = await Promise.all([
      send('POST', `/criteria/rule-sets/${draft.id}/activate`, { version: draft.version }),
      send('POST', `/criteria/rule-sets/${draft.id}/activate`, { version: draft.version }),
    ]);
    expect([a.statusCode, b.statusCode].sort()).toEqual([200, 409]);
    const active = (await get('/criteria/rule-sets?code=test-race&status=active')).json().items;
    expect(active).toHaveLength(1);
  });

  it('retires once, and refuses a second retirement', async () => {
    const draft = (await send('POST', '/criteria/rule-sets', { ...ruleSet26(), code: 'test-retire' })).json()
      .ruleSet as RuleSetView;
    const retired = await send('POST', `/criteria/rule-sets/${draft.id}/retire`, { version: draft.version });
    expect(retired.statusCode).toBe(200);
    expect(retired.json().status).toBe('retired');
    const twice = await send('POST', `/criteria/rule-sets/${draft.id}/retire`, {
      version: draft.version + 1,
    });
    expect(twice.statusCode).toBe(409);
  });
});

describe('sheets', () => {
  it('activates the labelled demo sheet on a demo installation against the active rule-set', async () => {
    const sheet = await sheetByCode('26-2026.demo.1');
    expect(sheet).toMatchObject({ demo: true, errorCount: 0 });
    expect(sheet.title.vi).toContain('Phiếu minh hoạ (không phải văn bản chính thức)');
    const activated = await send('POST', `/criteria/sheets/${sheet.id}/activate`, { version: sheet.version });
    expect(activated.statusCode).toBe(200);
    const active = await get('/criteria/rule-sets?code=26-2026&status=active');
    expect(activated.json()).toMatchObject({ status: 'active', validatedAgainst: active.json().items[0].id });
    expect(await auditActions(sheet.id)).toEqual(['criteria.sheet.imported', 'criteria.sheet.activated']);
  });

  it('retires the active sheet of the same product set when a new revision is activated', async () => {
    const changed = demoSheet();
    changed.guidance = { vi: 'Hướng dẫn mới (minh hoạ).' };
    const imported = await send('POST', '/criteria/sheets', changed);
    expect(imported.statusCode).toBe(201);
    const second = imported.json().sheet as SheetView;
    expect(second).toMatchObject({ revision: 2, status: 'draft' });
    const activated = await send('POST', `/criteria/sheets/${second.id}/activate`, {
      version: second.version,
    });
    expect(activated.statusCode).toBe(200);
    const list = (await get('/criteria/sheets?ruleSetCode=26-2026&productSetCode=1')).json()
      .items as SheetSummary[];
    expect(list.map((s) => [s.revision, s.status])).toEqual([
      [2, 'active'],
      [1, 'retired'],
    ]);
  });

  it('refuses to activate a sheet whose rule-set is not active', async () => {
    const sheet = { ...demoSheet(), code: 'test-148-demo', ruleSet: '148-1489-2025' };
    const imported = await send('POST', '/criteria/sheets', sheet);
    expect(imported.statusCode).toBe(201);
    const view = imported.json().sheet as SheetView;
    expect(view.errorCount).toBe(0);
    const response = await send('POST', `/criteria/sheets/${view.id}/activate`, { version: view.version });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toBe(
      'Bộ tiêu chí "148-1489-2025" chưa được kích hoạt; hãy kích hoạt bộ tiêu chí trước.',
    );
  });

  it('refuses a sheet for an unknown rule-set, a reused code, and malformed documents with field paths', async () => {
    const unknown = await send('POST', '/criteria/sheets', {
      ...demoSheet(),
      code: 'x',
      ruleSet: 'khong-co',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields.ruleSet).toBe(
      'Chưa có bộ tiêu chí "khong-co"; hãy nhập bộ tiêu chí trước.',
    );
    const reused = demoSheet();
    reused.productSet = { ...reused.productSet!, code: '7' };
    const conflict = await send('POST', '/criteria/sheets', reused);
    expect(conflict.statusCode).toBe(400);
    expect(conflict.json().error.fields).toHaveProperty('code');
    const malformed = demoSheet() as unknown as { parts: { groups: { criteria: { code: string }[] }[] }[] };
    malformed.parts[0]!.groups[0]!.criteria[0]!.code = 'mã có dấu';
    const bad = await send('POST', '/criteria/sheets', malformed);
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toHaveProperty(['parts.0.groups.0.criteria.0.code']);
    const notJson = await t.app.inject({
      method: 'POST',
      url: '/api/v1/criteria/rule-sets',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"code": ',
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('MALFORMED_JSON');
  });

  it('stores an invalid sheet as a draft with its precise report', async () => {
    const broken = demoSheet() as unknown as {
      code: string;
      parts: { groups: { criteria: { options?: unknown[]; code: string }[] }[] }[];
    };
    broken.code = 'test-broken';
    broken.parts[1]!.groups[0]!.criteria[0]!.options = [];
    broken.parts[2]!.groups[0]!.criteria[1]!.code = 'C1.1';
    const response = await send('POST', '/criteria/sheets', broken);
    expect(response.statusCode).toBe(201);
    const view = response.json().sheet as SheetView;
    expect(view.problems.map((p) => [p.code, p.path])).toEqual([
      ['criterion.noOptions', 'parts.1.groups.0.criteria.0.options'],
      ['group.maxMismatch', 'parts.1.groups.0.maxPoints'],
      ['part.maxMismatch', 'parts.1.maxPoints'],
      ['code.duplicate', 'parts.2.groups.0.criteria.1.code'],
    ]);
  });
});

describe('export and bundles', () => {
  it('exports a rule-set with its sheets and re-imports the bundle without adding anything', async () => {
    const active = await ruleSetByCode('26-2026', 'active');
    const exported = await get(`/criteria/rule-sets/${active.id}/export`, officer);
    expect(exported.statusCode).toBe(200);
    expect(exported.headers['content-disposition']).toBe('attachment; filename="criteria-26-2026.json"');
    const bundle = exported.json();
    expect(bundle.ruleSet).toMatchObject({ code: '26-2026', status: 'active' });
    // Per sheet code: the active revision, else the latest (the broken draft imported above).
    expect(bundle.sheets.map((s: { code: string; status: string }) => [s.code, s.status])).toEqual([
      ['26-2026.demo.1', 'active'],
      ['test-broken', 'draft'],
    ]);
    const reimported = await send('POST', '/criteria/bundles', bundle);
    expect(reimported.statusCode).toBe(200);
    expect(reimported.json().ruleSet.created).toBe(false);
    expect(reimported.json().sheets.map((s: { created: boolean }) => s.created)).toEqual([false, false]);
  });

  it('exports one sheet as its document', async () => {
    const sheet = await sheetByCode('1048-2019.rau-cu-qua-hat-tuoi');
    const exported = await get(`/criteria/sheets/${sheet.id}/export`, member);
    expect(exported.statusCode).toBe(200);
    expect(exported.json()).toMatchObject({ code: '1048-2019.rau-cu-qua-hat-tuoi', status: 'draft' });
  });

  it('imports a bundle in one transaction: a bad sheet leaves nothing stored', async () => {
    const bundle = {
      ruleSet: { ...ruleSet26(), code: 'test-bundle' },
      sheets: [{ ...demoSheet(), code: 'test-bundle.1', ruleSet: 'another' }],
    };
    const response = await send('POST', '/criteria/bundles', bundle);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields).toHaveProperty(['sheets.0.ruleSet']);
    expect((await get('/criteria/rule-sets?code=test-bundle')).json().items).toEqual([]);
  });
});

describe('access', () => {
  it('lets officers and council members read, and only administrators write', async () => {
    expect((await get('/criteria/rule-sets', officer)).statusCode).toBe(200);
    expect((await get('/criteria/sheets', member)).statusCode).toBe(200);
    expect((await get('/criteria/rule-sets', producer)).statusCode).toBe(403);
    const write = await send('POST', '/criteria/rule-sets', ruleSet26(), officer);
    expect(write.statusCode).toBe(403);
    const memberWrite = await send('POST', '/criteria/shipped', {}, member);
    expect(memberWrite.statusCode).toBe(403);
    const anonymous = await t.app.inject({ method: 'GET', url: '/api/v1/criteria/rule-sets' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('answers unknown and malformed ids with 404 and 400', async () => {
    const missing = await get('/criteria/rule-sets/00000000-0000-4000-8000-000000000000');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().error.message).toBe('Không tìm thấy bộ tiêu chí.');
    const malformed = await get('/criteria/sheets/not-a-uuid');
    expect(malformed.statusCode).toBe(400);
    const badQuery = await get('/criteria/sheets?status=cancelled');
    expect(badQuery.statusCode).toBe(400);
  });
});

describe('a production installation', () => {
  it('refuses to activate a demo sheet', async () => {
    const prod = await createTestContext({ OCOP_DEMO: '0' });
    try {
      const headers = (await prod.as({ role: 'system_admin' })).headers;
      const call = (method: 'POST' | 'PATCH', url: string, payload: unknown) =>
        prod.app.inject({ method, url: `/api/v1${url}`, headers, payload: payload as object });
      expect((await call('POST', '/criteria/shipped', {})).statusCode).toBe(200);
      const rs = (
        await prod.app.inject({ method: 'GET', url: '/api/v1/criteria/rule-sets?code=26-2026', headers })
      ).json().items[0];
      const set = await call('PATCH', `/criteria/rule-sets/${rs.id}/parameters`, {
        version: rs.version,
        minimumSheets: 3,
      });
      expect(
        (await call('POST', `/criteria/rule-sets/${rs.id}/activate`, { version: set.json().version }))
          .statusCode,
      ).toBe(200);
      const sheets = (
        await prod.app.inject({ method: 'GET', url: '/api/v1/criteria/sheets?ruleSetCode=26-2026', headers })
      ).json().items as SheetSummary[];
      const demo = sheets.find((s) => s.demo)!;
      const refused = await call('POST', `/criteria/sheets/${demo.id}/activate`, { version: demo.version });
      expect(refused.statusCode).toBe(409);
      expect(refused.json().error.message).toBe(
        'Phiếu minh hoạ chỉ được kích hoạt trên bản cài đặt minh hoạ.',
      );
    } finally {
      await prod.close();
    }
  });
});
