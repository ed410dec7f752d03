import type { Db } from '../../db/client';

/**
 * The signed verification address printed on a certificate (`/v/<number>.<signature>`). The codes are
 * signed with the installation's key, which the verification module owns; verification reads
 * certificates to show its pages, so certificates cannot import it back. Instead the verification
 * module provides the addresses when it loads (`verification/addresses.ts`, loaded by its index,
 * which the app loads). A process that shows certificates without it gets a plain error, never an
 * unsigned address.
 */
export type VerificationPaths = (db: Db) => Promise<(certificateNumber: string) => string>;

let provided: VerificationPaths | null = null;

export function provideVerificationPaths(paths: VerificationPaths): void {
  provided = paths;
}

/** A function from certificate number to its signed path, with the signing keys read once for a batch. */
export function verificationPaths(db: Db): Promise<(certificateNumber: string) => string> {
  if (!provided) {
    throw new Error(
      'Certificate addresses need the verification module: import src/modules/verification first.',
    );
  }
  return provided(db);
}
