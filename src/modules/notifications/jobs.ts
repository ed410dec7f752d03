import { hostname } from 'node:os';
import { and, eq, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import { jobRuns } from './schema';

/**
 * Daily jobs across several app instances. A run is claimed by inserting (job, day) into job_runs:
 * the unique key makes exactly one instance win, on PostgreSQL (a concurrent insert waits for the
 * first and then sees the conflict). A session-level advisory lock was the other choice; it needs
 * one pinned connection for the whole run (a pool hands out a different one per query), leaves no
 * trace of what ran, and would let a second instance run the same day again after the first
 * released it. The claim row also records the run's outcome. A claim whose instance died is taken over once it is older than `staleMinutes`.
 */
export const INSTANCE_ID = `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;

export async function claimJobRun(
  db: DbOrTx,
  input: { job: string; day: string; instance?: string; staleMinutes?: number },
): Promise<boolean> {
  const instance = input.instance ?? INSTANCE_ID;
  const stale = input.staleMinutes ?? 60;
  const rows = await db
    .insert(jobRuns)
    .values({ job: input.job, day: input.day, instance })
    .onConflictDoUpdate({
      target: [jobRuns.job, jobRuns.day],
      set: { instance, startedAt: sql`now()`, finishedAt: null },
      setWhere: sql`${jobRuns.finishedAt} is null and ${jobRuns.startedAt} < now() - make_interval(mins => ${stale})`,
    })
    .returning({ instance: jobRuns.instance });
  return rows[0]?.instance === instance;
}

export async function finishJobRun(
  db: DbOrTx,
  input: { job: string; day: string; instance?: string; outcome: Record<string, unknown> },
): Promise<void> {
  await db
    .update(jobRuns)
    .set({ finishedAt: sql`now()`, outcome: input.outcome })
    .where(
      and(
        eq(jobRuns.job, input.job),
        eq(jobRuns.day, input.day),
        eq(jobRuns.instance, input.instance ?? INSTANCE_ID),
      ),
    );
}

/** Gives a failed run's day back, so the next check (on any instance) tries again. */
export async function releaseJobRun(
  db: DbOrTx,
  input: { job: string; day: string; instance?: string },
): Promise<void> {
  await db
    .delete(jobRuns)
    .where(
      and(
        eq(jobRuns.job, input.job),
        eq(jobRuns.day, input.day),
        eq(jobRuns.instance, input.instance ?? INSTANCE_ID),
        sql`${jobRuns.finishedAt} is null`,
      ),
    );
}

export type ScheduledJob = { name: string; run: (now: Date) => Promise<unknown> };

export type Scheduler = { stop: () => void; tick: () => Promise<void> };

/**
 * Calls each job every `everyMinutes` (and once at start). The jobs themselves decide whether
 * today's run is still to do (by their claim), so checking often costs one insert that conflicts.
 * The timer is unref'd: it never keeps the process alive, and tests never start it.
 */
export function startScheduler(input: {
  jobs: readonly ScheduledJob[];
  everyMinutes: number;
  onError: (job: string, error: unknown) => void;
}): Scheduler {
  let running = false;
  const tick = async () => {
    if (running) return;
    running = true;
    try {
      for (const job of input.jobs) {
        try {
          await job.run(new Date());
        } catch (error) {
          input.onError(job.name, error);
        }
      }
    } finally {
      running = false;
    }
  };
  const timer = setInterval(() => void tick(), input.everyMinutes * 60_000);
  timer.unref();
  const first = setTimeout(() => void tick(), 5_000);
  first.unref();
  return {
    stop: () => {
      clearInterval(timer);
      clearTimeout(first);
    },
    tick,
  };
}
