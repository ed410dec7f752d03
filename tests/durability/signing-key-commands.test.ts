import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeReachableTempDir } from '../../src/db/embedded-server';
import { readKekFile } from '../../src/modules/verification/kek';
import { runScript, startApp } from '../support/app-process';

/**
 * The key commands on a real DATA_DIR: `keys:rotate` with no app running (it starts the embedded
 * server itself), `keys:rotate-kek` refused while an app instance is connected and then re-sealing
 * the keys under a new key-encryption key file (and again with the KEK given as OCOP_SIGNING_KEK and
 * the new one as OCOP_SIGNING_KEK_NEW), after which the app starts and publishes the same keys.
 */

async function publishedKids(baseUrl: string): Promise<string[]> {
  const response = await fetch(`${baseUrl}/.well-known/ocop-verification-key`);
  expect(response.status).toBe(200);
  return ((await response.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid).sort();
}

describe('npm run keys:rotate and keys:rotate-kek', () => {
  it('rotate the signing key and its key-encryption key; the app starts with both', async () => {
    const dataDir = makeReachableTempDir('ocop-keys-');
    const kekFile = path.join(dataDir, 'secrets', 'signing-kek');
    try {
      // No app has run yet: the command starts the embedded server, whose start makes the first key.
      const first = runScript('keys-rotate.ts', [], dataDir);
      expect(first.output, first.output).toMatch(
        /Signing key rotated on the embedded server: (\S+) is now the active key; (\S+) is retired/,
      );
      expect(first.status).toBe(0);
      const second = runScript('keys-rotate.ts', [], dataDir);
      const [, active] = /: (\S+) is now the active key/.exec(second.output)!;
      const [, retired] = /; (\S+) is retired/.exec(second.output)!;
      expect(second.status).toBe(0);
      const kekBefore = readKekFile(kekFile)!;

      const app = await startApp(dataDir);
      try {
        const kids = await publishedKids(app.baseUrl);
        expect(kids).toHaveLength(3);
        expect(kids).toEqual(expect.arrayContaining([active!, retired!]));
        const refused = runScript('keys-rotate-kek.ts', [], dataDir);
        expect(refused.output).toMatch(
          /1 app instance\(s\) are still connected to the database: stop every instance first/,
        );
        expect(refused.status).toBe(1);
        expect(readKekFile(kekFile)!.id).toBe(kekBefore.id);
      } finally {
        await app.stop();
      }

      const rotated = runScript('keys-rotate-kek.ts', [], dataDir);
      expect(rotated.output, rotated.output).toMatch(
        /Re-sealed 3 signing key\(s\) with a new key-encryption key/,
      );
      expect(rotated.status).toBe(0);
      const kekAfter = readKekFile(kekFile)!;
      expect(kekAfter.id).not.toBe(kekBefore.id);
      expect(fs.statSync(kekFile).mode & 0o777).toBe(0o600);
      const kept = fs.readdirSync(path.dirname(kekFile)).filter((f) => f.startsWith('signing-kek.retired-'));
      expect(kept).toHaveLength(1);
      expect(readKekFile(path.join(path.dirname(kekFile), kept[0]!))!.id).toBe(kekBefore.id);

      const restarted = await startApp(dataDir);
      try {
        const kids = await publishedKids(restarted.baseUrl);
        expect(kids).toHaveLength(3);
        expect(kids).toEqual(expect.arrayContaining([active!, retired!]));
      } finally {
        await restarted.stop();
      }

      // With the KEK given as OCOP_SIGNING_KEK: the new one comes as OCOP_SIGNING_KEK_NEW.
      const current = kekAfter.key.toString('base64');
      const next = randomBytes(32).toString('base64');
      const withEnv = (env: Record<string, string>) => {
        Object.assign(process.env, env);
        try {
          return runScript('keys-rotate-kek.ts', [], dataDir);
        } finally {
          for (const name of Object.keys(env)) delete process.env[name];
        }
      };
      const noNew = withEnv({ OCOP_SIGNING_KEK: current });
      expect(noNew.output).toMatch(/give the new key-encryption key as OCOP_SIGNING_KEK_NEW/);
      expect(noNew.status).toBe(1);
      const bySetting = withEnv({ OCOP_SIGNING_KEK: current, OCOP_SIGNING_KEK_NEW: next });
      expect(bySetting.output, bySetting.output).toMatch(
        /Re-sealed 3 signing key\(s\) with the new key-encryption key .*Set OCOP_SIGNING_KEK to the value of OCOP_SIGNING_KEK_NEW/,
      );
      expect(bySetting.status).toBe(0);
      const bySettingApp = await startApp(dataDir, { env: { OCOP_SIGNING_KEK: next } });
      try {
        expect(await publishedKids(bySettingApp.baseUrl)).toHaveLength(3);
      } finally {
        await bySettingApp.stop();
      }

      // The KEK file, now outdated: the start without the setting stops with the clear message.
      const wrong = await startApp(dataDir, { waitForHealth: false });
      expect(await wrong.exited).toBe(1);
      expect(wrong.output()).toMatch(
        /This database's signing key was encrypted with another key-encryption key/,
      );
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  }, 180_000);
});
