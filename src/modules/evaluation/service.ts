import { and, asc, count, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import { likeEscape } from '../../db/sql';
import type { Actor, RequestContext } from '../../server/context';
import { AppError, fieldError, type Message } from '../../server/errors';
import { today } from '../../shared/dates';
import { foldAccents } from '../../shared/text';
import { getUser } from '../accounts';
import { getProvince } from '../admin-units';
import { recordAudit } from '../audit';
import { checklistFor } from '../criteria';
import { findActiveRuleSet, findActiveSheet } from '../criteria';
import { validateSheet } from '../criteria';
import { getProduct } from '../products';
import { getSubjectLocation } from '../subjects';
import {
  answerError,
  type CycleRow,
  checkVersion,
  currentResultOf,
  type DossierAccess,
  type DossierRow,
  frozenRuleSet,
  frozenSheet,
  loadCycleFor,
  loadDossierFor,
  moveDossier,
  requireReader,
  subjectProvinces,
} from './access';
import type {
  CreateCycleInput,
  CreateDossierInput,
  CycleView,
  DossierListItem,
  DossierView,
  ListCyclesQuery,
  ListDossiersQuery,
  ListMyDossiersQuery,
  MyDossierItem,
  RegistrationFormInput,
  ScoringDocumentsView,
  TransitionInput,
} from './contract';
import { documentViewOf } from './document-service';
import { canManageCycle, cycleScope } from './policy';
import {
  assessSelf,
  availableActions,
  canPropose,
  cycleLevelLabels,
  cycleProblems,
  type DossierState,
  type EvaluationType,
  isEditable,
  isPastDeadline,
  missingRequiredItems,
  precheckRequired,
  type SelfAssessment,
} from './rules';
import {
  evaluationCouncilMembers,
  evaluationCouncils,
  evaluationCycles,
  evaluationDossierDocuments,
  evaluationDossiers,
  evaluationDossierTransitions,
} from './schema';

type Ctx = { ctx: RequestContext };

const cycleMessages = {
  provinceUnknown: { vi: 'Không có tỉnh với mã này.', en: 'No province has this code.' },
  provinceRequired: {
    vi: 'Cần chọn tỉnh của kỳ đánh giá.',
    en: 'Choose the province of the cycle.',
  },
  otherProvince: {
    vi: 'Cán bộ cấp tỉnh chỉ mở kỳ đánh giá của tỉnh mình; kỳ cấp trung ương do quản trị hệ thống mở.',
    en: 'A province officer opens cycles of their own province only; central cycles are opened by a system administrator.',
  },
  noActiveRuleSet: {
    vi: 'Bộ tiêu chí này chưa có phiên bản đang áp dụng; quản trị hệ thống cần đặt tham số và kích hoạt trước.',
    en: 'This rule-set has no active revision; an administrator must set its parameters and activate it first.',
  },
  roundTaken: {
    vi: 'Đã có kỳ đánh giá của tỉnh ở cấp, năm và đợt này.',
    en: 'The province already has a cycle at this level, year and round.',
  },
} satisfies Record<string, Message>;

const dossierMessages = {
  productUnknown: {
    vi: 'Không có sản phẩm này trong các sản phẩm của bạn.',
    en: 'No such product among yours.',
  },
  productArchived: {
    vi: 'Sản phẩm đã lưu trữ; hãy khôi phục trước khi đăng ký đánh giá.',
    en: 'The product is archived; restore it before applying.',
  },
  otherProvince: {
    vi: 'Chủ thể của sản phẩm không thuộc tỉnh tổ chức kỳ đánh giá này.',
    en: "The product's subject is not in this cycle's province.",
  },
  central: {
    vi: 'Kỳ đánh giá cấp trung ương nhận hồ sơ do cấp tỉnh đề nghị, chủ thể không nộp trực tiếp.',
    en: 'A central cycle receives dossiers forwarded by provinces; producers do not apply to it directly.',
  },
  duplicate: {
    vi: 'Sản phẩm này đã có hồ sơ trong kỳ đánh giá.',
    en: 'This product already has a dossier in the cycle.',
  },
  notEditable: {
    vi: 'Chỉ sửa được hồ sơ ở trạng thái nháp hoặc đã trả lại để bổ sung.',
    en: 'Only a draft or returned dossier can be changed.',
  },
  notOwner: {
    vi: 'Chỉ chủ thể sở hữu sản phẩm mới sửa được hồ sơ.',
    en: 'Only the producer owning the product can change the dossier.',
  },
  formMissing: {
    vi: 'Chưa khai phiếu đăng ký sản phẩm (Mẫu 01).',
    en: 'The registration form (Form 01) is not filled in.',
  },
  selfAssessmentIncomplete: {
    vi: 'Phiếu tự đánh giá (Mẫu 02) chưa chấm đủ các tiêu chí.',
    en: 'The self-assessment (Form 02) does not answer every criterion.',
  },
  incomplete: {
    vi: 'Hồ sơ chưa đủ để nộp; xem các mục còn thiếu.',
    en: 'The dossier is not complete enough to submit; see what is missing.',
  },
  pastDeadline: {
    vi: 'Đã quá hạn nộp hồ sơ của kỳ đánh giá.',
    en: "The cycle's submission deadline has passed.",
  },
  councilUnknown: {
    vi: 'Không có hội đồng này trong kỳ đánh giá.',
    en: 'No such council in this cycle.',
  },
  councilWithoutChair: {
    vi: 'Hội đồng chưa có chủ tịch; hãy bổ sung trước khi giao hồ sơ.',
    en: 'The council has no chair yet; add one before assigning dossiers.',
  },
  cannotPropose: {
    vi: 'Kết quả chấm không hợp lệ (chưa đủ số phiếu tối thiểu); chủ tịch hội đồng cần mở lại chấm điểm.',
    en: 'The result is not valid (too few member sheets); the chair must reopen scoring.',
  },
} satisfies Record<string, Message>;

const noSheetMessage = (ruleSetCode: string, productSet: string): Message => ({
  vi: `Chưa có phiếu chấm đang áp dụng cho bộ sản phẩm "${productSet}" theo bộ tiêu chí "${ruleSetCode}"; quản trị hệ thống cần kích hoạt phiếu trước.`,
  en: `There is no active scoring sheet for product set "${productSet}" under rule-set "${ruleSetCode}"; an administrator must activate one first.`,
});

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

// ---------------------------------------------------------------- dossiers

function selfAssessmentOf(row: DossierRow): DossierView['selfAssessment'] {
  const summary: SelfAssessment = row.selfAssessment ?? {
    answered: 0,
    criteria: 0,
    complete: false,
    parts: {},
    total: 0,
    star: null,
    outcome: null,
  };
  return { answers: { ...row.selfAssessmentAnswers }, ...summary };
}

function toListItem(row: DossierRow): DossierListItem {
  return {
    id: row.id,
    cycleId: row.cycleId,
    product: {
      id: row.productId,
      name: row.productName,
      productSet: { scheme: row.productSetScheme, code: row.productSetCode },
    },
    subjectId: row.subjectId,
    communeCode: row.communeCode,
    provinceCode: row.provinceCode,
    evaluationType: row.evaluationType as EvaluationType,
    state: row.state as DossierState,
    councilId: row.councilId,
    selfAssessmentStar: (row.selfAssessmentStar as DossierListItem['selfAssessmentStar']) ?? null,
    submittedAt: row.submittedAt,
    updatedAt: row.updatedAt,
    version: row.version,
  };
}

async function activeDocuments(db: DbOrTx, dossierId: string) {
  return db
    .select()
    .from(evaluationDossierDocuments)
    .where(
      and(eq(evaluationDossierDocuments.dossierId, dossierId), isNull(evaluationDossierDocuments.removedAt)),
    )
    .orderBy(asc(evaluationDossierDocuments.uploadedAt), asc(evaluationDossierDocuments.id));
}

/** The checklist of the dossier's product set under the frozen rule-set, with how many documents each item has. */
async function checklistOf(db: DbOrTx, access: Pick<DossierAccess, 'dossier' | 'cycle'>) {
  const ruleSet = await frozenRuleSet(db, access.cycle.ruleSetId);
  const documents = await activeDocuments(db, access.dossier.id);
  const counts = new Map<string, number>();
  for (const d of documents) counts.set(d.checklistCode, (counts.get(d.checklistCode) ?? 0) + 1);
  const items = checklistFor(ruleSet, access.dossier.productSetCode);
  return { ruleSet, documents, counts, items };
}

async function dossierView(db: DbOrTx, access: DossierAccess): Promise<DossierView> {
  const { dossier } = access;
  const [{ documents, counts, items }, transitions, sheet] = await Promise.all([
    checklistOf(db, access),
    db
      .select()
      .from(evaluationDossierTransitions)
      .where(eq(evaluationDossierTransitions.dossierId, dossier.id))
      .orderBy(asc(evaluationDossierTransitions.at), asc(evaluationDossierTransitions.id)),
    frozenSheet(db, dossier.sheetId),
  ]);
  return {
    ...toListItem(dossier),
    sheet: { id: sheet.id, code: sheet.code, revision: sheet.revision },
    registrationForm: { ...dossier.registrationForm },
    selfAssessment: selfAssessmentOf(dossier),
    checklist: items.map((item) => ({
      code: item.code,
      label: item.label,
      required: item.required,
      documentCount: counts.get(item.code) ?? 0,
    })),
    documents: documents.map(documentViewOf),
    transitions: transitions.map((t) => ({
      action: t.action,
      fromState: (t.fromState as DossierState | null) ?? null,
      toState: t.toState as DossierState,
      actorId: t.actorId,
      actorName: null,
      at: t.at,
      reason: t.reason,
    })),
    actions: availableActions(
      dossier.state as DossierState,
      access.capacities,
      access.cycle.precheckRequired,
    ),
    createdAt: dossier.createdAt,
  };
}

/** A producer files a dossier for one of their products in a province cycle of their subject's province. */
export async function createDossier({
  ctx,
  input,
}: Ctx & { input: CreateDossierInput & { cycleId: string } }): Promise<DossierView> {
  const actor = ctx.actor!;
  const { db } = ctx.database;
  const { cycle } = await loadCycleFor(db, actor, input.cycleId);
  if (cycle.level === 'central') throw new AppError('CONFLICT', dossierMessages.central);
  const product = await getProduct({ ctx, input: { id: input.productId } }).catch((error: unknown) => {
    if (error instanceof AppError && error.code === 'NOT_FOUND') {
      throw fieldError('productId', dossierMessages.productUnknown);
    }
    throw error;
  });
  if (!actor.subjectIds.includes(product.subject.id))
    throw fieldError('productId', dossierMessages.productUnknown);
  if (product.archivedAt) throw fieldError('productId', dossierMessages.productArchived, 'CONFLICT');
  const subject = await getSubjectLocation(db, product.subject.id);
  if (!subject || subject.provinceCode !== cycle.provinceCode) {
    throw fieldError('productId', dossierMessages.otherProvince);
  }
  const ruleSet = await frozenRuleSet(db, cycle.ruleSetId);
  const { scheme, code: productSetCode } = product.classification;
  if (scheme !== ruleSet.taxonomyScheme) {
    throw fieldError('productId', {
      vi: `Sản phẩm được phân loại theo hệ "${scheme}", bộ tiêu chí của kỳ dùng hệ "${ruleSet.taxonomyScheme}"; hãy cập nhật phân loại sản phẩm.`,
      en: `The product is classified under scheme "${scheme}"; the cycle's rule-set uses "${ruleSet.taxonomyScheme}". Update the product's classification.`,
    });
  }
  const sheet = await findActiveSheet(db, cycle.ruleSetCode, productSetCode);
  if (!sheet) throw new AppError('CONFLICT', noSheetMessage(cycle.ruleSetCode, productSetCode));
  // The active sheet was validated against the active rule-set revision; the cycle froze its own.
  if (validateSheet(sheet.document, ruleSet).some((p) => p.severity === 'error')) {
    throw new AppError('CONFLICT', noSheetMessage(cycle.ruleSetCode, productSetCode));
  }
  try {
    const id = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(evaluationDossiers)
        .values({
          cycleId: cycle.id,
          productId: product.id,
          subjectId: product.subject.id,
          productName: product.name,
          productSetScheme: scheme,
          productSetCode,
          communeCode: subject.communeCode,
          provinceCode: subject.provinceCode,
          sheetId: sheet.id,
          evaluationType: input.evaluationType,
          createdBy: actor.userId,
        })
        .returning();
      await tx.insert(evaluationDossierTransitions).values({
        dossierId: row!.id,
        action: 'create',
        fromState: null,
        toState: 'draft',
        actorId: actor.userId,
      });
      await recordAudit(tx, ctx, {
        action: 'evaluation.dossier.created',
        entityType: 'evaluation_dossier',
        entityId: row!.id,
        after: toListItem(row!),
      });
      return row!.id;
    });
    return getDossier({ ctx, input: { id } });
  } catch (error) {
    if (uniqueViolation(error) !== null) throw fieldError('productId', dossierMessages.duplicate, 'CONFLICT');
    throw error;
  }
}

/** The names of the people who moved a dossier, for its history (an account never disappears, but be safe). */
async function actorNames(
  ctx: RequestContext,
  ids: readonly (string | null)[],
): Promise<Map<string, string>> {
  const distinct = [...new Set(ids.filter((id): id is string => id !== null))];
  const names = await Promise.all(
    distinct.map((id) =>
      getUser({ ctx, input: { id }, skipPolicy: true }).then(
        (user) => [id, user.fullName] as const,
        () => null,
      ),
    ),
  );
  return new Map(names.filter((n) => n !== null));
}

export async function getDossier({ ctx, input }: Ctx & { input: { id: string } }): Promise<DossierView> {
  const { db } = ctx.database;
  const access = await loadDossierFor(db, ctx.actor!, input.id);
  requireReader(access);
  const view = await dossierView(db, access);
  const names = await actorNames(
    ctx,
    view.transitions.map((t) => t.actorId),
  );
  return {
    ...view,
    transitions: view.transitions.map((t) => ({
      ...t,
      actorName: t.actorId ? (names.get(t.actorId) ?? null) : null,
    })),
  };
}

/** The dossiers of a cycle the caller may see, filtered and paged (oldest first, a stable order). */
/**
 * The sheet and rule-set a dossier is scored under, frozen with its cycle. The producer reads them
 * for the self-assessment, the council for scoring; the criteria API stays with officers.
 */
export async function getScoringDocuments({
  ctx,
  input,
}: Ctx & { input: { id: string } }): Promise<ScoringDocumentsView> {
  const { db } = ctx.database;
  const access = await loadDossierFor(db, ctx.actor!, input.id);
  requireReader(access);
  const [sheet, ruleSet] = await Promise.all([
    frozenSheet(db, access.dossier.sheetId),
    frozenRuleSet(db, access.cycle.ruleSetId),
  ]);
  return { sheet: sheet.document, ruleSet };
}

export async function listDossiers({ ctx, input }: Ctx & { input: ListDossiersQuery & { cycleId: string } }) {
  const actor = ctx.actor!;
  const { db } = ctx.database;
  const { cycle, seats, manages } = await loadCycleFor(db, actor, input.cycleId);
  const visible: SQL[] = [];
  if (manages) visible.push(sql`true`);
  if (actor.role === 'commune_officer' && actor.communeCode) {
    visible.push(eq(evaluationDossiers.communeCode, actor.communeCode));
  }
  if (actor.role === 'producer' && actor.subjectIds.length) {
    visible.push(inArray(evaluationDossiers.subjectId, actor.subjectIds));
  }
  if (seats.length) {
    visible.push(
      inArray(
        evaluationDossiers.councilId,
        seats.map((s) => s.councilId),
      ),
    );
  }
  const conditions: SQL[] = [
    eq(evaluationDossiers.cycleId, cycle.id),
    visible.length ? sql`(${sql.join(visible, sql` or `)})` : sql`false`,
  ];
  if (input.state) conditions.push(eq(evaluationDossiers.state, input.state));
  if (input.evaluationType) conditions.push(eq(evaluationDossiers.evaluationType, input.evaluationType));
  if (input.communeCode) conditions.push(eq(evaluationDossiers.communeCode, input.communeCode));
  if (input.councilId) conditions.push(eq(evaluationDossiers.councilId, input.councilId));
  const q = input.q ? foldAccents(input.q) : '';
  if (q)
    conditions.push(sql`ocop_fold(${evaluationDossiers.productName}) like '%' || ${likeEscape(q)} || '%'`);
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(evaluationDossiers)
      .where(where)
      .orderBy(asc(evaluationDossiers.createdAt), asc(evaluationDossiers.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ n: count() }).from(evaluationDossiers).where(where),
  ]);
  return {
    items: rows.map(toListItem),
    total: Number(total?.n ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}

/**
 * A producer's own dossiers in every cycle (those of the subjects they represent), newest first,
 * with the cycle each belongs to: where they follow their applications and find published results.
 */
export async function listMyDossiers({ ctx, input }: Ctx & { input: ListMyDossiersQuery }): Promise<{
  items: MyDossierItem[];
  total: number;
  page: number;
  pageSize: number;
}> {
  const actor = ctx.actor!;
  const { db } = ctx.database;
  if (!actor.subjectIds.length) return { items: [], total: 0, page: input.page, pageSize: input.pageSize };
  const conditions: SQL[] = [inArray(evaluationDossiers.subjectId, actor.subjectIds)];
  if (input.state) conditions.push(eq(evaluationDossiers.state, input.state));
  const where = and(...conditions);
  const [rows, [total]] = await Promise.all([
    db
      .select({ dossier: evaluationDossiers, cycle: evaluationCycles })
      .from(evaluationDossiers)
      .innerJoin(evaluationCycles, eq(evaluationCycles.id, evaluationDossiers.cycleId))
      .where(where)
      .orderBy(desc(evaluationDossiers.createdAt), asc(evaluationDossiers.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ n: count() }).from(evaluationDossiers).where(where),
  ]);
  return {
    items: rows.map(({ dossier, cycle }) => ({
      ...toListItem(dossier),
      cycle: {
        id: cycle.id,
        name: cycle.name,
        level: cycle.level as CycleView['level'],
        year: cycle.year,
        round: cycle.round,
        submissionDeadline: cycle.submissionDeadline,
      },
    })),
    total: Number(total?.n ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}

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
