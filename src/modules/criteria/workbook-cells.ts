import type ExcelJS from 'exceljs';

/**
 * Reading and writing the cells of the criteria workbooks (scoring sheets and rule-sets) the way a
 * person fills them: labels matched whatever their case, accents or spacing, "Có/Không" as yes/no,
 * "2,5" as 2.5. Pure: no I/O.
 */

export type Label = { vi: string; en: string };
/** What a cell holds once read: text, a number, a yes/no, or nothing. */
export type Raw = string | number | boolean | null;

export const bilingual = (label: Label) => `${label.vi} / ${label.en}`;

/** Case, accents and spacing do not matter when a label or a kind is matched. */
export function fold(value: string): string {
  return value
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

/** Finds the value of a label written in Vietnamese, English or both ("Phần / Part"). */
export function labelMatcher<T>(entries: { value: T; label: Label }[]) {
  const byLabel = new Map<string, T>();
  for (const { value, label } of entries) {
    byLabel.set(fold(label.vi), value);
    byLabel.set(fold(label.en), value);
    byLabel.set(fold(bilingual(label)), value);
  }
  return (text: string): T | undefined => byLabel.get(fold(text));
}

/** Folded words a person writes for yes and no. */
export const YES = new Set(['co', 'yes', 'true', 'x', '1']);
export const NO = new Set(['khong', 'no', 'false', '0']);

export const bold = { bold: true } as const;

/**
 * The text of a cell whatever Excel stored: rich text, a formula's result, a hyperlink's text;
 * text in NFC, the form everything is stored in (a workbook made on macOS may hold NFD).
 */
export function cellValue(cell: ExcelJS.Cell): Raw {
  const raw = rawCellValue(cell);
  return typeof raw === 'string' ? raw.normalize('NFC') : raw;
}

function rawCellValue(cell: ExcelJS.Cell): Raw {
  const value = cell.value;
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (typeof value === 'string') return value.trim() === '' ? null : value;
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('') || null;
    if ('result' in value) {
      const result = value.result;
      if (typeof result === 'number' || typeof result === 'string' || typeof result === 'boolean')
        return result;
      return null;
    }
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return String(value.error);
  }
  return null;
}

export const asText = (value: Raw): string | undefined =>
  value === null ? undefined : String(value).trim() || undefined;

/** Numbers as numbers; "2,5" (Vietnamese decimal comma) as 2.5; anything else left for zod to refuse. */
export function asNumber(value: Raw): unknown {
  if (value === null) return undefined;
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  if (/^-?\d+([.,]\d+)?$/.test(text)) return Number(text.replace(',', '.'));
  return text;
}

/** A `{ vi, en? }` text from its two columns; nothing at all for an optional field left empty. */
export function asLocalized(vi: string | undefined, en: string | undefined, optional: boolean) {
  if (optional && vi === undefined && en === undefined) return undefined;
  return en === undefined ? { vi: vi ?? '' } : { vi: vi ?? '', en };
}
