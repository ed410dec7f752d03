import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  boolean,
  check,
  date,
  index,
  integer,
  jsonb,
  numeric,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { users } from '../accounts/schema';
import { provinces } from '../admin-units/schema';
import type { Answers, EvaluationResult, LevelDecision } from '../criteria/contract';
import { criteriaRuleSets, criteriaSheets } from '../criteria/schema';
import { products } from '../products/schema';
import { subjects } from '../subjects/schema';
import type { SelfAssessment } from './rules';

/**
 * Evaluation cycles, dossiers, councils, member score sheets, results and recognition decisions.
 * The rules these tables keep:
 * - A cycle freezes the rule-set revision it was opened under (`rule_set_id`), and whether its
 *   dossiers pass the commune pre-check; a later revision of the rule-set never changes it.
 *   One cycle per (province, level, year, round); central cycles have no province.
 * - A dossier freezes the scoring sheet of its product set under that rule-set (`sheet_id`) and the
 *   product facts it was filed with (name, product set, subject's commune and province). At most one
 *   dossier per product per cycle that is not withdrawn. `version` increases on every write.
 * - Dossier transitions are append-only: from, to, action, actor, time, reason.
 * - Documents are files under UPLOADS/dossiers/<dossier>/<document>.<ext>, type sniffed from the
 *   bytes; removal is soft (`removed_at`), the file stays.
 * - A person sits once on a council; a council has one chair (partial unique index).
 * - Score sheets: one row per (dossier, member, revision). A submitted row is never edited: the
 *   chair's reopening adds the next revision, pointing at the one it replaces, and the member's
 *   current sheet is the highest revision. Two submits at once meet on the unique key and a lock.
 * - Results are computed by the criteria engine when the chair closes scoring and stored with its
 *   whole output; closing again after a reopening adds the next `sequence`, pointing at the one it
 *   supersedes. Publication is its own record per result.
 * - A recognition decision (number, legal date, signer) lists dossiers with their stars; one number
 *   per issuer. It is the input of certificates (a later issue).
 * - The advisory group's review of a dossier is one record per dossier, written by an advisory
 *   member of its council or a province officer while the dossier is accepted or with the council;
 *   `version` increases on every write (the audit log keeps each before/after). The field visit's
 *   date, place and findings are set together or not at all (check constraint).
 */

export const evaluationCycles = pgTable(
  'evaluation_cycles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    level: text('level').notNull(),
    provinceCode: text('province_code').references(() => provinces.code),
    year: integer('year').notNull(),
    round: integer('round').notNull(),
    name: text('name').notNull(),
    ruleSetId: uuid('rule_set_id')
      .notNull()
      .references(() => criteriaRuleSets.id),
    ruleSetCode: text('rule_set_code').notNull(),
    ruleSetRevision: integer('rule_set_revision').notNull(),
    precheckRequired: boolean('precheck_required').notNull(),
    submissionDeadline: date('submission_deadline', { mode: 'string' }).notNull(),
    meetingDate: date('meeting_date', { mode: 'string' }),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('evaluation_cycles_round_key').on(
      sql`coalesce(${t.provinceCode}, '')`,
      t.level,
      t.year,
      t.round,
    ),
    index('evaluation_cycles_province_idx').on(t.provinceCode, t.year),
  ],
);

export type RegistrationForm = Record<string, string | number | null>;

export const evaluationDossiers = pgTable(
  'evaluation_dossiers',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cycleId: uuid('cycle_id')
      .notNull()
      .references(() => evaluationCycles.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    subjectId: uuid('subject_id')
      .notNull()
      .references(() => subjects.id),
    productName: text('product_name').notNull(),
    productSetScheme: text('product_set_scheme').notNull(),
    productSetCode: text('product_set_code').notNull(),
    communeCode: text('commune_code').notNull(),
    provinceCode: text('province_code').notNull(),
    sheetId: uuid('sheet_id')
      .notNull()
      .references(() => criteriaSheets.id),
    evaluationType: text('evaluation_type').notNull(),
    state: text('state').notNull().default('draft'),
    councilId: uuid('council_id').references((): AnyPgColumn => evaluationCouncils.id),
    registrationForm: jsonb('registration_form').$type<RegistrationForm>().notNull().default({}),
    selfAssessmentAnswers: jsonb('self_assessment_answers').$type<Answers>().notNull().default({}),
    selfAssessment: jsonb('self_assessment').$type<SelfAssessment>(),
    selfAssessmentStar: integer('self_assessment_star'),
    version: integer('version').notNull().default(1),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('evaluation_dossiers_live_product_key')
      .on(t.cycleId, t.productId)
      .where(sql`${t.state} <> 'withdrawn'`),
    index('evaluation_dossiers_cycle_state_idx').on(t.cycleId, t.state),
    index('evaluation_dossiers_subject_idx').on(t.subjectId),
    index('evaluation_dossiers_council_idx').on(t.councilId),
  ],
);

export const evaluationDossierTransitions = pgTable(
  'evaluation_dossier_transitions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => evaluationDossiers.id),
    action: text('action').notNull(),
    fromState: text('from_state'),
    toState: text('to_state').notNull(),
    actorId: uuid('actor_id').references(() => users.id),
    at: timestamp('at', { withTimezone: true }).notNull().defaultNow(),
    reason: text('reason'),
  },
  (t) => [index('evaluation_dossier_transitions_dossier_idx').on(t.dossierId, t.at)],
);

export const evaluationDossierDocuments = pgTable(
  'evaluation_dossier_documents',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => evaluationDossiers.id),
    checklistCode: text('checklist_code').notNull(),
    fileName: text('file_name').notNull(),
    mimeType: text('mime_type').notNull(),
    bytes: integer('bytes').notNull(),
    sha256: text('sha256').notNull(),
    uploadedBy: uuid('uploaded_by').references(() => users.id),
    uploadedAt: timestamp('uploaded_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    removedBy: uuid('removed_by').references(() => users.id),
  },
  (t) => [index('evaluation_dossier_documents_dossier_idx').on(t.dossierId, t.checklistCode)],
);

export const evaluationCouncils = pgTable(
  'evaluation_councils',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cycleId: uuid('cycle_id')
      .notNull()
      .references(() => evaluationCycles.id),
    name: text('name').notNull(),
    /** The decision that set the council up ("Quyết định thành lập hội đồng"), when known. */
    establishedBy: text('established_by'),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('evaluation_councils_cycle_idx').on(t.cycleId)],
);

export const evaluationCouncilMembers = pgTable(
  'evaluation_council_members',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    councilId: uuid('council_id')
      .notNull()
      .references(() => evaluationCouncils.id),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id),
    role: text('role').notNull(),
    addedBy: uuid('added_by').references(() => users.id),
    addedAt: timestamp('added_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('evaluation_council_members_seat_key').on(t.councilId, t.userId),
    uniqueIndex('evaluation_council_members_one_chair_key').on(t.councilId).where(sql`${t.role} = 'chair'`),
    index('evaluation_council_members_user_idx').on(t.userId),
  ],
);

export const evaluationConflicts = pgTable(
  'evaluation_conflicts',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    memberId: uuid('member_id')
      .notNull()
      .references(() => evaluationCouncilMembers.id),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => evaluationDossiers.id),
    reason: text('reason').notNull(),
    declaredBy: uuid('declared_by').references(() => users.id),
    declaredAt: timestamp('declared_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('evaluation_conflicts_member_dossier_key').on(t.memberId, t.dossierId)],
);

export type SheetComments = { general?: string; criteria?: Record<string, string> };

export const evaluationScoreSheets = pgTable(
  'evaluation_score_sheets',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => evaluationDossiers.id),
    memberId: uuid('member_id')
      .notNull()
      .references(() => evaluationCouncilMembers.id),
    revision: integer('revision').notNull(),
    /** The revision this one replaces (the chair reopened it), null for the first. */
    previousId: uuid('previous_id').references((): AnyPgColumn => evaluationScoreSheets.id),
    status: text('status').notNull().default('draft'),
    answers: jsonb('answers').$type<Answers>().notNull().default({}),
    comments: jsonb('comments').$type<SheetComments>().notNull().default({}),
    reopenReason: text('reopen_reason'),
    reopenedBy: uuid('reopened_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    submittedAt: timestamp('submitted_at', { withTimezone: true }),
  },
  (t) => [
    uniqueIndex('evaluation_score_sheets_revision_key').on(t.dossierId, t.memberId, t.revision),
    index('evaluation_score_sheets_member_idx').on(t.memberId),
  ],
);

export const evaluationResults = pgTable(
  'evaluation_results',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => evaluationDossiers.id),
    cycleId: uuid('cycle_id')
      .notNull()
      .references(() => evaluationCycles.id),
    sequence: integer('sequence').notNull(),
    supersedesId: uuid('supersedes_id').references((): AnyPgColumn => evaluationResults.id),
    valid: boolean('valid').notNull(),
    outcome: text('outcome').notNull(),
    sheetCount: integer('sheet_count').notNull(),
    score: numeric('score', { precision: 6, scale: 2, mode: 'number' }),
    scoreStar: integer('score_star'),
    finalStar: integer('final_star'),
    /** Member ids whose total is further than the rule-set's distance from the mean. */
    outlierMemberIds: jsonb('outlier_member_ids').$type<string[]>().notNull(),
    disqualifiers: jsonb('disqualifiers').$type<string[]>().notNull(),
    engineOutput: jsonb('engine_output').$type<EvaluationResult>().notNull(),
    levelDecision: jsonb('level_decision').$type<LevelDecision>().notNull(),
    /** The member sheets (ids and revisions) the result was computed from. */
    sheetIds: jsonb('sheet_ids').$type<string[]>().notNull(),
    computedBy: uuid('computed_by').references(() => users.id),
    computedAt: timestamp('computed_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('evaluation_results_sequence_key').on(t.dossierId, t.sequence),
    index('evaluation_results_cycle_idx').on(t.cycleId),
  ],
);

export const evaluationResultPublications = pgTable('evaluation_result_publications', {
  resultId: uuid('result_id')
    .primaryKey()
    .references(() => evaluationResults.id),
  publishedBy: uuid('published_by').references(() => users.id),
  publishedAt: timestamp('published_at', { withTimezone: true }).notNull().defaultNow(),
});

export const recognitionDecisions = pgTable(
  'evaluation_recognition_decisions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    cycleId: uuid('cycle_id')
      .notNull()
      .references(() => evaluationCycles.id),
    /** The issuing authority: the province code, or "central". */
    issuerCode: text('issuer_code').notNull(),
    number: text('number').notNull(),
    decisionDate: date('decision_date', { mode: 'string' }).notNull(),
    signerName: text('signer_name').notNull(),
    signerTitle: text('signer_title').notNull(),
    createdBy: uuid('created_by').references(() => users.id),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('evaluation_recognition_decisions_number_key').on(t.issuerCode, t.number),
    index('evaluation_recognition_decisions_cycle_idx').on(t.cycleId),
  ],
);

export const recognitionDecisionItems = pgTable(
  'evaluation_recognition_items',
  {
    decisionId: uuid('decision_id')
      .notNull()
      .references(() => recognitionDecisions.id),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => evaluationDossiers.id),
    resultId: uuid('result_id')
      .notNull()
      .references(() => evaluationResults.id),
    productId: uuid('product_id')
      .notNull()
      .references(() => products.id),
    star: integer('star').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.decisionId, t.dossierId] }),
    uniqueIndex('evaluation_recognition_items_dossier_key').on(t.dossierId),
  ],
);

export const evaluationAdvisoryReviews = pgTable(
  'evaluation_advisory_reviews',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    dossierId: uuid('dossier_id')
      .notNull()
      .references(() => evaluationDossiers.id),
    reviewNotes: text('review_notes').notNull(),
    fieldVisitDate: date('field_visit_date', { mode: 'string' }),
    fieldVisitPlace: text('field_visit_place'),
    fieldVisitFindings: text('field_visit_findings'),
    /** Documents of the dossier the review relies on (ids of evaluation_dossier_documents). */
    attachmentDocumentIds: jsonb('attachment_document_ids').$type<string[]>().notNull().default([]),
    version: integer('version').notNull().default(1),
    recordedBy: uuid('recorded_by').references(() => users.id),
    recordedAt: timestamp('recorded_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: uuid('updated_by').references(() => users.id),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('evaluation_advisory_reviews_dossier_key').on(t.dossierId),
    check(
      'evaluation_advisory_reviews_visit_whole',
      sql`(${t.fieldVisitDate} is null) = (${t.fieldVisitPlace} is null) and (${t.fieldVisitDate} is null) = (${t.fieldVisitFindings} is null)`,
    ),
  ],
);
