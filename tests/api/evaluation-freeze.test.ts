import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleSetView, SheetSummary } from '../../src/modules/criteria/contract';
import type { RuleSetInput, Sheet } from '../../src/modules/criteria/documents';
import { DEFAULT_CRITERIA_DIR } from '../../src/modules/criteria/shipped';
import type { CycleView, DossierView, ResultView } from '../../src/modules/evaluation/contract';
import { localDate } from '../../src/shared/dates';
import { insertProduct, insertSubject } from '../support/db-factories';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * A cycle keeps the rule-set revision it was opened under when a new revision is activated later;
 * officers acting at once move a dossier once; bad input on the council, scoring and decision
 * routes is refused by field. Separate from evaluation.test.ts because it replaces the active
 * 26/2026 revision.
 */
type Headers = Record<string, string>;
const NB = '37';
const NB_A = '13285';
const NEXT_YEAR = Number(localDate(new Date(), 'Asia/Ho_Chi_Minh').slice(0, 4)) + 1;

let t: TestContext;
let admin: Headers;
let officer: Headers;
let commune: Headers;
let producer: Headers;
let subjectId: string;
const members: { id: string; headers: Headers }[] = [];

const api = (method: 'GET' | 'POST' | 'PUT' | 'PATCH', url: string, headers: Headers, payload?: unknown) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

async function ok<T>(promise: ReturnType<typeof api>, status = 200): Promise<T> {
  const response = await promise;
  expect(response.statusCode, response.body).toBe(status);
  return response.json() as T;
}

const readData = <T>(file: string): T =>
  JSON.parse(fs.readFileSync(path.join(DEFAULT_CRITERIA_DIR, file), 'utf8')) as T;
const sheet = readData<Sheet>('sheets/26-2026/demo-rau-cu-qua-hat-tuoi.json');

async function activateDraft(code: string, minimumSheets: number): Promise<RuleSetView> {
  const list = await ok<{ items: { id: string }[] }>(
    api('GET', `/criteria/rule-sets?code=${code}&status=draft`, admin),
  );
  const draft = await ok<RuleSetView>(api('GET', `/criteria/rule-sets/${list.items[0]!.id}`, admin));
  const set = await ok<RuleSetView>(
    api('PATCH', `/criteria/rule-sets/${draft.id}/parameters`, admin, {
      version: draft.version,
      minimumSheets,
    }),
  );
  return ok<RuleSetView>(
    api('POST', `/criteria/rule-sets/${draft.id}/activate`, admin, { version: set.version }),
  );
}

/** The best option of every leaf: 100 points. */
function bestAnswers(): Record<string, string> {
  const answers: Record<string, string> = {};
  const walk = (criteria: NonNullable<Sheet['parts'][number]['groups'][number]['criteria']>) => {
    for (const c of criteria) {
      if (c.criteria?.length) walk(c.criteria);
      else answers[c.code] = [...(c.options ?? [])].sort((a, b) => b.points - a.points)[0]!.code;
    }
  };
  for (const part of sheet.parts) for (const group of part.groups) walk(group.criteria);
  return answers;
}

const PDF = Buffer.from('%PDF-1.4\n%%EOF\n');
function upload(dossierId: string, item: string) {
  const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n`),
    PDF,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/evaluation/dossiers/${dossierId}/documents?item=${item}`,
    headers: { ...producer, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

let round = 0;
async function newCycle(): Promise<CycleView> {
  round++;
  return ok<CycleView>(
    api('POST', '/evaluation/cycles', officer, {
      level: 'province',
      year: NEXT_YEAR,
      round,
      ruleSetCode: '26-2026',
      submissionDeadline: `${NEXT_YEAR}-06-30`,
    }),
    201,
  );
}

async function precheckedDossier(cycleId: string): Promise<string> {
  const productId = await insertProduct(t, subjectId, NB_A, `Rau ${randomUUID().slice(0, 6)}`, '1');
  const d = await ok<DossierView>(
    api('POST', `/evaluation/cycles/${cycleId}/dossiers`, producer, {
      productId,
      evaluationType: 'new',
    }),
    201,
  );
  const f = await ok<DossierView>(
    api('PUT', `/evaluation/dossiers/${d.id}/registration-form`, producer, {
      version: d.version,
      form: { applicantName: 'Lê Văn Hùng', phone: '0987654321', productName: 'Rau' },
    }),
  );
  await ok(
    api('PUT', `/evaluation/dossiers/${d.id}/self-assessment`, producer, {
      version: f.version,
      answers: bestAnswers(),
    }),
  );
  for (const item of ['mau-01', 'mau-02', 'dang-ky-kinh-doanh', 'mau-san-pham']) {
    expect((await upload(d.id, item)).statusCode).toBe(201);
  }
  await ok(api('POST', `/evaluation/dossiers/${d.id}/submit`, producer, {}));
  await ok(api('POST', `/evaluation/dossiers/${d.id}/precheck`, commune, {}));
  return d.id;
}

beforeAll(async () => {
  t = await createTestContext();
  const _db = t.database.db;
  subjectId = await insertSubject(t, 'HTX Rau Phủ Lý', NB_A);
  admin = (await t.as({ role: 'system_admin' })).headers;
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  commune = (await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: NB_A })).headers;
  producer = (await t.as({ role: 'producer', subjectIds: [subjectId] })).headers;
  for (let i = 0; i < 3; i++) {
    const { user, headers } = await t.as({ role: 'council_member' });
    members.push({ id: user.id, headers });
  }
  await activateDraft('26-2026', 3);
  const sheets = await ok<{ items: SheetSummary[] }>(
    api('GET', '/criteria/sheets?ruleSetCode=26-2026', admin),
  );
  const demo = sheets.items.find((s) => s.status === 'draft')!;
  await ok(api('POST', `/criteria/sheets/${demo.id}/activate`, admin, { version: demo.version }));
});
afterAll(async () => t.close());

describe('a frozen rule-set', () => {
  it('keeps an open cycle on its revision when a new revision is activated', async () => {
    const before = await newCycle();
    expect(before.ruleSet.revision).toBe(1);
    const dossierId = await precheckedDossier(before.id);
    // A corrected 26/2026 document is imported and activated with a lower minimum of sheets.
    const corrected: RuleSetInput = {
      ...readData<RuleSetInput>('rule-sets/26-2026.json'),
      notes: [{ vi: 'Bản sửa đổi kiểm thử', en: 'Test amendment' }],
    };
    await ok(api('POST', '/criteria/rule-sets', admin, corrected), 201);
    const revision2 = await activateDraft('26-2026', 1);
    expect(revision2.revision).toBe(2);
    const after = await newCycle();
    expect(after.ruleSet.revision).toBe(2);
    expect(
      (await ok<CycleView>(api('GET', `/evaluation/cycles/${before.id}`, officer))).ruleSet.revision,
    ).toBe(1);

    // Two sheets: valid under revision 2 (minimum 1), invalid under the frozen revision 1 (minimum 3).
    await ok(api('POST', `/evaluation/dossiers/${dossierId}/accept`, officer, {}));
    const council = await ok<{ id: string; members: { id: string }[] }>(
      api('POST', `/evaluation/cycles/${before.id}/councils`, officer, { name: 'Hội đồng tỉnh' }),
      201,
    );
    for (const [i, role] of ['chair', 'member', 'member'].entries()) {
      await ok(
        api('POST', `/evaluation/councils/${council.id}/members`, officer, { userId: members[i]!.id, role }),
      );
    }
    await ok(api('POST', `/evaluation/dossiers/${dossierId}/assign`, officer, { councilId: council.id }));
    for (const m of members.slice(0, 2)) {
      await ok(
        api('PUT', `/evaluation/dossiers/${dossierId}/my-sheet`, m.headers, { answers: bestAnswers() }),
      );
      await ok(api('POST', `/evaluation/dossiers/${dossierId}/my-sheet/submit`, m.headers, {}));
    }
    const result = await ok<ResultView>(
      api('POST', `/evaluation/dossiers/${dossierId}/close-scoring`, members[0]!.headers, {}),
    );
    expect(result).toMatchObject({ minimumSheets: 3, sheetCount: 2, valid: false, outcome: 'invalid' });
  });
});

describe('concurrency and bad input', () => {
  it('moves a dossier once when two officers accept it at the same instant', async () => {
    const cycle = await newCycle();
    const id = await precheckedDossier(cycle.id);
    const other = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
    const both = await Promise.all([
      api('POST', `/evaluation/dossiers/${id}/accept`, officer, {}),
      api('POST', `/evaluation/dossiers/${id}/accept`, other, {}),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const dossier = await ok<DossierView>(api('GET', `/evaluation/dossiers/${id}`, officer));
    expect(dossier.transitions.filter((x) => x.action === 'accept')).toHaveLength(1);
  });

  it('refuses bad input by field on councils, scoring and decisions, never with a 500', async () => {
    const cycle = await newCycle();
    const id = await precheckedDossier(cycle.id);
    const cases: [string, string, Headers, unknown, string[]][] = [
      ['POST', `/evaluation/cycles/${cycle.id}/councils`, officer, { name: '' }, ['name']],
      ['POST', `/evaluation/cycles/${cycle.id}/councils`, officer, { name: 'x'.repeat(301) }, ['name']],
      [
        'POST',
        `/evaluation/councils/${randomUUID()}/members`,
        officer,
        { userId: 'me', role: 'member' },
        ['userId'],
      ],
      ['POST', `/evaluation/dossiers/${id}/assign`, officer, { councilId: 12 }, ['councilId']],
      ['POST', `/evaluation/dossiers/${id}/conflicts`, members[0]!.headers, { reason: '  ' }, ['reason']],
      [
        'POST',
        `/evaluation/dossiers/${id}/conflicts`,
        members[0]!.headers,
        { reason: 'a\u0007b' },
        ['reason'],
      ],
      [
        'PUT',
        `/evaluation/dossiers/${id}/my-sheet`,
        members[0]!.headers,
        { answers: { 'A1.1': 5 } },
        ['answers.A1.1'],
      ],
      ['PUT', `/evaluation/dossiers/${id}/my-sheet`, members[0]!.headers, { answers: [] }, ['answers']],
      [
        'POST',
        `/evaluation/dossiers/${id}/close-scoring`,
        members[0]!.headers,
        { disqualifiers: ['bad code!'] },
        ['disqualifiers.0'],
      ],
      [
        'POST',
        `/evaluation/dossiers/${id}/reopen-sheet`,
        members[0]!.headers,
        { memberId: 'x', reason: 'r' },
        ['memberId'],
      ],
      ['POST', `/evaluation/dossiers/${id}/return`, officer, { reason: 5 }, ['reason']],
      [
        'POST',
        `/evaluation/cycles/${cycle.id}/decisions`,
        officer,
        {
          number: '1/QĐ',
          decisionDate: '2027-02-30',
          signerName: 'A',
          signerTitle: 'B',
          items: [{ dossierId: id, star: 2 }],
        },
        ['decisionDate', 'items.0.star'],
      ],
      [
        'POST',
        `/evaluation/cycles/${cycle.id}/decisions`,
        officer,
        { number: '1/QĐ', decisionDate: '2027-02-01', signerName: 'A', signerTitle: 'B', items: [] },
        ['items'],
      ],
    ];
    for (const [method, url, headers, payload, fields] of cases) {
      const response = await api(method as 'POST', url, headers, payload);
      expect([url, response.statusCode], response.body).toEqual([url, 400]);
      expect(Object.keys(response.json().error.fields).sort(), url).toEqual(fields);
    }
    const malformed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/evaluation/dossiers/${id}/accept`,
      headers: { ...officer, 'content-type': 'application/json' },
      payload: '{"version":',
    });
    expect(malformed.statusCode).toBe(400);
  });
});
