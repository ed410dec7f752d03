import { z } from 'zod';
import {
  codeSchema,
  criterionSchema,
  REQUIREMENT_JUDGEMENTS,
  ROUNDING_MODES,
  type RuleSet,
  type RuleSetBundle,
  type Sheet,
  STATUSES,
} from './documents';

/**
 * Shapes of the criteria API, shared with the web app (no server imports). Import bodies are the
 * documents of documents.ts; responses carry them back as stored (typed, not re-validated: they
 * were validated on the way in).
 */

/**
 * Schemas the API document names as components. The criterion refers to itself (sub-criteria), and
 * a recursive schema can only be written as a `$ref` to a named component; inlined, its
 * self-reference pointed nowhere.
 */
export const criteriaComponents = { Criterion: criterionSchema };

const localizedView = z.object({ vi: z.string(), en: z.string().optional() });

export const problemView = z.object({
  code: z.string(),
  severity: z.enum(['error', 'warning']),
  path: z.string(),
  ref: z.string().optional(),
  vi: z.string(),
  en: z.string(),
});
export type ProblemView = z.infer<typeof problemView>;

const lifecycle = {
  id: z.string(),
  code: z.string(),
  revision: z.number().int(),
  status: z.enum(STATUSES),
  errorCount: z.number().int(),
  warningCount: z.number().int(),
  contentHash: z.string(),
  /** For optimistic concurrency on parameter changes, activation and retirement. */
  version: z.number().int(),
  createdAt: z.date(),
  activatedAt: z.date().nullable(),
  retiredAt: z.date().nullable(),
};

export const ruleSetSummary = z.object({
  ...lifecycle,
  name: localizedView,
  legalBasis: z.array(z.string()),
  inForce: z.object({ from: z.string(), to: z.string().nullable() }),
  taxonomyScheme: z.string(),
});
export type RuleSetSummary = z.infer<typeof ruleSetSummary>;

export const ruleSetView = ruleSetSummary.extend({
  document: z.custom<RuleSet>(),
  problems: z.array(problemView),
});
export type RuleSetView = z.infer<typeof ruleSetView>;

export const sheetSummary = z.object({
  ...lifecycle,
  ruleSetCode: z.string(),
  productSet: z.object({ scheme: z.string(), code: z.string(), name: localizedView }),
  title: localizedView,
  demo: z.boolean(),
  validatedAgainst: z.string().nullable(),
});
export type SheetSummary = z.infer<typeof sheetSummary>;

export const sheetView = sheetSummary.extend({
  document: z.custom<Sheet>(),
  problems: z.array(problemView),
});
export type SheetView = z.infer<typeof sheetView>;

export const ruleSetImportResult = z.object({ created: z.boolean(), ruleSet: ruleSetView });
export const sheetImportResult = z.object({ created: z.boolean(), sheet: sheetView });

export const ruleSetList = z.object({ items: z.array(ruleSetSummary) });
export const sheetList = z.object({ items: z.array(sheetSummary) });

export const listRuleSetsQuery = z.strictObject({
  code: codeSchema.optional(),
  status: z.enum(STATUSES).optional(),
});

export const listSheetsQuery = z.strictObject({
  ruleSetCode: codeSchema.optional(),
  productSetCode: codeSchema.optional(),
  status: z.enum(STATUSES).optional(),
});

export const versionBody = z.strictObject({ version: z.number().int().min(1) });

/** The [open] parameters of a draft rule-set an administrator may set; values the law fixes are not here. */
export const ruleSetParametersBody = z.strictObject({
  version: z.number().int().min(1),
  rounding: z
    .strictObject({ decimals: z.number().int().min(0).max(4), mode: z.enum(ROUNDING_MODES) })
    .optional(),
  minimumSheets: z.number().int().min(1).max(50).optional(),
  requirementJudgement: z.enum(REQUIREMENT_JUDGEMENTS).optional(),
  outlierDistance: z.number().finite().min(0).max(100).optional(),
});
export type RuleSetParametersInput = z.infer<typeof ruleSetParametersBody>;

export const ruleSetExport = z.custom<RuleSetBundle>();

export const shippedLoadBody = z.strictObject({});
export const shippedLoadResult = z.object({
  ruleSets: z.array(z.object({ code: z.string(), revision: z.number().int(), created: z.boolean() })),
  sheets: z.array(z.object({ code: z.string(), revision: z.number().int(), created: z.boolean() })),
});
export type ShippedLoadResult = z.infer<typeof shippedLoadResult>;

/** An Excel import: the JSON import's result, plus the workbook cell of each validation problem's path. */
export const sheetWorkbookImportResult = sheetImportResult.extend({
  locations: z.record(z.string(), z.string()),
});
export type SheetWorkbookImportResult = z.infer<typeof sheetWorkbookImportResult>;

/** A rule-set Excel import: the JSON import's result, plus the workbook cell of each validation problem's path. */
export const ruleSetWorkbookImportResult = ruleSetImportResult.extend({
  locations: z.record(z.string(), z.string()),
});
export type RuleSetWorkbookImportResult = z.infer<typeof ruleSetWorkbookImportResult>;

/** The documents' shapes and the pure scoring engine, shared with the web app and the evaluation module. */
export * from './documents';
export * from './policy';
export * from './rules';
export * from './tree';
