import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../config';
import { kekIdOf } from './envelope';
import {
  configuredKek,
  createKekFile,
  finishKekRotation,
  kekFileOf,
  nextKekFileOf,
  readKekFile,
  SigningKeyError,
} from './kek';

const dirs: string[] = [];
function dataDir() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ocop-kek-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('the key-encryption key file', () => {
  it('is made once, 0600 in a 0700 secrets directory, and read back', () => {
    const config = loadConfig({ DATA_DIR: dataDir() });
    expect(configuredKek(config)).toBeNull();
    const file = kekFileOf(config);
    const made = createKekFile(file);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.dirname(file)).mode & 0o777).toBe(0o700);
    expect(configuredKek(config)?.kek.id).toBe(made.id);
    expect(fs.readdirSync(path.dirname(file))).toEqual(['signing-kek']);
  });

  it('two instances making it at once end up with the same key (the second reads the first)', () => {
    const file = kekFileOf(loadConfig({ DATA_DIR: dataDir() }));
    const first = createKekFile(file);
    const second = createKekFile(file);
    expect(second.id).toBe(first.id);
    expect(second.key.equals(first.key)).toBe(true);
  });

  it('a damaged file stops with a message naming it, never a new key', () => {
    const file = kekFileOf(loadConfig({ DATA_DIR: dataDir() }));
    createKekFile(file);
    fs.writeFileSync(file, 'not a key\n');
    expect(() => readKekFile(file)).toThrow(SigningKeyError);
    expect(() => readKekFile(file)).toThrow(/signing-kek does not hold a key-encryption key/);
    expect(() => createKekFile(file)).toThrow(SigningKeyError);
  });

  it('warns when other users may read it', () => {
    const file = kekFileOf(loadConfig({ DATA_DIR: dataDir() }));
    createKekFile(file);
    fs.chmodSync(file, 0o644);
    const warnings: string[] = [];
    readKekFile(file, (m) => warnings.push(m));
    expect(warnings.join()).toMatch(/chmod 600/);
  });

  it('an interrupted rotation is finished only when the waiting key is the one needed', () => {
    const file = kekFileOf(loadConfig({ DATA_DIR: dataDir() }));
    const old = createKekFile(file);
    const next = createKekFile(nextKekFileOf(file));
    expect(finishKekRotation(file, old.id)).toBeNull();
    expect(readKekFile(file)?.id).toBe(old.id);
    expect(finishKekRotation(file, next.id)?.id).toBe(next.id);
    expect(readKekFile(file)?.id).toBe(next.id);
    const retired = fs.readdirSync(path.dirname(file)).filter((f) => f.startsWith('signing-kek.retired-'));
    expect(retired).toHaveLength(1);
    expect(readKekFile(path.join(path.dirname(file), retired[0]!))?.id).toBe(old.id);
  });
});

describe('OCOP_SIGNING_KEK', () => {
  it('takes 32 bytes in base64 or base64url and is used instead of the file', () => {
    const key = randomBytes(32);
    for (const value of [key.toString('base64'), key.toString('base64url')]) {
      const config = loadConfig({ DATA_DIR: dataDir(), OCOP_SIGNING_KEK: value });
      expect(config.signingKek?.equals(key)).toBe(true);
      expect(configuredKek(config)).toEqual({ kek: { id: kekIdOf(key), key }, where: 'OCOP_SIGNING_KEK' });
      expect(fs.existsSync(kekFileOf(config))).toBe(false);
    }
  });

  it('refuses anything else, without repeating the value', () => {
    for (const value of [
      'short',
      randomBytes(31).toString('base64'),
      randomBytes(48).toString('base64'),
      `${'A'.repeat(42)}!=`,
    ]) {
      let error: unknown;
      try {
        loadConfig({ OCOP_SIGNING_KEK: value });
      } catch (e) {
        error = e;
      }
      expect(error, value).toBeInstanceOf(ConfigError);
      expect((error as Error).message).toMatch(/OCOP_SIGNING_KEK: base64 of exactly 32 random bytes/);
      expect((error as Error).message).not.toContain(value);
    }
  });
});
