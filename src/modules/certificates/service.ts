import { type SQL, sql } from 'drizzle-orm';
import { type Db, type DbOrTx, queryRows } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import { likeEscape } from '../../db/sql';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, type Message, notFound } from '../../server/errors';
import { today } from '../../shared/dates';
import { foldAccents } from '../../shared/text';
import { recordAudit } from '../audit/service';
import { getRuleSet, listRuleSets } from '../criteria/service';
import { latestReEvaluationDossiers } from '../evaluation/re-evaluation-service';
import type { CertificateFacts } from '../products/rules';
import { getProduct } from '../products/service';
import type { RegistryScope } from '../subjects/policy';
import { getSubjectLocation } from '../subjects/service';
import {
  announceVerificationChange,
  applyVerificationChange,
  type VerificationChange,
} from '../verification/notices';
import { signingKeys, verificationPath } from '../verification/signing';
import type {
  CertificateDetail,
  CertificatePage,
  CertificateView,
  CorrectCertificateBody,
  IssueCertificateBody,
  ListCertificatesQuery,
  ReEvaluationQueuePage,
  ReEvaluationQueueQuery,
  RevokeCertificateBody,
} from './contract';
import { type CertificateDocumentFacts, certificatePdf, qrPng, qrSvg } from './documents';
import { canManageCertificatesIn, canReadCertificate, certificateScope } from './policy';
import {
  addDays,
  CERTIFICATE_STATUSES,
  type CertificateStatus,
  certificateFactsOf,
  certificateStatus,
  certificateStatusLabels,
  daysBetween,
  formatCertificateNumber,
  ISSUE_KINDS,
  ISSUER_LEVELS,
  type IssueKind,
  type IssuerLevel,
  issueKindLabels,
  issuerLevelLabels,
  issuerProblem,
  numberPatternFor,
  parseNumberPattern,
  REVOCATION_REASONS,
  type RevocationReason,
  revocationReasonLabels,
  supersessionProblem,
  validityEnd,
} from './rules';
import { certificateNumberSequences, certificateRevocations, certificates } from './schema';
import { certificateSettings } from './settings';

type Ctx = { ctx: RequestContext };

const messages = {
  notFound: { vi: 'Không tìm thấy giấy chứng nhận.', en: 'Certificate not found.' },
  ruleSetUnknown: { vi: 'Không có bộ tiêu chí với mã này.', en: 'No rule-set has this code.' },
  productArchived: {
    vi: 'Sản phẩm đã lưu trữ, không cấp giấy chứng nhận được.',
    en: 'The product is archived; it cannot be certified.',
  },
  decisionInFuture: {
    vi: 'Ngày quyết định không được sau ngày hôm nay.',
    en: 'The decision date cannot be after today.',
  },
  validFromBeforeDecision: {
    vi: 'Ngày hiệu lực không được trước ngày quyết định.',
    en: 'Validity cannot start before the decision date.',
  },
  validToBeforeFrom: {
    vi: 'Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.',
    en: 'Validity must end after it starts.',
  },
  alreadyCertified: {
    vi: 'Sản phẩm đang có giấy chứng nhận còn hiệu lực; hãy chọn công nhận lại hoặc nâng hạng.',
    en: 'The product has a certificate in force; issue a re-recognition or an upgrade instead.',
  },
  nothingToSupersede: {
    vi: 'Sản phẩm chưa có giấy chứng nhận nào để công nhận lại hoặc nâng hạng.',
    en: 'The product has no certificate to re-recognise or upgrade.',
  },
  notHigherStar: {
    vi: 'Nâng hạng phải có số sao cao hơn giấy chứng nhận đang có hiệu lực.',
    en: 'An upgrade needs more stars than the certificate in force.',
  },
  supersedesOther: {
    vi: 'Giấy chứng nhận được thay thế phải là giấy hiện hành của chính sản phẩm này, chưa bị thay thế.',
    en: "The replaced certificate must be this product's current one, not already replaced.",
  },
  levelNotInRuleSet: {
    vi: 'Bộ tiêu chí này không có cấp công nhận đã chọn.',
    en: 'This rule-set has no such recognition level.',
  },
  starNotCertifiedByLevel: {
    vi: 'Theo bộ tiêu chí này, cấp đã chọn không công nhận hạng sao này.',
    en: 'Under this rule-set, the chosen level does not certify this star.',
  },
  numberTaken: { vi: 'Số giấy chứng nhận đã được dùng.', en: 'This certificate number is already used.' },
  alreadyRevoked: { vi: 'Giấy chứng nhận đã bị thu hồi.', en: 'The certificate is already revoked.' },
  revokedNoCorrection: {
    vi: 'Giấy chứng nhận đã bị thu hồi, không đính chính được.',
    en: 'The certificate is revoked; it cannot be corrected.',
  },
  revocationBeforeDecision: {
    vi: 'Ngày thu hồi không được trước ngày quyết định công nhận.',
    en: 'The revocation cannot be dated before the recognition decision.',
  },
  revocationNoteRequired: {
    vi: 'Lý do khác cần ghi rõ nội dung.',
    en: 'Describe the reason when it is "other".',
  },
  correctionUnchanged: {
    vi: 'Nội dung đính chính giống bản hiện hành.',
    en: 'The correction changes nothing.',
  },
} satisfies Record<string, Message>;

const certificateNotFound = () => notFound(messages.notFound);

function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}

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
  decision_date: string;
  valid_from: string;
  valid_to: string;
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
function rowSelect(extraColumns: SQL = sql``): SQL {
  return sql`SELECT c.id, c.number, c.version, c.product_id, c.subject_id, c.product_name,
    c.subject_name, c.province_code, pv.name AS province_name, c.commune_code, cm.name AS commune_name,
    c.original_address, c.taxonomy_scheme, c.category_code, c.star, c.rule_set_code, c.issue_kind,
    c.issuer_name, c.issuer_level, c.decision_number, c.decision_date::text AS decision_date,
    c.valid_from::text AS valid_from, c.valid_to::text AS valid_to, c.supersedes_id, c.corrects_id,
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
const ROW_SELECT = rowSelect();

/** Only the latest version of each number (the one a correction has not replaced). */
const LATEST = sql`NOT EXISTS (SELECT 1 FROM certificates n WHERE n.corrects_id = c.id)`;

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
function statusSql(day: string, expiringDays: number): SQL {
  const limit = addDays(day, expiringDays);
  return sql`CASE
    WHEN r.decision_date IS NOT NULL AND r.decision_date <= ${day}::date THEN 'revoked'
    WHEN succ.valid_from IS NOT NULL AND succ.valid_from <= ${day}::date THEN 'superseded'
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

async function findRowById(db: DbOrTx, id: string): Promise<CertificateRow | null> {
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

const originOf = (ctx: RequestContext, input: Origin) => input.origin ?? ctx.config.publicUrl ?? '';

export async function verificationUrlOf(db: Db, origin: string, number: string): Promise<string> {
  return `${origin}${verificationPath(await signingKeys(db), number)}`;
}

function toView(row: CertificateRow, status: CertificateStatus, verificationUrl: string): CertificateView {
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

async function viewOf(ctx: RequestContext, origin: string, row: CertificateRow): Promise<CertificateView> {
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
async function loadReadable(ctx: RequestContext, id: string): Promise<CertificateRow> {
  const { db } = ctx.database;
  const row = await findRowById(db, id);
  if (!row) throw certificateNotFound();
  if (!canReadCertificate(ctx.actor!, await subjectOf(db, row.subject_id))) throw certificateNotFound();
  return row;
}

/** Like `loadReadable`, then refuses (403) an actor who may read but not manage it. */
async function loadManageable(ctx: RequestContext, id: string): Promise<CertificateRow> {
  const row = await loadReadable(ctx, id);
  if (!canManageCertificatesIn(ctx.actor!, row.province_code)) throw new AppError('FORBIDDEN');
  return row;
}

function scopeSql(scope: RegistryScope): SQL {
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
        ORDER BY decision_date DESC, number ASC
        LIMIT ${input.pageSize} OFFSET ${(input.page - 1) * input.pageSize}`,
  );
  const keys = await signingKeys(db);
  return {
    items: rows.map((row) =>
      toView(row, row.status, `${originOf(ctx, input)}${verificationPath(keys, row.number)}`),
    ),
    total: rows.length ? Number(rows[0]!.total) : 0,
    page: input.page,
    pageSize: input.pageSize,
  };
}

/**
 * Every certificate version of the given products in the shape the products module's
 * `deriveProductStatus` reads, so it can show certified / expired / revoked (to be wired there).
 */
export async function listCertificateFactsForProducts(
  db: DbOrTx,
  productIds: readonly string[],
): Promise<Map<string, CertificateFacts[]>> {
  if (productIds.length === 0) return new Map();
  const rows = await queryRows<{
    id: string;
    number: string;
    version: number;
    product_id: string;
    star: number;
    valid_from: string;
    valid_to: string;
    supersedes_id: string | null;
    corrects_id: string | null;
    revoked_on: string | null;
  }>(
    db,
    sql`SELECT c.id, c.number, c.version, c.product_id, c.star, c.valid_from::text AS valid_from,
          c.valid_to::text AS valid_to, c.supersedes_id, c.corrects_id, r.decision_date::text AS revoked_on
        FROM certificates c LEFT JOIN certificate_revocations r ON r.number = c.number
        WHERE c.product_id IN (${sql.join(
          productIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
        ORDER BY c.number, c.version`,
  );
  return certificateFactsOf(
    rows.map((r) => ({
      id: r.id,
      number: r.number,
      version: Number(r.version),
      productId: r.product_id,
      star: Number(r.star),
      validFrom: r.valid_from,
      validTo: r.valid_to,
      supersedesId: r.supersedes_id,
      correctsId: r.corrects_id,
      revokedOn: r.revoked_on,
    })),
  );
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
        validTo: row.valid_to,
        daysLeft: daysBetween(day, row.valid_to),
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

// ---------------------------------------------------------------- issuing

/**
 * What a certificate is issued from: an officer's form, a recognition decision of the evaluation
 * module, or a row of an imported registry (`source: 'import'`, with its own number and dates).
 */
export type IssueCertificateInput = IssueCertificateBody & {
  source?: 'decision' | 'import';
  /** The decision item or import row this comes from; re-issuing the same reference is refused. */
  sourceRef?: string | null;
  /** The address as the historic record wrote it (pre-2025 units), kept beside the current commune. */
  originalAddress?: string | null;
};

type RuleSetFacts = { validityMonths: number; levels: { level: string; certifiesStars: number[] }[] };

/** The rule-set's validity and levels: the active revision of the code, else its latest one (historic codes). */
async function ruleSetFacts(ctx: RequestContext, code: string): Promise<RuleSetFacts> {
  const { items } = await listRuleSets({ ctx, input: { code } });
  const chosen = items.find((r) => r.status === 'active') ?? items[0];
  if (!chosen) throw fieldError('ruleSetCode', messages.ruleSetUnknown);
  const { document } = await getRuleSet({ ctx, input: { id: chosen.id } });
  return { validityMonths: document.certificateValidityMonths.value, levels: document.levels };
}

function checkIssuer(facts: RuleSetFacts, level: IssuerLevel, star: number, path: string) {
  const problem = issuerProblem(facts.levels, level, star);
  if (problem) throw fieldError(path, messages[problem]);
}

/** Serialises writes on one key (a product, a number) across transactions and app instances. */
async function lockKey(tx: DbOrTx, key: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

async function nextNumber(
  tx: DbOrTx,
  provinceCode: string,
  values: { communeCode: string; year: number; star: number },
): Promise<string> {
  const parsed = parseNumberPattern(numberPatternFor(certificateSettings(), provinceCode));
  if ('problem' in parsed) throw new Error(`Invalid number pattern for province ${provinceCode}`);
  // A number already taken (an imported registry numbered the same way) is skipped, not reused.
  for (let attempt = 0; attempt < 1000; attempt++) {
    const [row] = await tx
      .insert(certificateNumberSequences)
      .values({ provinceCode, year: values.year, lastValue: 1 })
      .onConflictDoUpdate({
        target: [certificateNumberSequences.provinceCode, certificateNumberSequences.year],
        set: { lastValue: sql`${certificateNumberSequences.lastValue} + 1` },
      })
      .returning({ lastValue: certificateNumberSequences.lastValue });
    const number = formatCertificateNumber(parsed.tokens, { provinceCode, ...values, seq: row!.lastValue });
    const [taken] = await queryRows(tx, sql`SELECT 1 FROM certificates WHERE number = ${number} LIMIT 1`);
    if (!taken) return number;
  }
  throw new AppError('CONFLICT', messages.numberTaken);
}

export async function issueCertificate({
  ctx,
  input,
}: Ctx & { input: IssueCertificateInput & Origin }): Promise<CertificateView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  // Reads through other modules' services happen before the transaction: PGlite has one connection.
  const product = await getProduct({ ctx, input: { id: input.productId } });
  if (!canManageCertificatesIn(actor, product.province.code)) throw new AppError('FORBIDDEN');
  if (product.archivedAt) throw fieldError('productId', messages.productArchived);
  const rules = await ruleSetFacts(ctx, input.ruleSetCode);
  checkIssuer(rules, input.issuer.level, input.star, 'issuer.level');

  const day = today(ctx.config.timeZone);
  if (input.decisionDate > day) throw fieldError('decisionDate', messages.decisionInFuture);
  const validFrom = input.validFrom ?? input.decisionDate;
  if (validFrom < input.decisionDate) throw fieldError('validFrom', messages.validFromBeforeDecision);
  const validTo =
    input.validTo ?? validityEnd(validFrom, rules.validityMonths, certificateSettings().validityEnd);
  if (validTo < validFrom) throw fieldError('validTo', messages.validToBeforeFrom);
  const { expiringDays } = certificateSettings();

  try {
    const { id, change } = await db.transaction(async (tx) => {
      await lockKey(tx, `certificate-product:${product.id}`);
      const existing = await queryRows<CertificateRow>(
        tx,
        sql`${ROW_SELECT} WHERE c.product_id = ${product.id} AND ${LATEST} ORDER BY c.valid_from DESC`,
      );
      const live = existing.filter((r) => !r.revoked_on && !r.successor_number);
      const inForce = live.find((r) => {
        const status = statusOfRow(r, day, expiringDays);
        return status === 'valid' || status === 'expiring' || status === 'pending';
      });
      const latest = live[0] ?? null;
      const kind = input.issueKind;
      const problem = supersessionProblem(
        kind,
        inForce ? { star: Number(inForce.star) } : null,
        latest ? { star: Number(latest.star) } : null,
        input.star,
      );
      if (problem) throw fieldError('issueKind', messages[problem], 'CONFLICT');
      let supersedesId: string | null = null;
      // The replaced certificate's page names its successor from now on.
      let supersededNumber: string | null = null;
      if (kind !== 'new') {
        const target = input.supersedesId
          ? live.find((r) => r.id === input.supersedesId)
          : kind === 'upgrade'
            ? inForce
            : latest;
        if (!target) throw fieldError('supersedesId', messages.supersedesOther, 'CONFLICT');
        supersedesId = target.id;
        supersededNumber = target.number;
      }
      const number =
        input.number ??
        (await nextNumber(tx, product.province.code, {
          communeCode: product.commune.code,
          year: Number(input.decisionDate.slice(0, 4)),
          star: input.star,
        }));
      const [row] = await tx
        .insert(certificates)
        .values({
          number,
          version: 1,
          productId: product.id,
          subjectId: product.subject.id,
          productName: product.name,
          subjectName: product.subject.name,
          provinceCode: product.province.code,
          communeCode: product.commune.code,
          originalAddress: input.originalAddress ?? null,
          taxonomyScheme: product.classification.scheme,
          categoryCode: product.classification.code,
          star: input.star,
          ruleSetCode: input.ruleSetCode,
          issueKind: kind,
          issuerName: input.issuer.name,
          issuerLevel: input.issuer.level,
          decisionNumber: input.decisionNumber,
          decisionDate: input.decisionDate,
          validFrom,
          validTo,
          supersedesId,
          source: input.source ?? 'decision',
          sourceRef: input.sourceRef ?? null,
          createdBy: actor.userId,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'certificate.issued',
        entityType: 'certificate',
        entityId: row!.id,
        after: { ...row, productNameSearch: undefined },
      });
      const change: VerificationChange = {
        numbers: supersededNumber ? [number, supersededNumber] : [number],
      };
      await announceVerificationChange(tx, change);
      return { id: row!.id, change };
    });
    applyVerificationChange(ctx.database, change);
    const created = await findRowById(db, id);
    return viewOf(ctx, originOf(ctx, input), created!);
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === 'certificates_number_version_key')
      throw fieldError('number', messages.numberTaken, 'CONFLICT');
    if (constraint === 'certificates_supersedes_key')
      throw fieldError('supersedesId', messages.supersedesOther, 'CONFLICT');
    if (constraint === 'certificates_source_ref_key') throw new AppError('CONFLICT');
    throw error;
  }
}

// ---------------------------------------------------------------- revoking and correcting

export async function revokeCertificate({
  ctx,
  input,
}: Ctx & { input: RevokeCertificateBody & { id: string } & Origin }): Promise<CertificateView> {
  const { db } = ctx.database;
  const row = await loadManageable(ctx, input.id);
  if (input.decisionDate > today(ctx.config.timeZone))
    throw fieldError('decisionDate', messages.decisionInFuture);
  if (input.decisionDate < row.decision_date)
    throw fieldError('decisionDate', messages.revocationBeforeDecision);
  if (input.reasonCategory === 'other' && !input.note)
    throw fieldError('note', messages.revocationNoteRequired);
  try {
    await db.transaction(async (tx) => {
      await lockKey(tx, `certificate-number:${row.number}`);
      const current = await findLatestByNumber(tx, row.number);
      if (current!.revoked_on) throw new AppError('CONFLICT', messages.alreadyRevoked);
      const [revocation] = await tx
        .insert(certificateRevocations)
        .values({
          certificateId: current!.id,
          number: current!.number,
          reasonCategory: input.reasonCategory,
          decisionNumber: input.decisionNumber,
          decisionDate: input.decisionDate,
          note: input.note,
          createdBy: ctx.actor!.userId,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'certificate.revoked',
        entityType: 'certificate',
        entityId: current!.id,
        after: revocation,
      });
      await announceVerificationChange(tx, { numbers: [row.number] });
    });
  } catch (error) {
    if (uniqueViolation(error) === 'certificate_revocations_number_key')
      throw new AppError('CONFLICT', messages.alreadyRevoked);
    throw error;
  }
  applyVerificationChange(ctx.database, { numbers: [row.number] });
  const latest = await findLatestByNumber(db, row.number);
  return viewOf(ctx, originOf(ctx, input), latest!);
}

type Changes = CorrectCertificateBody['changes'];

export async function correctCertificate({
  ctx,
  input,
}: Ctx & { input: CorrectCertificateBody & { id: string } & Origin }): Promise<CertificateView> {
  const { db } = ctx.database;
  const row = await loadManageable(ctx, input.id);
  const c: Changes = input.changes;
  const next = {
    productName: c.productName ?? row.product_name,
    subjectName: c.subjectName ?? row.subject_name,
    star: c.star ?? Number(row.star),
    issuerName: c.issuer?.name ?? row.issuer_name,
    issuerLevel: c.issuer?.level ?? (row.issuer_level as IssuerLevel),
    decisionNumber: c.decisionNumber ?? row.decision_number,
    decisionDate: c.decisionDate ?? row.decision_date,
    validFrom: c.validFrom ?? row.valid_from,
    validTo: c.validTo ?? row.valid_to,
    originalAddress: c.originalAddress === undefined ? row.original_address : c.originalAddress || null,
  };
  const before = {
    productName: row.product_name,
    subjectName: row.subject_name,
    star: Number(row.star),
    issuerName: row.issuer_name,
    issuerLevel: row.issuer_level,
    decisionNumber: row.decision_number,
    decisionDate: row.decision_date,
    validFrom: row.valid_from,
    validTo: row.valid_to,
    originalAddress: row.original_address,
  };
  if (JSON.stringify(next) === JSON.stringify(before))
    throw fieldError('changes', messages.correctionUnchanged);
  if (next.decisionDate > today(ctx.config.timeZone))
    throw fieldError('changes.decisionDate', messages.decisionInFuture);
  if (next.validFrom < next.decisionDate)
    throw fieldError('changes.validFrom', messages.validFromBeforeDecision);
  if (next.validTo < next.validFrom) throw fieldError('changes.validTo', messages.validToBeforeFrom);
  if (c.star !== undefined || c.issuer !== undefined) {
    checkIssuer(
      await ruleSetFacts(ctx, row.rule_set_code),
      next.issuerLevel,
      next.star,
      'changes.issuer.level',
    );
  }
  let newId = '';
  let change: VerificationChange = { numbers: [row.number] };
  try {
    newId = await db.transaction(async (tx) => {
      await lockKey(tx, `certificate-number:${row.number}`);
      const current = await findLatestByNumber(tx, row.number);
      if (current!.revoked_on) throw new AppError('CONFLICT', messages.revokedNoCorrection);
      // The caller corrects what they saw; if someone corrected it meanwhile they must look again.
      if (current!.id !== row.id || Number(current!.version) !== input.version) throw new AppError('STALE');
      const [created] = await tx
        .insert(certificates)
        .values({
          number: row.number,
          version: Number(row.version) + 1,
          productId: row.product_id,
          subjectId: row.subject_id,
          productName: next.productName,
          subjectName: next.subjectName,
          provinceCode: row.province_code,
          communeCode: row.commune_code,
          originalAddress: next.originalAddress,
          taxonomyScheme: row.taxonomy_scheme,
          categoryCode: row.category_code,
          star: next.star,
          ruleSetCode: row.rule_set_code,
          issueKind: row.issue_kind,
          issuerName: next.issuerName,
          issuerLevel: next.issuerLevel,
          decisionNumber: next.decisionNumber,
          decisionDate: next.decisionDate,
          validFrom: next.validFrom,
          validTo: next.validTo,
          supersedesId: row.supersedes_id,
          correctsId: row.id,
          correctionReason: input.reason,
          source: row.source,
          createdBy: ctx.actor!.userId,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'certificate.corrected',
        entityType: 'certificate',
        entityId: created!.id,
        before: { id: row.id, version: Number(row.version), ...before },
        after: { id: created!.id, version: created!.version, ...next, reason: input.reason },
      });
      // A successor's corrected dates change when the certificate it replaced counts as superseded.
      const [replaced] = row.supersedes_id
        ? await queryRows<{ number: string }>(
            tx,
            sql`SELECT number FROM certificates WHERE id = ${row.supersedes_id}`,
          )
        : [];
      change = { numbers: replaced ? [row.number, replaced.number] : [row.number] };
      await announceVerificationChange(tx, change);
      return created!.id;
    });
  } catch (error) {
    const constraint = uniqueViolation(error);
    if (constraint === 'certificates_corrects_key' || constraint === 'certificates_number_version_key')
      throw new AppError('STALE');
    throw error;
  }
  applyVerificationChange(ctx.database, change);
  const created = await findRowById(db, newId);
  return viewOf(ctx, originOf(ctx, input), created!);
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

// ---------------------------------------------------------------- documents

function documentFacts(view: CertificateView): CertificateDocumentFacts {
  return {
    number: view.number,
    version: view.version,
    star: view.star,
    productName: view.product.name,
    subjectName: view.subject.name,
    address: [view.commune?.name, view.province.name].filter(Boolean).join(', '),
    originalAddress: view.originalAddress,
    issuerName: view.issuer.name,
    issuerLevel: view.issuer.level,
    decisionNumber: view.decisionNumber,
    decisionDate: view.decisionDate,
    validFrom: view.validFrom,
    validTo: view.validTo,
    verificationUrl: view.verificationUrl,
  };
}

/** A file name made of the number's safe characters (a number may hold "/"). */
const fileNameOf = (number: string) => number.replace(/[^A-Za-z0-9.-]+/g, '_');

/** The certificate as an A4 PDF, for whoever may read it (the producer prints its own). */
export async function getCertificatePdf({
  ctx,
  input,
}: Ctx & { input: { id: string } & Origin }): Promise<{ fileName: string; pdf: Buffer }> {
  const view = await viewOf(ctx, originOf(ctx, input), await loadReadable(ctx, input.id));
  return {
    fileName: `giay-chung-nhan-ocop-${fileNameOf(view.number)}.pdf`,
    pdf: await certificatePdf(documentFacts(view)),
  };
}

/** The QR code to the verification page, PNG at 300 dpi or SVG, sized for print in millimetres. */
export async function getCertificateQr({
  ctx,
  input,
}: Ctx & { input: { id: string; mm: number; format: 'png' | 'svg' } & Origin }): Promise<{
  fileName: string;
  body: Buffer | string;
}> {
  const row = await loadReadable(ctx, input.id);
  const url = await verificationUrlOf(ctx.database.db, originOf(ctx, input), row.number);
  const fileName = `ocop-qr-${fileNameOf(row.number)}-${input.mm}mm.${input.format}`;
  return { fileName, body: input.format === 'png' ? await qrPng(url, input.mm) : await qrSvg(url, input.mm) };
}

/**
 * The certificate part of a product's status on `today` as one SQL expression over the product
 * id column given: 'certified' | 'expired' | 'revoked', or NULL when no certificate has started.
 * It states in SQL what `certificateFactsOf` + products' `deriveProductStatus` state in code (a
 * corrected version says nothing on its own; a revocation counts from its decision date; the
 * latest certificate started decides between revoked and expired), so lists can filter and count
 * by status without loading every certificate; tests/api/product-status.test.ts holds them equal.
 */
export function productCertificateStatusSql(productId: SQL, today: string): SQL {
  return sql`(SELECT CASE
      WHEN bool_or(c.valid_to >= ${today}::date AND NOT coalesce(rv.revoked_on <= ${today}::date, false)) THEN 'certified'
      WHEN count(*) = 0 THEN NULL
      ELSE (array_agg(CASE WHEN rv.revoked_on <= ${today}::date THEN 'revoked' ELSE 'expired' END
             ORDER BY c.valid_from DESC, c.valid_to DESC))[1]
    END
    FROM certificates c
    LEFT JOIN LATERAL (SELECT min(r.decision_date) AS revoked_on FROM certificate_revocations r
      WHERE r.number = c.number) rv ON true
    WHERE c.product_id = ${productId} AND c.valid_from <= ${today}::date
      AND NOT EXISTS (SELECT 1 FROM certificates k WHERE k.corrects_id = c.id))`;
}
