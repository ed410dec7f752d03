import { createHash } from 'node:crypto';
import { and, asc, desc, eq, inArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../../db/client';
import { isUniqueViolation } from '../../db/errors';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, type Message, notFound } from '../../server/errors';
import { recordAudit } from '../audit';
import type {
  RuleSetParametersInput,
  RuleSetSummary,
  RuleSetView,
  SheetSummary,
  SheetView,
  ShippedLoadResult,
} from './contract';
import type { DocumentStatus, RuleSet, RuleSetBundle, Sheet } from './documents';
import { canActivateSheet } from './policy';
import { criteriaRuleSets, criteriaSheets } from './schema';
import { readShippedCriteria } from './shipped';
import type { Problem } from './tree';
import { validateRuleSet, validateSheet } from './validate';

type Ctx = { ctx: RequestContext };
type RuleSetRow = typeof criteriaRuleSets.$inferSelect;
type SheetRow = typeof criteriaSheets.$inferSelect;

// ---------------------------------------------------------------- shaping

/** Stored documents always say "draft": the row's status is the truth, written back on the way out. */
const asStored = <T extends { status: DocumentStatus }>(document: T): T => ({ ...document, status: 'draft' });
const hashDocument = (document: unknown) =>
  createHash('sha256').update(JSON.stringify(document)).digest('hex');
const counts = (problems: Problem[]) => ({
  errorCount: problems.filter((p) => p.severity === 'error').length,
  warningCount: problems.filter((p) => p.severity === 'warning').length,
});

function lifecycleOf(row: RuleSetRow | SheetRow) {
  return {
    id: row.id,
    code: row.code,
    revision: row.revision,
    status: row.status as DocumentStatus,
    errorCount: row.errorCount,
    warningCount: row.warningCount,
    contentHash: row.contentHash,
    version: row.version,
    createdAt: row.createdAt,
    activatedAt: row.activatedAt,
    retiredAt: row.retiredAt,
  };
}

function toRuleSetSummary(row: RuleSetRow): RuleSetSummary {
  const d = row.document;
  return {
    ...lifecycleOf(row),
    name: d.name,
    legalBasis: d.legalBasis.map((l) => l.document),
    inForce: { from: d.inForce.from, to: d.inForce.to },
    taxonomyScheme: d.taxonomyScheme,
  };
}

function toRuleSetView(row: RuleSetRow): RuleSetView {
  return {
    ...toRuleSetSummary(row),
    document: { ...row.document, status: row.status as DocumentStatus },
    problems: row.problems,
  };
}

function toSheetSummary(row: SheetRow): SheetSummary {
  const d = row.document;
  return {
    ...lifecycleOf(row),
    ruleSetCode: row.ruleSetCode,
    productSet: d.productSet,
    title: d.title,
    demo: row.demo,
    validatedAgainst: row.validatedAgainst,
  };
}

function toSheetView(row: SheetRow): SheetView {
  return {
    ...toSheetSummary(row),
    document: { ...row.document, status: row.status as DocumentStatus },
    problems: row.problems,
  };
}

// ---------------------------------------------------------------- helpers

const ruleSetNotFound = () => notFound({ vi: 'Không tìm thấy bộ tiêu chí.', en: 'Rule-set not found.' });
const sheetNotFound = () => notFound({ vi: 'Không tìm thấy phiếu chấm.', en: 'Scoring sheet not found.' });

/** Imports of one code run one at a time, so two never take the same revision number. */
async function lockCode(tx: Tx, kind: string, code: string) {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`criteria:${kind}:${code}`}))`);
}

/** The problems as error fields, keyed by their path in the document. */
function problemFields(problems: Problem[]): Record<string, Message> {
  const fields: Record<string, Message> = {};
  for (const p of problems) {
    const existing = fields[p.path];
    fields[p.path] = existing
      ? { vi: `${existing.vi} ${p.vi}`, en: `${existing.en} ${p.en}` }
      : { vi: p.vi, en: p.en };
  }
  return fields;
}

function refuseActivation(problems: Problem[], what: Message): never {
  const errors = problems.filter((p) => p.severity === 'error');
  throw new AppError(
    'CONFLICT',
    {
      vi: `${what.vi} còn ${errors.length} lỗi, không thể kích hoạt: ${errors[0]?.vi ?? ''}`,
      en: `${what.en} has ${errors.length} error(s) and cannot be activated: ${errors[0]?.en ?? ''}`,
    },
    problemFields(errors),
  );
}

function requireStatus(row: { status: string }, allowed: DocumentStatus[], message: Message) {
  if (!allowed.includes(row.status as DocumentStatus)) throw new AppError('CONFLICT', message);
}

async function lockRuleSet(tx: Tx, id: string, version?: number): Promise<RuleSetRow> {
  const [row] = await tx.select().from(criteriaRuleSets).where(eq(criteriaRuleSets.id, id)).for('update');
  if (!row) throw ruleSetNotFound();
  if (version !== undefined && row.version !== version) throw new AppError('STALE');
  return row;
}

async function lockSheet(tx: Tx, id: string, version?: number): Promise<SheetRow> {
  const [row] = await tx.select().from(criteriaSheets).where(eq(criteriaSheets.id, id)).for('update');
  if (!row) throw sheetNotFound();
  if (version !== undefined && row.version !== version) throw new AppError('STALE');
  return row;
}

/** The revision a sheet is checked against: the active one of its code, else the latest. */
async function referenceRuleSet(db: DbOrTx, code: string): Promise<RuleSetRow | undefined> {
  const [row] = await db
    .select()
    .from(criteriaRuleSets)
    .where(eq(criteriaRuleSets.code, code))
    .orderBy(sql`(${criteriaRuleSets.status} = 'active') desc`, desc(criteriaRuleSets.revision))
    .limit(1);
  return row;
}

// ---------------------------------------------------------------- import

type ImportedRuleSet = { created: boolean; row: RuleSetRow };
type ImportedSheet = { created: boolean; row: SheetRow };

async function importRuleSetIn(
  tx: Tx,
  ctx: Pick<RequestContext, 'actor'>,
  input: RuleSet,
): Promise<ImportedRuleSet> {
  const document = asStored(input);
  const contentHash = hashDocument(document);
  await lockCode(tx, 'rule-set', document.code);
  const [latest] = await tx
    .select()
    .from(criteriaRuleSets)
    .where(eq(criteriaRuleSets.code, document.code))
    .orderBy(desc(criteriaRuleSets.revision))
    .limit(1);
  if (latest && latest.contentHash === contentHash) return { created: false, row: latest };
  const problems = validateRuleSet(document);
  const [row] = await tx
    .insert(criteriaRuleSets)
    .values({
      code: document.code,
      revision: (latest?.revision ?? 0) + 1,
      document,
      problems,
      ...counts(problems),
      contentHash,
      createdBy: ctx.actor?.userId ?? null,
    })
    .returning();
  await recordAudit(tx, ctx, {
    action: 'criteria.rule_set.imported',
    entityType: 'criteria_rule_set',
    entityId: row!.id,
    after: { code: row!.code, revision: row!.revision, contentHash, ...counts(problems) },
  });
  return { created: true, row: row! };
}

async function importSheetIn(
  tx: Tx,
  ctx: Pick<RequestContext, 'actor'>,
  input: Sheet,
): Promise<ImportedSheet> {
  const document = asStored(input);
  const ruleSet = await referenceRuleSet(tx, document.ruleSet);
  if (!ruleSet) {
    throw fieldError('ruleSet', {
      vi: `Chưa có bộ tiêu chí "${document.ruleSet}"; hãy nhập bộ tiêu chí trước.`,
      en: `There is no rule-set "${document.ruleSet}"; import the rule-set first.`,
    });
  }
  const contentHash = hashDocument(document);
  await lockCode(tx, 'sheet', document.code);
  const [latest] = await tx
    .select()
    .from(criteriaSheets)
    .where(eq(criteriaSheets.code, document.code))
    .orderBy(desc(criteriaSheets.revision))
    .limit(1);
  if (
    latest &&
    (latest.ruleSetCode !== document.ruleSet || latest.productSetCode !== document.productSet.code)
  ) {
    throw fieldError('code', {
      vi: `Mã phiếu "${document.code}" đã dùng cho bộ tiêu chí "${latest.ruleSetCode}", bộ sản phẩm "${latest.productSetCode}".`,
      en: `Sheet code "${document.code}" is already used for rule-set "${latest.ruleSetCode}", product set "${latest.productSetCode}".`,
    });
  }
  if (latest && latest.contentHash === contentHash) return { created: false, row: latest };
  const problems = validateSheet(document, ruleSet.document);
  const [row] = await tx
    .insert(criteriaSheets)
    .values({
      code: document.code,
      revision: (latest?.revision ?? 0) + 1,
      ruleSetCode: document.ruleSet,
      productSetScheme: document.productSet.scheme,
      productSetCode: document.productSet.code,
      demo: document.demo,
      document,
      problems,
      ...counts(problems),
      validatedAgainst: ruleSet.id,
      contentHash,
      createdBy: ctx.actor?.userId ?? null,
    })
    .returning();
  await recordAudit(tx, ctx, {
    action: 'criteria.sheet.imported',
    entityType: 'criteria_sheet',
    entityId: row!.id,
    after: {
      code: row!.code,
      revision: row!.revision,
      ruleSetCode: row!.ruleSetCode,
      productSetCode: row!.productSetCode,
      demo: row!.demo,
      contentHash,
      ...counts(problems),
    },
  });
  return { created: true, row: row! };
}

/** Stores a rule-set document with its validation report; the same content twice is stored once. */
export async function importRuleSet({ ctx, input }: Ctx & { input: RuleSet }) {
  const result = await ctx.database.db.transaction((tx) => importRuleSetIn(tx, ctx, input));
  return { created: result.created, ruleSet: toRuleSetView(result.row) };
}

/** Stores a sheet with its validation report against its rule-set; its rule-set must exist. */
export async function importSheet({ ctx, input }: Ctx & { input: Sheet }) {
  const result = await ctx.database.db.transaction((tx) => importSheetIn(tx, ctx, input));
  return { created: result.created, sheet: toSheetView(result.row) };
}

/** A rule-set and its sheets in one transaction: all stored, or none. */
export async function importBundle({ ctx, input }: Ctx & { input: RuleSetBundle }) {
  return ctx.database.db.transaction(async (tx) => {
    const ruleSet = await importRuleSetIn(tx, ctx, input.ruleSet);
    const sheets: ImportedSheet[] = [];
    for (const [index, sheet] of input.sheets.entries()) {
      if (sheet.ruleSet !== input.ruleSet.code) {
        throw fieldError(`sheets.${index}.ruleSet`, {
          vi: `Phiếu thuộc bộ tiêu chí "${sheet.ruleSet}", không phải "${input.ruleSet.code}".`,
          en: `The sheet belongs to rule-set "${sheet.ruleSet}", not "${input.ruleSet.code}".`,
        });
      }
      sheets.push(await importSheetIn(tx, ctx, sheet));
    }
    return {
      ruleSet: { created: ruleSet.created, ruleSet: toRuleSetView(ruleSet.row) },
      sheets: sheets.map((s) => ({ created: s.created, sheet: toSheetView(s.row) })),
    };
  });
}

/** The rule-set values the regulation leaves open ([open] in DOMAIN.md), which an administrator sets. */
const OPEN_PARAMETERS = ['rounding', 'minimumSheets', 'requirementJudgement', 'outlierDistance'] as const;

/** JSON with object keys sorted, so documents read back from jsonb (which reorders keys) compare equal. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}

/**
 * A stored revision that is the shipped rule-set with, at most, its open parameters set by an
 * administrator: loading the shipped data again must not add a fresh draft beside it.
 */
async function storedShippedRuleSet(tx: Tx, shipped: RuleSet): Promise<RuleSetRow | undefined> {
  const rows = await tx.select().from(criteriaRuleSets).where(eq(criteriaRuleSets.code, shipped.code));
  const target = canonicalJson(asStored(shipped));
  return rows.find((row) => {
    const withShippedParameters: RuleSet = { ...row.document };
    for (const name of OPEN_PARAMETERS) {
      if (shipped[name].source === 'open') Object.assign(withShippedParameters, { [name]: shipped[name] });
    }
    return canonicalJson(asStored(withShippedParameters)) === target;
  });
}

/**
 * Imports the rule-sets and sheets shipped under data/criteria/ that are not stored yet, as drafts.
 * Safe to run at every start: unchanged documents add nothing, nor does a rule-set whose open
 * parameters an administrator has set since.
 */
export async function loadShippedCriteria({
  ctx,
}: {
  ctx: Pick<RequestContext, 'database' | 'actor'>;
}): Promise<ShippedLoadResult> {
  const shipped = readShippedCriteria();
  return ctx.database.db.transaction(async (tx) => {
    const ruleSets = [];
    for (const { document } of shipped.ruleSets) {
      const stored = await storedShippedRuleSet(tx, document);
      if (stored) {
        ruleSets.push({ code: stored.code, revision: stored.revision, created: false });
        continue;
      }
      const { created, row } = await importRuleSetIn(tx, ctx, document);
      ruleSets.push({ code: row.code, revision: row.revision, created });
    }
    const sheets = [];
    for (const { document } of shipped.sheets) {
      const { created, row } = await importSheetIn(tx, ctx, document);
      sheets.push({ code: row.code, revision: row.revision, created });
    }
    return { ruleSets, sheets };
  });
}

// ---------------------------------------------------------------- rule-set lifecycle

/**
 * Sets the [open] parameters of a draft: the values the regulation does not fix. A value the
 * regulation fixes (source law/press) is changed only by importing a corrected document.
 */
export async function setRuleSetParameters({
  ctx,
  input,
}: Ctx & { input: RuleSetParametersInput & { id: string } }) {
  return ctx.database.db.transaction(async (tx) => {
    const row = await lockRuleSet(tx, input.id, input.version);
    requireStatus(row, ['draft'], {
      vi: 'Chỉ sửa được tham số của bộ tiêu chí ở trạng thái nháp.',
      en: 'Only a draft rule-set has parameters to set.',
    });
    const before = row.document;
    const next: RuleSet = { ...before };
    for (const name of OPEN_PARAMETERS) {
      if (input[name] === undefined) continue;
      if (before[name].source !== 'open') {
        throw fieldError(name, {
          vi: 'Giá trị này do văn bản quy định; muốn sửa hãy nhập bộ tiêu chí đã chỉnh.',
          en: 'The regulation fixes this value; import a corrected rule-set to change it.',
        });
      }
    }
    if (input.rounding) next.rounding = { ...input.rounding, source: before.rounding.source };
    if (input.minimumSheets !== undefined) {
      next.minimumSheets = { value: input.minimumSheets, source: before.minimumSheets.source };
    }
    if (input.requirementJudgement) {
      next.requirementJudgement = {
        mode: input.requirementJudgement,
        source: before.requirementJudgement.source,
      };
    }
    if (input.outlierDistance !== undefined) {
      next.outlierDistance = { value: input.outlierDistance, source: before.outlierDistance.source };
    }
    const problems = validateRuleSet(next);
    const [updated] = await tx
      .update(criteriaRuleSets)
      .set({
        document: next,
        problems,
        ...counts(problems),
        contentHash: hashDocument(next),
        version: row.version + 1,
        updatedAt: new Date(),
      })
      .where(eq(criteriaRuleSets.id, row.id))
      .returning();
    const pick = (d: RuleSet) => Object.fromEntries(OPEN_PARAMETERS.map((n) => [n, d[n]]));
    await recordAudit(tx, ctx, {
      action: 'criteria.rule_set.parameters_set',
      entityType: 'criteria_rule_set',
      entityId: row.id,
      before: pick(before),
      after: pick(next),
    });
    return toRuleSetView(updated!);
  });
}

/** Activates a valid draft; the code's active revision, if any, is retired in the same transaction. */
export async function activateRuleSet({ ctx, input }: Ctx & { input: { id: string; version: number } }) {
  try {
    return await ctx.database.db.transaction(async (tx) => {
      const row = await lockRuleSet(tx, input.id, input.version);
      requireStatus(row, ['draft'], {
        vi: 'Chỉ bộ tiêu chí ở trạng thái nháp mới kích hoạt được.',
        en: 'Only a draft rule-set can be activated.',
      });
      const problems = validateRuleSet(row.document);
      if (problems.some((p) => p.severity === 'error')) {
        refuseActivation(problems, { vi: 'Bộ tiêu chí', en: 'The rule-set' });
      }
      await lockCode(tx, 'rule-set', row.code);
      const now = new Date();
      const retired = await tx
        .update(criteriaRuleSets)
        .set({
          status: 'retired',
          retiredAt: now,
          updatedAt: now,
          version: sql`${criteriaRuleSets.version} + 1`,
        })
        .where(and(eq(criteriaRuleSets.code, row.code), eq(criteriaRuleSets.status, 'active')))
        .returning({ id: criteriaRuleSets.id, revision: criteriaRuleSets.revision });
      for (const old of retired) {
        await recordAudit(tx, ctx, {
          action: 'criteria.rule_set.retired',
          entityType: 'criteria_rule_set',
          entityId: old.id,
          before: { status: 'active' },
          after: { status: 'retired', replacedBy: row.id },
        });
      }
      const [updated] = await tx
        .update(criteriaRuleSets)
        .set({
          status: 'active',
          activatedAt: now,
          updatedAt: now,
          problems,
          ...counts(problems),
          version: row.version + 1,
        })
        .where(eq(criteriaRuleSets.id, row.id))
        .returning();
      await recordAudit(tx, ctx, {
        action: 'criteria.rule_set.activated',
        entityType: 'criteria_rule_set',
        entityId: row.id,
        before: { status: 'draft' },
        after: { status: 'active', code: row.code, revision: row.revision },
      });
      return toRuleSetView(updated!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('STALE');
    throw error;
  }
}

/** Takes a rule-set out of use; evaluations that froze it keep reading it. */
export async function retireRuleSet({ ctx, input }: Ctx & { input: { id: string; version: number } }) {
  return ctx.database.db.transaction(async (tx) => {
    const row = await lockRuleSet(tx, input.id, input.version);
    requireStatus(row, ['draft', 'active'], {
      vi: 'Bộ tiêu chí đã ngừng áp dụng.',
      en: 'The rule-set is already retired.',
    });
    const now = new Date();
    const [updated] = await tx
      .update(criteriaRuleSets)
      .set({ status: 'retired', retiredAt: now, updatedAt: now, version: row.version + 1 })
      .where(eq(criteriaRuleSets.id, row.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'criteria.rule_set.retired',
      entityType: 'criteria_rule_set',
      entityId: row.id,
      before: { status: row.status },
      after: { status: 'retired' },
    });
    return toRuleSetView(updated!);
  });
}

// ---------------------------------------------------------------- sheet lifecycle

/**
 * Activates a draft sheet after validating it again against the active revision of its rule-set;
 * the active sheet of the same rule-set and product set, if any, is retired in the same transaction.
 */
export async function activateSheet({ ctx, input }: Ctx & { input: { id: string; version: number } }) {
  try {
    return await ctx.database.db.transaction(async (tx) => {
      const row = await lockSheet(tx, input.id, input.version);
      requireStatus(row, ['draft'], {
        vi: 'Chỉ phiếu ở trạng thái nháp mới kích hoạt được.',
        en: 'Only a draft sheet can be activated.',
      });
      if (!canActivateSheet(row, ctx.config)) {
        throw new AppError('CONFLICT', {
          vi: 'Phiếu minh hoạ chỉ được kích hoạt trên bản cài đặt minh hoạ.',
          en: 'A demo sheet can only be activated on a demo installation.',
        });
      }
      const [ruleSet] = await tx
        .select()
        .from(criteriaRuleSets)
        .where(and(eq(criteriaRuleSets.code, row.ruleSetCode), eq(criteriaRuleSets.status, 'active')))
        .limit(1);
      if (!ruleSet) {
        throw new AppError('CONFLICT', {
          vi: `Bộ tiêu chí "${row.ruleSetCode}" chưa được kích hoạt; hãy kích hoạt bộ tiêu chí trước.`,
          en: `Rule-set "${row.ruleSetCode}" is not active; activate it first.`,
        });
      }
      const problems = validateSheet(row.document, ruleSet.document);
      if (problems.some((p) => p.severity === 'error')) {
        refuseActivation(problems, { vi: 'Phiếu chấm', en: 'The sheet' });
      }
      await lockCode(tx, 'sheet-slot', `${row.ruleSetCode}/${row.productSetCode}`);
      const now = new Date();
      const retired = await tx
        .update(criteriaSheets)
        .set({
          status: 'retired',
          retiredAt: now,
          updatedAt: now,
          version: sql`${criteriaSheets.version} + 1`,
        })
        .where(
          and(
            eq(criteriaSheets.ruleSetCode, row.ruleSetCode),
            eq(criteriaSheets.productSetCode, row.productSetCode),
            eq(criteriaSheets.status, 'active'),
          ),
        )
        .returning({ id: criteriaSheets.id });
      for (const old of retired) {
        await recordAudit(tx, ctx, {
          action: 'criteria.sheet.retired',
          entityType: 'criteria_sheet',
          entityId: old.id,
          before: { status: 'active' },
          after: { status: 'retired', replacedBy: row.id },
        });
      }
      const [updated] = await tx
        .update(criteriaSheets)
        .set({
          status: 'active',
          activatedAt: now,
          updatedAt: now,
          problems,
          ...counts(problems),
          validatedAgainst: ruleSet.id,
          version: row.version + 1,
        })
        .where(eq(criteriaSheets.id, row.id))
        .returning();
      await recordAudit(tx, ctx, {
        action: 'criteria.sheet.activated',
        entityType: 'criteria_sheet',
        entityId: row.id,
        before: { status: 'draft' },
        after: { status: 'active', code: row.code, revision: row.revision, ruleSetId: ruleSet.id },
      });
      return toSheetView(updated!);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new AppError('STALE');
    throw error;
  }
}

export async function retireSheet({ ctx, input }: Ctx & { input: { id: string; version: number } }) {
  return ctx.database.db.transaction(async (tx) => {
    const row = await lockSheet(tx, input.id, input.version);
    requireStatus(row, ['draft', 'active'], {
      vi: 'Phiếu chấm đã ngừng áp dụng.',
      en: 'The sheet is already retired.',
    });
    const now = new Date();
    const [updated] = await tx
      .update(criteriaSheets)
      .set({ status: 'retired', retiredAt: now, updatedAt: now, version: row.version + 1 })
      .where(eq(criteriaSheets.id, row.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'criteria.sheet.retired',
      entityType: 'criteria_sheet',
      entityId: row.id,
      before: { status: row.status },
      after: { status: 'retired' },
    });
    return toSheetView(updated!);
  });
}

// ---------------------------------------------------------------- reading and export

const LIST_LIMIT = 500;

export async function listRuleSets({
  ctx,
  input,
}: Ctx & { input: { code?: string | undefined; status?: DocumentStatus | undefined } }) {
  const conditions: SQL[] = [];
  if (input.code) conditions.push(eq(criteriaRuleSets.code, input.code));
  if (input.status) conditions.push(eq(criteriaRuleSets.status, input.status));
  const rows = await ctx.database.db
    .select()
    .from(criteriaRuleSets)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(asc(criteriaRuleSets.code), desc(criteriaRuleSets.revision))
    .limit(LIST_LIMIT);
  return { items: rows.map(toRuleSetSummary) };
}

export async function getRuleSet({ ctx, input }: Ctx & { input: { id: string } }) {
  const [row] = await ctx.database.db
    .select()
    .from(criteriaRuleSets)
    .where(eq(criteriaRuleSets.id, input.id));
  if (!row) throw ruleSetNotFound();
  return toRuleSetView(row);
}

export async function listSheets({
  ctx,
  input,
}: Ctx & {
  input: {
    ruleSetCode?: string | undefined;
    productSetCode?: string | undefined;
    status?: DocumentStatus | undefined;
  };
}) {
  const conditions: SQL[] = [];
  if (input.ruleSetCode) conditions.push(eq(criteriaSheets.ruleSetCode, input.ruleSetCode));
  if (input.productSetCode) conditions.push(eq(criteriaSheets.productSetCode, input.productSetCode));
  if (input.status) conditions.push(eq(criteriaSheets.status, input.status));
  const rows = await ctx.database.db
    .select()
    .from(criteriaSheets)
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(
      asc(criteriaSheets.ruleSetCode),
      asc(criteriaSheets.productSetCode),
      asc(criteriaSheets.code),
      desc(criteriaSheets.revision),
    )
    .limit(LIST_LIMIT);
  return { items: rows.map(toSheetSummary) };
}

export async function getSheet({ ctx, input }: Ctx & { input: { id: string } }) {
  const [row] = await ctx.database.db.select().from(criteriaSheets).where(eq(criteriaSheets.id, input.id));
  if (!row) throw sheetNotFound();
  return toSheetView(row);
}

export async function exportSheet({ ctx, input }: Ctx & { input: { id: string } }): Promise<Sheet> {
  return (await getSheet({ ctx, input })).document;
}

/**
 * The rule-set document with its sheets, as one importable bundle: per sheet code of this
 * rule-set, the active revision, or the latest when none is active.
 */
export async function exportRuleSet({ ctx, input }: Ctx & { input: { id: string } }): Promise<RuleSetBundle> {
  const ruleSet = await getRuleSet({ ctx, input });
  const rows = await ctx.database.db
    .select()
    .from(criteriaSheets)
    .where(eq(criteriaSheets.ruleSetCode, ruleSet.code))
    .orderBy(
      asc(criteriaSheets.code),
      sql`(${criteriaSheets.status} = 'active') desc`,
      desc(criteriaSheets.revision),
    );
  const chosen = new Map<string, SheetRow>();
  for (const row of rows) if (!chosen.has(row.code)) chosen.set(row.code, row);
  return {
    ruleSet: ruleSet.document,
    sheets: [...chosen.values()].map((row) => toSheetView(row).document),
  };
}

// ---------------------------------------------------------------- for the evaluation module

export type StoredRuleSet = { id: string; revision: number; document: RuleSet };
export type StoredSheet = { id: string; revision: number; ruleSetCode: string; document: Sheet };

/** The active revision of a rule-set code, which a new evaluation cycle freezes by id. */
export async function findActiveRuleSet(db: DbOrTx, code: string): Promise<StoredRuleSet | null> {
  const [row] = await db
    .select()
    .from(criteriaRuleSets)
    .where(and(eq(criteriaRuleSets.code, code), eq(criteriaRuleSets.status, 'active')))
    .limit(1);
  return row ? { id: row.id, revision: row.revision, document: row.document } : null;
}

/** The active sheet of a rule-set for a product set. */
export async function findActiveSheet(
  db: DbOrTx,
  ruleSetCode: string,
  productSetCode: string,
): Promise<StoredSheet | null> {
  const [row] = await db
    .select()
    .from(criteriaSheets)
    .where(
      and(
        eq(criteriaSheets.ruleSetCode, ruleSetCode),
        eq(criteriaSheets.productSetCode, productSetCode),
        eq(criteriaSheets.status, 'active'),
      ),
    )
    .limit(1);
  return row
    ? { id: row.id, revision: row.revision, ruleSetCode: row.ruleSetCode, document: row.document }
    : null;
}

/** Frozen revisions by id, whatever their status now: an evaluation reads what it was opened with. */
export async function getRuleSetsByIds(db: DbOrTx, ids: string[]): Promise<StoredRuleSet[]> {
  if (!ids.length) return [];
  const rows = await db.select().from(criteriaRuleSets).where(inArray(criteriaRuleSets.id, ids));
  return rows.map((row) => ({ id: row.id, revision: row.revision, document: row.document }));
}

export async function getSheetsByIds(db: DbOrTx, ids: string[]): Promise<StoredSheet[]> {
  if (!ids.length) return [];
  const rows = await db.select().from(criteriaSheets).where(inArray(criteriaSheets.id, ids));
  return rows.map((row) => ({
    id: row.id,
    revision: row.revision,
    ruleSetCode: row.ruleSetCode,
    document: row.document,
  }));
}
