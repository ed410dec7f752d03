import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq, inArray, sql } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { communes, provinces } from '../../src/modules/admin-units/schema';
import { auditLog } from '../../src/modules/audit/schema';
import { verifyAuditChain } from '../../src/modules/audit/service';
import { craftVillages, productPhotos, products } from '../../src/modules/products/schema';
import { subjects } from '../../src/modules/subjects/schema';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * Products over HTTP: create/read/update/archive/register, list search and filters, scope by
 * subject, photos, and bad input on every write route. Uploads are capped low (UPLOAD_MAX_BYTES)
 * so "oversized" stays a small test file.
 */
const MAX_UPLOAD = 200_000;

// Real codes (national statistics): Ninh Bình 37 with two wards, Hưng Yên 33 with one.
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
let communeB: Record<string, string>;
let producerA: Record<string, string>;
let council: Record<string, string>;
let subjectA: string;
let subjectB: string;
let subjectHy: string;
let archivedSubject: string;

async function insertSubject(name: string, communeCode: string, archived = false): Promise<string> {
  const [row] = await t.database.db
    .insert(subjects)
    .values({
      name,
      type: 'cooperative',
      address: 'Thôn 1',
      communeCode,
      legalRepresentative: 'Nguyễn Thị Lan',
      legalRepresentativeGender: 'female',
      archivedAt: archived ? new Date() : null,
    })
    .returning();
  return row!.id;
}

beforeAll(async () => {
  t = await createTestContext({ UPLOAD_MAX_BYTES: String(MAX_UPLOAD) });
  subjectA = await insertSubject('HTX Cơm cháy Phủ Lý', NB_A);
  subjectB = await insertSubject('HTX Mắm tép Phù Vân', NB_B);
  subjectHy = await insertSubject('HTX Nhãn lồng Phố Hiến', HY_A);
  archivedSubject = await insertSubject('HTX đã giải thể', NB_A, true);
  admin = (await t.as({ role: 'system_admin' })).headers;
  nbOfficer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  hyOfficer = (await t.as({ role: 'province_officer', provinceCode: HY })).headers;
  communeA = (await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: NB_A })).headers;
  communeB = (await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: NB_B })).headers;
  producerA = (await t.as({ role: 'producer', subjectIds: [subjectA] })).headers;
  council = (await t.as({ role: 'council_member' })).headers;
});
afterAll(async () => t.close());

const api = (
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
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

let gtinCounter = 0;
/** A fresh valid GTIN-13 with Vietnam's prefix 893. */
function nextGtin(): string {
  gtinCounter++;
  const body = `893${String(900_000_000 + gtinCounter).slice(-9)}`;
  let sum = 0;
  for (let i = 0; i < body.length; i++) sum += Number(body[body.length - 1 - i]) * (i % 2 === 0 ? 3 : 1);
  return body + String((10 - (sum % 10)) % 10);
}

const newProduct = (over: Record<string, unknown> = {}) => ({
  subjectId: subjectA,
  name: `Cơm cháy chà bông ${randomUUID().slice(0, 6)}`,
  categoryCode: '6',
  communeCode: NB_A,
  description: 'Cơm cháy giòn, rang từ gạo nếp cái hoa vàng.',
  story: 'Nghề làm cơm cháy của làng có từ thời Nguyễn.\nGiữ nguyên cách làm thủ công.',
  rawMaterialOrigin: 'Gạo trồng tại vùng nguyên liệu của HTX',
  standards: ['VIETGAP', 'TCCS'],
  gtin: nextGtin(),
  ...over,
});

async function create(headers: Record<string, string>, over: Record<string, unknown> = {}) {
  const response = await api('POST', '/products', headers, newProduct(over));
  expect(response.statusCode, response.body).toBe(201);
  return response.json();
}

const productCount = async () => (await t.database.db.select({ id: products.id }).from(products)).length;

function expectFieldError(
  response: { statusCode: number; json: () => unknown },
  status: number,
  field: string,
) {
  expect(response.statusCode).toBe(status);
  const body = response.json() as {
    error: { code: string; message: string; fields?: Record<string, string> };
  };
  expect(body.error.message.length).toBeGreaterThan(0);
  expect(Object.keys(body.error.fields ?? {})).toContain(field);
  return body.error;
}

async function auditActions(productId: string): Promise<string[]> {
  const rows = await t.database.db
    .select({ action: auditLog.action })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, 'product'), eq(auditLog.entityId, productId)))
    .orderBy(auditLog.seq);
  return rows.map((r) => r.action);
}

describe('product meta', () => {
  it('gives the taxonomy, standards and statuses to any logged-in user, council members included', async () => {
    const response = await api('GET', '/products/meta', council);
    expect(response.statusCode).toBe(200);
    const meta = response.json();
    expect(meta.currentScheme).toBe('2026');
    const current = meta.schemes.find((s: { code: string }) => s.code === '2026');
    expect(current.groups).toHaveLength(6);
    expect(meta.schemes.map((s: { code: string }) => s.code)).toContain('1048');
    expect(meta.standards.map((s: { code: string }) => s.code)).toEqual(
      expect.arrayContaining(['VIETGAP', 'ORGANIC', 'HACCP', 'ISO_22000', 'TCCS']),
    );
    expect(meta.statuses.map((s: { code: string }) => s.code)).toEqual([
      'draft',
      'registered',
      'certified',
      'expired',
      'revoked',
    ]);
    expect(meta.photoLimits).toMatchObject({ maxPhotosPerProduct: 10, maxBytes: MAX_UPLOAD });
  });
});

describe('creating and reading a product', () => {
  it('creates a draft with names and labels in its view, and audits it', async () => {
    const product = await create(nbOfficer, { name: 'Cơm cháy chà bông Phủ Lý' });
    expect(product).toMatchObject({
      name: 'Cơm cháy chà bông Phủ Lý',
      subject: { id: subjectA, name: 'HTX Cơm cháy Phủ Lý' },
      commune: { code: NB_A },
      province: { code: NB },
      classification: {
        scheme: '2026',
        code: '6',
        known: true,
        group: { code: 'I', label: { vi: 'Thực phẩm', en: 'Food' } },
        set: { code: '6', label: { vi: 'Chế biến từ gạo, ngũ cốc' } },
      },
      status: 'draft',
      registeredAt: null,
      archivedAt: null,
      version: 1,
      photos: [],
      craftVillage: null,
    });
    expect(product.province.name).toContain('Ninh Bình');
    expect(product.story).toContain('\n');
    expect(product.standards.map((s: { code: string }) => s.code)).toEqual(['VIETGAP', 'TCCS']);
    expect(await auditActions(product.id)).toEqual(['product.created']);
    const read = await api('GET', `/products/${product.id}`, communeA);
    expect(read.statusCode).toBe(200);
    expect(read.json().id).toBe(product.id);
  });

  it('lets a producer create for their own subject only', async () => {
    await create(producerA);
    const other = await api(
      'POST',
      '/products',
      producerA,
      newProduct({ subjectId: subjectB, communeCode: NB_B }),
    );
    // Another's subject is answered like an unknown one: ids outside one's scope reveal nothing.
    expectFieldError(other, 400, 'subjectId');
  });

  it('keeps officers to their province and commune, and council members out', async () => {
    const before = await productCount();
    expectFieldError(await api('POST', '/products', hyOfficer, newProduct()), 400, 'subjectId');
    expectFieldError(await api('POST', '/products', communeB, newProduct()), 400, 'subjectId');
    const councilCreate = await api('POST', '/products', council, newProduct());
    expect([councilCreate.statusCode, councilCreate.json().error.code]).toEqual([403, 'FORBIDDEN']);
    expect(await productCount()).toBe(before);
    const product = await create(communeA);
    // Outside one's scope a product is not found, as a subject is.
    for (const outsider of [hyOfficer, communeB]) {
      const response = await api('GET', `/products/${product.id}`, outsider);
      expect([response.statusCode, response.json().error.code]).toEqual([404, 'NOT_FOUND']);
    }
    const councilRead = await api('GET', `/products/${product.id}`, council);
    expect([councilRead.statusCode, councilRead.json().error.code]).toEqual([403, 'FORBIDDEN']);
  });

  it('classes a historic product under 1048, at sector level where its sub-group is unknown', async () => {
    const product = await create(admin, { taxonomyScheme: '1048', categoryCode: '5' });
    expect(product.classification).toMatchObject({
      scheme: '1048',
      known: true,
      group: { code: '5', label: { vi: 'Lưu niệm - nội thất - trang trí' } },
      set: null,
    });
  });

  it('answers an unknown product with 404 and a malformed id with 400', async () => {
    expect((await api('GET', `/products/${randomUUID()}`, admin)).statusCode).toBe(404);
    expectFieldError(await api('GET', '/products/not-a-uuid', admin), 400, 'id');
  });
});

describe('bad input on create changes nothing', () => {
  const cases: [string, Record<string, unknown>, number, string][] = [
    ['missing name', { name: undefined }, 400, 'name'],
    ['blank name', { name: '   ' }, 400, 'name'],
    ['name of the wrong type', { name: 42 }, 400, 'name'],
    ['very long name', { name: 'Cơm cháy '.repeat(40) }, 400, 'name'],
    ['control characters', { name: 'Cơm\u0000cháy' }, 400, 'name'],
    ['control characters in the story', { story: 'Một\u0007hai' }, 400, 'story'],
    ['very long story', { story: 'x'.repeat(10_001) }, 400, 'story'],
    ['missing subject', { subjectId: undefined }, 400, 'subjectId'],
    ['subject not a uuid', { subjectId: 'abc' }, 400, 'subjectId'],
    ['unknown subject', { subjectId: randomUUID() }, 400, 'subjectId'],
    ['archived subject', { subjectId: 'ARCHIVED' }, 400, 'subjectId'],
    ['badly formed commune', { communeCode: '1328' }, 400, 'communeCode'],
    ['unknown commune', { communeCode: '99999' }, 400, 'communeCode'],
    ['unknown category', { categoryCode: '27' }, 400, 'categoryCode'],
    ['group where a product set is required', { categoryCode: 'I' }, 400, 'categoryCode'],
    ['unknown scheme', { taxonomyScheme: '1999' }, 400, 'taxonomyScheme'],
    ['unknown craft village', { craftVillageId: randomUUID() }, 400, 'craftVillageId'],
    ['unknown standard', { standards: ['ISO_14001'] }, 400, 'standards.0'],
    ['GTIN with letters', { gtin: '89312345678AB' }, 400, 'gtin'],
    ['GTIN of a wrong length', { gtin: '123456789' }, 400, 'gtin'],
    ['GTIN with a wrong check digit', { gtin: '8931234567892' }, 400, 'gtin'],
    ['unknown field', { colour: 'đỏ' }, 400, 'colour'],
  ];
  it.each(cases)('%s → %i naming %s', async (_, over, status, field) => {
    const before = await productCount();
    const body = newProduct(over);
    if (over.subjectId === 'ARCHIVED') body.subjectId = archivedSubject;
    const response = await api('POST', '/products', admin, body);
    expectFieldError(response, status, field);
    expect(await productCount()).toBe(before);
  });

  it('refuses malformed JSON and a body that is not an object', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '{"name": "Cơm cháy",',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('MALFORMED_JSON');
    const list = await t.app.inject({
      method: 'POST',
      url: '/api/v1/products',
      headers: { ...admin, 'content-type': 'application/json' },
      payload: '[1,2]',
    });
    expect(list.statusCode).toBe(400);
    expect(list.json().error.code).toBe('VALIDATION');
  });

  it('refuses a duplicate GTIN (409 naming gtin) and a duplicate name within the subject', async () => {
    const first = await create(admin);
    const before = await productCount();
    const sameGtin = await api(
      'POST',
      '/products',
      admin,
      newProduct({ gtin: first.gtin, subjectId: subjectB }),
    );
    expect(expectFieldError(sameGtin, 409, 'gtin').code).toBe('CONFLICT');
    const sameName = await api('POST', '/products', admin, newProduct({ name: first.name.toUpperCase() }));
    expect(expectFieldError(sameName, 409, 'name').code).toBe('CONFLICT');
    expect(await productCount()).toBe(before);
    // Another subject may use the same name.
    await create(admin, { name: first.name, subjectId: subjectB, communeCode: NB_B });
  });

  it('maps a unique violation the checks could not see (a concurrent insert) to 409 gtin', async () => {
    const gtin = nextGtin();
    const results = await Promise.all([
      api('POST', '/products', admin, newProduct({ gtin })),
      api('POST', '/products', admin, newProduct({ gtin, subjectId: subjectB, communeCode: NB_B })),
    ]);
    const statuses = results.map((r) => r.statusCode).sort();
    expect(statuses).toEqual([201, 409]);
    const refused = results.find((r) => r.statusCode === 409)!;
    expect(refused.json().error.fields.gtin).toBeTruthy();
  });
});

describe('listing products', () => {
  let comChay: string;
  beforeAll(async () => {
    comChay = (await create(admin, { name: 'Cơm cháy Ninh Bình truyền thống', categoryCode: '6' })).id;
    await create(admin, {
      name: 'Mắm tép Phù Vân',
      subjectId: subjectB,
      communeCode: NB_B,
      categoryCode: '9',
    });
    await create(admin, {
      name: 'Nhãn lồng Hưng Yên',
      subjectId: subjectHy,
      communeCode: HY_A,
      categoryCode: '1',
    });
    const lantern = await create(admin, {
      name: 'Đèn lồng tre',
      subjectId: subjectHy,
      communeCode: HY_A,
      categoryCode: '21',
    });
    // Registered last, so it is also the most recently changed product of Hưng Yên.
    expect((await api('POST', `/products/${lantern.id}/register`, admin)).statusCode).toBe(200);
  });

  const list = async (headers: Record<string, string>, query: Record<string, string>) => {
    const response = await api('GET', `/products?${new URLSearchParams(query)}`, headers);
    expect(response.statusCode, response.body).toBe(200);
    return response.json() as {
      items: { id: string; name: string; status: string; province: { code: string } }[];
      total: number;
    };
  };

  it('finds "Cơm cháy" with "com chay", accents and case ignored', async () => {
    for (const q of ['com chay', 'COM CHÁY', '  cơm   cháy ninh ']) {
      const page = await list(admin, { q, pageSize: '100' });
      expect(page.items.map((i) => i.id)).toContain(comChay);
      expect(
        page.items.every((i) =>
          /com chay/.test(
            i.name
              .normalize('NFD')
              .replace(/[\u0300-\u036f]/g, '')
              .toLowerCase(),
          ),
        ),
      ).toBe(true);
    }
    expect((await list(admin, { q: 'đèn lồng' })).items.map((i) => i.name)).toEqual(['Đèn lồng tre']);
    expect((await list(admin, { q: 'den long' })).total).toBe(1);
  });

  it('names the commune and province of a commune added after the list was first read', async () => {
    // The list takes unit names from memory (admin-units/commune-names.ts): a commune it has not seen is read anew.
    await list(admin, { q: 'com chay' });
    await t.database.db
      .insert(communes)
      .values({ code: '99901', provinceCode: NB, name: 'Xã Thử Tên Mới', divisionType: 'xã' })
      .onConflictDoNothing();
    const product = await create(admin, { name: 'Chè lam Thử Tên', communeCode: '99901' });
    const page = await list(admin, { q: 'che lam thu ten' });
    expect(page.items.map((i) => i.id)).toEqual([product.id]);
    const item = page.items[0] as unknown as {
      commune: { code: string; name: string };
      province: { code: string; name: string };
    };
    expect(item.commune).toEqual({ code: '99901', name: 'Xã Thử Tên Mới' });
    const [province] = await t.database.db.select().from(provinces).where(eq(provinces.code, NB));
    expect(item.province).toEqual({ code: NB, name: province!.name });
  });

  it('treats LIKE wildcards in the query as plain characters', async () => {
    expect((await list(admin, { q: '%' })).total).toBe(0);
    expect((await list(admin, { q: '_' })).total).toBe(0);
  });

  it('finds a product by its GTIN', async () => {
    const product = await create(admin, { name: 'Miến dong' });
    expect((await list(admin, { q: product.gtin })).items.map((i) => i.id)).toEqual([product.id]);
  });

  it('filters by commune, province, group, product set, subject and status', async () => {
    const names = async (query: Record<string, string>) =>
      (await list(admin, { pageSize: '100', ...query })).items.map((i) => i.name);
    expect(await names({ communeCode: NB_B })).toContain('Mắm tép Phù Vân');
    expect(await names({ communeCode: NB_B })).not.toContain('Nhãn lồng Hưng Yên');
    const hy = await names({ provinceCode: HY });
    expect(hy.sort()).toEqual(['Nhãn lồng Hưng Yên', 'Đèn lồng tre'].sort());
    expect(await names({ provinceCode: HY, group: 'IV' })).toEqual(['Đèn lồng tre']);
    expect(await names({ provinceCode: HY, productSet: '1' })).toEqual(['Nhãn lồng Hưng Yên']);
    expect(await names({ subjectId: subjectHy, group: 'I' })).toEqual(['Nhãn lồng Hưng Yên']);
    expect(await names({ provinceCode: HY, group: 'VII' })).toEqual([]);
    expect(await names({ provinceCode: HY, status: 'registered' })).toEqual(['Đèn lồng tre']);
    expect(await names({ provinceCode: HY, status: 'draft' })).toEqual(['Nhãn lồng Hưng Yên']);
    expect(await names({ status: 'certified' })).toEqual([]);
  });

  it('sorts by name or last change and pages with a total', async () => {
    const all = await list(admin, { provinceCode: HY, sort: 'name' });
    expect(all.items.map((i) => i.name)).toEqual(['Đèn lồng tre', 'Nhãn lồng Hưng Yên']);
    const desc = await list(admin, { provinceCode: HY, sort: '-name' });
    expect(desc.items.map((i) => i.name)).toEqual(['Nhãn lồng Hưng Yên', 'Đèn lồng tre']);
    const first = await list(admin, { provinceCode: HY, pageSize: '1', page: '1' });
    const second = await list(admin, { provinceCode: HY, pageSize: '1', page: '2' });
    expect(first.total).toBe(2);
    expect(second.total).toBe(2);
    expect([first.items[0]!.name, second.items[0]!.name]).toEqual(all.items.map((i) => i.name));
    const recent = await list(admin, { provinceCode: HY, sort: '-updatedAt' });
    expect(recent.items[0]!.name).toBe('Đèn lồng tre'); // registered last
    expect((await list(admin, { provinceCode: HY, page: '99' })).items).toEqual([]);
  });

  it('shows each actor only the products of subjects they may read', async () => {
    const provinceOf = async (headers: Record<string, string>) =>
      new Set((await list(headers, { pageSize: '100' })).items.map((i) => i.province.code));
    expect(await provinceOf(nbOfficer)).toEqual(new Set([NB]));
    expect(await provinceOf(hyOfficer)).toEqual(new Set([HY]));
    const mine = await list(producerA, { pageSize: '100' });
    expect(mine.total).toBeGreaterThan(0);
    const subjectsSeen = await t.database.db
      .select({ subjectId: products.subjectId })
      .from(products)
      .where(
        inArray(
          products.id,
          mine.items.map((i) => i.id),
        ),
      );
    expect(new Set(subjectsSeen.map((s) => s.subjectId))).toEqual(new Set([subjectA]));
    const communeBList = await list(communeB, { pageSize: '100' });
    expect(communeBList.items.map((i) => i.name)).toContain('Mắm tép Phù Vân');
    expect(communeBList.items.map((i) => i.name)).not.toContain('Cơm cháy Ninh Bình truyền thống');
    expect((await api('GET', '/products', council)).statusCode).toBe(403);
  });

  it('refuses bad query parameters with 400 naming them', async () => {
    expectFieldError(await api('GET', '/products?pageSize=101', admin), 400, 'pageSize');
    expectFieldError(await api('GET', '/products?page=0', admin), 400, 'page');
    expectFieldError(await api('GET', '/products?status=approved', admin), 400, 'status');
    expectFieldError(await api('GET', '/products?sort=price', admin), 400, 'sort');
    expectFieldError(await api('GET', '/products?provinceCode=3', admin), 400, 'provinceCode');
    expectFieldError(await api('GET', '/products?subjectId=x', admin), 400, 'subjectId');
    expectFieldError(await api('GET', `/products?q=${'a'.repeat(201)}`, admin), 400, 'q');
    expectFieldError(await api('GET', '/products?q=%01', admin), 400, 'q');
  });

  it('counts products by status within the caller scope', async () => {
    const response = await api('GET', '/products/counts', hyOfficer);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      total: 2,
      byStatus: { draft: 1, registered: 1, certified: 0, expired: 0, revoked: 0 },
    });
  });
});

describe('updating, registering, archiving', () => {
  it('updates with the version read, bumps it, and audits before and after', async () => {
    const product = await create(producerA);
    const response = await api('PATCH', `/products/${product.id}`, producerA, {
      version: 1,
      name: 'Cơm cháy lắc khô gà',
      categoryCode: '6',
      gtin: '',
      standards: ['HACCP', 'HACCP'],
    });
    expect(response.statusCode, response.body).toBe(200);
    expect(response.json()).toMatchObject({ name: 'Cơm cháy lắc khô gà', gtin: null, version: 2 });
    expect(response.json().standards.map((s: { code: string }) => s.code)).toEqual(['HACCP']);
    const [entry] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.entityId, product.id), eq(auditLog.action, 'product.updated')));
    expect(entry?.before).toMatchObject({ name: product.name, version: 1 });
    expect(entry?.after).toMatchObject({ name: 'Cơm cháy lắc khô gà', version: 2 });
  });

  it('refuses a stale version with 409 STALE and changes nothing', async () => {
    const product = await create(admin);
    expect(
      (await api('PATCH', `/products/${product.id}`, admin, { version: 1, story: 'Mới' })).statusCode,
    ).toBe(200);
    const stale = await api('PATCH', `/products/${product.id}`, admin, { version: 1, name: 'Ghi đè' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE');
    const after = (await api('GET', `/products/${product.id}`, admin)).json();
    expect(after).toMatchObject({ name: product.name, version: 2, story: 'Mới' });
  });

  it('refuses bad input on update with 4xx naming the field, changing nothing', async () => {
    const product = await create(admin);
    const other = await create(admin);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ name: 'x' }, 400, 'version'],
      [{ version: 'one', name: 'x' }, 400, 'version'],
      [{ version: 1, name: '' }, 400, 'name'],
      [{ version: 1, gtin: '123456789' }, 400, 'gtin'],
      [{ version: 1, communeCode: '00000' }, 400, 'communeCode'],
      [{ version: 1, categoryCode: 'IV' }, 400, 'categoryCode'],
      [{ version: 1, subjectId: randomUUID() }, 400, 'subjectId'],
      [{ version: 1, craftVillageId: 'nope' }, 400, 'craftVillageId'],
      [{ version: 1, gtin: other.gtin }, 409, 'gtin'],
      [{ version: 1, name: other.name }, 409, 'name'],
      [{ version: 1, description: 'a\u001bb' }, 400, 'description'],
      [{ version: 1, registeredAt: '2024-01-01' }, 400, 'registeredAt'],
      [{ version: 1, status: 'certified' }, 400, 'status'],
    ];
    for (const [body, status, field] of cases) {
      expectFieldError(await api('PATCH', `/products/${product.id}`, admin, body), status, field);
    }
    const after = (await api('GET', `/products/${product.id}`, admin)).json();
    expect(after).toMatchObject({ version: 1, name: product.name, gtin: product.gtin, status: 'draft' });
    expect(await auditActions(product.id)).toEqual(['product.created']);
  });

  it('lets only those who may update the subject edit, and moves a product only between their subjects', async () => {
    const product = await create(admin);
    for (const outsider of [hyOfficer, communeB]) {
      expect(
        (await api('PATCH', `/products/${product.id}`, outsider, { version: 1, story: 'x' })).statusCode,
      ).toBe(404);
    }
    const move = await api('PATCH', `/products/${product.id}`, producerA, {
      version: 1,
      subjectId: subjectB,
    });
    expectFieldError(move, 400, 'subjectId');
    const moved = await api('PATCH', `/products/${product.id}`, nbOfficer, {
      version: 1,
      subjectId: subjectB,
    });
    expect(moved.statusCode).toBe(200);
    expect(moved.json().subject.id).toBe(subjectB);
    expect((await api('GET', `/products/${product.id}`, producerA)).statusCode).toBe(404);
  });

  it('registers once, derives the status, and keeps editing allowed', async () => {
    const product = await create(producerA);
    const registered = await api('POST', `/products/${product.id}/register`, producerA);
    expect(registered.statusCode).toBe(200);
    expect(registered.json()).toMatchObject({ status: 'registered', version: 2 });
    expect(registered.json().registeredAt).toBeTruthy();
    const again = await api('POST', `/products/${product.id}/register`, producerA);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.code).toBe('CONFLICT');
    const edit = await api('PATCH', `/products/${product.id}`, producerA, { version: 2, story: 'Cập nhật' });
    expect(edit.statusCode).toBe(200);
    expect(edit.json().status).toBe('registered');
    expect(await auditActions(product.id)).toEqual([
      'product.created',
      'product.registered',
      'product.updated',
    ]);
    expect((await api('POST', `/products/${product.id}/register`, hyOfficer)).statusCode).toBe(404);
  });

  it('archives and restores, hiding archived products from the default list and refusing edits meanwhile', async () => {
    const product = await create(communeA, { name: 'Bánh đa kê Phủ Lý' });
    const stale = await api('POST', `/products/${product.id}/archive`, communeA, { version: 9 });
    expect(stale.json().error.code).toBe('STALE');
    const archived = await api('POST', `/products/${product.id}/archive`, communeA, { version: 1 });
    expect(archived.statusCode).toBe(200);
    expect(archived.json().archivedAt).toBeTruthy();
    expect((await api('POST', `/products/${product.id}/archive`, communeA)).statusCode).toBe(409);
    const hidden = await api('GET', '/products?q=banh%20da%20ke', communeA);
    expect(hidden.json().total).toBe(0);
    const only = await api('GET', '/products?q=banh%20da%20ke&archived=only', communeA);
    expect(only.json().items.map((i: { id: string }) => i.id)).toEqual([product.id]);
    const edit = await api('PATCH', `/products/${product.id}`, communeA, { version: 2, story: 'x' });
    expect(edit.statusCode).toBe(409);
    // Meanwhile the subject got a new product of the same name: restoring would duplicate it.
    const twin = await create(communeA, { name: 'Bánh đa kê Phủ Lý' });
    expect(
      expectFieldError(await api('POST', `/products/${product.id}/restore`, communeA), 409, 'name').code,
    ).toBe('CONFLICT');
    expect((await api('POST', `/products/${twin.id}/archive`, communeA)).statusCode).toBe(200);
    const restored = await api('POST', `/products/${product.id}/restore`, communeA);
    expect(restored.statusCode).toBe(200);
    expect(restored.json().archivedAt).toBeNull();
    expect((await api('POST', `/products/${product.id}/restore`, communeA)).statusCode).toBe(409);
    expect(await auditActions(product.id)).toEqual([
      'product.created',
      'product.archived',
      'product.restored',
    ]);
    expect((await api('POST', `/products/${product.id}/archive`, communeB)).statusCode).toBe(404);
    expectFieldError(
      await api('POST', `/products/${product.id}/archive`, communeA, { version: 'x' }),
      400,
      'version',
    );
  });

  it('keeps the audit chain intact', async () => {
    expect(await verifyAuditChain(t.database.db)).toMatchObject({ ok: true });
  });
});

// ---------- photos ----------

async function jpeg(width = 640, height = 480, options: { exif?: boolean } = {}): Promise<Buffer> {
  let image = sharp({ create: { width, height, channels: 3, background: { r: 190, g: 120, b: 40 } } });
  if (options.exif) image = image.withExif({ IFD0: { Copyright: 'HTX Cơm cháy', Artist: 'Nguyễn Văn A' } });
  return image.jpeg({ quality: 80 }).toBuffer();
}

function multipart(filename: string, content: Buffer, contentType = 'image/jpeg') {
  const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      `Content-Type: ${contentType}\r\n\r\n`,
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

async function upload(headers: Record<string, string>, productId: string, filename: string, content: Buffer) {
  const body = multipart(filename, content);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/products/${productId}/photos`,
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
  });
}

const uploadsOf = (productId: string) => path.join(t.dataDir, 'uploads', 'products', productId);
const filesOf = (productId: string) =>
  fs.existsSync(uploadsOf(productId)) ? fs.readdirSync(uploadsOf(productId)) : [];
const photoRows = async (productId: string) =>
  t.database.db.select().from(productPhotos).where(eq(productPhotos.productId, productId));

describe('product photos', () => {
  it('stores a normalised full image and a thumbnail without metadata, and serves them', async () => {
    const product = await create(producerA);
    const response = await upload(
      producerA,
      product.id,
      'com-chay.jpg',
      await jpeg(2400, 1200, { exif: true }),
    );
    expect(response.statusCode, response.body).toBe(201);
    const photo = response.json();
    expect(photo).toMatchObject({
      mimeType: 'image/jpeg',
      width: 2000,
      height: 1000,
      thumbWidth: 320,
      thumbHeight: 160,
    });
    expect(filesOf(product.id).sort()).toEqual([`${photo.id}.jpg`, `${photo.id}.thumb.jpg`]);
    const stored = await sharp(path.join(uploadsOf(product.id), `${photo.id}.jpg`)).metadata();
    expect(stored.exif).toBeUndefined();
    expect(stored.format).toBe('jpeg');

    const thumb = await api('GET', `/products/${product.id}/photos/${photo.id}?size=thumb`, communeA);
    expect(thumb.statusCode).toBe(200);
    expect(thumb.headers['content-type']).toBe('image/jpeg');
    expect(thumb.headers['cache-control']).toContain('max-age');
    expect(thumb.headers.etag).toBeTruthy();
    expect((await sharp(thumb.rawPayload).metadata()).width).toBe(320);
    const full = await api('GET', `/products/${product.id}/photos/${photo.id}`, producerA);
    expect(full.rawPayload.length).toBe(photo.bytes);
    const cached = await api('GET', `/products/${product.id}/photos/${photo.id}`, {
      ...producerA,
      'if-none-match': full.headers.etag as string,
    });
    expect(cached.statusCode).toBe(304);

    const view = (await api('GET', `/products/${product.id}`, producerA)).json();
    expect(view.photos.map((p: { id: string }) => p.id)).toEqual([photo.id]);
    expect(view.coverPhotoId).toBe(photo.id);
    expect(await auditActions(product.id)).toEqual(['product.created', 'product.photo_added']);
  });

  it('accepts PNG (transparency flattened) and WebP, stored as JPEG, small images not enlarged', async () => {
    const product = await create(admin);
    const png = await sharp({
      create: { width: 100, height: 80, channels: 4, background: { r: 0, g: 0, b: 0, alpha: 0 } },
    })
      .png()
      .toBuffer();
    const webp = await sharp({ create: { width: 300, height: 300, channels: 3, background: '#2a7' } })
      .webp()
      .toBuffer();
    // The name and declared type do not matter: the bytes do.
    const a = await upload(admin, product.id, 'anh.jpg', png);
    expect(a.statusCode, a.body).toBe(201);
    expect(a.json()).toMatchObject({ width: 100, height: 80, thumbWidth: 100 });
    const b = await upload(admin, product.id, 'anh.webp', webp);
    expect(b.statusCode, b.body).toBe(201);
    const rows = await photoRows(product.id);
    expect(rows.map((r) => r.sourceMimeType).sort()).toEqual(['image/png', 'image/webp']);
    expect(rows.every((r) => r.mimeType === 'image/jpeg')).toBe(true);
  });

  it('refuses bad uploads with 4xx naming the file, storing nothing', async () => {
    const product = await create(admin);
    const valid = await jpeg(200, 200);
    const oversized = Buffer.concat([valid, Buffer.alloc(MAX_UPLOAD + 10, 7)]);
    const html = Buffer.from('<!doctype html><html><body><script>alert(1)</script></body></html>');
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF\n');
    const truncated = valid.subarray(0, Math.floor(valid.length / 2));
    const cases: [string, Buffer, number, string][] = [
      ['oversized', oversized, 413, 'PAYLOAD_TOO_LARGE'],
      ['text renamed .jpg', Buffer.from('Đây không phải ảnh'), 415, 'UNSUPPORTED_MEDIA'],
      ['HTML renamed .jpg', html, 415, 'UNSUPPORTED_MEDIA'],
      ['PDF renamed .jpg', pdf, 415, 'UNSUPPORTED_MEDIA'],
      ['truncated JPEG', truncated, 415, 'UNSUPPORTED_MEDIA'],
      [
        'JPEG header with garbage',
        Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(500, 1)]),
        415,
        'UNSUPPORTED_MEDIA',
      ],
      ['zero bytes', Buffer.alloc(0), 400, 'VALIDATION'],
    ];
    for (const [label, content, status, code] of cases) {
      const response = await upload(admin, product.id, 'anh.jpg', content);
      expect([label, response.statusCode, response.json().error.code]).toEqual([label, status, code]);
      expect(response.json().error.fields.file).toBeTruthy();
    }
    expect(await photoRows(product.id)).toEqual([]);
    expect(filesOf(product.id)).toEqual([]);
  });

  it('refuses a request that is not multipart, or has no file', async () => {
    const product = await create(admin);
    const json = await api('POST', `/products/${product.id}/photos`, admin, { file: 'x' });
    expect(json.statusCode).toBe(415);
    expect(json.json().error.code).toBe('UNSUPPORTED_MEDIA');
    const boundary = 'ocopnofile';
    const noFile = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${product.id}/photos`,
      headers: { ...admin, 'content-type': `multipart/form-data; boundary=${boundary}` },
      payload: `--${boundary}\r\nContent-Disposition: form-data; name="note"\r\n\r\nxin chào\r\n--${boundary}--\r\n`,
    });
    expect(noFile.statusCode).toBe(400);
    expect(noFile.json().error.fields.file).toBeTruthy();
    const garbled = await t.app.inject({
      method: 'POST',
      url: `/api/v1/products/${product.id}/photos`,
      headers: { ...admin, 'content-type': 'multipart/form-data; boundary=abc' },
      payload: 'this is not multipart at all',
    });
    expect(garbled.statusCode).toBeGreaterThanOrEqual(400);
    expect(garbled.statusCode).toBeLessThan(500);
  });

  it('allows at most 10 photos per product', async () => {
    const product = await create(admin);
    const image = await jpeg(64, 64);
    for (let i = 0; i < 10; i++)
      expect((await upload(admin, product.id, `${i}.jpg`, image)).statusCode).toBe(201);
    const eleventh = await upload(admin, product.id, '11.jpg', image);
    expect(expectFieldError(eleventh, 409, 'file').code).toBe('CONFLICT');
    expect((await photoRows(product.id)).length).toBe(10);
    expect(filesOf(product.id).length).toBe(20);
  });

  it('removes (softly) and reorders photos', async () => {
    const product = await create(producerA);
    const ids: string[] = [];
    for (let i = 0; i < 3; i++)
      ids.push((await upload(producerA, product.id, `${i}.jpg`, await jpeg(50 + i, 50))).json().id);
    const reordered = await api('PUT', `/products/${product.id}/photos/order`, producerA, {
      photoIds: [ids[2], ids[0], ids[1]],
    });
    expect(reordered.statusCode, reordered.body).toBe(200);
    expect(reordered.json().map((p: { id: string }) => p.id)).toEqual([ids[2], ids[0], ids[1]]);
    expect((await api('GET', `/products/${product.id}`, producerA)).json().coverPhotoId).toBe(ids[2]);
    for (const photoIds of [[ids[0], ids[1]], [ids[0], ids[1], ids[1]], [ids[0], ids[1], randomUUID()], []]) {
      expectFieldError(
        await api('PUT', `/products/${product.id}/photos/order`, producerA, { photoIds }),
        400,
        'photoIds',
      );
    }
    const removed = await api('DELETE', `/products/${product.id}/photos/${ids[0]}`, producerA);
    expect(removed.statusCode).toBe(200);
    expect((await api('DELETE', `/products/${product.id}/photos/${ids[0]}`, producerA)).statusCode).toBe(404);
    expect((await api('GET', `/products/${product.id}/photos/${ids[0]}`, producerA)).statusCode).toBe(404);
    const view = (await api('GET', `/products/${product.id}`, producerA)).json();
    expect(view.photos.map((p: { id: string }) => p.id)).toEqual([ids[2], ids[1]]);
    const [row] = await t.database.db.select().from(productPhotos).where(eq(productPhotos.id, ids[0]!));
    expect(row?.removedAt).toBeTruthy();
    expect(filesOf(product.id)).toContain(`${ids[0]}.jpg`);
    expect(await auditActions(product.id)).toEqual([
      'product.created',
      'product.photo_added',
      'product.photo_added',
      'product.photo_added',
      'product.photos_reordered',
      'product.photo_removed',
    ]);
  });

  it('lets only readers see photos and only editors change them', async () => {
    const product = await create(producerA);
    const photo = (await upload(producerA, product.id, 'a.jpg', await jpeg(40, 40))).json();
    for (const outsider of [hyOfficer, communeB]) {
      expect((await api('GET', `/products/${product.id}/photos/${photo.id}`, outsider)).statusCode).toBe(404);
      expect((await upload(outsider, product.id, 'b.jpg', await jpeg(40, 40))).statusCode).toBe(404);
      expect((await api('DELETE', `/products/${product.id}/photos/${photo.id}`, outsider)).statusCode).toBe(
        404,
      );
    }
    expect((await api('GET', `/products/${product.id}/photos/${photo.id}`, council)).statusCode).toBe(403);
    expect(
      (await api('GET', `/products/${product.id}/photos/${photo.id}?size=huge`, producerA)).statusCode,
    ).toBe(400);
    // A photo id under another product is not found there.
    const other = await create(producerA);
    expect((await api('GET', `/products/${other.id}/photos/${photo.id}`, producerA)).statusCode).toBe(404);
  });

  it('removes the stored files when the database write fails', async () => {
    const product = await create(admin);
    // A constraint no photo can meet makes the insert fail after the files were written.
    await t.database.db.execute(
      sql`ALTER TABLE product_photos ADD CONSTRAINT test_no_photos CHECK (width < 0) NOT VALID`,
    );
    try {
      const response = await upload(admin, product.id, 'a.jpg', await jpeg(30, 30));
      expect(response.statusCode).toBe(500);
      expect(filesOf(product.id)).toEqual([]);
    } finally {
      await t.database.db.execute(sql`ALTER TABLE product_photos DROP CONSTRAINT test_no_photos`);
    }
  });
});

describe('craft village link', () => {
  it('shows the linked village and refuses an archived one for new links', async () => {
    const [village] = await t.database.db
      .insert(craftVillages)
      .values({ name: 'Làng nghề cơm cháy Phủ Lý', communeCode: NB_A, traditional: true })
      .returning();
    const product = await create(admin, { craftVillageId: village!.id });
    expect(product.craftVillage).toEqual({ id: village!.id, name: 'Làng nghề cơm cháy Phủ Lý' });
    await t.database.db
      .update(craftVillages)
      .set({ archivedAt: new Date() })
      .where(eq(craftVillages.id, village!.id));
    expectFieldError(
      await api('POST', '/products', admin, newProduct({ craftVillageId: village!.id })),
      400,
      'craftVillageId',
    );
    // The existing link stays.
    const edit = await api('PATCH', `/products/${product.id}`, admin, {
      version: 1,
      story: 'Vẫn thuộc làng nghề',
    });
    expect(edit.json().craftVillage?.id).toBe(village!.id);
    const rows = await queryRows<{ n: string | number }>(
      t.database.db,
      sql`SELECT count(*) AS n FROM products WHERE craft_village_id = ${village!.id}`,
    );
    expect(Number(rows[0]?.n)).toBe(1);
  });
});
