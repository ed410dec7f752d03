import { createPrivateKey, sign } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Config, loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { makeReachableTempDir } from '../../src/db/embedded-server';
import { migrateDatabase } from '../../src/db/migrate';
import { PgliteUpgradeError } from '../../src/db/pglite-upgrade';
import { DEMO_PASSWORD } from '../../src/demo/demo-province';
import { seedDemo } from '../../src/demo/seed';
import { loadAdminUnits } from '../../src/modules/admin-units/load';
import { verifyAuditChain } from '../../src/modules/audit/service';
import { signedMessage } from '../../src/modules/certificates/rules';
import { certificates } from '../../src/modules/certificates/schema';
import { loadShippedCriteria } from '../../src/modules/criteria/service';
import { createSubject, updateSubject } from '../../src/modules/subjects/service';
import { open } from '../../src/modules/verification/envelope';
import { kekFileOf, readKekFile } from '../../src/modules/verification/kek';
import { setUpSigning } from '../../src/modules/verification/key-service';
import { verificationSigningKeys } from '../../src/modules/verification/schema';
import { buildApp } from '../../src/server/app';
import { openConfiguredDatabase, prepareDatabase } from '../../src/server/bootstrap';
import type { RequestContext } from '../../src/server/context';
import { demoAdminContext } from '../support/demo-actor';
import { ALL_BYTES, PROBE_ROWS, PROBE_TABLE, PROBE_TEXT, SAME_OUTPUT } from '../support/probe-table';
import { openLegacyPglite } from './legacy-pglite';

/**
 * The first start of this release on a data directory of the previous one (PGlite in DATA_DIR/db):
 * the directory is made here with PGlite, the migrations and the app's services (demo province plus
 * a few audited writes), and a probe table holding the values a copy most easily gets wrong.
 */

let dataDir: string;
let config: Config;
const legacy: {
  counts: Record<string, number>;
  probe: string[];
  auditEntries: number;
  subjectId: string;
  usersText: string[];
  auditText: string[];
  /** The signing key the previous release kept in plaintext, and a code it printed. */
  key: { kid: string; code: string };
} = {
  counts: {},
  probe: [],
  auditEntries: 0,
  subjectId: '',
  usersText: [],
  auditText: [],
  key: { kid: '', code: '' },
};

/** After the upgrade: the same rows, and one audit entry more (the plaintext signing key sealed). */
const upgradedCounts = () => ({ ...legacy.counts, audit_log: legacy.counts.audit_log! + 1 });

/** Counts without what using the app adds (the login's session, the scan of the old code and its day's salt). */
const ignoringUse = (counts: Record<string, number>) => ({
  ...counts,
  sessions: 0,
  verification_scans: 0,
  verification_scan_salts: 0,
});

/**
 * The previous release kept the signing key in plaintext (`private_key_pem`) and had no key-encryption
 * key: the legacy database's key is put back that way, the KEK file removed, and a code it signed kept.
 */
async function asPreviousReleaseKey(database: Database): Promise<{ kid: string; code: string }> {
  const file = kekFileOf(config);
  const kek = readKekFile(file)!;
  const [row] = await database.db.select().from(verificationSigningKeys);
  const privateKey = createPrivateKey({
    key: open(kek, row!.kid, row!.privateKeySealed!),
    format: 'der',
    type: 'pkcs8',
  });
  await database.db.update(verificationSigningKeys).set({
    legacyPrivateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    privateKeySealed: null,
    kekId: null,
  });
  fs.rmSync(file);
  const [certificate] = await database.db.select({ number: certificates.number }).from(certificates).limit(1);
  const number = certificate!.number;
  const signature = sign(null, Buffer.from(signedMessage(number), 'utf8'), privateKey).toString('base64url');
  return { kid: row!.kid, code: `/v/${encodeURIComponent(number)}?s=${signature}` };
}

async function publicCounts(query: (sql: string) => Promise<Record<string, unknown>[]>) {
  const tables = await query(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE n.nspname = 'public' AND c.relkind = 'r' ORDER BY c.relname`,
  );
  const counts: Record<string, number> = {};
  for (const { name } of tables) {
    const [row] = await query(`SELECT count(*)::int AS n FROM "${String(name)}"`);
    counts[String(name)] = Number(row!.n);
  }
  return counts;
}

const pgliteRows = (client: PGlite) => async (sql: string) =>
  (await client.query<Record<string, unknown>>(sql)).rows;
const poolRows = (pool: pg.Pool) => async (sql: string) => (await pool.query(sql)).rows;

async function withPool<T>(run: (pool: pg.Pool) => Promise<T>): Promise<T> {
  const database = await openConfiguredDatabase(config, () => {});
  try {
    return await run(database.pool);
  } finally {
    await database.close();
  }
}

function startWith(log: string[]) {
  return prepareDatabase(config, (line) => log.push(line));
}

const migratedDirs = () =>
  fs.readdirSync(dataDir).filter((name) => /^db\.pglite-migrated-\d{8}-\d{6}/.test(name));

beforeAll(async () => {
  dataDir = makeReachableTempDir('ocop-upgrade-');
  config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });

  // The previous release's data directory.
  const { client, database } = await openLegacyPglite(config.legacyEmbeddedDir);
  await loadAdminUnits(database.db);
  await loadShippedCriteria({ ctx: { database, actor: null } as unknown as RequestContext });
  await setUpSigning({ database, config });
  await seedDemo(database, config);
  const ctx = await demoAdminContext(database, config);
  const subject = await createSubject({
    ctx,
    input: {
      name: 'Hợp tác xã Nâng cấp',
      type: 'cooperative',
      address: 'Thôn "Đông" \\ số 1',
      communeCode: '14464',
      legalRepresentative: 'Nguyễn Văn Đức',
      legalRepresentativeGender: 'male',
      salesChannels: [{ kind: 'supermarket', detail: 'Siêu thị “Đồng Xanh” — 50%' }],
    },
  });
  await updateSubject({ ctx, input: { id: subject.id, version: subject.version, workforceTotal: 12 } });
  legacy.subjectId = subject.id;
  legacy.key = await asPreviousReleaseKey(database);
  await client.exec(`${PROBE_TABLE}; ${PROBE_ROWS}`);

  await client.exec(SAME_OUTPUT);
  legacy.counts = await publicCounts(pgliteRows(client));
  legacy.probe = (await client.query<{ row: string }>(PROBE_TEXT)).rows.map((r) => r.row);
  legacy.usersText = (
    await client.query<{ row: string }>('SELECT u::text AS row FROM users u ORDER BY id')
  ).rows.map((r) => r.row);
  legacy.auditText = (
    await client.query<{ row: string }>('SELECT a::text AS row FROM audit_log a ORDER BY seq')
  ).rows.map((r) => r.row);
  const chain = await verifyAuditChain(database.db);
  expect(chain.ok).toBe(true);
  legacy.auditEntries = chain.checked;
  await client.close();

  // The new server, migrated, with the probe table too; a check constraint the legacy rows break,
  // so the first attempt fails midway through the copy.
  const target = await openConfiguredDatabase(config, () => {});
  await migrateDatabase(target);
  await target.pool.query(PROBE_TABLE);
  await target.pool.query(
    `ALTER TABLE upgrade_probe ADD CONSTRAINT upgrade_probe_refuses CHECK (t IS DISTINCT FROM 'forbidden')`,
  );
  await target.close();
}, 90_000);

afterAll(() => {
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('upgrade from the previous release (PGlite in DATA_DIR/db)', () => {
  it('a failure midway leaves the new database empty and the old directory as it was', async () => {
    const log: string[] = [];
    const error = await startWith(log).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PgliteUpgradeError);
    expect((error as Error).message).toMatch(/upgrade_probe_refuses/);
    expect((error as Error).message).toMatch(/old directory keeps its name/);
    expect(fs.existsSync(path.join(config.legacyEmbeddedDir, 'PG_VERSION'))).toBe(true);
    expect(migratedDirs()).toEqual([]);
    await withPool(async (pool) => {
      const counts = await publicCounts(poolRows(pool));
      expect(Object.values(counts).every((n) => n === 0)).toBe(true);
      const marker = await pool.query(`SELECT to_regclass('ocop_upgrade.pglite_import')::text AS t`);
      expect(marker.rows[0].t).toBeNull();
      await pool.query('ALTER TABLE upgrade_probe DROP CONSTRAINT upgrade_probe_refuses');
    });
  });

  it('copies every table exactly, keeps the chain intact and renames the old directory', async () => {
    const log: string[] = [];
    const database = await startWith(log);
    try {
      const output = log.join('\n');
      expect(output).toMatch(/Rows copied per table/);
      for (const [table, n] of Object.entries(legacy.counts)) {
        expect(output).toMatch(new RegExp(`^  ${table} +${n}$`, 'm'));
      }
      // Reference data loaded after the copy found nothing to change; the signing key was sealed.
      expect(await publicCounts(poolRows(database.pool))).toEqual(upgradedCounts());
      expect(output).toContain(
        `Encrypted 1 verification signing key(s) stored in plaintext by the previous release (${legacy.key.kid})`,
      );
      expect(output).not.toMatch(/PRIVATE KEY/);
      const [key] = await database.db.select().from(verificationSigningKeys);
      expect(key).toMatchObject({ kid: legacy.key.kid, legacyPrivateKeyPem: null });
      expect(key!.privateKeySealed).toMatch(/^v1\./);
      expect(key!.kekId).toBe(readKekFile(kekFileOf(config))!.id);
      expect(fs.statSync(kekFileOf(config)).mode & 0o777).toBe(0o600);

      const client = await database.pool.connect();
      try {
        await client.query(SAME_OUTPUT);
        expect((await client.query(PROBE_TEXT)).rows.map((r) => r.row)).toEqual(legacy.probe);
        expect(
          (await client.query('SELECT u::text AS row FROM users u ORDER BY id')).rows.map((r) => r.row),
        ).toEqual(legacy.usersText);
        const audit = (await client.query('SELECT a::text AS row FROM audit_log a ORDER BY seq')).rows;
        expect(audit.slice(0, legacy.auditText.length).map((r) => r.row)).toEqual(legacy.auditText);
        expect(audit.slice(legacy.auditText.length).map((r) => r.row)).toEqual([
          expect.stringContaining('verification.signing_key_sealed'),
        ]);
        const probe = await client.query('SELECT * FROM upgrade_probe ORDER BY id');
        expect(probe.rows[0].b).toEqual(ALL_BYTES);
        expect(probe.rows[0].t_upper).toBe(probe.rows[0].t.toUpperCase());
        expect(probe.rows[0].ts.toISOString()).toBe('2026-01-01T20:04:05.123Z');
        const micro = await client.query(
          `SELECT to_char(ts, 'US') AS us FROM upgrade_probe ORDER BY id LIMIT 1`,
        );
        expect(micro.rows[0].us).toBe('123456');
        const nulls = await client.query(
          `SELECT j IS NULL AS sql_null, j = 'null'::jsonb AS json_null, jn::text AS jn FROM upgrade_probe ORDER BY id`,
        );
        expect(nulls.rows[1]).toEqual({ sql_null: false, json_null: true, jn: 'null' });
        // Identity columns continue after what the old database handed out (the deleted row's id included).
        const next = await client.query(`INSERT INTO upgrade_probe (t) VALUES ('next') RETURNING id`);
        expect(Number(next.rows[0].id)).toBe(5);
        await client.query(`DELETE FROM upgrade_probe WHERE t = 'next'`);
      } finally {
        client.release();
      }

      const subject = await database.db.query.subjects.findFirst({
        where: (s, { eq }) => eq(s.id, legacy.subjectId),
      });
      expect(subject).toMatchObject({
        address: 'Thôn "Đông" \\ số 1',
        workforceTotal: 12,
        version: 2,
        salesChannels: [{ kind: 'supermarket', detail: 'Siêu thị “Đồng Xanh” — 50%' }],
      });

      const chain = await verifyAuditChain(database.db);
      expect(chain).toEqual({ ok: true, checked: legacy.auditEntries + 1 });
      expect(output).toMatch(new RegExp(`audit chain intact \\(${legacy.auditEntries} entries\\)`));

      expect(fs.existsSync(config.legacyEmbeddedDir)).toBe(false);
      const renamed = migratedDirs();
      expect(renamed).toHaveLength(1);
      expect(fs.existsSync(path.join(dataDir, renamed[0]!, 'PG_VERSION'))).toBe(true);
      expect(output).toContain(path.join(dataDir, renamed[0]!));

      // The demo seed finds its accounts and adds nothing; the old logins work.
      await seedDemo(database, config);
      expect(await publicCounts(poolRows(database.pool))).toEqual(upgradedCounts());
      const app = await buildApp({
        config,
        database,
        sessionSecret: 'upgrade-test-secret-upgrade-test-secret',
      });
      try {
        const login = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: 'tinh@demo.ocop.vn', password: DEMO_PASSWORD },
        });
        expect(login.statusCode).toBe(200);
        // A code the previous release printed still verifies.
        const page = await app.inject({ method: 'GET', url: legacy.key.code });
        expect(page.body).toContain('Mã xác thực hợp lệ');
      } finally {
        await app.close();
      }
    } finally {
      await database.close();
    }
  });

  it('a second start does nothing', async () => {
    const log: string[] = [];
    const database = await startWith(log);
    try {
      expect(log.join('\n')).not.toMatch(/Upgrading|copied|renam|Encrypted/i);
      // The login and the scan above added a session and a scan record.
      const counts = await publicCounts(poolRows(database.pool));
      expect(ignoringUse(counts)).toEqual(ignoringUse(upgradedCounts()));
      expect(migratedDirs()).toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it('a start that stopped between the commit and the rename only finishes the rename', async () => {
    fs.renameSync(path.join(dataDir, migratedDirs()[0]!), config.legacyEmbeddedDir);
    const log: string[] = [];
    const database = await startWith(log);
    try {
      expect(log.join('\n')).toMatch(/was copied on .*; renaming it now/);
      expect(log.join('\n')).not.toMatch(/Rows copied/);
      const counts = await publicCounts(poolRows(database.pool));
      expect(ignoringUse(counts)).toEqual(ignoringUse(upgradedCounts()));
      expect(fs.existsSync(config.legacyEmbeddedDir)).toBe(false);
      expect(migratedDirs()).toHaveLength(1);
    } finally {
      await database.close();
    }
  });

  it('never overwrites a new database that already holds other records', async () => {
    fs.renameSync(path.join(dataDir, migratedDirs()[0]!), config.legacyEmbeddedDir);
    // As if this old directory had never been copied here.
    await withPool((pool) => pool.query('DROP SCHEMA ocop_upgrade CASCADE'));
    const error = await startWith([]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(PgliteUpgradeError);
    expect((error as Error).message).toMatch(/already holds records/);
    expect(fs.existsSync(path.join(config.legacyEmbeddedDir, 'PG_VERSION'))).toBe(true);
    await withPool(async (pool) => {
      const counts = await publicCounts(poolRows(pool));
      expect(ignoringUse(counts)).toEqual(ignoringUse(upgradedCounts()));
    });
  });
});
