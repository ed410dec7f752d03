import fs from 'node:fs/promises';
import type { Db } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { notFound } from '../../server/errors';
import { localDate } from '../../shared/dates';
import { compareVietnamese, foldAccents } from '../../shared/text';
import {
  type CertificateStatus,
  certificateSettings,
  certificateStatus,
  findLatestByNumber,
  type IssuerLevel,
  productIdOfCertificate,
  type RevocationReason,
  searchLatestRows,
  statusOfRow,
} from '../certificates';
import { activePhotos, photoPath } from '../products';
import type { CachedCertificate, CachedCover, VerificationCache } from './cache';
import type { VerificationRuntime } from './runtime';
import { type SigningKeys, signingKeys, verificationPath, verifyCertificateNumber } from './signing';

export { hashIp } from './scan-log';

/**
 * The public side of certificates: checking a scanned code, the page a consumer sees, the public
 * search and the product photo it shows. No login; every scan is logged without personal data.
 */

type Ctx = { ctx: RequestContext };

/** What the page shows: the cached public facts with today's status, the successor's path and the photo. */
export type PublicCertificate = Omit<CachedCertificate, 'productId' | 'successor' | 'statusOn'> & {
  status: CertificateStatus;
  successor: { number: string; path: string } | null;
  /** Path of the product photo, when the product has one. */
  photoPath: string | null;
};

export type VerificationOutcome =
  | {
      kind: 'verified';
      certificate: PublicCertificate;
      /** The cached objects the page was made from: a rendered page is reused while they are current. */
      facts: CachedCertificate;
      cover: CachedCover | null;
    }
  | { kind: 'unverified' };

export type ScanInput = {
  code: string;
  signature: string | undefined;
  channel: 'qr' | 'search';
  userAgent: string | undefined;
  lang: 'vi' | 'en';
};

/** What a page view needs to keep: the number's latest version as the page shows it. */
async function loadCertificate(db: Db, keys: SigningKeys, number: string): Promise<CachedCertificate | null> {
  const row = await findLatestByNumber(db, number);
  if (!row) return null;
  return {
    id: row.id,
    number: row.number,
    version: Number(row.version),
    productId: row.product_id,
    star: Number(row.star),
    productName: row.product_name,
    subjectName: row.subject_name,
    commune: row.commune_name,
    province: row.province_name,
    originalAddress: row.original_address,
    issuerName: row.issuer_name,
    // The certificates service stores only these values (checked on write).
    issuerLevel: row.issuer_level as IssuerLevel,
    decisionNumber: row.decision_number,
    decisionDate: row.decision_date,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    recognitionYear: row.recognition_year === null ? null : Number(row.recognition_year),
    revocation:
      row.revoked_on && row.revocation_reason
        ? {
            reason: row.revocation_reason as RevocationReason,
            decisionNumber: row.revocation_decision_number ?? '',
            decisionDate: row.revoked_on,
          }
        : null,
    successor: row.successor_number
      ? {
          number: row.successor_number,
          path: verificationPath(keys, row.successor_number),
          validFrom: row.successor_valid_from,
        }
      : null,
  };
}

/** The product's cover thumbnail with its file facts, or null (no photo, or its file is missing). */
async function loadCover(db: Db, uploadsDir: string, productId: string): Promise<CachedCover | null> {
  const [cover] = await activePhotos(db, productId);
  if (!cover) return null;
  const file = photoPath(uploadsDir, productId, cover.id, 'thumb');
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) return null;
  return { photoId: cover.id, file, bytes: stat.size, lastModified: stat.mtime };
}

function coverOf(ctx: RequestContext, cache: VerificationCache, productId: string) {
  return cache.covers.get(productId, () => loadCover(ctx.database.db, ctx.config.uploadsDir, productId));
}

/** The public photo address names the photo, so a new cover is a new address and the old one may be kept long. */
const photoAddress = (certificateId: string, photoId: string) => `/tra-cuu/anh/${certificateId}?v=${photoId}`;

function toPublic(
  c: CachedCertificate,
  status: CertificateStatus,
  cover: CachedCover | null,
): PublicCertificate {
  const { productId: _product, successor, statusOn: _statusOn, ...facts } = c;
  return {
    ...facts,
    status,
    successor: successor ? { number: successor.number, path: successor.path } : null,
    photoPath: cover ? photoAddress(c.id, cover.photoId) : null,
  };
}

/** The status today in Hà Nội time, from the cached dates: it moves at midnight with no invalidation. */
function statusOf(c: CachedCertificate, day: string): CertificateStatus {
  if (c.statusOn?.day === day) return c.statusOn.status as CertificateStatus;
  const status = deriveStatus(c, day);
  c.statusOn = { day, status };
  return status;
}

function deriveStatus(c: CachedCertificate, day: string): CertificateStatus {
  return certificateStatus(
    {
      validFrom: c.validFrom,
      validTo: c.validTo,
      revokedOn: c.revocation?.decisionDate ?? null,
      supersededOn: c.successor?.validFrom ?? null,
    },
    day,
    certificateSettings().expiringDays,
  );
}

// The calendar day changes on a minute boundary (time zone offsets are whole minutes): one
// formatting per minute instead of one per scan.
let lastDay = { minute: Number.NaN, timeZone: '', day: '' };

function dayIn(now: Date, timeZone: string): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute !== lastDay.minute || timeZone !== lastDay.timeZone) {
    lastDay = { minute, timeZone, day: localDate(now, timeZone) };
  }
  return lastDay.day;
}

/**
 * Checks a scanned code and logs the scan. The signature is checked before any lookup, so a forged
 * or altered code costs one signature check and a scan in the batch; it never reveals whether the
 * number exists. A warm scan (facts, cover and signature cached) makes no query at all: the scan
 * joins the batch written every second.
 */
export async function verifyScan({
  ctx,
  runtime,
  input,
}: Ctx & { runtime: VerificationRuntime; input: ScanInput }): Promise<VerificationOutcome> {
  const { db } = ctx.database;
  const { cache } = runtime;
  const keys = await signingKeys(db);
  const code = input.code.normalize('NFC').slice(0, 100);
  const signature = input.signature;
  const signatureValid =
    signature !== undefined &&
    cache.signatureValid(code, signature, () => verifyCertificateNumber(keys, code, signature));
  const now = new Date();
  const day = dayIn(now, ctx.config.timeZone);
  let outcome: VerificationOutcome = { kind: 'unverified' };
  let certificateId: string | null = null;
  if (signatureValid) {
    const certificate = await cache.certificates.get(code, async () => {
      const loaded = await loadCertificate(db, keys, code);
      // The page links the photo by certificate id: its product is then known without a query.
      if (loaded) cache.rememberProductOf(loaded.id, loaded.productId);
      return loaded;
    });
    if (certificate) {
      certificateId = certificate.id;
      const cover = await coverOf(ctx, cache, certificate.productId);
      const status = statusOf(certificate, day);
      outcome = {
        kind: 'verified',
        certificate: toPublic(certificate, status, cover),
        facts: certificate,
        cover,
      };
    }
  }
  runtime.scans.record({
    scannedAt: now,
    day,
    code,
    certificateId,
    signatureValid,
    result:
      outcome.kind === 'verified' ? outcome.certificate.status : signatureValid ? 'not_found' : 'unverified',
    channel: input.channel,
    ip: ctx.ip,
    userAgent: input.userAgent,
    lang: input.lang,
  });
  return outcome;
}

// ---------------------------------------------------------------- search

export type PublicSearchHit = {
  number: string;
  productName: string;
  subjectName: string;
  province: string;
  star: number;
  status: CertificateStatus;
  path: string;
};

export const SEARCH_LIMIT = 20;

/**
 * Public search by certificate number (exact) or product name (accent-insensitive, trigram index),
 * at most 20 hits, in force first then in Vietnamese order. A query under 2 characters finds nothing.
 */
export async function searchCertificates({
  ctx,
  input,
}: Ctx & { input: { q: string } }): Promise<PublicSearchHit[]> {
  const q = input.q.normalize('NFC').trim().slice(0, 100);
  if (foldAccents(q).length < 2) return [];
  const { db } = ctx.database;
  const keys = await signingKeys(db);
  const day = localDate(new Date(), ctx.config.timeZone);
  const { expiringDays } = certificateSettings();
  const rows = await searchLatestRows(db, q, foldAccents(q), SEARCH_LIMIT);
  const rank = (s: CertificateStatus) => (s === 'valid' || s === 'expiring' ? 0 : 1);
  return rows
    .map((row) => ({
      number: row.number,
      productName: row.product_name,
      subjectName: row.subject_name,
      province: row.province_name,
      star: Number(row.star),
      status: statusOfRow(row, day, expiringDays),
      path: `${verificationPath(keys, row.number)}&via=search`,
    }))
    .sort((a, b) => rank(a.status) - rank(b.status) || compareVietnamese(a.productName, b.productName));
}

// ---------------------------------------------------------------- photo

export type PublicPhoto = { path: string; photoId: string; etag: string; bytes: number; lastModified: Date };

/** The cover photo (thumbnail) of a certificate's product: public because the certificate is. */
export async function certificatePhoto({
  ctx,
  runtime,
  input,
}: Ctx & { runtime: VerificationRuntime; input: { certificateId: string } }): Promise<PublicPhoto> {
  const { db } = ctx.database;
  const missing = () => notFound({ vi: 'Không có ảnh.', en: 'No photo.' });
  const productId = await runtime.cache.productOfCertificate(input.certificateId, () =>
    productIdOfCertificate(db, input.certificateId),
  );
  if (!productId) throw missing();
  const cover = await coverOf(ctx, runtime.cache, productId);
  if (!cover) throw missing();
  return {
    path: cover.file,
    photoId: cover.photoId,
    etag: `"${cover.photoId}-thumb"`,
    bytes: cover.bytes,
    lastModified: cover.lastModified,
  };
}
