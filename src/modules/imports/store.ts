import fs from 'node:fs';
import path from 'node:path';
import { asc, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { type Message, notFound } from '../../server/errors';
import { classify } from '../products';
import type { ImportJobView, ImportRowView, MatchView, ProblemView, QuestionView } from './contract';
import { suggestMapping } from './headers';
import { type Matches, type MatchField, needsDecision } from './matching';
import { importMessages as messages, problemMessage } from './messages';
import { type FileKind, readGrid } from './parse';
import { canManageImportsIn } from './policy';
import { cellText, fold, type Grid, type Problem } from './rules';
import { type ImportCounts, importJobs, importRows } from './schema';

/** What the import's use cases share: the stored file, the job and its rows, and their views. */

export type Ctx = { ctx: RequestContext };
export type JobRow = typeof importJobs.$inferSelect;
export type RowRecord = typeof importRows.$inferSelect;

export function filePath(ctx: RequestContext, job: Pick<JobRow, 'id' | 'fileKind'>): string {
  return path.join(ctx.config.uploadsDir, 'imports', `${job.id}.${job.fileKind}`);
}

export async function readJobGrid(ctx: RequestContext, job: JobRow): Promise<Grid> {
  const bytes = fs.readFileSync(filePath(ctx, job));
  // The sheet the upload chose, so a workbook with several sheets is read the same way each time.
  const options = job.sheetName ? { sheetName: job.sheetName } : {};
  return (await readGrid(job.fileKind as FileKind, bytes, options)).grid;
}

/** Data rows after the header, with their 1-based sheet row numbers; trailing empty rows dropped. */
export function dataRows(grid: Grid, job: Pick<JobRow, 'headerRow' | 'headerRows'>) {
  const start = job.headerRow - 1 + job.headerRows;
  const rows = grid.slice(start).map((cells, i) => ({ rowNumber: start + i + 1, cells }));
  while (rows.length && rows[rows.length - 1]!.cells.every((c) => cellText(c) === '')) rows.pop();
  return rows;
}

/** A job the actor may work on; any other answers 404, so ids of other provinces reveal nothing. */
export async function loadJob(
  db: DbOrTx,
  ctx: RequestContext,
  id: string,
  forUpdate = false,
): Promise<JobRow> {
  const query = db.select().from(importJobs).where(eq(importJobs.id, id)).limit(1);
  const [job] = forUpdate ? await query.for('update') : await query;
  if (!job || !canManageImportsIn(ctx.actor!, job.provinceCode)) throw notFound(messages.notFound);
  return job;
}

export async function jobRows(db: DbOrTx, jobId: string): Promise<RowRecord[]> {
  return db.select().from(importRows).where(eq(importRows.jobId, jobId)).orderBy(asc(importRows.rowNumber));
}

export function countRows(rows: readonly Pick<RowRecord, 'status' | 'action'>[]): ImportCounts {
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

/**
 * A row's status from its problems and matches: errors first; then a value awaiting a person;
 * then warnings or a value read other than exactly (the report says how) — else ok.
 */
export function rowStatus(
  row: Pick<RowRecord, 'status' | 'errors' | 'warnings' | 'matches' | 'communeCode'>,
) {
  if (row.status === 'empty' || row.status === 'duplicate') return row.status;
  if (row.errors.length) return 'error';
  const matches = Object.values(row.matches);
  if (matches.some((m) => m && needsDecision(m)) || !row.communeCode) return 'flagged';
  if (row.warnings.length || matches.some((m) => m && (m.kind !== 'exact' || m.decision))) return 'warning';
  return 'ok';
}

/** Seconds left of a running commit at its pace so far; null until a row is done. */
function secondsLeft(job: JobRow, now: number): number | null {
  if (!job.commitStartedAt || job.processedRows <= 0) return null;
  const elapsed = (now - job.commitStartedAt.getTime()) / 1000;
  const left = job.totalRows - job.processedRows;
  return Math.max(0, Math.round((elapsed / job.processedRows) * left));
}

export function toJobView(job: JobRow): ImportJobView {
  return {
    id: job.id,
    provinceCode: job.provinceCode,
    fileName: job.fileName,
    fileKind: job.fileKind as 'xlsx' | 'csv',
    sheetName: job.sheetName,
    sheetNames: job.sheetNames,
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
    progress:
      job.status === 'committing'
        ? {
            done: job.processedRows,
            total: job.totalRows,
            secondsLeft: secondsLeft(job, Date.now()),
            startedAt: job.commitStartedAt,
          }
        : null,
    failure: job.failure
      ? {
          rowNumber: job.failure.rowNumber,
          message: { vi: job.failure.message, en: job.failure.en ?? job.failure.message },
          interrupted: job.failure.interrupted ?? false,
        }
      : null,
    createdAt: job.createdAt,
    updatedAt: job.updatedAt,
    committedAt: job.committedAt,
  };
}

export function problemViews(problems: readonly Problem[]): ProblemView[] {
  return problems.map((p) => ({ field: p.field, code: p.code, message: problemMessage(p) }));
}

/** The words of a candidate value: a product set with its number, a star count, a commune's name. */
export function valueLabel(field: MatchField, value: string, names?: Record<string, string>): Message {
  if (field === 'category') {
    const [scheme, code] = value.split(':');
    const found = scheme && code ? classify(scheme, code) : null;
    if (!found) return { vi: value, en: value };
    const label = found.set?.label ?? found.group.label;
    if (scheme === '1048') return { vi: `1048 · ${label.vi}`, en: `1048 · ${label.en}` };
    return { vi: `${code} · ${label.vi}`, en: `${code} · ${label.en}` };
  }
  if (field === 'star') return { vi: `${value} sao`, en: `${value} stars` };
  const name = names?.[value];
  return name ? { vi: `${name} (${value})`, en: `${name} (${value})` } : { vi: value, en: value };
}

function matchViews(matches: Matches): ImportRowView['matches'] {
  const views: ImportRowView['matches'] = {};
  for (const [field, match] of Object.entries(matches) as [MatchField, NonNullable<Matches[MatchField]>][]) {
    const view: MatchView = {
      kind: match.kind,
      written: match.written,
      value: match.decision?.value ?? match.value,
      label: null,
      candidates: match.candidates.map((value) => ({ value, label: valueLabel(field, value, match.labels) })),
      evidence: match.evidence,
      key: match.key,
      notes: match.notes,
      needsDecision: needsDecision(match),
      decision: match.decision,
    };
    if (view.value && field !== 'decisionDate') view.label = valueLabel(field, view.value, match.labels);
    views[field] = view;
  }
  return views;
}

/** What the record will lack, from the row's warnings: officers complete these later. */
export function incompleteOf(row: Pick<RowRecord, 'warnings'>): string[] {
  return [...new Set(row.warnings.filter((w) => isIncompleteCode(w.code)).map((w) => String(w.field)))];
}

/** Warnings that mean the record lacks a fact (the same test is written in SQL in listIncompleteRecords). */
export const isIncompleteCode = (code: string) => code.startsWith('incomplete') || code === 'placeholder';

export function toRowView(row: RowRecord): ImportRowView {
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
    matches: matchViews(row.matches),
    incomplete: incompleteOf(row),
  };
}

/**
 * The distinct values a person decides, each once, with the rows it stands for (rows that will be
 * written; a refused row asks nothing); undecided first.
 */
export function questionsOf(rows: readonly RowRecord[]): QuestionView[] {
  const byKey = new Map<string, QuestionView>();
  for (const row of rows) {
    // A row refused for another reason is not written whatever the answer: it asks nothing.
    if (row.status === 'empty' || row.status === 'duplicate' || row.status === 'error') continue;
    for (const [field, match] of Object.entries(row.matches) as [
      MatchField,
      NonNullable<Matches[MatchField]>,
    ][]) {
      if (!match.decidable || (!needsDecision(match) && !match.decision)) continue;
      const question = byKey.get(match.key);
      if (question) {
        question.rowNumbers.push(row.rowNumber);
        continue;
      }
      byKey.set(match.key, {
        field,
        key: match.key,
        kind: match.kind,
        written: match.written,
        evidence: match.evidence,
        notes: match.notes,
        candidates: match.candidates.map((value) => ({
          value,
          label: valueLabel(field, value, match.labels),
        })),
        open: match.candidates.length === 0,
        rowNumbers: [row.rowNumber],
        decision: match.decision,
      });
    }
  }
  return [...byKey.values()].sort(
    (a, b) =>
      Number(a.decision !== null) - Number(b.decision !== null) || a.rowNumbers[0]! - b.rowNumbers[0]!,
  );
}

/** Rows that become one subject: the same normalised name in the same commune, more than one row. */
export function subjectGroupsOf(rows: readonly RowRecord[]) {
  const groups = new Map<
    string,
    { name: string; communeCode: string; rowNumbers: number[]; spellings: Set<string> }
  >();
  for (const row of rows) {
    if (row.status === 'empty' || row.status === 'duplicate' || row.status === 'error' || !row.communeCode)
      continue;
    const key = `${fold(row.values.subjectName)}|${row.communeCode}`;
    const group = groups.get(key) ?? {
      name: row.values.subjectName,
      communeCode: row.communeCode,
      rowNumbers: [],
      spellings: new Set<string>(),
    };
    group.rowNumbers.push(row.rowNumber);
    group.spellings.add(row.values.subjectName);
    groups.set(key, group);
  }
  return [...groups.values()]
    .filter((g) => g.rowNumbers.length > 1)
    .map((g) => ({ ...g, spellings: [...g.spellings] }));
}

export async function reportOf(db: DbOrTx, job: JobRow) {
  const rows = await jobRows(db, job.id);
  return {
    job: toJobView(job),
    rows: rows.map(toRowView),
    questions: questionsOf(rows),
    subjects: subjectGroupsOf(rows),
  };
}
