import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, asc, count, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { Db, DbOrTx } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, type Message, notFound } from '../../server/errors';
import { WorkbookTooLarge } from '../../server/xlsx';
import { getCommune, getProvince, resolveAddresses } from '../admin-units/service';
import { recordAudit } from '../audit/service';
import { issuerProblem } from '../certificates/rules';
import { correctCertificate, findLatestByNumber, issueCertificate } from '../certificates/service';
import { getRuleSet, listRuleSets } from '../criteria/service';
import { localDate } from '../products/rules';
import { createProduct, getProduct, listProducts, updateProduct } from '../products/service';
import { productTaxonomy } from '../products/taxonomy';
import { checkSubjectFacts, checkSubjectTaxCode } from '../subjects/rules';
import { createSubject, getSubject, listSubjects, updateSubject } from '../subjects/service';
import type {
  CommitInput,
  DecideInput,
  ImportJobPage,
  ImportJobView,
  ImportReport,
  ImportRowView,
  ListImportsQuery,
  PreviewView,
  ProblemView,
  SetMappingInput,
} from './contract';
import { importMessages as messages, problemMessage } from './messages';
import { type FileKind, MAX_ROWS, readGrid, sniffFileKind, UnreadableWorkbook } from './parse';
import { canManageImportsIn } from './policy';
import {
  type ClassOption,
  cellText,
  detectHeader,
  fold,
  type Grid,
  headerSignature,
  type Mapping,
  matchCategory,
  type Problem,
  REQUIRED_FIELDS,
  type RowValues,
  readRow,
  rowFingerprint,
  ruleSetForDecision,
  sourceRefOf,
  splitAddress,
  suggestMapping,
} from './rules';
import {
  type CandidateCommune,
  type ImportCounts,
  importJobs,
  importLinks,
  importRows,
  importTemplates,
} from './schema';

type Ctx = { ctx: RequestContext };
type JobRow = typeof importJobs.$inferSelect;
type RowRecord = typeof importRows.$inferSelect;

/** Stored when the registry does not say (a subject needs one); reported as a warning on the row. */
const UNKNOWN_PERSON = 'Chưa có thông tin';

// ---------- files and jobs ----------

function filePath(ctx: RequestContext, job: Pick<JobRow, 'id' | 'fileKind'>): string {
  return path.join(ctx.config.uploadsDir, 'imports', `${job.id}.${job.fileKind}`);
}

async function readJobGrid(ctx: RequestContext, job: JobRow): Promise<Grid> {
  const bytes = fs.readFileSync(filePath(ctx, job));
  return (await readGrid(job.fileKind as FileKind, bytes)).grid;
}

/** Data rows after the header, with their 1-based sheet row numbers; trailing empty rows dropped. */
function dataRows(grid: Grid, job: Pick<JobRow, 'headerRow' | 'headerRows'>) {
  const start = job.headerRow - 1 + job.headerRows;
  const rows = grid.slice(start).map((cells, i) => ({ rowNumber: start + i + 1, cells }));
  while (rows.length && rows[rows.length - 1]!.cells.every((c) => cellText(c) === '')) rows.pop();
  return rows;
}

function toJobView(job: JobRow): ImportJobView {
  return {
    id: job.id,
    provinceCode: job.provinceCode,
    fileName: job.fileName,
    fileKind: job.fileKind as 'xlsx' | 'csv',
    sheetName: job.sheetName,
    status: job.status as ImportJobView['status'],
    headerRow: job.headerRow,
    headerRows: job.headerRows,
    headers: job.headers,
    mapping: job.mapping,
    suggestedMapping: suggestMapping(job.headers),
    fromTemplate: job.templateId !== null,
    totalRows: job.totalRows,
    processedRows: job.processedRows,
    counts: job.counts ?? null,
    failure: job.failure
      ? { rowNumber: job.failure.rowNumber, message: { vi: job.failure.message, en: job.failure.message } }
      : null,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    committedAt: job.committedAt,
  };
}

function problemViews(problems: readonly Problem[]): ProblemView[] {
  return problems.map((p) => ({ field: p.field, code: p.code, message: problemMessage(p) }));
}

function toRowView(row: RowRecord): ImportRowView {
  return {
    rowNumber: row.rowNumber,
    status: row.status as ImportRowView['status'],
    values: row.values,
    errors: problemViews(row.errors),
    warnings: problemViews(row.warnings),
    duplicateOf: row.duplicateOf,
    communeCode: row.communeCode,
    originalAddress: row.originalAddress,
    candidates: row.candidates,
    decision: row.decision ?? null,
    action: row.action as ImportRowView['action'],
    certificateId: row.certificateId,
  };
}

/** A job the actor may work on; any other answers 404, so ids of other provinces reveal nothing. */
async function loadJob(db: DbOrTx, ctx: RequestContext, id: string, forUpdate = false): Promise<JobRow> {
  const query = db.select().from(importJobs).where(eq(importJobs.id, id)).limit(1);
  const [job] = forUpdate ? await query.for('update') : await query;
  if (!job || !canManageImportsIn(ctx.actor!, job.provinceCode)) throw notFound(messages.notFound);
  return job;
}

async function jobRows(db: DbOrTx, jobId: string): Promise<RowRecord[]> {
  return db.select().from(importRows).where(eq(importRows.jobId, jobId)).orderBy(asc(importRows.rowNumber));
}

// ---------- upload and mapping ----------

export async function uploadImport({
  ctx,
  input,
}: Ctx & {
  input: { fileName: string; data: Buffer; provinceCode?: string | undefined };
}): Promise<ImportJobView> {
  const actor = ctx.actor!;
  const provinceCode = input.provinceCode || actor.provinceCode;
  if (!provinceCode) throw fieldError('provinceCode', messages.provinceRequired);
  if (!canManageImportsIn(actor, provinceCode)) throw new AppError('FORBIDDEN');
  if (!(await getProvince(ctx.database.db, provinceCode)))
    throw fieldError('provinceCode', messages.provinceUnknown);

  const kind = sniffFileKind(input.data);
  if (kind === 'xls') throw fieldError('file', messages.xls, 'UNSUPPORTED_MEDIA');
  if (kind === 'encoding') throw fieldError('file', messages.encoding, 'UNSUPPORTED_MEDIA');
  if (kind !== 'xlsx' && kind !== 'csv')
    throw fieldError('file', messages.notSpreadsheet, 'UNSUPPORTED_MEDIA');
  let grid: Grid;
  let sheetName: string;
  try {
    ({ grid, sheetName } = await readGrid(kind, input.data));
  } catch (error) {
    if (error instanceof UnreadableWorkbook)
      throw fieldError('file', messages.notSpreadsheet, 'UNSUPPORTED_MEDIA');
    if (error instanceof WorkbookTooLarge)
      throw fieldError('file', messages.inflatesTooMuch, 'PAYLOAD_TOO_LARGE');
    throw error;
  }
  const header = detectHeader(grid);
  if (!header) throw fieldError('file', messages.noHeader);
  const position = { headerRow: header.row + 1, headerRows: header.rows };
  const totalRows = dataRows(grid, position).length;
  if (totalRows > MAX_ROWS) throw fieldError('file', messages.tooManyRows, 'PAYLOAD_TOO_LARGE');

  const { db } = ctx.database;
  const [template] = await db
    .select()
    .from(importTemplates)
    .where(
      and(
        eq(importTemplates.provinceCode, provinceCode),
        eq(importTemplates.headerSignature, headerSignature(header.labels)),
      ),
    )
    .limit(1);
  const id = randomUUID();
  const target = filePath(ctx, { id, fileKind: kind });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, input.data);
  try {
    const job = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(importJobs)
        .values({
          id,
          provinceCode,
          fileName: input.fileName.slice(0, 255) || `registry.${kind}`,
          fileKind: kind,
          fileSha256: createHash('sha256').update(input.data).digest('hex'),
          byteSize: input.data.length,
          sheetName,
          ...position,
          headers: header.labels,
          mapping: template?.mapping ?? suggestMapping(header.labels),
          templateId: template?.id ?? null,
          totalRows,
          createdBy: actor.userId,
        })
        .returning();
      await recordAudit(tx, ctx, {
        action: 'import.uploaded',
        entityType: 'import',
        entityId: id,
        after: { ...row, headers: undefined },
      });
      return row!;
    });
    return toJobView(job);
  } catch (error) {
    fs.rmSync(target, { force: true });
    throw error;
  }
}

/**
 * Past imports, newest first, so an unfinished one can be resumed at its step. A province officer
 * sees their own province's only (asking for another is refused); an administrator sees all, or
 * one province.
 */
export async function listImports({ ctx, input }: Ctx & { input: ListImportsQuery }): Promise<ImportJobPage> {
  const actor = ctx.actor!;
  const provinceCode = actor.role === 'system_admin' ? input.provinceCode : actor.provinceCode;
  if (actor.role !== 'system_admin') {
    if (!provinceCode || (input.provinceCode && input.provinceCode !== provinceCode))
      throw new AppError('FORBIDDEN');
  }
  if (provinceCode && !canManageImportsIn(actor, provinceCode)) throw new AppError('FORBIDDEN');
  const { db } = ctx.database;
  const where: SQL | undefined = provinceCode ? eq(importJobs.provinceCode, provinceCode) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(importJobs)
      .where(where)
      .orderBy(desc(importJobs.createdAt), desc(importJobs.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ n: count() }).from(importJobs).where(where),
  ]);
  return {
    items: rows.map(toJobView),
    total: Number(total?.n ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}

export async function getImport({ ctx, input }: Ctx & { input: { id: string } }): Promise<ImportJobView> {
  return toJobView(await loadJob(ctx.database.db, ctx, input.id));
}

function checkMapping(mapping: Mapping, headers: readonly string[]): void {
  const fields: Record<string, Message> = {};
  const used = new Map<number, string>();
  for (const [field, column] of Object.entries(mapping)) {
    if (column === undefined) continue;
    if (column >= headers.length) fields[`mapping.${field}`] = messages.columnOutside;
    else if (used.has(column)) fields[`mapping.${field}`] = messages.columnTwice;
    used.set(column, field);
  }
  for (const field of REQUIRED_FIELDS) {
    if (mapping[field] === undefined) fields[`mapping.${field}`] = messages.fieldRequired;
  }
  const [first] = Object.values(fields);
  if (first) throw new AppError('VALIDATION', first, fields);
}

export async function setImportMapping({
  ctx,
  input,
}: Ctx & { input: SetMappingInput & { id: string } }): Promise<ImportJobView> {
  return ctx.database.db.transaction(async (tx) => {
    const job = await loadJob(tx, ctx, input.id, true);
    if (job.status === 'committed') throw new AppError('CONFLICT', messages.committed);
    checkMapping(input.mapping, job.headers);
    let templateId = job.templateId;
    if (input.remember) {
      const [template] = await tx
        .insert(importTemplates)
        .values({
          provinceCode: job.provinceCode,
          headerSignature: headerSignature(job.headers),
          mapping: input.mapping,
          updatedBy: ctx.actor!.userId,
        })
        .onConflictDoUpdate({
          target: [importTemplates.provinceCode, importTemplates.headerSignature],
          set: { mapping: input.mapping, updatedBy: ctx.actor!.userId, updatedAt: new Date() },
        })
        .returning({ id: importTemplates.id });
      templateId = template!.id;
    }
    // A new mapping reads the file differently: the last dry run no longer holds.
    const [after] = await tx
      .update(importJobs)
      .set({ mapping: input.mapping, templateId, status: 'uploaded', counts: null, updatedAt: new Date() })
      .where(eq(importJobs.id, job.id))
      .returning();
    await tx.delete(importRows).where(eq(importRows.jobId, job.id));
    await recordAudit(tx, ctx, {
      action: 'import.mapped',
      entityType: 'import',
      entityId: job.id,
      before: { mapping: job.mapping },
      after: { mapping: input.mapping, remembered: input.remember },
    });
    return toJobView(after!);
  });
}

export async function previewImport({
  ctx,
  input,
}: Ctx & { input: { id: string; limit: number } }): Promise<PreviewView> {
  const job = await loadJob(ctx.database.db, ctx, input.id);
  const rows = dataRows(await readJobGrid(ctx, job), job).slice(0, input.limit);
  return {
    headers: job.headers,
    rows: rows.map(({ rowNumber, cells }) => {
      const reading = readRow(cells, job.mapping);
      return {
        rowNumber,
        empty: reading.empty,
        values: reading.values,
        errors: problemViews(reading.errors),
        warnings: problemViews(reading.warnings),
      };
    }),
  };
}

// ---------- dry run ----------

const CLASS_OPTIONS = (() => {
  const options = (schemeCode: string, withGroups: boolean): ClassOption[] => {
    const scheme = productTaxonomy.schemes.find((s) => s.code === schemeCode);
    if (!scheme) return [];
    return scheme.groups.flatMap((g) => {
      const sets = [...(g.sets ?? []), ...(g.subGroups ?? []).flatMap((s) => s.sets)].map((s) => ({
        scheme: scheme.code,
        code: s.code,
        labels: [s.label.vi, s.label.en],
      }));
      return withGroups
        ? [{ scheme: scheme.code, code: g.code, labels: [g.label.vi, g.label.en] }, ...sets]
        : sets;
    });
  };
  const current = productTaxonomy.schemes.find((s) => s.current)!;
  const old = productTaxonomy.schemes.find((s) => !s.current && s.classifyAt === 'group-or-set');
  return { current: options(current.code, false), old: old ? options(old.code, true) : [] };
})();

type Levels = { level: string; certifiesStars: number[] }[];

async function ruleSetLevels(ctx: RequestContext, cache: Map<string, Levels | null>, code: string) {
  if (!cache.has(code)) {
    const { items } = await listRuleSets({ ctx, input: { code } });
    const chosen = items.find((r) => r.status === 'active') ?? items[0];
    cache.set(code, chosen ? (await getRuleSet({ ctx, input: { id: chosen.id } })).document.levels : null);
  }
  return cache.get(code) ?? null;
}

/** The address as written, for the record's `originalAddress` when it names pre-2025 units. */
function writtenAddress(values: RowValues): string {
  if (values.address) return values.address;
  return [values.commune, values.district, values.province].filter(Boolean).join(', ');
}

type Draft = Omit<RowRecord, 'jobId'>;

/**
 * Reads every row and checks what can be checked without writing: required values, the address
 * against the official conversion table (an old commune split between several current ones, or
 * one not found, is flagged for a person — never guessed), the class, the issuer's level under
 * the rule-set of the decision date, and whether committing would create, update or keep.
 */
export async function dryRunImport({ ctx, input }: Ctx & { input: { id: string } }): Promise<ImportReport> {
  const { db } = ctx.database;
  const job = await loadJob(db, ctx, input.id);
  if (job.status === 'committed') throw new AppError('CONFLICT', messages.committed);
  checkMapping(job.mapping, job.headers);
  const province = (await getProvince(db, job.provinceCode))!;
  const previous = new Map((await jobRows(db, job.id)).map((r) => [r.rowNumber, r.decision]));
  const rows = dataRows(await readJobGrid(ctx, job), job);
  const today = localDate(new Date(), ctx.config.timeZone);
  const levelsCache = new Map<string, Levels | null>();
  const seenFingerprints = new Map<string, number>();
  const seenRefs = new Map<string, { rowNumber: number; fingerprint: string }>();
  const drafts: Draft[] = [];
  const toResolve: {
    draft: Draft;
    address: { province?: string; district?: string; commune?: string; era?: 'old' };
  }[] = [];

  for (const { rowNumber, cells } of rows) {
    const reading = readRow(cells, job.mapping);
    const { values } = reading;
    const errors = [...reading.errors];
    const warnings = [...reading.warnings];
    const fingerprint = rowFingerprint(values);
    const draft: Draft = {
      rowNumber,
      status: 'ok',
      values,
      errors,
      warnings,
      fingerprint,
      sourceRef: null,
      duplicateOf: null,
      communeCode: null,
      originalAddress: null,
      candidates: [],
      decision: previous.get(rowNumber) ?? null,
      action: null,
      certificateId: null,
    };
    drafts.push(draft);
    if (reading.empty) {
      draft.status = 'empty';
      continue;
    }
    const earlier = seenFingerprints.get(fingerprint);
    if (earlier !== undefined) {
      draft.status = 'duplicate';
      draft.duplicateOf = earlier;
      warnings.push({ field: 'row', code: 'duplicate' });
      continue;
    }
    seenFingerprints.set(fingerprint, rowNumber);
    const sourceRef = sourceRefOf(job.provinceCode, values);
    draft.sourceRef = sourceRef;
    const sameRef = seenRefs.get(sourceRef);
    if (sameRef) errors.push({ field: 'row', code: 'conflictingDuplicate' });
    else seenRefs.set(sourceRef, { rowNumber, fingerprint });

    if (values.decisionDate && values.decisionDate > today)
      errors.push({ field: 'decisionDate', code: 'inFuture' });
    const ruleSet = values.decisionDate ? ruleSetForDecision(values.decisionDate) : null;
    if (
      values.category &&
      ruleSet &&
      !matchCategory(values.category, CLASS_OPTIONS.current, CLASS_OPTIONS.old, ruleSet)
    )
      errors.push({ field: 'category', code: 'unknown' });
    if (ruleSet && values.issuer && values.star !== null && values.star >= 3 && values.star <= 5) {
      const levels = await ruleSetLevels(ctx, levelsCache, ruleSet);
      const problem = levels ? issuerProblem(levels, values.issuer.level, values.star) : null;
      if (problem) errors.push({ field: 'issuer', code: problem });
    }
    if (values.taxCode && checkSubjectTaxCode(values.taxCode)) {
      warnings.push({ field: 'taxCode', code: 'invalidDropped' });
      values.taxCode = '';
    }
    // The subject rules (an enterprise needs its tax code…) would refuse the row at commit: say so now.
    if (values.subjectType) {
      const facts = {
        type: values.subjectType,
        taxCode: values.taxCode || null,
        businessRegistrationNo: null,
      };
      for (const problem of checkSubjectFacts({
        ...facts,
        workforceTotal: null,
        workforceLocal: null,
        workforceTrained: null,
        salesChannels: [],
      }))
        errors.push({
          field: problem.path === 'type' ? 'subjectType' : 'taxCode',
          code: problem.message.split('.').pop()!,
        });
    }
    if (!values.legalRepresentative) {
      const i = warnings.findIndex((w) => w.field === 'legalRepresentative');
      if (i >= 0) warnings[i] = { field: 'legalRepresentative', code: 'placeholder' };
    }
    const parts = values.commune || values.district ? values : splitAddress(values.address);
    if (parts.commune || parts.district) {
      toResolve.push({
        draft,
        address: {
          province: parts.province || province.name,
          ...(parts.district ? { district: parts.district, era: 'old' as const } : {}),
          ...(parts.commune ? { commune: parts.commune } : {}),
        },
      });
    } else if (!errors.some((e) => e.field === 'address')) {
      errors.push({ field: 'address', code: 'unknownCommune' });
    }
  }

  for (let i = 0; i < toResolve.length; i += 500) {
    const batch = toResolve.slice(i, i + 500);
    const { results } = await resolveAddresses({ ctx, input: { addresses: batch.map((b) => b.address) } });
    batch.forEach(({ draft }, j) => {
      const result = results[j]!;
      if (result.status === 'resolved' && result.current) {
        if (result.current.provinceCode !== job.provinceCode)
          draft.errors.push({ field: 'address', code: 'otherProvince' });
        else draft.communeCode = result.current.communeCode;
      } else {
        draft.candidates = result.candidates.map(
          (c): CandidateCommune => ({
            communeCode: c.communeCode,
            communeName: c.communeName,
            provinceCode: c.provinceCode,
            provinceName: c.provinceName,
            reason: c.reason,
          }),
        );
        draft.warnings.push({
          field: 'address',
          code: result.status === 'needs_decision' ? 'severalCommunes' : 'unknownCommune',
        });
        if (draft.decision) {
          draft.communeCode = draft.decision.communeCode;
          draft.warnings.push({ field: 'address', code: 'decided' });
        }
      }
      // Written with pre-2025 units: the record keeps the address as the registry wrote it.
      if (result.matchedOld.length > 0 && result.matchedCurrent.length === 0)
        draft.originalAddress = writtenAddress(draft.values);
    });
  }

  const links = new Map(
    (await db.select().from(importLinks).where(eq(importLinks.provinceCode, job.provinceCode))).map((l) => [
      l.sourceRef,
      l,
    ]),
  );
  for (const draft of drafts) {
    if (draft.status === 'empty' || draft.status === 'duplicate') continue;
    if (draft.errors.length) draft.status = 'error';
    else if (!draft.communeCode) draft.status = 'flagged';
    else draft.status = draft.warnings.length ? 'warning' : 'ok';
    if (draft.status === 'error') continue;
    const link = draft.sourceRef ? links.get(draft.sourceRef) : undefined;
    // A number on paper that another certificate already carries would be refused at commit.
    if (
      !link &&
      draft.values.certificateNumber &&
      (await findLatestByNumber(db, draft.values.certificateNumber))
    ) {
      draft.errors.push({ field: 'certificateNumber', code: 'taken' });
      draft.status = 'error';
      continue;
    }
    // Imported before with the same content: the commune a person chose then still stands.
    if (draft.status === 'flagged' && link && link.fingerprint === draft.fingerprint) {
      draft.status = 'warning';
      draft.warnings.push({ field: 'address', code: 'decided' });
    }
    draft.action = !link ? 'create' : link.fingerprint === draft.fingerprint ? 'unchanged' : 'update';
  }

  const counts = countRows(drafts);
  const saved = await db.transaction(async (tx) => {
    await loadJob(tx, ctx, job.id, true);
    await tx.delete(importRows).where(eq(importRows.jobId, job.id));
    for (let i = 0; i < drafts.length; i += 500) {
      const chunk = drafts.slice(i, i + 500);
      if (chunk.length) await tx.insert(importRows).values(chunk.map((d) => ({ ...d, jobId: job.id })));
    }
    const [after] = await tx
      .update(importJobs)
      .set({
        status: 'checked',
        counts,
        totalRows: drafts.length,
        processedRows: drafts.length,
        failure: null,
        updatedAt: new Date(),
      })
      .where(eq(importJobs.id, job.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'import.checked',
      entityType: 'import',
      entityId: job.id,
      after: counts,
    });
    return after!;
  });
  return { job: toJobView(saved), rows: (await jobRows(db, job.id)).map(toRowView) };
}

function countRows(rows: readonly Pick<RowRecord, 'status' | 'action'>[]): ImportCounts {
  const counts: ImportCounts = {
    rows: rows.length,
    ok: 0,
    warning: 0,
    flagged: 0,
    error: 0,
    duplicate: 0,
    empty: 0,
    created: 0,
    updated: 0,
    unchanged: 0,
  };
  for (const row of rows) {
    counts[row.status as 'ok']++;
    if (row.action === 'create') counts.created++;
    else if (row.action === 'update') counts.updated++;
    else if (row.action === 'unchanged') counts.unchanged++;
  }
  return counts;
}

export async function getImportReport({
  ctx,
  input,
}: Ctx & { input: { id: string } }): Promise<ImportReport> {
  const job = await loadJob(ctx.database.db, ctx, input.id);
  return { job: toJobView(job), rows: (await jobRows(ctx.database.db, job.id)).map(toRowView) };
}

// ---------- decisions ----------

/** A person picks the current commune of a flagged row: one of the candidates, or any commune of the province when none. */
export async function decideImportRow({
  ctx,
  input,
}: Ctx & { input: DecideInput & { id: string; rowNumber: number } }): Promise<ImportRowView> {
  return ctx.database.db.transaction(async (tx) => {
    const job = await loadJob(tx, ctx, input.id, true);
    if (job.status === 'committed') throw new AppError('CONFLICT', messages.committed);
    const [row] = await tx
      .select()
      .from(importRows)
      .where(and(eq(importRows.jobId, job.id), eq(importRows.rowNumber, input.rowNumber)))
      .limit(1);
    if (!row) throw notFound(messages.rowNotFound);
    if (row.status !== 'flagged' && !row.decision) throw new AppError('CONFLICT', messages.notFlagged);
    const commune = await getCommune(tx, input.communeCode);
    if (!commune || commune.provinceCode !== job.provinceCode)
      throw fieldError('communeCode', messages.communeOutside);
    if (row.candidates.length && !row.candidates.some((c) => c.communeCode === input.communeCode))
      throw fieldError('communeCode', messages.notCandidate);
    const decision = {
      communeCode: input.communeCode,
      userId: ctx.actor!.userId,
      at: new Date().toISOString(),
    };
    const warnings = row.warnings.some((w) => w.code === 'decided')
      ? row.warnings
      : [...row.warnings, { field: 'address' as const, code: 'decided' }];
    const status = row.errors.length ? 'error' : 'warning';
    const [after] = await tx
      .update(importRows)
      .set({ decision, communeCode: input.communeCode, warnings, status })
      .where(and(eq(importRows.jobId, job.id), eq(importRows.rowNumber, row.rowNumber)))
      .returning();
    const counts = countRows(await jobRows(tx, job.id));
    await tx.update(importJobs).set({ counts, updatedAt: new Date() }).where(eq(importJobs.id, job.id));
    await recordAudit(tx, ctx, {
      action: 'import.row.decided',
      entityType: 'import',
      entityId: job.id,
      before: { rowNumber: row.rowNumber, communeCode: row.communeCode, decision: row.decision },
      after: {
        rowNumber: row.rowNumber,
        communeCode: input.communeCode,
        candidates: row.candidates.map((c) => c.communeCode),
      },
    });
    return toRowView(after!);
  });
}

// ---------- commit ----------

/** Rows between two progress updates of a running commit. */
const PROGRESS_EVERY = 25;

class RowFailure extends Error {
  constructor(
    readonly rowNumber: number,
    override readonly cause: unknown,
  ) {
    super(`row ${rowNumber} failed`);
  }
}

function failureMessage(error: unknown, lang: 'vi' | 'en'): string {
  if (error instanceof AppError) {
    const fields = error.fields ? Object.entries(error.fields).map(([k, m]) => `${k}: ${m[lang]}`) : [];
    return [error.detail?.[lang] ?? error.message, ...fields].join(' — ');
  }
  return lang === 'vi' ? 'Lỗi hệ thống.' : 'Internal error.';
}

/**
 * Writes the checked rows in one transaction: subjects, products and certificates through their
 * own services (each audits its write), and a link per row so a re-import updates. Any failure
 * rolls everything back — a failed import changes nothing — and the job records which row failed.
 * Progress: `processedRows` of `totalRows` moves while it runs (see reportProgress);
 * the records themselves appear all at once when the transaction commits.
 */
export async function commitImport({
  ctx,
  input,
}: Ctx & { input: CommitInput & { id: string } }): Promise<ImportReport> {
  const { db } = ctx.database;
  const job = await loadJob(db, ctx, input.id);
  if (job.status === 'committed') throw new AppError('CONFLICT', messages.committed);
  if (job.status !== 'checked' && job.status !== 'failed')
    throw new AppError('CONFLICT', messages.notChecked);
  const rows = await jobRows(db, job.id);
  if (rows.some((r) => r.status === 'flagged')) throw new AppError('CONFLICT', messages.undecided);
  if (!input.skipRowsWithErrors && rows.some((r) => r.status === 'error'))
    throw new AppError('CONFLICT', messages.rowsWithErrors);
  // Older decisions first, so a later upgrade or re-recognition of the same product supersedes them.
  const writable = rows
    .filter((r) => r.status === 'ok' || r.status === 'warning')
    .sort(
      (a, b) =>
        (a.values.decisionDate ?? '').localeCompare(b.values.decisionDate ?? '') || a.rowNumber - b.rowNumber,
    );

  const skipped = rows.length - writable.length;
  // Progress is written beside the transaction, on another connection, so readers see it while the
  // commit runs.
  const reportProgress = (processed: number) =>
    db.update(importJobs).set({ processedRows: processed }).where(eq(importJobs.id, job.id));
  await reportProgress(skipped);
  try {
    await db.transaction(async (tx) => {
      // An advisory lock, not a row lock, serialises commits of one job: the job row must stay free
      // for the progress updates made outside this transaction.
      await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${`import-commit:${job.id}`}, 0))`);
      const locked = await loadJob(tx, ctx, job.id);
      if (locked.status === 'committed') throw new AppError('CONFLICT', messages.committed);
      // Services open their own transactions on ctx.database.db: handing them the open one nests them as savepoints.
      const txCtx: RequestContext = { ...ctx, database: { ...ctx.database, db: tx as unknown as Db } };
      const outcomes: Pick<RowRecord, 'status' | 'action'>[] = rows.filter((r) => !writable.includes(r));
      for (const row of writable) {
        let result: { action: 'create' | 'update' | 'unchanged'; certificateId: string };
        try {
          result = await applyRow(txCtx, tx, job, row);
        } catch (error) {
          throw new RowFailure(row.rowNumber, error);
        }
        outcomes.push({ status: row.status, action: result.action });
        if (outcomes.length % PROGRESS_EVERY === 0) await reportProgress(outcomes.length);
        await tx
          .update(importRows)
          .set({ action: result.action, certificateId: result.certificateId })
          .where(and(eq(importRows.jobId, job.id), eq(importRows.rowNumber, row.rowNumber)));
      }
      const counts = countRows(outcomes);
      await tx
        .update(importJobs)
        .set({
          status: 'committed',
          counts,
          processedRows: rows.length,
          failure: null,
          committedAt: new Date(),
          updatedAt: new Date(),
        })
        .where(eq(importJobs.id, job.id));
      await recordAudit(tx, ctx, {
        action: 'import.committed',
        entityType: 'import',
        entityId: job.id,
        after: counts,
      });
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    const rowNumber = error instanceof RowFailure ? error.rowNumber : null;
    const cause = error instanceof RowFailure ? error.cause : error;
    // failureMessage gives no detail for an unexpected error: the log has it, the client gets a 500.
    const failure = { rowNumber, message: failureMessage(cause, ctx.lang) };
    await db.transaction(async (tx) => {
      await tx
        .update(importJobs)
        .set({ status: 'failed', failure, processedRows: 0, updatedAt: new Date() })
        .where(eq(importJobs.id, job.id));
      await recordAudit(tx, ctx, {
        action: 'import.failed',
        entityType: 'import',
        entityId: job.id,
        after: failure,
      });
    });
    if (!(cause instanceof AppError)) throw cause;
    const prefix: Message = rowNumber
      ? { vi: `Dòng ${rowNumber}: `, en: `Row ${rowNumber}: ` }
      : { vi: '', en: '' };
    throw new AppError(cause.code, {
      vi: `${prefix.vi}${failureMessage(cause, 'vi')} Không có dữ liệu nào được ghi.`,
      en: `${prefix.en}${failureMessage(cause, 'en')} Nothing was written.`,
    });
  }
  return getImportReport({ ctx, input: { id: job.id } });
}

type CertificateFacts = {
  productName: string;
  subjectName: string;
  star: 3 | 4 | 5;
  issuer: { name: string; level: 'district' | 'province' | 'central' };
  decisionNumber: string;
  decisionDate: string;
  validTo?: string;
  originalAddress: string | null;
};

function certificateFacts(row: RowRecord): CertificateFacts {
  const v = row.values;
  return {
    productName: v.productName,
    subjectName: v.subjectName,
    star: v.star as 3 | 4 | 5,
    issuer: v.issuer!,
    // A registry without a decision number keeps the gap visible instead of inventing one.
    decisionNumber: v.decisionNumber || '(không ghi)',
    decisionDate: v.decisionDate!,
    ...(v.validTo ? { validTo: v.validTo } : {}),
    originalAddress: row.originalAddress,
  };
}

async function findSubject(ctx: RequestContext, row: RowRecord): Promise<string | null> {
  const v = row.values;
  if (v.taxCode) {
    const { items } = await listSubjects({
      ctx,
      input: { q: v.taxCode, includeArchived: false, sort: 'name', page: 1, pageSize: 5 },
    });
    const hit = items.find((s) => s.taxCode === v.taxCode);
    if (hit) return hit.id;
  }
  const { items } = await listSubjects({
    ctx,
    input: {
      q: v.subjectName,
      communeCode: row.communeCode!,
      includeArchived: false,
      sort: 'name',
      page: 1,
      pageSize: 50,
    },
  });
  return items.find((s) => fold(s.name) === fold(v.subjectName))?.id ?? null;
}

async function findProduct(ctx: RequestContext, subjectId: string, name: string): Promise<string | null> {
  const { items } = await listProducts({
    ctx,
    input: { q: name, subjectId, archived: 'exclude', sort: 'name', page: 1, pageSize: 50 },
  });
  return items.find((p) => fold(p.name) === fold(name))?.id ?? null;
}

function classOf(row: RowRecord) {
  const v = row.values;
  return matchCategory(
    v.category,
    CLASS_OPTIONS.current,
    CLASS_OPTIONS.old,
    ruleSetForDecision(v.decisionDate!),
  )!;
}

async function applyRow(
  ctx: RequestContext,
  tx: DbOrTx,
  job: JobRow,
  row: RowRecord,
): Promise<{ action: 'create' | 'update' | 'unchanged'; certificateId: string }> {
  const v = row.values;
  const sourceRef = row.sourceRef!;
  const communeCode = row.communeCode!;
  const category = classOf(row);
  const [link] = await tx
    .select()
    .from(importLinks)
    .where(and(eq(importLinks.provinceCode, job.provinceCode), eq(importLinks.sourceRef, sourceRef)))
    .limit(1);
  const facts = certificateFacts(row);

  if (link) {
    const current = await findLatestByNumber(tx, link.certificateNumber);
    if (link.fingerprint === row.fingerprint) return { action: 'unchanged', certificateId: current!.id };
    const subject = await getSubject({ ctx, input: { id: link.subjectId } });
    if (
      subject.name !== v.subjectName ||
      subject.communeCode !== communeCode ||
      (v.taxCode && subject.taxCode !== v.taxCode)
    ) {
      await updateSubject({
        ctx,
        input: {
          id: subject.id,
          version: subject.version,
          name: v.subjectName,
          communeCode,
          ...(v.taxCode ? { taxCode: v.taxCode } : {}),
        },
      });
    }
    const stored = await getProduct({ ctx, input: { id: link.productId } });
    const productSame =
      stored.name === v.productName &&
      stored.commune.code === communeCode &&
      stored.classification.scheme === category.scheme &&
      stored.classification.code === category.code;
    const product = productSame
      ? stored
      : await updateProduct({
          ctx,
          input: {
            id: stored.id,
            version: stored.version,
            name: v.productName,
            taxonomyScheme: category.scheme,
            categoryCode: category.code,
            communeCode,
          },
        });
    const changes = {
      productName: product.name,
      subjectName: v.subjectName,
      star: facts.star,
      issuer: facts.issuer,
      decisionNumber: facts.decisionNumber,
      decisionDate: facts.decisionDate,
      ...(facts.validTo ? { validTo: facts.validTo } : {}),
      originalAddress: facts.originalAddress,
    };
    const corrected = await correctCertificate({
      ctx,
      input: {
        id: current!.id,
        version: Number(current!.version),
        reason: `Nhập lại sổ đăng ký (${job.fileName}, dòng ${row.rowNumber})`,
        changes,
      },
    }).catch((error: unknown) => {
      // Only the subject or product changed: the certificate's facts are already right.
      if (error instanceof AppError && error.fields && 'changes' in error.fields) return null;
      throw error;
    });
    await tx
      .update(importLinks)
      .set({ fingerprint: row.fingerprint, lastJobId: job.id, updatedAt: new Date() })
      .where(and(eq(importLinks.provinceCode, job.provinceCode), eq(importLinks.sourceRef, sourceRef)));
    return { action: 'update', certificateId: corrected?.id ?? current!.id };
  }

  const subjectId =
    (await findSubject(ctx, row)) ??
    (
      await createSubject({
        ctx,
        input: {
          name: v.subjectName,
          type: v.subjectType as 'cooperative',
          taxCode: v.taxCode || null,
          address: v.address || writtenAddress(v),
          communeCode,
          legalRepresentative: v.legalRepresentative || UNKNOWN_PERSON,
          // The registry does not record it; 'other' claims nothing about the person.
          legalRepresentativeGender: 'other',
        },
      })
    ).id;
  const productId =
    (await findProduct(ctx, subjectId, v.productName)) ??
    (
      await createProduct({
        ctx,
        input: {
          subjectId,
          name: v.productName,
          taxonomyScheme: category.scheme,
          categoryCode: category.code,
          communeCode,
        },
      })
    ).id;
  const issue = (issueKind: 'new' | 'upgrade' | 'rerecognition') =>
    issueCertificate({
      ctx,
      input: {
        productId,
        star: facts.star,
        ruleSetCode: ruleSetForDecision(facts.decisionDate),
        issueKind,
        issuer: facts.issuer,
        decisionNumber: facts.decisionNumber,
        decisionDate: facts.decisionDate,
        ...(facts.validTo ? { validTo: facts.validTo } : {}),
        ...(v.certificateNumber ? { number: v.certificateNumber } : {}),
        source: 'import',
        sourceRef,
        originalAddress: facts.originalAddress,
      },
    });
  // A registry lists a product again when it was upgraded or re-recognised while the earlier
  // certificate is still in force: the later decision supersedes it, as the officer would record it.
  const refusedKind = (error: unknown) =>
    error instanceof AppError &&
    error.code === 'CONFLICT' &&
    error.fields !== undefined &&
    'issueKind' in error.fields;
  const certificate = await issue('new').catch((error: unknown) => {
    if (!refusedKind(error)) throw error;
    return issue('upgrade').catch((again: unknown) => {
      if (!refusedKind(again)) throw again;
      return issue('rerecognition');
    });
  });
  await tx.insert(importLinks).values({
    provinceCode: job.provinceCode,
    sourceRef,
    subjectId,
    productId,
    certificateNumber: certificate.number,
    fingerprint: row.fingerprint,
    lastJobId: job.id,
  });
  await recordAudit(tx, ctx, {
    action: 'import.row.created',
    entityType: 'import',
    entityId: job.id,
    after: { rowNumber: row.rowNumber, sourceRef, subjectId, productId, certificateId: certificate.id },
  });
  return { action: 'create', certificateId: certificate.id };
}
