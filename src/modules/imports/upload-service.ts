import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, count, desc, eq, isNotNull, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { AppError, fieldError, type Message } from '../../server/errors';
import { getProvince } from '../admin-units';
import { recordAudit } from '../audit';
import { importedFactLacksSql } from '../certificates';
import type {
  ChooseSheetInput,
  ImportJobPage,
  ImportJobView,
  IncompleteRecordPage,
  ListImportsQuery,
  ListIncompleteQuery,
  PreviewView,
  SetMappingInput,
} from './contract';
import { suggestMapping } from './headers';
import { importMessages as messages } from './messages';
import { type GridReading, MAX_ROWS, readUpload } from './parse';
import { canManageImportsIn } from './policy';
import { headerSignature, type Mapping, REQUIRED_FIELDS, readRow } from './rules';
import { importJobs, importRows, importTemplates } from './schema';
import { type Ctx, dataRows, filePath, loadJob, problemViews, readJobGrid, toJobView } from './store';

/** Upload, the list of imports, the column mapping (remembered per template) and the preview. */

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

  // The file reader refuses what it cannot read with what to do (.xls, not UTF-8, a broken quote,
  // a zip bomb) and finds the sheet and header row.
  const reading = await readUpload(input.data);
  const { db } = ctx.database;
  const sheet = await sheetReading(db, provinceCode, reading);
  const id = randomUUID();
  const target = filePath(ctx, { id, fileKind: reading.kind });
  fs.mkdirSync(path.dirname(target), { recursive: true });
  fs.writeFileSync(target, input.data);
  try {
    const job = await db.transaction(async (tx) => {
      const [row] = await tx
        .insert(importJobs)
        .values({
          id,
          provinceCode,
          fileName: input.fileName.slice(0, 255) || `registry.${reading.kind}`,
          fileKind: reading.kind,
          fileSha256: createHash('sha256').update(input.data).digest('hex'),
          byteSize: input.data.length,
          sheetNames: reading.sheetNames,
          ...sheet,
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
 * What a sheet of the file gives the job: where its header is, its labels, its rows, and the
 * mapping remembered for that header in the province (or the one its names suggest).
 */
async function sheetReading(db: DbOrTx, provinceCode: string, reading: GridReading) {
  const { grid, header, sheetName } = reading;
  if (!header) throw fieldError('file', messages.noHeader);
  const position = { headerRow: header.row + 1, headerRows: header.rows };
  const totalRows = dataRows(grid, position).length;
  if (totalRows > MAX_ROWS) throw fieldError('file', messages.tooManyRows, 'PAYLOAD_TOO_LARGE');
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
  return {
    sheetName,
    ...position,
    headers: header.labels,
    mapping: template?.mapping ?? suggestMapping(header.labels),
    templateId: template?.id ?? null,
    totalRows,
  };
}

/**
 * Reads another sheet of the uploaded workbook: its header, mapping and rows replace the first
 * sheet's and the last dry run no longer holds (decisions, kept per distinct value, still apply).
 */
export async function chooseImportSheet({
  ctx,
  input,
}: Ctx & { input: ChooseSheetInput & { id: string } }): Promise<ImportJobView> {
  return ctx.database.db.transaction(async (tx) => {
    const job = await loadJob(tx, ctx, input.id, true);
    refuseAfterCommitRequested(job);
    if (!job.sheetNames.includes(input.sheetName)) throw fieldError('sheetName', messages.sheetUnknown);
    const bytes = fs.readFileSync(filePath(ctx, job));
    const sheet = await sheetReading(
      tx,
      job.provinceCode,
      await readUpload(bytes, { sheetName: input.sheetName }),
    );
    const [after] = await tx
      .update(importJobs)
      .set({ ...sheet, status: 'uploaded', counts: null, updatedAt: new Date() })
      .where(eq(importJobs.id, job.id))
      .returning();
    await tx.delete(importRows).where(eq(importRows.jobId, job.id));
    await recordAudit(tx, ctx, {
      action: 'import.sheet_chosen',
      entityType: 'import',
      entityId: job.id,
      before: { sheetName: job.sheetName },
      after: { sheetName: sheet.sheetName, headerRow: sheet.headerRow, totalRows: sheet.totalRows },
    });
    return toJobView(after!);
  });
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

export function checkMapping(mapping: Mapping, headers: readonly string[]): void {
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

/** Once a commit is queued or done, the file's reading is fixed: the commit works from it. */
function refuseAfterCommitRequested(job: { status: string }): void {
  if (job.status === 'committed') throw new AppError('CONFLICT', messages.committed);
  if (job.status === 'committing') throw new AppError('CONFLICT', messages.committing);
}

export async function setImportMapping({
  ctx,
  input,
}: Ctx & { input: SetMappingInput & { id: string } }): Promise<ImportJobView> {
  return ctx.database.db.transaction(async (tx) => {
    const job = await loadJob(tx, ctx, input.id, true);
    refuseAfterCommitRequested(job);
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

/**
 * The records imported with facts the registry did not give (no decision number, a placeholder
 * for the legal representative…), newest import first, for officers to complete. A province
 * officer sees their province's; an administrator any, or one province.
 */
export async function listIncompleteRecords({
  ctx,
  input,
}: Ctx & { input: ListIncompleteQuery }): Promise<IncompleteRecordPage> {
  const actor = ctx.actor!;
  const provinceCode = actor.role === 'system_admin' ? input.provinceCode : actor.provinceCode;
  if (actor.role !== 'system_admin') {
    if (!provinceCode || (input.provinceCode && input.provinceCode !== provinceCode))
      throw new AppError('FORBIDDEN');
  }
  if (provinceCode && !canManageImportsIn(actor, provinceCode)) throw new AppError('FORBIDDEN');
  // What the row's warnings say the record lacked and it still lacks (a correction giving the
  // decision's date, an edit giving the tax code, completes it), in the warnings' order.
  const missing = sql<string[]>`array(
    select t.field from (
      select w->>'field' as field, min(x.ord) as ord
      from jsonb_array_elements(${importRows.warnings}) with ordinality as x(w, ord)
      where (w->>'code' like 'incomplete%' or w->>'code' = 'placeholder')
        and ${importedFactLacksSql(sql`w->>'field'`, sql`${importRows.certificateId}`)}
      group by 1) t
    order by t.ord)`;
  const where = and(
    eq(importJobs.status, 'committed'),
    isNotNull(importRows.certificateId),
    sql`cardinality(${missing}) > 0`,
    provinceCode ? eq(importJobs.provinceCode, provinceCode) : undefined,
  );
  const { db } = ctx.database;
  const [rows, [total]] = await Promise.all([
    db
      .select({ row: importRows, job: importJobs, missing })
      .from(importRows)
      .innerJoin(importJobs, eq(importJobs.id, importRows.jobId))
      .where(where)
      .orderBy(desc(importJobs.committedAt), importRows.rowNumber)
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db
      .select({ n: count() })
      .from(importRows)
      .innerJoin(importJobs, eq(importJobs.id, importRows.jobId))
      .where(where),
  ]);
  return {
    items: rows.map(({ row, job, missing }) => ({
      importId: job.id,
      fileName: job.fileName,
      rowNumber: row.rowNumber,
      productName: row.values.productName,
      subjectName: row.values.subjectName,
      certificateId: row.certificateId!,
      missing,
      committedAt: job.committedAt,
    })),
    total: Number(total?.n ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}
