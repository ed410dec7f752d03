import { asc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { AppError, type Message, notFound } from '../../server/errors';
import { getUser } from '../accounts';
import type { Answers } from '../criteria';
import {
  type CycleRow,
  currentResults,
  type DossierRow,
  frozenSheet,
  loadCycleFor,
  loadDossierFor,
  requireManager,
} from './access';
import {
  buildMinutesPdf,
  buildMinutesWorkbook,
  type MinutesDossier,
  type MinutesInput,
  type MinutesMember,
} from './minutes';
import { canReadAllSheets } from './policy';
import { type CouncilRole, type DossierState, isScoringClosed } from './rules';
import {
  evaluationCouncilMembers,
  evaluationCouncils,
  evaluationDossiers,
  evaluationScoreSheets,
} from './schema';

/**
 * The council's minutes as Excel or PDF, for one dossier or a whole cycle: read by whoever may read the
 * members' sheets once scoring is closed (the council, the province), built from the stored
 * results and the very sheets each result counted (`sheet_ids`), never recomputed.
 */

type Ctx = { ctx: RequestContext };

const minutesMessages = {
  notClosed: {
    vi: 'Hội đồng chưa kết thúc chấm hồ sơ này; chưa có biên bản.',
    en: 'The council has not closed scoring of this dossier; there are no minutes yet.',
  },
  notReader: {
    vi: 'Chỉ hội đồng được giao hồ sơ và cán bộ cấp tỉnh xem biên bản chấm điểm.',
    en: 'Only the assigned council and the province read the scoring minutes.',
  },
} satisfies Record<string, Message>;

async function minutesOf(ctx: RequestContext, db: DbOrTx, dossiers: DossierRow[]): Promise<MinutesDossier[]> {
  const results = await currentResults(
    db,
    dossiers.map((d) => d.id),
  );
  const sheetIds = [...results.values()].flatMap((r) => r.sheetIds);
  const sheets = sheetIds.length
    ? await db
        .select({
          id: evaluationScoreSheets.id,
          memberId: evaluationScoreSheets.memberId,
          answers: evaluationScoreSheets.answers,
        })
        .from(evaluationScoreSheets)
        .where(inArray(evaluationScoreSheets.id, sheetIds))
    : [];
  const sheetById = new Map(sheets.map((s) => [s.id, s]));
  const memberIds = [...new Set(sheets.map((s) => s.memberId))];
  const seats = memberIds.length
    ? await db.select().from(evaluationCouncilMembers).where(inArray(evaluationCouncilMembers.id, memberIds))
    : [];
  const people = new Map<string, MinutesMember>();
  for (const seat of seats) {
    const user = await getUser({ ctx, input: { id: seat.userId }, skipPolicy: true });
    people.set(seat.id, { memberId: seat.id, fullName: user.fullName, role: seat.role as CouncilRole });
  }
  const out: MinutesDossier[] = [];
  for (const dossier of dossiers) {
    const result = results.get(dossier.id);
    if (!result) continue;
    const answers = new Map<string, Answers>();
    for (const id of result.sheetIds) {
      const sheet = sheetById.get(id);
      if (sheet) answers.set(sheet.memberId, sheet.answers);
    }
    out.push({
      productName: dossier.productName,
      productSetCode: dossier.productSetCode,
      evaluationType: dossier.evaluationType,
      sheet: (await frozenSheet(db, dossier.sheetId)).document,
      members: result.engineOutput.members.flatMap((m) => people.get(m.memberId) ?? []),
      answers,
      result: result.engineOutput,
      computedAt: result.computedAt,
    });
  }
  return out;
}

async function councilNames(db: DbOrTx, councilIds: string[]): Promise<string[]> {
  if (!councilIds.length) return [];
  const rows = await db
    .select({ name: evaluationCouncils.name })
    .from(evaluationCouncils)
    .where(inArray(evaluationCouncils.id, councilIds))
    .orderBy(asc(evaluationCouncils.createdAt));
  return rows.map((r) => r.name);
}

export type MinutesFormat = 'xlsx' | 'pdf';
export type MinutesFile = { fileName: string; contentType: string; bytes: Buffer };

const CONTENT_TYPES: Record<MinutesFormat, string> = {
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  pdf: 'application/pdf',
};

const fileNameOf = (cycle: CycleRow, suffix: string, format: MinutesFormat) =>
  `bien-ban-${cycle.year}-dot-${cycle.round}${suffix}.${format}`;

async function render(input: MinutesInput, format: MinutesFormat): Promise<Buffer> {
  return format === 'pdf' ? buildMinutesPdf(input) : buildMinutesWorkbook(input);
}

/** The minutes of one dossier whose scoring is closed. */
export async function getDossierMinutes({
  ctx,
  input,
}: Ctx & { input: { dossierId: string; format: MinutesFormat } }): Promise<MinutesFile> {
  const { db } = ctx.database;
  const access = await loadDossierFor(db, ctx.actor!, input.dossierId);
  if (!isScoringClosed(access.dossier.state as DossierState)) {
    if (access.seat === null && !access.capacities.includes('province_officer')) {
      throw new AppError('FORBIDDEN', minutesMessages.notReader);
    }
    throw new AppError('CONFLICT', minutesMessages.notClosed);
  }
  if (!canReadAllSheets(ctx.actor!, access.facts, access.seat)) {
    throw new AppError('FORBIDDEN', minutesMessages.notReader);
  }
  const dossiers = await minutesOf(ctx, db, [access.dossier]);
  if (!dossiers.length) throw notFound(minutesMessages.notClosed);
  const bytes = await render(
    {
      cycleName: access.cycle.name,
      councilNames: await councilNames(db, access.dossier.councilId ? [access.dossier.councilId] : []),
      ruleSet: { code: access.cycle.ruleSetCode, revision: access.cycle.ruleSetRevision },
      generatedAt: new Date(),
      timeZone: ctx.config.timeZone,
      dossiers,
    },
    input.format,
  );
  return {
    fileName: fileNameOf(access.cycle, `-ho-so-${access.dossier.id.slice(0, 8)}`, input.format),
    contentType: CONTENT_TYPES[input.format],
    bytes,
  };
}

/** The minutes of a cycle: every dossier whose scoring is closed (a council member: their council's). */
export async function getCycleMinutes({
  ctx,
  input,
}: Ctx & { input: { cycleId: string; format: MinutesFormat } }): Promise<MinutesFile> {
  const { db } = ctx.database;
  const { cycle, seats, manages } = await loadCycleFor(db, ctx.actor!, input.cycleId);
  if (!manages && !seats.length) requireManager({ manages });
  const councilIds = manages
    ? (
        await db
          .select({ id: evaluationCouncils.id })
          .from(evaluationCouncils)
          .where(eq(evaluationCouncils.cycleId, cycle.id))
      ).map((c) => c.id)
    : seats.map((s) => s.councilId);
  const rows = councilIds.length
    ? await db
        .select()
        .from(evaluationDossiers)
        .where(inArray(evaluationDossiers.councilId, councilIds))
        .orderBy(asc(evaluationDossiers.createdAt), asc(evaluationDossiers.id))
    : [];
  const closed = rows.filter((d) => d.cycleId === cycle.id && isScoringClosed(d.state as DossierState));
  const bytes = await render(
    {
      cycleName: cycle.name,
      councilNames: await councilNames(db, councilIds),
      ruleSet: { code: cycle.ruleSetCode, revision: cycle.ruleSetRevision },
      generatedAt: new Date(),
      timeZone: ctx.config.timeZone,
      dossiers: await minutesOf(ctx, db, closed),
    },
    input.format,
  );
  return { fileName: fileNameOf(cycle, '', input.format), contentType: CONTENT_TYPES[input.format], bytes };
}
