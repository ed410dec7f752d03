/** Issuing a certificate: the product, the rule-set's validity and issuer, the number, the audit entry. */
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import {
  announceVerificationChange,
  applyVerificationChange,
  type VerificationChange,
} from '../../db/verification-notices';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError } from '../../server/errors';
import { today } from '../../shared/dates';
import { recordAudit } from '../audit';
import { getRuleSet, listRuleSets } from '../criteria';
import { getProduct } from '../products';
import type { CertificateView, IssueCertificateBody } from './contract';
import { type Ctx, messages } from './messages';
import { lockKey, nextNumber } from './numbering';
import { canManageCertificatesIn } from './policy';
import {
  type CertificateRow,
  findRowById,
  LATEST,
  type Origin,
  originOf,
  ROW_SELECT,
  statusOfRow,
  viewOf,
} from './rows';
import { type IssuerLevel, issuerProblem, supersessionProblem, validityEnd } from './rules';
import { certificates } from './schema';
import { certificateSettings } from './settings';

// ---------------------------------------------------------------- issuing

/**
 * What a certificate is issued from: an officer's form, a recognition decision of the evaluation
 * module, or a row of an imported registry (`source: 'import'`, with its own number and dates).
 */
export type IssueCertificateInput = Omit<IssueCertificateBody, 'decisionDate'> & {
  /**
   * Null only for an imported record whose registry gave the recognition year alone: the record
   * keeps `recognitionYear`, no day is invented, and its status is `date_unknown` until corrected.
   */
  decisionDate: string | null;
  recognitionYear?: number | null;
  source?: 'decision' | 'import';
  /** The decision item or import row this comes from; re-issuing the same reference is refused. */
  sourceRef?: string | null;
  /** The address as the historic record wrote it (pre-2025 units), kept beside the current commune. */
  originalAddress?: string | null;
};

type RuleSetFacts = { validityMonths: number; levels: { level: string; certifiesStars: number[] }[] };

/** The rule-set's validity and levels: the active revision of the code, else its latest one (historic codes). */
export async function ruleSetFacts(ctx: RequestContext, code: string): Promise<RuleSetFacts> {
  const { items } = await listRuleSets({ ctx, input: { code } });
  const chosen = items.find((r) => r.status === 'active') ?? items[0];
  if (!chosen) throw fieldError('ruleSetCode', messages.ruleSetUnknown);
  const { document } = await getRuleSet({ ctx, input: { id: chosen.id } });
  return { validityMonths: document.certificateValidityMonths.value, levels: document.levels };
}

export function checkIssuer(facts: RuleSetFacts, level: IssuerLevel, star: number, path: string) {
  const problem = issuerProblem(facts.levels, level, star);
  if (problem) throw fieldError(path, messages[problem]);
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
  const dates = issueDates(input, day, rules.validityMonths);
  const { expiringDays } = certificateSettings();

  try {
    const { id, change } = await db.transaction(async (tx) => {
      await lockKey(tx, `certificate-product:${product.id}`);
      const existing = await queryRows<CertificateRow>(
        tx,
        sql`${ROW_SELECT} WHERE c.product_id = ${product.id} AND ${LATEST} ORDER BY c.valid_from DESC NULLS LAST`,
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
          year: dates.year,
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
          decisionDate: dates.decisionDate,
          validFrom: dates.validFrom,
          validTo: dates.validTo,
          recognitionYear: dates.recognitionYear,
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

/**
 * The dates a new certificate is written with. A decision's date gives the validity (stated or
 * computed from the rule-set). Without one, only an import may write the recognition year alone:
 * the dates stay null — the validity is unknown, not computed from a guessed day.
 */
export function issueDates(
  input: Pick<IssueCertificateInput, 'decisionDate' | 'recognitionYear' | 'source' | 'validFrom' | 'validTo'>,
  day: string,
  validityMonths: number,
): {
  decisionDate: string | null;
  validFrom: string | null;
  validTo: string | null;
  recognitionYear: number | null;
  year: number;
} {
  if (input.decisionDate === null) {
    const year = input.recognitionYear;
    if (input.source !== 'import' || year === null || year === undefined)
      throw fieldError('decisionDate', messages.decisionDateRequired);
    if (!Number.isInteger(year) || year < 1990 || year > Number(day.slice(0, 4)))
      throw fieldError('recognitionYear', messages.recognitionYearInvalid);
    if (input.validFrom || input.validTo) throw fieldError('validTo', messages.validityWithoutDecisionDate);
    return { decisionDate: null, validFrom: null, validTo: null, recognitionYear: year, year };
  }
  if (input.decisionDate > day) throw fieldError('decisionDate', messages.decisionInFuture);
  const validFrom = input.validFrom ?? input.decisionDate;
  if (validFrom < input.decisionDate) throw fieldError('validFrom', messages.validFromBeforeDecision);
  const validTo = input.validTo ?? validityEnd(validFrom, validityMonths, certificateSettings().validityEnd);
  if (validTo < validFrom) throw fieldError('validTo', messages.validToBeforeFrom);
  return {
    decisionDate: input.decisionDate,
    validFrom,
    validTo,
    recognitionYear: null,
    year: Number(input.decisionDate.slice(0, 4)),
  };
}
