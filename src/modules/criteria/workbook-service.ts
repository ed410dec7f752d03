import type { RequestContext } from '../../server/context';
import { AppError, type Message } from '../../server/errors';
import type { RuleSetWorkbookImportResult, SheetWorkbookImportResult } from './contract';
import { buildRuleSetWorkbook, parseRuleSetWorkbook, TEMPLATE_RULE_SET } from './rule-set-workbook';
import { exportSheet, getRuleSet, importRuleSet, importSheet } from './service';
import { readShippedCriteria } from './shipped';
import { buildSheetWorkbook, parseSheetWorkbook, WorkbookError } from './workbook';

/**
 * Scoring sheets as Excel workbooks over the stored documents: the blank template, a sheet's
 * workbook, and the import of a filled workbook through the same path as a JSON import (stored
 * as a draft revision with the validator's report). Problems reading the workbook are refused
 * with one field per cell; the validator's problems come back with the cell of each path.
 */

type Ctx = { ctx: RequestContext };

export const workbookMessages = {
  missing: { vi: 'Chưa chọn tệp Excel.', en: 'No Excel file was sent.' },
  malformed: {
    vi: 'Nội dung tải lên không đúng định dạng multipart.',
    en: 'The upload is not well-formed multipart data.',
  },
  tooLarge: { vi: 'Tệp Excel vượt quá dung lượng cho phép.', en: 'The Excel file is larger than allowed.' },
} satisfies Record<string, Message>;

export async function sheetTemplateWorkbook(): Promise<Buffer> {
  return buildSheetWorkbook(null);
}

export async function exportSheetWorkbook({
  ctx,
  input,
}: Ctx & { input: { id: string } }): Promise<{ fileName: string; xlsx: Buffer }> {
  const sheet = await exportSheet({ ctx, input });
  return { fileName: `sheet-${sheet.code}.xlsx`, xlsx: await buildSheetWorkbook(sheet) };
}

/** Every problem of the workbook as one VALIDATION error whose fields are keyed by cell ("Phiếu chấm!C12"). */
function refuseWorkbook(error: WorkbookError): AppError {
  const fields: Record<string, Message> = {};
  for (const p of error.problems) {
    const existing = fields[p.cell];
    fields[p.cell] = existing
      ? { vi: `${existing.vi} ${p.vi}`, en: `${existing.en} ${p.en}` }
      : { vi: p.vi, en: p.en };
  }
  const count = error.problems.length;
  return new AppError(
    'VALIDATION',
    {
      vi: `Tệp Excel có ${count} lỗi; sửa các ô được nêu rồi nhập lại.`,
      en: `The Excel file has ${count} problem(s); fix the cells listed and import it again.`,
    },
    fields,
  );
}

export async function importSheetWorkbook({
  ctx,
  input,
}: Ctx & { input: { data: Buffer } }): Promise<SheetWorkbookImportResult> {
  let parsed: Awaited<ReturnType<typeof parseSheetWorkbook>>;
  try {
    parsed = await parseSheetWorkbook(input.data);
  } catch (error) {
    if (error instanceof WorkbookError) throw refuseWorkbook(error);
    throw error;
  }
  const result = await importSheet({ ctx, input: parsed.document });
  const locations: Record<string, string> = {};
  for (const problem of result.sheet.problems) {
    const cell = parsed.locate(problem.path);
    if (cell) locations[problem.path] = cell;
  }
  return { ...result, locations };
}

// ---------------------------------------------------------------- rule-sets

/**
 * The rule-set template: the shipped 26-2026 rule-set as a starting point, since a blank rule-set
 * cannot be a valid document (it needs a legal basis, parts, bands and levels).
 */
export async function ruleSetTemplateWorkbook(): Promise<Buffer> {
  const template = readShippedCriteria().ruleSets.find((r) => r.document.code === TEMPLATE_RULE_SET);
  if (!template) throw new Error(`The shipped rule-set ${TEMPLATE_RULE_SET} is missing.`);
  return buildRuleSetWorkbook(template.document);
}

export async function exportRuleSetWorkbook({
  ctx,
  input,
}: Ctx & { input: { id: string } }): Promise<{ fileName: string; xlsx: Buffer }> {
  const ruleSet = await getRuleSet({ ctx, input });
  return { fileName: `criteria-${ruleSet.code}.xlsx`, xlsx: await buildRuleSetWorkbook(ruleSet.document) };
}

/** A filled rule-set workbook stored exactly as the JSON import stores it, each validator problem with its cell. */
export async function importRuleSetWorkbook({
  ctx,
  input,
}: Ctx & { input: { data: Buffer } }): Promise<RuleSetWorkbookImportResult> {
  let parsed: Awaited<ReturnType<typeof parseRuleSetWorkbook>>;
  try {
    parsed = await parseRuleSetWorkbook(input.data);
  } catch (error) {
    if (error instanceof WorkbookError) throw refuseWorkbook(error);
    throw error;
  }
  const result = await importRuleSet({ ctx, input: parsed.document });
  const locations: Record<string, string> = {};
  for (const problem of result.ruleSet.problems) {
    const cell = parsed.locate(problem.path);
    if (cell) locations[problem.path] = cell;
  }
  return { ...result, locations };
}
