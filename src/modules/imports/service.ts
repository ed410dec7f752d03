import { recoverInterruptedCommits } from './commit-job';
import type { ImportJobView, ImportReport } from './contract';
import { type Ctx, loadJob, reportOf, toJobView } from './store';

/**
 * The import's use cases, one concept per file: upload, listing and mapping (upload-service.ts),
 * the dry run (dry-run.ts), decisions once per distinct value (decisions.ts), the commit job
 * (commit-job.ts). Reading a job that says 'committing' first settles whether its commit is
 * still running anywhere, so an interrupted one is never shown as running.
 */
export { recoverInterruptedCommits, requestCommit, settleCommits, startCommits } from './commit-job';
export { decideImportRow, decideImportValue } from './decisions';
export { dryRunImport } from './dry-run';
export {
  chooseImportSheet,
  listImports,
  listIncompleteRecords,
  previewImport,
  setImportMapping,
  uploadImport,
} from './upload-service';

async function freshJob(ctx: Ctx['ctx'], id: string) {
  const job = await loadJob(ctx.database.db, ctx, id);
  if (job.status !== 'committing') return job;
  await recoverInterruptedCommits(ctx.database, [job.id]);
  return loadJob(ctx.database.db, ctx, id);
}

export async function getImport({ ctx, input }: Ctx & { input: { id: string } }): Promise<ImportJobView> {
  return toJobView(await freshJob(ctx, input.id));
}

export async function getImportReport({
  ctx,
  input,
}: Ctx & { input: { id: string } }): Promise<ImportReport> {
  return reportOf(ctx.database.db, await freshJob(ctx, input.id));
}
