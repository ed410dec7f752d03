/**
 * A dossier's way through its states: the owner's forms (Mẫu 01, self-assessment), the checks
 * before submitting, every transition of the state machine (rules.ts) and the assignment to a council.
 */
import { and, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { AppError, fieldError, type Message } from '../../server/errors';
import { today } from '../../shared/dates';
import { recordAudit } from '../audit';
import {
  answerError,
  checkVersion,
  currentResultOf,
  type DossierAccess,
  frozenRuleSet,
  frozenSheet,
  loadDossierFor,
  moveDossier,
  requireReader,
} from './access';
import type { DossierView, RegistrationFormInput, TransitionInput } from './contract';
import { checklistOf, getDossier } from './dossier-service';
import { type Ctx, dossierMessages } from './messages';
import {
  assessSelf,
  canPropose,
  type DossierState,
  isEditable,
  isPastDeadline,
  missingRequiredItems,
  type SelfAssessment,
} from './rules';
import { evaluationCouncilMembers, evaluationCouncils, evaluationDossiers } from './schema';

function requireOwnerEditing(access: DossierAccess): void {
  if (!access.capacities.includes('owner')) throw new AppError('FORBIDDEN', dossierMessages.notOwner);
  if (!isEditable(access.dossier.state as DossierState))
    throw new AppError('CONFLICT', dossierMessages.notEditable);
}

/** Saves Mẫu 01 while the dossier is a draft or returned. */
export async function saveRegistrationForm({
  ctx,
  input,
}: Ctx & { input: { id: string; version: number; form: RegistrationFormInput } }): Promise<DossierView> {
  const { db } = ctx.database;
  await db.transaction(async (tx) => {
    const access = await loadDossierFor(tx, ctx.actor!, input.id, { lock: 'update' });
    requireOwnerEditing(access);
    checkVersion(access.dossier, input.version);
    const form = Object.fromEntries(
      Object.entries(input.form).filter(([, v]) => v !== undefined && v !== ''),
    );
    await tx
      .update(evaluationDossiers)
      .set({ registrationForm: form, version: access.dossier.version + 1, updatedAt: new Date() })
      .where(eq(evaluationDossiers.id, input.id));
    await recordAudit(tx, ctx, {
      action: 'evaluation.dossier.registration_form_saved',
      entityType: 'evaluation_dossier',
      entityId: input.id,
      before: access.dossier.registrationForm,
      after: form,
    });
  });
  return getDossier({ ctx, input: { id: input.id } });
}

/** Saves the self-assessment (Mẫu 02) and the star it gives, computed by the criteria engine. */
export async function saveSelfAssessment({
  ctx,
  input,
}: Ctx & { input: { id: string; version: number; answers: Record<string, string> } }): Promise<DossierView> {
  const { db } = ctx.database;
  await db.transaction(async (tx) => {
    const access = await loadDossierFor(tx, ctx.actor!, input.id, { lock: 'update' });
    requireOwnerEditing(access);
    checkVersion(access.dossier, input.version);
    const [ruleSet, sheet] = await Promise.all([
      frozenRuleSet(tx, access.cycle.ruleSetId),
      frozenSheet(tx, access.dossier.sheetId),
    ]);
    let summary: SelfAssessment;
    try {
      summary = assessSelf(input.answers, sheet.document, ruleSet);
    } catch (error) {
      answerError(error);
    }
    await tx
      .update(evaluationDossiers)
      .set({
        selfAssessmentAnswers: input.answers,
        selfAssessment: summary,
        selfAssessmentStar: summary.star,
        version: access.dossier.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(evaluationDossiers.id, input.id));
    await recordAudit(tx, ctx, {
      action: 'evaluation.dossier.self_assessment_saved',
      entityType: 'evaluation_dossier',
      entityId: input.id,
      before: { answers: access.dossier.selfAssessmentAnswers, star: access.dossier.selfAssessmentStar },
      after: { answers: input.answers, star: summary.star, total: summary.total },
    });
  });
  return getDossier({ ctx, input: { id: input.id } });
}

/** What a dossier still lacks before it can be (re)submitted: the forms and every required document. */
async function completenessProblems(db: DbOrTx, access: DossierAccess): Promise<Record<string, Message>> {
  const fields: Record<string, Message> = {};
  const { dossier } = access;
  if (Object.keys(dossier.registrationForm).length === 0)
    fields.registrationForm = dossierMessages.formMissing;
  if (!dossier.selfAssessment?.complete) fields.selfAssessment = dossierMessages.selfAssessmentIncomplete;
  const { items, counts } = await checklistOf(db, access);
  for (const code of missingRequiredItems(items, counts)) {
    const item = items.find((i) => i.code === code)!;
    fields[`documents.${code}`] = {
      vi: `Thiếu tài liệu bắt buộc: ${item.label.vi}.`,
      en: `A required document is missing: ${item.label.en}.`,
    };
  }
  return fields;
}

export type GenericAction =
  | 'submit'
  | 'resubmit'
  | 'withdraw'
  | 'precheck'
  | 'return'
  | 'accept'
  | 'propose'
  | 'not_recognise';

/**
 * One step of the dossier's procedure made by a person (the council's steps are in the scoring
 * service, recognition in the decision): checked against the state machine under the dossier's
 * row lock, so two officers acting at once move it once.
 */
export async function transitionDossier({
  ctx,
  input,
}: Ctx & { input: { id: string; action: GenericAction; body: TransitionInput } }): Promise<DossierView> {
  const { db } = ctx.database;
  const body = input.body ?? {};
  await db.transaction(async (tx) => {
    const access = await loadDossierFor(tx, ctx.actor!, input.id, { lock: 'update' });
    requireReader(access);
    checkVersion(access.dossier, body.version);
    if (input.action === 'submit' || input.action === 'resubmit') {
      // State and person first, so a wrong move is refused for what it is before the content is judged.
      const state = access.dossier.state;
      if (access.capacities.includes('owner') && (state === 'draft' || state === 'returned')) {
        const fields = await completenessProblems(tx, access);
        if (Object.keys(fields).length) throw new AppError('VALIDATION', dossierMessages.incomplete, fields);
        if (
          input.action === 'submit' &&
          isPastDeadline(access.cycle.submissionDeadline, today(ctx.config.timeZone))
        ) {
          throw new AppError('CONFLICT', dossierMessages.pastDeadline);
        }
      }
    }
    if (input.action === 'propose' && access.dossier.state === 'scored') {
      const result = await currentResultOf(tx, access.dossier.id);
      if (!canPropose(result ? { outcome: result.outcome as 'invalid' } : null)) {
        throw new AppError('CONFLICT', dossierMessages.cannotPropose);
      }
    }
    await moveDossier(tx, ctx, access, input.action, { reason: body.reason });
  });
  return getDossier({ ctx, input: { id: input.id } });
}

/** The province gives an accepted dossier to one of the cycle's councils, which must have a chair. */
export async function assignDossier({
  ctx,
  input,
}: Ctx & { input: { id: string; councilId: string; version?: number | undefined } }): Promise<DossierView> {
  const { db } = ctx.database;
  await db.transaction(async (tx) => {
    const access = await loadDossierFor(tx, ctx.actor!, input.id, { lock: 'update' });
    requireReader(access);
    checkVersion(access.dossier, input.version);
    const [council] = await tx
      .select()
      .from(evaluationCouncils)
      .where(and(eq(evaluationCouncils.id, input.councilId), eq(evaluationCouncils.cycleId, access.cycle.id)))
      .limit(1);
    if (!council) throw fieldError('councilId', dossierMessages.councilUnknown);
    const [chair] = await tx
      .select({ id: evaluationCouncilMembers.id })
      .from(evaluationCouncilMembers)
      .where(
        and(eq(evaluationCouncilMembers.councilId, council.id), eq(evaluationCouncilMembers.role, 'chair')),
      )
      .limit(1);
    if (!chair && access.dossier.state === 'accepted') {
      throw fieldError('councilId', dossierMessages.councilWithoutChair, 'CONFLICT');
    }
    await moveDossier(tx, ctx, access, 'assign', { set: { councilId: council.id } });
  });
  return getDossier({ ctx, input: { id: input.id } });
}
