import { sql } from 'drizzle-orm';
import {
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema';
import type { RuleSet, Sheet } from './documents';
import type { Problem } from './tree';

/**
 * Rule-set versions and scoring sheets, stored as the validated JSON documents they were imported as.
 * - A document is stored once per (code, revision); importing the same content again adds nothing,
 *   importing changed content adds the next revision. Revisions are never deleted, so an evaluation
 *   that froze one can always read it.
 * - Status: draft → active → retired (or draft → retired). At most one active revision per rule-set
 *   code, and one active sheet per (rule-set code, product set): partial unique indexes enforce it
 *   even when two administrators activate at once.
 * - Only a draft changes in place, and only its [open] parameters (minimum sheets, rounding…);
 *   an active or retired document is final.
 * - `problems` is the validation report made at import (errors block activation, which validates
 *   again); a sheet is validated against the active revision of its rule-set, else the latest one
 *   (`validated_against`).
 * - Demo sheets (`demo`) can only be activated on a demo installation.
 */
export const criteriaRuleSets = pgTable(
  'criteria_rule_sets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    revision: integer('revision').notNull(),
    status: text('status').notNull().default('draft'),
    document: jsonb('document').$type<RuleSet>().notNull(),
    problems: jsonb('problems').$type<Problem[]>().notNull(),
    errorCount: integer('error_count').notNull(),
    warningCount: integer('warning_count').notNull(),
    contentHash: text('content_hash').notNull(),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('criteria_rule_sets_code_revision_key').on(t.code, t.revision),
    uniqueIndex('criteria_rule_sets_one_active_key').on(t.code).where(sql`status = 'active'`),
  ],
);

export const criteriaSheets = pgTable(
  'criteria_sheets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    code: text('code').notNull(),
    revision: integer('revision').notNull(),
    ruleSetCode: text('rule_set_code').notNull(),
    productSetScheme: text('product_set_scheme').notNull(),
    productSetCode: text('product_set_code').notNull(),
    demo: boolean('demo').notNull().default(false),
    status: text('status').notNull().default('draft'),
    document: jsonb('document').$type<Sheet>().notNull(),
    problems: jsonb('problems').$type<Problem[]>().notNull(),
    errorCount: integer('error_count').notNull(),
    warningCount: integer('warning_count').notNull(),
    validatedAgainst: uuid('validated_against').references(() => criteriaRuleSets.id),
    contentHash: text('content_hash').notNull(),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    activatedAt: timestamp('activated_at', { withTimezone: true }),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('criteria_sheets_code_revision_key').on(t.code, t.revision),
    uniqueIndex('criteria_sheets_one_active_key')
      .on(t.ruleSetCode, t.productSetCode)
      .where(sql`status = 'active'`),
    index('criteria_sheets_rule_set_idx').on(t.ruleSetCode, t.productSetCode),
  ],
);
