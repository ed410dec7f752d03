import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, type Message } from '../../server/errors';
import { localDate } from '../../shared/dates';
import { recordAudit } from '../audit';
import { type DossierAccess, frozenRuleSet, loadDossierFor } from './access';
import type { AdvisoryReviewInput, AdvisoryReviewView } from './contract';
import { canReadAdvisoryReview, canWriteAdvisoryReview } from './policy';
import {
  canRecordAdvisoryReview,
  closingNeedsFieldVisit,
  type DossierState,
  fieldVisitDateProblem,
  fieldVisitRequired,
} from './rules';
import { evaluationAdvisoryReviews, evaluationDossierDocuments } from './schema';

/**
 * The advisory group's review and field visit of a dossier ("tổ tư vấn, giúp việc"): one record
 * per dossier, written by an advisory member of its council or a province officer, read by the
 * council and the province; closing scoring refuses a dossier of a product set needing a field
 * visit until one is recorded (rules.ts says why that transition).
 */

type Ctx = { ctx: RequestContext };
type ReviewRow = typeof evaluationAdvisoryReviews.$inferSelect;

export const advisoryMessages = {
  notReader: {
    vi: 'Chỉ hội đồng được giao hồ sơ và cán bộ cấp tỉnh xem ý kiến của tổ tư vấn.',
    en: "Only the assigned council and the province read the advisory group's review.",
  },
  notWriter: {
    vi: 'Chỉ thành viên tổ tư vấn, giúp việc của hội đồng được giao hồ sơ hoặc cán bộ cấp tỉnh ghi ý kiến thẩm định.',
    en: 'Only an advisory member of the assigned council or a province officer records the advisory review.',
  },
  wrongState: {
    vi: 'Chỉ ghi ý kiến tổ tư vấn khi hồ sơ đã được tiếp nhận và trước khi hội đồng kết thúc chấm.',
    en: 'The advisory review is recorded once the dossier is accepted and before the council closes scoring.',
  },
  stale: {
    vi: 'Ý kiến tổ tư vấn đã được người khác thay đổi; vui lòng tải lại.',
    en: 'Someone else changed the advisory review; reload it.',
  },
  versionRequired: {
    vi: 'Hồ sơ đã có ý kiến tổ tư vấn; cần gửi kèm phiên bản đang sửa.',
    en: 'The dossier already has an advisory review; send the version you are editing.',
  },
  future: {
    vi: 'Ngày khảo sát thực tế chưa đến.',
    en: 'The field visit date is in the future.',
  },
  beforeSubmission: {
    vi: 'Ngày khảo sát thực tế trước ngày nộp hồ sơ.',
    en: 'The field visit date is before the dossier was submitted.',
  },
  unknownDocument: {
    vi: 'Hồ sơ không có tài liệu này.',
    en: 'The dossier has no such document.',
  },
  fieldVisitMissing: {
    vi: 'Sản phẩm thuộc bộ sản phẩm bắt buộc khảo sát thực tế; tổ tư vấn chưa ghi kết quả khảo sát nên hội đồng chưa kết thúc chấm được.',
    en: 'The product set requires a field visit; the advisory group has not recorded one, so scoring cannot close.',
  },
} satisfies Record<string, Message>;

function viewOf(dossierId: string, required: boolean, row: ReviewRow | null): AdvisoryReviewView {
  return {
    dossierId,
    fieldVisitRequired: required,
    review: row && {
      id: row.id,
      reviewNotes: row.reviewNotes,
      fieldVisit:
        row.fieldVisitDate !== null
          ? {
              date: row.fieldVisitDate,
              place: row.fieldVisitPlace ?? '',
              findings: row.fieldVisitFindings ?? '',
            }
          : null,
      attachmentDocumentIds: row.attachmentDocumentIds,
      version: row.version,
      recordedBy: row.recordedBy,
      recordedAt: row.recordedAt,
      updatedBy: row.updatedBy,
      updatedAt: row.updatedAt,
    },
  };
}

/** The advisory reviews of some dossiers, by dossier: for closing scoring, one query. */
export async function advisoryReviewsOf(db: DbOrTx, dossierIds: string[]): Promise<Map<string, ReviewRow>> {
  if (!dossierIds.length) return new Map();
  const rows = await db
    .select()
    .from(evaluationAdvisoryReviews)
    .where(inArray(evaluationAdvisoryReviews.dossierId, dossierIds));
  return new Map(rows.map((r) => [r.dossierId, r]));
}

/** Refuses closing scoring for a dossier whose product set needs a field visit not yet recorded. */
export async function requireFieldVisit(
  db: DbOrTx,
  access: Pick<DossierAccess, 'dossier' | 'cycle'>,
): Promise<void> {
  const ruleSet = await frozenRuleSet(db, access.cycle.ruleSetId);
  const review = (await advisoryReviewsOf(db, [access.dossier.id])).get(access.dossier.id) ?? null;
  if (closingNeedsFieldVisit(ruleSet, access.dossier, review)) {
    throw new AppError('CONFLICT', advisoryMessages.fieldVisitMissing);
  }
}

export async function getAdvisoryReview({
  ctx,
  input,
}: Ctx & { input: { dossierId: string } }): Promise<AdvisoryReviewView> {
  const { db } = ctx.database;
  const access = await loadDossierFor(db, ctx.actor!, input.dossierId);
  if (!canReadAdvisoryReview(ctx.actor!, access.facts, access.seat)) {
    throw new AppError('FORBIDDEN', advisoryMessages.notReader);
  }
  const ruleSet = await frozenRuleSet(db, access.cycle.ruleSetId);
  const row = (await advisoryReviewsOf(db, [input.dossierId])).get(input.dossierId) ?? null;
  return viewOf(input.dossierId, fieldVisitRequired(ruleSet, access.dossier.productSetCode), row);
}

/** Records (or updates) the advisory group's review and field visit of a dossier. */
export async function saveAdvisoryReview({
  ctx,
  input,
}: Ctx & { input: AdvisoryReviewInput & { dossierId: string } }): Promise<AdvisoryReviewView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  try {
    return await db.transaction(async (tx) => {
      // The dossier's row lock (share) makes closing scoring wait for a review being written, and the reverse.
      const access = await loadDossierFor(tx, actor, input.dossierId, { lock: 'share' });
      if (!canWriteAdvisoryReview(actor, access.facts, access.seat)) {
        throw new AppError('FORBIDDEN', advisoryMessages.notWriter);
      }
      if (!canRecordAdvisoryReview(access.dossier.state as DossierState)) {
        throw new AppError('CONFLICT', advisoryMessages.wrongState);
      }
      if (input.fieldVisit) {
        const today = localDate(new Date(), ctx.config.timeZone);
        const submittedOn = access.dossier.submittedAt
          ? localDate(access.dossier.submittedAt, ctx.config.timeZone)
          : null;
        const problem = fieldVisitDateProblem(input.fieldVisit.date, today, submittedOn);
        if (problem) throw fieldError('fieldVisit.date', advisoryMessages[problem]);
      }
      const attachments = [...new Set(input.attachmentDocumentIds ?? [])];
      if (attachments.length) {
        const found = await tx
          .select({ id: evaluationDossierDocuments.id })
          .from(evaluationDossierDocuments)
          .where(
            and(
              eq(evaluationDossierDocuments.dossierId, input.dossierId),
              inArray(evaluationDossierDocuments.id, attachments),
              isNull(evaluationDossierDocuments.removedAt),
            ),
          );
        const known = new Set(found.map((f) => f.id));
        const index = (input.attachmentDocumentIds ?? []).findIndex((id) => !known.has(id));
        if (index >= 0) throw fieldError(`attachmentDocumentIds.${index}`, advisoryMessages.unknownDocument);
      }
      const [current] = await tx
        .select()
        .from(evaluationAdvisoryReviews)
        .where(eq(evaluationAdvisoryReviews.dossierId, input.dossierId))
        .for('update');
      if (current && input.version === undefined)
        throw fieldError('version', advisoryMessages.versionRequired, 'STALE');
      if (current && input.version !== current.version) throw new AppError('STALE', advisoryMessages.stale);
      const values = {
        reviewNotes: input.reviewNotes,
        fieldVisitDate: input.fieldVisit?.date ?? null,
        fieldVisitPlace: input.fieldVisit?.place ?? null,
        fieldVisitFindings: input.fieldVisit?.findings ?? null,
        attachmentDocumentIds: attachments,
      };
      const now = new Date();
      const [row] = current
        ? await tx
            .update(evaluationAdvisoryReviews)
            .set({ ...values, version: current.version + 1, updatedBy: actor.userId, updatedAt: now })
            .where(eq(evaluationAdvisoryReviews.id, current.id))
            .returning()
        : await tx
            .insert(evaluationAdvisoryReviews)
            .values({
              ...values,
              dossierId: input.dossierId,
              recordedBy: actor.userId,
              updatedBy: actor.userId,
            })
            .returning();
      await recordAudit(tx, ctx, {
        action: current ? 'evaluation.advisory_review.updated' : 'evaluation.advisory_review.recorded',
        entityType: 'evaluation_dossier',
        entityId: input.dossierId,
        before: current ?? undefined,
        after: row,
      });
      const ruleSet = await frozenRuleSet(tx, access.cycle.ruleSetId);
      return viewOf(input.dossierId, fieldVisitRequired(ruleSet, access.dossier.productSetCode), row!);
    });
  } catch (error) {
    // Two first records at once meet on the unique key: the second writer reloads.
    if (uniqueViolation(error) !== null) throw new AppError('STALE', advisoryMessages.stale);
    throw error;
  }
}
