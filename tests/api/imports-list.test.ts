import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * GET /imports: the past imports of a province, newest first, so an unfinished one can be resumed
 * at its step. A province officer sees their own province's only; an administrator any province.
 */

const NB = '37';
const HY = '33';

let t: TestContext;
let admin: Record<string, string>;
let officer: Record<string, string>;
let hyOfficer: Record<string, string>;

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.as({ role: 'system_admin' })).headers;
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  hyOfficer = (await t.as({ role: 'province_officer', provinceCode: HY })).headers;
});

afterAll(async () => t.close());

const CSV =
  '\uFEFFTên sản phẩm;Chủ thể;Hạng sao;Số QĐ;Ngày QĐ;Địa chỉ\r\n' +
  '"Miến dong Phù Vân";"HTX Nông nghiệp Phù Vân";4 sao;12/QĐ-UBND;2023-10-01;"Xã Phù Vân, Hà Nam"\r\n';

async function upload(headers: Record<string, string>, filename: string, query = '') {
  const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        'Content-Type: text/csv\r\n\r\n',
    ),
    Buffer.from(CSV, 'utf8'),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  const res = await t.app.inject({
    method: 'POST',
    url: `/api/v1/imports${query}`,
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; fileName: string };
}

const list = (headers: Record<string, string>, query = '') =>
  t.app.inject({ method: 'GET', url: `/api/v1/imports${query}`, headers });

describe('GET /imports', () => {
  it('lists the province’s imports newest first, paged, for its officers', async () => {
    const empty = await list(officer);
    expect(empty.statusCode, empty.body).toBe(200);
    expect(empty.json()).toMatchObject({ items: [], total: 0, page: 1, pageSize: 20 });

    const first = await upload(officer, 'dau.csv');
    const second = await upload(officer, 'sau.csv');
    const other = await upload(hyOfficer, 'hung-yen.csv');

    const mine = (await list(officer)).json();
    expect(mine.total).toBe(2);
    expect(mine.items.map((i: { id: string }) => i.id)).toEqual([second.id, first.id]);
    expect(mine.items[0]).toMatchObject({ fileName: 'sau.csv', provinceCode: NB, status: 'uploaded' });

    const paged = (await list(officer, '?pageSize=1&page=2')).json();
    expect(paged).toMatchObject({ total: 2, page: 2, pageSize: 1 });
    expect(paged.items.map((i: { id: string }) => i.id)).toEqual([first.id]);

    const theirs = (await list(hyOfficer)).json();
    expect(theirs.items.map((i: { id: string }) => i.id)).toEqual([other.id]);
  });

  it('lets an administrator see every province, or one', async () => {
    const all = (await list(admin)).json();
    expect(all.total).toBeGreaterThanOrEqual(3);
    const hy = (await list(admin, `?provinceCode=${HY}`)).json();
    expect(hy.items.every((i: { provinceCode: string }) => i.provinceCode === HY)).toBe(true);
    expect(hy.total).toBe(1);
  });

  it('refuses another province to an officer, bad input, and roles that may not import', async () => {
    expect((await list(officer, `?provinceCode=${HY}`)).statusCode).toBe(403);
    expect((await list(officer, `?provinceCode=${NB}`)).statusCode).toBe(200);
    const bad = await list(officer, '?pageSize=500');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.code).toBe('VALIDATION');
    expect((await list(admin, '?provinceCode=abc')).statusCode).toBe(400);
    expect((await list(officer, '?unknown=1')).statusCode).toBe(400);
    const commune = await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: '13291' });
    const producer = await t.as({ role: 'producer' });
    const council = await t.as({ role: 'council_member' });
    for (const { headers } of [commune, producer, council])
      expect((await list(headers)).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/imports' })).statusCode).toBe(401);
  });
});
