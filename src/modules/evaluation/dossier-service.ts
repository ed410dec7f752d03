/**
 * Dossiers: creating one for a product in an open cycle, reading one with its checklist and history,
 * the lists (a cycle's, a subject's own), and the documents the council scores from.
 */
import { and, asc, count, desc, eq, inArray, isNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { uniqueViolation } from '../../db/errors';
import { likeEscape } from '../../db/sql';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError } from '../../server/errors';
import { foldAccents } from '../../shared/text';
import { getUser } from '../accounts';
import { recordAudit } from '../audit';
import { checklistFor, findActiveSheet, validateSheet } from '../criteria';
import { getProduct } from '../products';
import { getSubjectLocation } from '../subjects';
import {
  type DossierAccess,
  type DossierRow,
  frozenRuleSet,
  frozenSheet,
  loadCycleFor,
  loadDossierFor,
  requireReader,
} from './access';
import type {
  CreateDossierInput,
  CycleView,
  DossierListItem,
  DossierView,
  ListDossiersQuery,
  ListMyDossiersQuery,
  MyDossierItem,
  ScoringDocumentsView,
} from './contract';
import { documentViewOf } from './document-service';
import { type Ctx, dossierMessages, noSheetMessage } from './messages';
import { availableActions, type DossierState, type EvaluationType, type SelfAssessment } from './rules';
import {
  evaluationCycles,
  evaluationDossierDocuments,
  evaluationDossiers,
  evaluationDossierTransitions,
} from './schema';

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
export async function checklistOf(db: DbOrTx, access: Pick<DossierAccess, 'dossier' | 'cycle'>) {
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
