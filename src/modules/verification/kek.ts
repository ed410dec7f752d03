import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Config, ConfigError } from '../../config';
import { KEK_BYTES, type Kek, kekFrom } from './envelope';

/**
 * Where the key-encryption key comes from: the OCOP_SIGNING_KEK setting, else the file
 * DATA_DIR/secrets/signing-kek (base64 of 32 random bytes, mode 0600 in the 0700 secrets directory),
 * made on the first start that needs it. It is never in the database, so a database backup alone
 * cannot sign codes: back up DATA_DIR/secrets separately.
 */

export const KEK_FILE_NAME = 'signing-kek';

/**
 * A problem with the signing key or its key-encryption key that a person must act on. A ConfigError,
 * so the server and the commands print its message alone and stop.
 */
export class SigningKeyError extends ConfigError {}

export type KekSource = { kek: Kek; where: string };

export const kekFileOf = (config: Pick<Config, 'secretsDir'>) => path.join(config.secretsDir, KEK_FILE_NAME);

/** How the KEK in use is named in messages. */
export function describeKekSource(config: Pick<Config, 'secretsDir' | 'signingKek'>): string {
  return config.signingKek ? 'OCOP_SIGNING_KEK' : kekFileOf(config);
}

/** A KEK written as base64 (the file's content, or a setting's value); anything else is refused. */
export function parseKek(text: string, where: string): Kek {
  const trimmed = text.trim();
  const key = Buffer.from(trimmed, 'base64');
  if (!/^[A-Za-z0-9+/]{43}=?$/.test(trimmed) || key.length !== KEK_BYTES) {
    throw new SigningKeyError(
      `${where} does not hold a key-encryption key (base64 of ${KEK_BYTES} bytes): it is damaged or was edited. Restore it from the backup of DATA_DIR/secrets.`,
    );
  }
  return kekFrom(key);
}

/** The KEK file's key, or null when there is no file. */
export function readKekFile(file: string, warn: (message: string) => void = () => {}): Kek | null {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new SigningKeyError(`${file} cannot be read: ${(error as Error).message}`);
  }
  if (process.platform !== 'win32' && (fs.statSync(file).mode & 0o077) !== 0) {
    warn(`${file} can be read by other users of this machine: chmod 600 it.`);
  }
  return parseKek(text, file);
}

/**
 * Makes the KEK file, or reads the one another instance on the same DATA_DIR made a moment earlier.
 * The key is written to a private temporary file and then hard-linked to its name: the link is
 * exclusive like `open(…, 'wx')` (two instances starting at once cannot overwrite each other's key;
 * the loser reads the winner's) and a reader never sees a half-written file. Where the file system
 * has no hard links, the file is created with `wx` itself.
 */
export function createKekFile(file: string): Kek {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  const text = `${randomBytes(KEK_BYTES).toString('base64')}\n`;
  const temporary = `${file}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  writePrivate(temporary, text);
  try {
    fs.linkSync(temporary, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST') {
      try {
        writePrivate(file, text);
      } catch (second) {
        if ((second as NodeJS.ErrnoException).code !== 'EEXIST') throw second;
      }
    }
  } finally {
    fs.rmSync(temporary, { force: true });
  }
  const kek = readKekFile(file);
  if (!kek) throw new SigningKeyError(`${file} vanished while it was being made`);
  return kek;
}

function writePrivate(file: string, text: string) {
  const fd = fs.openSync(file, 'wx', 0o600);
  try {
    fs.writeSync(fd, text);
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** The KEK from the setting or the existing file; null when neither exists yet. */
export function configuredKek(
  config: Pick<Config, 'secretsDir' | 'signingKek'>,
  warn?: (message: string) => void,
): KekSource | null {
  if (config.signingKek) return { kek: kekFrom(config.signingKek), where: 'OCOP_SIGNING_KEK' };
  const file = kekFileOf(config);
  const kek = readKekFile(file, warn);
  return kek ? { kek, where: file } : null;
}

/** Where a KEK rotation puts the new key until the database has been re-sealed with it. */
export const nextKekFileOf = (file: string) => `${file}.next`;

/**
 * After the database was re-sealed with the key in `<file>.next`: that key takes the file's place.
 * The old one is kept beside it (`<file>.retired-<time>`): backups made before need it to restore.
 */
export function swapInNextKek(file: string): string | null {
  const retired = fs.existsSync(file)
    ? `${file}.retired-${new Date().toISOString().replace(/[:.]/g, '-')}`
    : null;
  if (retired) fs.renameSync(file, retired);
  fs.renameSync(nextKekFileOf(file), file);
  return retired;
}

/**
 * A KEK rotation that stopped after re-sealing the database but before the swap: when `<file>.next`
 * holds the KEK the database needs, the swap is finished and that KEK returned.
 */
export function finishKekRotation(file: string, neededId: string): Kek | null {
  const next = readKekFile(nextKekFileOf(file));
  if (!next || next.id !== neededId) return null;
  swapInNextKek(file);
  return next;
}
