import { z } from 'zod';
import { IMPORT_FIELDS } from './rules';

/**
 * Shapes of the registry-import API, shared with the web app (no server imports here).
 * Steps: upload (multipart `file`, optional `provinceCode` for administrators) → PUT mapping →
 * GET preview → POST dry-run (report per row) → POST decisions for flagged rows → POST commit.
 */

export const IMPORT_STATUSES = ['uploaded', 'checked', 'committed', 'failed'] as const;
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

export const previewQuery = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });

export const decideBody = z.strictObject({
  communeCode: z.string().regex(/^\d{5}$/, { message: 'adminUnits.communeCode' }),
});
export type DecideInput = z.infer<typeof decideBody>;

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
  failure: z.object({ rowNumber: z.number().nullable(), message }).nullable(),
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
  taxCode: z.string(),
  legalRepresentative: z.string(),
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
});
export type ImportRowView = z.infer<typeof importRowView>;

export const importReport = z.object({ job: importJobView, rows: z.array(importRowView) });
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
