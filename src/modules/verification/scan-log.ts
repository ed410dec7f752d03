import { createHmac, randomBytes } from 'node:crypto';
import { lt, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';
import { clientFacts } from '../certificates';
import { verificationScanSalts } from './schema';

/**
 * The scan log, written in batches: a scan waits in memory until a second has passed or a few
 * hundred have gathered, then goes in with one multi-row insert; closing the app writes what is
 * left. A crash loses at most the last second's scans (they are counts for the counterfeit
 * analysis, not records anyone relies on). The address is hashed when the batch is written, with
 * the day's salt read once per day, never per scan.
 */
export type Scan = {
  scannedAt: Date;
  /** The calendar day of the scan in Hà Nội time: its IP hash uses that day's salt. */
  day: string;
  code: string;
  certificateId: string | null;
  signatureValid: boolean;
  result: string;
  channel: 'qr' | 'search';
  ip: string;
  userAgent: string | undefined;
  lang: 'vi' | 'en';
};

export type ScanLogLimits = {
  /** Write as soon as this many scans wait. */
  batchSize: number;
  /** Write what waits at least this often. */
  intervalMs: number;
  /** Keep at most this many when the database refuses them (oldest dropped first). */
  maxPending: number;
};

export const DEFAULT_SCAN_LOG_LIMITS: ScanLogLimits = {
  batchSize: 250,
  intervalMs: 1000,
  maxPending: 50_000,
};

// Rows per statement: a bound on one statement's size when many scans waited (the database was away).
const ROWS_PER_STATEMENT = 5000;

/**
 * Text PostgreSQL stores as given: without NUL and with lone UTF-16 surrogates replaced. One scan of
 * a crafted code must not make its whole batch fail (a code is whatever the URL carried).
 */
export function storableText(value: string): string {
  return value
    .replace(/\0/g, '')
    .replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
}

export function hashIp(salt: string, ip: string): string {
  return createHmac('sha256', salt).update(ip).digest('base64url').slice(0, 22);
}

function isDataException(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 3; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('22')) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** One salt per day, shared by every instance through the table. */
async function readSalt(db: Db, day: string): Promise<string> {
  await db
    .insert(verificationScanSalts)
    .values({ day, salt: randomBytes(32).toString('base64url') })
    .onConflictDoNothing();
  const [row] = await queryRows<{ salt: string }>(
    db,
    sql`SELECT salt FROM verification_scan_salts WHERE day = ${day}::date`,
  );
  // Yesterday's salt is kept so scans around midnight still group; older ones go, unlinking old hashes.
  const yesterday = new Date(`${day}T00:00:00Z`);
  yesterday.setUTCDate(yesterday.getUTCDate() - 1);
  await db
    .delete(verificationScanSalts)
    .where(lt(verificationScanSalts.day, yesterday.toISOString().slice(0, 10)));
  return row!.salt;
}

export class ScanLog {
  private buffer: Scan[] = [];
  private limits: ScanLogLimits;
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;
  private closed = false;
  // The last two days' salts (a batch can straddle midnight).
  private salts = new Map<string, Promise<string>>();
  dropped = 0;

  constructor(
    private readonly db: Db,
    limits: Partial<ScanLogLimits> = {},
    private readonly onError: (error: unknown) => void = () => {},
  ) {
    this.limits = { ...DEFAULT_SCAN_LOG_LIMITS, ...limits };
    this.startTimer();
  }

  /** Scans waiting to be written. */
  get pending(): number {
    return this.buffer.length;
  }

  /** Changes the limits (tests, tuning); restarts the timer. */
  configure(limits: Partial<ScanLogLimits>) {
    this.limits = { ...this.limits, ...limits };
    this.startTimer();
  }

  record(scan: Scan) {
    if (this.closed) return;
    this.buffer.push(scan);
    if (this.buffer.length > this.limits.maxPending) {
      this.dropped += this.buffer.length - this.limits.maxPending;
      this.buffer.splice(0, this.buffer.length - this.limits.maxPending);
    }
    if (this.buffer.length >= this.limits.batchSize && !this.flushing) void this.flush();
  }

  /** Writes everything waiting now (and what gathers meanwhile); resolves when it is in the table. */
  async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
    if (this.buffer.length === 0) return;
    this.flushing = this.writeBuffered().finally(() => {
      this.flushing = null;
    });
    await this.flushing;
    // Scans that arrived during the write and already fill a batch go at once.
    if (this.buffer.length >= this.limits.batchSize && !this.closed) await this.flush();
  }

  /** Stops the timer and writes what is left; later scans are ignored. */
  async close(): Promise<void> {
    this.stopTimer();
    await this.flush();
    this.closed = true;
  }

  private async writeBuffered() {
    const batch = this.buffer;
    this.buffer = [];
    let written = 0;
    try {
      while (written < batch.length) {
        const chunk = batch.slice(written, written + ROWS_PER_STATEMENT);
        await this.insert(chunk);
        written += chunk.length;
      }
    } catch (error) {
      // What was not written waits for the next tick (within maxPending), unless the app is closing
      // or the database refused the data itself (SQLSTATE class 22): retrying would fail the same way.
      if (!this.closed && !isDataException(error)) {
        this.buffer = batch.slice(written).concat(this.buffer).slice(-this.limits.maxPending);
      } else {
        this.dropped += batch.length - written;
      }
      this.onError(error);
    }
  }

  /**
   * One statement for the whole chunk: the rows as one JSON array of arrays (one parameter whatever
   * the number of rows, serialised by one native JSON.stringify, about 150 bytes a row).
   */
  private async insert(scans: Scan[]) {
    // Within a batch the same address recurs (a shop's wifi, a carrier's NAT): hash it once.
    const hashes = new Map<string, string>();
    const rows: unknown[][] = [];
    for (const scan of scans) {
      const salt = await this.saltOf(scan.day);
      const key = `${scan.day} ${scan.ip}`;
      let ipHash = hashes.get(key);
      if (ipHash === undefined) {
        ipHash = hashIp(salt, scan.ip);
        hashes.set(key, ipHash);
      }
      const facts = clientFacts(scan.userAgent);
      rows.push([
        scan.scannedAt.toISOString(),
        storableText(scan.code),
        scan.certificateId,
        scan.signatureValid,
        scan.result,
        scan.channel,
        ipHash,
        facts.os,
        facts.browser,
        facts.mobile,
        facts.bot,
        scan.lang,
      ]);
    }
    await this.db.execute(sql`INSERT INTO verification_scans (scanned_at, code, certificate_id,
        signature_valid, result, channel, ip_hash, client_os, client_browser, client_mobile, client_bot, lang)
      SELECT (r->>0)::timestamptz, r->>1, (r->>2)::uuid, (r->>3)::boolean, r->>4, r->>5, r->>6, r->>7,
        r->>8, (r->>9)::boolean, (r->>10)::boolean, r->>11
      FROM json_array_elements(${JSON.stringify(rows)}::json) AS r`);
  }

  private saltOf(day: string): Promise<string> {
    let salt = this.salts.get(day);
    if (!salt) {
      salt = readSalt(this.db, day);
      salt.catch(() => this.salts.delete(day));
      this.salts.set(day, salt);
      while (this.salts.size > 2) this.salts.delete(this.salts.keys().next().value!);
    }
    return salt;
  }

  private startTimer() {
    this.stopTimer();
    this.timer = setInterval(() => {
      if (this.buffer.length > 0 && !this.flushing) void this.flush().catch(this.onError);
    }, this.limits.intervalMs);
    this.timer.unref();
  }

  private stopTimer() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
