import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RuleSetView, SheetSummary } from '../../src/modules/criteria/contract';
import type { CycleView, DossierView } from '../../src/modules/evaluation/contract';
import { localDate } from '../../src/shared/dates';
import { insertProduct, insertSubject } from '../support/db-factories';
import { UNITS } from '../support/factories';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * GET /evaluation/my-dossiers: a producer's own dossiers across cycles, with their cycle, newest
 * first; filtered by state and paged; other producers' dossiers never appear; other roles refused.
 */
const NB: string = UNITS.ninhBinh;
const NB_A: string = UNITS.ninhBinhCommuneA;
const NEXT_YEAR = Number(localDate(new Date(), 'Asia/Ho_Chi_Minh').slice(0, 4)) + 1;

type Headers = Record<string, string>;
type MyPage = {
  items: (Omit<DossierView, 'sheet'> & {
    cycle: { id: string; name: string; year: number; round: number };
  })[];
  total: number;
  page: number;
  pageSize: number;
};

let t: TestContext;
let admin: Headers;
let officer: Headers;
let producerA: Headers;
let producerB: Headers;
let producerAName: string;
let subjectA: string;
let subjectB: string;

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers, payload?: unknown) =>
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

let round = 0;
const newCycle = () =>
  ok<CycleView>(
    api('POST', '/evaluation/cycles', officer, {
      level: 'province',
      year: NEXT_YEAR,
      round: ++round,
      ruleSetCode: '26-2026',
      submissionDeadline: `${NEXT_YEAR}-06-30`,
    }),
    201,
  );

const newDossier = (cycleId: string, productId: string, headers: Headers, evaluationType = 'new') =>
  ok<DossierView>(
    api('POST', `/evaluation/cycles/${cycleId}/dossiers`, headers, { productId, evaluationType }),
    201,
  );

let first: DossierView;
let second: DossierView;
let cycleOne: CycleView;
let cycleTwo: CycleView;

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.as({ role: 'system_admin' })).headers;
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  subjectA = await insertSubject(t, 'HTX Rau sạch Phủ Lý', NB_A);
  subjectB = await insertSubject(t, 'HTX Rau mầm Phù Vân', NB_A);
  const a = await t.as({ role: 'producer', subjectIds: [subjectA] });
  producerA = a.headers;
  producerAName = a.user.fullName;
  producerB = (await t.as({ role: 'producer', subjectIds: [subjectB] })).headers;

  const drafts = await ok<{ items: { id: string }[] }>(
    api('GET', '/criteria/rule-sets?code=26-2026&status=draft', admin),
  );
  const draft = await ok<RuleSetView>(api('GET', `/criteria/rule-sets/${drafts.items[0]!.id}`, admin));
  const set = await ok<RuleSetView>(
    api('PATCH', `/criteria/rule-sets/${draft.id}/parameters`, admin, {
      version: draft.version,
      minimumSheets: 3,
    }),
  );
  await ok(api('POST', `/criteria/rule-sets/${draft.id}/activate`, admin, { version: set.version }));
  const sheets = await ok<{ items: SheetSummary[] }>(api('GET', '/criteria/sheets', admin));
  const sheet = sheets.items.find((s) => s.code === '26-2026.demo.1' && s.status === 'draft')!;
  await ok(api('POST', `/criteria/sheets/${sheet.id}/activate`, admin, { version: sheet.version }));

  cycleOne = await newCycle();
  cycleTwo = await newCycle();
  const productA = await insertProduct(t, subjectA, NB_A, `Rau cải mầm ${randomUUID().slice(0, 6)}`, '1');
  const productB = await insertProduct(t, subjectB, NB_A, `Rau cải mầm ${randomUUID().slice(0, 6)}`, '1');
  first = await newDossier(cycleOne.id, productA, producerA);
  second = await newDossier(cycleTwo.id, productA, producerA, 're_evaluation');
  await newDossier(cycleOne.id, productB, producerB);
  await ok(api('POST', `/evaluation/dossiers/${second.id}/withdraw`, producerA, { reason: 'Chưa sẵn sàng' }));
});
afterAll(async () => t.close());

describe('GET /evaluation/my-dossiers', () => {
  it("lists the producer's own dossiers across cycles, newest first, with their cycle", async () => {
    const page = await ok<MyPage>(api('GET', '/evaluation/my-dossiers', producerA));
    expect(page.total).toBe(2);
    expect(page.items.map((d) => d.id)).toEqual([second.id, first.id]);
    expect(page.items[0]).toMatchObject({
      state: 'withdrawn',
      evaluationType: 're_evaluation',
      subjectId: subjectA,
      cycle: {
        id: cycleTwo.id,
        name: cycleTwo.name,
        year: NEXT_YEAR,
        round: cycleTwo.round,
        level: 'province',
      },
    });
    expect(page.items[1]!.cycle.id).toBe(cycleOne.id);
    const other = await ok<MyPage>(api('GET', '/evaluation/my-dossiers', producerB));
    expect(other.total).toBe(1);
    expect(other.items[0]!.subjectId).toBe(subjectB);
  });

  it('filters by state and pages', async () => {
    const drafts = await ok<MyPage>(api('GET', '/evaluation/my-dossiers?state=draft', producerA));
    expect(drafts.items.map((d) => d.id)).toEqual([first.id]);
    const paged = await ok<MyPage>(api('GET', '/evaluation/my-dossiers?page=2&pageSize=1', producerA));
    expect(paged).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(paged.items.map((d) => d.id)).toEqual([first.id]);
  });

  it('answers an empty page to a producer who represents no subject', async () => {
    const { headers } = await t.as({ role: 'producer', subjectIds: [] });
    expect(await ok<MyPage>(api('GET', '/evaluation/my-dossiers', headers))).toEqual({
      items: [],
      total: 0,
      page: 1,
      pageSize: 20,
    });
  });

  it('refuses bad input by name', async () => {
    for (const query of ['state=nonsense', 'pageSize=500', 'page=0', 'cycleId=x']) {
      const response = await api('GET', `/evaluation/my-dossiers?${query}`, producerA);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION');
    }
  });

  it('is for producers only', async () => {
    for (const role of ['system_admin', 'province_officer', 'commune_officer', 'council_member'] as const) {
      const { headers } = await t.as({ role, provinceCode: role.endsWith('officer') ? NB : null });
      expect((await api('GET', '/evaluation/my-dossiers', headers)).statusCode, role).toBe(403);
    }
    expect((await api('GET', '/evaluation/my-dossiers', {})).statusCode).toBe(401);
  });
});

describe('GET /evaluation/dossiers/:id history', () => {
  it('names the person who made each step', async () => {
    const dossier = await ok<DossierView>(api('GET', `/evaluation/dossiers/${second.id}`, producerA));
    expect(dossier.transitions.map((x) => [x.action, x.actorName])).toEqual([
      ['create', producerAName],
      ['withdraw', producerAName],
    ]);
    const seen = await ok<DossierView>(api('GET', `/evaluation/dossiers/${second.id}`, officer));
    expect(seen.transitions.at(-1)).toMatchObject({
      action: 'withdraw',
      actorName: producerAName,
      reason: 'Chưa sẵn sàng',
    });
  });
});
