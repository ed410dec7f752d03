import { createHmac, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import { lt, sql } from 'drizzle-orm';
import { type Db, queryRows } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { notFound } from '../../server/errors';
import { compareVietnamese, foldAccents } from '../../shared/text';
import {
  type CertificateStatus,
  clientFacts,
  type IssuerLevel,
  type RevocationReason,
} from '../certificates/rules';
import {
  type CertificateRow,
  findLatestByNumber,
  findPublicRowById,
  searchLatestRows,
  statusOfRow,
} from '../certificates/service';
import { certificateSettings } from '../certificates/settings';
import { photoPath } from '../products/photo-files';
import { localDate } from '../products/rules';
import { activePhotos } from '../products/service';
import { verificationScanSalts, verificationScans } from './schema';
import { signingKeys, verificationPath, verifyCertificateNumber } from './signing';

/**
 * The public side of certificates: checking a scanned code, the page a consumer sees, the public
 * search and the product photo it shows. No login; every scan is logged without personal data.
 */

type Ctx = { ctx: RequestContext };

export type PublicCertificate = {
  id: string;
  number: string;
  version: number;
  status: CertificateStatus;
  star: number;
  productName: string;
  subjectName: string;
  commune: string | null;
  province: string;
  originalAddress: string | null;
  issuerName: string;
  issuerLevel: IssuerLevel;
  decisionNumber: string;
  decisionDate: string;
  validFrom: string;
  validTo: string;
  revocation: { reason: RevocationReason; decisionNumber: string; decisionDate: string } | null;
  successor: { number: string; path: string } | null;
  /** Path of the product photo, when the product has one. */
  photoPath: string | null;
};

export type VerificationOutcome =
  | { kind: 'verified'; certificate: PublicCertificate }
  | { kind: 'unverified' };

export type ScanInput = {
  code: string;
  signature: string | undefined;
  channel: 'qr' | 'search';
  userAgent: string | undefined;
  lang: 'vi' | 'en';
};

async function toPublic(db: Db, row: CertificateRow, day: string): Promise<PublicCertificate> {
  const keys = await signingKeys(db);
  const [cover] = await activePhotos(db, row.product_id);
  return {
    id: row.id,
    number: row.number,
    version: Number(row.version),
    status: statusOfRow(row, day, certificateSettings().expiringDays),
    star: Number(row.star),
    productName: row.product_name,
    subjectName: row.subject_name,
    commune: row.commune_name,
    province: row.province_name,
    originalAddress: row.original_address,
    issuerName: row.issuer_name,
    issuerLevel: row.issuer_level as IssuerLevel,
    decisionNumber: row.decision_number,
    decisionDate: row.decision_date,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    revocation:
      row.revoked_on && row.revocation_reason
        ? {
            reason: row.revocation_reason as RevocationReason,
            decisionNumber: row.revocation_decision_number ?? '',
            decisionDate: row.revoked_on,
          }
        : null,
    successor: row.successor_number
      ? { number: row.successor_number, path: verificationPath(keys, row.successor_number) }
      : null,
    photoPath: cover ? `/tra-cuu/anh/${row.id}` : null,
  };
}

/**
 * Checks a scanned code and logs the scan. The signature is checked before any lookup, so a forged
 * or altered code costs one signature check and one insert; it never reveals whether the number exists.
 */
export async function verifyScan({ ctx, input }: Ctx & { input: ScanInput }): Promise<VerificationOutcome> {
  const { db } = ctx.database;
  const keys = await signingKeys(db);
  const code = input.code.normalize('NFC').slice(0, 100);
  const signatureValid =
    input.signature !== undefined && verifyCertificateNumber(keys, code, input.signature);
  const day = localDate(new Date(), ctx.config.timeZone);
  let outcome: VerificationOutcome = { kind: 'unverified' };
  let certificateId: string | null = null;
  if (signatureValid) {
    const row = await findLatestByNumber(db, code);
    if (row) {
      certificateId = row.id;
      outcome = { kind: 'verified', certificate: await toPublic(db, row, day) };
    }
  }
  await logScan(ctx, {
    code,
    certificateId,
    signatureValid,
    result:
      outcome.kind === 'verified' ? outcome.certificate.status : signatureValid ? 'not_found' : 'unverified',
    channel: input.channel,
    userAgent: input.userAgent,
    lang: input.lang,
    day,
  });
  return outcome;
}

// ---------------------------------------------------------------- scans

// One salt per day, shared by every instance through the table; cached here for the day.
const saltCache = new WeakMap<Db, { day: string; salt: string }>();

async function saltOf(db: Db, day: string): Promise<string> {
  const cached = saltCache.get(db);
  if (cached?.day === day) return cached.salt;
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
  saltCache.set(db, { day, salt: row!.salt });
  return row!.salt;
}

export function hashIp(salt: string, ip: string): string {
  return createHmac('sha256', salt).update(ip).digest('base64url').slice(0, 22);
}

async function logScan(
  ctx: RequestContext,
  scan: {
    code: string;
    certificateId: string | null;
    signatureValid: boolean;
    result: string;
    channel: 'qr' | 'search';
    userAgent: string | undefined;
    lang: 'vi' | 'en';
    day: string;
  },
) {
  const { db } = ctx.database;
  const facts = clientFacts(scan.userAgent);
  await db.insert(verificationScans).values({
    code: scan.code,
    certificateId: scan.certificateId,
    signatureValid: scan.signatureValid,
    result: scan.result,
    channel: scan.channel,
    ipHash: hashIp(await saltOf(db, scan.day), ctx.ip),
    clientOs: facts.os,
    clientBrowser: facts.browser,
    clientMobile: facts.mobile,
    clientBot: facts.bot,
    lang: scan.lang,
  });
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

export type PublicPhoto = { path: string; etag: string; bytes: number };

/** The cover photo (thumbnail) of a certificate's product: public because the certificate is. */
export async function certificatePhoto({
  ctx,
  input,
}: Ctx & { input: { certificateId: string } }): Promise<PublicPhoto> {
  const { db } = ctx.database;
  const missing = () => notFound({ vi: 'Không có ảnh.', en: 'No photo.' });
  const row = await findPublicRowById(db, input.certificateId);
  if (!row) throw missing();
  const [cover] = await activePhotos(db, row.product_id);
  if (!cover) throw missing();
  const file = photoPath(ctx.config.uploadsDir, row.product_id, cover.id, 'thumb');
  const stat = await fs.stat(file).catch(() => null);
  if (!stat?.isFile()) throw missing();
  return { path: file, etag: `"${cover.id}-thumb"`, bytes: stat.size };
}
