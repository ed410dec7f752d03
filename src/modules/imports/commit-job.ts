import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Config } from '../../config';
import { BulkItemError, chunked, yieldToEventLoop } from '../../db/bulk';
import type { Database, Db, DbOrTx } from '../../db/client';
import type { Actor, RequestContext } from '../../server/context';
import { AppError, type Message } from '../../server/errors';
import { recordAudit, recordAudits } from '../audit';
import {
  correctCertificate,
  findLatestByNumber,
  issueCertificate,
  issueImportedCertificatesInBulk,
} from '../certificates';
import {
  createProduct,
  createProductsInBulk,
  findProductsOfSubjects,
  getProduct,
  listProducts,
  updateProduct,
} from '../products';
import {
  createSubject,
  createSubjectsInBulk,
  findSubjectsForImport,
  getSubject,
  listSubjects,
  updateSubject,
} from '../subjects';
import { registeredKek, registerKek } from '../verification';
import type { CommitInput, ImportJobView } from './contract';
import { writtenAddress } from './dry-run';
import { settledValue } from './matching';
import { importMessages as messages } from './messages';
import { fold, ruleSetForRow } from './rules';
import { type CommitOptions, importJobs, importLinks, importRows } from './schema';
import { type Ctx, countRows, type JobRow, jobRows, loadJob, type RowRecord, toJobView } from './store';

/**
 * Committing an import is a job. The request checks that the dry run allows it, marks the job
 * 'committing' and answers 202 at once; the instance then claims the job (FOR UPDATE SKIP LOCKED,
 * so two instances never run one job; the claim is a session advisory lock held while it runs) and
 * writes every row in ONE transaction — new rows in chunks of bulk INSERTs (`writeFreshRows`), the
 * rest through the services. Progress (rows done of the total) is written beside it on another connection, so
 * any instance reads it while the commit runs. If the process stops mid-commit, PostgreSQL rolls
 * the transaction back and frees the lock: whoever next reads the job (or the next start) finds
 * it 'committing' with no one holding the lock and records it as interrupted — nothing written.
 */

/** Stored when the registry does not say (a subject needs one); reported as a warning on the row. */
const UNKNOWN_PERSON = 'Chưa có thông tin';

/**
 * Whether new rows are written in bulk (the default) or each through the services, as every row was
 * before the bulk writes: the row-by-row path stays for re-imports and later certificates of a
 * product, and tests commit the same file both ways to check they write the same records.
 */
let bulkWrites = true;
export function setBulkWrites(on: boolean): void {
  bulkWrites = on;
}

/** Rows between two progress updates of a running commit. */
const PROGRESS_EVERY = 25;

type StoredOptions = CommitOptions & { actor: Omit<Actor, 'sessionId' | 'csrfToken'>; lang: 'vi' | 'en' };

const lockKeyOf = (jobId: string) => sql`hashtextextended(${`import-commit:${jobId}`}, 0)`;

/** The job's lock, if no running commit holds it (then it is held until this transaction ends). */
async function tryLock(tx: DbOrTx, jobId: string): Promise<boolean> {
  const result = await tx.execute(sql`select pg_try_advisory_xact_lock(${lockKeyOf(jobId)}) as free`);
  return (result as unknown as { rows: { free: boolean }[] }).rows[0]?.free === true;
}

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

/** Checks the dry run allows a commit, queues it and starts it on this instance. */
export async function requestCommit({
  ctx,
  input,
}: Ctx & { input: CommitInput & { id: string } }): Promise<ImportJobView> {
  const actor = ctx.actor!;
  const job = await ctx.database.db.transaction(async (tx) => {
    const job = await loadJob(tx, ctx, input.id, true);
    if (job.status === 'committed') throw new AppError('CONFLICT', messages.committed);
    if (job.status === 'committing') throw new AppError('CONFLICT', messages.committing);
    if (job.status !== 'checked' && job.status !== 'failed')
      throw new AppError('CONFLICT', messages.notChecked);
    const [flagged] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(importRows)
      .where(and(eq(importRows.jobId, job.id), eq(importRows.status, 'flagged')));
    if ((flagged?.n ?? 0) > 0) throw new AppError('CONFLICT', messages.undecided);
    const [errors] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(importRows)
      .where(and(eq(importRows.jobId, job.id), eq(importRows.status, 'error')));
    if (!input.skipRowsWithErrors && (errors?.n ?? 0) > 0)
      throw new AppError('CONFLICT', messages.rowsWithErrors);
    const options: StoredOptions = {
      skipRowsWithErrors: input.skipRowsWithErrors,
      actor: {
        userId: actor.userId,
        email: actor.email,
        fullName: actor.fullName,
        role: actor.role,
        provinceCode: actor.provinceCode,
        communeCode: actor.communeCode,
        subjectIds: actor.subjectIds,
      },
      lang: ctx.lang,
    };
    const [after] = await tx
      .update(importJobs)
      .set({
        status: 'committing',
        commitOptions: options,
        commitRequestedBy: actor.userId,
        commitRequestedAt: new Date(),
        commitStartedAt: null,
        commitClaimedAt: null,
        processedRows: 0,
        failure: null,
        updatedAt: new Date(),
      })
      .where(eq(importJobs.id, job.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'import.commit.requested',
      entityType: 'import',
      entityId: job.id,
      after: { skipRowsWithErrors: input.skipRowsWithErrors },
    });
    return after!;
  });
  startCommits(ctx.database, ctx.config);
  return toJobView(job);
}

// ---------- the runner ----------

/** Per database: the commits this process is running, one after another (the rest of the platform keeps its connections). */
const runners = new Map<Database, Promise<void>>();

type Log = { error: (object: object, message: string) => void };
const loggers = new Map<Database, Log>();

/**
 * Runs queued commits on this instance until none is left; a call while running makes it look
 * again when done. The app calls it at start (with its logger) and each commit request after.
 */
export function startCommits(database: Database, config: Config, log?: Log): void {
  if (log) loggers.set(database, log);
  if (runners.has(database)) {
    pending.add(database);
    return;
  }
  const run = (async () => {
    for (;;) {
      pending.delete(database);
      try {
        let ran = true;
        // Commits run one after another on purpose: each holds one connection, the rest serve requests.
        while (ran) ran = await runNextCommit(database, config);
      } catch (error) {
        loggers.get(database)?.error({ err: error }, 'import commit runner failed');
      }
      // Checked and left with no await in between, so a request arriving now starts a new runner.
      if (!pending.has(database)) {
        runners.delete(database);
        return;
      }
    }
  })();
  runners.set(database, run);
}
const pending = new Set<Database>();

/** Waits for this process's running commits (the app's close, tests). */
export async function settleCommits(database?: Database): Promise<void> {
  const all = database ? [runners.get(database)] : [...runners.values()];
  await Promise.all(all.filter(Boolean));
  if (database) loggers.delete(database);
}

type Claim = { job: JobRow; release: () => Promise<void> };

/**
 * A queued job, claimed: FOR UPDATE SKIP LOCKED keeps two instances from looking at the same one at
 * once; the claim itself is a session advisory lock on a connection held for the whole commit, so
 * it lasts exactly as long as this process runs the job (a stopped process's connection closes and
 * the lock goes with it). A job claimed before whose lock is free was interrupted.
 */
async function claimNext(database: Database): Promise<Claim | null> {
  const holder = await database.pool.connect();
  let held: string | null = null;
  const release = async () => {
    try {
      if (held)
        await holder.query('select pg_advisory_unlock(hashtextextended($1, 0))', [`import-commit:${held}`]);
    } finally {
      holder.release();
    }
  };
  try {
    const job = await database.db.transaction(async (tx) => {
      const queued = await tx
        .select()
        .from(importJobs)
        .where(eq(importJobs.status, 'committing'))
        .orderBy(importJobs.commitRequestedAt)
        .limit(20)
        .for('update', { skipLocked: true });
      for (const candidate of queued) {
        const { rows } = await holder.query<{ free: boolean }>(
          'select pg_try_advisory_lock(hashtextextended($1, 0)) as free',
          [`import-commit:${candidate.id}`],
        );
        if (!rows[0]?.free) continue;
        if (candidate.commitClaimedAt) {
          await markInterrupted(tx, candidate);
          await holder.query('select pg_advisory_unlock(hashtextextended($1, 0))', [
            `import-commit:${candidate.id}`,
          ]);
          continue;
        }
        held = candidate.id;
        const [claimed] = await tx
          .update(importJobs)
          .set({ commitClaimedAt: new Date(), commitStartedAt: new Date(), updatedAt: new Date() })
          .where(eq(importJobs.id, candidate.id))
          .returning();
        return claimed!;
      }
      return null;
    });
    if (!job) {
      await release();
      return null;
    }
    return { job, release };
  } catch (error) {
    await release();
    throw error;
  }
}

/** Only a job still as it was seen (claimed, committing) is marked: a reader never overrides a newer state. */
async function markInterrupted(tx: DbOrTx, job: JobRow) {
  const message: Message = messages.interrupted;
  const marked = await tx
    .update(importJobs)
    .set({
      status: 'failed',
      processedRows: 0,
      failure: { rowNumber: null, message: message.vi, en: message.en, interrupted: true },
      updatedAt: new Date(),
    })
    .where(
      and(
        eq(importJobs.id, job.id),
        eq(importJobs.status, 'committing'),
        job.commitClaimedAt ? eq(importJobs.commitRequestedAt, job.commitRequestedAt!) : sql`false`,
      ),
    )
    .returning({ id: importJobs.id });
  if (marked.length === 0) return;
  const ctx: RequestContext = {
    database: { db: tx } as unknown as Database,
    config: {} as Config,
    actor: null,
    lang: 'vi',
    ip: 'import-commit',
  };
  await recordAudit(tx, ctx, {
    action: 'import.interrupted',
    entityType: 'import',
    entityId: job.id,
    after: { message: message.en },
  });
}

/**
 * Jobs left 'committing' by a process that stopped: no transaction holds their lock any more.
 * Run at start-up and whenever a job is read, so the job says what happened on every instance.
 */
export async function recoverInterruptedCommits(database: Database, jobIds?: string[]): Promise<void> {
  await database.db.transaction(async (tx) => {
    const stuck = await tx
      .select()
      .from(importJobs)
      .where(
        jobIds
          ? and(eq(importJobs.status, 'committing'), inArray(importJobs.id, jobIds))
          : eq(importJobs.status, 'committing'),
      );
    for (const job of stuck) {
      if (!job.commitClaimedAt) continue;
      if (await tryLock(tx, job.id)) await markInterrupted(tx, job);
    }
  });
}

async function unclaimedCount(database: Database): Promise<number> {
  const [row] = await database.db
    .select({ n: sql<number>`count(*)::int` })
    .from(importJobs)
    .where(and(eq(importJobs.status, 'committing'), isNull(importJobs.commitClaimedAt)));
  return row?.n ?? 0;
}

/** One queued commit, run to its end; false when none was waiting. */
async function runNextCommit(database: Database, config: Config): Promise<boolean> {
  let claim = await claimNext(database);
  // A queued job whose row another transaction held for a moment (a reader, a refused write) was
  // skipped: look again shortly rather than leave it queued with no runner.
  for (let attempt = 0; !claim && attempt < 40 && (await unclaimedCount(database)) > 0; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    claim = await claimNext(database);
  }
  if (!claim) return false;
  const { job } = claim;
  const options = job.commitOptions as StoredOptions;
  const ctx: RequestContext = {
    database,
    config,
    actor: { ...options.actor, sessionId: '', csrfToken: '' },
    lang: options.lang,
    ip: 'import-commit',
  };
  try {
    await runCommit(ctx, job, options);
  } finally {
    await claim.release();
  }
  return true;
}

async function runCommit(ctx: RequestContext, job: JobRow, options: StoredOptions): Promise<void> {
  const { db } = ctx.database;
  const rows = await jobRows(db, job.id);
  // Older decisions first, so a later upgrade or re-recognition of the same product supersedes them.
  const writable = rows
    .filter((r) => r.status === 'ok' || r.status === 'warning')
    .sort(
      (a, b) =>
        (a.values.decisionDate ?? '').localeCompare(b.values.decisionDate ?? '') || a.rowNumber - b.rowNumber,
    );
  const reportProgress = (processed: number) =>
    db
      .update(importJobs)
      .set({ processedRows: processed, commitClaimedAt: new Date() })
      .where(and(eq(importJobs.id, job.id), eq(importJobs.status, 'committing')));
  const skipped = rows.length - writable.length;
  await reportProgress(skipped);
  try {
    await db.transaction(async (tx) => {
      // Services open their own transactions on ctx.database.db: handing them the open one nests
      // them as savepoints, so the whole file is one transaction.
      const txCtx: RequestContext = { ...ctx, database: { ...ctx.database, db: tx as unknown as Db } };
      // The certificates it issues carry signed addresses; the signing keys are registered per
      // database handle at start-up, and this transaction is a handle of the same database.
      registerKek(tx as unknown as Db, registeredKek(db));
      const outcomes: Pick<RowRecord, 'status' | 'action'>[] = rows.filter((r) => !writable.includes(r));
      const memo: CommitMemo = {
        subjects: new Map(),
        newSubjects: new Set(),
        products: new Map(),
        audits: [],
      };
      const done: { row_number: number; action: string; certificate_id: string }[] = [];
      const record = (
        row: RowRecord,
        result: { action: 'create' | 'update' | 'unchanged'; certificateId: string },
      ) => {
        outcomes.push({ status: row.status, action: result.action });
        done.push({ row_number: row.rowNumber, action: result.action, certificate_id: result.certificateId });
      };
      // Every link of the file in one query: a linked row is a re-import, corrected row by row.
      const linked = new Set<string>();
      for (const slice of chunked(writable.map((r) => r.sourceRef!))) {
        const rows = await tx
          .select({ sourceRef: importLinks.sourceRef })
          .from(importLinks)
          .where(and(eq(importLinks.provinceCode, job.provinceCode), inArray(importLinks.sourceRef, slice)));
        for (const r of rows) linked.add(r.sourceRef);
      }
      const single: RowRecord[] = [];
      const fresh: RowRecord[] = [];
      for (const row of writable) (linked.has(row.sourceRef!) || !bulkWrites ? single : fresh).push(row);
      await writeFreshRows(memo, txCtx, tx, job, fresh, single, async (rows) => {
        for (const [row, result] of rows) record(row, result);
        await reportProgress(outcomes.length);
        // Lets /api/health and every other request run between two chunks.
        await yieldToEventLoop();
      });
      single.sort(
        (a, b) =>
          (a.values.decisionDate ?? '').localeCompare(b.values.decisionDate ?? '') ||
          a.rowNumber - b.rowNumber,
      );
      for (const row of single) {
        let result: { action: 'create' | 'update' | 'unchanged'; certificateId: string };
        try {
          result = await applyRow(memo, txCtx, tx, job, row);
        } catch (error) {
          throw new RowFailure(row.rowNumber, error);
        }
        record(row, result);
        if (outcomes.length % PROGRESS_EVERY === 0) {
          await reportProgress(outcomes.length);
          await yieldToEventLoop();
        }
      }
      // What each row did, and the rows' audit entries, in a few statements rather than one a row.
      for (let i = 0; i < done.length; i += 1000) {
        await tx.execute(sql`
          update import_rows r set action = v.action, certificate_id = v.certificate_id
          from jsonb_to_recordset(${JSON.stringify(done.slice(i, i + 1000))}::jsonb)
            as v(row_number int, action text, certificate_id uuid)
          where r.job_id = ${job.id} and r.row_number = v.row_number`);
      }
      await recordAudits(tx, ctx, memo.audits);
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
        after: { ...counts, skipRowsWithErrors: options.skipRowsWithErrors },
      });
    });
  } catch (error) {
    const rowNumber = error instanceof RowFailure ? error.rowNumber : null;
    const cause = error instanceof RowFailure ? error.cause : error;
    if (!(cause instanceof AppError))
      loggers.get(ctx.database)?.error({ err: cause, importId: job.id }, 'import commit failed');
    const prefix: Message = rowNumber
      ? { vi: `Dòng ${rowNumber}: `, en: `Row ${rowNumber}: ` }
      : { vi: '', en: '' };
    const failure = {
      rowNumber,
      message: `${prefix.vi}${failureMessage(cause, 'vi')} Không có dữ liệu nào được ghi.`,
      en: `${prefix.en}${failureMessage(cause, 'en')} Nothing was written.`,
    };
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
  }
}

type CertificateFacts = {
  productName: string;
  subjectName: string;
  star: 3 | 4 | 5;
  issuer: { name: string; level: 'district' | 'province' | 'central' };
  decisionNumber: string;
  /** Null with `recognitionYear` set when the registry gives only the year (validity unknown). */
  decisionDate: string | null;
  recognitionYear: number | null;
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
    // A registry without a decision number leaves it empty: the certificate shows it as missing
    // ("chưa có số quyết định"), never an invented text.
    decisionNumber: v.decisionNumber,
    decisionDate: v.decisionDate,
    recognitionYear: v.decisionDate ? null : (v.recognitionYear ?? null),
    // Without the decision's day a stated end would be half a validity: both wait for the correction.
    ...(v.validTo && v.decisionDate ? { validTo: v.validTo } : {}),
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

/** The class the dry run settled (exactly, or by a person's decision). */
function classOf(row: RowRecord): { scheme: string; code: string } {
  const value = settledValue(row.matches.category);
  const [scheme, code] = value ? value.split(':') : [];
  if (!scheme || !code) throw new AppError('CONFLICT', messages.undecided);
  return { scheme, code };
}

/**
 * What one commit remembers between rows: the subjects and products it found or made (a producer
 * with several products is looked up once; a subject made here has only the products made here),
 * and the audit entries of the rows, written in one batch at the end.
 */
type CommitMemo = {
  subjects: Map<string, string>;
  newSubjects: Set<string>;
  products: Map<string, string>;
  audits: Parameters<typeof recordAudits>[2][number][];
};

async function applyRow(
  memo: CommitMemo,
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
      // A year-only row leaves the dates as they are (a correction cannot remove a date).
      ...(facts.decisionDate ? { decisionDate: facts.decisionDate } : {}),
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

  const subjectKey = v.taxCode ? `tax:${v.taxCode}` : `name:${fold(v.subjectName)}|${communeCode}`;
  const knownSubject = memo.subjects.get(subjectKey) ?? (await findSubject(ctx, row));
  const subjectId =
    knownSubject ??
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
        // A registry gives no tax code: the enterprise comes in without it, listed incomplete.
        origin: 'import',
      })
    ).id;
  if (!knownSubject) memo.newSubjects.add(subjectId);
  memo.subjects.set(subjectKey, subjectId);
  const productKey = `${subjectId}|${fold(v.productName)}`;
  const knownProduct =
    memo.products.get(productKey) ??
    (memo.newSubjects.has(subjectId) ? null : await findProduct(ctx, subjectId, v.productName));
  const productId =
    knownProduct ??
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
        ruleSetCode: ruleSetForRow(v)!,
        issueKind,
        issuer: facts.issuer,
        decisionNumber: facts.decisionNumber,
        decisionDate: facts.decisionDate,
        recognitionYear: facts.recognitionYear,
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
  memo.products.set(productKey, productId);
  memo.audits.push({
    action: 'import.row.created',
    entityType: 'import',
    entityId: job.id,
    after: { rowNumber: row.rowNumber, sourceRef, subjectId, productId, certificateId: certificate.id },
  });
  return { action: 'create', certificateId: certificate.id };
}

/** Rows written together, between two progress updates. */
const CHUNK_ROWS = 500;

type Written = [RowRecord, { action: 'create'; certificateId: string }];

/**
 * The rows the file brings for the first time, in chunks of bulk writes: the subjects and products
 * already stored are looked up once for the whole file, then each chunk creates its new subjects,
 * its new products and their first certificates in a few multi-row INSERTs. A row whose product
 * exists already (stored, or made by an earlier row of the file) is left in `single`, for the
 * row-by-row path (an upgrade or re-recognition needs the product's certificates as they stand).
 */
async function writeFreshRows(
  memo: CommitMemo,
  ctx: RequestContext,
  tx: DbOrTx,
  job: JobRow,
  fresh: RowRecord[],
  single: RowRecord[],
  onChunk: (rows: Written[]) => Promise<void>,
): Promise<void> {
  if (!fresh.length) return;
  const actor = ctx.actor!;
  const nameKey = (name: string, communeCode: string) => `name:${fold(name)}|${communeCode}`;
  const byTax = new Map<string, string>();
  const byName = new Map<string, string>();
  const known = await findSubjectsForImport(tx, actor, {
    taxCodes: fresh.map((r) => r.values.taxCode).filter(Boolean),
    communeCodes: fresh.map((r) => r.communeCode!),
  });
  for (const s of known) {
    if (s.taxCode) byTax.set(s.taxCode, s.id);
    if (!byName.has(nameKey(s.name, s.communeCode))) byName.set(nameKey(s.name, s.communeCode), s.id);
  }
  for (const p of await findProductsOfSubjects(
    tx,
    known.map((s) => s.id),
  ))
    memo.products.set(`${p.subjectId}|${fold(p.name)}`, p.id);
  const subjectOf = (row: RowRecord) =>
    (row.values.taxCode ? byTax.get(row.values.taxCode) : undefined) ??
    byName.get(nameKey(row.values.subjectName, row.communeCode!));
  const remember = (row: RowRecord, subjectId: string) => {
    const v = row.values;
    if (v.taxCode) byTax.set(v.taxCode, subjectId);
    if (!byName.has(nameKey(v.subjectName, row.communeCode!)))
      byName.set(nameKey(v.subjectName, row.communeCode!), subjectId);
    // The row-by-row path finds them here as the old lookups did.
    memo.subjects.set(v.taxCode ? `tax:${v.taxCode}` : nameKey(v.subjectName, row.communeCode!), subjectId);
  };

  // Products with a row written already: their later rows go row by row, in date order.
  const deferred = new Set<string>();
  for (const rows of chunked(fresh, CHUNK_ROWS)) {
    const failing = (list: RowRecord[]) => (error: unknown) => {
      if (error instanceof BulkItemError) throw new RowFailure(list[error.index]!.rowNumber, error.cause);
      throw error;
    };
    // New subjects of this chunk, one input per producer.
    const newSubjectRows: RowRecord[] = [];
    const pending = new Map<string, number>();
    for (const row of rows) {
      const v = row.values;
      if (subjectOf(row)) continue;
      const key = v.taxCode ? `tax:${v.taxCode}` : nameKey(v.subjectName, row.communeCode!);
      if (pending.has(key)) continue;
      pending.set(key, newSubjectRows.length);
      newSubjectRows.push(row);
    }
    const created = await createSubjectsInBulk(
      tx,
      actor,
      newSubjectRows.map((row) => subjectInput(row)),
      memo.audits,
    ).catch(failing(newSubjectRows));
    created.forEach((s, i) => {
      remember(newSubjectRows[i]!, s.id);
      memo.newSubjects.add(s.id);
    });

    // New products and their first certificates; any other row goes row by row.
    const productRows: RowRecord[] = [];
    for (const row of rows) {
      const v = row.values;
      const subjectId = subjectOf(row)!;
      remember(row, subjectId);
      const key = `${subjectId}|${fold(v.productName)}`;
      try {
        classOf(row);
      } catch (error) {
        throw new RowFailure(row.rowNumber, error);
      }
      if (memo.products.has(key) || deferred.has(key)) {
        deferred.add(key);
        single.push(row);
        continue;
      }
      // Later rows of this product (an upgrade, a re-recognition) go row by row after it.
      deferred.add(key);
      productRows.push(row);
    }
    const products = await createProductsInBulk(
      tx,
      actor,
      productRows.map((row) => {
        const category = classOf(row);
        return {
          subjectId: subjectOf(row)!,
          name: row.values.productName,
          taxonomyScheme: category.scheme,
          categoryCode: category.code,
          communeCode: row.communeCode!,
        };
      }),
      memo.audits,
    ).catch(failing(productRows));
    for (const [i, p] of products.entries())
      memo.products.set(`${p.subjectId}|${fold(productRows[i]!.values.productName)}`, p.id);
    const issued = await issueImportedCertificatesInBulk(
      tx,
      ctx,
      productRows.map((row, i) => {
        const facts = certificateFacts(row);
        return {
          product: products[i]!,
          star: facts.star,
          ruleSetCode: ruleSetForRow(row.values)!,
          issuer: facts.issuer,
          decisionNumber: facts.decisionNumber,
          decisionDate: facts.decisionDate,
          recognitionYear: facts.recognitionYear,
          ...(facts.validTo ? { validTo: facts.validTo } : {}),
          ...(row.values.certificateNumber ? { number: row.values.certificateNumber } : {}),
          sourceRef: row.sourceRef!,
          originalAddress: facts.originalAddress,
        };
      }),
      memo.audits,
    ).catch(failing(productRows));
    if (productRows.length)
      await tx.insert(importLinks).values(
        productRows.map((row, i) => ({
          provinceCode: job.provinceCode,
          sourceRef: row.sourceRef!,
          subjectId: products[i]!.subjectId,
          productId: products[i]!.id,
          certificateNumber: issued[i]!.number,
          fingerprint: row.fingerprint,
          lastJobId: job.id,
        })),
      );
    const written: Written[] = productRows.map((row, i) => {
      memo.audits.push({
        action: 'import.row.created',
        entityType: 'import',
        entityId: job.id,
        after: {
          rowNumber: row.rowNumber,
          sourceRef: row.sourceRef,
          subjectId: products[i]!.subjectId,
          productId: products[i]!.id,
          certificateId: issued[i]!.id,
        },
      });
      return [row, { action: 'create', certificateId: issued[i]!.id }];
    });
    await onChunk(written);
  }
}

/** A subject as the registry row describes it (what the row-by-row path creates too). */
function subjectInput(row: RowRecord) {
  const v = row.values;
  return {
    name: v.subjectName,
    type: v.subjectType as 'cooperative',
    taxCode: v.taxCode || null,
    address: v.address || writtenAddress(v),
    communeCode: row.communeCode!,
    legalRepresentative: v.legalRepresentative || UNKNOWN_PERSON,
    // The registry does not record it; 'other' claims nothing about the person.
    legalRepresentativeGender: 'other' as const,
  };
}
