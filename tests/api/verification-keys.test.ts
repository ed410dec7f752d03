import { createPublicKey, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../src/config';
import type { Database } from '../../src/db/client';
import { auditLog } from '../../src/modules/audit/schema';
import { signedMessage } from '../../src/modules/certificates/rules';
import { open } from '../../src/modules/verification/envelope';
import {
  createKekFile,
  kekFileOf,
  nextKekFileOf,
  readKekFile,
  SigningKeyError,
} from '../../src/modules/verification/kek';
import { resealKeys, rotateSigningKey, setUpSigning } from '../../src/modules/verification/key-service';
import { verificationSigningKeys } from '../../src/modules/verification/schema';
import {
  forgetSigningKeys,
  keyId,
  rawPublicKeyOf,
  registeredKek,
} from '../../src/modules/verification/signing';
import { buildApp } from '../../src/server/app';
import { openSameDatabase, type SecondInstance, startSecondInstance } from '../support/second-instance';
import { createTestContext, openTestDatabase, type TestContext } from '../support/test-app';
import { insertProduct, insertSubject, issue, NB, NB_A } from './certificates-support';

/**
 * The signing key at rest: sealed with a key-encryption key kept outside the database (the row holds
 * no PEM and no PKCS#8 bytes), a plaintext key of the previous release sealed at start-up, rotation
 * that keeps old codes verifying and signs new ones with the new key on every instance, and a start
 * with a missing or wrong key-encryption key stopped with a message that says what to do.
 */
let t: TestContext;
let officer: Record<string, string>;
let subject: string;

beforeAll(async () => {
  t = await createTestContext();
  subject = await insertSubject(t, 'Hợp tác xã Khóa Ký', NB_A);
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
});
afterAll(async () => t?.close());

const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
const signatureOf = (url: string) => new URL(url).searchParams.get('s')!;
const numberOf = (url: string) => decodeURIComponent(new URL(url).pathname.slice(3));

async function jwks(app = t.app): Promise<{ kid: string; x: string }[]> {
  const response = await app.inject({ method: 'GET', url: '/.well-known/ocop-verification-key' });
  expect(response.statusCode).toBe(200);
  return response.json().keys;
}

async function verifies(app: TestContext['app'], url: string): Promise<boolean> {
  const response = await app.inject({ method: 'GET', url: url.startsWith('/') ? url : pathOf(url) });
  expect(response.statusCode).toBe(200);
  return response.body.includes('Mã xác thực hợp lệ');
}

/** Which published key signed a code: checked offline, as any verifier would. */
function signerOf(keys: { kid: string; x: string }[], url: string): string | undefined {
  const message = Buffer.from(signedMessage(numberOf(url)), 'utf8');
  const signature = Buffer.from(signatureOf(url), 'base64url');
  return keys.find((k) =>
    verify(
      null,
      message,
      createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: k.x }, format: 'jwk' }),
      signature,
    ),
  )?.kid;
}

async function keyRows(database: Database = t.database) {
  return database.db.select().from(verificationSigningKeys).orderBy(verificationSigningKeys.createdAt);
}

async function auditActions(prefix: string) {
  const rows = await t.database.db.select().from(auditLog);
  return rows.filter((r) => r.action.startsWith(prefix));
}

async function certificateUrl(app: TestContext['app'], id: string): Promise<string> {
  const response = await app.inject({ method: 'GET', url: `/api/v1/certificates/${id}`, headers: officer });
  expect(response.statusCode, response.body).toBe(200);
  return response.json().verificationUrl;
}

describe('the signing key at rest', () => {
  it('is stored sealed: no PEM, no PKCS#8 bytes, only ciphertext and the KEK id', async () => {
    const product = await insertProduct(t, subject, NB_A);
    const cert = await issue(t, officer, product);
    expect(await verifies(t.app, cert.verificationUrl)).toBe(true);

    const [row] = await keyRows();
    const kek = readKekFile(kekFileOf(loadConfig({ DATA_DIR: t.dataDir })))!;
    expect(row!.kekId).toBe(kek.id);
    expect(row!.legacyPrivateKeyPem).toBeNull();
    const pkcs8 = open(kek, row!.kid, row!.privateKeySealed!);
    const seed = pkcs8.subarray(pkcs8.length - 32);
    // The whole row as the database holds it (what a backup or a reader of the table gets).
    const { rows } = await t.database.pool.query(
      "SELECT t::text AS text, encode(convert_to(t::text, 'UTF8'), 'hex') AS hex FROM verification_signing_keys t",
    );
    const text = rows.map((r) => r.text).join('\n');
    expect(text).not.toMatch(/PRIVATE KEY/);
    for (const secret of [pkcs8, seed]) {
      for (const encoding of ['base64', 'base64url', 'hex'] as const) {
        expect(text).not.toContain(secret.toString(encoding).replace(/=+$/, ''));
      }
      expect(Buffer.from(rows[0].hex, 'hex').includes(secret)).toBe(false);
    }
    // The KEK file is outside the database, 0600.
    expect(fs.statSync(kekFileOf(loadConfig({ DATA_DIR: t.dataDir }))).mode & 0o777).toBe(0o600);
  });

  it('seals a key the previous release stored in plaintext when an instance starts, and its codes keep verifying', async () => {
    const { kid, publicKey, pem, privateKey } = legacyKey();
    const before = (await keyRows()).map((r) => r.kid);
    // The previous release's row: the key in PEM, no ciphertext. The current key is retired so the
    // legacy one is the active key, as it was before the upgrade.
    await t.database.db.update(verificationSigningKeys).set({ retiredAt: new Date() });
    await t.database.db
      .insert(verificationSigningKeys)
      .values({ kid, publicKey, legacyPrivateKeyPem: pem, createdAt: new Date(Date.now() + 1000) });
    // A certificate whose printed code the previous release signed with that key.
    const { number } = await issue(t, officer, await insertProduct(t, subject, NB_A));
    const oldCode = `/v/${encodeURIComponent(number)}?s=${sign(null, Buffer.from(signedMessage(number)), privateKey).toString('base64url')}`;

    // Two instances starting at once (a load balancer restarting both): one seals, the other finds nothing to do.
    const [a, b] = [await openSameDatabase(t.database), await openSameDatabase(t.database)];
    const config = loadConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    const logs: string[] = [];
    try {
      await Promise.all([
        setUpSigning({ database: a, config, log: (m) => logs.push(m) }),
        setUpSigning({ database: b, config, log: (m) => logs.push(m) }),
      ]);
    } finally {
      await a.close();
      await b.close();
    }
    const row = (await keyRows()).find((r) => r.kid === kid)!;
    expect(row.legacyPrivateKeyPem).toBeNull();
    expect(row.privateKeySealed).toMatch(/^v1\./);
    expect(logs.filter((l) => l.includes('Encrypted 1 verification signing key'))).toHaveLength(1);
    expect(logs.join('\n')).not.toContain('PRIVATE KEY');
    expect((await auditActions('verification.signing_key_sealed')).map((r) => r.entityId)).toEqual([kid]);

    // A fresh instance signs with the sealed key and verifies the code printed before the upgrade.
    const second = await startSecondInstance(t);
    try {
      expect(await verifies(second.app, oldCode)).toBe(true);
      const keys = await jwks(second.app);
      expect(keys.map((k) => k.kid).sort()).toEqual([...before, kid].sort());
      const product = await insertProduct(t, subject, NB_A);
      const cert = await issue(t, officer, product);
      expect(signerOf(keys, await certificateUrl(second.app, cert.id))).toBe(kid);
    } finally {
      await second.close();
      // The first instance was running while the rows were changed behind its back: as restarted.
      forgetSigningKeys(t.database.db);
    }
  });

  it('a plaintext row whose PEM is not its public key stops the start and is left as it was', async () => {
    const { kid, publicKey } = legacyKey();
    await t.database.db
      .insert(verificationSigningKeys)
      .values({ kid, publicKey, legacyPrivateKeyPem: legacyKey().pem, retiredAt: new Date() });
    const database = await openSameDatabase(t.database);
    try {
      const config = loadConfig({ DATA_DIR: t.dataDir });
      const error = await setUpSigning({ database, config }).catch((e) => e);
      expect(error).toBeInstanceOf(SigningKeyError);
      expect(error.message).toMatch(
        new RegExp(
          `signing key ${kid} stored by the previous release is not a readable Ed25519 key matching its public key`,
        ),
      );
      expect((await keyRows()).find((r) => r.kid === kid)!.legacyPrivateKeyPem).toMatch(/PRIVATE KEY/);
    } finally {
      await database.close();
      await t.database.db.delete(verificationSigningKeys).where(eq(verificationSigningKeys.kid, kid));
    }
  });

  it('refuses a plaintext row once the database holds sealed keys in the same row (check constraint)', async () => {
    const [row] = await keyRows();
    await expect(
      t.database.db
        .update(verificationSigningKeys)
        .set({ legacyPrivateKeyPem: legacyKey().pem })
        .where(eq(verificationSigningKeys.kid, row!.kid)),
    ).rejects.toThrow();
  });
});

describe('rotation', () => {
  let second: SecondInstance;
  beforeAll(async () => {
    second = await startSecondInstance(t);
  });
  afterAll(async () => second?.close());

  it('retires the active key, keeps it published and verifying, and signs new codes with the new key on every instance', async () => {
    const product = await insertProduct(t, subject, NB_A);
    const cert = await issue(t, officer, product);
    const oldUrl = cert.verificationUrl;
    // Both instances have read the keys before the rotation.
    expect(await verifies(t.app, oldUrl)).toBe(true);
    expect(await verifies(second.app, oldUrl)).toBe(true);
    const oldKid = signerOf(await jwks(), oldUrl)!;
    const auditBefore = (await auditActions('verification.signing_key_rotated')).length;

    const rotation = await rotateSigningKey({ ctx: { database: t.database, actor: null } });
    expect(rotation.retired).toBe(oldKid);
    expect(rotation.active).not.toBe(oldKid);

    const rows = await keyRows();
    expect(rows.filter((r) => r.retiredAt === null).map((r) => r.kid)).toEqual([rotation.active]);
    expect(rows.find((r) => r.kid === oldKid)!.retiredAt).not.toBeNull();
    const audit = await auditActions('verification.signing_key_rotated');
    expect(audit).toHaveLength(auditBefore + 1);
    expect(audit.at(-1)).toMatchObject({
      entityId: rotation.active,
      actorLabel: 'system',
      before: { activeKid: oldKid },
    });
    expect(JSON.stringify(audit.at(-1))).not.toMatch(/v1\.|PRIVATE/);

    // This instance at once; the other when the notice arrives.
    const newUrl = await certificateUrl(t.app, cert.id);
    expect(signerOf(await jwks(), newUrl)).toBe(rotation.active);
    let fromSecond = '';
    for (let i = 0; i < 100; i++) {
      fromSecond = await certificateUrl(second.app, cert.id);
      if (signatureOf(fromSecond) === signatureOf(newUrl)) break;
      await sleep(50);
    }
    expect(signerOf(await jwks(second.app), fromSecond)).toBe(rotation.active);
    for (const app of [t.app, second.app]) {
      const published = (await jwks(app)).map((k) => k.kid);
      expect(published).toContain(oldKid);
      expect(published).toContain(rotation.active);
      expect(await verifies(app, oldUrl)).toBe(true);
      expect(await verifies(app, newUrl)).toBe(true);
    }
    // The new signature is not the old key's.
    expect(signatureOf(newUrl)).not.toBe(signatureOf(oldUrl));
  });

  it('an instance that missed the notice (listener down) signs with the new key within five minutes', async () => {
    const product = await insertProduct(t, subject, NB_A);
    const cert = await issue(t, officer, product);
    const other = await startSecondInstance(t);
    try {
      await other.app.verification.listener.stop();
      const before = await certificateUrl(other.app, cert.id);
      const rotation = await rotateSigningKey({ ctx: { database: t.database, actor: null } });
      expect(signerOf(await jwks(), await certificateUrl(other.app, cert.id))).toBe(
        signerOf(await jwks(), before),
      );
      const now = performance.now();
      const clock = vi.spyOn(performance, 'now').mockReturnValue(now + 5 * 60_000 + 1);
      try {
        expect(signerOf(await jwks(), await certificateUrl(other.app, cert.id))).toBe(rotation.active);
      } finally {
        clock.mockRestore();
      }
    } finally {
      await other.close();
    }
  });

  it('two rotations at once both complete, one after the other, leaving one active key', async () => {
    const before = (await keyRows()).length;
    const results = await Promise.all([
      rotateSigningKey({ ctx: { database: t.database, actor: null } }),
      rotateSigningKey({ ctx: { database: second.database, actor: null } }),
    ]);
    const rows = await keyRows();
    expect(rows).toHaveLength(before + 2);
    expect(rows.filter((r) => r.retiredAt === null)).toHaveLength(1);
    // The later rotation retired the key the earlier one made.
    const activeKid = rows.find((r) => r.retiredAt === null)!.kid;
    const later = results.find((r) => r.active === activeKid)!;
    const earlier = results.find((r) => r !== later)!;
    expect(later.retired).toBe(earlier.active);
  });
});

describe('a missing or wrong key-encryption key', () => {
  const scratch: string[] = [];
  afterAll(() => {
    for (const dir of scratch) fs.rmSync(dir, { recursive: true, force: true });
  });
  const emptyDataDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-nokek-'));
    scratch.push(dir);
    return dir;
  };
  const start = async (env: Record<string, string>) => {
    const database = await openSameDatabase(t.database);
    try {
      const app = await buildApp({
        config: loadConfig({ LOG_LEVEL: 'silent', ...env }),
        database,
        sessionSecret: 'test-secret-test-secret-test-secret-00',
      });
      await app.close();
    } finally {
      await database.close();
    }
  };

  it('without the KEK file: the start stops, says what to restore, and makes no new key', async () => {
    const dataDir = emptyDataDir();
    const error = await start({ DATA_DIR: dataDir }).catch((e) => e);
    expect(error).toBeInstanceOf(SigningKeyError);
    expect(error.message).toMatch(
      /encrypted with a key-encryption key \(KEK id [\w-]+\) that this installation does not have/,
    );
    expect(error.message).toMatch(/Restore DATA_DIR\/secrets\/signing-kek .* or set OCOP_SIGNING_KEK/);
    expect(fs.existsSync(path.join(dataDir, 'secrets', 'signing-kek'))).toBe(false);
  });

  it('with another KEK (file or setting): the start stops with the clear message, nothing changed', async () => {
    const rowsBefore = await keyRows();
    const dataDir = emptyDataDir();
    createKekFile(path.join(dataDir, 'secrets', 'signing-kek'));
    for (const env of <Record<string, string>[]>[
      { DATA_DIR: dataDir },
      { DATA_DIR: dataDir, OCOP_SIGNING_KEK: randomBytes(32).toString('base64') },
    ]) {
      const error = await start(env).catch((e) => e);
      expect(error).toBeInstanceOf(SigningKeyError);
      expect(error.message).toMatch(
        /This database's signing key was encrypted with another key-encryption key .*: restore DATA_DIR\/secrets\/signing-kek .* or set OCOP_SIGNING_KEK/,
      );
    }
    expect(await keyRows()).toEqual(rowsBefore);
  });

  it('with the right KEK given as OCOP_SIGNING_KEK (another app server, no shared DATA_DIR): starts', async () => {
    const kek = readKekFile(path.join(t.dataDir, 'secrets', 'signing-kek'))!;
    await expect(
      start({ DATA_DIR: emptyDataDir(), OCOP_SIGNING_KEK: kek.key.toString('base64') }),
    ).resolves.toBeUndefined();
  });

  it('two app servers with different KEKs starting at once on a new database: one starts, the other stops at start', async () => {
    const fresh = await openTestDatabase();
    const other = await openSameDatabase(fresh);
    try {
      const results = await Promise.allSettled(
        [fresh, other].map((database) =>
          setUpSigning({
            database,
            config: loadConfig({
              DATA_DIR: emptyDataDir(),
              OCOP_SIGNING_KEK: randomBytes(32).toString('base64'),
            }),
          }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      const [refused] = results.filter((r) => r.status === 'rejected') as PromiseRejectedResult[];
      expect(refused!.reason).toBeInstanceOf(SigningKeyError);
      expect(refused!.reason.message).toMatch(/encrypted with another key-encryption key/);
      expect(await keyRows(fresh)).toHaveLength(1);
    } finally {
      await other.close();
      await fresh.close();
    }
  });

  it('an altered ciphertext stops the start as damaged, not as a wrong key', async () => {
    const [active] = (await keyRows()).filter((r) => r.retiredAt === null);
    const sealed = active!.privateKeySealed!;
    const altered = `${sealed.slice(0, -6)}${sealed.slice(-6) === 'AAAAAA' ? 'BBBBBB' : 'AAAAAA'}`;
    await t.database.db
      .update(verificationSigningKeys)
      .set({ privateKeySealed: altered })
      .where(eq(verificationSigningKeys.kid, active!.kid));
    try {
      const error = await start({ DATA_DIR: t.dataDir }).catch((e) => e);
      expect(error).toBeInstanceOf(SigningKeyError);
      expect(error.message).toMatch(new RegExp(`signing key ${active!.kid} .* was altered or damaged`));
    } finally {
      await t.database.db
        .update(verificationSigningKeys)
        .set({ privateKeySealed: sealed })
        .where(eq(verificationSigningKeys.kid, active!.kid));
    }
  });
});

describe('key-encryption key rotation', () => {
  it('re-seals every key; the old KEK no longer opens them, codes keep verifying; a stop before the file swap is finished at the next start', async () => {
    const product = await insertProduct(t, subject, NB_A);
    const cert = await issue(t, officer, product);
    const config = loadConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    const file = kekFileOf(config);
    const current = registeredKek(t.database.db);
    const kids = (await keyRows()).map((r) => r.kid);

    // The command's first two steps, then a stop before the new file takes the old one's place.
    const next = createKekFile(nextKekFileOf(file));
    const database = await openSameDatabase(t.database);
    try {
      expect((await resealKeys({ database, current, next })).sort()).toEqual([...kids].sort());
    } finally {
      await database.close();
    }
    for (const row of await keyRows()) {
      expect(row.kekId).toBe(next.id);
      expect(() => open(current.kek, row.kid, row.privateKeySealed!)).toThrow();
      expect(open(next, row.kid, row.privateKeySealed!).length).toBeGreaterThan(32);
    }
    expect((await auditActions('verification.signing_kek_rotated')).at(-1)).toMatchObject({
      before: { kekId: current.kek.id },
      after: { kekId: next.id },
    });

    const logs: string[] = [];
    const restarted = await openSameDatabase(t.database);
    try {
      await setUpSigning({ database: restarted, config, log: (m) => logs.push(m) });
    } finally {
      await restarted.close();
    }
    expect(logs.join('\n')).toMatch(/Finished the key-encryption key rotation/);
    expect(readKekFile(file)?.id).toBe(next.id);
    expect(fs.existsSync(nextKekFileOf(file))).toBe(false);
    const retired = fs.readdirSync(path.dirname(file)).find((f) => f.startsWith('signing-kek.retired-'))!;
    expect(readKekFile(path.join(path.dirname(file), retired))?.id).toBe(current.kek.id);

    const second = await startSecondInstance(t);
    try {
      expect(await verifies(second.app, cert.verificationUrl)).toBe(true);
      expect(await verifies(second.app, await certificateUrl(second.app, cert.id))).toBe(true);
    } finally {
      await second.close();
    }
  });
});

function legacyKey() {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  const raw = rawPublicKeyOf(publicKey);
  return {
    kid: keyId(raw),
    publicKey: raw,
    privateKey,
    pem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
  };
}
