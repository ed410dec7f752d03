import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/schema';
import { craftVillages } from '../../src/modules/products/schema';
import { createTestContext, type TestContext } from '../support/test-app';

/** The craft-village registry: officers write within their area, every registry role reads. */
const NB = '37';
const HY = '33';
const NB_A = '13285';
const NB_B = '13291';
const HY_A = '11953';

let t: TestContext;
let admin: Record<string, string>;
let nbOfficer: Record<string, string>;
let hyOfficer: Record<string, string>;
let communeA: Record<string, string>;
let producer: Record<string, string>;
let council: Record<string, string>;

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.as({ role: 'system_admin' })).headers;
  nbOfficer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  hyOfficer = (await t.as({ role: 'province_officer', provinceCode: HY })).headers;
  communeA = (await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: NB_A })).headers;
  producer = (await t.as({ role: 'producer' })).headers;
  council = (await t.as({ role: 'council_member' })).headers;
});
afterAll(async () => t.close());

const api = (
  method: 'GET' | 'POST' | 'PATCH',
  url: string,
  headers: Record<string, string>,
  payload?: unknown,
) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

const villageCount = async () =>
  (await t.database.db.select({ id: craftVillages.id }).from(craftVillages)).length;

async function create(headers: Record<string, string>, body: Record<string, unknown>) {
  const response = await api('POST', '/craft-villages', headers, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

function expectFieldError(
  response: { statusCode: number; json: () => unknown },
  status: number,
  field: string,
) {
  expect(response.statusCode).toBe(status);
  const body = response.json() as { error: { code: string; fields?: Record<string, string> } };
  expect(Object.keys(body.error.fields ?? {})).toContain(field);
  return body.error;
}

describe('creating craft villages', () => {
  it('lets a province officer register a village of their province, audited', async () => {
    const village = await create(nbOfficer, {
      name: 'Làng nghề cói Kim Sơn',
      communeCode: NB_A,
      recognitionYear: 2008,
      traditional: true,
    });
    expect(village).toMatchObject({
      name: 'Làng nghề cói Kim Sơn',
      commune: { code: NB_A },
      province: { code: NB },
      recognitionYear: 2008,
      traditional: true,
      version: 1,
      archivedAt: null,
    });
    const entries = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityType, 'craft_village'), eq(auditLog.entityId, village.id)));
    expect(entries.map((e) => e.action)).toEqual(['craft_village.created']);
  });

  it('keeps officers to their own province and commune', async () => {
    const before = await villageCount();
    const body = { name: `Làng ${randomUUID().slice(0, 6)}`, communeCode: NB_B };
    expect((await api('POST', '/craft-villages', hyOfficer, body)).statusCode).toBe(403);
    expect((await api('POST', '/craft-villages', communeA, body)).statusCode).toBe(403);
    expect((await api('POST', '/craft-villages', producer, body)).statusCode).toBe(403);
    expect((await api('POST', '/craft-villages', council, body)).statusCode).toBe(403);
    expect(await villageCount()).toBe(before);
    await create(communeA, { ...body, communeCode: NB_A });
    await create(admin, { ...body, communeCode: HY_A });
  });

  it('refuses bad input with 4xx naming the field, creating nothing', async () => {
    const thisYear = new Date().getFullYear();
    await create(admin, { name: 'Làng gốm Bồ Bát', communeCode: NB_B });
    const cases: [Record<string, unknown>, number, string][] = [
      [{ communeCode: NB_A }, 400, 'name'],
      [{ name: '  ', communeCode: NB_A }, 400, 'name'],
      [{ name: 'Làng\u0000gốm', communeCode: NB_A }, 400, 'name'],
      [{ name: 'L'.repeat(201), communeCode: NB_A }, 400, 'name'],
      [{ name: 'Làng A' }, 400, 'communeCode'],
      [{ name: 'Làng A', communeCode: '99999' }, 400, 'communeCode'],
      [{ name: 'Làng A', communeCode: NB_A, recognitionYear: 'năm 2000' }, 400, 'recognitionYear'],
      [{ name: 'Làng A', communeCode: NB_A, recognitionYear: 2000.5 }, 400, 'recognitionYear'],
      [{ name: 'Làng A', communeCode: NB_A, recognitionYear: 1800 }, 400, 'recognitionYear'],
      [{ name: 'Làng A', communeCode: NB_A, recognitionYear: thisYear + 1 }, 400, 'recognitionYear'],
      [{ name: 'Làng A', communeCode: NB_A, traditional: 'yes' }, 400, 'traditional'],
      [{ name: 'Làng A', communeCode: NB_A, founded: 1900 }, 400, 'founded'],
      [{ name: 'LÀNG GỐM BỒ BÁT', communeCode: NB_B }, 409, 'name'],
    ];
    const before = await villageCount();
    for (const [body, status, field] of cases) {
      expectFieldError(await api('POST', '/craft-villages', admin, body), status, field);
    }
    expect(await villageCount()).toBe(before);
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/craft-villages',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"name":',
    });
    expect(malformed.json().error.code).toBe('MALFORMED_JSON');
  });
});

describe('reading craft villages', () => {
  it('searches accent-insensitively and filters, for every registry role but council members', async () => {
    await create(admin, {
      name: 'Làng gốm Bát Tràng',
      communeCode: HY_A,
      traditional: true,
      recognitionYear: 1990,
    });
    for (const reader of [producer, communeA, hyOfficer, admin]) {
      const response = await api('GET', '/craft-villages?q=lang%20gom%20bat', reader);
      expect(response.statusCode).toBe(200);
      expect(response.json().items.map((v: { name: string }) => v.name)).toEqual(['Làng gốm Bát Tràng']);
    }
    expect((await api('GET', '/craft-villages', council)).statusCode).toBe(403);
    const inHy = (await api('GET', `/craft-villages?provinceCode=${HY}&traditional=true`, admin)).json();
    expect(inHy.items.every((v: { province: { code: string } }) => v.province.code === HY)).toBe(true);
    expect(inHy.total).toBeGreaterThan(0);
    expectFieldError(await api('GET', '/craft-villages?pageSize=500', admin), 400, 'pageSize');
    expectFieldError(await api('GET', '/craft-villages?traditional=maybe', admin), 400, 'traditional');
    expect((await api('GET', `/craft-villages/${randomUUID()}`, admin)).statusCode).toBe(404);
  });
});

describe('updating and archiving craft villages', () => {
  it('updates with the version read; a stale version gets 409 STALE', async () => {
    const village = await create(communeA, { name: 'Làng rèn Phủ Lý', communeCode: NB_A });
    const updated = await api('PATCH', `/craft-villages/${village.id}`, communeA, {
      version: 1,
      recognitionYear: 2015,
      traditional: true,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toMatchObject({ recognitionYear: 2015, traditional: true, version: 2 });
    const stale = await api('PATCH', `/craft-villages/${village.id}`, communeA, { version: 1, name: 'Khác' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE');
    expectFieldError(
      await api('PATCH', `/craft-villages/${village.id}`, communeA, { name: 'Khác' }),
      400,
      'version',
    );
    expectFieldError(
      await api('PATCH', `/craft-villages/${village.id}`, communeA, { version: 2, recognitionYear: 3000 }),
      400,
      'recognitionYear',
    );
    // Moving it out of the officer's commune is not theirs to do.
    expect(
      (await api('PATCH', `/craft-villages/${village.id}`, communeA, { version: 2, communeCode: NB_B }))
        .statusCode,
    ).toBe(403);
    expect(
      (await api('PATCH', `/craft-villages/${village.id}`, hyOfficer, { version: 2, name: 'X' })).statusCode,
    ).toBe(403);
    const moved = await api('PATCH', `/craft-villages/${village.id}`, nbOfficer, {
      version: 2,
      communeCode: NB_B,
    });
    expect(moved.json()).toMatchObject({ commune: { code: NB_B }, version: 3 });
  });

  it('archives and restores, refusing a restore that would duplicate an active name', async () => {
    const village = await create(admin, { name: 'Làng mây tre đan Phù Vân', communeCode: NB_B });
    expect((await api('POST', `/craft-villages/${village.id}/archive`, hyOfficer)).statusCode).toBe(403);
    const archived = await api('POST', `/craft-villages/${village.id}/archive`, nbOfficer);
    expect(archived.statusCode).toBe(200);
    expect(archived.json().archivedAt).toBeTruthy();
    expect((await api('POST', `/craft-villages/${village.id}/archive`, nbOfficer)).statusCode).toBe(409);
    expect((await api('GET', '/craft-villages?q=may%20tre%20dan%20phu%20van', admin)).json().total).toBe(0);
    expect(
      (await api('GET', '/craft-villages?q=may%20tre%20dan%20phu%20van&archived=only', admin)).json().total,
    ).toBe(1);
    expect(
      (await api('PATCH', `/craft-villages/${village.id}`, nbOfficer, { version: 2, name: 'X' })).statusCode,
    ).toBe(409);
    const twin = await create(admin, { name: 'Làng mây tre đan Phù Vân', communeCode: NB_B });
    expectFieldError(await api('POST', `/craft-villages/${village.id}/restore`, nbOfficer), 409, 'name');
    await api('POST', `/craft-villages/${twin.id}/archive`, nbOfficer);
    const restored = await api('POST', `/craft-villages/${village.id}/restore`, nbOfficer);
    expect(restored.statusCode).toBe(200);
    expect(restored.json().archivedAt).toBeNull();
    const actions = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entityId, village.id))
      .orderBy(auditLog.seq);
    expect(actions.map((a) => a.action)).toEqual([
      'craft_village.created',
      'craft_village.archived',
      'craft_village.restored',
    ]);
  });
});
