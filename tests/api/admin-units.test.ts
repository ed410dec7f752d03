import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { MANIFEST_FILE, type Manifest } from '../../src/modules/admin-units/data';
import { DEFAULT_DATA_DIR, loadAdminUnits, manifestChecksum } from '../../src/modules/admin-units/load';
import { compareVietnamese } from '../../src/shared/text';
import { createTestContext, type TestContext } from '../support/test-app';

let t: TestContext;
let headers: Record<string, string>;
beforeAll(async () => {
  t = await createTestContext();
  headers = (await t.as({ role: 'system_admin' })).headers;
});
afterAll(async () => t.close());

const get = (url: string, extra: Record<string, string> = {}) =>
  t.app.inject({ method: 'GET', url, headers: extra });
const resolve = (payload: unknown, extra: Record<string, string> = headers) =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/admin-units/resolve',
    headers: extra,
    payload: payload as object,
  });

describe('current provinces (public)', () => {
  it('lists the 34 provinces in Vietnamese order with their commune counts, without logging in', async () => {
    const response = await get('/api/v1/admin-units/provinces');
    expect(response.statusCode).toBe(200);
    const items: { code: string; name: string; communeCount: number }[] = response.json().items;
    expect(items).toHaveLength(34);
    expect(items.find((p) => p.code === '37')).toMatchObject({ name: 'Tỉnh Ninh Bình', communeCount: 129 });
    expect(items.find((p) => p.code === '33')).toMatchObject({ name: 'Tỉnh Hưng Yên', communeCount: 104 });
    expect(items.reduce((sum, p) => sum + p.communeCount, 0)).toBe(3321);
    const bare = items.map((p) => p.name.replace(/^(Tỉnh|Thành phố) /, ''));
    expect(bare).toEqual([...bare].sort(compareVietnamese));
    expect(bare[0]).toBe('An Giang');
    expect(bare.indexOf('Đà Nẵng')).toBeGreaterThan(bare.indexOf('Cần Thơ'));
    expect(bare.indexOf('Đà Nẵng')).toBeLessThan(bare.indexOf('Gia Lai'));
  });

  it('gets one province, and refuses a malformed or unknown code in the error shape', async () => {
    expect((await get('/api/v1/admin-units/provinces/37')).json()).toMatchObject({
      code: '37',
      communeCount: 129,
    });
    const unknown = await get('/api/v1/admin-units/provinces/99');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json()).toEqual({
      error: { code: 'NOT_FOUND', message: 'Không tìm thấy tỉnh/thành phố.' },
    });
    const malformed = await get('/api/v1/admin-units/provinces/1', { 'accept-language': 'en' });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error).toMatchObject({
      code: 'VALIDATION',
      fields: { code: 'A province code has 2 digits.' },
    });
  });
});

describe('current communes (public)', () => {
  it('lists a province in one page for pickers', async () => {
    const response = await get('/api/v1/admin-units/communes?provinceCode=37&pageSize=1000');
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.total).toBe(129);
    expect(body.items).toHaveLength(129);
    expect(body.items.every((c: { provinceCode: string }) => c.provinceCode === '37')).toBe(true);
    expect(body.items[0]).toMatchObject({ provinceName: 'Tỉnh Ninh Bình' });
  });

  it('searches accent-insensitively, whatever the tone-mark placement', async () => {
    const search = async (q: string) =>
      (await get(`/api/v1/admin-units/communes?pageSize=1000&q=${encodeURIComponent(q)}`)).json();
    const plain = await search('thuy');
    const composed = await search('Thủy');
    const oldStyle = await search('Thuỷ');
    expect(plain.total).toBeGreaterThan(10);
    expect(composed.total).toBe(plain.total);
    expect(oldStyle.total).toBe(plain.total);
    const hoaLu = await get('/api/v1/admin-units/communes?provinceCode=37&q=hoa%20lu');
    expect(hoaLu.json().items.map((c: { name: string }) => c.name)).toContain('Phường Hoa Lư');
  });

  it('treats LIKE wildcards in q as text, and digits as a code prefix', async () => {
    expect((await get('/api/v1/admin-units/communes?q=%25')).json().total).toBe(0);
    expect((await get('/api/v1/admin-units/communes?q=_')).json().total).toBe(0);
    const byCode = (await get('/api/v1/admin-units/communes?q=2673&sort=code')).json();
    expect(byCode.items.map((c: { code: string }) => c.code)).toContain('26732');
    expect(byCode.items.every((c: { code: string }) => c.code.startsWith('2673'))).toBe(true);
  });

  it('pages in a stable order, by name or by code', async () => {
    const first = (await get('/api/v1/admin-units/communes?provinceCode=01&pageSize=10')).json();
    const second = (await get('/api/v1/admin-units/communes?provinceCode=01&pageSize=10&page=2')).json();
    const all = (await get('/api/v1/admin-units/communes?provinceCode=01&pageSize=1000')).json();
    expect([...first.items, ...second.items]).toEqual(all.items.slice(0, 20));
    const byCode = (await get('/api/v1/admin-units/communes?provinceCode=01&pageSize=1000&sort=code')).json();
    const codes = byCode.items.map((c: { code: string }) => c.code);
    expect(codes).toEqual([...codes].sort());
    expect(first.total).toBe(all.total);
  });

  it('gets one commune with its province and the old units it was formed from', async () => {
    const baDinh = (await get('/api/v1/admin-units/communes/00004')).json();
    expect(baDinh).toMatchObject({ code: '00004', name: 'Phường Ba Đình', provinceCode: '01' });
    expect(baDinh.formedFrom).toContainEqual(
      expect.objectContaining({
        code: '00004',
        name: 'Phường Trúc Bạch',
        districtName: 'Quận Ba Đình',
        kind: 'whole',
      }),
    );
    expect(baDinh.formedFrom).toContainEqual(expect.objectContaining({ code: '00016', kind: 'partial' }));
    const conDao = (await get('/api/v1/admin-units/communes/26732')).json();
    expect(conDao.formedFrom).toEqual([
      expect.objectContaining({ code: '755', name: 'Huyện Côn Đảo', provinceName: 'Tỉnh Bà Rịa - Vũng Tàu' }),
    ]);
  });

  it.each([
    ['/api/v1/admin-units/communes/99999', 404, 'NOT_FOUND'],
    ['/api/v1/admin-units/communes/4', 400, 'VALIDATION'],
    ['/api/v1/admin-units/communes/abcde', 400, 'VALIDATION'],
    ['/api/v1/admin-units/communes?provinceCode=1', 400, 'VALIDATION'],
    ['/api/v1/admin-units/communes?pageSize=5000', 400, 'VALIDATION'],
    ['/api/v1/admin-units/communes?page=0', 400, 'VALIDATION'],
    ['/api/v1/admin-units/communes?sort=population', 400, 'VALIDATION'],
    [`/api/v1/admin-units/communes?q=${'a'.repeat(101)}`, 400, 'VALIDATION'],
    ['/api/v1/admin-units/communes?q=a%00b', 400, 'VALIDATION'],
    ['/api/v1/admin-units/old/communes/12', 400, 'VALIDATION'],
    ['/api/v1/admin-units/old/communes/99999', 404, 'NOT_FOUND'],
    ['/api/v1/admin-units/old/districts?provinceCode=abc', 400, 'VALIDATION'],
    ['/api/v1/admin-units/old/communes?districtCode=12', 400, 'VALIDATION'],
  ])('%s → %i %s', async (url, status, code) => {
    const response = await get(url);
    expect(response.statusCode).toBe(status);
    expect(response.json().error.code).toBe(code);
    expect(typeof response.json().error.message).toBe('string');
  });

  it('names the offending field in Vietnamese and English', async () => {
    const vi = await get('/api/v1/admin-units/communes?q=a%01b');
    expect(vi.json().error.fields).toEqual({ q: 'Không được chứa ký tự điều khiển.' });
    const en = await get('/api/v1/admin-units/communes?provinceCode=123', { 'accept-language': 'en' });
    expect(en.json().error.fields).toEqual({ provinceCode: 'A province code has 2 digits.' });
  });
});

describe('units before the reform (public)', () => {
  it('lists the 63 old provinces and the districts of one', async () => {
    expect((await get('/api/v1/admin-units/old/provinces')).json().items).toHaveLength(63);
    const namDinh = (await get('/api/v1/admin-units/old/districts?provinceCode=36')).json().items;
    expect(namDinh.map((d: { name: string }) => d.name)).toContain('Huyện Hải Hậu');
    expect(namDinh.every((d: { provinceName: string }) => d.provinceName === 'Tỉnh Nam Định')).toBe(true);
  });

  it('lists old communes with where each went', async () => {
    const response = await get('/api/v1/admin-units/old/communes?districtCode=001&pageSize=100&sort=code');
    const body = response.json();
    expect(body.total).toBe(13);
    const truc = body.items.find((c: { code: string }) => c.code === '00004');
    expect(truc.becameCommunes).toEqual([
      {
        communeCode: '00004',
        communeName: 'Phường Ba Đình',
        provinceCode: '01',
        provinceName: 'Thành phố Hà Nội',
        kind: 'whole',
        note: 'Nhập toàn bộ',
      },
    ]);
    const search = (await get('/api/v1/admin-units/old/communes?provinceCode=36&q=truong%20thi')).json();
    expect(search.items.map((c: { name: string }) => c.name)).toContain('Phường Trường Thi');
  });

  it('shows every target of a split commune', async () => {
    const ngocHa = (await get('/api/v1/admin-units/old/communes/00016')).json();
    expect(ngocHa).toMatchObject({ name: 'Phường Ngọc Hà', districtName: 'Quận Ba Đình' });
    expect(ngocHa.becameCommunes.map((t: { communeCode: string }) => t.communeCode)).toEqual([
      '00004',
      '00008',
    ]);
    expect(ngocHa.becameCommunes.every((t: { kind: string }) => t.kind === 'partial')).toBe(true);
  });
});

describe('resolving an address (signed-in users)', () => {
  it('needs a session and the CSRF token', async () => {
    const anonymous = await resolve({ commune: '00004' }, {});
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().error.code).toBe('UNAUTHENTICATED');
    const noCsrf = await resolve({ commune: '00004' }, { cookie: headers.cookie! });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('is open to every role, producers included', async () => {
    const producer = await t.as({ role: 'producer' });
    expect((await resolve({ commune: '00004' }, producer.headers)).statusCode).toBe(200);
  });

  it('gives one answer when the law gives one', async () => {
    const response = await resolve({
      province: 'Thái Bình',
      district: 'Huyện Vũ Thư',
      commune: 'xã  Tự Tân',
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({
      status: 'resolved',
      current: {
        communeCode: '13246',
        communeName: 'Xã Tân Thuận',
        provinceCode: '33',
        provinceName: 'Tỉnh Hưng Yên',
      },
      candidates: [],
      problem: null,
    });
  });

  it('flags a split commune for a decision with every candidate', async () => {
    const body = (
      await resolve({ province: 'Hà Nội', district: 'Ba Đình', commune: 'Phường Ngọc Hà' })
    ).json();
    expect(body.status).toBe('needs_decision');
    expect(body.current).toBeNull();
    expect(
      body.candidates.map((c: { communeCode: string; reason: string }) => [c.communeCode, c.reason]),
    ).toEqual([
      ['00004', 'split'],
      ['00008', 'split'],
    ]);
  });

  it('says why nothing was found', async () => {
    const body = (
      await resolve({ province: 'Hà Nội', district: 'Ba Đình', commune: 'Phường Không Có' })
    ).json();
    expect(body).toMatchObject({ status: 'not_found', problem: 'commune_not_found', candidates: [] });
  });

  it.each([
    [{}, 'commune'],
    [{ province: '   ' }, 'commune'],
    [{ province: 'x'.repeat(201) }, 'province'],
    [{ commune: 'Xã\u0000Tân' }, 'commune'],
    [{ district: 42 }, 'district'],
    [{ commune: 'Tân Lập', era: 'tomorrow' }, 'era'],
  ])('refuses %j naming the field %s', async (payload, field) => {
    const response = await resolve(payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('VALIDATION');
    expect(Object.keys(response.json().error.fields)).toContain(field);
  });

  it('refuses a body that is not JSON', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/admin-units/resolve',
      headers: { ...headers, 'content-type': 'application/json' },
      payload: '{"commune":',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('MALFORMED_JSON');
  });
});

describe('resolving addresses in a batch', () => {
  const batch = (payload: unknown) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/admin-units/resolve-batch',
      headers,
      payload: payload as object,
    });

  it('answers each address in order with a summary', async () => {
    const response = await batch({
      addresses: [
        { province: 'Hà Nội', district: 'Ba Đình', commune: 'Trúc Bạch' },
        { province: 'Hà Nội', district: 'Ba Đình', commune: 'Ngọc Hà' },
        { province: 'Không Có', commune: 'Không Có' },
        { province: 'Tỉnh Ninh Bình', commune: 'Phường Hoa Lư', era: 'current' },
      ],
    });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.results.map((r: { status: string }) => r.status)).toEqual([
      'resolved',
      'needs_decision',
      'not_found',
      'resolved',
    ]);
    expect(body.summary).toEqual({ resolved: 2, needsDecision: 1, notFound: 1 });
  });

  it('takes 500 addresses and refuses 501 or none', async () => {
    const address = { province: '01', district: '001', commune: '00004' };
    const ok = await batch({ addresses: Array.from({ length: 500 }, () => address) });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().summary.resolved).toBe(500);
    expect((await batch({ addresses: Array.from({ length: 501 }, () => address) })).statusCode).toBe(400);
    expect((await batch({ addresses: [] })).statusCode).toBe(400);
    const bad = await batch({ addresses: [address, { commune: 'a\u0007' }] });
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields)).toEqual(['addresses.1.commune']);
  });
});

describe('loading the reference data', () => {
  it('costs nothing when the version is already loaded', async () => {
    expect(await loadAdminUnits(t.database.db)).toMatchObject({ loaded: false });
    const [row] = await queryRows<{ count: number }>(
      t.database.db,
      sql`select count(*)::int as count from reference_data where name = 'admin-units'`,
    );
    expect(row?.count).toBe(1);
  });

  it('upserts a new version without breaking references, and the resolver sees it', async () => {
    const db = t.database.db;
    await db.execute(
      sql`create table admin_units_reference_probe (commune_code text not null references communes(code))`,
    );
    await db.execute(sql`insert into admin_units_reference_probe values ('00004'), ('00008')`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-units-'));
    try {
      fs.cpSync(DEFAULT_DATA_DIR, dir, { recursive: true });
      rewrite(dir, 'communes.json', (text) => text.replace('"Phường Ba Đình"', '"Phường Ba Đình Mới"'));
      const result = await loadAdminUnits(db, { dir });
      expect(result.loaded).toBe(true);
      const [row] = await queryRows<{ name: string; refs: number }>(
        db,
        sql`select name, (select count(*)::int from admin_units_reference_probe) as refs from communes where code = '00004'`,
      );
      expect(row).toEqual({ name: 'Phường Ba Đình Mới', refs: 2 });
      const resolved = (
        await resolve({ province: 'Hà Nội', district: 'Ba Đình', commune: 'Trúc Bạch' })
      ).json();
      expect(resolved.current.communeName).toBe('Phường Ba Đình Mới');
      const audit = await queryRows<{ action: string }>(
        db,
        sql`select action from audit_log where entity_type = 'reference_data' order by seq desc limit 1`,
      );
      expect(audit[0]?.action).toBe('reference_data.load');

      // A file changed without regenerating the manifest is refused, and nothing changes.
      fs.appendFileSync(path.join(dir, 'provinces.json'), ' ');
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
      manifest.checksum = '0'.repeat(64);
      fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
      await expect(loadAdminUnits(db, { dir })).rejects.toThrow(/does not match/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
      // Back to the shipped version for any test that follows.
      expect((await loadAdminUnits(db)).loaded).toBe(true);
      await db.execute(sql`drop table admin_units_reference_probe`);
    }
    expect((await get('/api/v1/admin-units/communes/00004')).json().name).toBe('Phường Ba Đình');
  });
});

/** Edits one data file and re-signs the manifest, as the converter would for a new version. */
function rewrite(dir: string, file: string, edit: (text: string) => string) {
  const full = path.join(dir, file);
  const content = edit(fs.readFileSync(full, 'utf8'));
  fs.writeFileSync(full, content);
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as Manifest;
  manifest.files[file] = {
    ...manifest.files[file]!,
    sha256: createHash('sha256').update(content).digest('hex'),
  };
  manifest.checksum = manifestChecksum(manifest.files);
  fs.writeFileSync(path.join(dir, MANIFEST_FILE), JSON.stringify(manifest));
}
