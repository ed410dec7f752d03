import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { AppError, fieldError, notFound } from '../../server/errors';
import { getCommune } from '../admin-units';
import { recordAudit } from '../audit';
import { issuerProblem } from '../certificates';
import { classify } from '../products';
import type { DecideInput, DecideValueInput, ImportReport, ImportRowView } from './contract';
import { type Levels, ruleSetLevels } from './dry-run';
import { applyDecision, type Match, type MatchField, settledValue } from './matching';
import { importMessages as messages } from './messages';
import { headerSignature, ruleSetForDecision } from './rules';
import { importJobs, importRows, importTemplates } from './schema';
import {
  type Ctx,
  countRows,
  type JobRow,
  jobRows,
  loadJob,
  type RowRecord,
  reportOf,
  rowStatus,
  toRowView,
} from './store';

/**
 * A person's decision on one distinct value (a question of the dry run), applied at once to every
 * row with that value's key, kept on the import, remembered for the template when asked, and
 * written to the audit log with its author. Decisions are checked: a value among the question's
 * candidates, or — when it offered none — any value of its kind (a set of the taxonomy, a star
 * 3–5, a commune of the import's province).
 */
export async function decideImportValue({
  ctx,
  input,
}: Ctx & { input: DecideValueInput & { id: string } }): Promise<ImportReport> {
  const job = await ctx.database.db.transaction(async (tx) => {
    const job = await loadJob(tx, ctx, input.id, true);
    await decideInTx(tx, ctx, job, input);
    return (await loadJob(tx, ctx, job.id))!;
  });
  return reportOf(ctx.database.db, job);
}

async function decideInTx(
  tx: DbOrTx,
  ctx: Ctx['ctx'],
  job: JobRow,
  input: DecideValueInput,
  onlyRow?: number,
): Promise<RowRecord[]> {
  if (job.status === 'committed') throw new AppError('CONFLICT', messages.committed);
  if (job.status === 'committing') throw new AppError('CONFLICT', messages.committing);
  const rows = (await tx
    .select()
    .from(importRows)
    .where(
      and(
        eq(importRows.jobId, job.id),
        sql`${importRows.matches} -> ${input.field} ->> 'key' = ${input.key}`,
      ),
    )) as RowRecord[];
  const sample = rows[0]?.matches[input.field];
  if (!sample) throw notFound(messages.questionNotFound);
  if (!sample.decidable) throw new AppError('CONFLICT', messages.notDecidable);
  await checkValue(tx, job, input.field, input.value, sample);

  const decision = { value: input.value, userId: ctx.actor!.userId, at: new Date().toISOString() };
  const changed: RowRecord[] = [];
  const levelsCache = new Map<string, Levels | null>();
  for (const row of rows) {
    const before = row.matches[input.field]!;
    const match = applyDecision({ ...before, decision: null }, { ...decision, remembered: false });
    const after: RowRecord = { ...row, matches: { ...row.matches, [input.field]: match } };
    applySettled(after, input.field, match);
    // A star chosen among 3, 4 and 5 must be one the row's issuer could certify under the rules of
    // its decision date: said on the row now rather than by a failed commit.
    if (input.field === 'star') {
      const { issuer, decisionDate, star } = after.values;
      after.errors = after.errors.filter((e) => e.field !== 'issuer' || !ISSUER_CODES.has(e.code));
      if (issuer && decisionDate && star !== null) {
        const levels = await ruleSetLevels(ctx, levelsCache, ruleSetForDecision(decisionDate));
        const problem = levels ? issuerProblem(levels, issuer.level, star) : null;
        if (problem) after.errors = [...after.errors, { field: 'issuer', code: problem }];
      }
    }
    after.status = row.status === 'empty' || row.status === 'duplicate' ? row.status : rowStatus(after);
    changed.push(after);
  }
  // One statement for every row of the value: 50,000 rows of "Đồ uống" are one update.
  for (let i = 0; i < changed.length; i += 1000) {
    const chunk = changed.slice(i, i + 1000);
    await tx.execute(sql`
      update import_rows r set
        matches = v.matches, status = v.status, values = v.values, warnings = v.warnings, errors = v.errors,
        commune_code = v.commune_code, decision = v.decision
      from jsonb_to_recordset(${JSON.stringify(
        chunk.map((r) => ({
          row_number: r.rowNumber,
          matches: r.matches,
          status: r.status,
          values: r.values,
          warnings: r.warnings,
          errors: r.errors,
          commune_code: r.communeCode,
          decision: r.decision,
        })),
      )}::jsonb) as v(row_number int, matches jsonb, status text, values jsonb, warnings jsonb, errors jsonb, commune_code text, decision jsonb)
      where r.job_id = ${job.id} and r.row_number = v.row_number`);
  }
  const decisions = { ...job.decisions, [input.key]: decision };
  const counts = countRows(await jobRows(tx, job.id));
  await tx
    .update(importJobs)
    .set({ decisions, counts, updatedAt: new Date() })
    .where(eq(importJobs.id, job.id));
  if (input.remember) {
    const signature = headerSignature(job.headers);
    await tx
      .insert(importTemplates)
      .values({
        provinceCode: job.provinceCode,
        headerSignature: signature,
        mapping: job.mapping,
        decisions: { [input.key]: decision },
        updatedBy: ctx.actor!.userId,
      })
      .onConflictDoUpdate({
        target: [importTemplates.provinceCode, importTemplates.headerSignature],
        set: {
          decisions: sql`${importTemplates.decisions} || ${JSON.stringify({ [input.key]: decision })}::jsonb`,
          updatedBy: ctx.actor!.userId,
          updatedAt: new Date(),
        },
      });
  }
  await recordAudit(tx, ctx, {
    action: 'import.decided',
    entityType: 'import',
    entityId: job.id,
    before: { field: input.field, key: input.key, decision: job.decisions[input.key] ?? null },
    after: {
      field: input.field,
      key: input.key,
      written: sample.written,
      value: input.value,
      candidates: sample.candidates,
      rows: rows.map((r) => r.rowNumber),
      remembered: input.remember,
      ...(onlyRow !== undefined ? { askedOnRow: onlyRow } : {}),
    },
  });
  return changed;
}

/** The issuer problems a star decision can cause or lift (certificates/rules.ts issuerProblem). */
const ISSUER_CODES = new Set(['levelNotInRuleSet', 'starNotCertifiedByLevel']);

/** The row's settled value written where the commit reads it. */
function applySettled(row: RowRecord, field: MatchField, match: Match) {
  const value = settledValue(match);
  if (field === 'commune') {
    row.communeCode = value;
    row.decision = match.decision
      ? { communeCode: match.decision.value, userId: match.decision.userId, at: match.decision.at }
      : null;
    if (!row.warnings.some((w) => w.code === 'decided'))
      row.warnings = [...row.warnings, { field: 'address', code: 'decided' }];
  } else if (field === 'star') {
    row.values = { ...row.values, star: value === null ? null : Number(value) };
  }
}

async function checkValue(tx: DbOrTx, job: JobRow, field: MatchField, value: string, match: Match) {
  if (match.candidates.length > 0 && !match.candidates.includes(value)) {
    throw fieldError(field === 'commune' ? 'communeCode' : 'value', messages.notCandidate);
  }
  if (field === 'category') {
    const [scheme, code] = value.split(':');
    if (!scheme || !code || !classify(scheme, code)) throw fieldError('value', messages.unknownSet);
  } else if (field === 'star') {
    if (!['3', '4', '5'].includes(value)) throw fieldError('value', messages.starOutOfRange);
  } else if (field === 'commune') {
    const commune = /^\d{5}$/.test(value) ? await getCommune(tx, value) : null;
    if (!commune || commune.provinceCode !== job.provinceCode)
      throw fieldError('communeCode', messages.communeOutside);
  }
}

/**
 * The earlier per-row form: a person picks the current commune of a flagged row — which decides
 * the same question for every row with the same written address.
 */
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
    const match = row.matches.commune;
    if (
      !match ||
      (row.status !== 'flagged' && !match.decision) ||
      (match.kind === 'exact' && !match.decision)
    )
      throw new AppError('CONFLICT', messages.notFlagged);
    const changed = await decideInTx(
      tx,
      ctx,
      job,
      { field: 'commune', key: match.key, value: input.communeCode, remember: false },
      row.rowNumber,
    );
    return toRowView(changed.find((r) => r.rowNumber === row.rowNumber)!);
  });
}
