import type ExcelJS from 'exceljs';
import { loadWorkbook, WorkbookTooLarge } from '../../server/xlsx';
import type { Cell, Grid } from './rules';

/**
 * Reading an uploaded registry into a grid of cells. The file type is sniffed from its bytes,
 * never trusted from its name: an .xlsx is a zip ("PK\x03\x04") holding xl/ entries; anything
 * else must be UTF-8 text that reads as CSV. Merged cells of a sheet read as their top-left value
 * in every cell they cover (exceljs does this), which is what header detection relies on.
 */

export type FileKind = 'xlsx' | 'csv';
export type SniffProblem = 'xls' | 'binary' | 'encoding' | 'notTabular';

/** Rows read at most from one file: larger registries are split by the province. */
export const MAX_ROWS = 20_000;
export const MAX_COLUMNS = 60;

export function sniffFileKind(bytes: Buffer): FileKind | SniffProblem {
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304) {
    return bytes.includes('xl/') || bytes.includes('[Content_Types].xml') ? 'xlsx' : 'binary';
  }
  // The old binary Excel format (OLE2) is common in provinces; it has to be saved as .xlsx.
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0xd0cf11e0) return 'xls';
  if (bytes.includes(0)) return 'binary';
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return 'encoding';
  }
  if (/^%PDF|^\{|^\[|^<(\?xml|html|!doctype)/i.test(text.replace(/^\uFEFF/, '').trimStart()))
    return 'notTabular';
  const lines = text.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (lines.length < 2 || !lines.slice(0, 5).some((l) => /[,;\t]/.test(l))) return 'notTabular';
  return 'csv';
}

/** The separator a CSV uses: the one among ; , and tab that splits its first lines most consistently. */
function guessSeparator(text: string): string {
  const sample = text
    .split(/\r?\n/)
    .filter((l) => l.trim())
    .slice(0, 10);
  let best = ',';
  let bestScore = -1;
  for (const sep of [';', ',', '\t']) {
    const counts = sample.map((l) => splitCsvLine(l, sep).length);
    const min = Math.min(...counts);
    const score = min > 1 ? min * 10 - (Math.max(...counts) - min) : 0;
    if (score > bestScore) {
      best = sep;
      bestScore = score;
    }
  }
  return best;
}

function splitCsvLine(line: string, sep: string): string[] {
  return parseCsv(line, sep)[0] ?? [];
}

/** RFC 4180 reading: quoted fields may hold separators, doubled quotes and line breaks. */
export function parseCsv(text: string, sep: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else quoted = false;
      } else field += ch;
    } else if (ch === '"' && field === '') quoted = true;
    else if (ch === sep) {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

export function readCsv(bytes: Buffer): Grid {
  const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
  return parseCsv(text, guessSeparator(text)).map((r) => r.map((v) => (v.trim() === '' ? null : v)));
}

function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((p) => p.text).join('');
    if ('result' in value) return cellValue((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value && typeof value.text === 'string') return value.text;
    if ('error' in value) return null;
  }
  return null;
}

export class UnreadableWorkbook extends Error {}

/**
 * The first sheet with data, as a grid; throws UnreadableWorkbook for a zip that is not a workbook
 * and WorkbookTooLarge for one that would inflate beyond the limit.
 */
export async function readXlsx(bytes: Buffer): Promise<{ grid: Grid; sheetName: string }> {
  let workbook: ExcelJS.Workbook;
  try {
    workbook = await loadWorkbook(bytes);
  } catch (error) {
    if (error instanceof WorkbookTooLarge) throw error;
    throw new UnreadableWorkbook('not a workbook');
  }
  const sheet = workbook.worksheets.find((s) => s.actualRowCount > 0);
  if (!sheet) return { grid: [], sheetName: workbook.worksheets[0]?.name ?? '' };
  const grid: Grid = [];
  const width = Math.min(sheet.columnCount, MAX_COLUMNS);
  const height = Math.min(sheet.rowCount, MAX_ROWS + 20);
  for (let r = 1; r <= height; r++) {
    const row = sheet.getRow(r);
    const cells: Cell[] = [];
    for (let c = 1; c <= width; c++) cells.push(cellValue(row.getCell(c).value));
    grid.push(cells);
  }
  return { grid, sheetName: sheet.name };
}

export async function readGrid(kind: FileKind, bytes: Buffer): Promise<{ grid: Grid; sheetName: string }> {
  if (kind === 'csv') return { grid: readCsv(bytes).slice(0, MAX_ROWS + 20), sheetName: '' };
  return readXlsx(bytes);
}
