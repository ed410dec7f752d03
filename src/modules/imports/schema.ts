import { sql } from 'drizzle-orm';
import {
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema';
import type { MatchDecision, Matches } from './match-types';
import type { Mapping, Problem, RowValues } from './rules';

/**
 * Importing a province's existing registry. Rules:
 * - A template remembers the column mapping a province chose for one header signature (the folded
 *   header labels in order), so the next file laid out the same way is mapped without asking.
 * - A job is one uploaded file (kept under DATA_DIR/uploads/imports/<id>.<kind>, its SHA-256 beside
 *   it) of one province. Status: uploaded → checked (dry run done) → committed, or failed when a
 *   commit was rolled back (nothing of it stays). `counts` is the last report's summary.
 * - Rows are the last dry run's reading of the file, one per sheet row: parsed values, errors,
 *   warnings, the candidate communes of an address the conversion table cannot settle, and the
 *   person's decision among them (kept across dry runs of the same job by row number).
 * - A link ties what a registry row is (`source_ref`: province + certificate number, or decision
 *   number + product name) to the records it made, so re-importing updates them instead of
 *   creating new ones. One link per (province, source_ref).
 * - Decisions are made once per distinct value (a match's key: "Đồ uống" with "cà phê" in the
 *   product's name), kept on the job (`decisions`, key → value, author, time) and applied to every
 *   row with that key; with "remember" they are also kept on the template, so the next file of the
 *   same layout gets them (shown as remembered, never silently). Each row's `matches` say how each
 *   transformed value was read.
 * - A commit is a job: `status` 'committing' while queued or running, claimed by one instance with
 *   FOR UPDATE SKIP LOCKED (`commit_claimed_at`, refreshed while it runs); a claim that stops being
 *   refreshed was interrupted (its transaction rolled back: nothing of it stays) and the job says so.
 */
export type CandidateCommune = {
  communeCode: string;
  communeName: string;
  provinceCode: string;
  provinceName: string;
  reason: string;
};

export type RowDecision = { communeCode: string; userId: string; at: string };

export const IMPORT_JOB_STATUSES = ['uploaded', 'checked', 'committing', 'committed', 'failed'] as const;

/** Key of a decision: the match's field and its key ("category|…"). */
export type JobDecisions = Record<string, Omit<MatchDecision, 'remembered'>>;
export type TemplateDecisions = Record<string, { value: string; userId: string; at: string }>;
export type CommitOptions = { skipRowsWithErrors: boolean };
export const IMPORT_ROW_STATUSES = ['ok', 'warning', 'flagged', 'error', 'duplicate', 'empty'] as const;

export type ImportCounts = {
  rows: number;
  ok: number;
  warning: number;
  flagged: number;
  error: number;
  duplicate: number;
  empty: number;
  created: number;
  updated: number;
  unchanged: number;
};

export const importTemplates = pgTable(
  'import_templates',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provinceCode: text('province_code').notNull(),
    headerSignature: text('header_signature').notNull(),
    mapping: jsonb('mapping').$type<Mapping>().notNull(),
    decisions: jsonb('decisions').$type<TemplateDecisions>().notNull().default(sql`'{}'::jsonb`),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('import_templates_signature_key').on(t.provinceCode, t.headerSignature)],
);

export const importJobs = pgTable(
  'import_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    provinceCode: text('province_code').notNull(),
    fileName: text('file_name').notNull(),
    fileKind: text('file_kind').notNull(),
    fileSha256: text('file_sha256').notNull(),
    byteSize: integer('byte_size').notNull(),
    sheetName: text('sheet_name').notNull().default(''),
    /** Every sheet of the workbook, in order ([] for a CSV), so the person can read another one. */
    sheetNames: jsonb('sheet_names').$type<string[]>().notNull().default(sql`'[]'::jsonb`),
    headerRow: integer('header_row').notNull(),
    headerRows: integer('header_rows').notNull(),
    headers: jsonb('headers').$type<string[]>().notNull(),
    mapping: jsonb('mapping').$type<Mapping>().notNull(),
    templateId: uuid('template_id').references(() => importTemplates.id),
    status: text('status').notNull().default('uploaded'),
    totalRows: integer('total_rows').notNull(),
    processedRows: integer('processed_rows').notNull().default(0),
    counts: jsonb('counts').$type<ImportCounts | null>(),
    failure: jsonb('failure').$type<{
      rowNumber: number | null;
      message: string;
      en?: string;
      interrupted?: boolean;
    } | null>(),
    decisions: jsonb('decisions').$type<JobDecisions>().notNull().default(sql`'{}'::jsonb`),
    commitOptions: jsonb('commit_options').$type<CommitOptions | null>(),
    commitRequestedBy: uuid('commit_requested_by').references(() => users.id),
    commitRequestedAt: timestamp('commit_requested_at', { withTimezone: true }),
    commitStartedAt: timestamp('commit_started_at', { withTimezone: true }),
    /** Refreshed by the instance running the commit; stale means that instance stopped. */
    commitClaimedAt: timestamp('commit_claimed_at', { withTimezone: true }),
    createdBy: uuid('created_by')
      .notNull()
      .references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    committedAt: timestamp('committed_at', { withTimezone: true }),
  },
  (t) => [
    index('import_jobs_province_idx').on(t.provinceCode, t.createdAt),
    index('import_jobs_committing_idx').on(t.commitRequestedAt).where(sql`${t.status} = 'committing'`),
  ],
);

export const importRows = pgTable(
  'import_rows',
  {
    jobId: uuid('job_id')
      .notNull()
      .references(() => importJobs.id, { onDelete: 'cascade' }),
    rowNumber: integer('row_number').notNull(),
    status: text('status').notNull(),
    values: jsonb('values').$type<RowValues>().notNull(),
    errors: jsonb('errors').$type<Problem[]>().notNull().default(sql`'[]'::jsonb`),
    warnings: jsonb('warnings').$type<Problem[]>().notNull().default(sql`'[]'::jsonb`),
    fingerprint: text('fingerprint').notNull(),
    sourceRef: text('source_ref'),
    duplicateOf: integer('duplicate_of'),
    communeCode: text('commune_code'),
    originalAddress: text('original_address'),
    candidates: jsonb('candidates').$type<CandidateCommune[]>().notNull().default(sql`'[]'::jsonb`),
    matches: jsonb('matches').$type<Matches>().notNull().default(sql`'{}'::jsonb`),
    decision: jsonb('decision').$type<RowDecision | null>(),
    /** create / update / unchanged: what committing would do (dry run) or did (commit). */
    action: text('action'),
    certificateId: uuid('certificate_id'),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.rowNumber] })],
);

export const importLinks = pgTable(
  'import_links',
  {
    provinceCode: text('province_code').notNull(),
    sourceRef: text('source_ref').notNull(),
    subjectId: uuid('subject_id').notNull(),
    productId: uuid('product_id').notNull(),
    /** The certificate's number: a correction makes a new version (new id) under the same number. */
    certificateNumber: text('certificate_number').notNull(),
    fingerprint: text('fingerprint').notNull(),
    lastJobId: uuid('last_job_id')
      .notNull()
      .references(() => importJobs.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.provinceCode, t.sourceRef] })],
);
