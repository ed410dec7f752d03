import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import type { Actor, RequestContext } from '../../server/context';
import { AppError, fieldError, type Message, notFound } from '../../server/errors';
import { recordAudit, recordAudits } from '../audit';
import type { RuleSet, Sheet } from '../criteria';
import { CriteriaRuleError, getRuleSetsByIds, getSheetsByIds, type Problem } from '../criteria';
import { getSubjectLocation } from '../subjects';
import { canManageCycle, canReadDossier, capacitiesOf, type DossierFacts } from './policy';
import {
  type Capacity,
  type CouncilRole,
  checkTransition,
  type DossierAction,
  type DossierState,
} from './rules';
import {
  evaluationCouncilMembers,
  evaluationCouncils,
  evaluationCycles,
  evaluationDossiers,
  evaluationDossierTransitions,
  evaluationResults,
} from './schema';

/**
 * Loading evaluation records together with what their access rules need, shared by the use cases:
 * the caller's seats on the cycle's councils, the dossier's facts and the capacities the caller
 * holds on it; and the one way a dossier changes state (`moveDossier`).
 */

export type CycleRow = typeof evaluationCycles.$inferSelect;
export type DossierRow = typeof evaluationDossiers.$inferSelect;
export type ResultRow = typeof evaluationResults.$inferSelect;
export type SeatRow = { memberId: string; councilId: string; role: CouncilRole };

export const messages = {
  cycleNotFound: { vi: 'Không tìm thấy kỳ đánh giá.', en: 'Evaluation cycle not found.' },
  dossierNotFound: { vi: 'Không tìm thấy hồ sơ.', en: 'Dossier not found.' },
  councilNotFound: { vi: 'Không tìm thấy hội đồng.', en: 'Council not found.' },
  stale: {
    vi: 'Hồ sơ đã được người khác thay đổi; vui lòng tải lại.',
    en: 'Someone else changed this dossier; reload it.',
  },
} satisfies Record<string, Message>;

// ---------------------------------------------------------------- frozen documents

/**
 * Active and retired rule-sets and sheets never change (only drafts do, and a cycle freezes an
 * active one), so they are kept in memory by id: the same object each time also lets the engine
 * reuse its per-sheet indexes and validation.
 */
const ruleSetCache = new Map<string, RuleSet>();
const sheetCache = new Map<string, FrozenSheet>();
const CACHE_LIMIT = 200;

export type FrozenSheet = { id: string; code: string; revision: number; document: Sheet };

function remember<T>(cache: Map<string, T>, key: string, value: T): T {
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value!);
  cache.set(key, value);
  return value;
}

export async function frozenRuleSet(db: DbOrTx, id: string): Promise<RuleSet> {
  const cached = ruleSetCache.get(id);
  if (cached) return cached;
  const [stored] = await getRuleSetsByIds(db, [id]);
  if (!stored) throw new Error(`Frozen rule-set ${id} is missing`);
  return remember(ruleSetCache, id, stored.document);
}

export async function frozenSheet(db: DbOrTx, id: string): Promise<FrozenSheet> {
  const cached = sheetCache.get(id);
  if (cached) return cached;
  const [stored] = await getSheetsByIds(db, [id]);
  if (!stored) throw new Error(`Frozen sheet ${id} is missing`);
  return remember(sheetCache, id, {
    id,
    code: stored.document.code,
    revision: stored.revision,
    document: stored.document,
  });
}

// ---------------------------------------------------------------- cycles

export async function findCycle(db: DbOrTx, id: string): Promise<CycleRow> {
  const [row] = await db.select().from(evaluationCycles).where(eq(evaluationCycles.id, id)).limit(1);
  if (!row) throw notFound(messages.cycleNotFound);
  return row;
}

/** The caller's seats on the councils of a cycle. */
export async function seatsInCycle(db: DbOrTx, userId: string, cycleId: string): Promise<SeatRow[]> {
  const rows = await db
    .select({
      memberId: evaluationCouncilMembers.id,
      councilId: evaluationCouncilMembers.councilId,
      role: evaluationCouncilMembers.role,
    })
    .from(evaluationCouncilMembers)
    .innerJoin(evaluationCouncils, eq(evaluationCouncils.id, evaluationCouncilMembers.councilId))
    .where(and(eq(evaluationCouncilMembers.userId, userId), eq(evaluationCouncils.cycleId, cycleId)));
  return rows.map((r) => ({ ...r, role: r.role as CouncilRole }));
}

/** Provinces of the subjects a producer represents: where they may apply. */
export async function subjectProvinces(db: DbOrTx, actor: Actor): Promise<string[]> {
  const locations = await Promise.all(actor.subjectIds.map((id) => getSubjectLocation(db, id)));
  return locations.filter((l) => l !== null).map((l) => l.provinceCode);
}

/**
 * A cycle the caller may see: officers of its province (and administrators), producers whose
 * subjects are in it, anyone seated on one of its councils. Others get 404, as for a missing one.
 */
export async function loadCycleFor(
  db: DbOrTx,
  actor: Actor,
  id: string,
): Promise<{ cycle: CycleRow; seats: SeatRow[]; manages: boolean }> {
  const cycle = await findCycle(db, id);
  const seats = await seatsInCycle(db, actor.userId, id);
  const manages = canManageCycle(actor, cycle.provinceCode);
  if (manages || seats.length) return { cycle, seats, manages };
  const inProvince =
    cycle.provinceCode !== null &&
    ((actor.role === 'commune_officer' && actor.provinceCode === cycle.provinceCode) ||
      (actor.role === 'producer' && (await subjectProvinces(db, actor)).includes(cycle.provinceCode)));
  if (!inProvince) throw notFound(messages.cycleNotFound);
  return { cycle, seats, manages };
}

/** Refuses a caller who may see the cycle but not run it (create councils, publish, decide). */
export function requireManager(access: { manages: boolean }): void {
  if (!access.manages) {
    throw new AppError('FORBIDDEN', {
      vi: 'Chỉ cán bộ cấp tỉnh tổ chức kỳ đánh giá mới làm được việc này.',
      en: "Only an officer of the cycle's province can do this.",
    });
  }
}

// ---------------------------------------------------------------- dossiers

export type DossierAccess = {
  dossier: DossierRow;
  cycle: CycleRow;
  facts: DossierFacts;
  /** The caller's seat on the council the dossier is assigned to. */
  seat: SeatRow | null;
  /** The caller sits on another council of the same cycle. */
  memberElsewhere: boolean;
  capacities: Capacity[];
};

export const factsOf = (dossier: DossierRow, cycle: CycleRow): DossierFacts => ({
  subjectId: dossier.subjectId,
  communeCode: dossier.communeCode,
  cycleProvinceCode: cycle.provinceCode,
  state: dossier.state as DossierState,
});

/**
 * A dossier the caller may read, with their seat and capacities; 404 otherwise. `lock` takes the
 * row lock inside a transaction: `update` for state changes, `share` for member sheet writes (so
 * closing scoring waits for a sheet being submitted, and the reverse).
 */
export async function loadDossierFor(
  db: DbOrTx,
  actor: Actor,
  id: string,
  options: { lock?: 'update' | 'share' } = {},
): Promise<DossierAccess> {
  const query = db.select().from(evaluationDossiers).where(eq(evaluationDossiers.id, id)).limit(1);
  const [dossier] = options.lock ? await query.for(options.lock) : await query;
  if (!dossier) throw notFound(messages.dossierNotFound);
  const cycle = await findCycle(db, dossier.cycleId);
  const seats = await seatsInCycle(db, actor.userId, cycle.id);
  const seat = seats.find((s) => s.councilId === dossier.councilId) ?? null;
  const facts = factsOf(dossier, cycle);
  const memberElsewhere = seat === null && seats.length > 0;
  if (!canReadDossier(actor, facts, seat) && !memberElsewhere) throw notFound(messages.dossierNotFound);
  return { dossier, cycle, facts, seat, memberElsewhere, capacities: capacitiesOf(actor, facts, seat) };
}

/** Readers who only know the dossier because they sit on another council of its cycle get no content. */
export function requireReader(access: DossierAccess): void {
  if (access.seat === null && access.capacities.length === 0) {
    throw new AppError('FORBIDDEN', {
      vi: 'Hồ sơ này không được giao cho hội đồng của bạn.',
      en: 'This dossier is not assigned to your council.',
    });
  }
}

export function checkVersion(dossier: DossierRow, version: number | undefined): void {
  if (version !== undefined && version !== dossier.version) throw new AppError('STALE', messages.stale);
}

/**
 * Moves a dossier by one transition of the state machine, inside the caller's transaction (the
 * dossier row must be locked FOR UPDATE): checks the move, writes the new state, the append-only
 * transition row and the audit entry. Refusals: wrong state or pre-check step → 409, wrong person →
 * 403, missing reason → 400 on `reason`.
 */
export async function moveDossier(
  tx: Tx,
  ctx: RequestContext,
  access: Pick<DossierAccess, 'dossier' | 'cycle' | 'capacities'>,
  action: DossierAction,
  options: { reason?: string | null | undefined; set?: Partial<typeof evaluationDossiers.$inferInsert> } = {},
): Promise<DossierRow> {
  const { dossier, cycle } = access;
  const from = dossier.state as DossierState;
  const check = checkTransition({
    action,
    from,
    capacities: access.capacities,
    precheckRequired: cycle.precheckRequired,
    reason: options.reason,
  });
  if (!check.ok) {
    switch (check.refusal) {
      case 'notAllowed':
        throw new AppError('FORBIDDEN', check.message);
      case 'reasonRequired':
        throw fieldError('reason', check.message);
      default:
        throw new AppError('CONFLICT', check.message);
    }
  }
  const now = new Date();
  const reason = options.reason?.trim() || null;
  const [updated] = await tx
    .update(evaluationDossiers)
    .set({
      ...options.set,
      state: check.to,
      version: sql`${evaluationDossiers.version} + 1`,
      updatedAt: now,
      ...(action === 'submit' || action === 'resubmit' ? { submittedAt: now } : {}),
    })
    .where(eq(evaluationDossiers.id, dossier.id))
    .returning();
  await tx.insert(evaluationDossierTransitions).values({
    dossierId: dossier.id,
    action,
    fromState: from,
    toState: check.to,
    actorId: ctx.actor?.userId ?? null,
    at: now,
    reason,
  });
  await recordAudit(tx, ctx, {
    action: `evaluation.dossier.${action}`,
    entityType: 'evaluation_dossier',
    entityId: dossier.id,
    before: { state: from, councilId: dossier.councilId },
    after: { state: check.to, councilId: updated!.councilId, reason },
  });
  return updated!;
}

/**
 * The same move for many dossiers at once (a council closing scoring for its whole list): every
 * move is checked first, then one update, one insert of transitions, and an audit entry per
 * dossier, so the history of each dossier reads as if it had been moved alone. Rows must be
 * locked FOR UPDATE by the caller.
 */
export async function moveDossiers(
  tx: Tx,
  ctx: RequestContext,
  accesses: readonly {
    dossier: Pick<DossierRow, 'id' | 'state' | 'councilId'>;
    cycle: Pick<CycleRow, 'precheckRequired'>;
    capacities: Capacity[];
  }[],
  action: DossierAction,
): Promise<void> {
  if (!accesses.length) return;
  const moves = accesses.map((access) => {
    const check = checkTransition({
      action,
      from: access.dossier.state as DossierState,
      capacities: access.capacities,
      precheckRequired: access.cycle.precheckRequired,
    });
    if (!check.ok)
      throw new AppError(check.refusal === 'notAllowed' ? 'FORBIDDEN' : 'CONFLICT', check.message);
    return { dossier: access.dossier, to: check.to };
  });
  const now = new Date();
  const targets = [...new Set(moves.map((m) => m.to))];
  for (const to of targets) {
    await tx
      .update(evaluationDossiers)
      .set({ state: to, version: sql`${evaluationDossiers.version} + 1`, updatedAt: now })
      .where(
        inArray(
          evaluationDossiers.id,
          moves.filter((m) => m.to === to).map((m) => m.dossier.id),
        ),
      );
  }
  await tx.insert(evaluationDossierTransitions).values(
    moves.map((m) => ({
      dossierId: m.dossier.id,
      action,
      fromState: m.dossier.state,
      toState: m.to,
      actorId: ctx.actor?.userId ?? null,
      at: now,
      reason: null,
    })),
  );
  await recordAudits(
    tx,
    ctx,
    moves.map((m) => ({
      action: `evaluation.dossier.${action}`,
      entityType: 'evaluation_dossier',
      entityId: m.dossier.id,
      before: { state: m.dossier.state, councilId: m.dossier.councilId },
      after: { state: m.to, councilId: m.dossier.councilId, reason: null },
    })),
  );
}

// ---------------------------------------------------------------- results

/** The current (latest) result of each dossier. */
export async function currentResults(db: DbOrTx, dossierIds: string[]): Promise<Map<string, ResultRow>> {
  if (!dossierIds.length) return new Map();
  const rows = await db
    .selectDistinctOn([evaluationResults.dossierId])
    .from(evaluationResults)
    .where(inArray(evaluationResults.dossierId, dossierIds))
    .orderBy(evaluationResults.dossierId, desc(evaluationResults.sequence));
  return new Map(rows.map((r) => [r.dossierId, r]));
}

/** The current result of one dossier, or null before scoring closes. */
export async function currentResultOf(db: DbOrTx, dossierId: string): Promise<ResultRow | null> {
  return (await currentResults(db, [dossierId])).get(dossierId) ?? null;
}

/** The engine's problems as error fields keyed by their paths. */
export function problemFields(problems: readonly Problem[]): Record<string, Message> {
  const fields: Record<string, Message> = {};
  for (const p of problems) {
    const existing = fields[p.path];
    fields[p.path] = existing
      ? { vi: `${existing.vi} ${p.vi}`, en: `${existing.en} ${p.en}` }
      : { vi: p.vi, en: p.en };
  }
  return fields;
}

export function answerError(error: unknown): never {
  if (error instanceof CriteriaRuleError) {
    const first = error.problems[0]!;
    throw new AppError('VALIDATION', { vi: first.vi, en: first.en }, problemFields(error.problems));
  }
  throw error;
}
