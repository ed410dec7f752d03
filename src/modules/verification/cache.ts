import { LRUCache } from 'lru-cache';
import type { IssuerLevel, RevocationReason } from '../certificates';
import type { VerificationChange } from './notices';

/**
 * What a verification page view reads, kept in memory so a warm scan costs no query:
 * - `certificates`: the public facts of a number's latest version (dates, revocation, successor),
 *   never its status: the status is derived per request from the dates, so valid → expiring →
 *   expired happens at midnight (Hà Nội time) without any invalidation;
 * - `covers`: a product's cover photo (or that it has none);
 * - `certificateProducts`: which product a certificate version is of (never changes);
 * - `signatures`: the signature that last verified for a number. Ed25519 verification costs
 *   ~0.15 ms, more than the rest of a warm page view; a code whose signature is exactly one that
 *   already verified needs no second check. Anything else (a forged or altered code) is checked
 *   in full before any lookup.
 *
 * The first two are copies of rows other instances may change: they serve only while the notice
 * listener is connected (`setListening`), are cleared when it connects or drops, and forget what
 * each notice names. A load that was in flight when its key was forgotten is returned to its
 * caller but not kept, so a read racing a commit cannot pin the old facts.
 */
export type CacheLimits = { entries: number };

export const DEFAULT_CACHE_LIMITS: CacheLimits = { entries: 50_000 };

/** A cached "there is none" (a product without a cover photo); `undefined` means not cached. */
export const NONE = Symbol('none');

class LoadingCache<V extends object> {
  private readonly entries: LRUCache<string, V | typeof NONE>;
  /** Loads in flight. Forgetting a key drops its load from here: its result is then not kept. */
  private readonly pending = new Map<string, Promise<V | null>>();

  constructor(
    max: number,
    private readonly owner: { serving: boolean },
    private readonly cacheMisses: boolean,
  ) {
    this.entries = new LRUCache({ max });
  }

  get size() {
    return this.entries.size;
  }

  /**
   * The cached value (null for a cached miss), or a load of it. Concurrent callers share one load,
   * which only ever started after the key was last forgotten, so it read what was committed then.
   */
  get(key: string, load: () => Promise<V | null>): V | null | Promise<V | null> {
    if (this.owner.serving) {
      const hit = this.entries.get(key);
      if (hit !== undefined) return hit === NONE ? null : hit;
    }
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const promise = load().then(
      (value) => {
        if (this.pending.get(key) === promise) {
          this.pending.delete(key);
          if (this.owner.serving && (value !== null || this.cacheMisses))
            this.entries.set(key, value ?? NONE);
        }
        return value;
      },
      (error: unknown) => {
        if (this.pending.get(key) === promise) this.pending.delete(key);
        throw error;
      },
    );
    this.pending.set(key, promise);
    return promise;
  }

  delete(key: string) {
    this.entries.delete(key);
    this.pending.delete(key);
  }

  clear() {
    this.entries.clear();
    this.pending.clear();
  }
}

/** The public facts of a certificate's latest version, as the page shows them (status aside). */
export type CachedCertificate = {
  id: string;
  number: string;
  version: number;
  productId: string;
  star: number;
  productName: string;
  subjectName: string;
  commune: string | null;
  province: string;
  originalAddress: string | null;
  issuerName: string;
  issuerLevel: IssuerLevel;
  decisionNumber: string;
  /** Null (all three) when only `recognitionYear` is known: the page then says the date is being confirmed. */
  decisionDate: string | null;
  validFrom: string | null;
  validTo: string | null;
  recognitionYear: number | null;
  revocation: { reason: RevocationReason; decisionNumber: string; decisionDate: string } | null;
  /** The certificate that replaced this one, with its signed path (signing costs ~0.04 ms). */
  successor: { number: string; path: string; validFrom: string | null } | null;
  /** The status last derived, and for which day (derived again when the day changes). */
  statusOn?: { day: string; status: string };
};

/** A product's cover photo file (thumbnail): immutable for a photo id, so its stat is kept too. */
export type CachedCover = { photoId: string; file: string; bytes: number; lastModified: Date };

export type CacheStats = { certificates: number; covers: number; serving: boolean; notices: number };

export class VerificationCache {
  /** Notices applied so far (and clears): for tests and monitoring. */
  notices = 0;
  /** True while the notice listener is connected; otherwise every read goes to the database. */
  serving = false;
  readonly certificates: LoadingCache<CachedCertificate>;
  readonly covers: LoadingCache<CachedCover>;
  private readonly certificateProducts: LRUCache<string, string>;
  private readonly signatures: LRUCache<string, string>;

  constructor(limits: CacheLimits = DEFAULT_CACHE_LIMITS) {
    this.certificates = new LoadingCache(limits.entries, this, false);
    this.covers = new LoadingCache(limits.entries, this, true);
    this.certificateProducts = new LRUCache({ max: limits.entries });
    this.signatures = new LRUCache({ max: limits.entries });
  }

  setListening(listening: boolean) {
    this.clear();
    this.serving = listening;
  }

  /** A notice: forget what it names. */
  apply(change: VerificationChange) {
    if (change.all) return this.clear();
    this.notices++;
    for (const number of change.numbers ?? []) this.certificates.delete(number);
    if (change.productId) this.covers.delete(change.productId);
  }

  clear() {
    this.notices++;
    this.certificates.clear();
    this.covers.clear();
  }

  /** True when `signature` is the one already verified for `code`, else the result of `verify()` (kept when true). */
  signatureValid(code: string, signature: string, verify: () => boolean): boolean {
    if (this.signatures.get(code) === signature) return true;
    if (!verify()) return false;
    this.signatures.set(code, signature);
    return true;
  }

  /** Which product a certificate version is of: fixed at issue, so kept whatever the listener says. */
  async productOfCertificate(id: string, load: () => Promise<string | null>): Promise<string | null> {
    const hit = this.certificateProducts.get(id);
    if (hit !== undefined) return hit;
    const productId = await load();
    if (productId) this.certificateProducts.set(id, productId);
    return productId;
  }

  rememberProductOf(certificateId: string, productId: string) {
    this.certificateProducts.set(certificateId, productId);
  }

  stats(): CacheStats {
    return {
      certificates: this.certificates.size,
      covers: this.covers.size,
      serving: this.serving,
      notices: this.notices,
    };
  }
}
