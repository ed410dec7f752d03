import { index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema';

/**
 * In-app notices and the bookkeeping of background jobs. Rules:
 * - A notification belongs to one user and only that user reads it or marks it read; `read_at` is
 *   set once (marking twice keeps the first time). Rows are not deleted.
 * - `kind` names the payload's shape (contract.ts lists them); the payload holds what the notice
 *   shows and the ids its action needs, never personal data of other people.
 * - A dispatch is one event sent once to its recipients: its `key` (e.g.
 *   "certificate-expiry:<number>:<valid_to>:30") is unique, so a job re-run, a retry or a second
 *   app instance can never notify twice. `email_status` records the e-mail leg separately, because
 *   mail leaves after the transaction commits and may fail without undoing the in-app notices; the
 *   message is kept with it so a later run retries what did not leave (at most 3 tries in 7 days).
 * - A job run is claimed by inserting (job, day): the unique key lets one app instance run a daily
 *   job per day. A claim left unfinished (the instance died) can be taken over once it is stale.
 */
export const notifications = pgTable(
  'notifications',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    kind: text('kind').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    dispatchKey: text('dispatch_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    readAt: timestamp('read_at', { withTimezone: true }),
  },
  (t) => [
    index('notifications_user_idx').on(t.userId, t.createdAt),
    uniqueIndex('notifications_user_dispatch_key').on(t.userId, t.dispatchKey),
  ],
);

export const notificationDispatches = pgTable('notification_dispatches', {
  key: text('key').primaryKey(),
  kind: text('kind').notNull(),
  recipients: integer('recipients').notNull(),
  emailTo: jsonb('email_to').$type<string[]>().notNull().default([]),
  /** 'none' (no SMTP_URL or no address), 'pending', 'sending' (a try under way), 'sent' or 'failed'. */
  emailStatus: text('email_status').notNull().default('none'),
  emailError: text('email_error'),
  /** The message itself, so a failed or interrupted send is retried by a later run (up to 3 tries). */
  emailSubject: text('email_subject'),
  emailText: text('email_text'),
  emailAttempts: integer('email_attempts').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

export const jobRuns = pgTable(
  'job_runs',
  {
    job: text('job').notNull(),
    /** The calendar day (Asia/Ho_Chi_Minh) the run is for. */
    day: text('day').notNull(),
    instance: text('instance').notNull(),
    startedAt: timestamp('started_at', { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp('finished_at', { withTimezone: true }),
    outcome: jsonb('outcome').$type<Record<string, unknown>>(),
  },
  (t) => [
    uniqueIndex('job_runs_job_day_key').on(t.job, t.day),
    index('job_runs_started_idx').on(t.startedAt),
  ],
);
