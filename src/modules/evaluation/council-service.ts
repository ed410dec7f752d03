import { and, asc, eq } from 'drizzle-orm';
import { uniqueViolation } from '../../db/errors';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, type Message, notFound } from '../../server/errors';
import { getUser } from '../accounts';
import { recordAudit } from '../audit';
import { findCycle, loadCycleFor, loadDossierFor, messages, requireManager, seatsInCycle } from './access';
import type { CouncilView } from './contract';
import { canManageCycle, isSelfEvaluation } from './policy';
import { type CouncilRole, canDeclareConflict, type DossierState, membershipProblem } from './rules';
import { evaluationConflicts, evaluationCouncilMembers, evaluationCouncils } from './schema';

/**
 * Councils of a cycle, their seats (chair, vice-chair, secretary, members, advisory group) and
 * members' declarations of conflicts of interest. The province sets councils up; any user may sit
 * on one; a member declares their own conflicts, which stop them scoring that dossier.
 */

type Ctx = { ctx: RequestContext };
type CouncilRow = typeof evaluationCouncils.$inferSelect;

const councilMessages = {
  userUnknown: { vi: 'Không có người dùng này.', en: 'No such user.' },
  userInactive: { vi: 'Tài khoản này đã bị khoá.', en: 'This account is deactivated.' },
  alreadyMember: {
    vi: 'Người này đã có trong hội đồng.',
    en: 'This person already sits on the council.',
  },
  chairTaken: { vi: 'Hội đồng đã có chủ tịch.', en: 'The council already has a chair.' },
  notSeated: {
    vi: 'Chỉ thành viên hội đồng được giao hồ sơ mới khai báo xung đột lợi ích với hồ sơ đó.',
    en: 'Only a member of the council the dossier is assigned to declares a conflict with it.',
  },
  tooLate: {
    vi: 'Hội đồng đã kết thúc chấm hồ sơ này; không khai báo thêm xung đột lợi ích được.',
    en: 'Scoring of this dossier is closed; conflicts can no longer be declared.',
  },
  alreadyDeclared: {
    vi: 'Bạn đã khai báo xung đột lợi ích với hồ sơ này.',
    en: 'You have already declared a conflict with this dossier.',
  },
} satisfies Record<string, Message>;

async function councilView(ctx: RequestContext, council: CouncilRow): Promise<CouncilView> {
  const seats = await ctx.database.db
    .select()
    .from(evaluationCouncilMembers)
    .where(eq(evaluationCouncilMembers.councilId, council.id))
    .orderBy(asc(evaluationCouncilMembers.addedAt), asc(evaluationCouncilMembers.id));
  const people = await Promise.all(
    seats.map((s) => getUser({ ctx, input: { id: s.userId }, skipPolicy: true })),
  );
  return {
    id: council.id,
    cycleId: council.cycleId,
    name: council.name,
    establishedBy: council.establishedBy,
    createdAt: council.createdAt,
    members: seats.map((s, i) => ({
      id: s.id,
      userId: s.userId,
      fullName: people[i]!.fullName,
      role: s.role as CouncilRole,
      addedAt: s.addedAt,
    })),
  };
}

export async function createCouncil({
  ctx,
  input,
}: Ctx & {
  input: { cycleId: string; name: string; establishedBy?: string | undefined };
}): Promise<CouncilView> {
  const { db } = ctx.database;
  const access = await loadCycleFor(db, ctx.actor!, input.cycleId);
  requireManager(access);
  const council = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(evaluationCouncils)
      .values({
        cycleId: input.cycleId,
        name: input.name,
        establishedBy: input.establishedBy || null,
        createdBy: ctx.actor!.userId,
      })
      .returning();
    await recordAudit(tx, ctx, {
      action: 'evaluation.council.created',
      entityType: 'evaluation_council',
      entityId: row!.id,
      after: row,
    });
    return row!;
  });
  return councilView(ctx, council);
}

/** A council, for the province running its cycle and for the people sitting on it. */
export async function getCouncil({ ctx, input }: Ctx & { input: { id: string } }): Promise<CouncilView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const [council] = await db
    .select()
    .from(evaluationCouncils)
    .where(eq(evaluationCouncils.id, input.id))
    .limit(1);
  if (!council) throw notFound(messages.councilNotFound);
  const cycle = await findCycle(db, council.cycleId);
  const seated = (await seatsInCycle(db, actor.userId, cycle.id)).some((s) => s.councilId === council.id);
  if (!seated && !canManageCycle(actor, cycle.provinceCode)) throw notFound(messages.councilNotFound);
  return councilView(ctx, council);
}

/** Seats a person on a council in a role; a council has one chair and seats a person once. */
export async function addMember({
  ctx,
  input,
}: Ctx & { input: { councilId: string; userId: string; role: CouncilRole } }): Promise<CouncilView> {
  const { db } = ctx.database;
  const actor = ctx.actor!;
  const user = await getUser({ ctx, input: { id: input.userId }, skipPolicy: true }).catch(
    (error: unknown) => {
      if (error instanceof AppError && error.code === 'NOT_FOUND')
        throw fieldError('userId', councilMessages.userUnknown);
      throw error;
    },
  );
  if (!user.active) throw fieldError('userId', councilMessages.userInactive);
  try {
    const council = await db.transaction(async (tx) => {
      // The council row lock serialises seatings, so two chairs added at once cannot both pass the check.
      const [row] = await tx
        .select()
        .from(evaluationCouncils)
        .where(eq(evaluationCouncils.id, input.councilId))
        .for('update');
      if (!row) throw notFound(messages.councilNotFound);
      const cycle = await findCycle(tx, row.cycleId);
      if (!canManageCycle(actor, cycle.provinceCode)) {
        const seated = (await seatsInCycle(tx, actor.userId, cycle.id)).length > 0;
        if (!seated) throw notFound(messages.councilNotFound);
        requireManager({ manages: false });
      }
      const seats = await tx
        .select({ userId: evaluationCouncilMembers.userId, role: evaluationCouncilMembers.role })
        .from(evaluationCouncilMembers)
        .where(eq(evaluationCouncilMembers.councilId, row.id));
      const problem = membershipProblem(
        seats.map((s) => ({ userId: s.userId, role: s.role as CouncilRole })),
        { userId: input.userId, role: input.role },
      );
      if (problem)
        throw fieldError(problem === 'chairTaken' ? 'role' : 'userId', councilMessages[problem], 'CONFLICT');
      const [seat] = await tx
        .insert(evaluationCouncilMembers)
        .values({ councilId: row.id, userId: input.userId, role: input.role, addedBy: actor.userId })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'evaluation.council.member_added',
        entityType: 'evaluation_council',
        entityId: row.id,
        after: { memberId: seat!.id, userId: input.userId, role: input.role },
      });
      return row;
    });
    return councilView(ctx, council);
  } catch (error) {
    if (uniqueViolation(error) !== null)
      throw fieldError('userId', councilMessages.alreadyMember, 'CONFLICT');
    throw error;
  }
}

/**
 * A member declares a conflict of interest with a dossier assigned to their council; from then on
 * they cannot score it and a sheet they submitted is left out of the result.
 */
export async function declareConflict({
  ctx,
  input,
}: Ctx & { input: { dossierId: string; reason: string } }) {
  const actor = ctx.actor!;
  try {
    return await ctx.database.db.transaction(async (tx) => {
      const access = await loadDossierFor(tx, actor, input.dossierId, { lock: 'share' });
      if (!access.seat) throw new AppError('FORBIDDEN', councilMessages.notSeated);
      if (!canDeclareConflict(access.dossier.state as DossierState)) {
        throw new AppError('CONFLICT', councilMessages.tooLate);
      }
      const [existing] = await tx
        .select({ id: evaluationConflicts.id })
        .from(evaluationConflicts)
        .where(
          and(
            eq(evaluationConflicts.memberId, access.seat.memberId),
            eq(evaluationConflicts.dossierId, input.dossierId),
          ),
        )
        .limit(1);
      if (existing) throw new AppError('CONFLICT', councilMessages.alreadyDeclared);
      const [row] = await tx
        .insert(evaluationConflicts)
        .values({
          memberId: access.seat.memberId,
          dossierId: input.dossierId,
          reason: input.reason,
          declaredBy: actor.userId,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'evaluation.council.conflict_declared',
        entityType: 'evaluation_dossier',
        entityId: input.dossierId,
        after: {
          memberId: access.seat.memberId,
          reason: input.reason,
          selfEvaluation: isSelfEvaluation(actor, access.facts),
        },
      });
      return {
        id: row!.id,
        dossierId: row!.dossierId,
        memberId: row!.memberId,
        reason: row!.reason,
        declaredAt: row!.declaredAt,
      };
    });
  } catch (error) {
    if (uniqueViolation(error) !== null) throw new AppError('CONFLICT', councilMessages.alreadyDeclared);
    throw error;
  }
}
