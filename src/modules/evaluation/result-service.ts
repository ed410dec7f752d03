import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, type Message, notFound } from '../../server/errors';
import { localDate } from '../../shared/dates';
import { recordAudit } from '../audit';
import type { Star } from '../criteria';
import {
  type CycleRow,
  currentResultOf,
  currentResults,
  findCycle,
  loadCycleFor,
  loadDossierFor,
  moveDossier,
  type ResultRow,
  requireManager,
} from './access';
import type { CreateDecisionInput, DecisionView, ResultView } from './contract';
import { canManageCycle, canReadResult } from './policy';
import { type DossierState, isScoringClosed, recognitionRefusal, SCORING_CLOSED_STATES } from './rules';
import {
  evaluationDossiers,
  evaluationResultPublications,
  recognitionDecisionItems,
  recognitionDecisions,
} from './schema';
import { publishedAtOf, toResultView } from './scoring-service';

/**
 * What comes out of a cycle: each dossier's current result (for the council and the province as
 * soon as scoring closes, for the producer once published), the cycle's results table, the list
 * forwarded to the next level by the rule-set's threshold, publication, and the recognition
 * decision that marks dossiers recognised.
 */

type Ctx = { ctx: RequestContext };

const resultMessages = {
  decisionInFuture: {
    vi: 'Ngày quyết định không được sau hôm nay.',
    en: 'The decision date cannot be after today.',
  },
  noResult: { vi: 'Hồ sơ chưa có kết quả chấm.', en: 'The dossier has no result yet.' },
  notPublished: {
    vi: 'Kết quả chấm của hồ sơ chưa được công bố.',
    en: "The dossier's result is not published yet.",
  },
  decisionNotFound: { vi: 'Không tìm thấy quyết định công nhận.', en: 'Recognition decision not found.' },
  numberTaken: {
    vi: 'Số quyết định này đã được dùng.',
    en: 'This decision number is already used.',
  },
  duplicateItem: {
    vi: 'Hồ sơ có mặt hai lần trong quyết định.',
    en: 'The dossier is listed twice in the decision.',
  },
  otherCycle: { vi: 'Hồ sơ không thuộc kỳ đánh giá này.', en: 'The dossier is not in this cycle.' },
} satisfies Record<string, Message>;

const refusalMessages = {
  notProposed: {
    vi: 'Hồ sơ chưa được đề nghị công nhận (hoặc đã có quyết định).',
    en: 'The dossier is not proposed for recognition (or already decided).',
  },
  noResult: resultMessages.noResult,
  starMismatch: {
    vi: 'Hạng sao khác với kết quả chấm của hội đồng.',
    en: "The star differs from the council's result.",
  },
  notCertifiedHere: {
    vi: 'Cấp này không công nhận hạng sao đó theo bộ tiêu chí của kỳ (sản phẩm 5 sao do cấp trung ương công nhận).',
    en: "This level does not certify that star under the cycle's rule-set (5★ products are certified centrally).",
  },
} satisfies Record<string, Message>;

/** The dossier's current result, if the caller may see it; members' totals only for the council and the province. */
export async function getDossierResult({
  ctx,
  input,
}: Ctx & { input: { dossierId: string } }): Promise<ResultView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const access = await loadDossierFor(db, actor, input.dossierId);
  const result = await currentResultOf(db, input.dossierId);
  const publishedAt = result ? ((await publishedAtOf(db, [result.id])).get(result.id) ?? null) : null;
  const council = access.seat !== null || canManageCycle(actor, access.cycle.provinceCode);
  if (!canReadResult(actor, access.facts, access.seat, publishedAt !== null)) {
    // The producer learns only that nothing is published yet, not whether a result exists.
    throw notFound(access.capacities.length ? resultMessages.notPublished : resultMessages.noResult);
  }
  if (!result) throw notFound(resultMessages.noResult);
  return toResultView(result, publishedAt, council);
}

/** The cycle's dossiers with a result, for the province (all) and for council members (their council's). */
async function resultRows(db: DbOrTx, ctx: RequestContext, cycleId: string) {
  const actor = ctx.actor!;
  const { cycle, seats, manages } = await loadCycleFor(db, actor, cycleId);
  if (!manages && !seats.length) requireManager({ manages });
  const dossiers = await db
    .select()
    .from(evaluationDossiers)
    .where(
      and(
        eq(evaluationDossiers.cycleId, cycleId),
        manages
          ? undefined
          : inArray(
              evaluationDossiers.councilId,
              seats.map((s) => s.councilId),
            ),
      ),
    )
    .orderBy(asc(evaluationDossiers.createdAt), asc(evaluationDossiers.id));
  const closed = dossiers.filter((d) => isScoringClosed(d.state as DossierState));
  const results = await currentResults(
    db,
    closed.map((d) => d.id),
  );
  const published = await publishedAtOf(
    db,
    [...results.values()].map((r) => r.id),
  );
  return { cycle, closed, results, published };
}

/**
 * The cycle's results table in one query for the whole cycle (a province round holds hundreds of
 * dossiers): each scored dossier with its current result and publication, without the engine's
 * full output, which the table does not show.
 */
export async function listCycleResults({ ctx, input }: Ctx & { input: { cycleId: string } }) {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const { seats, manages } = await loadCycleFor(db, actor, input.cycleId);
  if (!manages && !seats.length) requireManager({ manages });
  const councilIds = seats.map((s) => s.councilId);
  const rows = await queryRows<{
    dossier_id: string;
    product_name: string;
    subject_id: string;
    commune_code: string;
    evaluation_type: string;
    state: string;
    result_id: string;
    valid: boolean;
    outcome: string;
    sheet_count: number;
    score: string | null;
    final_star: number | null;
    outlier_count: number;
    level_decision: ResultView['levelDecision'];
    published_at: string | Date | null;
  }>(
    db,
    sql`select d.id as dossier_id, d.product_name, d.subject_id, d.commune_code, d.evaluation_type, d.state,
          r.id as result_id, r.valid, r.outcome, r.sheet_count, r.score, r.final_star,
          jsonb_array_length(r.outlier_member_ids) as outlier_count, r.level_decision, p.published_at
        from evaluation_dossiers d
        join lateral (
          select * from evaluation_results r where r.dossier_id = d.id order by r.sequence desc limit 1
        ) r on true
        left join evaluation_result_publications p on p.result_id = r.id
        where d.cycle_id = ${input.cycleId}
          and d.state in (${sql.join(
            SCORING_CLOSED_STATES.map((state) => sql`${state}`),
            sql`, `,
          )})
          ${
            manages
              ? sql``
              : sql`and d.council_id in (${sql.join(
                  councilIds.map((id) => sql`${id}`),
                  sql`, `,
                )})`
          }
        order by d.created_at, d.id`,
  );
  const items = rows.map((r) => ({
    dossierId: r.dossier_id,
    productName: r.product_name,
    subjectId: r.subject_id,
    communeCode: r.commune_code,
    evaluationType: r.evaluation_type as 'new',
    state: r.state as DossierState,
    resultId: r.result_id,
    valid: r.valid,
    outcome: r.outcome,
    sheetCount: Number(r.sheet_count),
    score: r.score === null ? null : Number(r.score),
    finalStar: (r.final_star as 1 | null) ?? null,
    outlierCount: Number(r.outlier_count),
    levelDecision: r.level_decision,
    publishedAt: r.published_at === null ? null : new Date(r.published_at),
  }));
  return { items };
}

/** Dossiers whose result goes to the next level (levelDecision: the score reaches the threshold and a higher level certifies the star). */
export async function listForwarded({ ctx, input }: Ctx & { input: { cycleId: string } }) {
  const { items } = await listCycleResults({ ctx, input });
  return { items: items.filter((i) => i.levelDecision.forwardsTo !== null && i.state !== 'withdrawn') };
}

/** Publishes the current results of the cycle's scored dossiers: producers and communes can then read them. */
export async function publishResults({ ctx, input }: Ctx & { input: { cycleId: string } }) {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const access = await loadCycleFor(db, actor, input.cycleId);
  requireManager(access);
  return db.transaction(async (tx) => {
    const { results, published } = await resultRows(tx, ctx, input.cycleId);
    const fresh = [...results.values()].filter((r) => !published.has(r.id));
    if (fresh.length) {
      await tx
        .insert(evaluationResultPublications)
        .values(fresh.map((r) => ({ resultId: r.id, publishedBy: actor.userId })))
        .onConflictDoNothing();
      await recordAudit(tx, ctx, {
        action: 'evaluation.results.published',
        entityType: 'evaluation_cycle',
        entityId: input.cycleId,
        after: { resultIds: fresh.map((r) => r.id) },
      });
    }
    return { published: fresh.length };
  });
}

// ---------------------------------------------------------------- recognition decisions

async function decisionViews(
  db: DbOrTx,
  rows: (typeof recognitionDecisions.$inferSelect)[],
): Promise<DecisionView[]> {
  if (!rows.length) return [];
  const items = await db
    .select({
      decisionId: recognitionDecisionItems.decisionId,
      dossierId: recognitionDecisionItems.dossierId,
      productId: recognitionDecisionItems.productId,
      resultId: recognitionDecisionItems.resultId,
      star: recognitionDecisionItems.star,
      productName: evaluationDossiers.productName,
    })
    .from(recognitionDecisionItems)
    .innerJoin(evaluationDossiers, eq(evaluationDossiers.id, recognitionDecisionItems.dossierId))
    .where(
      inArray(
        recognitionDecisionItems.decisionId,
        rows.map((r) => r.id),
      ),
    )
    .orderBy(asc(evaluationDossiers.productName));
  return rows.map((row) => ({
    id: row.id,
    cycleId: row.cycleId,
    issuerCode: row.issuerCode,
    number: row.number,
    decisionDate: row.decisionDate,
    signerName: row.signerName,
    signerTitle: row.signerTitle,
    createdAt: row.createdAt,
    items: items
      .filter((i) => i.decisionId === row.id)
      .map((i) => ({
        dossierId: i.dossierId,
        productId: i.productId,
        productName: i.productName,
        resultId: i.resultId,
        star: i.star,
      })),
  }));
}

const issuerOf = (cycle: CycleRow) => cycle.provinceCode ?? 'central';

/**
 * Records a recognition decision ("quyết định công nhận"): each listed dossier must be proposed,
 * with its result's final star, which this level certifies; the dossiers become recognised and
 * their results published, in one transaction. The decision is the input of certificates.
 */
export async function createDecision({
  ctx,
  input,
}: Ctx & { input: CreateDecisionInput & { cycleId: string } }): Promise<DecisionView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const access = await loadCycleFor(db, actor, input.cycleId);
  requireManager(access);
  // A decision is recorded once signed: its certificates are valid from its date, which cannot lie ahead.
  if (input.decisionDate > localDate(new Date(), ctx.config.timeZone)) {
    throw fieldError('decisionDate', resultMessages.decisionInFuture);
  }
  const seen = new Set<string>();
  for (const [index, item] of input.items.entries()) {
    if (seen.has(item.dossierId)) throw fieldError(`items.${index}.dossierId`, resultMessages.duplicateItem);
    seen.add(item.dossierId);
  }
  try {
    const row = await db.transaction(async (tx) => {
      const fields: Record<string, Message> = {};
      // Locks taken in id order, so two decisions over overlapping dossiers cannot deadlock.
      const ordered = [...input.items.entries()].sort((a, b) => a[1].dossierId.localeCompare(b[1].dossierId));
      const moves: {
        dossierAccess: Awaited<ReturnType<typeof loadDossierFor>>;
        result: ResultRow;
        star: number;
      }[] = [];
      for (const [index, item] of ordered) {
        const dossierAccess = await loadDossierFor(tx, actor, item.dossierId, { lock: 'update' }).catch(
          (error: unknown) => {
            if (error instanceof AppError && error.code === 'NOT_FOUND') return null;
            throw error;
          },
        );
        if (!dossierAccess || dossierAccess.cycle.id !== input.cycleId) {
          fields[`items.${index}.dossierId`] = resultMessages.otherCycle;
          continue;
        }
        const result = await currentResultOf(tx, item.dossierId);
        const refusal = recognitionRefusal(
          { state: dossierAccess.dossier.state as DossierState },
          result ? { finalStar: result.finalStar as Star | null, decision: result.levelDecision } : null,
          item.star,
        );
        if (refusal) {
          fields[
            `items.${index}.${refusal === 'starMismatch' || refusal === 'notCertifiedHere' ? 'star' : 'dossierId'}`
          ] = refusalMessages[refusal];
          continue;
        }
        moves.push({ dossierAccess, result: result!, star: item.star });
      }
      const problems = Object.entries(fields);
      if (problems.length) throw new AppError('VALIDATION', problems[0]![1], fields);
      const cycle = await findCycle(tx, input.cycleId);
      const [decision] = await tx
        .insert(recognitionDecisions)
        .values({
          cycleId: cycle.id,
          issuerCode: issuerOf(cycle),
          number: input.number,
          decisionDate: input.decisionDate,
          signerName: input.signerName,
          signerTitle: input.signerTitle,
          createdBy: actor.userId,
        })
        .returning();
      await tx.insert(recognitionDecisionItems).values(
        moves.map((m) => ({
          decisionId: decision!.id,
          dossierId: m.dossierAccess.dossier.id,
          resultId: m.result.id,
          productId: m.dossierAccess.dossier.productId,
          star: m.star,
        })),
      );
      await tx
        .insert(evaluationResultPublications)
        .values(moves.map((m) => ({ resultId: m.result.id, publishedBy: actor.userId })))
        .onConflictDoNothing();
      for (const m of moves) await moveDossier(tx, ctx, m.dossierAccess, 'recognise');
      await recordAudit(tx, ctx, {
        action: 'evaluation.decision.created',
        entityType: 'evaluation_decision',
        entityId: decision!.id,
        after: {
          ...decision,
          items: moves.map((m) => ({
            dossierId: m.dossierAccess.dossier.id,
            resultId: m.result.id,
            star: m.star,
          })),
        },
      });
      return decision!;
    });
    const [view] = await decisionViews(db, [row]);
    return view!;
  } catch (error) {
    if (uniqueViolation(error) !== null) throw fieldError('number', resultMessages.numberTaken, 'CONFLICT');
    throw error;
  }
}

export async function listDecisions({ ctx, input }: Ctx & { input: { cycleId: string } }) {
  const { db } = ctx.database;
  await loadCycleFor(db, ctx.actor!, input.cycleId);
  const rows = await db
    .select()
    .from(recognitionDecisions)
    .where(eq(recognitionDecisions.cycleId, input.cycleId))
    .orderBy(asc(recognitionDecisions.decisionDate), asc(recognitionDecisions.createdAt));
  return { items: await decisionViews(db, rows) };
}

export async function getDecision({ ctx, input }: Ctx & { input: { id: string } }): Promise<DecisionView> {
  const { db } = ctx.database;
  const [row] = await db
    .select()
    .from(recognitionDecisions)
    .where(eq(recognitionDecisions.id, input.id))
    .limit(1);
  if (!row) throw notFound(resultMessages.decisionNotFound);
  await loadCycleFor(db, ctx.actor!, row.cycleId).catch(() => {
    throw notFound(resultMessages.decisionNotFound);
  });
  const [view] = await decisionViews(db, [row]);
  return view!;
}
