/**
 * Reading certificates: one with its history, the filtered list, the re-evaluation queue, and the
 * reads the public verification side makes (latest version by number, public search).
 */
import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/client';
import { likeEscape } from '../../db/sql';
import { AppError } from '../../server/errors';
import { today } from '../../shared/dates';
import { foldAccents } from '../../shared/text';
import { latestReEvaluationDossiers } from '../evaluation';
import type {
  CertificateDetail,
  CertificatePage,
  ListCertificatesQuery,
  ReEvaluationQueuePage,
  ReEvaluationQueueQuery,
} from './contract';
import { type Ctx, toDate } from './messages';
import { canManageCertificatesIn, certificateScope } from './policy';
import {
  type CertificateRow,
  LATEST,
  loadReadable,
  type Origin,
  originOf,
  ROW_SELECT,
  rowSelect,
  scopeSql,
  statusSql,
  toView,
  viewOf,
} from './rows';
import {
  CERTIFICATE_STATUSES,
  type CertificateStatus,
  certificateStatusLabels,
  daysBetween,
  ISSUE_KINDS,
  ISSUER_LEVELS,
  issueKindLabels,
  issuerLevelLabels,
  REVOCATION_REASONS,
  revocationReasonLabels,
} from './rules';
import { certificateSettings } from './settings';
import { verificationPaths } from './verification-addresses';

// ---------------------------------------------------------------- reading

export function getCertificateMeta() {
  return {
    statuses: CERTIFICATE_STATUSES.map((code) => ({ code, label: certificateStatusLabels[code] })),
    issueKinds: ISSUE_KINDS.map((code) => ({ code, label: issueKindLabels[code] })),
    issuerLevels: ISSUER_LEVELS.map((code) => ({ code, label: issuerLevelLabels[code] })),
    revocationReasons: REVOCATION_REASONS.map((code) => ({ code, label: revocationReasonLabels[code] })),
    expiringDays: certificateSettings().expiringDays,
  };
}

export async function getCertificate({
  ctx,
  input,
}: Ctx & { input: { id: string } & Origin }): Promise<CertificateDetail> {
  const row = await loadReadable(ctx, input.id);
  const versions = await queryRows<{
    id: string;
    version: number;
    correction_reason: string | null;
    created_at: Date | string;
  }>(
    ctx.database.db,
    sql`SELECT id, version, correction_reason, created_at FROM certificates WHERE number = ${row.number}
        ORDER BY version`,
  );
  return {
    ...(await viewOf(ctx, originOf(ctx, input), row)),
    versions: versions.map((v) => ({
      id: v.id,
      version: Number(v.version),
      correctionReason: v.correction_reason,
      createdAt: toDate(v.created_at),
    })),
  };
}

/** Latest versions in the actor's scope, newest decision first; status computed in SQL so it can filter. */
export async function listCertificates({
  ctx,
  input,
}: Ctx & { input: ListCertificatesQuery & Origin }): Promise<CertificatePage> {
  const { db } = ctx.database;
  const { expiringDays } = certificateSettings();
  const day = today(ctx.config.timeZone);
  const conditions: SQL[] = [LATEST, scopeSql(certificateScope(ctx.actor!))];
  const q = input.q?.trim() ?? '';
  if (q) {
    const folded = foldAccents(q);
    conditions.push(
      sql`(c.number = ${q} OR c.product_name_search LIKE '%' || ocop_fold(${likeEscape(folded)}) || '%')`,
    );
  }
  if (input.productId) conditions.push(sql`c.product_id = ${input.productId}`);
  if (input.subjectId) conditions.push(sql`c.subject_id = ${input.subjectId}`);
  if (input.star) conditions.push(sql`c.star = ${input.star}`);
  const where = sql.join(conditions, sql` AND `);
  const statusFilter = input.status ? sql`WHERE status = ${input.status}` : sql``;
  const rows = await queryRows<CertificateRow & { status: CertificateStatus; total: string | number }>(
    db,
    sql`SELECT *, count(*) OVER () AS total
        FROM (${rowSelect(sql`, ${statusSql(day, expiringDays)} AS status`)} WHERE ${where}) m
        ${statusFilter}
        ORDER BY decision_date DESC NULLS LAST, number ASC
        LIMIT ${input.pageSize} OFFSET ${(input.page - 1) * input.pageSize}`,
  );
  const pathOf = await verificationPaths(db);
  return {
    items: rows.map((row) => toView(row, row.status, `${originOf(ctx, input)}${pathOf(row.number)}`)),
    total: rows.length ? Number(rows[0]!.total) : 0,
    page: input.page,
    pageSize: input.pageSize,
  };
}

// ---------------------------------------------------------------- re-evaluation queue

/**
 * What the province's officers watch: certificates of their province that are expiring (in force,
 * last day within the expiring window) or have lapsed without a successor (not re-recognised,
 * not revoked), earliest end first, each with the producer's re-evaluation dossier if one was
 * started (read through the evaluation module).
 */
export async function listReEvaluationQueue({
  ctx,
  input,
}: Ctx & { input: ReEvaluationQueueQuery }): Promise<ReEvaluationQueuePage> {
  const actor = ctx.actor!;
  const provinceCode = actor.role === 'system_admin' ? input.provinceCode : actor.provinceCode;
  if (
    actor.role !== 'system_admin' &&
    (!provinceCode || (input.provinceCode && input.provinceCode !== provinceCode))
  )
    throw new AppError('FORBIDDEN');
  if (provinceCode && !canManageCertificatesIn(actor, provinceCode)) throw new AppError('FORBIDDEN');
  const { db } = ctx.database;
  const { expiringDays } = certificateSettings();
  const day = today(ctx.config.timeZone);
  const conditions: SQL[] = [LATEST];
  if (provinceCode) conditions.push(sql`c.province_code = ${provinceCode}`);
  const rows = await queryRows<CertificateRow & { status: CertificateStatus }>(
    db,
    sql`SELECT * FROM (${rowSelect(sql`, ${statusSql(day, expiringDays)} AS status`)}
          WHERE ${sql.join(conditions, sql` AND `)}) m
        WHERE status IN ('expiring', 'expired')
        ORDER BY valid_to, number`,
  );
  // The queue is a province's few hundred at most; the dossier facts are read for all, then paged.
  const dossiers = await latestReEvaluationDossiers(
    db,
    rows.map((r) => r.product_id),
  );
  const items = rows
    .map((row) => {
      const dossier = dossiers.get(row.product_id) ?? null;
      return {
        id: row.id,
        number: row.number,
        star: Number(row.star),
        product: { id: row.product_id, name: row.product_name },
        subject: { id: row.subject_id, name: row.subject_name },
        province: { code: row.province_code, name: row.province_name },
        commune:
          row.commune_code && row.commune_name !== null
            ? { code: row.commune_code, name: row.commune_name }
            : null,
        // Only expiring or expired rows are here, and those have dates (a year-only record is 'date_unknown').
        validTo: row.valid_to!,
        daysLeft: daysBetween(day, row.valid_to!),
        successorNumber: row.successor_number,
        reEvaluationDossier: dossier
          ? { id: dossier.id, cycleId: dossier.cycleId, state: dossier.state }
          : null,
      };
    })
    .filter((item) => !input.withoutDossier || item.reEvaluationDossier === null);
  const start = (input.page - 1) * input.pageSize;
  return {
    items: items.slice(start, start + input.pageSize),
    total: items.length,
    page: input.page,
    pageSize: input.pageSize,
    expiringDays,
  };
}

// ---------------------------------------------------------------- for the public verification side

/** The product a certificate version is of (any issued certificate is public: its page shows the product photo). */
export async function productIdOfCertificate(db: DbOrTx, id: string): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const [row] = await queryRows<{ product_id: string }>(
    db,
    sql`SELECT product_id FROM certificates WHERE id = ${id}`,
  );
  return row?.product_id ?? null;
}

/** Latest versions matching a number exactly or a product name accent-insensitively, for the public search. */
export async function searchLatestRows(
  db: DbOrTx,
  q: string,
  folded: string,
  limit: number,
): Promise<CertificateRow[]> {
  return queryRows<CertificateRow>(
    db,
    sql`${ROW_SELECT}
        WHERE ${LATEST}
          AND (c.number = ${q} OR c.product_name_search LIKE '%' || ${likeEscape(folded)} || '%')
        ORDER BY (c.number = ${q}) DESC, c.product_name_search, c.number
        LIMIT ${limit}`,
  );
}

// ---------------------------------------------------------------- what an imported record still lacks

/**
 * Whether the record of a certificate still lacks a fact its registry did not give, as SQL over the
 * column or value naming the fact ('decisionDate', 'decisionNumber', 'taxCode') and a certificate
 * id: judged on the number's latest version (a correction completes it) and its subject's tax code
 * (read here in the same statement rather than per row; only the subjects module writes it). Any
 * other fact counts as still lacking: nothing records its completion.
 */
export function importedFactLacksSql(field: SQL, certificateId: SQL): SQL {
  return sql`coalesce((SELECT CASE ${field}
      WHEN 'decisionDate' THEN l.decision_date IS NULL
      WHEN 'decisionNumber' THEN l.decision_number = ''
      WHEN 'taxCode' THEN s.tax_code IS NULL
      ELSE true END
    FROM certificates f
    JOIN certificates l ON l.number = f.number
      AND NOT EXISTS (SELECT 1 FROM certificates n WHERE n.corrects_id = l.id)
    JOIN subjects s ON s.id = l.subject_id
    WHERE f.id = ${certificateId}), true)`;
}
