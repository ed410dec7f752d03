import { z } from 'zod';
import { MATCH_FIELDS, MATCH_KINDS } from './match-types';
import { IMPORT_FIELDS } from './rules';

/**
 * Shapes of the registry-import API, shared with the web app (no server imports here).
 * Steps: upload (multipart `file`, optional `provinceCode` for administrators) → PUT mapping →
 * GET preview → POST dry-run (report per row, and the questions a person must answer) → POST
 * decisions, once per distinct value → POST commit (202: a job; GET the import for its progress).
 */

export const IMPORT_STATUSES = ['uploaded', 'checked', 'committing', 'committed', 'failed'] as const;
export const ROW_STATUSES = ['ok', 'warning', 'flagged', 'error', 'duplicate', 'empty'] as const;
export const ROW_ACTIONS = ['create', 'update', 'unchanged'] as const;

const columnIndex = z.number().int().min(0).max(59);
const importField = z.enum(IMPORT_FIELDS);

/** Field → 0-based column of the detected header. Fields left out are not imported. */
export const mappingShape = z.partialRecord(importField, columnIndex);

export const setMappingBody = z.strictObject({
  mapping: mappingShape,
  /** Remember this mapping for the province's files with the same header (default yes). */
  remember: z.boolean().default(true),
});
export type SetMappingInput = z.infer<typeof setMappingBody>;

export const chooseSheetBody = z.strictObject({ sheetName: z.string().min(1).max(255) });
export type ChooseSheetInput = z.infer<typeof chooseSheetBody>;

export const previewQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

export const decideBody = z.strictObject({
  communeCode: z.string().regex(/^\d{5}$/, { message: 'adminUnits.communeCode' }),
});
export type DecideInput = z.infer<typeof decideBody>;

/**
 * One decision for every row whose value reads the same (a question's `key`): the product set of
 * "Đồ uống" in rows whose name has "cà phê", the star of "★★★", the commune of an old address.
 */
export const decideValueBody = z.strictObject({
  field: z.enum(MATCH_FIELDS),
  key: z.string().min(1).max(1000),
  value: z.string().min(1).max(100),
  /** Also apply it to the next files of this layout (default yes). */
  remember: z.boolean().default(true),
});
export type DecideValueInput = z.infer<typeof decideValueBody>;

export const commitBody = z
  .strictObject({
    /** Rows with errors are left out instead of stopping the commit (they stay in the report). */
    skipRowsWithErrors: z.boolean().default(false),
  })
  .default({ skipRowsWithErrors: false });
export type CommitInput = z.infer<typeof commitBody>;

export const rowParams = z.object({
  id: z.string().uuid(),
  rowNumber: z.coerce.number().int().min(1).max(100_000),
});

const message = z.object({ vi: z.string(), en: z.string() });

export const problemView = z.object({ field: z.string(), code: z.string(), message });
export type ProblemView = z.infer<typeof problemView>;

const counts = z.object({
  rows: z.number(),
  ok: z.number(),
  warning: z.number(),
  flagged: z.number(),
  error: z.number(),
  duplicate: z.number(),
  empty: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
});

export const importJobView = z.object({
  id: z.string(),
  provinceCode: z.string(),
  fileName: z.string(),
  fileKind: z.enum(['xlsx', 'csv']),
  sheetName: z.string(),
  /** Every sheet of the workbook, in order ([] for a CSV); another can be read instead. */
  sheetNames: z.array(z.string()),
  status: z.enum(IMPORT_STATUSES),
  /** 1-based sheet row of the (first) header row; 2 header rows when a parent cell is merged over sub-headers. */
  headerRow: z.number(),
  headerRows: z.number(),
  headers: z.array(z.string()),
  mapping: mappingShape,
  /** What the header names suggest, for the mapping screen. */
  suggestedMapping: mappingShape,
  /** The mapping came from a template remembered for this header. */
  fromTemplate: z.boolean(),
  totalRows: z.number(),
  processedRows: z.number(),
  counts: counts.nullable(),
  /** While a commit runs: rows written of those to write, and the time left at the pace so far. */
  progress: z
    .object({
      done: z.number(),
      total: z.number(),
      secondsLeft: z.number().nullable(),
      startedAt: z.date().nullable(),
    })
    .nullable(),
  failure: z.object({ rowNumber: z.number().nullable(), message, interrupted: z.boolean() }).nullable(),
  createdAt: z.date(),
  updatedAt: z.date(),
  committedAt: z.date().nullable(),
});
export type ImportJobView = z.infer<typeof importJobView>;

const candidate = z.object({
  communeCode: z.string(),
  communeName: z.string(),
  provinceCode: z.string(),
  provinceName: z.string(),
  reason: z.string(),
});

export const rowValuesView = z.object({
  productName: z.string(),
  subjectName: z.string(),
  subjectType: z.string().nullable(),
  category: z.string(),
  star: z.number().nullable(),
  certificateNumber: z.string(),
  decisionNumber: z.string(),
  decisionDate: z.string().nullable(),
  validTo: z.string().nullable(),
  issuer: z.object({ name: z.string(), level: z.string() }).nullable(),
  address: z.string(),
  commune: z.string(),
  district: z.string(),
  province: z.string(),
  currentCommune: z.string().optional(),
  /** Set when the registry gives only the recognition year: the decision date stays null. */
  recognitionYear: z.number().optional(),
  taxCode: z.string(),
  legalRepresentative: z.string(),
});

const decisionView = z.object({
  value: z.string(),
  userId: z.string(),
  at: z.string(),
  /** Came from the template (an earlier file of this layout), not from this import. */
  remembered: z.boolean(),
});

const candidateValue = z.object({ value: z.string(), label: message });

export const matchView = z.object({
  kind: z.enum(MATCH_KINDS),
  written: z.string(),
  value: z.string().nullable(),
  label: message.nullable(),
  candidates: z.array(candidateValue),
  evidence: z.array(z.string()),
  key: z.string(),
  notes: z.array(z.string()),
  needsDecision: z.boolean(),
  decision: decisionView.nullable(),
});
export type MatchView = z.infer<typeof matchView>;

/** A distinct value needing (or having had) a person's decision, with every row it stands for. */
export const questionView = z.object({
  field: z.enum(MATCH_FIELDS),
  key: z.string(),
  kind: z.enum(MATCH_KINDS),
  written: z.string(),
  evidence: z.array(z.string()),
  notes: z.array(z.string()),
  candidates: z.array(candidateValue),
  /** Only when nothing was offered: the decision may be any value of its kind (any set, any commune). */
  open: z.boolean(),
  rowNumbers: z.array(z.number()),
  decision: decisionView.nullable(),
});
export type QuestionView = z.infer<typeof questionView>;

/** Rows that will become one subject (same name once normalised, same commune), for confirmation. */
export const subjectGroupView = z.object({
  name: z.string(),
  communeCode: z.string(),
  rowNumbers: z.array(z.number()),
  spellings: z.array(z.string()),
});

export const importRowView = z.object({
  rowNumber: z.number(),
  status: z.enum(ROW_STATUSES),
  values: rowValuesView,
  errors: z.array(problemView),
  warnings: z.array(problemView),
  duplicateOf: z.number().nullable(),
  communeCode: z.string().nullable(),
  originalAddress: z.string().nullable(),
  candidates: z.array(candidate),
  decision: z.object({ communeCode: z.string(), userId: z.string(), at: z.string() }).nullable(),
  action: z.enum(ROW_ACTIONS).nullable(),
  certificateId: z.string().nullable(),
  matches: z.partialRecord(z.enum(MATCH_FIELDS), matchView),
  /** What the registry does not say and the record will lack ('taxCode', 'decisionNumber', 'decisionDate'). */
  incomplete: z.array(z.string()),
});
export type ImportRowView = z.infer<typeof importRowView>;

export const importReport = z.object({
  job: importJobView,
  rows: z.array(importRowView),
  questions: z.array(questionView),
  subjects: z.array(subjectGroupView),
});
export type ImportReport = z.infer<typeof importReport>;

export const previewView = z.object({
  headers: z.array(z.string()),
  rows: z.array(
    z.object({
      rowNumber: z.number(),
      empty: z.boolean(),
      values: rowValuesView,
      errors: z.array(problemView),
      warnings: z.array(problemView),
    }),
  ),
});
export type PreviewView = z.infer<typeof previewView>;

/** Past imports, newest first: a province officer sees their province's; an administrator any, or one province. */
export const listImportsQuery = z.strictObject({
  provinceCode: z
    .string()
    .regex(/^\d{2}$/, { message: 'adminUnits.provinceCode' })
    .optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListImportsQuery = z.infer<typeof listImportsQuery>;

export const importJobPage = z.object({
  items: z.array(importJobView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type ImportJobPage = z.infer<typeof importJobPage>;

/** Imported records the registry left incomplete, for officers to work through (newest import first). */
export const listIncompleteQuery = z.strictObject({
  provinceCode: z
    .string()
    .regex(/^\d{2}$/, { message: 'adminUnits.provinceCode' })
    .optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListIncompleteQuery = z.infer<typeof listIncompleteQuery>;

export const incompleteRecordView = z.object({
  importId: z.string(),
  fileName: z.string(),
  rowNumber: z.number(),
  productName: z.string(),
  subjectName: z.string(),
  certificateId: z.string(),
  /**
   * What the record still lacks: 'decisionNumber', 'decisionDate', 'taxCode', 'legalRepresentative'.
   * The first three are judged on the record now (a correction or an edit completes them and the
   * record leaves the list when nothing remains); a placeholder legal representative stays listed.
   */
  missing: z.array(z.string()),
  committedAt: z.date().nullable(),
});
export type IncompleteRecordView = z.infer<typeof incompleteRecordView>;

export const incompleteRecordPage = z.object({
  items: z.array(incompleteRecordView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type IncompleteRecordPage = z.infer<typeof incompleteRecordPage>;
