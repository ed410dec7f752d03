import { createHash } from 'node:crypto';

/** The first link of the chain points at this value. */
export const GENESIS_HASH = '0'.repeat(64);

export type AuditContent = {
  seq: number;
  at: Date;
  actorId: string | null;
  actorLabel: string;
  action: string;
  entityType: string;
  entityId: string;
  before: unknown;
  after: unknown;
};

/** JSON with object keys sorted at every depth, so the hash does not depend on key order (jsonb reorders keys). */
export function canonicalJson(value: unknown): string {
  if (value === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (value instanceof Date) return JSON.stringify(value.toISOString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

export function hashAuditEntry(prevHash: string, content: AuditContent): string {
  // Fields are named one by one: a row read back also carries its own `hash`, which must not hash itself.
  const payload = canonicalJson({
    seq: content.seq,
    at: content.at.toISOString(),
    actorId: content.actorId,
    actorLabel: content.actorLabel,
    action: content.action,
    entityType: content.entityType,
    entityId: content.entityId,
    before: content.before,
    after: content.after,
    prevHash,
  });
  return createHash('sha256').update(payload).digest('hex');
}

export type ChainLink = AuditContent & { prevHash: string; hash: string };

export type ChainCheck =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenAtSeq: number; reason: string };

/** Walks links in `seq` order; `previousHash` is the hash of the link before the first one given. */
export function verifyChain(
  links: Iterable<ChainLink>,
  previousHash = GENESIS_HASH,
  alreadyChecked = 0,
): ChainCheck {
  let expectedPrev = previousHash;
  let checked = alreadyChecked;
  for (const link of links) {
    if (link.prevHash !== expectedPrev) {
      return {
        ok: false,
        checked,
        brokenAtSeq: link.seq,
        reason: 'prev_hash does not match the previous entry (an entry was removed or reordered)',
      };
    }
    if (hashAuditEntry(link.prevHash, link) !== link.hash) {
      return {
        ok: false,
        checked,
        brokenAtSeq: link.seq,
        reason: 'content does not match its hash (the entry was altered)',
      };
    }
    expectedPrev = link.hash;
    checked++;
  }
  return { ok: true, checked };
}
