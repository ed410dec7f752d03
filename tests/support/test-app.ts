import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { hash } from '@node-rs/argon2';
import pg from 'pg';
import { inject } from 'vitest';
import { loadConfig } from '../../src/config';
import { type Database, openDatabase } from '../../src/db/client';
import type { Role } from '../../src/modules/accounts/roles';
import { userSubjects, users } from '../../src/modules/accounts/schema';
import { type App, buildApp } from '../../src/server/app';
import { withDatabaseName } from './template-database';

/** A fresh database for one test file, copied from the run's template on the run's server. */
export async function openTestDatabase(): Promise<Database> {
  const template = inject('databaseTemplate');
  const name = `ocop_t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: template.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template.templateName}`);
  await admin.end();
  return openDatabase({
    kind: template.kind,
    url: withDatabaseName(template.url, name),
    maxConnections: 4,
    afterClose: async () => {
      const cleanup = new pg.Client({ connectionString: template.url });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
    },
  });
}

export const TEST_PASSWORD = 'mat-khau-thu-123';
let passwordHashPromise: Promise<string> | undefined;

export type TestUser = { id: string; email: string; fullName: string; role: Role };

export type TestContext = {
  app: App;
  database: Database;
  dataDir: string;
  /** Creates a user directly in the database (tests need users before any admin exists). */
  createUser: (input: {
    role: Role;
    email?: string;
    fullName?: string;
    provinceCode?: string | null;
    communeCode?: string | null;
    subjectIds?: string[];
  }) => Promise<TestUser>;
  /** Logs in and returns headers that authenticate later requests (cookie + CSRF token). */
  login: (email: string, password?: string) => Promise<Record<string, string>>;
  /** createUser + login. */
  as: (
    input: Parameters<TestContext['createUser']>[0],
  ) => Promise<{ user: TestUser; headers: Record<string, string> }>;
  close: () => Promise<void>;
};

export async function createTestContext(env: Record<string, string> = {}): Promise<TestContext> {
  const database = await openTestDatabase();
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-data-'));
  const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', ...env });
  const app = await buildApp({ config, database, sessionSecret: 'test-secret-test-secret-test-secret-00' });
  passwordHashPromise ??= hash(TEST_PASSWORD);
  let counter = 0;

  const createUser: TestContext['createUser'] = async (input) => {
    counter++;
    const email = input.email ?? `${input.role}-${counter}-${randomUUID().slice(0, 8)}@test.vn`;
    const [row] = await database.db
      .insert(users)
      .values({
        email,
        fullName: input.fullName ?? `Người dùng ${counter}`,
        passwordHash: await passwordHashPromise!,
        role: input.role,
        provinceCode: input.provinceCode ?? null,
        communeCode: input.communeCode ?? null,
      })
      .returning();
    if (input.subjectIds?.length) {
      await database.db
        .insert(userSubjects)
        .values(input.subjectIds.map((subjectId) => ({ userId: row!.id, subjectId })));
    }
    return { id: row!.id, email, fullName: row!.fullName, role: input.role };
  };

  const login: TestContext['login'] = async (email, password = TEST_PASSWORD) => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/v1/auth/login',
      payload: { email, password },
    });
    if (response.statusCode !== 200)
      throw new Error(`login failed for ${email}: ${response.statusCode} ${response.body}`);
    const cookie = response.cookies.find((c) => c.name === 'ocop_session')!;
    return { cookie: `ocop_session=${cookie.value}`, 'x-csrf-token': response.json().csrfToken };
  };

  return {
    app,
    database,
    dataDir,
    createUser,
    login,
    as: async (input) => {
      const user = await createUser(input);
      return { user, headers: await login(user.email) };
    },
    close: async () => {
      await app.close();
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
