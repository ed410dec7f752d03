/**
 * Revoking and correcting certificates. A certificate is never updated in place: a correction is a
 * new version that points at what it corrects, a revocation a record of its own (DESIGN: nothing is lost).
 */
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import {
  announceVerificationChange,
  applyVerificationChange,
  type VerificationChange,
} from '../../db/verification-notices';
import { AppError, fieldError } from '../../server/errors';
import { today } from '../../shared/dates';
import { recordAudit } from '../audit';
import type { CertificateView, CorrectCertificateBody, RevokeCertificateBody } from './contract';
import { checkIssuer, ruleSetFacts } from './issue-service';
import { type Ctx, messages } from './messages';
import { lockKey } from './numbering';
import {
  type CertificateRow,
  findLatestByNumber,
  findRowById,
  loadManageable,
  type Origin,
  originOf,
  viewOf,
} from './rows';
import { type IssuerLevel, validityEnd } from './rules';
import { certificateRevocations, certificates } from './schema';
import { certificateSettings } from './settings';

// ---------------------------------------------------------------- revoking and correcting

export async function revokeCertificate({
  ctx,
  input,
}: Ctx & { input: RevokeCertificateBody & { id: string } & Origin }): Promise<CertificateView> {
  const { db } = ctx.database;
  const row = await loadManageable(ctx, input.id);
  if (input.decisionDate > today(ctx.config.timeZone))
    throw fieldError('decisionDate', messages.decisionInFuture);
  if (row.decision_date !== null && input.decisionDate < row.decision_date)
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
  const dates = await correctedDates(ctx, row, c);
  const next = {
    productName: c.productName ?? row.product_name,
    subjectName: c.subjectName ?? row.subject_name,
    star: c.star ?? Number(row.star),
    issuerName: c.issuer?.name ?? row.issuer_name,
    issuerLevel: c.issuer?.level ?? (row.issuer_level as IssuerLevel),
    decisionNumber: c.decisionNumber ?? row.decision_number,
    ...dates,
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
  if (next.decisionDate !== null && next.validFrom !== null && next.validTo !== null) {
    if (next.decisionDate > today(ctx.config.timeZone))
      throw fieldError('changes.decisionDate', messages.decisionInFuture);
    if (next.validFrom < next.decisionDate)
      throw fieldError('changes.validFrom', messages.validFromBeforeDecision);
    if (next.validTo < next.validFrom) throw fieldError('changes.validTo', messages.validToBeforeFrom);
  }
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
          recognitionYear: row.recognition_year,
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

/**
 * The dates after a correction. A record imported with only its recognition year ("date unknown")
 * is completed by a correction giving the decision's date: the validity then starts that day (or
 * as given) and ends as the rule-set says, and the status is computed as for any certificate.
 * Validity dates alone cannot complete it: without the decision's date they would be a guess.
 */
async function correctedDates(
  ctx: Ctx['ctx'],
  row: CertificateRow,
  c: Changes,
): Promise<{ decisionDate: string | null; validFrom: string | null; validTo: string | null }> {
  if (row.decision_date !== null)
    return {
      decisionDate: c.decisionDate ?? row.decision_date,
      validFrom: c.validFrom ?? row.valid_from,
      validTo: c.validTo ?? row.valid_to,
    };
  if (c.decisionDate === undefined) {
    if (c.validFrom !== undefined || c.validTo !== undefined)
      throw fieldError('changes.decisionDate', messages.validityWithoutDecisionDate);
    return { decisionDate: null, validFrom: null, validTo: null };
  }
  const validFrom = c.validFrom ?? c.decisionDate;
  const validTo =
    c.validTo ??
    (validFrom < c.decisionDate
      ? validFrom // refused below as starting before the decision
      : validityEnd(
          validFrom,
          (await ruleSetFacts(ctx, row.rule_set_code)).validityMonths,
          certificateSettings().validityEnd,
        ));
  return { decisionDate: c.decisionDate, validFrom, validTo };
}
