import { and, asc, desc, eq, gt, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, queryRows } from '../../db/client';
import type { RequestContext } from '../../server/context';
import type { AuditAction } from './actions';
import { type ChainCheck, GENESIS_HASH, hashAuditEntry, verifyChain } from './rules';
import { auditLog } from './schema';

/** Any constant works; it only has to be the same for every instance so appends are serialised. */
const AUDIT_CHAIN_LOCK = 7_236_001;

export type AuditWrite = {
  action: AuditAction;
  entityType: string;
  entityId: string;
  before?: unknown;
  after?: unknown;
};

type Actor = Pick<RequestContext, 'actor'>;

function toJson(value: unknown): unknown {
  return value === undefined ? null : JSON.parse(JSON.stringify(value));
}

/**
 * Appends one entry to the hash chain. Call it inside the transaction of the write it records:
 * the advisory lock is held until that transaction ends, so two instances never fork the chain.
 */
export async function recordAudit(tx: DbOrTx, ctx: Actor, entry: AuditWrite): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const [next] = await queryRows<{ seq: string }>(
    tx,
    sql`select nextval(pg_get_serial_sequence('audit_log', 'seq')) as seq`,
  );
  const content = {
    seq: Number(next!.seq),
    at: new Date(),
    actorId: ctx.actor?.userId ?? null,
    actorLabel: ctx.actor ? ctx.actor.email : 'system',
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    before: toJson(entry.before),
    after: toJson(entry.after),
  };
  const prevHash = last?.hash ?? GENESIS_HASH;
  await tx.insert(auditLog).values({ ...content, prevHash, hash: hashAuditEntry(prevHash, content) });
}

/**
 * Appends several entries in order, as many `recordAudit` calls would, in a fixed number of
 * queries: one lock, one read of the chain's head, one batch of sequence numbers, one insert.
 * For writes that touch hundreds of records at once (a council closing scoring for its list).
 */
export async function recordAudits(tx: DbOrTx, ctx: Actor, entries: readonly AuditWrite[]): Promise<void> {
  if (!entries.length) return;
  await tx.execute(sql`select pg_advisory_xact_lock(${AUDIT_CHAIN_LOCK})`);
  const [last] = await tx.select({ hash: auditLog.hash }).from(auditLog).orderBy(desc(auditLog.seq)).limit(1);
  const seqs = await queryRows<{ seq: string }>(
    tx,
    sql`select nextval(pg_get_serial_sequence('audit_log', 'seq')) as seq from generate_series(1, ${entries.length})`,
  );
  const ordered = seqs.map((r) => Number(r.seq)).sort((a, b) => a - b);
  let prevHash = last?.hash ?? GENESIS_HASH;
  const at = new Date();
  const rows = entries.map((entry, i) => {
    const content = {
      seq: ordered[i]!,
      at,
      actorId: ctx.actor?.userId ?? null,
      actorLabel: ctx.actor ? ctx.actor.email : 'system',
      action: entry.action,
      entityType: entry.entityType,
      entityId: entry.entityId,
      before: toJson(entry.before),
      after: toJson(entry.after),
    };
    const hash = hashAuditEntry(prevHash, content);
    const row = { ...content, prevHash, hash };
    prevHash = hash;
    return row;
  });
  for (let i = 0; i < rows.length; i += 500) await tx.insert(auditLog).values(rows.slice(i, i + 500));
}

export async function listEntityHistory(db: Db, entityType: string, entityId: string) {
  return db
    .select({
      seq: auditLog.seq,
      at: auditLog.at,
      actorLabel: auditLog.actorLabel,
      action: auditLog.action,
      before: auditLog.before,
      after: auditLog.after,
    })
    .from(auditLog)
    .where(and(eq(auditLog.entityType, entityType), eq(auditLog.entityId, entityId)))
    .orderBy(asc(auditLog.seq));
}

/** Reads the whole chain in pages so a long log never sits in memory at once. */
export async function verifyAuditChain(db: Db, pageSize = 5000): Promise<ChainCheck> {
  let previousHash = GENESIS_HASH;
  let afterSeq = 0;
  let checked = 0;
  for (;;) {
    const page = await db
      .select()
      .from(auditLog)
      .where(gt(auditLog.seq, afterSeq))
      .orderBy(asc(auditLog.seq))
      .limit(pageSize);
    if (page.length === 0) return { ok: true, checked };
    const result = verifyChain(page, previousHash, checked);
    if (!result.ok) return result;
    checked = result.checked;
    const lastLink = page[page.length - 1]!;
    previousHash = lastLink.hash;
    afterSeq = lastLink.seq;
  }
}
