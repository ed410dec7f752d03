import { describe, expect, it } from 'vitest';
import { type ChainLink, canonicalJson, GENESIS_HASH, hashAuditEntry, verifyChain } from './rules';

function chain(n: number): ChainLink[] {
  const links: ChainLink[] = [];
  let prev = GENESIS_HASH;
  for (let i = 1; i <= n; i++) {
    const content = {
      seq: i,
      at: new Date(Date.UTC(2026, 10, 24, 1, 0, i)),
      actorId: null,
      actorLabel: 'system',
      action: 'subject.updated',
      entityType: 'subject',
      entityId: `s${i}`,
      before: { name: 'HTX A', n: i },
      after: { name: 'HTX Ánh Dương', n: i + 1 },
    };
    const hash = hashAuditEntry(prev, content);
    links.push({ ...content, prevHash: prev, hash });
    prev = hash;
  }
  return links;
}

describe('canonical JSON', () => {
  it('does not depend on key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe(
      canonicalJson({ a: { c: null, d: [1, { x: 1, y: 2 }] }, b: 1 }),
    );
  });
  it('drops undefined members like JSON does', () => {
    expect(canonicalJson({ a: undefined, b: 1 })).toBe('{"b":1}');
  });
});

describe('hash chain', () => {
  it('verifies an intact chain', () => {
    expect(verifyChain(chain(5))).toEqual({ ok: true, checked: 5 });
  });
  it('finds an altered entry', () => {
    const links = chain(5);
    links[2] = { ...links[2]!, after: { name: 'changed' } };
    expect(verifyChain(links)).toMatchObject({ ok: false, brokenAtSeq: 3, checked: 2 });
  });
  it('finds a removed entry', () => {
    const links = chain(5);
    links.splice(1, 1);
    expect(verifyChain(links)).toMatchObject({ ok: false, brokenAtSeq: 3 });
  });
  it('ignores key order inside before/after (jsonb reorders keys)', () => {
    const links = chain(2);
    links[0] = { ...links[0]!, after: { n: 2, name: 'HTX Ánh Dương' } };
    expect(verifyChain(links).ok).toBe(true);
  });
});
