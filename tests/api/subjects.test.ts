import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { queryRows } from '../../src/db/client';
import type { Role } from '../../src/modules/accounts/roles';
import { communes, provinces } from '../../src/modules/admin-units/schema';
import { auditLog } from '../../src/modules/audit/schema';
import { taxCodeCheckDigit } from '../../src/modules/subjects/rules';
import { subjects } from '../../src/modules/subjects/schema';
import { countSubjects, duplicateFieldOf } from '../../src/modules/subjects/service';
import type { Actor } from '../../src/server/context';
import { vietnameseSortKey } from '../../src/shared/text';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * The subjects API on the running app: every route, scope by role and area, bad input of each
 * kind, duplicates, stale versions, archiving and the audit trail.
 */
let t: TestContext;
type Headers = Record<string, string>;

/** Two provinces: Ninh Bình (37) with three communes, Hưng Yên (33) with one. */
const units = { p1: '37', p2: '33', a: '', b: '', c: '', other: '' };

/** Uses the loaded reference data; inserts the few rows needed when the table is empty. */
async function ensureUnits() {
  const { db } = t.database;
  const pick = async (provinceCode: string, n: number) =>
    (
      await db
        .select({ code: communes.code })
        .from(communes)
        .where(eq(communes.provinceCode, provinceCode))
        .orderBy(communes.code)
        .limit(n)
    ).map((r) => r.code);
  let ninhBinh = await pick(units.p1, 3);
  let hungYen = await pick(units.p2, 1);
  if (ninhBinh.length < 3 || hungYen.length < 1) {
    await db
      .insert(provinces)
      .values([
        { code: '37', name: 'Tỉnh Ninh Bình', divisionType: 'tỉnh' },
        { code: '33', name: 'Tỉnh Hưng Yên', divisionType: 'tỉnh' },
      ])
      .onConflictDoNothing();
    await db
      .insert(communes)
      .values([
        { code: '13285', provinceCode: '37', name: 'Phường Phủ Lý', divisionType: 'phường' },
        { code: '13291', provinceCode: '37', name: 'Phường Phù Vân', divisionType: 'phường' },
        { code: '13318', provinceCode: '37', name: 'Phường Châu Sơn', divisionType: 'phường' },
        { code: '11953', provinceCode: '33', name: 'Phường Phố Hiến', divisionType: 'phường' },
      ])
      .onConflictDoNothing();
    ninhBinh = await pick(units.p1, 3);
    hungYen = await pick(units.p2, 1);
  }
  [units.a, units.b, units.c] = ninhBinh as [string, string, string];
  units.other = hungYen[0]!;
}

let taxSeed = 370_100_000;
/** A fresh tax code with a valid check digit. */
function nextTaxCode(): string {
  for (;;) {
    const nine = String(taxSeed++).padStart(9, '0');
    const digit = taxCodeCheckDigit(nine);
    if (digit !== null) return `${nine}${digit}`;
  }
}

function subjectBody(over: Record<string, unknown> = {}) {
  return {
    name: 'Hợp tác xã Nông nghiệp Gia Sinh',
    type: 'cooperative',
    taxCode: nextTaxCode(),
    address: 'Thôn Đông, xã Gia Sinh',
    communeCode: units.a,
    legalRepresentative: 'Đinh Thị Hương',
    legalRepresentativeGender: 'female',
    workforceTotal: 25,
    workforceLocal: 20,
    workforceTrained: 8,
    salesChannels: [
      { kind: 'ecommerce', detail: 'https://shopee.vn/htx-gia-sinh' },
      { kind: 'traditional_market', detail: null },
    ],
    phone: '0912 345 678',
    email: 'HTX.GiaSinh@example.vn',
    website: 'https://htxgiasinh.vn',
    ...over,
  };
}

const users = {} as Record<
  'admin' | 'province1' | 'province2' | 'communeA' | 'communeB' | 'council' | 'producer' | 'otherProducer',
  Headers
>;
let subjectA: { id: string; version: number };
let subjectB: { id: string; version: number };

const send = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers, payload?: object) =>
  t.app.inject({ method, url: `/api/v1${url}`, headers, payload });

async function create(headers: Headers, over: Record<string, unknown> = {}) {
  const response = await send('POST', '/subjects', headers, subjectBody(over));
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; version: number; name: string } & Record<string, unknown>;
}

async function as(role: Role, scope: { provinceCode?: string; communeCode?: string; subjectIds?: string[] }) {
  return (await t.as({ role, ...scope })).headers;
}

async function auditOf(id: string) {
  return t.database.db
    .select({ action: auditLog.action, before: auditLog.before, after: auditLog.after })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'subject'), eq(auditLog.entityId, id)))
    .orderBy(auditLog.seq);
}

async function countRows() {
  const [subjectRows] = await queryRows<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from subjects`,
  );
  const [auditRows] = await queryRows<{ n: number }>(
    t.database.db,
    sql`select count(*)::int as n from audit_log`,
  );
  return { subjects: subjectRows!.n, audit: auditRows!.n };
}

beforeAll(async () => {
  t = await createTestContext();
  await ensureUnits();
  users.admin = await as('system_admin', {});
  users.province1 = await as('province_officer', { provinceCode: units.p1 });
  users.province2 = await as('province_officer', { provinceCode: units.p2 });
  users.communeA = await as('commune_officer', { provinceCode: units.p1, communeCode: units.a });
  users.communeB = await as('commune_officer', { provinceCode: units.p1, communeCode: units.b });
  users.council = await as('council_member', {});
  subjectA = await create(users.admin, { name: 'Cơm cháy Ninh Bình Xuân Hòa' });
  subjectB = await create(users.admin, { name: 'Mộc Kim Sơn', communeCode: units.b, type: 'farm' });
  users.producer = await as('producer', { subjectIds: [subjectA.id] });
  users.otherProducer = await as('producer', { subjectIds: [subjectB.id] });
});
afterAll(async () => t.close());

describe('form metadata', () => {
  it('lists types, channels and genders with labels for any signed-in user', async () => {
    const response = await send('GET', '/subjects/meta', users.council);
    expect(response.statusCode).toBe(200);
    const meta = response.json();
    expect(meta.types.map((x: { code: string }) => x.code)).toEqual([
      'cooperative',
      'cooperative_group',
      'sme',
      'other_enterprise',
      'household_business',
      'farm',
      'association',
      'tourism_operator',
    ]);
    expect(meta.salesChannelKinds.find((x: { code: string }) => x.code === 'ecommerce')).toMatchObject({
      vi: 'Sàn thương mại điện tử',
      requiresDetail: true,
      modern: true,
    });
    expect(meta.genders).toHaveLength(3);
    expect(meta.sorts).toContain('name');
  });

  it('needs a session', async () => {
    expect((await send('GET', '/subjects/meta', {})).statusCode).toBe(401);
  });
});

describe('creating', () => {
  it('stores the record with its commune and province, normalised contacts, and audits it', async () => {
    const taxCode = nextTaxCode();
    const created = await create(users.admin, {
      name: 'Công ty TNHH Cơm cháy Bảo Minh',
      type: 'sme',
      taxCode,
      legalRepresentativeGender: 'male',
    });
    expect(created).toMatchObject({
      type: 'sme',
      taxCode,
      // An enterprise's registration number is its tax code.
      businessRegistrationNo: taxCode,
      communeCode: units.a,
      provinceCode: units.p1,
      womanLed: false,
      phone: '0912345678',
      email: 'htx.giasinh@example.vn',
      version: 1,
      archivedAt: null,
      salesChannels: [
        { kind: 'ecommerce', detail: 'https://shopee.vn/htx-gia-sinh' },
        { kind: 'traditional_market', detail: null },
      ],
    });
    expect(created.communeName).toEqual(expect.any(String));
    expect(created.provinceName).toMatch(/Ninh Bình/);
    const audit = await auditOf(created.id);
    expect(audit.map((a) => a.action)).toEqual(['subject.created']);
    expect(audit[0]!.before).toBeNull();
    expect(audit[0]!.after).toMatchObject({ id: created.id, taxCode });
  });

  it('defaults "run by a woman" to the legal representative being a woman', async () => {
    const created = await create(users.admin, { legalRepresentativeGender: 'female' });
    expect(created.womanLed).toBe(true);
    const explicit = await create(users.admin, { legalRepresentativeGender: 'female', womanLed: false });
    expect(explicit.womanLed).toBe(false);
  });

  it('lets officers create in their own area only (403 naming the commune otherwise)', async () => {
    await create(users.communeA, { communeCode: units.a });
    await create(users.province1, { communeCode: units.b });
    const before = await countRows();
    for (const [headers, communeCode] of [
      [users.communeA, units.b],
      [users.province1, units.other],
      [users.province2, units.a],
    ] as const) {
      const response = await send('POST', '/subjects', headers, subjectBody({ communeCode }));
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
      expect(response.json().error.fields.communeCode).toBeTruthy();
    }
    expect(await countRows()).toEqual(before);
  });

  it('is refused to producers and council members by role', async () => {
    for (const headers of [users.producer, users.council]) {
      const response = await send('POST', '/subjects', headers, subjectBody());
      expect(response.statusCode).toBe(403);
      expect(response.json().error.code).toBe('FORBIDDEN');
    }
  });

  it('accepts a household business with a personal ID number as tax code and a local registration number', async () => {
    const created = await create(users.admin, {
      type: 'household_business',
      taxCode: '037190001234',
      businessRegistrationNo: ' 27a8 012345 ',
      workforceTotal: null,
      workforceLocal: null,
      workforceTrained: null,
      salesChannels: [],
      phone: null,
      email: '',
      website: null,
    });
    expect(created).toMatchObject({
      taxCode: '037190001234',
      businessRegistrationNo: '27A8012345',
      workforceTotal: null,
      email: null,
      salesChannels: [],
    });
  });
});

describe('bad input gets a 4xx naming the field and changes nothing', () => {
  const cases: [string, Record<string, unknown>, string][] = [
    ['missing name', { name: undefined }, 'name'],
    ['name of the wrong type', { name: 123 }, 'name'],
    ['blank name', { name: '   ' }, 'name'],
    ['name too long', { name: 'Đ'.repeat(251) }, 'name'],
    ['control character in the address', { address: 'Thôn\u0000Đông' }, 'address'],
    ['address too long', { address: 'a'.repeat(501) }, 'address'],
    ['unknown type', { type: 'company' }, 'type'],
    ['type of the wrong type', { type: ['cooperative'] }, 'type'],
    ['tax code check digit', { taxCode: '0300588568' }, 'taxCode'],
    ['tax code format', { taxCode: '03005885' }, 'taxCode'],
    ['tax code as a number', { taxCode: 300588569 }, 'taxCode'],
    ['personal ID for a cooperative', { taxCode: '037190001234' }, 'taxCode'],
    ['enterprise without tax code', { type: 'sme', taxCode: null }, 'taxCode'],
    [
      'enterprise registration differing from its tax code',
      { type: 'other_enterprise', businessRegistrationNo: '27A8012345' },
      'businessRegistrationNo',
    ],
    ['registration number with symbols', { businessRegistrationNo: '27#A8' }, 'businessRegistrationNo'],
    ['commune code format', { communeCode: '37' }, 'communeCode'],
    ['unknown commune', { communeCode: '99999' }, 'communeCode'],
    ['missing commune', { communeCode: undefined }, 'communeCode'],
    ['unknown gender', { legalRepresentativeGender: 'nu' }, 'legalRepresentativeGender'],
    ['womanLed as text', { womanLed: 'yes' }, 'womanLed'],
    ['negative workforce', { workforceTotal: -1 }, 'workforceTotal'],
    ['fractional workforce', { workforceTotal: 2.5 }, 'workforceTotal'],
    ['workforce as text', { workforceTotal: '25' }, 'workforceTotal'],
    ['local workers above the total', { workforceLocal: 26 }, 'workforceLocal'],
    ['trained workers above the total', { workforceTrained: 30 }, 'workforceTrained'],
    [
      'workers without a total',
      { workforceTotal: null, workforceLocal: 3, workforceTrained: null },
      'workforceTotal',
    ],
    ['e-commerce without the shop', { salesChannels: [{ kind: 'ecommerce' }] }, 'salesChannels.0.detail'],
    ['unknown channel', { salesChannels: [{ kind: 'tiktok' }] }, 'salesChannels.0.kind'],
    ['channels not a list', { salesChannels: 'market' }, 'salesChannels'],
    [
      'the same channel twice',
      { salesChannels: [{ kind: 'supermarket' }, { kind: 'supermarket' }] },
      'salesChannels.1',
    ],
    [
      'too many channels',
      { salesChannels: Array.from({ length: 21 }, () => ({ kind: 'export' })) },
      'salesChannels',
    ],
    ['phone', { phone: '12345' }, 'phone'],
    ['e-mail', { email: 'htx@' }, 'email'],
    ['website', { website: 'javascript:alert(1)' }, 'website'],
    ['unknown field', { taxcode: '0300588569' }, 'taxcode'],
    ['unknown field in a channel', { salesChannels: [{ kind: 'export', url: 'x' }] }, 'salesChannels.0.url'],
  ];

  it.each(cases)('%s', async (_, over, field) => {
    const before = await countRows();
    const response = await send('POST', '/subjects', users.admin, subjectBody(over));
    expect(response.statusCode, response.body).toBe(400);
    const body = response.json();
    expect(body.error.code).toBe('VALIDATION');
    expect(Object.keys(body.error.fields)).toContain(field);
    expect(await countRows()).toEqual(before);
  });

  it('explains the tax code check digit in Vietnamese, and in English on request', async () => {
    const vi = await send('POST', '/subjects', users.admin, subjectBody({ taxCode: '0300588568' }));
    expect(vi.json().error.fields.taxCode).toBe('Chữ số kiểm tra của mã số thuế không đúng.');
    const en = await send(
      'POST',
      '/subjects',
      { ...users.admin, 'accept-language': 'en' },
      subjectBody({ workforceLocal: 99 }),
    );
    expect(en.json().error.fields.workforceLocal).toBe('Local workers cannot exceed the total workforce.');
  });

  it('answers malformed JSON with 400 MALFORMED_JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/subjects',
      headers: { ...users.admin, 'content-type': 'application/json' },
      payload: '{"name": "Cơm cháy",',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('MALFORMED_JSON');
  });

  it('refuses a malformed id and bad list parameters with 400', async () => {
    expect((await send('GET', '/subjects/not-a-uuid', users.admin)).statusCode).toBe(400);
    for (const query of [
      'pageSize=101',
      'page=0',
      'sort=rank',
      'type=company',
      'provinceCode=3',
      'includeArchived=maybe',
    ]) {
      const response = await send('GET', `/subjects?${query}`, users.admin);
      expect(response.statusCode, query).toBe(400);
      expect(response.json().error.code).toBe('VALIDATION');
    }
  });
});

describe('duplicates', () => {
  it('refuses a tax code or registration number another subject has (409 naming the field)', async () => {
    const first = await create(users.admin, { businessRegistrationNo: '27A8099999' });
    const before = await countRows();
    const sameTax = await send('POST', '/subjects', users.admin, subjectBody({ taxCode: first.taxCode }));
    expect(sameTax.statusCode).toBe(409);
    expect(sameTax.json().error).toMatchObject({ code: 'CONFLICT', fields: { taxCode: expect.any(String) } });
    const sameRegistration = await send(
      'POST',
      '/subjects',
      users.admin,
      subjectBody({ businessRegistrationNo: '27a8 099999' }),
    );
    expect(sameRegistration.statusCode).toBe(409);
    expect(sameRegistration.json().error.fields.businessRegistrationNo).toBeTruthy();
    expect(await countRows()).toEqual(before);
  });

  it('refuses the same on update', async () => {
    const first = await create(users.admin);
    const second = await create(users.admin);
    const response = await send('PATCH', `/subjects/${second.id}`, users.admin, {
      version: second.version,
      taxCode: first.taxCode,
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.fields.taxCode).toBeTruthy();
  });

  it('lets only one of two simultaneous creates with one tax code through', async () => {
    const body = subjectBody();
    const responses = await Promise.all([
      send('POST', '/subjects', users.admin, body),
      send('POST', '/subjects', users.admin, body),
    ]);
    expect(responses.map((r) => r.statusCode).sort()).toEqual([201, 409]);
    const refused = responses.find((r) => r.statusCode === 409)!;
    expect(refused.json().error.fields.taxCode).toBeTruthy();
  });

  it('maps the database unique violation (as after a race) to the field', async () => {
    const first = await create(users.admin);
    const error = await t.database.db
      .insert(subjects)
      .values({
        name: 'Trùng',
        type: 'cooperative',
        taxCode: String(first.taxCode),
        address: 'x',
        communeCode: units.a,
        legalRepresentative: 'x',
        legalRepresentativeGender: 'male',
      })
      .then(
        () => null,
        (e: unknown) => e,
      );
    expect(error).not.toBeNull();
    expect(duplicateFieldOf(error)).toBe('taxCode');
    expect(duplicateFieldOf(new Error('other'))).toBeNull();
  });
});

describe('reading and scope', () => {
  it('shows a subject to those whose area or subject it is', async () => {
    for (const headers of [users.admin, users.province1, users.communeA, users.producer]) {
      const response = await send('GET', `/subjects/${subjectA.id}`, headers);
      expect(response.statusCode).toBe(200);
      expect(response.json().id).toBe(subjectA.id);
    }
  });

  it('answers 404 outside one’s area or subjects, as for a subject that does not exist', async () => {
    for (const headers of [users.province2, users.communeB, users.otherProducer]) {
      const response = await send('GET', `/subjects/${subjectA.id}`, headers);
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('NOT_FOUND');
    }
    const missing = await send('GET', '/subjects/00000000-0000-4000-8000-000000000000', users.admin);
    expect(missing.statusCode).toBe(404);
  });

  it('keeps council members out of the registry', async () => {
    expect((await send('GET', `/subjects/${subjectA.id}`, users.council)).statusCode).toBe(403);
    expect((await send('GET', '/subjects', users.council)).statusCode).toBe(403);
  });

  it('lists only the caller’s slice of the registry', async () => {
    const ids = async (headers: Headers, query = '') =>
      (await send('GET', `/subjects?pageSize=100${query}`, headers))
        .json()
        .items.map((s: { id: string }) => s.id);
    const producerIds = await ids(users.producer);
    expect(producerIds).toEqual([subjectA.id]);
    const communeIds = await ids(users.communeB);
    expect(communeIds).toContain(subjectB.id);
    expect(communeIds).not.toContain(subjectA.id);
    const province2 = await send('GET', '/subjects?pageSize=100', users.province2);
    expect(province2.json().items.every((s: { provinceCode: string }) => s.provinceCode === units.p2)).toBe(
      true,
    );
    const province1 = await send('GET', '/subjects?pageSize=100', users.province1);
    expect(province1.json().total).toBeGreaterThan(1);
    expect(province1.json().items.every((s: { provinceCode: string }) => s.provinceCode === units.p1)).toBe(
      true,
    );
    // A filter cannot widen the scope.
    expect(await ids(users.communeB, `&communeCode=${units.a}`)).toEqual([]);
  });
});

describe('listing', () => {
  const names = [
    'Đặc sản Đồng Tháp',
    'Dầu lạc Yên Mô',
    'An Phú',
    'Ấp Bắc',
    'Ăn ngon',
    'Bính Ấn',
    'Bình An',
    'Binh An',
    'Tổ hợp tác 10',
    'Tổ hợp tác 2',
    'Ốc Hương',
    'Ơn Trời',
    'Ưng Hòa',
    'Uyên Nguyên',
    'Cơm cháy Hải Anh',
    'Cơ sở Mộc Ánh Dương',
    'Zen Farm',
  ];
  const listed: string[] = [];

  beforeAll(async () => {
    for (const name of names) {
      listed.push((await create(users.admin, { name, communeCode: units.c, type: 'cooperative_group' })).id);
    }
  });

  it('pages through names in Vietnamese order without overlap', async () => {
    const collator = new Intl.Collator('vi', { numeric: true });
    const seen: string[] = [];
    for (let page = 1; page <= 5; page++) {
      const response = await send(
        'GET',
        `/subjects?communeCode=${units.c}&pageSize=4&page=${page}`,
        users.admin,
      );
      expect(response.statusCode).toBe(200);
      const body = response.json();
      expect(body).toMatchObject({ total: names.length, page, pageSize: 4 });
      seen.push(...body.items.map((s: { name: string }) => s.name));
    }
    expect(seen).toEqual([...names].sort(collator.compare));
    const reversed = await send(
      'GET',
      `/subjects?communeCode=${units.c}&pageSize=100&sort=-name`,
      users.admin,
    );
    expect(reversed.json().items.map((s: { name: string }) => s.name)).toEqual(
      [...names].sort(collator.compare).reverse(),
    );
  });

  it('computes the same sort key in SQL as in JS', async () => {
    const samples = [
      ...names,
      'Ê-đê “Craft”',
      'Tổ 007 – nhóm…',
      'ẶC\u00a0biệt',
      'Trang trại (Gia đình) Phúc',
      '中文 😀',
    ];
    for (const name of samples) {
      const [row] = await queryRows<{ key: string }>(
        t.database.db,
        sql`select ocop_sort_key(${name}) as key`,
      );
      expect([name, row!.key]).toEqual([name, vietnameseSortKey(name)]);
    }
  });

  it('sorts by last change, newest first', async () => {
    const response = await send(
      'GET',
      `/subjects?communeCode=${units.c}&pageSize=3&sort=-updatedAt`,
      users.admin,
    );
    const items = response.json().items as { updatedAt: string }[];
    const times = items.map((s) => Date.parse(s.updatedAt));
    expect([...times].sort((x, y) => y - x)).toEqual(times);
  });

  it('finds names without accents, and subjects by tax code', async () => {
    const byName = await send(
      'GET',
      `/subjects?q=${encodeURIComponent('com chay')}&pageSize=100`,
      users.admin,
    );
    const found = byName.json().items.map((s: { name: string }) => s.name);
    expect(found).toContain('Cơm cháy Hải Anh');
    expect(found).toContain('Cơm cháy Ninh Bình Xuân Hòa');
    expect(found.every((n: string) => /cơm cháy/i.test(n))).toBe(true);
    const dac = await send('GET', `/subjects?q=${encodeURIComponent('DAC SAN dong')}`, users.admin);
    expect(dac.json().items.map((s: { name: string }) => s.name)).toEqual(['Đặc sản Đồng Tháp']);
    const subject = (await send('GET', `/subjects/${listed[0]}`, users.admin)).json();
    const byTax = await send('GET', `/subjects?q=${subject.taxCode}`, users.admin);
    expect(byTax.json().items.map((s: { id: string }) => s.id)).toEqual([subject.id]);
    const wildcard = await send('GET', `/subjects?q=${encodeURIComponent('%')}`, users.admin);
    expect(wildcard.json().total).toBe(0);
  });

  it('filters by province, commune and type', async () => {
    const byType = await send('GET', '/subjects?type=cooperative_group&pageSize=100', users.admin);
    expect(byType.json().total).toBe(names.length);
    const byProvince = await send('GET', `/subjects?provinceCode=${units.p2}`, users.admin);
    expect(byProvince.json().total).toBe(0);
    const byCommune = await send('GET', `/subjects?communeCode=${units.b}&pageSize=100`, users.admin);
    expect(byCommune.json().items.map((s: { id: string }) => s.id)).toContain(subjectB.id);
  });
});

describe('updating', () => {
  it('changes only the fields sent, bumps the version and audits before and after', async () => {
    const created = await create(users.communeA);
    const response = await send('PATCH', `/subjects/${created.id}`, users.communeA, {
      version: 1,
      name: 'HTX Gia Sinh (đổi tên)',
      website: null,
      workforceTotal: 40,
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({
      name: 'HTX Gia Sinh (đổi tên)',
      website: null,
      workforceTotal: 40,
      workforceLocal: 20,
      address: created.address,
      version: 2,
    });
    const audit = await auditOf(created.id);
    expect(audit.map((a) => a.action)).toEqual(['subject.created', 'subject.updated']);
    expect(audit[1]!.before).toMatchObject({ name: created.name, version: 1 });
    expect(audit[1]!.after).toMatchObject({ name: 'HTX Gia Sinh (đổi tên)', version: 2 });
  });

  it('refuses an edit of an older version with 409 STALE and keeps the newer one', async () => {
    const created = await create(users.admin);
    const first = await send('PATCH', `/subjects/${created.id}`, users.admin, {
      version: 1,
      name: 'Bản một',
    });
    expect(first.statusCode).toBe(200);
    const stale = await send('PATCH', `/subjects/${created.id}`, users.admin, {
      version: 1,
      name: 'Bản hai',
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE');
    expect((await send('GET', `/subjects/${created.id}`, users.admin)).json()).toMatchObject({
      name: 'Bản một',
      version: 2,
    });
  });

  it('needs the version', async () => {
    const response = await send('PATCH', `/subjects/${subjectA.id}`, users.admin, {
      name: 'Không phiên bản',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields.version).toBeTruthy();
  });

  it('checks rules on the merged record', async () => {
    const created = await create(users.admin);
    const response = await send('PATCH', `/subjects/${created.id}`, users.admin, {
      version: 1,
      workforceTotal: 5,
    });
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json().error.fields).sort()).toEqual(['workforceLocal', 'workforceTrained']);
  });

  it('lets a producer edit their own subject but not move it or touch another', async () => {
    const current = (await send('GET', `/subjects/${subjectA.id}`, users.producer)).json();
    const own = await send('PATCH', `/subjects/${subjectA.id}`, users.producer, {
      version: current.version,
      phone: '+84 229 3871 234',
    });
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().phone).toBe('02293871234');
    const move = await send('PATCH', `/subjects/${subjectA.id}`, users.producer, {
      version: own.json().version,
      communeCode: units.b,
    });
    expect(move.statusCode).toBe(403);
    expect(move.json().error.fields.communeCode).toBeTruthy();
    const other = await send('PATCH', `/subjects/${subjectB.id}`, users.producer, {
      version: 1,
      name: 'Chiếm',
    });
    expect(other.statusCode).toBe(404);
  });

  it('lets officers move a subject only within their area', async () => {
    const created = await create(users.province1);
    const within = await send('PATCH', `/subjects/${created.id}`, users.province1, {
      version: 1,
      communeCode: units.b,
    });
    expect(within.statusCode).toBe(200);
    expect(within.json().communeCode).toBe(units.b);
    const away = await send('PATCH', `/subjects/${created.id}`, users.province1, {
      version: 2,
      communeCode: units.other,
    });
    expect(away.statusCode).toBe(403);
    const unknown = await send('PATCH', `/subjects/${created.id}`, users.province1, {
      version: 2,
      communeCode: '99999',
    });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().error.fields.communeCode).toBeTruthy();
  });

  it('answers 404 to officers of another commune or province', async () => {
    for (const headers of [users.communeB, users.province2]) {
      const response = await send('PATCH', `/subjects/${subjectA.id}`, headers, { version: 1, name: 'X' });
      expect(response.statusCode).toBe(404);
    }
  });
});

describe('archiving', () => {
  it('hides an archived subject from the default list, keeps it readable, and restores it', async () => {
    const created = await create(users.communeA, { name: 'Lưu trữ thử nghiệm' });
    const archived = await send('POST', `/subjects/${created.id}/archive`, users.communeA, {
      reason: 'Ngừng sản xuất',
    });
    expect(archived.statusCode, archived.body).toBe(200);
    expect(archived.json().archivedAt).not.toBeNull();
    const list = await send('GET', `/subjects?q=${encodeURIComponent('luu tru thu')}`, users.communeA);
    expect(list.json().total).toBe(0);
    const withArchived = await send(
      'GET',
      `/subjects?q=${encodeURIComponent('luu tru thu')}&includeArchived=true`,
      users.communeA,
    );
    expect(withArchived.json().items.map((s: { id: string }) => s.id)).toEqual([created.id]);
    expect((await send('GET', `/subjects/${created.id}`, users.communeA)).statusCode).toBe(200);

    const again = await send('POST', `/subjects/${created.id}/archive`, users.communeA, {});
    expect(again.statusCode).toBe(409);
    const edit = await send('PATCH', `/subjects/${created.id}`, users.communeA, {
      version: archived.json().version,
      name: 'Sửa khi lưu trữ',
    });
    expect(edit.statusCode).toBe(409);
    expect(edit.json().error.code).toBe('CONFLICT');

    const restored = await send('POST', `/subjects/${created.id}/restore`, users.communeA);
    expect(restored.statusCode, restored.body).toBe(200);
    expect(restored.json().archivedAt).toBeNull();
    expect((await send('POST', `/subjects/${created.id}/restore`, users.communeA)).statusCode).toBe(409);

    const audit = await auditOf(created.id);
    expect(audit.map((a) => a.action)).toEqual(['subject.created', 'subject.archived', 'subject.restored']);
    expect(audit[1]!.after).toMatchObject({ reason: 'Ngừng sản xuất' });
    // Never deleted: the row is still there.
    const rows = await t.database.db
      .select({ id: subjects.id })
      .from(subjects)
      .where(eq(subjects.id, created.id));
    expect(rows).toHaveLength(1);
  });

  it('is refused to producers (403), council members (403) and officers elsewhere (404)', async () => {
    expect((await send('POST', `/subjects/${subjectA.id}/archive`, users.producer)).statusCode).toBe(403);
    expect((await send('POST', `/subjects/${subjectA.id}/archive`, users.council)).statusCode).toBe(403);
    expect((await send('POST', `/subjects/${subjectA.id}/archive`, users.communeB)).statusCode).toBe(404);
    expect((await send('POST', `/subjects/${subjectA.id}/restore`, users.province2)).statusCode).toBe(404);
    expect((await send('GET', `/subjects/${subjectA.id}`, users.admin)).json().archivedAt).toBeNull();
  });

  it('refuses a reason with control characters', async () => {
    const response = await send('POST', `/subjects/${subjectA.id}/archive`, users.admin, {
      reason: 'a\u0007b',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields.reason).toBeTruthy();
  });
});

describe('home page counts', () => {
  const actor = (over: Partial<Actor>): Actor => ({
    userId: '00000000-0000-4000-8000-000000000001',
    email: 'x@test.vn',
    fullName: 'X',
    role: 'system_admin',
    provinceCode: null,
    communeCode: null,
    subjectIds: [],
    sessionId: 's',
    csrfToken: 'c',
    ...over,
  });
  const ctx = (over: Partial<Actor>) => ({
    database: t.database,
    config: loadConfig({ LOG_LEVEL: 'silent' }),
    actor: actor(over),
    lang: 'vi' as const,
    ip: '127.0.0.1',
  });

  it('counts from the data within the caller’s scope', async () => {
    const [expected] = await queryRows<{ active: number; archived: number; woman: number }>(
      t.database.db,
      sql`select count(*) filter (where archived_at is null)::int as active,
                 count(*) filter (where archived_at is not null)::int as archived,
                 count(*) filter (where archived_at is null and woman_led)::int as woman
          from subjects`,
    );
    const all = await countSubjects(ctx({}));
    expect(all).toMatchObject({
      active: expected!.active,
      archived: expected!.archived,
      womanLed: expected!.woman,
    });
    expect(Object.values(all.byType).reduce((a, b) => a + b, 0)).toBe(all.active);
    expect(all.byType.cooperative_group).toBe(17);
    expect(all.modernChannels).toBeGreaterThan(0);

    const commune = await countSubjects(
      ctx({ role: 'commune_officer', communeCode: units.c, provinceCode: units.p1 }),
    );
    expect(commune.active).toBe(17);
    expect(commune.modernChannels).toBe(17);
    const producer = await countSubjects(ctx({ role: 'producer', subjectIds: [subjectA.id] }));
    expect(producer.active).toBe(1);
    const council = await countSubjects(ctx({ role: 'council_member' }));
    expect(council.active).toBe(0);
    const elsewhere = await countSubjects(ctx({ role: 'province_officer', provinceCode: units.p2 }));
    expect(elsewhere.active).toBe(0);
  });
});
