import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/schema';
import { verifyAuditChain } from '../../src/modules/audit/service';
import { createTestContext, type TestContext } from '../support/test-app';

let t: TestContext;
let admin: Record<string, string>;
let provinceCode: string;
let communeCode: string;

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.as({ role: 'system_admin' })).headers;
  const [commune] = await t.database.db.query.communes.findMany({ limit: 1 });
  provinceCode = commune?.provinceCode ?? '';
  communeCode = commune?.code ?? '';
});
afterAll(async () => t.close());

const newUser = (over: Record<string, unknown> = {}) => ({
  email: `can.bo.${Math.random().toString(36).slice(2, 8)}@ocop.vn`,
  fullName: 'Nguyễn Thị Hoa',
  password: 'LuaNep-HoaVang-2026!',
  role: 'province_officer',
  provinceCode,
  ...over,
});

describe('users administration', () => {
  it('creates a province officer who must change the password, and audits it', async () => {
    const body = newUser();
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: body,
    });
    expect(created.statusCode).toBe(201);
    const user = created.json();
    expect(user).toMatchObject({
      email: body.email,
      role: 'province_officer',
      provinceCode,
      mustChangePassword: true,
    });
    expect(user).not.toHaveProperty('passwordHash');
    const history = await t.app.inject({
      method: 'GET',
      url: `/api/v1/audit/user/${user.id}`,
      headers: admin,
    });
    expect(history.json().items.map((i: { action: string }) => i.action)).toEqual(['user.created']);
    expect(JSON.stringify(history.json())).not.toContain('argon2');
  });

  it('derives a commune officer province from the commune', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: newUser({ role: 'commune_officer', provinceCode: undefined, communeCode }),
    });
    expect(response.statusCode).toBe(201);
    expect(response.json()).toMatchObject({ communeCode, provinceCode });
  });

  it.each([
    [{ email: 'khong-phai-email' }, 'email'],
    [{ password: 'ngan1' }, 'password'],
    [{ role: 'vua' }, 'role'],
    [{ provinceCode: null }, 'provinceCode'],
    [{ provinceCode: '99' }, 'provinceCode'],
    [{ role: 'commune_officer', provinceCode: undefined, communeCode: '99999' }, 'communeCode'],
    [{ role: 'producer', provinceCode: undefined, subjectIds: [] }, 'subjectIds'],
    [
      { role: 'producer', provinceCode: undefined, subjectIds: ['00000000-0000-4000-8000-000000000001'] },
      'subjectIds',
    ],
    [{ fullName: '   ' }, 'fullName'],
    [{ fullName: 'a\u0000b' }, 'fullName'],
    [{ fullName: 'x'.repeat(201) }, 'fullName'],
  ])('refuses %j naming the field %s, changing nothing', async (override, field) => {
    const before = await t.database.db.$count(auditLog);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: newUser(override),
    });
    expect(response.statusCode).toBe(400);
    expect(Object.keys(response.json().error.fields)).toContain(field);
    expect(await t.database.db.$count(auditLog)).toBe(before);
  });

  it('refuses a duplicate e-mail whatever its case', async () => {
    const body = newUser();
    await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: body });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: { ...body, email: body.email.toUpperCase() },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields.email).toBeTruthy();
  });

  it('resets a password: old sessions end and the new password works', async () => {
    const body = newUser();
    const user = (
      await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: body })
    ).json();
    const session = await t.login(body.email, body.password);
    const reset = await t.app.inject({
      method: 'POST',
      url: `/api/v1/users/${user.id}/password-reset`,
      headers: admin,
      payload: { newPassword: 'MoiHoanToan2026' },
    });
    expect(reset.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session })).statusCode).toBe(
      401,
    );
    const again = await t.login(body.email, 'MoiHoanToan2026');
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: again });
    expect(me.json().user.mustChangePassword).toBe(true);
    const change = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: again,
      payload: { currentPassword: 'MoiHoanToan2026', newPassword: 'CuaToiThoi2026' },
    });
    expect(change.statusCode).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: again });
    expect(after.json().user.mustChangePassword).toBe(false);
  });

  it('deactivates a user, ending their sessions and refusing their login', async () => {
    const body = newUser();
    const user = (
      await t.app.inject({ method: 'POST', url: '/api/v1/users', headers: admin, payload: body })
    ).json();
    const session = await t.login(body.email, body.password);
    const patch = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/users/${user.id}`,
      headers: admin,
      payload: { active: false },
    });
    expect(patch.statusCode).toBe(200);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: session })).statusCode).toBe(
      401,
    );
    const login = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: body.email, password: body.password },
    });
    expect(login.statusCode).toBe(401);
  });

  it('lists and searches users accent-insensitively', async () => {
    await t.app.inject({
      method: 'POST',
      url: '/api/v1/users',
      headers: admin,
      payload: newUser({ fullName: 'Trần Văn Đức' }),
    });
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/users?q=van%20duc', headers: admin });
    expect(response.statusCode).toBe(200);
    expect(response.json().items.map((u: { fullName: string }) => u.fullName)).toContain('Trần Văn Đức');
  });

  it('answers an unknown user with 404 and a malformed id with 400', async () => {
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/v1/users/00000000-0000-4000-8000-000000000009',
      headers: admin,
    });
    expect(missing.statusCode).toBe(404);
    const malformed = await t.app.inject({ method: 'GET', url: '/api/v1/users/abc', headers: admin });
    expect(malformed.statusCode).toBe(400);
  });

  it('refuses a wrong current password on change', async () => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/password',
      headers: admin,
      payload: { currentPassword: 'khong-dung-1', newPassword: 'CuaToiThoi2026' },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json().error.fields.currentPassword).toBeTruthy();
  });
});

describe('council-member directory', () => {
  it('lists active council members by name without accents, for officers who seat councils only', async () => {
    const suffix = Math.random().toString(36).slice(2, 8);
    const seat = async (fullName: string) => (await t.as({ role: 'council_member', fullName })).user;
    const lan = await seat(`Trần Thị Lan ${suffix}`);
    const gone = await seat(`Trần Văn Lâm ${suffix}`);
    await t.database.db.execute(sql`update users set active = false where id = ${gone.id}`);
    const officer = (await t.as({ role: 'province_officer', provinceCode })).headers;

    const found = await t.app.inject({
      method: 'GET',
      url: `/api/v1/council-members?q=${encodeURIComponent(`tran thi lan ${suffix}`)}`,
      headers: officer,
    });
    expect(found.statusCode).toBe(200);
    expect(found.json()).toEqual({
      items: [{ id: lan.id, fullName: lan.fullName, email: lan.email }],
      more: false,
    });
    // Deactivated accounts are not offered; other roles never appear.
    const all = await t.app.inject({
      method: 'GET',
      url: `/api/v1/council-members?q=${suffix}`,
      headers: admin,
    });
    expect(all.json().items.map((u: { id: string }) => u.id)).toEqual([lan.id]);

    for (const role of ['commune_officer', 'council_member', 'producer'] as const) {
      const { headers } = await t.as({ role, provinceCode, communeCode });
      const denied = await t.app.inject({ method: 'GET', url: '/api/v1/council-members', headers });
      expect(denied.statusCode).toBe(403);
    }
    const tooLong = await t.app.inject({
      method: 'GET',
      url: `/api/v1/council-members?q=${'a'.repeat(201)}`,
      headers: officer,
    });
    expect(tooLong.statusCode).toBe(400);
  });
});

describe('audit chain', () => {
  it('verifies, then reports the first altered entry', async () => {
    const intact = await verifyAuditChain(t.database.db);
    expect(intact.ok).toBe(true);
    expect(intact.checked).toBeGreaterThan(3);
    const [second] = await t.database.db.select().from(auditLog).orderBy(auditLog.seq).offset(1).limit(1);
    await t.database.db
      .update(auditLog)
      .set({ after: sql`jsonb_set(${auditLog.after}, '{fullName}', '"Kẻ giả mạo"')` })
      .where(eq(auditLog.seq, second!.seq));
    const broken = await verifyAuditChain(t.database.db);
    expect(broken).toMatchObject({ ok: false, brokenAtSeq: second!.seq, checked: 1 });
  });
});
