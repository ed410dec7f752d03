import { sql } from 'drizzle-orm';
import pg from 'pg';
import type { Database, DbOrTx } from '../../db/client';

/**
 * How a write that changes what a verification page shows reaches every app instance's cache.
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

export type NoticeListenerOptions = {
  /** Connection settings; the listener opens its own connection with them (outside the pool). */
  connection: pg.ClientConfig;
  onChange: (change: VerificationChange) => void;
  /** Listening started or stopped: until it (re)starts, notices may have been missed. */
  onListeningChange: (listening: boolean) => void;
  onError?: (error: unknown) => void;
};

/** How the listening connection names itself: commands that need every instance stopped look for it. */
export const LISTENER_APPLICATION_NAME = 'ocop-verification-listener';

const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 5000;

/**
 * One dedicated connection that LISTENs on the channel, reconnecting with backoff when it drops.
 * `listening` is true only while notices are certain to arrive; the cache serves only then.
 */
export class NoticeListener {
  listening = false;
  private client: pg.Client | null = null;
  private stopped = false;
  private retryMs = RETRY_FIRST_MS;
  private retryTimer: NodeJS.Timeout | null = null;

  constructor(private readonly options: NoticeListenerOptions) {}

  /** The backend process id of the listening connection (tests terminate it to simulate a drop). */
  get processId(): number | null {
    return this.listening ? ((this.client as unknown as { processID?: number })?.processID ?? null) : null;
  }

  /** Resolves after the first attempt, listening or not; a failed attempt keeps retrying in the background. */
  start(): Promise<void> {
    return this.connect();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    const client = this.client;
    this.client = null;
    this.setListening(false);
    await client?.end().catch(() => {});
  }

  private async connect(): Promise<void> {
    if (this.stopped) return;
    const client = new pg.Client({
      ...this.options.connection,
      keepAlive: true,
      application_name: LISTENER_APPLICATION_NAME,
    });
    this.client = client;
    client.on('error', (error) => this.lost(client, error));
    client.on('end', () => this.lost(client));
    client.on('notification', (message) => {
      if (this.client === client && message.channel === VERIFICATION_CHANNEL) {
        this.options.onChange(decodeNotice(message.payload));
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${VERIFICATION_CHANNEL}`);
    } catch (error) {
      this.lost(client, error);
      return;
    }
    if (this.client !== client) {
      await client.end().catch(() => {});
      return;
    }
    this.retryMs = RETRY_FIRST_MS;
    this.setListening(true);
  }

  private lost(client: pg.Client, error?: unknown) {
    if (this.client !== client) return;
    this.client = null;
    this.setListening(false);
    if (error !== undefined && !this.stopped) this.options.onError?.(error);
    client.end().catch(() => {});
    if (this.stopped) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      void this.connect();
    }, this.retryMs);
    this.retryTimer.unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private setListening(listening: boolean) {
    if (this.listening === listening) return;
    this.listening = listening;
    this.options.onListeningChange(listening);
  }
}
