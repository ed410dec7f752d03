import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import zlib from 'node:zlib';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { BackupError, backupDatabase, readManifest, restoreDatabase } from '../../src/db/backup';
import { type Database, openDatabase } from '../../src/db/client';
import { makeReachableTempDir } from '../../src/db/embedded-server';
import { migrateDatabase } from '../../src/db/migrate';
import { seedDemo } from '../../src/demo/seed';
import { verifyAuditChain } from '../../src/modules/audit/service';
import { subjects } from '../../src/modules/subjects/schema';
import { createSubject } from '../../src/modules/subjects/service';
import { type Kek, open } from '../../src/modules/verification/envelope';
import { readKekFile } from '../../src/modules/verification/kek';
import { setUpSigning } from '../../src/modules/verification/key-service';
import { createAdmin, login, runScript, startApp } from '../support/app-process';
import { demoAdminContext } from '../support/demo-actor';
import { ALL_BYTES, PROBE_ROWS, PROBE_TABLE, PROBE_TEXT, SAME_OUTPUT } from '../support/probe-table';
import { withDatabaseName } from '../support/template-database';
import { openTestDatabase } from '../support/test-app';

/**
 * `npm run db:backup` / `db:restore`: a logical backup taken while writes go on is one consistent
 * moment, and restores exactly (every table's fingerprint, the audit chain, sequences) into an empty
 * migrated database; then the same through the scripts against a running server.
 */

const created: string[] = [];
let scratch: string;

/** An empty database on the run's server, migrated, with the probe table. */
async function emptyDatabase(): Promise<Database> {
  const template = inject('databaseTemplate');
  const name = `ocop_restore_${created.length}_${process.pid}`;
  const admin = new pg.Client({ connectionString: template.url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  created.push(name);
  const database = await openDatabase({ kind: template.kind, url: withDatabaseName(template.url, name) });
  await migrateDatabase(database);
  await database.pool.query(PROBE_TABLE);
  return database;
}

async function rowsAsText(database: Database, query: string): Promise<string[]> {
  const client = await database.pool.connect();
  try {
    await client.query(SAME_OUTPUT);
    return (await client.query(query)).rows.map((r) => r.row);
  } finally {
    client.release();
  }
}

beforeAll(() => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-backup-'));
});

afterAll(async () => {
  const template = inject('databaseTemplate');
  const admin = new pg.Client({ connectionString: template.url });
  await admin.connect();
  for (const name of created) await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  await admin.end();
  fs.rmSync(scratch, { recursive: true, force: true });
});

async function publishedKeys(baseUrl: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/.well-known/ocop-verification-key`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
}

function openOrNull(kek: Kek, kid: string, sealed: string): Buffer | null {
  try {
    return open(kek, kid, sealed);
  } catch {
    return null;
  }
}

describe('logical backup and restore', () => {
  it('backs up one consistent moment while writes go on, and restores it exactly', async () => {
    const source = await openTestDatabase();
    const config = loadConfig({ DATA_DIR: path.join(scratch, 'data') });
    try {
      // As a start does before the demo is seeded (the demo issues certificates, which sign).
      await setUpSigning({ database: source, config });
      await seedDemo(source, config);
      await source.pool.query(`${PROBE_TABLE}; ${PROBE_ROWS}`);
      const ctx = await demoAdminContext(source, config);

      // Audited writes keep coming while the backup reads.
      let writing = true;
      let written = 0;
      const writer = (async () => {
        while (writing) {
          await createSubject({
            ctx,
            input: {
              name: `Ghi trong lúc sao lưu ${written}`,
              type: 'household_business',
              address: 'Thôn Giữa',
              communeCode: '14464',
              legalRepresentative: 'Trần Thị Lưu',
              legalRepresentativeGender: 'female',
            },
          });
          written++;
        }
      })();
      while (written < 3) await Promise.race([writer, new Promise((resolve) => setTimeout(resolve, 10))]);
      const outDir = path.join(scratch, 'backup-1');
      const manifest = await backupDatabase({ pool: source.pool, outDir, log: () => {} });
      writing = false;
      await writer;
      expect(fs.existsSync(`${outDir}.partial`)).toBe(false);
      expect(manifest.audit.ok).toBe(true);
      const subjectsInBackup = Number(manifest.tables.find((t) => t.name === 'subjects')!.rows);
      const auditInBackup = Number(manifest.tables.find((t) => t.name === 'audit_log')!.rows);
      expect(manifest.audit.checked).toBe(auditInBackup);

      const target = await emptyDatabase();
      try {
        const log: string[] = [];
        const { counts } = await restoreDatabase({
          pool: target.pool,
          fromDir: outDir,
          log: (l) => log.push(l),
        });
        expect(Object.fromEntries(counts)).toEqual(
          Object.fromEntries(manifest.tables.map((t) => [t.name, t.rows])),
        );
        expect(log.join('\n')).toMatch(new RegExp(`Audit chain intact \\(${auditInBackup} entries\\)`));
        expect(await target.db.$count(subjects)).toBe(subjectsInBackup);
        // The backup is one moment: every subject in it has its audit entry, and the chain verifies.
        expect(await verifyAuditChain(target.db)).toEqual({ ok: true, checked: auditInBackup });
        expect(await rowsAsText(target, PROBE_TEXT)).toEqual(await rowsAsText(source, PROBE_TEXT));
        expect(await rowsAsText(target, 'SELECT u::text AS row FROM users u ORDER BY id')).toEqual(
          await rowsAsText(source, 'SELECT u::text AS row FROM users u ORDER BY id'),
        );
        const probe = await target.pool.query('SELECT b, t, t_upper FROM upgrade_probe ORDER BY id LIMIT 1');
        expect(probe.rows[0].b).toEqual(ALL_BYTES);
        expect(probe.rows[0].t_upper).toBe(probe.rows[0].t.toUpperCase());
        const next = await target.pool.query(`INSERT INTO upgrade_probe (t) VALUES ('next') RETURNING id`);
        expect(Number(next.rows[0].id)).toBe(5);
        const seq = await target.pool.query(
          `SELECT nextval(pg_get_serial_sequence('audit_log', 'seq'))::int AS n`,
        );
        expect(seq.rows[0].n).toBeGreaterThan(auditInBackup);

        // Never into a database that holds rows.
        await expect(restoreDatabase({ pool: target.pool, fromDir: outDir, log: () => {} })).rejects.toThrow(
          /not empty/,
        );
      } finally {
        await target.close();
      }

      // A damaged file: the restore stops and keeps nothing.
      const damaged = path.join(scratch, 'backup-damaged');
      fs.cpSync(outDir, damaged, { recursive: true });
      const file = path.join(damaged, readManifest(damaged).tables.find((t) => t.name === 'subjects')!.file);
      const lines = zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').trimEnd().split('\n');
      lines[0] = lines[0]!.replace(/"address":"[^"]*"/, '"address":"altered"');
      fs.writeFileSync(file, zlib.gzipSync(`${lines.join('\n')}\n`));
      const other = await emptyDatabase();
      try {
        const error = await restoreDatabase({ pool: other.pool, fromDir: damaged, log: () => {} }).catch(
          (e) => e,
        );
        expect(error).toBeInstanceOf(BackupError);
        expect(error.message).toMatch(/table subjects: .*damaged/);
        const left = await other.pool.query(
          'SELECT (SELECT count(*) FROM users)::int AS users, (SELECT count(*) FROM subjects)::int AS subjects',
        );
        expect(left.rows[0]).toEqual({ users: 0, subjects: 0 });
      } finally {
        await other.close();
      }
    } finally {
      await source.close();
    }
  }, 60_000);

  it('npm run db:backup reads a running server; db:restore fills a new DATA_DIR that then serves it', async () => {
    // The signing keys travel only encrypted: the restored DATA_DIR starts once it has DATA_DIR/secrets/signing-kek.
    const ADMIN = { email: 'backup-admin@ocop.local', password: 'kiem-thu-sao-luu-2026' };
    const first = makeReachableTempDir('ocop-backup-a-');
    const second = makeReachableTempDir('ocop-backup-b-');
    const outDir = path.join(scratch, 'backup-cli');
    let publishedKids: string[] = [];
    try {
      createAdmin(first, ADMIN);
      const app = await startApp(first);
      const names: string[] = [];
      let auditEntries = 0;
      try {
        const session = await login(app.baseUrl, ADMIN.email, ADMIN.password);
        for (let i = 0; i < 3; i++) {
          const response = await fetch(`${app.baseUrl}/api/v1/subjects`, {
            method: 'POST',
            headers: {
              'content-type': 'application/json',
              cookie: session.cookie,
              'x-csrf-token': session.csrfToken,
            },
            body: JSON.stringify({
              name: `Sao lưu ${i}`,
              type: 'cooperative',
              address: 'Thôn Đông',
              communeCode: '14464',
              legalRepresentative: 'Lê Văn Lưu',
              legalRepresentativeGender: 'male',
            }),
          });
          expect(response.status).toBe(201);
          names.push(`Sao lưu ${i}`);
        }
        // A signing key exists once something signs (here: the published keys), then is rotated
        // while the app serves; the running app publishes both at once.
        const firstKid = (await publishedKeys(app.baseUrl))[0]!;
        const rotated = runScript('keys-rotate.ts', [], first);
        expect(rotated.output, rotated.output).toMatch(
          new RegExp(
            `Signing key rotated on the running embedded server: (\\S+) is now the active key; ${firstKid} is retired`,
          ),
        );
        expect(rotated.status).toBe(0);
        const newKid = /: (\S+) is now the active key/.exec(rotated.output)![1]!;
        for (let i = 0; i < 50 && (await publishedKeys(app.baseUrl)).length < 2; i++) await sleep(100);
        publishedKids = await publishedKeys(app.baseUrl);
        expect(publishedKids.sort()).toEqual([firstKid, newKid].sort());
        const backup = runScript('db-backup.ts', ['--out', outDir], first);
        expect(backup.output, backup.output).toMatch(/from the running embedded server/);
        expect(backup.output, backup.output).toMatch(
          /Backup complete: \d+ tables, audit chain intact \(\d+ entries\)/,
        );
        auditEntries = Number(/intact \((\d+) entries\)/.exec(backup.output)![1]);
        expect(backup.output).toMatch(/keep a copy of .*secrets apart from the backup/);
        expect(backup.status).toBe(0);
      } finally {
        await app.stop();
      }
      // The backup holds the keys only sealed: no PEM, no PKCS#8 bytes.
      const kek = readKekFile(path.join(first, 'secrets', 'signing-kek'))!;
      const keysFile = readManifest(outDir).tables.find((t) => t.name === 'verification_signing_keys')!.file;
      const keyRows = zlib.gunzipSync(fs.readFileSync(path.join(outDir, keysFile))).toString('utf8');
      expect(keyRows).not.toMatch(/PRIVATE KEY/);
      const sealed = [...keyRows.matchAll(/"(v1\.[A-Za-z0-9_-]+)"/g)].map((m) => m[1]!);
      expect(sealed).toHaveLength(2);
      for (const kid of publishedKids) {
        const der = sealed.map((c) => openOrNull(kek, kid, c)).find((d) => d !== null)!;
        for (const secret of [der, der.subarray(der.length - 32)]) {
          for (const encoding of ['base64', 'base64url', 'hex'] as const) {
            expect(keyRows).not.toContain(secret.toString(encoding).replace(/=+$/, ''));
          }
        }
      }
      expect(fs.readdirSync(outDir).join()).not.toMatch(/secrets|kek/);

      const restore = runScript('db-restore.ts', ['--from', outDir], second);
      expect(restore.output).toMatch(/^ {2}subjects +3$/m);
      expect(restore.output).toMatch(/Restore complete/);
      expect(restore.status).toBe(0);

      // Without the key-encryption key the restored database cannot sign: the start stops and says why.
      const refused = await startApp(second, { waitForHealth: false });
      expect(await refused.exited).toBe(1);
      expect(refused.output()).toMatch(
        /signing key is encrypted with a key-encryption key \(KEK id [\w-]+\) that this installation does not have: .*signing-kek is missing/,
      );
      expect(refused.output()).toMatch(/Restore DATA_DIR\/secrets\/signing-kek/);
      expect(fs.existsSync(path.join(second, 'secrets', 'signing-kek'))).toBe(false);
      // DATA_DIR/secrets backed up separately, copied back: it starts and publishes the same keys.
      fs.copyFileSync(
        path.join(first, 'secrets', 'signing-kek'),
        path.join(second, 'secrets', 'signing-kek'),
      );
      fs.chmodSync(path.join(second, 'secrets', 'signing-kek'), 0o600);

      const restored = await startApp(second);
      try {
        expect((await publishedKeys(restored.baseUrl)).sort()).toEqual(publishedKids.sort());
        const session = await login(restored.baseUrl, ADMIN.email, ADMIN.password);
        const list = await fetch(`${restored.baseUrl}/api/v1/subjects?pageSize=10`, {
          headers: { cookie: session.cookie },
        });
        const body = (await list.json()) as { items: { name: string }[] };
        expect(body.items.map((s) => s.name).sort()).toEqual(names);
      } finally {
        await restored.stop();
      }
      const verified = runScript('audit-verify.ts', [], second);
      expect(verified.output).toContain(`Audit chain intact: ${auditEntries} entries verified`);
      expect(verified.status).toBe(0);
    } finally {
      fs.rmSync(first, { recursive: true, force: true });
      fs.rmSync(second, { recursive: true, force: true });
    }
  }, 120_000);
});
