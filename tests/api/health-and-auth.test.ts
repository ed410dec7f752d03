import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../support/test-app';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
});
afterAll(async () => t.close());

describe('health', () => {
  it('reports the database kind', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/health' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      status: 'ok',
      database: process.env.TEST_DATABASE_URL ? 'postgres' : 'embedded',
    });
  });
});

describe('API documents and unknown routes', () => {
  it('publishes an OpenAPI document listing every API route, and a browsable version', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
    expect(response.statusCode).toBe(200);
    const paths = Object.keys(response.json().paths);
    for (const route of t.app.routeAccess) {
      expect(paths).toContain(route.url.replace(/:(\w+)/g, '{$1}'));
    }
    const docs = await t.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(docs.statusCode).toBe(200);
    expect(docs.headers['content-type']).toMatch(/text\/html/);
  });

  it('answers an unknown API route with 404 in the error shape', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/khong-co',
      headers: { 'accept-language': 'en' },
    });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'Not found.' } });
  });
});

describe('login', () => {
  it('logs in, reads the session and logs out', async () => {
    const user = await t.createUser({ role: 'system_admin' });
    const headers = await t.login(user.email);
    const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect(me.statusCode).toBe(200);
    expect(me.json().user.email).toBe(user.email);
    const out = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
    expect(out.statusCode).toBe(200);
    const after = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a wrong password in the error shape, in Vietnamese and English', async () => {
    const user = await t.createUser({ role: 'system_admin' });
    const vi = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: 'sai' },
    });
    expect(vi.statusCode).toBe(401);
    expect(vi.json()).toEqual({
      error: { code: 'INVALID_CREDENTIALS', message: 'Email hoặc mật khẩu không đúng.' },
    });
    const en = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'accept-language': 'en-GB,en;q=0.9' },
      payload: { email: user.email, password: 'wrong' },
    });
    expect(en.json().error.message).toBe('Wrong e-mail or password.');
  });

  it('throttles an account after repeated failures, even with the right password', async () => {
    const user = await t.createUser({ role: 'producer' });
    for (let i = 0; i < 5; i++) {
      await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: user.email, password: 'sai-mat-khau' },
      });
    }
    const blocked = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: user.email, password: TEST_PASSWORD },
    });
    expect(blocked.statusCode).toBe(429);
  });

  it('requires the CSRF header on cookie-authenticated writes', async () => {
    const user = await t.createUser({ role: 'system_admin' });
    const headers = await t.login(user.email);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/logout',
      headers: { cookie: headers.cookie! },
    });
    expect(response.statusCode).toBe(403);
    expect(response.json().error.code).toBe('CSRF');
  });

  it('answers malformed JSON and missing fields with 400 and field messages', async () => {
    const malformed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: '{"email": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('MALFORMED_JSON');
    const missing = await t.app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email: 'a@b.vn' },
    });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields.password).toBeTruthy();
  });
});
