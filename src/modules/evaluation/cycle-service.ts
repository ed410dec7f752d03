/**
 * Evaluation cycles: opening one with its rule-set frozen, reading one with its progress, the list.
 */
import { and, asc, count, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import type { Actor } from '../../server/context';
import { AppError, fieldError } from '../../server/errors';
import { today } from '../../shared/dates';
import { getProvince } from '../admin-units';
import { recordAudit } from '../audit';
import { findActiveRuleSet } from '../criteria';
import { type CycleRow, frozenRuleSet, loadCycleFor, subjectProvinces } from './access';
import type { CreateCycleInput, CycleView, ListCyclesQuery } from './contract';
import { type Ctx, cycleMessages } from './messages';
import { canManageCycle, cycleScope } from './policy';
import { cycleLevelLabels, cycleProblems, precheckRequired } from './rules';
import { evaluationCouncilMembers, evaluationCouncils, evaluationCycles, evaluationDossiers } from './schema';

// ---------------------------------------------------------------- cycles

/**
 * The dossiers whose states a cycle's progress counts for this actor: the province sees them all,
 * the others only those they may open (their commune's, their subjects', their councils').
 */
function progressScope(actor: Actor): SQL | undefined {
  switch (actor.role) {
    case 'system_admin':
    case 'province_officer':
      return undefined;
    case 'commune_officer':
      return actor.communeCode ? eq(evaluationDossiers.communeCode, actor.communeCode) : sql`false`;
    case 'producer':
      return actor.subjectIds.length ? inArray(evaluationDossiers.subjectId, actor.subjectIds) : sql`false`;
    case 'council_member':
      return sql`${evaluationDossiers.councilId} in (select council_id from evaluation_council_members where user_id = ${actor.userId})`;
  }
}

async function cycleViews(db: DbOrTx, actor: Actor, rows: CycleRow[]): Promise<CycleView[]> {
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [states, councils, ruleSets] = await Promise.all([
    db
      .select({ cycleId: evaluationDossiers.cycleId, state: evaluationDossiers.state, n: count() })
      .from(evaluationDossiers)
      .where(and(inArray(evaluationDossiers.cycleId, ids), progressScope(actor)))
      .groupBy(evaluationDossiers.cycleId, evaluationDossiers.state),
    db
      .select({
        id: evaluationCouncils.id,
        cycleId: evaluationCouncils.cycleId,
        name: evaluationCouncils.name,
        memberCount: count(evaluationCouncilMembers.id),
      })
      .from(evaluationCouncils)
      .leftJoin(evaluationCouncilMembers, eq(evaluationCouncilMembers.councilId, evaluationCouncils.id))
      .where(inArray(evaluationCouncils.cycleId, ids))
      .groupBy(evaluationCouncils.id)
      .orderBy(asc(evaluationCouncils.createdAt)),
    Promise.all(
      [...new Set(rows.map((r) => r.ruleSetId))].map(
        async (id) => [id, await frozenRuleSet(db, id)] as const,
      ),
    ),
  ]);
  const ruleSetById = new Map(ruleSets);
  return rows.map((row) => {
    const byState: Record<string, number> = {};
    let total = 0;
    for (const s of states) {
      if (s.cycleId !== row.id) continue;
      byState[s.state] = Number(s.n);
      total += Number(s.n);
    }
    return {
      id: row.id,
      level: row.level as CycleView['level'],
      provinceCode: row.provinceCode,
      year: row.year,
      round: row.round,
      name: row.name,
      ruleSet: {
        id: row.ruleSetId,
        code: row.ruleSetCode,
        revision: row.ruleSetRevision,
        name: ruleSetById.get(row.ruleSetId)!.name,
      },
      precheckRequired: row.precheckRequired,
      submissionDeadline: row.submissionDeadline,
      meetingDate: row.meetingDate,
      version: row.version,
      createdAt: row.createdAt,
      progress: { total, byState },
      councils: councils
        .filter((c) => c.cycleId === row.id)
        .map((c) => ({ id: c.id, name: c.name, memberCount: Number(c.memberCount) })),
    };
  });
}

/** Opens a cycle, freezing the active revision of the chosen rule-set. */
export async function createCycle({ ctx, input }: Ctx & { input: CreateCycleInput }): Promise<CycleView> {
  const actor = ctx.actor!;
  const { db } = ctx.database;
  const provinceCode =
    input.provinceCode !== undefined && input.provinceCode !== null
      ? input.provinceCode
      : input.level === 'central' || actor.role !== 'province_officer'
        ? null
        : actor.provinceCode;
  if (input.level !== 'central') {
    if (provinceCode === null) throw fieldError('provinceCode', cycleMessages.provinceRequired);
    if (!(await getProvince(db, provinceCode)))
      throw fieldError('provinceCode', cycleMessages.provinceUnknown);
  }
  if (!canManageCycle(actor, provinceCode))
    throw fieldError('provinceCode', cycleMessages.otherProvince, 'FORBIDDEN');
  const ruleSet = await findActiveRuleSet(db, input.ruleSetCode);
  if (!ruleSet) throw fieldError('ruleSetCode', cycleMessages.noActiveRuleSet);
  const candidate = {
    level: input.level,
    year: input.year,
    round: input.round,
    submissionDeadline: input.submissionDeadline,
    meetingDate: input.meetingDate ?? null,
    provinceCode,
  };
  const problems = cycleProblems(candidate, ruleSet.document, Number(today(ctx.config.timeZone).slice(0, 4)));
  if (problems.length) {
    throw new AppError(
      'VALIDATION',
      problems[0]!.message,
      Object.fromEntries(problems.map((p) => [p.path, p.message])),
    );
  }
  const name = input.name || `${cycleLevelLabels[input.level].vi} năm ${input.year}, đợt ${input.round}`;
  try {
    const row = await db.transaction(async (tx) => {
      const [created] = await tx
        .insert(evaluationCycles)
        .values({
          ...candidate,
          name,
          ruleSetId: ruleSet.id,
          ruleSetCode: ruleSet.document.code,
          ruleSetRevision: ruleSet.revision,
          precheckRequired: precheckRequired(ruleSet.document, input.level),
          createdBy: actor.userId,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'evaluation.cycle.created',
        entityType: 'evaluation_cycle',
        entityId: created!.id,
        after: created,
      });
      return created!;
    });
    const [view] = await cycleViews(db, actor, [row]);
    return view!;
  } catch (error) {
    if (uniqueViolation(error) !== null) throw fieldError('round', cycleMessages.roundTaken, 'CONFLICT');
    throw error;
  }
}

export async function getCycle({ ctx, input }: Ctx & { input: { id: string } }): Promise<CycleView> {
  const { db } = ctx.database;
  const { cycle } = await loadCycleFor(db, ctx.actor!, input.id);
  const [view] = await cycleViews(db, ctx.actor!, [cycle]);
  return view!;
}

const CYCLE_LIST_LIMIT = 500;

export async function listCycles({ ctx, input }: Ctx & { input: ListCyclesQuery }) {
  const actor = ctx.actor!;
  const { db } = ctx.database;
  const provinces = actor.role === 'producer' ? await subjectProvinces(db, actor) : [];
  const scope = cycleScope(actor, provinces);
  const seated = sql`${evaluationCycles.id} in (select c.cycle_id from evaluation_councils c
    join evaluation_council_members m on m.council_id = c.id where m.user_id = ${actor.userId})`;
  const conditions: SQL[] = [];
  if (scope.kind === 'seated') conditions.push(seated);
  if (scope.kind === 'provinces') {
    conditions.push(
      scope.provinceCodes.length
        ? sql`(${inArray(evaluationCycles.provinceCode, scope.provinceCodes)} or ${seated})`
        : seated,
    );
  }
  if (input.year) conditions.push(eq(evaluationCycles.year, input.year));
  if (input.level) conditions.push(eq(evaluationCycles.level, input.level));
  const rows = await db
    .select()
    .from(evaluationCycles)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(evaluationCycles.year), desc(evaluationCycles.round), asc(evaluationCycles.provinceCode))
    .limit(CYCLE_LIST_LIMIT);
  return { items: await cycleViews(db, ctx.actor!, rows) };
}
