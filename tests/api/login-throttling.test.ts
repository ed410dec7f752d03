import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../support/test-app';

/**
 * Login throttling as an attacker would probe it: a burst of parallel guesses, someone else's
 * failures against an account, and an address spraying many accounts. Limits are the defaults:
 * 5 free attempts per account and address pair, 20 per address, a 15-minute window.
 */

let t: TestContext;

beforeAll(async () => {
  t = await createTestContext();
});

afterAll(async () => t.close());

const attempt = (email: string, password: string, remoteAddress = '203.0.113.7') =>
  t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
    remoteAddress,
    headers: { 'accept-language': 'en' },
  });

describe('login throttling', () => {
  it('holds under a burst of parallel guesses: only the free attempts reach the password check', async () => {
    const user = await t.createUser({ role: 'producer' });
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => attempt(user.email, 'sai-mat-khau', '198.51.100.1')),
    );
    const statuses = answers.map((a) => a.statusCode);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(35);
  });

  it('says how long to wait, in the message and in Retry-After, and makes each further wait longer', async () => {
    const user = await t.createUser({ role: 'producer' });
    for (let i = 0; i < 5; i++)
      expect((await attempt(user.email, 'sai', '198.51.100.2')).statusCode).toBe(401);
    const refused = await attempt(user.email, TEST_PASSWORD, '198.51.100.2');
    expect(refused.statusCode).toBe(429);
    const seconds = Number(refused.headers['retry-after']);
    expect(seconds).toBeGreaterThan(25);
    expect(seconds).toBeLessThanOrEqual(30);
    expect(refused.json().error).toMatchObject({ code: 'TOO_MANY_REQUESTS' });
    expect(refused.json().error.message).toMatch(/try again in \d+ seconds/);
  });

  it("does not let someone else's failures lock the owner out", async () => {
    const user = await t.createUser({ role: 'producer' });
    for (let i = 0; i < 12; i++) await attempt(user.email, 'sai', '198.51.100.3');
    expect((await attempt(user.email, 'sai', '198.51.100.3')).statusCode).toBe(429);
    // The owner, from their own address, logs in at once.
    expect((await attempt(user.email, TEST_PASSWORD, '192.0.2.44')).statusCode).toBe(200);
  });

  it('gives a successful attempt back: the pair starts afresh', async () => {
    const user = await t.createUser({ role: 'producer' });
    for (let i = 0; i < 4; i++) await attempt(user.email, 'sai', '198.51.100.4');
    expect((await attempt(user.email, TEST_PASSWORD, '198.51.100.4')).statusCode).toBe(200);
    for (let i = 0; i < 4; i++)
      expect((await attempt(user.email, 'sai', '198.51.100.4')).statusCode).toBe(401);
  });

  it('stops an address that sprays many accounts at its limit, whichever account it tries', async () => {
    const address = '198.51.100.5';
    const accounts = await Promise.all(Array.from({ length: 7 }, () => t.createUser({ role: 'producer' })));
    let refused = 0;
    for (const account of accounts) {
      for (let i = 0; i < 3; i++) {
        if ((await attempt(account.email, 'sai', address)).statusCode === 429) refused++;
      }
    }
    // 21 attempts: the 21st is past the address's 20.
    expect(refused).toBe(1);
    const other = await t.createUser({ role: 'producer' });
    const blocked = await attempt(other.email, TEST_PASSWORD, address);
    expect(blocked.statusCode).toBe(429);
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(60);
  });
});

describe('password policy', () => {
  it('refuses padding, common passwords and, outside demo mode, the demo password — with a message per case', async () => {
    const outsideDemo = await createTestContext({ OCOP_DEMO: '0' });
    try {
      const { headers } = await outsideDemo.as({ role: 'system_admin' });
      const create = (password: string) =>
        outsideDemo.app.inject({
          method: 'POST',
          url: '/api/v1/users',
          headers: { ...headers, 'accept-language': 'en' },
          payload: {
            email: `p-${Math.random().toString(36).slice(2)}@test.vn`,
            fullName: 'Cán bộ',
            role: 'system_admin',
            password,
          },
        });
      const padded = await create(`${' '.repeat(10)}1a`);
      expect(padded.statusCode).toBe(400);
      expect(padded.json().error.fields.password).toMatch(/besides spaces/);
      const common = await create('Password-123');
      expect(common.statusCode).toBe(400);
      expect(common.json().error.fields.password).toMatch(/most used/);
      const demo = await create('Ocop-demo-2026');
      expect(demo.statusCode).toBe(400);
      expect(demo.json().error.fields.password).toMatch(/demo accounts/);
      expect((await create('Chè-Tân-Cương-2026')).statusCode).toBe(201);
    } finally {
      await outsideDemo.close();
    }
  });
});
