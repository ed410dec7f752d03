import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, type Message, notFound } from '../../server/errors';
import { getUser } from '../accounts';
import { recordAudit, recordAudits } from '../audit';
import type { Answers } from '../criteria';
import {
  CriteriaRuleError,
  checkAnswers,
  type EvaluationResult,
  evaluateDossier,
  fromCents,
  leafCriteria,
  levelDecision,
  partTotals,
  toCents,
  totalOfSheet,
} from '../criteria';
import {
  answerError,
  currentResultOf,
  currentResults,
  type DossierAccess,
  type FrozenSheet,
  findCycle,
  frozenRuleSet,
  frozenSheet,
  loadDossierFor,
  messages,
  moveDossier,
  moveDossiers,
  problemFields,
  type ResultRow,
} from './access';
import { advisoryMessages, advisoryReviewsOf, requireFieldVisit } from './advisory-service';
import type { CouncilClosingView, MySheetView, ResultView, SaveSheetInput } from './contract';
import { canFollowScoring, canManageCycle, canReadAllSheets, capacitiesOf, isSelfEvaluation } from './policy';
import {
  type CouncilRole,
  type CycleLevel,
  closingNeedsFieldVisit,
  type DossierState,
  isScoringRole,
  ruleSetLevelOf,
  type SheetStatus,
  scoringRefusal,
  scoringRefusalMessages,
} from './rules';
import {
  evaluationConflicts,
  evaluationCouncilMembers,
  evaluationCouncils,
  evaluationDossiers,
  evaluationResultPublications,
  evaluationResults,
  evaluationScoreSheets,
} from './schema';

/**
 * Council scoring: each member's sheet (autosaved draft, then submitted and locked), the chair's
 * closing of scoring — the result computed by the criteria engine from the submitted sheets of
 * members without a conflict — and the chair's reopening of one member's sheet, which adds a new
 * revision instead of touching the submitted one.
 */

type Ctx = { ctx: RequestContext };
type SheetRow = typeof evaluationScoreSheets.$inferSelect;

const scoringMessages = {
  nothingToSubmit: {
    vi: 'Chưa có phiếu chấm để nộp; hãy chấm và lưu trước.',
    en: 'There is no sheet to submit yet; score and save it first.',
  },
  incomplete: {
    vi: 'Phiếu chấm chưa chấm đủ các tiêu chí.',
    en: 'The sheet does not answer every criterion.',
  },
  commentUnknown: {
    vi: 'Phiếu không có tiêu chí này.',
    en: 'The sheet has no such criterion.',
  },
  notChair: {
    vi: 'Chỉ chủ tịch hội đồng được giao hồ sơ mới làm được việc này.',
    en: 'Only the chair of the assigned council can do this.',
  },
  notFollowing: {
    vi: 'Chỉ hội đồng được giao hồ sơ và cấp tỉnh theo dõi việc chấm điểm.',
    en: 'Only the assigned council and the province follow the scoring.',
  },
  memberUnknown: {
    vi: 'Người này không phải thành viên chấm điểm của hội đồng.',
    en: 'This person is not a scoring member of the council.',
  },
  notSubmitted: {
    vi: 'Phiếu của thành viên này chưa nộp, không cần mở lại.',
    en: "This member's sheet is not submitted; there is nothing to reopen.",
  },
  reopenClosed: {
    vi: 'Chỉ mở lại phiếu khi hội đồng đang chấm hoặc vừa chấm xong, trước khi đề nghị công nhận.',
    en: 'A sheet can be reopened only while the council scores or right after, before the proposal.',
  },
  cannotCompute: {
    vi: 'Không tính được kết quả: ',
    en: 'The result cannot be computed: ',
  },
} satisfies Record<string, Message>;

const chairOnly = () => new AppError('FORBIDDEN', scoringMessages.notChair);

async function conflictedMemberIds(db: DbOrTx, dossierId: string): Promise<Set<string>> {
  const rows = await db
    .select({ memberId: evaluationConflicts.memberId })
    .from(evaluationConflicts)
    .where(eq(evaluationConflicts.dossierId, dossierId));
  return new Set(rows.map((r) => r.memberId));
}

/** The current (highest revision) sheet of each member for a dossier. */
async function currentSheets(
  db: DbOrTx,
  dossierId: string,
  memberIds?: string[],
): Promise<Map<string, SheetRow>> {
  if (memberIds && !memberIds.length) return new Map();
  const rows = await db
    .selectDistinctOn([evaluationScoreSheets.memberId])
    .from(evaluationScoreSheets)
    .where(
      and(
        eq(evaluationScoreSheets.dossierId, dossierId),
        memberIds ? inArray(evaluationScoreSheets.memberId, memberIds) : undefined,
      ),
    )
    .orderBy(evaluationScoreSheets.memberId, desc(evaluationScoreSheets.revision));
  return new Map(rows.map((r) => [r.memberId, r]));
}

/** Refuses a caller who may not read (or write) their sheet for this dossier, saying why. */
async function requireScorer(
  db: DbOrTx,
  ctx: RequestContext,
  access: DossierAccess,
  need: 'read' | 'write',
): Promise<{ memberId: string; role: CouncilRole; current: SheetRow | null }> {
  const { seat, dossier } = access;
  const conflicted =
    seat !== null &&
    (isSelfEvaluation(ctx.actor!, access.facts) ||
      (await conflictedMemberIds(db, dossier.id)).has(seat.memberId));
  const current = seat
    ? ((await currentSheets(db, dossier.id, [seat.memberId])).get(seat.memberId) ?? null)
    : null;
  const refusal = scoringRefusal(
    {
      membership: seat,
      memberElsewhere: access.memberElsewhere,
      dossierState: dossier.state as DossierState,
      dossierAssigned: dossier.councilId !== null,
      conflicted,
      sheetStatus: (current?.status as SheetStatus | undefined) ?? null,
    },
    need,
  );
  if (refusal)
    throw new AppError(
      refusal === 'locked' || refusal === 'notInCouncil' ? 'CONFLICT' : 'FORBIDDEN',
      scoringRefusalMessages[refusal],
    );
  return { memberId: seat!.memberId, role: seat!.role, current };
}

async function mySheetView(
  db: DbOrTx,
  access: DossierAccess,
  memberId: string,
  role: CouncilRole,
  row: SheetRow | null,
): Promise<MySheetView> {
  const sheet = await frozenSheet(db, access.dossier.sheetId);
  const answers: Answers = row?.answers ?? {};
  const parts = partTotals(answers, sheet.document, { allowMissing: true });
  const total = fromCents(Object.values(parts).reduce((sum, p) => sum + toCents(p), 0));
  return {
    dossierId: access.dossier.id,
    member: { id: memberId, role },
    sheet: { id: sheet.id, code: sheet.code, revision: sheet.revision, document: sheet.document },
    id: row?.id ?? null,
    revision: row?.revision ?? 1,
    status: (row?.status as SheetStatus | undefined) ?? 'draft',
    answers: { ...answers },
    comments: row?.comments ?? {},
    parts,
    total,
    answered: Object.keys(answers).length,
    criteria: leafCriteria(sheet.document).length,
    previousId: row?.previousId ?? null,
    reopenReason: row?.reopenReason ?? null,
    submittedAt: row?.submittedAt ?? null,
  };
}

/** The caller's own sheet for a dossier: the frozen sheet, their answers so far and the running part totals. */
export async function getMySheet({
  ctx,
  input,
}: Ctx & { input: { dossierId: string } }): Promise<MySheetView> {
  const { db } = ctx.database;
  const access = await loadDossierFor(db, ctx.actor!, input.dossierId);
  const { memberId, role, current } = await requireScorer(db, ctx, access, 'read');
  return mySheetView(db, access, memberId, role, current);
}

/** Serialises writes to one member's sheet for one dossier across instances (a double click, two tabs). */
async function lockMemberSheet(tx: Tx, dossierId: string, memberId: string) {
  await tx.execute(
    sql`select pg_advisory_xact_lock(hashtext(${`evaluation-sheet:${dossierId}:${memberId}`}))`,
  );
}

/** Autosave of a member's draft: answers may be partial, but every answer must exist on the sheet. */
export async function saveMySheet({
  ctx,
  input,
}: Ctx & { input: SaveSheetInput & { dossierId: string } }): Promise<MySheetView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  return db.transaction(async (tx) => {
    const access = await loadDossierFor(tx, actor, input.dossierId, { lock: 'share' });
    if (access.seat) await lockMemberSheet(tx, access.dossier.id, access.seat.memberId);
    const { memberId, role, current } = await requireScorer(tx, ctx, access, 'write');
    const sheet = await frozenSheet(tx, access.dossier.sheetId);
    const problems = checkAnswers(input.answers, sheet.document, { allowMissing: true });
    if (problems.length) answerError(new CriteriaRuleError(problems));
    const leaves = new Set(leafCriteria(sheet.document).map((v) => v.criterion.code));
    for (const code of Object.keys(input.comments?.criteria ?? {})) {
      if (!leaves.has(code)) throw fieldError(`comments.criteria.${code}`, scoringMessages.commentUnknown);
    }
    const comments = input.comments ?? current?.comments ?? {};
    const now = new Date();
    let row: SheetRow;
    if (!current) {
      [row] = (await tx
        .insert(evaluationScoreSheets)
        .values({ dossierId: access.dossier.id, memberId, revision: 1, answers: input.answers, comments })
        .returning()) as [SheetRow];
    } else {
      [row] = (await tx
        .update(evaluationScoreSheets)
        .set({ answers: input.answers, comments, updatedAt: now })
        .where(and(eq(evaluationScoreSheets.id, current.id), eq(evaluationScoreSheets.status, 'draft')))
        .returning()) as [SheetRow];
    }
    await recordAudit(tx, ctx, {
      action: 'evaluation.sheet.saved',
      entityType: 'evaluation_score_sheet',
      entityId: row.id,
      before: current ? { answers: current.answers, comments: current.comments } : undefined,
      after: {
        dossierId: row.dossierId,
        memberId,
        revision: row.revision,
        answers: row.answers,
        comments: row.comments,
      },
    });
    return mySheetView(tx, access, memberId, role, row);
  });
}

/** Submits the member's complete sheet; from then on it is locked until the chair reopens it. */
export async function submitMySheet({
  ctx,
  input,
}: Ctx & { input: { dossierId: string } }): Promise<MySheetView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  return db.transaction(async (tx) => {
    const access = await loadDossierFor(tx, actor, input.dossierId, { lock: 'share' });
    if (access.seat) await lockMemberSheet(tx, access.dossier.id, access.seat.memberId);
    const { memberId, role, current } = await requireScorer(tx, ctx, access, 'write');
    if (!current) throw new AppError('CONFLICT', scoringMessages.nothingToSubmit);
    const sheet = await frozenSheet(tx, access.dossier.sheetId);
    const problems = checkAnswers(current.answers, sheet.document);
    if (problems.length) {
      throw new AppError('VALIDATION', scoringMessages.incomplete, problemFields(problems));
    }
    const now = new Date();
    const [row] = (await tx
      .update(evaluationScoreSheets)
      .set({ status: 'submitted', submittedAt: now, updatedAt: now })
      .where(and(eq(evaluationScoreSheets.id, current.id), eq(evaluationScoreSheets.status, 'draft')))
      .returning()) as [SheetRow];
    await recordAudit(tx, ctx, {
      action: 'evaluation.sheet.submitted',
      entityType: 'evaluation_score_sheet',
      entityId: row.id,
      after: {
        dossierId: row.dossierId,
        memberId,
        revision: row.revision,
        total: totalOfSheet(row.answers, sheet.document).total,
      },
    });
    return mySheetView(tx, access, memberId, role, row);
  });
}

/** The scoring members of the dossier's council and where each stands; contents only once scoring is closed. */
export async function listDossierSheets({ ctx, input }: Ctx & { input: { dossierId: string } }) {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const access = await loadDossierFor(db, actor, input.dossierId);
  if (!canFollowScoring(actor, access.facts, access.seat))
    throw new AppError('FORBIDDEN', scoringMessages.notFollowing);
  const closed = canReadAllSheets(actor, access.facts, access.seat);
  const { dossier } = access;
  if (!dossier.councilId) return { closed, members: [] };
  const seats = (
    await db
      .select()
      .from(evaluationCouncilMembers)
      .where(eq(evaluationCouncilMembers.councilId, dossier.councilId))
      .orderBy(asc(evaluationCouncilMembers.addedAt), asc(evaluationCouncilMembers.id))
  ).filter((s) => isScoringRole(s.role as CouncilRole));
  const [sheets, conflicted, sheet] = await Promise.all([
    currentSheets(db, dossier.id),
    conflictedMemberIds(db, dossier.id),
    frozenSheet(db, dossier.sheetId),
  ]);
  const people = await Promise.all(
    seats.map((s) => getUser({ ctx, input: { id: s.userId }, skipPolicy: true })),
  );
  return {
    closed,
    members: seats.map((seat, i) => {
      const row = sheets.get(seat.id);
      const submitted = row?.status === 'submitted';
      return {
        memberId: seat.id,
        userId: seat.userId,
        fullName: people[i]!.fullName,
        role: seat.role as CouncilRole,
        conflicted: conflicted.has(seat.id),
        status: (row?.status as SheetStatus | undefined) ?? ('none' as const),
        revision: row?.revision ?? null,
        submittedAt: row?.submittedAt ?? null,
        answers: closed && row ? { ...row.answers } : null,
        comments: closed && row ? row.comments : null,
        total: closed && submitted ? totalOfSheet(row.answers, sheet.document).total : null,
      };
    }),
  };
}

// ---------------------------------------------------------------- closing, reopening, results

export async function publishedAtOf(db: DbOrTx, resultIds: string[]): Promise<Map<string, Date>> {
  if (!resultIds.length) return new Map();
  const rows = await db
    .select()
    .from(evaluationResultPublications)
    .where(inArray(evaluationResultPublications.resultId, resultIds));
  return new Map(rows.map((r) => [r.resultId, r.publishedAt]));
}

export function toResultView(row: ResultRow, publishedAt: Date | null, withMembers: boolean): ResultView {
  const out = row.engineOutput;
  return {
    id: row.id,
    dossierId: row.dossierId,
    sequence: row.sequence,
    supersedesId: row.supersedesId,
    valid: row.valid,
    outcome: row.outcome,
    sheetCount: row.sheetCount,
    minimumSheets: out.minimumSheets,
    exactMean: out.exactMean,
    score: out.score,
    scoreStar: out.scoreStar,
    requirementCap: out.requirementCap,
    finalStar: out.finalStar,
    disqualifiers: out.disqualifiers,
    partMeans: out.partMeans,
    requirements: out.requirements.map((r) => ({
      criterionCode: r.criterionCode,
      star: r.star,
      minPoints: r.minPoints,
      met: r.met,
      metCount: r.metCount,
      sheetCount: r.sheetCount,
    })),
    spread: out.spread,
    members: withMembers ? out.members : [],
    levelDecision: row.levelDecision as ResultView['levelDecision'],
    computedAt: row.computedAt,
    publishedAt,
  };
}

/**
 * The criteria engine's result for one dossier; an unknown disqualifier is the caller's bad input
 * (400 on its path), anything else the engine refuses (a parameter left unset) is a conflict.
 */
function computeOutput(input: Parameters<typeof evaluateDossier>[0], label?: string): EvaluationResult {
  try {
    return evaluateDossier(input);
  } catch (error) {
    if (!(error instanceof CriteriaRuleError)) throw error;
    const byDisqualifier = error.problems.filter((p) => p.code === 'disqualifier.unknown');
    if (byDisqualifier.length) {
      throw new AppError('VALIDATION', byDisqualifier[0]!, problemFields(byDisqualifier));
    }
    const first = error.problems[0]!;
    const prefix = label ? `${label}: ` : '';
    throw new AppError('CONFLICT', {
      vi: prefix + scoringMessages.cannotCompute.vi + first.vi,
      en: prefix + scoringMessages.cannotCompute.en + first.en,
    });
  }
}

/**
 * The chair closes scoring: the result is computed by the criteria engine from the current
 * submitted sheets of the council's scoring members who declared no conflict (drafts do not
 * count), stored as a new record with the engine's whole output, and the dossier becomes scored.
 */
export async function closeScoring({
  ctx,
  input,
}: Ctx & { input: { dossierId: string; disqualifiers: string[] } }): Promise<ResultView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  return db.transaction(async (tx) => {
    const access = await loadDossierFor(tx, actor, input.dossierId, { lock: 'update' });
    if (!access.capacities.includes('council_chair')) throw chairOnly();
    const { dossier, cycle } = access;
    // The move first: a dossier not with the council is refused before anything is computed.
    await moveDossier(tx, ctx, access, 'close_scoring');
    await requireFieldVisit(tx, access);
    const seats = (
      await tx
        .select()
        .from(evaluationCouncilMembers)
        .where(eq(evaluationCouncilMembers.councilId, dossier.councilId!))
    ).filter((s) => isScoringRole(s.role as CouncilRole));
    const conflicted = await conflictedMemberIds(tx, dossier.id);
    const eligible = seats.filter((s) => !conflicted.has(s.id)).map((s) => s.id);
    const sheets = [...(await currentSheets(tx, dossier.id, eligible)).values()]
      .filter((s) => s.status === 'submitted')
      .sort((a, b) => a.memberId.localeCompare(b.memberId));
    const [ruleSet, sheet] = await Promise.all([
      frozenRuleSet(tx, cycle.ruleSetId),
      frozenSheet(tx, dossier.sheetId),
    ]);
    const output = computeOutput({
      ruleSet,
      sheet: sheet.document,
      memberSheets: sheets.map((s) => ({ memberId: s.memberId, answers: s.answers })),
      disqualifiers: input.disqualifiers,
    });
    const decision = levelDecision(ruleSet, ruleSetLevelOf(cycle.level as CycleLevel), output);
    const previous = await currentResultOf(tx, dossier.id);
    const [row] = (await tx
      .insert(evaluationResults)
      .values({
        dossierId: dossier.id,
        cycleId: cycle.id,
        sequence: (previous?.sequence ?? 0) + 1,
        supersedesId: previous?.id ?? null,
        valid: output.valid,
        outcome: output.outcome,
        sheetCount: output.sheetCount,
        score: output.score,
        scoreStar: output.scoreStar,
        finalStar: output.finalStar,
        outlierMemberIds: output.members.filter((m) => m.outlier).map((m) => m.memberId),
        disqualifiers: output.disqualifiers,
        engineOutput: output,
        levelDecision: decision,
        sheetIds: sheets.map((s) => s.id),
        computedBy: actor.userId,
      })
      .returning()) as [ResultRow];
    await recordAudit(tx, ctx, {
      action: 'evaluation.result.computed',
      entityType: 'evaluation_result',
      entityId: row.id,
      after: {
        dossierId: dossier.id,
        sequence: row.sequence,
        supersedesId: row.supersedesId,
        outcome: row.outcome,
        score: row.score,
        finalStar: row.finalStar,
        sheetIds: row.sheetIds,
        levelDecision: decision,
      },
    });
    return toResultView(row, null, true);
  });
}

/**
 * The chair reopens one member's submitted sheet, with a reason: a new draft revision copying the
 * answers, pointing at the submitted one, which stays as it was. A scored dossier goes back to the
 * council; its result stays on record and the next closing supersedes it.
 */
export async function reopenSheet({
  ctx,
  input,
}: Ctx & { input: { dossierId: string; memberId: string; reason: string } }): Promise<{ ok: true }> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  return db.transaction(async (tx) => {
    const access = await loadDossierFor(tx, actor, input.dossierId, { lock: 'update' });
    if (!access.capacities.includes('council_chair')) throw chairOnly();
    const state = access.dossier.state as DossierState;
    if (state !== 'in_council' && state !== 'scored')
      throw new AppError('CONFLICT', scoringMessages.reopenClosed);
    const [seat] = await tx
      .select()
      .from(evaluationCouncilMembers)
      .where(
        and(
          eq(evaluationCouncilMembers.id, input.memberId),
          eq(evaluationCouncilMembers.councilId, access.dossier.councilId!),
        ),
      )
      .limit(1);
    if (!seat || !isScoringRole(seat.role as CouncilRole))
      throw fieldError('memberId', scoringMessages.memberUnknown);
    await lockMemberSheet(tx, access.dossier.id, seat.id);
    const current = (await currentSheets(tx, access.dossier.id, [seat.id])).get(seat.id);
    if (current?.status !== 'submitted')
      throw fieldError('memberId', scoringMessages.notSubmitted, 'CONFLICT');
    const [row] = (await tx
      .insert(evaluationScoreSheets)
      .values({
        dossierId: access.dossier.id,
        memberId: seat.id,
        revision: current.revision + 1,
        previousId: current.id,
        answers: current.answers,
        comments: current.comments,
        reopenReason: input.reason,
        reopenedBy: actor.userId,
      })
      .returning()) as [SheetRow];
    await recordAudit(tx, ctx, {
      action: 'evaluation.sheet.reopened',
      entityType: 'evaluation_score_sheet',
      entityId: row.id,
      before: { sheetId: current.id, revision: current.revision, status: 'submitted' },
      after: { sheetId: row.id, revision: row.revision, status: 'draft', reason: input.reason },
    });
    if (state === 'scored') await moveDossier(tx, ctx, access, 'reopen_scoring', { reason: input.reason });
    return { ok: true as const };
  });
}

/** The chair takes a scored dossier back to the council (e.g. too few sheets), with a reason. */
export async function reopenScoring({
  ctx,
  input,
}: Ctx & { input: { dossierId: string; reason: string } }): Promise<{ ok: true }> {
  const actor = ctx.actor!;
  await ctx.database.db.transaction(async (tx) => {
    const access = await loadDossierFor(tx, actor, input.dossierId, { lock: 'update' });
    await moveDossier(tx, ctx, access, 'reopen_scoring', { reason: input.reason });
  });
  return { ok: true as const };
}

/** The current (highest revision) submitted sheets of many dossiers, by dossier, in one query. */
async function submittedSheetsOf(db: DbOrTx, dossierIds: string[]): Promise<Map<string, SheetRow[]>> {
  const rows = await db
    .selectDistinctOn([evaluationScoreSheets.dossierId, evaluationScoreSheets.memberId])
    .from(evaluationScoreSheets)
    .where(inArray(evaluationScoreSheets.dossierId, dossierIds))
    .orderBy(
      evaluationScoreSheets.dossierId,
      evaluationScoreSheets.memberId,
      desc(evaluationScoreSheets.revision),
    );
  const byDossier = new Map<string, SheetRow[]>();
  for (const row of rows) {
    if (row.status !== 'submitted') continue;
    const list = byDossier.get(row.dossierId) ?? [];
    list.push(row);
    byDossier.set(row.dossierId, list);
  }
  return byDossier;
}

/**
 * The chair closes scoring for every dossier of the council still being scored, at the end of the
 * council's meeting: each result exactly as `closeScoring` computes it (the same engine, the same
 * sheets, the same records and audit entries), but read and written in a fixed number of queries
 * for the whole council rather than ten per dossier — a province council scores hundreds of
 * dossiers in a round. Dossiers with disqualifiers are closed one by one first. All or nothing.
 */
export async function closeCouncilScoring({
  ctx,
  input,
}: Ctx & { input: { councilId: string } }): Promise<CouncilClosingView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  return db.transaction(async (tx) => {
    const [council] = await tx
      .select()
      .from(evaluationCouncils)
      .where(eq(evaluationCouncils.id, input.councilId))
      .limit(1);
    if (!council) throw notFound(messages.councilNotFound);
    const cycle = await findCycle(tx, council.cycleId);
    const seats = await tx
      .select()
      .from(evaluationCouncilMembers)
      .where(eq(evaluationCouncilMembers.councilId, council.id));
    const mine = seats.find((s) => s.userId === actor.userId);
    if (!mine && !canManageCycle(actor, cycle.provinceCode)) throw notFound(messages.councilNotFound);
    if (mine?.role !== 'chair') throw chairOnly();
    // Locks taken in id order, as createDecision does, so concurrent closings cannot deadlock.
    const dossiers = await tx
      .select({
        id: evaluationDossiers.id,
        state: evaluationDossiers.state,
        councilId: evaluationDossiers.councilId,
        subjectId: evaluationDossiers.subjectId,
        communeCode: evaluationDossiers.communeCode,
        sheetId: evaluationDossiers.sheetId,
        productName: evaluationDossiers.productName,
        productSetCode: evaluationDossiers.productSetCode,
      })
      .from(evaluationDossiers)
      .where(and(eq(evaluationDossiers.councilId, council.id), eq(evaluationDossiers.state, 'in_council')))
      .orderBy(asc(evaluationDossiers.id))
      .for('update');
    if (!dossiers.length) return { closed: 0, items: [] };
    const ids = dossiers.map((d) => d.id);
    const scoring = new Set(seats.filter((s) => isScoringRole(s.role as CouncilRole)).map((s) => s.id));
    const [conflicts, sheetsByDossier, previous, ruleSet, reviews] = await Promise.all([
      tx
        .select({ dossierId: evaluationConflicts.dossierId, memberId: evaluationConflicts.memberId })
        .from(evaluationConflicts)
        .where(inArray(evaluationConflicts.dossierId, ids)),
      submittedSheetsOf(tx, ids),
      currentResults(tx, ids),
      frozenRuleSet(tx, cycle.ruleSetId),
      advisoryReviewsOf(tx, ids),
    ]);
    // All or nothing: a dossier still waiting for its field visit keeps the council from closing.
    const unvisited = dossiers.filter((d) => closingNeedsFieldVisit(ruleSet, d, reviews.get(d.id) ?? null));
    if (unvisited.length) {
      const names = unvisited.map((d) => d.productName).join(', ');
      const message = {
        vi: `${advisoryMessages.fieldVisitMissing.vi} (${names})`,
        en: `${advisoryMessages.fieldVisitMissing.en} (${names})`,
      };
      throw new AppError(
        'CONFLICT',
        message,
        Object.fromEntries(unvisited.map((d) => [`dossiers.${d.id}`, advisoryMessages.fieldVisitMissing])),
      );
    }
    const conflicted = new Set(conflicts.map((c) => `${c.dossierId}:${c.memberId}`));
    const frozen = new Map<string, FrozenSheet>();
    for (const sheetId of new Set(dossiers.map((d) => d.sheetId))) {
      frozen.set(sheetId, await frozenSheet(tx, sheetId));
    }
    const level = ruleSetLevelOf(cycle.level as CycleLevel);
    const computed = dossiers.map((dossier) => {
      const sheets = (sheetsByDossier.get(dossier.id) ?? [])
        .filter((s) => scoring.has(s.memberId) && !conflicted.has(`${dossier.id}:${s.memberId}`))
        .sort((a, b) => a.memberId.localeCompare(b.memberId));
      const output = computeOutput(
        {
          ruleSet,
          sheet: frozen.get(dossier.sheetId)!.document,
          memberSheets: sheets.map((s) => ({ memberId: s.memberId, answers: s.answers })),
        },
        dossier.productName,
      );
      return { dossier, sheets, output, decision: levelDecision(ruleSet, level, output) };
    });
    await moveDossiers(
      tx,
      ctx,
      dossiers.map((dossier) => ({
        dossier,
        cycle,
        capacities: capacitiesOf(
          actor,
          {
            subjectId: dossier.subjectId,
            communeCode: dossier.communeCode,
            cycleProvinceCode: cycle.provinceCode,
            state: dossier.state as DossierState,
          },
          { role: 'chair' },
        ),
      })),
      'close_scoring',
    );
    const values = computed.map(({ dossier, sheets, output, decision }) => {
      const before = previous.get(dossier.id);
      return {
        dossierId: dossier.id,
        cycleId: cycle.id,
        sequence: (before?.sequence ?? 0) + 1,
        supersedesId: before?.id ?? null,
        valid: output.valid,
        outcome: output.outcome,
        sheetCount: output.sheetCount,
        score: output.score,
        scoreStar: output.scoreStar,
        finalStar: output.finalStar,
        outlierMemberIds: output.members.filter((m) => m.outlier).map((m) => m.memberId),
        disqualifiers: output.disqualifiers,
        engineOutput: output,
        levelDecision: decision,
        sheetIds: sheets.map((s) => s.id),
        computedBy: actor.userId,
      };
    });
    // Only the ids come back: reading the engine's output back would parse it a second time.
    const inserted = await tx
      .insert(evaluationResults)
      .values(values)
      .returning({ id: evaluationResults.id, dossierId: evaluationResults.dossierId });
    const idOf = new Map(inserted.map((r) => [r.dossierId, r.id]));
    const rows = values.map((v) => ({ ...v, id: idOf.get(v.dossierId)! }));
    await recordAudits(
      tx,
      ctx,
      rows.map((row) => ({
        action: 'evaluation.result.computed',
        entityType: 'evaluation_result',
        entityId: row.id,
        after: {
          dossierId: row.dossierId,
          sequence: row.sequence,
          supersedesId: row.supersedesId,
          outcome: row.outcome,
          score: row.score,
          finalStar: row.finalStar,
          sheetIds: row.sheetIds,
          levelDecision: row.levelDecision,
          councilId: council.id,
        },
      })),
    );
    return {
      closed: rows.length,
      items: rows.map((row, i) => ({
        dossierId: row.dossierId,
        productName: computed[i]!.dossier.productName,
        resultId: row.id,
        valid: row.valid,
        outcome: row.outcome,
        sheetCount: row.sheetCount,
        score: row.score,
        finalStar: row.finalStar,
        outlierCount: row.outlierMemberIds.length,
      })),
    };
  });
}
