import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/modules/accounts/schema';
import type { RuleSetView, SheetSummary } from '../../src/modules/criteria/contract';
import type { Sheet } from '../../src/modules/criteria/documents';
import { readShippedCriteria } from '../../src/modules/criteria/shipped';
import type { CycleView, DossierView } from '../../src/modules/evaluation/contract';
import { localDate } from '../../src/shared/dates';
import { insertProduct, insertSubject } from '../support/db-factories';
import { createTestContext, type TestContext } from '../support/test-app';
import { pdfText } from './certificates-support';

/**
 * Council minutes as PDF over HTTP: one dossier and a whole cycle, read back with pdftotext — the
 * Vietnamese product name, every counted member and their totals, the star, the signatures — with
 * the same access as the Excel minutes (the council and the province once scoring is closed).
 */
type Headers = Record<string, string>;
const NB = '37';
const HY = '33';
const NB_A = '13285';
const PRODUCT_NAME = 'Rau cải mầm hữu cơ Phủ Lý – loại đặc biệt';
let t: TestContext;
let admin: Headers;
let officer: Headers;
let hyOfficer: Headers;
let communeOfficer: Headers;
let producer: Headers;
let subjectId: string;
const people: Record<string, { id: string; headers: Headers; fullName: string }> = {};
const sheet: Sheet = readShippedCriteria().sheets.find((s) => s.document.demo)!.document;
const NEXT_YEAR = Number(localDate(new Date(), 'Asia/Ho_Chi_Minh').slice(0, 4)) + 1;

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

/** Each leaf's best option, except the first `lower` optional criteria answered with their worst. */
function answers(lower: number): Record<string, string> {
  const keep = new Set(['A1.3', 'C2.1', 'C2.2']);
  const out: Record<string, string> = {};
  let lowered = 0;
  const walk = (criteria: Sheet['parts'][number]['groups'][number]['criteria']) => {
    for (const c of criteria) {
      if (c.criteria?.length) walk(c.criteria);
      else {
        const options = [...(c.options ?? [])].sort((a, b) => b.points - a.points);
        const low = !keep.has(c.code) && lowered < lower;
        if (low) lowered++;
        out[c.code] = (low ? options[options.length - 1]! : options[0]!).code;
      }
    }
  };
  for (const part of sheet.parts) for (const group of part.groups) walk(group.criteria);
  return out;
}

function multipart(content: Buffer) {
  const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
  return {
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="ho-so.pdf"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.as({ role: 'system_admin' })).headers;
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  hyOfficer = (await t.as({ role: 'province_officer', provinceCode: HY })).headers;
  communeOfficer = (await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: NB_A })).headers;
  subjectId = await insertSubject(t, 'HTX Rau sạch Phủ Lý', NB_A);
  producer = (await t.as({ role: 'producer', subjectIds: [subjectId] })).headers;
  const names = {
    chair: 'Nguyễn Văn Hùng',
    secretary: 'Trần Thị Ánh Tuyết',
    member: 'Đặng Quốc Việt',
    outsider: 'Lê Thị Hằng',
  };
  for (const [who, fullName] of Object.entries(names)) {
    const { user, headers } = await t.as({ role: 'council_member' });
    await t.database.db.update(users).set({ fullName }).where(eq(users.id, user.id));
    people[who] = { id: user.id, headers, fullName };
  }
  await ok(api('POST', '/criteria/shipped', admin, {}));
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
  const demo = sheets.items.find((s) => s.code === sheet.code)!;
  await ok(api('POST', `/criteria/sheets/${demo.id}/activate`, admin, { version: demo.version }));
});
afterAll(async () => t.close());

describe('council minutes as PDF', () => {
  it('prints a closed dossier and its cycle with every member, for the council and the province only', async () => {
    const cycle = await ok<CycleView>(
      api('POST', '/evaluation/cycles', officer, {
        level: 'province',
        year: NEXT_YEAR,
        round: 1,
        ruleSetCode: '26-2026',
        submissionDeadline: `${NEXT_YEAR}-06-30`,
        meetingDate: `${NEXT_YEAR}-07-15`,
      }),
      201,
    );
    let council = await ok<{ id: string }>(
      api('POST', `/evaluation/cycles/${cycle.id}/councils`, officer, {
        name: 'Hội đồng đánh giá, phân hạng tỉnh Ninh Bình',
      }),
      201,
    );
    for (const [who, role] of [
      ['chair', 'chair'],
      ['secretary', 'secretary'],
      ['member', 'member'],
    ] as const) {
      council = await ok(
        api('POST', `/evaluation/councils/${council.id}/members`, officer, { userId: people[who]!.id, role }),
      );
    }
    const productId = await insertProduct(t, subjectId, NB_A, PRODUCT_NAME, '1');
    const created = await ok<DossierView>(
      api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producer, {
        productId,
        evaluationType: 'new',
      }),
      201,
    );
    const withForm = await ok<DossierView>(
      api('PUT', `/evaluation/dossiers/${created.id}/registration-form`, producer, {
        version: created.version,
        form: { applicantName: 'Nguyễn Thị Lan', phone: '0912 345 678', productName: PRODUCT_NAME },
      }),
    );
    await ok(
      api('PUT', `/evaluation/dossiers/${created.id}/self-assessment`, producer, {
        version: withForm.version,
        answers: answers(0),
      }),
    );
    for (const item of ['mau-01', 'mau-02', 'dang-ky-kinh-doanh', 'mau-san-pham']) {
      const body = multipart(Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n'));
      const uploaded = await t.app.inject({
        method: 'POST',
        url: `/api/v1/evaluation/dossiers/${created.id}/documents?item=${item}`,
        headers: { ...producer, 'content-type': body.contentType },
        payload: body.payload,
      });
      expect(uploaded.statusCode, uploaded.body).toBe(201);
    }
    const id = created.id;
    await ok(api('POST', `/evaluation/dossiers/${id}/submit`, producer, {}));
    if (cycle.precheckRequired)
      await ok(api('POST', `/evaluation/dossiers/${id}/precheck`, communeOfficer, {}));
    await ok(api('POST', `/evaluation/dossiers/${id}/accept`, officer, {}));
    await ok(api('POST', `/evaluation/dossiers/${id}/assign`, officer, { councilId: council.id }));
    for (const [who, lower] of [
      ['chair', 0],
      ['secretary', 3],
      ['member', 6],
    ] as const) {
      await ok(
        api('PUT', `/evaluation/dossiers/${id}/my-sheet`, people[who]!.headers, { answers: answers(lower) }),
      );
      await ok(api('POST', `/evaluation/dossiers/${id}/my-sheet/submit`, people[who]!.headers, {}));
    }
    const url = `/evaluation/dossiers/${id}/minutes.pdf`;
    expect((await api('GET', url, people.chair!.headers)).statusCode).toBe(409);
    await ok(api('POST', `/evaluation/councils/${council.id}/close-scoring`, people.chair!.headers, {}));

    // The same access as the Excel minutes.
    expect((await api('GET', url, producer)).statusCode).toBe(403);
    expect((await api('GET', url, communeOfficer)).statusCode).toBe(403);
    // A council member without a seat in this cycle does not see the dossier at all.
    expect((await api('GET', url, people.outsider!.headers)).statusCode).toBe(404);
    expect((await api('GET', url, hyOfficer)).statusCode).toBe(404);
    for (const headers of [people.member!.headers, officer]) {
      expect((await api('GET', url.replace('.pdf', '.xlsx'), headers)).statusCode).toBe(200);
    }

    const response = await api('GET', url, people.member!.headers);
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('application/pdf');
    expect(response.headers['content-disposition']).toMatch(/attachment; filename="bien-ban-.*\.pdf"/);
    const text = pdfText(response.rawPayload);
    const result = await ok<{ score: number; finalStar: number }>(
      api('GET', `/evaluation/dossiers/${id}/result`, officer),
    );
    for (const expected of [
      'BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP',
      PRODUCT_NAME,
      'Hội đồng đánh giá, phân hạng tỉnh Ninh Bình',
      people.chair!.fullName,
      people.secretary!.fullName,
      people.member!.fullName,
      'Chủ tịch hội đồng',
      'Thư ký hội đồng',
      'CHỮ KÝ CỦA THÀNH VIÊN HỘI ĐỒNG',
      'Điểm theo tiêu chí',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).toContain('100'); // the chair's total: every best option
    expect(text).toContain(`Hạng sao: ${result.finalStar} sao`);
    expect(text).toContain(String(result.score).replace('.', ','));
    expect(text).not.toContain(people.outsider!.fullName);

    const cycleUrl = `/evaluation/cycles/${cycle.id}/minutes.pdf`;
    const all = await api('GET', cycleUrl, officer);
    expect(all.statusCode).toBe(200);
    const cycleText = pdfText(all.rawPayload);
    expect(cycleText).toContain(PRODUCT_NAME);
    expect(cycleText).toContain(people.secretary!.fullName);
    expect((await api('GET', cycleUrl, producer)).statusCode).toBe(403);
    expect((await api('GET', cycleUrl, hyOfficer)).statusCode).toBe(404);
    const outsiderCycle = await api('GET', cycleUrl, people.outsider!.headers);
    expect([403, 404]).toContain(outsiderCycle.statusCode);
  });
});
