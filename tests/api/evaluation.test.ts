import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, asc, eq } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/schema';
import { verifyAuditChain } from '../../src/modules/audit/service';
import type { Sheet, SheetInput } from '../../src/modules/criteria/documents';
import { DEFAULT_CRITERIA_DIR } from '../../src/modules/criteria/shipped';
import type {
  AdvisoryReviewView,
  CycleView,
  DossierView,
  MySheetView,
  ResultView,
} from '../../src/modules/evaluation/contract';
import { evaluationScoreSheets } from '../../src/modules/evaluation/schema';
import { localDate } from '../../src/shared/dates';
import { insertProduct as insertProductRow, insertSubject } from '../support/db-factories';
import { activateShippedRuleSet, activateShippedSheet, injectCaller, UNITS } from '../support/factories';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * Evaluation over HTTP, on the embedded database and on PostgreSQL: cycles freezing their rule-set,
 * dossiers through the state machine (with and without the commune pre-check), documents, councils,
 * member scoring (privacy, conflicts, locking, a concurrent double submit), results computed by the
 * engine, reopening, publication, the forwarded list and recognition decisions; scope by role,
 * province, commune, subject and council seat; bad input on every write.
 */
const MAX_UPLOAD = 60_000;
const NB: string = UNITS.ninhBinh;
const HY: string = UNITS.hungYen;
const NB_A: string = UNITS.ninhBinhCommuneA;
const NB_B: string = UNITS.ninhBinhCommuneB;
const HY_A: string = UNITS.hungYenCommune;

type Headers = Record<string, string>;
let t: TestContext;
let admin: Headers;
let nbOfficer: Headers;
let hyOfficer: Headers;
let communeA: Headers;
let communeB: Headers;
let producerA: Headers;
let producerB: Headers;
let producerHy: Headers;
const people: Record<string, { id: string; headers: Headers }> = {};
let subjectA: string;
let subjectB: string;
let subjectHy: string;
let demoSheet: Sheet;

const TODAY = localDate(new Date(), 'Asia/Ho_Chi_Minh');
const THIS_YEAR = Number(TODAY.slice(0, 4));
const NEXT_YEAR = THIS_YEAR + 1;

const api = (
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
  url: string,
  headers: Headers,
  payload?: unknown,
) =>
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

/** Fresh vegetables (set 1) by default: the demo sheet activated below scores that set. */
const insertProduct = (subjectId: string, communeCode: string, categoryCode = '1') =>
  insertProductRow(t, subjectId, communeCode, `Rau cải mầm ${randomUUID().slice(0, 6)}`, categoryCode);

beforeAll(async () => {
  t = await createTestContext({ UPLOAD_MAX_BYTES: String(MAX_UPLOAD) });
  subjectA = await insertSubject(t, 'HTX Rau sạch Phủ Lý', NB_A);
  subjectB = await insertSubject(t, 'HTX Rau mầm Phù Vân', NB_B);
  subjectHy = await insertSubject(t, 'HTX Nhãn Phố Hiến', HY_A);
  admin = (await t.as({ role: 'system_admin' })).headers;
  nbOfficer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  hyOfficer = (await t.as({ role: 'province_officer', provinceCode: HY })).headers;
  communeA = (await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: NB_A })).headers;
  communeB = (await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: NB_B })).headers;
  producerA = (await t.as({ role: 'producer', subjectIds: [subjectA] })).headers;
  producerB = (await t.as({ role: 'producer', subjectIds: [subjectB] })).headers;
  producerHy = (await t.as({ role: 'producer', subjectIds: [subjectHy] })).headers;
  for (const name of ['chair', 'm1', 'm2', 'm3', 'advisory', 'otherCouncil', 'outsider', 'chair2']) {
    const { user, headers } = await t.as({ role: 'council_member' });
    people[name] = { id: user.id, headers };
  }
  const asAdmin = injectCaller(t.app, admin);
  await activateShippedRuleSet(asAdmin, '26-2026', 3);
  await activateShippedSheet(asAdmin, '26-2026.demo.1');
  demoSheet = readData<Sheet>('sheets/26-2026/demo-rau-cu-qua-hat-tuoi.json');
  // 148/2023 has no shipped sheet: a test copy of the demo sheet's tree, for a cycle without the commune pre-check.
  await activateShippedRuleSet(asAdmin, '148-2023', 3);
  const sheet148: SheetInput = {
    ...readData<SheetInput>('sheets/26-2026/demo-rau-cu-qua-hat-tuoi.json'),
    code: '148-2023.kiem-thu.1',
    ruleSet: '148-2023',
    demo: false,
    title: { vi: 'Phiếu kiểm thử tự động', en: 'Automated test sheet' },
    provenance: { source: 'tests/api/evaluation.test.ts' },
  };
  await ok(api('POST', '/criteria/sheets', admin, sheet148), 201);
  await activateShippedSheet(asAdmin, '148-2023.kiem-thu.1');
});
afterAll(async () => t.close());

// ---------------------------------------------------------------- helpers

let roundCounter = 0;
async function newCycle(over: Record<string, unknown> = {}, headers = nbOfficer): Promise<CycleView> {
  roundCounter++;
  return ok<CycleView>(
    api('POST', '/evaluation/cycles', headers, {
      level: 'province',
      year: NEXT_YEAR,
      round: roundCounter,
      ruleSetCode: '26-2026',
      submissionDeadline: `${NEXT_YEAR}-06-30`,
      meetingDate: `${NEXT_YEAR}-07-15`,
      ...over,
    }),
    201,
  );
}

/** Every leaf criterion of the demo sheet with its options, in sheet order. */
function leaves(sheet: Sheet) {
  const out: { code: string; options: { code: string; points: number }[] }[] = [];
  const walk = (criteria: NonNullable<Sheet['parts'][number]['groups'][number]['criteria']>) => {
    for (const c of criteria) {
      if (c.criteria?.length) walk(c.criteria);
      else out.push({ code: c.code, options: [...(c.options ?? [])].sort((a, b) => b.points - a.points) });
    }
  };
  for (const part of sheet.parts) for (const group of part.groups) walk(group.criteria);
  return out;
}

/**
 * Answers worth exactly `total` points that keep every star requirement of the demo sheet met
 * (A1.3 > 0, C2.1 ≥ 7, C2.2 > 0): lowers options of the other criteria from the best answer.
 */
function answersWorth(total: number): Record<string, string> {
  const keep = new Set(['A1.3', 'C2.1', 'C2.2']);
  let reduce = 100 - total;
  const answers: Record<string, string> = {};
  for (const leaf of leaves(demoSheet)) {
    const best = leaf.options[0]!;
    let chosen = best;
    if (!keep.has(leaf.code)) {
      for (const option of leaf.options) if (best.points - option.points <= reduce) chosen = option;
    }
    reduce -= best.points - chosen.points;
    answers[leaf.code] = chosen.code;
  }
  expect(reduce).toBe(0);
  return answers;
}

const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n');

function multipart(filename: string, content: Buffer) {
  const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

function upload(headers: Headers, dossierId: string, item: string, content: Buffer, filename = 'ho-so.pdf') {
  const body = multipart(filename, content);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/evaluation/dossiers/${dossierId}/documents?item=${item}`,
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
  });
}

const REQUIRED_ITEMS = ['mau-01', 'mau-02', 'dang-ky-kinh-doanh', 'mau-san-pham'];
const FORM = { applicantName: 'Nguyễn Thị Lan', phone: '0912 345 678', productName: 'Rau cải mầm' };

async function getDossier(id: string, headers: Headers = nbOfficer) {
  return ok<DossierView>(api('GET', `/evaluation/dossiers/${id}`, headers));
}

async function move(
  id: string,
  action: string,
  headers: Headers,
  body: Record<string, unknown> = {},
  status = 200,
) {
  return ok<DossierView>(api('POST', `/evaluation/dossiers/${id}/${action}`, headers, body), status);
}

/** A complete draft: registration form, full self-assessment and every required document. */
async function completeDraft(
  cycleId: string,
  producer = producerA,
  subject = subjectA,
  commune = NB_A,
  productSet = '1',
) {
  const productId = await insertProduct(subject, commune, productSet);
  const created = await ok<DossierView>(
    api('POST', `/evaluation/cycles/${cycleId}/dossiers`, producer, { productId, evaluationType: 'new' }),
    201,
  );
  const withForm = await ok<DossierView>(
    api('PUT', `/evaluation/dossiers/${created.id}/registration-form`, producer, {
      version: created.version,
      form: FORM,
    }),
  );
  await ok(
    api('PUT', `/evaluation/dossiers/${created.id}/self-assessment`, producer, {
      version: withForm.version,
      answers: answersWorth(80),
    }),
  );
  // The tourism set sends no product samples (the rule-set's checklist excludes it).
  for (const item of REQUIRED_ITEMS.filter((i) => productSet !== '26' || i !== 'mau-san-pham'))
    expect((await upload(producer, created.id, item, PDF)).statusCode).toBe(201);
  return created.id;
}

/** Drafts a dossier and takes it to `accepted` (through the commune pre-check where the cycle has one). */
async function acceptedDossier(
  cycle: CycleView,
  producer = producerA,
  subject = subjectA,
  commune = NB_A,
  productSet = '1',
) {
  const id = await completeDraft(cycle.id, producer, subject, commune, productSet);
  await move(id, 'submit', producer);
  if (cycle.precheckRequired) await move(id, 'precheck', commune === NB_A ? communeA : communeB);
  await move(id, 'accept', nbOfficer);
  return id;
}

type Council = { id: string; members: { id: string; userId: string; role: string }[] };

async function newCouncil(cycleId: string, seats: [string, string][]): Promise<Council> {
  let council = await ok<Council>(
    api('POST', `/evaluation/cycles/${cycleId}/councils`, nbOfficer, {
      name: 'Hội đồng đánh giá, phân hạng',
    }),
    201,
  );
  for (const [who, role] of seats) {
    council = await ok<Council>(
      api('POST', `/evaluation/councils/${council.id}/members`, nbOfficer, { userId: people[who]!.id, role }),
    );
  }
  return council;
}

const memberIdOf = (council: Council, who: string) =>
  council.members.find((m) => m.userId === people[who]!.id)!.id;

async function scoreAndSubmit(dossierId: string, who: string, total: number) {
  await ok(
    api('PUT', `/evaluation/dossiers/${dossierId}/my-sheet`, people[who]!.headers, {
      answers: answersWorth(total),
    }),
  );
  return ok<MySheetView>(
    api('POST', `/evaluation/dossiers/${dossierId}/my-sheet/submit`, people[who]!.headers, {}),
  );
}

// ---------------------------------------------------------------- cycles

describe('cycles', () => {
  it('opens a province cycle freezing the active rule-set revision, with the commune pre-check of 26/2026', async () => {
    const cycle = await newCycle();
    expect(cycle).toMatchObject({
      level: 'province',
      provinceCode: NB,
      year: NEXT_YEAR,
      ruleSet: { code: '26-2026', revision: 1 },
      precheckRequired: true,
      progress: { total: 0, byState: {} },
      councils: [],
    });
    expect(cycle.name).toBe(`Cấp tỉnh năm ${NEXT_YEAR}, đợt ${roundCounter}`);
    const got = await ok<CycleView>(api('GET', `/evaluation/cycles/${cycle.id}`, communeA));
    expect(got.id).toBe(cycle.id);
  });

  it('refuses a rule-set without an active revision, a year out of its period, a taken round and a bad date', async () => {
    const base = {
      level: 'province',
      year: NEXT_YEAR,
      round: 11,
      ruleSetCode: '26-2026',
      submissionDeadline: `${NEXT_YEAR}-06-30`,
    };
    const inactive = await api('POST', '/evaluation/cycles', nbOfficer, {
      ...base,
      ruleSetCode: '1048-2019',
    });
    expect(inactive.statusCode).toBe(400);
    expect(Object.keys(inactive.json().error.fields)).toEqual(['ruleSetCode']);
    const early = await api('POST', '/evaluation/cycles', nbOfficer, { ...base, year: 2024 });
    expect(early.statusCode).toBe(400);
    expect(early.json().error.fields.year).toContain('26-2026');
    const precheckCycle = await api('POST', '/evaluation/cycles', nbOfficer, {
      ...base,
      level: 'commune_precheck',
    });
    expect(Object.keys(precheckCycle.json().error.fields)).toEqual(['level']);
    await ok(api('POST', '/evaluation/cycles', nbOfficer, base), 201);
    const again = await api('POST', '/evaluation/cycles', nbOfficer, base);
    expect(again.statusCode).toBe(409);
    expect(Object.keys(again.json().error.fields)).toEqual(['round']);
    const badDate = await api('POST', '/evaluation/cycles', nbOfficer, {
      ...base,
      round: 12,
      submissionDeadline: '30/06/2027',
    });
    expect(badDate.statusCode).toBe(400);
    expect(Object.keys(badDate.json().error.fields)).toEqual(['submissionDeadline']);
    const unknown = await api('POST', '/evaluation/cycles', nbOfficer, { ...base, round: 12, extra: 1 });
    expect(Object.keys(unknown.json().error.fields)).toEqual(['extra']);
    const meeting = await api('POST', '/evaluation/cycles', nbOfficer, {
      ...base,
      round: 12,
      meetingDate: `${NEXT_YEAR}-06-01`,
    });
    expect(Object.keys(meeting.json().error.fields)).toEqual(['meetingDate']);
  });

  it('keeps officers to their province and central cycles to administrators', async () => {
    const base = {
      level: 'province',
      year: NEXT_YEAR,
      round: 10,
      ruleSetCode: '26-2026',
      submissionDeadline: `${NEXT_YEAR}-06-30`,
    };
    const other = await api('POST', '/evaluation/cycles', hyOfficer, { ...base, provinceCode: NB });
    expect(other.statusCode).toBe(403);
    const central = await api('POST', '/evaluation/cycles', nbOfficer, { ...base, level: 'central' });
    expect(central.statusCode).toBe(403);
    const commune = await api('POST', '/evaluation/cycles', communeA, base);
    expect(commune.statusCode).toBe(403);
    const byAdmin = await ok<CycleView>(
      api('POST', '/evaluation/cycles', admin, { ...base, level: 'central' }),
      201,
    );
    expect(byAdmin.provinceCode).toBeNull();
    const adminNoProvince = await api('POST', '/evaluation/cycles', admin, base);
    expect(Object.keys(adminNoProvince.json().error.fields)).toEqual(['provinceCode']);
  });

  it('lists cycles by scope: officers and producers of the province, council members where they sit', async () => {
    const cycle = await newCycle();
    const ids = async (headers: Headers) =>
      (await ok<{ items: CycleView[] }>(api('GET', '/evaluation/cycles', headers))).items.map((c) => c.id);
    expect(await ids(nbOfficer)).toContain(cycle.id);
    expect(await ids(communeA)).toContain(cycle.id);
    expect(await ids(producerA)).toContain(cycle.id);
    expect(await ids(hyOfficer)).not.toContain(cycle.id);
    expect(await ids(producerHy)).not.toContain(cycle.id);
    expect(await ids(people.outsider!.headers)).not.toContain(cycle.id);
    expect((await api('GET', `/evaluation/cycles/${cycle.id}`, hyOfficer)).statusCode).toBe(404);
    expect((await api('GET', `/evaluation/cycles/${cycle.id}`, producerHy)).statusCode).toBe(404);
  });

  it("counts a cycle's progress over all its dossiers for the province, over their own for everyone else", async () => {
    // This year's cycle, so the rounds the other tests number next year stay theirs.
    const cycle = await ok<CycleView>(
      api('POST', '/evaluation/cycles', nbOfficer, {
        level: 'province',
        year: THIS_YEAR,
        round: 1,
        ruleSetCode: '26-2026',
        submissionDeadline: `${NEXT_YEAR}-06-30`,
      }),
      201,
    );
    for (const [subject, commune] of [
      [subjectA, NB_A],
      [subjectB, NB_B],
    ] as const) {
      const productId = await insertProduct(subject, commune);
      await ok(
        api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, subject === subjectA ? producerA : producerB, {
          productId,
          evaluationType: 'new',
        }),
        201,
      );
    }
    const progress = async (headers: Headers) =>
      (await ok<CycleView>(api('GET', `/evaluation/cycles/${cycle.id}`, headers))).progress;
    expect(await progress(nbOfficer)).toEqual({ total: 2, byState: { draft: 2 } });
    expect(await progress(producerA)).toEqual({ total: 1, byState: { draft: 1 } });
    expect(await progress(communeB)).toEqual({ total: 1, byState: { draft: 1 } });
    const listed = (await ok<{ items: CycleView[] }>(api('GET', '/evaluation/cycles', producerB))).items;
    expect(listed.find((c) => c.id === cycle.id)!.progress.total).toBe(1);
  });
});

// ---------------------------------------------------------------- dossiers

describe('dossiers', () => {
  let cycle: CycleView;
  beforeAll(async () => {
    cycle = await newCycle();
  });

  it('creates a draft for a producer own product, freezing the sheet of its product set', async () => {
    const productId = await insertProduct(subjectA, NB_A);
    const created = await ok<DossierView>(
      api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producerA, { productId, evaluationType: 'new' }),
      201,
    );
    expect(created).toMatchObject({
      state: 'draft',
      subjectId: subjectA,
      communeCode: NB_A,
      provinceCode: NB,
      product: { id: productId, productSet: { scheme: '2026', code: '1' } },
      sheet: { code: '26-2026.demo.1', revision: 1 },
      actions: ['submit', 'withdraw'],
      selfAssessment: { answered: 0, complete: false, star: null },
    });
    expect(created.checklist.filter((i) => i.required).map((i) => i.code)).toEqual(REQUIRED_ITEMS);
    expect(created.transitions).toMatchObject([{ action: 'create', fromState: null, toState: 'draft' }]);
    const duplicate = await api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producerA, {
      productId,
      evaluationType: 'upgrade',
    });
    expect(duplicate.statusCode).toBe(409);
    expect(Object.keys(duplicate.json().error.fields)).toEqual(['productId']);
  });

  it("gives the dossier's frozen sheet and rule-set to whoever reads the dossier, and to nobody else", async () => {
    const productId = await insertProduct(subjectA, NB_A);
    const created = await ok<DossierView>(
      api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producerA, { productId, evaluationType: 'new' }),
      201,
    );
    const url = `/evaluation/dossiers/${created.id}/scoring-documents`;
    for (const headers of [producerA, communeA, nbOfficer]) {
      const documents = await ok<{ sheet: Sheet; ruleSet: { code: string } }>(api('GET', url, headers));
      expect(documents.sheet.code).toBe('26-2026.demo.1');
      expect(documents.ruleSet.code).toBe('26-2026');
    }
    // Producers may not read the criteria API: this is their only way to the sheet they self-assess on.
    expect((await api('GET', `/criteria/sheets/${created.sheet.id}`, producerA)).statusCode).toBe(403);
    for (const headers of [producerB, communeB, hyOfficer])
      expect((await api('GET', url, headers)).statusCode).toBe(404);
    expect(
      (await api('GET', `/evaluation/dossiers/${randomUUID()}/scoring-documents`, producerA)).statusCode,
    ).toBe(404);
    expect((await api('GET', '/evaluation/dossiers/x/scoring-documents', producerA)).statusCode).toBe(400);
  });

  it("refuses someone else's product, a product without an active sheet, another province's cycle and bad input", async () => {
    const othersProduct = await insertProduct(subjectB, NB_B);
    const others = await api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producerA, {
      productId: othersProduct,
      evaluationType: 'new',
    });
    expect(others.statusCode).toBe(400);
    expect(others.json().error.fields.productId).toBe('Không có sản phẩm này trong các sản phẩm của bạn.');
    const noSheet = await api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producerA, {
      productId: await insertProduct(subjectA, NB_A, '6'),
      evaluationType: 'new',
    });
    expect(noSheet.statusCode).toBe(409);
    expect(noSheet.json().error.message).toContain('"6"');
    const hy = await api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producerHy, {
      productId: await insertProduct(subjectHy, HY_A),
      evaluationType: 'new',
    });
    expect(hy.statusCode).toBe(404);
    const bad = await api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producerA, {
      productId: 'x',
      evaluationType: 'renewal',
    });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['evaluationType', 'productId']);
    const officer = await api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, nbOfficer, {
      productId: othersProduct,
      evaluationType: 'new',
    });
    expect(officer.statusCode).toBe(403);
  });

  it('computes the self-assessment star with the engine and refuses answers the sheet does not have', async () => {
    const productId = await insertProduct(subjectA, NB_A);
    const created = await ok<DossierView>(
      api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producerA, { productId, evaluationType: 'new' }),
      201,
    );
    const partial = await ok<DossierView>(
      api('PUT', `/evaluation/dossiers/${created.id}/self-assessment`, producerA, {
        version: created.version,
        answers: { 'A1.1': 'A1.1.d', 'B1.1': 'B1.1.b' },
      }),
    );
    expect(partial.selfAssessment).toMatchObject({ answered: 2, total: 8, complete: false, star: null });
    const full = await ok<DossierView>(
      api('PUT', `/evaluation/dossiers/${created.id}/self-assessment`, producerA, {
        version: partial.version,
        answers: answersWorth(72),
      }),
    );
    expect(full.selfAssessment).toMatchObject({ complete: true, total: 72, star: 4 });
    expect(full.selfAssessmentStar).toBe(4);
    const wrong = await api('PUT', `/evaluation/dossiers/${created.id}/self-assessment`, producerA, {
      version: full.version,
      answers: { 'A1.1': 'A1.1.z', 'A1.4': 'A1.4.1.a' },
    });
    expect(wrong.statusCode).toBe(400);
    expect(Object.keys(wrong.json().error.fields).sort()).toEqual(['answers.A1.1', 'answers.A1.4']);
    const stale = await api('PUT', `/evaluation/dossiers/${created.id}/self-assessment`, producerA, {
      version: partial.version,
      answers: {},
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE');
    const form = await api('PUT', `/evaluation/dossiers/${created.id}/registration-form`, producerA, {
      version: full.version,
      form: { applicantName: ' ', phone: 'abc', productName: 'X', unknown: 1 },
    });
    expect(form.statusCode).toBe(400);
    expect(Object.keys(form.json().error.fields).sort()).toEqual([
      'form.applicantName',
      'form.phone',
      'form.unknown',
    ]);
  });

  it('stores checklist documents sniffed by content, refusing other types, empty and oversized files', async () => {
    const productId = await insertProduct(subjectA, NB_A);
    const created = await ok<DossierView>(
      api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producerA, { productId, evaluationType: 'new' }),
      201,
    );
    const stored = await upload(producerA, created.id, 'mau-01', PDF, '../../Phiếu đăng ký Mẫu 01?.pdf');
    expect(stored.statusCode, stored.body).toBe(201);
    expect(stored.json()).toMatchObject({
      checklistCode: 'mau-01',
      mimeType: 'application/pdf',
      fileName: 'Phiếu đăng ký Mẫu 01.pdf',
    });
    const file = path.join(t.dataDir, 'uploads', 'dossiers', created.id, `${stored.json().id}.pdf`);
    expect(fs.readFileSync(file)).toEqual(PDF);
    const gif = await upload(producerA, created.id, 'mau-01', Buffer.from('GIF89a....'), 'anh.pdf');
    expect(gif.statusCode).toBe(415);
    const html = await upload(producerA, created.id, 'mau-01', Buffer.from('<html>%PDF-1.4'), 'x.pdf');
    expect(html.statusCode).toBe(415);
    const empty = await upload(producerA, created.id, 'mau-01', Buffer.alloc(0));
    expect(empty.statusCode).toBe(400);
    const big = await upload(producerA, created.id, 'mau-01', Buffer.concat([PDF, Buffer.alloc(MAX_UPLOAD)]));
    expect(big.statusCode).toBe(413);
    const item = await upload(producerA, created.id, 'khong-co', PDF);
    expect(item.statusCode).toBe(400);
    expect(Object.keys(item.json().error.fields)).toEqual(['item']);
    const other = await upload(producerB, created.id, 'mau-01', PDF);
    expect(other.statusCode).toBe(404);
    // The commune reads the evidence; another commune does not see the dossier at all.
    const download = await api(
      'GET',
      `/evaluation/dossiers/${created.id}/documents/${stored.json().id}`,
      communeA,
    );
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-type']).toBe('application/pdf');
    expect(download.rawPayload).toEqual(PDF);
    expect(
      (await api('GET', `/evaluation/dossiers/${created.id}/documents/${stored.json().id}`, communeB))
        .statusCode,
    ).toBe(404);
    const removed = await api(
      'DELETE',
      `/evaluation/dossiers/${created.id}/documents/${stored.json().id}`,
      producerA,
    );
    expect(removed.statusCode).toBe(200);
    expect((await getDossier(created.id)).documents).toEqual([]);
    expect(fs.existsSync(file)).toBe(true);
  });

  it('refuses to submit an incomplete dossier, naming what is missing', async () => {
    const productId = await insertProduct(subjectA, NB_A);
    const created = await ok<DossierView>(
      api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producerA, { productId, evaluationType: 'new' }),
      201,
    );
    const response = await api('POST', `/evaluation/dossiers/${created.id}/submit`, producerA, {});
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json().error.fields).sort()).toEqual([
      'documents.dang-ky-kinh-doanh',
      'documents.mau-01',
      'documents.mau-02',
      'documents.mau-san-pham',
      'registrationForm',
      'selfAssessment',
    ]);
    expect((await getDossier(created.id)).state).toBe('draft');
  });

  it('walks draft → submitted → returned → submitted → pre-checked → accepted, refusing wrong moves', async () => {
    const id = await completeDraft(cycle.id);
    const submitted = await move(id, 'submit', producerA);
    expect(submitted.state).toBe('submitted');
    expect(submitted.submittedAt).not.toBeNull();
    // Locked for the producer once submitted.
    const edit = await api('PUT', `/evaluation/dossiers/${id}/registration-form`, producerA, {
      version: submitted.version,
      form: FORM,
    });
    expect(edit.statusCode).toBe(409);
    // The province waits for the commune pre-check under 26/2026.
    const early = await api('POST', `/evaluation/dossiers/${id}/accept`, nbOfficer, {});
    expect(early.statusCode).toBe(409);
    expect(early.json().error.message).toContain('cấp xã');
    // Another commune does not see it; its own commune returns it with a reason.
    expect((await api('POST', `/evaluation/dossiers/${id}/precheck`, communeB, {})).statusCode).toBe(404);
    const noReason = await api('POST', `/evaluation/dossiers/${id}/return`, communeA, {});
    expect(noReason.statusCode).toBe(400);
    expect(Object.keys(noReason.json().error.fields)).toEqual(['reason']);
    const returned = await move(id, 'return', communeA, { reason: 'Bổ sung phiếu kiểm nghiệm' });
    expect(returned.state).toBe('returned');
    expect(returned.actions).toEqual([]);
    const resubmitted = await move(id, 'resubmit', producerA);
    expect(resubmitted.state).toBe('submitted');
    const prechecked = await move(id, 'precheck', communeA);
    expect(prechecked.state).toBe('prechecked');
    const communeReturn = await api('POST', `/evaluation/dossiers/${id}/return`, communeA, { reason: 'x' });
    expect(communeReturn.statusCode).toBe(409);
    const stale = await api('POST', `/evaluation/dossiers/${id}/accept`, nbOfficer, {
      version: submitted.version,
    });
    expect(stale.json().error.code).toBe('STALE');
    const accepted = await move(id, 'accept', nbOfficer, { version: prechecked.version });
    expect(accepted.state).toBe('accepted');
    expect(accepted.transitions.map((x) => [x.action, x.toState, x.reason])).toEqual([
      ['create', 'draft', null],
      ['submit', 'submitted', null],
      ['return', 'returned', 'Bổ sung phiếu kiểm nghiệm'],
      ['resubmit', 'submitted', null],
      ['precheck', 'prechecked', null],
      ['accept', 'accepted', null],
    ]);
    const withdraw = await api('POST', `/evaluation/dossiers/${id}/withdraw`, producerA, {});
    expect(withdraw.statusCode).toBe(409);
    expect(withdraw.json().error.message).toBe(
      'Không thể rút hồ sơ khi hồ sơ ở trạng thái «Đã tiếp nhận»; chỉ được khi ở trạng thái «Nháp hoặc Đã nộp hoặc Trả lại để bổ sung».',
    );
    const en = await t.app.inject({
      method: 'POST',
      url: `/api/v1/evaluation/dossiers/${id}/propose`,
      headers: { ...nbOfficer, 'accept-language': 'en' },
      payload: {},
    });
    expect(en.statusCode).toBe(409);
    expect(en.json().error.message).toBe(
      'Cannot propose for recognition a dossier that is "Accepted"; only one that is "Scored".',
    );
    const actions = (await auditRows(id)).map((r) => r.action);
    expect(actions).toEqual([
      'evaluation.dossier.created',
      'evaluation.dossier.registration_form_saved',
      'evaluation.dossier.self_assessment_saved',
      ...REQUIRED_ITEMS.map(() => 'evaluation.dossier.document_added'),
      'evaluation.dossier.submit',
      'evaluation.dossier.return',
      'evaluation.dossier.resubmit',
      'evaluation.dossier.precheck',
      'evaluation.dossier.accept',
    ]);
  });

  it('lets the producer withdraw a draft, and lists dossiers by scope and filters', async () => {
    const id = await completeDraft(cycle.id);
    const withdrawn = await move(id, 'withdraw', producerA, { reason: 'Chưa sẵn sàng' });
    expect(withdrawn.state).toBe('withdrawn');
    const b = await completeDraft(cycle.id, producerB, subjectB, NB_B);
    const list = async (headers: Headers, query = '') =>
      (
        await ok<{ items: { id: string }[]; total: number }>(
          api('GET', `/evaluation/cycles/${cycle.id}/dossiers${query}`, headers),
        )
      ).items.map((d) => d.id);
    expect(await list(nbOfficer)).toEqual(expect.arrayContaining([id, b]));
    expect(await list(communeA)).toContain(id);
    expect(await list(communeA)).not.toContain(b);
    expect(await list(communeB)).toEqual([b]);
    expect(await list(producerB)).toEqual([b]);
    expect(await list(nbOfficer, '?state=withdrawn')).toEqual([id]);
    expect(await list(nbOfficer, `?communeCode=${NB_B}`)).toEqual([b]);
    expect(await list(nbOfficer, '?q=RAU%20CAI')).toEqual(expect.arrayContaining([id, b]));
    expect((await api('GET', `/evaluation/dossiers/${b}`, producerA)).statusCode).toBe(404);
    expect((await api('GET', `/evaluation/dossiers/${b}`, communeA)).statusCode).toBe(404);
    expect(
      (await api('GET', `/evaluation/cycles/${cycle.id}/dossiers?state=lost`, nbOfficer)).statusCode,
    ).toBe(400);
    const progress = await ok<CycleView>(api('GET', `/evaluation/cycles/${cycle.id}`, nbOfficer));
    expect(progress.progress.byState.withdrawn).toBeGreaterThanOrEqual(1);
  });
});

async function auditRows(entityId: string) {
  return t.database.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(eq(auditLog.entityId, entityId))
    .orderBy(asc(auditLog.seq));
}

// ---------------------------------------------------------------- a cycle without the commune pre-check

describe('a 148/2023 province cycle (no commune pre-check)', () => {
  it('is accepted by the province straight from submitted; the commune neither pre-checks nor returns', async () => {
    const cycle = await newCycle({
      year: 2024,
      ruleSetCode: '148-2023',
      submissionDeadline: `${NEXT_YEAR}-12-31`,
      meetingDate: null,
    });
    expect(cycle.precheckRequired).toBe(false);
    const id = await completeDraft(cycle.id);
    const dossier = await getDossier(id);
    expect(dossier.sheet.code).toBe('148-2023.kiem-thu.1');
    await move(id, 'submit', producerA);
    expect((await api('POST', `/evaluation/dossiers/${id}/precheck`, communeA, {})).statusCode).toBe(409);
    expect(
      (await api('POST', `/evaluation/dossiers/${id}/return`, communeA, { reason: 'x' })).statusCode,
    ).toBe(409);
    expect((await move(id, 'accept', nbOfficer)).state).toBe('accepted');
  });

  it('refuses a first submission after the deadline', async () => {
    const cycle = await newCycle({
      year: 2024,
      ruleSetCode: '148-2023',
      submissionDeadline: '2024-12-31',
      meetingDate: null,
    });
    const id = await completeDraft(cycle.id);
    const late = await api('POST', `/evaluation/dossiers/${id}/submit`, producerA, {});
    expect(late.statusCode).toBe(409);
    expect(late.json().error.message).toBe('Đã quá hạn nộp hồ sơ của kỳ đánh giá.');
  });
});

// ---------------------------------------------------------------- councils and scoring

describe('councils and scoring', () => {
  let cycle: CycleView;
  let council: Council;
  let dossierId: string;
  let decisionId: string;

  beforeAll(async () => {
    cycle = await newCycle();
    council = await newCouncil(cycle.id, [
      ['chair', 'chair'],
      ['m1', 'member'],
      ['m2', 'vice_chair'],
      ['m3', 'member'],
      ['advisory', 'advisory'],
    ]);
    await newCouncil(cycle.id, [['otherCouncil', 'chair']]);
    dossierId = await acceptedDossier(cycle);
    const assigned = await move(dossierId, 'assign', nbOfficer, { councilId: council.id });
    expect(assigned.state).toBe('in_council');
  });

  it('seats a person once, with one chair; refuses unknown people', async () => {
    const chair = await api('POST', `/evaluation/councils/${council.id}/members`, nbOfficer, {
      userId: people.chair2!.id,
      role: 'chair',
    });
    expect(chair.statusCode).toBe(409);
    expect(Object.keys(chair.json().error.fields)).toEqual(['role']);
    const twice = await api('POST', `/evaluation/councils/${council.id}/members`, nbOfficer, {
      userId: people.m1!.id,
      role: 'secretary',
    });
    expect(twice.statusCode).toBe(409);
    const unknown = await api('POST', `/evaluation/councils/${council.id}/members`, nbOfficer, {
      userId: randomUUID(),
      role: 'member',
    });
    expect(unknown.statusCode).toBe(400);
    const badRole = await api('POST', `/evaluation/councils/${council.id}/members`, nbOfficer, {
      userId: people.chair2!.id,
      role: 'president',
    });
    expect(Object.keys(badRole.json().error.fields)).toEqual(['role']);
    expect(
      (
        await api('POST', `/evaluation/councils/${council.id}/members`, hyOfficer, {
          userId: people.chair2!.id,
          role: 'member',
        })
      ).statusCode,
    ).toBe(404);
    const view = await ok<Council>(api('GET', `/evaluation/councils/${council.id}`, people.m1!.headers));
    expect(view.members.map((m) => m.role)).toEqual(['chair', 'member', 'vice_chair', 'member', 'advisory']);
    expect(
      (await api('GET', `/evaluation/councils/${council.id}`, people.outsider!.headers)).statusCode,
    ).toBe(404);
  });

  it('refuses to assign to a council of another cycle or without a chair', async () => {
    const other = await newCycle();
    const foreign = await newCouncil(other.id, [['chair', 'chair']]);
    const id = await acceptedDossier(cycle);
    const wrong = await api('POST', `/evaluation/dossiers/${id}/assign`, nbOfficer, {
      councilId: foreign.id,
    });
    expect(wrong.statusCode).toBe(400);
    // A member of the cycle's council cannot score a dossier no council has been given yet.
    const unassigned = await api('GET', `/evaluation/dossiers/${id}/my-sheet`, people.m1!.headers);
    expect(unassigned.statusCode).toBe(403);
    expect(unassigned.json().error.message).toBe('Hồ sơ này không được giao cho hội đồng của bạn.');
    const chairless = await newCouncil(cycle.id, [['m1', 'member']]);
    const none = await api('POST', `/evaluation/dossiers/${id}/assign`, nbOfficer, {
      councilId: chairless.id,
    });
    expect(none.statusCode).toBe(409);
  });

  it('lets only seated, unconflicted scoring members of the assigned council score', async () => {
    expect(
      (await api('GET', `/evaluation/dossiers/${dossierId}/my-sheet`, people.outsider!.headers)).statusCode,
    ).toBe(404);
    const elsewhere = await api(
      'GET',
      `/evaluation/dossiers/${dossierId}/my-sheet`,
      people.otherCouncil!.headers,
    );
    expect(elsewhere.statusCode).toBe(403);
    expect(elsewhere.json().error.message).toBe('Hồ sơ này không được giao cho hội đồng của bạn.');
    expect(
      (await api('GET', `/evaluation/dossiers/${dossierId}`, people.otherCouncil!.headers)).statusCode,
    ).toBe(403);
    const advisory = await api(
      'PUT',
      `/evaluation/dossiers/${dossierId}/my-sheet`,
      people.advisory!.headers,
      { answers: {} },
    );
    expect(advisory.statusCode).toBe(403);
    // The advisory group reads the dossier and its evidence.
    expect((await api('GET', `/evaluation/dossiers/${dossierId}`, people.advisory!.headers)).statusCode).toBe(
      200,
    );
    const declared = await api('POST', `/evaluation/dossiers/${dossierId}/conflicts`, people.m3!.headers, {
      reason: 'Người thân làm việc tại hợp tác xã',
    });
    expect(declared.statusCode).toBe(201);
    expect(
      (
        await api('POST', `/evaluation/dossiers/${dossierId}/conflicts`, people.m3!.headers, {
          reason: 'lần 2',
        })
      ).statusCode,
    ).toBe(409);
    const conflicted = await api('PUT', `/evaluation/dossiers/${dossierId}/my-sheet`, people.m3!.headers, {
      answers: {},
    });
    expect(conflicted.statusCode).toBe(403);
    expect(conflicted.json().error.message).toContain('xung đột lợi ích');
    expect(
      (
        await api('POST', `/evaluation/dossiers/${dossierId}/conflicts`, people.outsider!.headers, {
          reason: 'x',
        })
      ).statusCode,
    ).toBe(404);
  });

  it('autosaves drafts with running totals and refuses answers outside the sheet', async () => {
    const first = await ok<MySheetView>(
      api('GET', `/evaluation/dossiers/${dossierId}/my-sheet`, people.m1!.headers),
    );
    expect(first).toMatchObject({
      id: null,
      status: 'draft',
      answered: 0,
      total: 0,
      criteria: leaves(demoSheet).length,
    });
    expect(first.sheet.code).toBe('26-2026.demo.1');
    const saved = await ok<MySheetView>(
      api('PUT', `/evaluation/dossiers/${dossierId}/my-sheet`, people.m1!.headers, {
        answers: { 'A1.1': 'A1.1.d', 'C1.2': 'C1.2.c' },
        comments: { general: 'Hồ sơ đầy đủ', criteria: { 'A1.1': 'Có chứng nhận VietGAP' } },
      }),
    );
    expect(saved).toMatchObject({
      revision: 1,
      status: 'draft',
      answered: 2,
      total: 11,
      parts: { A: 5, B: 0, C: 6 },
    });
    const outside = await api('PUT', `/evaluation/dossiers/${dossierId}/my-sheet`, people.m1!.headers, {
      answers: { 'A1.1': 'A1.1.x', Z9: 'Z9.a' },
      comments: { criteria: { Q: 'x' } },
    });
    expect(outside.statusCode).toBe(400);
    expect(Object.keys(outside.json().error.fields).sort()).toEqual(['answers.A1.1', 'answers.Z9']);
    const comment = await api('PUT', `/evaluation/dossiers/${dossierId}/my-sheet`, people.m1!.headers, {
      answers: {},
      comments: { criteria: { Q: 'x' } },
    });
    expect(Object.keys(comment.json().error.fields)).toEqual(['comments.criteria.Q']);
    const incomplete = await api(
      'POST',
      `/evaluation/dossiers/${dossierId}/my-sheet/submit`,
      people.m1!.headers,
      {},
    );
    expect(incomplete.statusCode).toBe(400);
    expect(Object.keys(incomplete.json().error.fields).length).toBe(leaves(demoSheet).length - 2);
  });

  it('keeps a double submit to one submitted sheet, then locks it', async () => {
    await ok(
      api('PUT', `/evaluation/dossiers/${dossierId}/my-sheet`, people.m1!.headers, {
        answers: answersWorth(95),
      }),
    );
    const both = await Promise.all([
      api('POST', `/evaluation/dossiers/${dossierId}/my-sheet/submit`, people.m1!.headers, {}),
      api('POST', `/evaluation/dossiers/${dossierId}/my-sheet/submit`, people.m1!.headers, {}),
    ]);
    expect(both.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const rows = await t.database.db
      .select()
      .from(evaluationScoreSheets)
      .where(
        and(
          eq(evaluationScoreSheets.dossierId, dossierId),
          eq(evaluationScoreSheets.memberId, memberIdOf(council, 'm1')),
        ),
      );
    expect(rows.map((r) => [r.revision, r.status])).toEqual([[1, 'submitted']]);
    const edit = await api('PUT', `/evaluation/dossiers/${dossierId}/my-sheet`, people.m1!.headers, {
      answers: answersWorth(50),
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.message).toContain('khoá');
    // Two members submitting at the same instant each get their own sheet.
    await ok(
      api('PUT', `/evaluation/dossiers/${dossierId}/my-sheet`, people.m2!.headers, {
        answers: answersWorth(75),
      }),
    );
    await ok(
      api('PUT', `/evaluation/dossiers/${dossierId}/my-sheet`, people.chair!.headers, {
        answers: answersWorth(55),
      }),
    );
    const pair = await Promise.all([
      api('POST', `/evaluation/dossiers/${dossierId}/my-sheet/submit`, people.m2!.headers, {}),
      api('POST', `/evaluation/dossiers/${dossierId}/my-sheet/submit`, people.chair!.headers, {}),
    ]);
    expect(pair.map((r) => r.statusCode)).toEqual([200, 200]);
  });

  it('hides members sheets from each other and from the producer until the chair closes scoring', async () => {
    const progress = await ok<{
      closed: boolean;
      members: { memberId: string; status: string; answers: unknown; conflicted: boolean }[];
    }>(api('GET', `/evaluation/dossiers/${dossierId}/sheets`, people.m2!.headers));
    expect(progress.closed).toBe(false);
    expect(progress.members.map((m) => [m.status, m.answers, m.conflicted])).toEqual([
      ['submitted', null, false],
      ['submitted', null, false],
      ['submitted', null, false],
      ['none', null, true],
    ]);
    expect((await api('GET', `/evaluation/dossiers/${dossierId}/sheets`, producerA)).statusCode).toBe(403);
    expect((await api('GET', `/evaluation/dossiers/${dossierId}/result`, producerA)).statusCode).toBe(404);
    expect(
      (await api('GET', `/evaluation/dossiers/${dossierId}/result`, people.m1!.headers)).statusCode,
    ).toBe(404);
  });

  let firstResult: ResultView;

  it('closes scoring by the chair only: the engine computes mean, star and outliers from the unconflicted sheets', async () => {
    const byMember = await api(
      'POST',
      `/evaluation/dossiers/${dossierId}/close-scoring`,
      people.m1!.headers,
      {},
    );
    expect(byMember.statusCode).toBe(403);
    const byOfficer = await api('POST', `/evaluation/dossiers/${dossierId}/close-scoring`, nbOfficer, {});
    expect(byOfficer.statusCode).toBe(403);
    const unknown = await api(
      'POST',
      `/evaluation/dossiers/${dossierId}/close-scoring`,
      people.chair!.headers,
      {
        disqualifiers: ['DQ9'],
      },
    );
    expect(unknown.statusCode).toBe(400);
    expect(Object.keys(unknown.json().error.fields)).toEqual(['disqualifiers.DQ9']);
    firstResult = await ok<ResultView>(
      api('POST', `/evaluation/dossiers/${dossierId}/close-scoring`, people.chair!.headers, {}),
    );
    expect(firstResult).toMatchObject({
      sequence: 1,
      valid: true,
      sheetCount: 3,
      minimumSheets: 3,
      score: 75,
      scoreStar: 4,
      requirementCap: 5,
      finalStar: 4,
      outcome: 'recognisable',
      levelDecision: { certifies: 4, forwardsTo: null },
      publishedAt: null,
    });
    expect(firstResult.members.map((m) => [m.total, m.outlier]).sort()).toEqual([
      [55, true],
      [75, false],
      [95, true],
    ]);
    expect(firstResult.spread.length).toBe(leaves(demoSheet).length);
    expect((await getDossier(dossierId)).state).toBe('scored');
    const again = await api(
      'POST',
      `/evaluation/dossiers/${dossierId}/close-scoring`,
      people.chair!.headers,
      {},
    );
    expect(again.statusCode).toBe(409);
    const sheets = await ok<{ closed: boolean; members: { total: number | null }[] }>(
      api('GET', `/evaluation/dossiers/${dossierId}/sheets`, people.m1!.headers),
    );
    expect(sheets.closed).toBe(true);
    expect(sheets.members.map((m) => m.total)).toEqual([55, 95, 75, null]);
    expect(
      (
        await api('POST', `/evaluation/dossiers/${dossierId}/conflicts`, people.m1!.headers, {
          reason: 'muộn',
        })
      ).statusCode,
    ).toBe(409);
  });

  it('reopens one member sheet as a new revision; closing again supersedes the result', async () => {
    const m1 = memberIdOf(council, 'm1');
    const notChair = await api('POST', `/evaluation/dossiers/${dossierId}/reopen-sheet`, people.m2!.headers, {
      memberId: m1,
      reason: 'Xem lại',
    });
    expect(notChair.statusCode).toBe(403);
    const noReason = await api(
      'POST',
      `/evaluation/dossiers/${dossierId}/reopen-sheet`,
      people.chair!.headers,
      { memberId: m1 },
    );
    expect(Object.keys(noReason.json().error.fields)).toEqual(['reason']);
    const conflictedMember = await api(
      'POST',
      `/evaluation/dossiers/${dossierId}/reopen-sheet`,
      people.chair!.headers,
      {
        memberId: memberIdOf(council, 'm3'),
        reason: 'x',
      },
    );
    expect(conflictedMember.statusCode).toBe(409);
    await ok(
      api('POST', `/evaluation/dossiers/${dossierId}/reopen-sheet`, people.chair!.headers, {
        memberId: m1,
        reason: 'Điểm phần C chênh lệch lớn, đề nghị chấm lại',
      }),
    );
    expect((await getDossier(dossierId)).state).toBe('in_council');
    const reopened = await ok<MySheetView>(
      api('GET', `/evaluation/dossiers/${dossierId}/my-sheet`, people.m1!.headers),
    );
    expect(reopened).toMatchObject({
      revision: 2,
      status: 'draft',
      total: 95,
      reopenReason: 'Điểm phần C chênh lệch lớn, đề nghị chấm lại',
    });
    await scoreAndSubmit(dossierId, 'm1', 76);
    const rows = await t.database.db
      .select()
      .from(evaluationScoreSheets)
      .where(and(eq(evaluationScoreSheets.dossierId, dossierId), eq(evaluationScoreSheets.memberId, m1)))
      .orderBy(asc(evaluationScoreSheets.revision));
    expect(rows.map((r) => [r.revision, r.status, r.previousId])).toEqual([
      [1, 'submitted', null],
      [2, 'submitted', rows[0]!.id],
    ]);
    expect(rows[0]!.answers).toEqual(answersWorth(95));
    const second = await ok<ResultView>(
      api('POST', `/evaluation/dossiers/${dossierId}/close-scoring`, people.chair!.headers, {}),
    );
    // (76 + 75 + 55) / 3 = 68.666… truncated to 68.66 → 3★.
    expect(second).toMatchObject({ sequence: 2, supersedesId: firstResult.id, score: 68.66, finalStar: 3 });
  });

  it('publishes results to the producer, hiding member totals; other producers and communes see nothing', async () => {
    await move(dossierId, 'propose', nbOfficer);
    const published = await ok<{ published: number }>(
      api('POST', `/evaluation/cycles/${cycle.id}/publish`, nbOfficer, {}),
    );
    expect(published.published).toBe(1);
    const mine = await ok<ResultView>(api('GET', `/evaluation/dossiers/${dossierId}/result`, producerA));
    expect(mine).toMatchObject({ score: 68.66, finalStar: 3, members: [] });
    expect(mine.publishedAt).not.toBeNull();
    expect((await api('GET', `/evaluation/dossiers/${dossierId}/result`, producerB)).statusCode).toBe(404);
    expect((await api('GET', `/evaluation/dossiers/${dossierId}/result`, communeB)).statusCode).toBe(404);
    expect(
      (await ok<ResultView>(api('GET', `/evaluation/dossiers/${dossierId}/result`, communeA))).members,
    ).toEqual([]);
    expect(
      (await ok<ResultView>(api('GET', `/evaluation/dossiers/${dossierId}/result`, nbOfficer))).members,
    ).toHaveLength(3);
    expect((await api('GET', `/evaluation/dossiers/${dossierId}/sheets`, producerA)).statusCode).toBe(403);
    const table = await ok<{ items: { dossierId: string; score: number; outlierCount: number }[] }>(
      api('GET', `/evaluation/cycles/${cycle.id}/results`, nbOfficer),
    );
    expect(table.items).toEqual([
      expect.objectContaining({ dossierId, score: 68.66, finalStar: 3, outlierCount: 0 }),
    ]);
    expect((await api('GET', `/evaluation/cycles/${cycle.id}/results`, producerA)).statusCode).toBe(403);
  });

  it('records a recognition decision that marks the dossier recognised, refusing wrong stars and numbers', async () => {
    const decision = {
      number: `${randomUUID().slice(0, 4)}/QĐ-UBND`,
      decisionDate: TODAY,
      signerName: 'Trần Văn Minh',
      signerTitle: 'Phó Chủ tịch UBND tỉnh',
    };
    const ahead = await api('POST', `/evaluation/cycles/${cycle.id}/decisions`, nbOfficer, {
      ...decision,
      decisionDate: `${NEXT_YEAR}-08-01`,
      items: [{ dossierId, star: 3 }],
    });
    expect(ahead.statusCode).toBe(400);
    expect(Object.keys(ahead.json().error.fields)).toEqual(['decisionDate']);
    const wrongStar = await api('POST', `/evaluation/cycles/${cycle.id}/decisions`, nbOfficer, {
      ...decision,
      items: [{ dossierId, star: 4 }],
    });
    expect(wrongStar.statusCode).toBe(400);
    expect(Object.keys(wrongStar.json().error.fields)).toEqual(['items.0.star']);
    const twice = await api('POST', `/evaluation/cycles/${cycle.id}/decisions`, nbOfficer, {
      ...decision,
      items: [
        { dossierId, star: 3 },
        { dossierId, star: 3 },
      ],
    });
    expect(Object.keys(twice.json().error.fields)).toEqual(['items.1.dossierId']);
    const made = await ok<{ id: string; items: { dossierId: string; star: number }[]; issuerCode: string }>(
      api('POST', `/evaluation/cycles/${cycle.id}/decisions`, nbOfficer, {
        ...decision,
        items: [{ dossierId, star: 3 }],
      }),
      201,
    );
    expect(made).toMatchObject({ issuerCode: NB, items: [{ dossierId, star: 3 }] });
    expect((await getDossier(dossierId)).state).toBe('recognised');
    const again = await api('POST', `/evaluation/cycles/${cycle.id}/decisions`, nbOfficer, {
      ...decision,
      number: `${decision.number}-2`,
      items: [{ dossierId, star: 3 }],
    });
    expect(Object.keys(again.json().error.fields)).toEqual(['items.0.dossierId']);
    const list = await ok<{ items: { id: string }[] }>(
      api('GET', `/evaluation/cycles/${cycle.id}/decisions`, producerA),
    );
    expect(list.items.map((d) => d.id)).toEqual([made.id]);
    expect((await api('GET', `/evaluation/decisions/${made.id}`, hyOfficer)).statusCode).toBe(404);
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
    decisionId = made.id;
  });

  it("issues the decision's certificates once: the decision's number, date and star, the cycle's rule-set", async () => {
    const url = `/certificates/from-decision/${decisionId}`;
    // Only the province's officers (and administrators) issue; others are refused before anything is written.
    for (const headers of [producerA, communeA, people.chair!.headers])
      expect((await api('POST', url, headers, {})).statusCode).toBe(403);
    expect((await api('POST', url, hyOfficer, {})).statusCode).toBe(404);
    expect((await api('POST', `/certificates/from-decision/${randomUUID()}`, nbOfficer, {})).statusCode).toBe(
      404,
    );
    expect((await api('POST', '/certificates/from-decision/not-a-uuid', nbOfficer, {})).statusCode).toBe(400);

    type Issued = { items: { dossierId: string; created: boolean; certificate: Record<string, unknown> }[] };
    const first = await ok<Issued>(api('POST', url, nbOfficer, {}));
    expect(first.items).toEqual([
      expect.objectContaining({
        dossierId,
        created: true,
        certificate: expect.objectContaining({
          star: 3,
          status: 'valid',
          ruleSetCode: '26-2026',
          issueKind: 'new',
          decisionDate: TODAY,
          source: 'decision',
          issuer: { level: 'province', name: expect.stringContaining('Ninh Bình') },
        }),
      }),
    ]);
    const again = await ok<Issued>(api('POST', url, nbOfficer, {}));
    expect(again.items).toEqual([expect.objectContaining({ dossierId, created: false })]);
    expect(again.items[0]!.certificate.id).toBe(first.items[0]!.certificate.id);
  });

  it('forwards a 5★ candidate to the central level and refuses to recognise it at the province', async () => {
    const id = await acceptedDossier(cycle);
    await move(id, 'assign', nbOfficer, { councilId: council.id });
    for (const who of ['chair', 'm1', 'm2']) await scoreAndSubmit(id, who, 100);
    const result = await ok<ResultView>(
      api('POST', `/evaluation/dossiers/${id}/close-scoring`, people.chair!.headers, {}),
    );
    expect(result).toMatchObject({
      score: 100,
      finalStar: 5,
      levelDecision: { certifies: null, forwardsTo: 'central' },
    });
    const forwarded = await ok<{ items: { dossierId: string }[] }>(
      api('GET', `/evaluation/cycles/${cycle.id}/forwarded`, nbOfficer),
    );
    expect(forwarded.items.map((i) => i.dossierId)).toEqual([id]);
    await move(id, 'propose', nbOfficer);
    const refused = await api('POST', `/evaluation/cycles/${cycle.id}/decisions`, nbOfficer, {
      number: `${randomUUID().slice(0, 6)}/QĐ-UBND`,
      decisionDate: TODAY,
      signerName: 'Trần Văn Minh',
      signerTitle: 'Phó Chủ tịch UBND tỉnh',
      items: [{ dossierId: id, star: 5 }],
    });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields['items.0.star']).toContain('trung ương');
  });

  it('records a 2★ result as not recognised, with a reason', async () => {
    const id = await acceptedDossier(cycle);
    await move(id, 'assign', nbOfficer, { councilId: council.id });
    for (const who of ['chair', 'm1', 'm2']) await scoreAndSubmit(id, who, 45);
    const result = await ok<ResultView>(
      api('POST', `/evaluation/dossiers/${id}/close-scoring`, people.chair!.headers, {}),
    );
    expect(result).toMatchObject({
      score: 45,
      finalStar: 2,
      outcome: 'below-recognition',
      levelDecision: { certifies: null },
    });
    await move(id, 'propose', nbOfficer);
    const noReason = await api('POST', `/evaluation/dossiers/${id}/not-recognise`, nbOfficer, {});
    expect(noReason.statusCode).toBe(400);
    const done = await move(id, 'not-recognise', nbOfficer, { reason: 'Dưới 50 điểm' });
    expect(done.state).toBe('not_recognised');
    expect(done.actions).toEqual([]);
  });

  it('marks a result invalid below the minimum number of sheets, which cannot be proposed', async () => {
    const id = await acceptedDossier(cycle);
    await move(id, 'assign', nbOfficer, { councilId: council.id });
    await scoreAndSubmit(id, 'm1', 80);
    const result = await ok<ResultView>(
      api('POST', `/evaluation/dossiers/${id}/close-scoring`, people.chair!.headers, { disqualifiers: [] }),
    );
    expect(result).toMatchObject({
      valid: false,
      outcome: 'invalid',
      sheetCount: 1,
      finalStar: null,
      score: 80,
    });
    const propose = await api('POST', `/evaluation/dossiers/${id}/propose`, nbOfficer, {});
    expect(propose.statusCode).toBe(409);
    await ok(
      api('POST', `/evaluation/dossiers/${id}/reopen-scoring`, people.chair!.headers, {
        reason: 'Thiếu phiếu chấm',
      }),
    );
    expect((await getDossier(id)).state).toBe('in_council');
    const notRecognised = await api('POST', `/evaluation/dossiers/${id}/not-recognise`, nbOfficer, {
      reason: 'x',
    });
    expect(notRecognised.statusCode).toBe(409);
  });
});

describe('closing scoring for a whole council', () => {
  it('computes every dossier still with the council at once, as closing them one by one does; chair only', async () => {
    const cycle = await newCycle();
    const council = await newCouncil(cycle.id, [
      ['chair', 'chair'],
      ['m1', 'member'],
      ['m2', 'member'],
      ['m3', 'secretary'],
      ['advisory', 'advisory'],
    ]);
    const [a, b, c] = [
      await acceptedDossier(cycle),
      await acceptedDossier(cycle),
      await acceptedDossier(cycle),
    ];
    for (const id of [a, b, c]) await move(id, 'assign', nbOfficer, { councilId: council.id });
    for (const [who, total] of [
      ['chair', 80],
      ['m1', 70],
      ['m2', 75],
    ] as const)
      await scoreAndSubmit(a, who, total);
    for (const [who, total] of [
      ['chair', 60],
      ['m1', 62],
      ['m2', 64],
      ['m3', 100],
    ] as const)
      await scoreAndSubmit(b, who, total);
    // m3's sheet on b is left out once they declare a conflict; on c only two sheets: invalid.
    await ok(
      api('POST', `/evaluation/dossiers/${b}/conflicts`, people.m3!.headers, {
        reason: 'Người thân của chủ thể',
      }),
      201,
    );
    await scoreAndSubmit(c, 'chair', 90);
    await ok(
      api('PUT', `/evaluation/dossiers/${c}/my-sheet`, people.m1!.headers, { answers: answersWorth(90) }),
    );

    const url = `/evaluation/councils/${council.id}/close-scoring`;
    expect((await api('POST', url, people.m1!.headers, {})).statusCode).toBe(403);
    expect((await api('POST', url, nbOfficer, {})).statusCode).toBe(403);
    expect((await api('POST', url, hyOfficer, {})).statusCode).toBe(404);
    expect((await api('POST', url, people.outsider!.headers, {})).statusCode).toBe(404);
    expect(
      (await api('POST', `/evaluation/councils/${randomUUID()}/close-scoring`, people.chair!.headers, {}))
        .statusCode,
    ).toBe(404);
    expect(
      (await api('POST', '/evaluation/councils/not-an-id/close-scoring', people.chair!.headers, {}))
        .statusCode,
    ).toBe(400);
    expect((await getDossier(a)).state).toBe('in_council');

    const closed = await ok<{
      closed: number;
      items: { dossierId: string; score: number | null; finalStar: number | null; outcome: string }[];
    }>(api('POST', url, people.chair!.headers, {}));
    expect(closed.closed).toBe(3);
    const byId = new Map(closed.items.map((i) => [i.dossierId, i]));
    expect(byId.get(a)).toMatchObject({ score: 75, finalStar: 4, outcome: 'recognisable' });
    expect(byId.get(b)).toMatchObject({ score: 62, finalStar: 3, outcome: 'recognisable' });
    expect(byId.get(c)).toMatchObject({ finalStar: null, outcome: 'invalid' });
    const resultB = await ok<ResultView>(api('GET', `/evaluation/dossiers/${b}/result`, nbOfficer));
    expect(resultB).toMatchObject({ sequence: 1, sheetCount: 3, score: 62, scoreStar: 3, finalStar: 3 });
    expect(resultB.members.map((m) => m.total).sort()).toEqual([60, 62, 64]);
    for (const id of [a, b, c]) {
      const dossier = await getDossier(id);
      expect(dossier.state).toBe('scored');
      expect(dossier.transitions.at(-1)).toMatchObject({ action: 'close_scoring', fromState: 'in_council' });
    }
    const table = await ok<{ items: { dossierId: string; score: number | null }[] }>(
      api('GET', `/evaluation/cycles/${cycle.id}/results`, nbOfficer),
    );
    expect(table.items.map((i) => i.dossierId).sort()).toEqual([a, b, c].sort());
    expect(table.items.find((i) => i.dossierId === a)!.score).toBe(75);
    const audited = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entityId, b));
    expect(audited.map((r) => r.action)).toContain('evaluation.dossier.close_scoring');
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);

    // Nothing left with the council: a second closing closes nothing; reopening one brings it back.
    expect((await ok<{ closed: number }>(api('POST', url, people.chair!.headers, {}))).closed).toBe(0);
    await ok(
      api('POST', `/evaluation/dossiers/${c}/reopen-scoring`, people.chair!.headers, {
        reason: 'Thiếu phiếu',
      }),
    );
    await ok(api('POST', `/evaluation/dossiers/${c}/my-sheet/submit`, people.m1!.headers, {}));
    await scoreAndSubmit(c, 'm2', 90);
    const again = await ok<{ closed: number; items: { dossierId: string; finalStar: number | null }[] }>(
      api('POST', url, people.chair!.headers, {}),
    );
    expect(again.items).toEqual([expect.objectContaining({ dossierId: c, finalStar: 5 })]);
    const resultC = await ok<ResultView>(api('GET', `/evaluation/dossiers/${c}/result`, nbOfficer));
    expect(resultC).toMatchObject({ sequence: 2, valid: true });
    expect(resultC.supersedesId).not.toBeNull();
  });
});

describe('advisory review and field visit', () => {
  let cycle: CycleView;
  let council: Council;
  let tourism: string;
  const TODAY = localDate(new Date(), 'Asia/Ho_Chi_Minh');
  const review = (id: string) => `/evaluation/dossiers/${id}/advisory-review`;

  beforeAll(async () => {
    // A test copy of the demo tree for the tourism set: the rule-set lists set 26 as needing a field visit.
    const tourismSheet: SheetInput = {
      ...readData<SheetInput>('sheets/26-2026/demo-rau-cu-qua-hat-tuoi.json'),
      code: '26-2026.kiem-thu-du-lich.1',
      productSet: {
        scheme: '2026',
        code: '26',
        name: { vi: 'Dịch vụ du lịch cộng đồng, du lịch sinh thái và điểm du lịch', en: 'Tourism services' },
      },
      demo: false,
      title: { vi: 'Phiếu kiểm thử tự động (du lịch)', en: 'Automated test sheet (tourism)' },
      provenance: { source: 'tests/api/evaluation.test.ts' },
    };
    await ok(api('POST', '/criteria/sheets', admin, tourismSheet), 201);
    await activateShippedSheet(injectCaller(t.app, admin), '26-2026.kiem-thu-du-lich.1');
    cycle = await newCycle();
    council = await newCouncil(cycle.id, [
      ['chair', 'chair'],
      ['m1', 'member'],
      ['m2', 'member'],
      ['advisory', 'advisory'],
    ]);
    await newCouncil(cycle.id, [['otherCouncil', 'chair']]);
    tourism = await acceptedDossier(cycle, producerA, subjectA, NB_A, '26');
    await move(tourism, 'assign', nbOfficer, { councilId: council.id });
    for (const [who, total] of [
      ['chair', 80],
      ['m1', 78],
      ['m2', 82],
    ] as const)
      await scoreAndSubmit(tourism, who, total);
  });

  it('keeps a tourism dossier from closing until the advisory group records its field visit', async () => {
    const close = await api(
      'POST',
      `/evaluation/dossiers/${tourism}/close-scoring`,
      people.chair!.headers,
      {},
    );
    expect(close.statusCode).toBe(409);
    expect(close.json().error.message).toMatch(/khảo sát thực tế/);
    const closeAll = await api(
      'POST',
      `/evaluation/councils/${council.id}/close-scoring`,
      people.chair!.headers,
      {},
    );
    expect(closeAll.statusCode).toBe(409);
    expect(Object.keys(closeAll.json().error.fields)).toEqual([`dossiers.${tourism}`]);
    expect((await getDossier(tourism)).state).toBe('in_council');

    const empty = await ok<AdvisoryReviewView>(api('GET', review(tourism), people.advisory!.headers));
    expect(empty).toMatchObject({ dossierId: tourism, fieldVisitRequired: true, review: null });
    // Notes alone are not a field visit.
    const notes = await ok<AdvisoryReviewView>(
      api('PUT', review(tourism), people.advisory!.headers, {
        reviewNotes: 'Hồ sơ đầy đủ; cần khảo sát điểm đến.',
      }),
    );
    expect(notes.review).toMatchObject({ version: 1, fieldVisit: null, recordedBy: people.advisory!.id });
    expect(
      (await api('POST', `/evaluation/dossiers/${tourism}/close-scoring`, people.chair!.headers, {}))
        .statusCode,
    ).toBe(409);

    const documentId = (await getDossier(tourism)).documents[0]!.id;
    const visit = {
      date: TODAY,
      place: 'Bản Lác, xã Mai Châu',
      findings: 'Homestay đạt chuẩn; đường vào đã bê tông.',
    };
    const noVersion = await api('PUT', review(tourism), people.advisory!.headers, {
      reviewNotes: 'x',
      fieldVisit: visit,
    });
    expect(noVersion.statusCode).toBe(409);
    expect(Object.keys(noVersion.json().error.fields)).toEqual(['version']);
    const stale = await api('PUT', review(tourism), people.advisory!.headers, {
      version: 7,
      reviewNotes: 'x',
    });
    expect(stale.statusCode).toBe(409);
    const visited = await ok<AdvisoryReviewView>(
      api('PUT', review(tourism), people.advisory!.headers, {
        version: 1,
        reviewNotes: 'Hồ sơ đầy đủ; đã khảo sát điểm đến.',
        fieldVisit: visit,
        attachmentDocumentIds: [documentId],
      }),
    );
    expect(visited.review).toMatchObject({
      version: 2,
      fieldVisit: visit,
      attachmentDocumentIds: [documentId],
    });
    // Scoring members read the review; the chair can now close.
    expect(
      (await ok<AdvisoryReviewView>(api('GET', review(tourism), people.m1!.headers))).review?.version,
    ).toBe(2);
    const result = await ok<ResultView>(
      api('POST', `/evaluation/dossiers/${tourism}/close-scoring`, people.chair!.headers, {}),
    );
    expect(result).toMatchObject({ score: 80, finalStar: 4 });
    const late = await api('PUT', review(tourism), people.advisory!.headers, {
      version: 2,
      reviewNotes: 'Bổ sung',
    });
    expect(late.statusCode).toBe(409);
    const history = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'evaluation_dossier'), eq(auditLog.entityId, tourism)))
      .orderBy(asc(auditLog.seq));
    expect(history.map((h) => h.action)).toEqual(
      expect.arrayContaining(['evaluation.advisory_review.recorded', 'evaluation.advisory_review.updated']),
    );
  });

  it('lets only the advisory group of the assigned council or the province write it, and the council read it', async () => {
    const id = await acceptedDossier(cycle);
    // Before assignment the province records for the group; other sets need no field visit.
    const byOfficer = await ok<AdvisoryReviewView>(
      api('PUT', review(id), nbOfficer, { reviewNotes: 'Tổ giúp việc đã rà soát hồ sơ.' }),
    );
    expect(byOfficer).toMatchObject({ fieldVisitRequired: false, review: { version: 1 } });
    await move(id, 'assign', nbOfficer, { councilId: council.id });
    for (const who of ['m1', 'chair', 'otherCouncil'] as const) {
      const write = await api('PUT', review(id), people[who]!.headers, { version: 1, reviewNotes: 'x' });
      expect(write.statusCode, who).toBe(403);
    }
    for (const headers of [producerA, communeA]) {
      expect((await api('PUT', review(id), headers, { version: 1, reviewNotes: 'x' })).statusCode).toBe(403);
      expect((await api('GET', review(id), headers)).statusCode).toBe(403);
    }
    expect((await api('GET', review(id), people.otherCouncil!.headers)).statusCode).toBe(403);
    expect((await api('GET', review(id), hyOfficer)).statusCode).toBe(404);
    expect((await api('PUT', review(id), hyOfficer, { version: 1, reviewNotes: 'x' })).statusCode).toBe(404);
    expect(
      (await api('PUT', review(id), people.outsider!.headers, { version: 1, reviewNotes: 'x' })).statusCode,
    ).toBe(404);
    expect((await api('GET', review(randomUUID()), nbOfficer)).statusCode).toBe(404);
    const byAdvisory = await ok<AdvisoryReviewView>(
      api('PUT', review(id), people.advisory!.headers, {
        version: 1,
        reviewNotes: 'Đồng ý với tổ giúp việc.',
      }),
    );
    expect(byAdvisory.review).toMatchObject({ version: 2, updatedBy: people.advisory!.id });
    // A submitted dossier not yet accepted has no advisory review.
    const early = await completeDraft(cycle.id);
    await move(early, 'submit', producerA);
    expect((await api('PUT', review(early), nbOfficer, { reviewNotes: 'x' })).statusCode).toBe(409);
  });

  it('refuses bad input by field', async () => {
    const id = await acceptedDossier(cycle);
    const visit = { date: TODAY, place: 'Xã A', findings: 'Đạt' };
    const cases: [Record<string, unknown>, string][] = [
      [{}, 'reviewNotes'],
      [{ reviewNotes: '   ' }, 'reviewNotes'],
      [{ reviewNotes: 'a\u0000b' }, 'reviewNotes'],
      [{ reviewNotes: 'x'.repeat(8001) }, 'reviewNotes'],
      [{ reviewNotes: 'x', fieldVisit: { date: TODAY, place: 'Xã A' } }, 'fieldVisit.findings'],
      [{ reviewNotes: 'x', fieldVisit: { ...visit, date: '2026-13-01' } }, 'fieldVisit.date'],
      [{ reviewNotes: 'x', fieldVisit: { ...visit, date: `${NEXT_YEAR + 1}-01-01` } }, 'fieldVisit.date'],
      [{ reviewNotes: 'x', fieldVisit: { ...visit, date: '2020-01-01' } }, 'fieldVisit.date'],
      [{ reviewNotes: 'x', attachmentDocumentIds: [randomUUID()] }, 'attachmentDocumentIds.0'],
      [{ reviewNotes: 'x', attachmentDocumentIds: ['khong-phai-id'] }, 'attachmentDocumentIds.0'],
      [{ reviewNotes: 'x', rating: 5 }, ''],
    ];
    for (const [body, field] of cases) {
      const response = await api('PUT', review(id), nbOfficer, body);
      expect(response.statusCode, JSON.stringify(body).slice(0, 80)).toBe(400);
      if (field) expect(Object.keys(response.json().error.fields ?? {}), field).toContain(field);
    }
    const other = await acceptedDossier(cycle);
    const otherDocument = (await getDossier(other)).documents[0]!.id;
    const foreign = await api('PUT', review(id), nbOfficer, {
      reviewNotes: 'x',
      attachmentDocumentIds: [otherDocument],
    });
    expect(foreign.statusCode).toBe(400);
    expect((await ok<AdvisoryReviewView>(api('GET', review(id), nbOfficer))).review).toBeNull();
  });
});

describe('council minutes as Excel', () => {
  it('lists every counted member score per criterion for a dossier and a cycle, read back from the workbook', async () => {
    const cycle = await newCycle();
    const council = await newCouncil(cycle.id, [
      ['chair', 'chair'],
      ['m1', 'member'],
      ['m2', 'secretary'],
      ['advisory', 'advisory'],
    ]);
    await newCouncil(cycle.id, [['otherCouncil', 'chair']]);
    const [first, second] = [await acceptedDossier(cycle), await acceptedDossier(cycle)];
    expect(second).not.toBe(first);
    const totals = { chair: 80, m1: 70, m2: 75 } as const;
    for (const id of [first, second]) {
      await move(id, 'assign', nbOfficer, { councilId: council.id });
      for (const [who, total] of Object.entries(totals)) await scoreAndSubmit(id, who, total);
    }
    const url = `/evaluation/dossiers/${first}/minutes.xlsx`;
    expect((await api('GET', url, people.chair!.headers)).statusCode).toBe(409);
    await ok(api('POST', `/evaluation/councils/${council.id}/close-scoring`, people.chair!.headers, {}));
    expect((await api('GET', url, producerA)).statusCode).toBe(403);
    expect((await api('GET', url, communeA)).statusCode).toBe(403);
    expect((await api('GET', url, hyOfficer)).statusCode).toBe(404);
    expect((await api('GET', url, people.otherCouncil!.headers)).statusCode).toBe(403);

    const response = await api('GET', url, people.m1!.headers);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toContain('spreadsheetml');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="bien-ban-.*\.xlsx"/);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(response.rawPayload as unknown as ArrayBuffer);
    const dossier = await getDossier(first);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Tổng hợp',
      `1. ${dossier.product.name}`.slice(0, 31).trim(),
    ]);
    const summary = workbook.worksheets[0]!;
    expect(summary.getRow(8).values).toEqual(
      expect.arrayContaining([1, dossier.product.name, 3, 75, 4, 'Đủ điều kiện công nhận']),
    );
    const sheet = workbook.worksheets[1]!;
    const header = (sheet.getRow(10).values as unknown[]).slice(1) as string[];
    const seated = await ok<{ members: { userId: string; fullName: string }[] }>(
      api('GET', `/evaluation/councils/${council.id}`, nbOfficer),
    );
    const columnOf = (who: keyof typeof totals) => {
      const name = seated.members.find((m) => m.userId === people[who]!.id)!.fullName;
      return header.findIndex((h) => h.startsWith(name)) + 1;
    };
    expect(header.slice(0, 3)).toEqual(['Phần', 'Mã tiêu chí', 'Tiêu chí']);
    expect(header).toHaveLength(3 + 3 + 1);
    // Every leaf criterion, each member's points for the option they chose.
    const criteria = leaves(demoSheet);
    criteria.forEach((leaf, i) => {
      const row = sheet.getRow(11 + i);
      expect(row.getCell(2).value).toBe(leaf.code);
      for (const who of ['chair', 'm1', 'm2'] as const) {
        const option = answersWorth(totals[who])[leaf.code];
        expect(row.getCell(columnOf(who)).value, `${leaf.code} ${who}`).toBe(
          leaf.options.find((o) => o.code === option)!.points,
        );
      }
    });
    const rows = sheet.getRows(1, sheet.rowCount)!;
    const labelled = (label: string) =>
      rows.find((r) => r.getCell(3).value === label || r.getCell(1).value === label)!;
    for (const who of ['chair', 'm1', 'm2'] as const)
      expect(labelled('Tổng điểm').getCell(columnOf(who)).value).toBe(totals[who]);
    expect(labelled('Điểm trung bình (làm tròn)').getCell(2).value).toBe(75);
    expect(labelled('Hạng sao').getCell(2).value).toBe(4);

    // The cycle's minutes: the province sees both dossiers, another council's chair none of them.
    const cycleBook = new ExcelJS.Workbook();
    const all = await api('GET', `/evaluation/cycles/${cycle.id}/minutes.xlsx`, nbOfficer);
    expect(all.statusCode).toBe(200);
    await cycleBook.xlsx.load(all.rawPayload as unknown as ArrayBuffer);
    expect(cycleBook.worksheets).toHaveLength(3);
    const other = new ExcelJS.Workbook();
    const none = await api(
      'GET',
      `/evaluation/cycles/${cycle.id}/minutes.xlsx`,
      people.otherCouncil!.headers,
    );
    await other.xlsx.load(none.rawPayload as unknown as ArrayBuffer);
    expect(other.worksheets.map((w) => w.name)).toEqual(['Tổng hợp']);
    expect((await api('GET', `/evaluation/cycles/${cycle.id}/minutes.xlsx`, producerA)).statusCode).toBe(403);
    expect((await api('GET', `/evaluation/cycles/${cycle.id}/minutes.xlsx`, hyOfficer)).statusCode).toBe(404);
  });
});
