import { sql } from 'drizzle-orm';
import type pg from 'pg';
import type { Database, DbOrTx } from './client';

/**
 * How a write that changes what a verification page shows reaches every app instance's cache.
 * It lives here, below every module, because the writers (certificates, products, the signing keys)
 * and the reader (the verification module's cache and listener, `verification/notices.ts`) are
 * different modules, and verification itself reads certificates and products.
 * The writer calls `announceVerificationChange` inside its transaction (PostgreSQL delivers a
 * NOTIFY at commit, never for a rolled-back transaction) and `applyVerificationChange` after the
 * commit, so its own instance forgets the entry before the response leaves. Every instance holds one
 * `NoticeListener`: a dedicated connection that LISTENs and evicts what each notice names.
 *
 * What the page shows and who changes it: a certificate's versions, revocation and successor (the
 * certificates service: issue, revoke, correct) and the product's cover photo (the products photo
 * service). Product and subject names on the page are the certificate's own, fixed at issue and
 * changed only by a correction; commune and province names are reference data, loaded at start-up.
 * A rotation of the signing keys (key-service.ts) announces `keys`: every instance reads them again.
 */
export const VERIFICATION_CHANNEL = 'ocop_verification';

/** Certificate numbers whose page changed, a product whose cover photo changed, and/or the signing keys. */
export type VerificationChange = {
  numbers?: readonly string[];
  productId?: string;
  all?: boolean;
  keys?: boolean;
};

// NOTIFY payloads must stay under 8000 bytes; a larger change just clears every cache.
const MAX_PAYLOAD_BYTES = 7000;

function encode(change: VerificationChange): string {
  const payload = JSON.stringify({
    n: change.numbers ?? [],
    p: change.productId ?? null,
    ...(change.keys ? { k: true } : {}),
  });
  return Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES
    ? JSON.stringify({ all: true, ...(change.keys ? { k: true } : {}) })
    : payload;
}

/** Unreadable notices clear everything (the keys included) rather than being ignored. */
export function decodeNotice(payload: string | undefined): VerificationChange {
  try {
    const parsed = JSON.parse(payload ?? '') as { n?: unknown; p?: unknown; all?: unknown; k?: unknown };
    if (parsed.all === true || !Array.isArray(parsed.n)) return { all: true, keys: true };
    return {
      numbers: parsed.n.filter((n): n is string => typeof n === 'string'),
      ...(typeof parsed.p === 'string' ? { productId: parsed.p } : {}),
      ...(parsed.k === true ? { keys: true } : {}),
    };
  } catch {
    return { all: true, keys: true };
  }
}

/** Inside the writing transaction: every instance hears of the change when (and only if) it commits. */
export async function announceVerificationChange(tx: DbOrTx, change: VerificationChange): Promise<void> {
  await tx.execute(sql`SELECT pg_notify(${VERIFICATION_CHANNEL}, ${encode(change)})`);
}

// This process's caches by the pool they read through (a transaction's copy of a Database shares it).
const localSinks = new WeakMap<pg.Pool, Set<(change: VerificationChange) => void>>();

export function subscribeLocally(pool: pg.Pool, sink: (change: VerificationChange) => void): () => void {
  let sinks = localSinks.get(pool);
  if (!sinks) {
    sinks = new Set();
    localSinks.set(pool, sinks);
  }
  sinks.add(sink);
  return () => sinks.delete(sink);
}

/** After the commit: this process's caches forget at once, without waiting for the notice to come back. */
export function applyVerificationChange(database: Pick<Database, 'pool'>, change: VerificationChange): void {
  for (const sink of localSinks.get(database.pool) ?? []) sink(change);
}
