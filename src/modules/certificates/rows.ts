/**
 * Reading certificate versions with everything their view and status need (one statement each),
 * turning them into views with their verification address, and who may read or manage them.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, queryRows } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { AppError } from '../../server/errors';
import { today } from '../../shared/dates';
import type { RegistryScope } from '../subjects';
import { getSubjectLocation } from '../subjects';
import type { CertificateView } from './contract';
import { certificateNotFound, toDate } from './messages';
import { canManageCertificatesIn, canReadCertificate } from './policy';
import {
  addDays,
  type CertificateStatus,
  certificateStatus,
  certificateStatusLabels,
  type IssueKind,
  type IssuerLevel,
  type RevocationReason,
  revocationReasonLabels,
} from './rules';
import { certificateSettings } from './settings';
import { verificationPaths } from './verification-addresses';

// ---------------------------------------------------------------- reading rows with their facts

/** A certificate version with everything its view and status need, read in one statement. */
export type CertificateRow = {
  id: string;
  number: string;
  version: number;
  product_id: string;
  subject_id: string;
  product_name: string;
  subject_name: string;
  province_code: string;
  province_name: string;
  commune_code: string | null;
  commune_name: string | null;
  original_address: string | null;
  taxonomy_scheme: string;
  category_code: string;
  star: number;
  rule_set_code: string;
  issue_kind: string;
  issuer_name: string;
  issuer_level: string;
  decision_number: string;
  /** Null, with the validity dates, when a registry gave only the year (`recognition_year`). */
  decision_date: string | null;
  valid_from: string | null;
  valid_to: string | null;
  recognition_year: number | null;
  supersedes_id: string | null;
  corrects_id: string | null;
  correction_reason: string | null;
  source: string;
  created_at: Date | string;
  revoked_on: string | null;
  revocation_reason: string | null;
  revocation_decision_number: string | null;
  revocation_note: string | null;
  successor_number: string | null;
  successor_valid_from: string | null;
};

/**
 * Each version with its number's revocation and its successor (the latest version of the
 * certificate whose first version names one of this number's versions in `supersedes_id`). Dates
 * are cast to text: drivers differ in how they return `date`.
 */
export function rowSelect(extraColumns: SQL = sql``): SQL {
  return sql`SELECT c.id, c.number, c.version, c.product_id, c.subject_id, c.product_name,
    c.subject_name, c.province_code, pv.name AS province_name, c.commune_code, cm.name AS commune_name,
    c.original_address, c.taxonomy_scheme, c.category_code, c.star, c.rule_set_code, c.issue_kind,
    c.issuer_name, c.issuer_level, c.decision_number, c.decision_date::text AS decision_date,
    c.valid_from::text AS valid_from, c.valid_to::text AS valid_to, c.recognition_year, c.supersedes_id, c.corrects_id,
    c.correction_reason, c.source, c.created_at,
    r.decision_date::text AS revoked_on, r.reason_category AS revocation_reason,
    r.decision_number AS revocation_decision_number, r.note AS revocation_note,
    succ.number AS successor_number, succ.valid_from::text AS successor_valid_from ${extraColumns}
  FROM certificates c
  JOIN provinces pv ON pv.code = c.province_code
  LEFT JOIN communes cm ON cm.code = c.commune_code
  LEFT JOIN certificate_revocations r ON r.number = c.number
  LEFT JOIN LATERAL (
    SELECT s2.number, s2.valid_from FROM certificates s1
    JOIN certificates s2 ON s2.number = s1.number
    WHERE s1.corrects_id IS NULL
      AND s1.supersedes_id IN (SELECT v.id FROM certificates v WHERE v.number = c.number)
      AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.corrects_id = s2.id)
    LIMIT 1
  ) succ ON true`;
}
export const ROW_SELECT = rowSelect();

/** Only the latest version of each number (the one a correction has not replaced). */
export const LATEST = sql`NOT EXISTS (SELECT 1 FROM certificates n WHERE n.corrects_id = c.id)`;

export function statusOfRow(row: CertificateRow, day: string, expiringDays: number): CertificateStatus {
  return certificateStatus(
    {
      validFrom: row.valid_from,
      validTo: row.valid_to,
      revokedOn: row.revoked_on,
      supersededOn: row.successor_valid_from,
    },
    day,
    expiringDays,
  );
}

/** The derived status in SQL over ROW_SELECT's columns, the same precedence as `certificateStatus`. */
export function statusSql(day: string, expiringDays: number): SQL {
  const limit = addDays(day, expiringDays);
  return sql`CASE
    WHEN r.decision_date IS NOT NULL AND r.decision_date <= ${day}::date THEN 'revoked'
    WHEN succ.valid_from IS NOT NULL AND succ.valid_from <= ${day}::date THEN 'superseded'
    WHEN c.valid_to IS NULL THEN 'date_unknown'
    WHEN c.valid_from > ${day}::date THEN 'pending'
    WHEN c.valid_to < ${day}::date THEN 'expired'
    WHEN c.valid_to <= ${limit}::date THEN 'expiring'
    ELSE 'valid' END`;
}

export async function findLatestByNumber(db: DbOrTx, number: string): Promise<CertificateRow | null> {
  const [row] = await queryRows<CertificateRow>(
    db,
    sql`${ROW_SELECT} WHERE c.number = ${number} ORDER BY c.version DESC LIMIT 1`,
  );
  return row ?? null;
}

export async function findRowById(db: DbOrTx, id: string): Promise<CertificateRow | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await queryRows<CertificateRow>(db, sql`${ROW_SELECT} WHERE c.id = ${id}`);
  return row ?? null;
}

/**
 * The base of public addresses: routes pass the configured one or the request's origin; a service
 * caller without a request (the evaluation module, an import) may omit it, and PUBLIC_URL (else a
 * relative address) is used.
 */
export type Origin = { origin?: string | undefined };

export const originOf = (ctx: RequestContext, input: Origin) => input.origin ?? ctx.config.publicUrl ?? '';

export async function verificationUrlOf(db: Db, origin: string, number: string): Promise<string> {
  return `${origin}${(await verificationPaths(db))(number)}`;
}

export function toView(
  row: CertificateRow,
  status: CertificateStatus,
  verificationUrl: string,
): CertificateView {
  return {
    id: row.id,
    number: row.number,
    version: Number(row.version),
    status,
    statusLabel: certificateStatusLabels[status],
    star: Number(row.star),
    product: { id: row.product_id, name: row.product_name },
    subject: { id: row.subject_id, name: row.subject_name },
    province: { code: row.province_code, name: row.province_name },
    commune:
      row.commune_code && row.commune_name !== null
        ? { code: row.commune_code, name: row.commune_name }
        : null,
    originalAddress: row.original_address,
    classification: { scheme: row.taxonomy_scheme, code: row.category_code },
    ruleSetCode: row.rule_set_code,
    issueKind: row.issue_kind as IssueKind,
    issuer: { name: row.issuer_name, level: row.issuer_level as IssuerLevel },
    decisionNumber: row.decision_number,
    decisionDate: row.decision_date,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    recognitionYear: row.recognition_year === null ? null : Number(row.recognition_year),
    supersedesId: row.supersedes_id,
    supersededBy:
      row.successor_number && row.successor_valid_from
        ? { number: row.successor_number, validFrom: row.successor_valid_from }
        : null,
    correctsId: row.corrects_id,
    correctionReason: row.correction_reason,
    source: row.source as 'decision' | 'import',
    revocation:
      row.revoked_on && row.revocation_reason
        ? {
            reasonCategory: row.revocation_reason as RevocationReason,
            reasonLabel: revocationReasonLabels[row.revocation_reason as RevocationReason],
            decisionNumber: row.revocation_decision_number ?? '',
            decisionDate: row.revoked_on,
            note: row.revocation_note ?? '',
          }
        : null,
    verificationUrl,
    createdAt: toDate(row.created_at),
  };
}

export async function viewOf(
  ctx: RequestContext,
  origin: string,
  row: CertificateRow,
): Promise<CertificateView> {
  const { expiringDays } = certificateSettings();
  const status = statusOfRow(row, today(ctx.config.timeZone), expiringDays);
  return toView(row, status, await verificationUrlOf(ctx.database.db, origin, row.number));
}

// ---------------------------------------------------------------- access

async function subjectOf(db: DbOrTx, subjectId: string) {
  const subject = await getSubjectLocation(db, subjectId);
  if (!subject) throw certificateNotFound();
  return subject;
}

/** The row after checking the actor may read it; a certificate outside the actor's scope is a 404. */
export async function loadReadable(ctx: RequestContext, id: string): Promise<CertificateRow> {
  const { db } = ctx.database;
  const row = await findRowById(db, id);
  if (!row) throw certificateNotFound();
  if (!canReadCertificate(ctx.actor!, await subjectOf(db, row.subject_id))) throw certificateNotFound();
  return row;
}

/** Like `loadReadable`, then refuses (403) an actor who may read but not manage it. */
export async function loadManageable(ctx: RequestContext, id: string): Promise<CertificateRow> {
  const row = await loadReadable(ctx, id);
  if (!canManageCertificatesIn(ctx.actor!, row.province_code)) throw new AppError('FORBIDDEN');
  return row;
}

export function scopeSql(scope: RegistryScope): SQL {
  if (!scope) return sql`false`;
  switch (scope.kind) {
    case 'all':
      return sql`true`;
    case 'province':
      return sql`c.subject_id IN (SELECT s.id FROM subjects s JOIN communes sc ON sc.code = s.commune_code
        WHERE sc.province_code = ${scope.provinceCode})`;
    case 'commune':
      return sql`c.subject_id IN (SELECT s.id FROM subjects s WHERE s.commune_code = ${scope.communeCode})`;
    case 'subjects':
      if (scope.subjectIds.length === 0) return sql`false`;
      return sql`c.subject_id IN (${sql.join(
        scope.subjectIds.map((id) => sql`${id}::uuid`),
        sql`, `,
      )})`;
  }
}
