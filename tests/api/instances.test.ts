import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { queryRows } from '../../src/db/client';
import { EXPIRY_JOB, runExpiryJob } from '../../src/modules/certificates/expiry';
import { type SecondInstance, startSecondInstance } from '../support/second-instance';
import { createTestContext, TEST_PASSWORD, type TestContext } from '../support/test-app';

/**
 * Two app instances on one database, as behind a load balancer: each has its own pool and memory,
 * and nothing one of them needs lives only in the other's — sessions, login throttling and the
 * daily job's claim are in the database. (The verification cache across instances is tested with
 * the verification page.)
 */

let t: TestContext;
let second: SecondInstance;

beforeAll(async () => {
  t = await createTestContext();
  second = await startSecondInstance(t);
});

afterAll(async () => {
  await second.close();
  await t.close();
});

const login = (app: TestContext['app'], email: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { email, password } });

describe('two instances on one database', () => {
  it('a session opened on one instance works on the other, and a logout on the other ends it everywhere', async () => {
    const user = await t.createUser({ role: 'system_admin' });
    const headers = await t.login(user.email);
    const onSecond = await second.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect(onSecond.statusCode, onSecond.body).toBe(200);
    expect(onSecond.json().user.email).toBe(user.email);

    const logout = await second.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
    expect(logout.statusCode).toBeLessThan(300);
    const afterLogout = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
    expect(afterLogout.statusCode).toBe(401);
  });

  it('counts failed logins across instances: failures spread over both still lock the account', async () => {
    const user = await t.createUser({ role: 'producer' });
    for (let i = 0; i < 5; i++) {
      const app = i % 2 === 0 ? t.app : second.app;
      expect((await login(app, user.email, 'sai-mat-khau')).statusCode).toBe(401);
    }
    expect((await login(second.app, user.email, TEST_PASSWORD)).statusCode).toBe(429);
    expect((await login(t.app, user.email, TEST_PASSWORD)).statusCode).toBe(429);
  });

  it("runs the day's job on one instance only when both start it at once", async () => {
    const config = loadConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    const day = new Date('2031-05-04T03:00:00Z');
    const [a, b] = await Promise.all([
      runExpiryJob({ ctx: { database: t.database, config, actor: null }, today: day, instance: 'first' }),
      runExpiryJob({
        ctx: { database: second.database, config, actor: null },
        today: day,
        instance: 'second',
      }),
    ]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    const runs = await queryRows<{ instance: string }>(
      t.database.db,
      sql`SELECT instance FROM job_runs WHERE job = ${EXPIRY_JOB} AND day = '2031-05-04'`,
    );
    expect(runs).toHaveLength(1);
  });
});
