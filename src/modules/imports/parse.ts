import type ExcelJS from 'exceljs';
import { CsvProblem, type CsvTable, encodingHelp, looksLikeText, readCsvBytes } from '../../server/csv';
import { type AppError, type ErrorCode, fieldError, type Message } from '../../server/errors';
import { CorruptZip, loadWorkbook, WorkbookTooLarge } from '../../server/xlsx';
import { detectHeader, HEADER_SCAN_ROWS, type HeaderInfo } from './headers';
import type { Cell, Grid } from './rules';

/**
 * Reading an uploaded registry into a grid of cells. The file type is sniffed from its bytes,
 * never trusted from its name: an .xlsx is a zip holding xl/ entries (opened only after the
 * zip-bomb check of src/server/xlsx.ts); a CSV is text read by the app's one CSV reader
 * (src/server/csv.ts: UTF-8 or Excel's UTF-16 "Unicode text", `;` `,` or tab). The old binary
 * .xls and LibreOffice's .ods are refused with how to save as .xlsx. Every text cell comes out NFC.
 * A workbook's sheet is the one whose header names the most fields, unless one is asked for; the
 * names of all sheets come back so the person can pick another.
 */

export type FileKind = 'xlsx' | 'csv';
export type SniffProblem = 'xls' | 'ods' | 'binary' | 'encoding' | 'notTabular';

/** Rows read at most from one file: larger registries are split by the province. */
export const MAX_ROWS = 20_000;
export const MAX_COLUMNS = 60;
/** Longer than any name or address; a longer cell is a file gone wrong (a stray quote in a CSV). */
export const MAX_CELL_LENGTH = 5_000;

const ODS_MIMETYPE = 'mimetypeapplication/vnd.oasis.opendocument.spreadsheet';
/** The stream name of an encrypted Office file, as OLE2 directories write names (UTF-16 LE). */
const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

export function sniffFileKind(bytes: Buffer): FileKind | SniffProblem {
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0x504b0304) {
    // An OpenDocument file starts with its stored "mimetype" entry.
    if (bytes.subarray(0, 200).includes(ODS_MIMETYPE)) return 'ods';
    return bytes.includes('xl/') || bytes.includes('[Content_Types].xml') ? 'xlsx' : 'binary';
  }
  // An OLE2 container: the old binary Excel format, still common in provinces, which has to be
  // saved as .xlsx — or an .xlsx protected by a password, which Excel wraps in one (`isEncrypted`).
  if (bytes.length >= 4 && bytes.readUInt32BE(0) === 0xd0cf11e0) return 'xls';
  if (!looksLikeText(bytes)) return 'binary';
  let text: string;
  try {
    text = readCsvText(bytes);
  } catch {
    return 'encoding';
  }
  if (/^%PDF|^\{|^\[|^<(\?xml|html|!doctype)/i.test(text.trimStart())) return 'notTabular';
  const lines = text.split(/\r\n|\n|\r/).filter((l) => l.trim() !== '');
  if (lines.length < 2 || !lines.slice(0, 5).some((l) => /[,;\t]/.test(l))) return 'notTabular';
  return 'csv';
}

function readCsvText(bytes: Buffer): string {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    return new TextDecoder(bytes[0] === 0xff ? 'utf-16le' : 'utf-16be', { fatal: true }).decode(
      bytes.subarray(2),
    );
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

const saveAsXlsx = {
  vi: 'Hãy mở tệp trong Excel, chọn Tệp › Lưu thành › "Sổ làm việc Excel (.xlsx)" (LibreOffice: Tệp › Lưu thành, kiểu "Excel 2007-365 (.xlsx)") rồi tải lên tệp .xlsx.',
  en: 'Open the file in Excel and use File › Save As › "Excel Workbook (.xlsx)" (LibreOffice: File › Save As, type "Excel 2007-365 (.xlsx)"), then upload the .xlsx file.',
};

export const fileMessages = {
  xls: {
    vi: `Tệp Excel 97-2003 (.xls) không đọc được. ${saveAsXlsx.vi}`,
    en: `Excel 97-2003 files (.xls) cannot be read. ${saveAsXlsx.en}`,
  },
  encrypted: {
    vi: 'Tệp Excel được đặt mật khẩu nên không đọc được. Hãy mở tệp trong Excel, chọn Tệp › Thông tin › Bảo vệ sổ làm việc › Mã hoá bằng mật khẩu, xoá mật khẩu, lưu lại rồi tải lên.',
    en: 'The Excel file is protected by a password and cannot be read. Open it in Excel, use File › Info › Protect Workbook › Encrypt with Password, clear the password, save and upload again.',
  },
  ods: {
    vi: `Tệp OpenDocument (.ods) không đọc được. ${saveAsXlsx.vi}`,
    en: `OpenDocument files (.ods) cannot be read. ${saveAsXlsx.en}`,
  },
  notSpreadsheet: {
    vi: 'Tệp không phải bảng tính Excel (.xlsx) hoặc CSV.',
    en: 'The file is not an Excel (.xlsx) or CSV spreadsheet.',
  },
  inflatesTooMuch: {
    vi: 'Tệp Excel khi giải nén quá lớn (hơn 200 MB) hoặc nén bất thường; hãy chia sổ đăng ký thành nhiều tệp.',
    en: 'The Excel file unpacks to more than 200 MB or is compressed abnormally; split the registry into several files.',
  },
  tooManyColumns: {
    vi: `Bảng có dữ liệu ở hơn ${MAX_COLUMNS} cột; hãy xoá các cột không thuộc sổ đăng ký.`,
    en: `The sheet has data in more than ${MAX_COLUMNS} columns; delete the columns that are not part of the registry.`,
  },
  tooManyRows: {
    vi: `Tệp có quá nhiều dòng; hãy chia nhỏ (tối đa ${MAX_ROWS.toLocaleString('vi-VN')} dòng).`,
    en: `Too many rows; split the file (at most ${MAX_ROWS.toLocaleString('en-GB')} rows).`,
  },
  noSheet: { vi: 'Tệp không có trang tính này.', en: 'The workbook has no sheet of this name.' },
} satisfies Record<string, Message>;

/** An OLE2 file holding a password-protected Office document rather than an .xls workbook. */
export function isEncrypted(bytes: Buffer): boolean {
  return bytes.length >= 4 && bytes.readUInt32BE(0) === 0xd0cf11e0 && bytes.includes(ENCRYPTED_PACKAGE);
}

/** The refusal for a file that sniffing already rules out; null for a readable kind. */
export function refusalOf(kind: FileKind | SniffProblem, bytes?: Buffer): AppError | null {
  switch (kind) {
    case 'xls':
      if (bytes && isEncrypted(bytes)) return fieldError('file', fileMessages.encrypted, 'UNSUPPORTED_MEDIA');
      return fieldError('file', fileMessages.xls, 'UNSUPPORTED_MEDIA');
    case 'ods':
      return fieldError('file', fileMessages.ods, 'UNSUPPORTED_MEDIA');
    case 'encoding':
      return fieldError('file', encodingHelp, 'UNSUPPORTED_MEDIA');
    case 'binary':
    case 'notTabular':
      return fieldError('file', fileMessages.notSpreadsheet, 'UNSUPPORTED_MEDIA');
    default:
      return null;
  }
}

const CSV_STATUS: Record<CsvProblem['code'], ErrorCode> = {
  encoding: 'UNSUPPORTED_MEDIA',
  tooManyRows: 'PAYLOAD_TOO_LARGE',
  quote: 'VALIDATION',
  ragged: 'VALIDATION',
  tooManyColumns: 'VALIDATION',
  cellTooLong: 'VALIDATION',
  empty: 'VALIDATION',
};

/** A CSV file as a grid; a file the reader refuses is a 400/413/415 naming the line. */
export function readCsv(bytes: Buffer): Grid {
  let table: CsvTable;
  try {
    table = readCsvBytes(bytes, {
      maxRows: MAX_ROWS + HEADER_SCAN_ROWS,
      maxColumns: MAX_COLUMNS,
      maxCellLength: MAX_CELL_LENGTH,
    });
  } catch (error) {
    // The reader's row limit counts title rows too; the person is told the registry's limit.
    if (error instanceof CsvProblem && error.code === 'tooManyRows')
      throw fieldError('file', fileMessages.tooManyRows, 'PAYLOAD_TOO_LARGE');
    if (error instanceof CsvProblem) throw fieldError('file', error.detail, CSV_STATUS[error.code]);
    throw error;
  }
  return table.rows.map((r) => r.slice(0, MAX_COLUMNS).map((v) => (v.trim() === '' ? null : v)));
}

function cellValue(value: ExcelJS.CellValue): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value.normalize('NFC');
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  if (value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value)
      return value.richText
        .map((p) => p.text)
        .join('')
        .normalize('NFC');
    if ('result' in value) return cellValue((value.result ?? null) as ExcelJS.CellValue);
    if ('text' in value && typeof value.text === 'string') return value.text.normalize('NFC');
    if ('error' in value) return null;
  }
  return null;
}

export class UnreadableWorkbook extends Error {}

function sheetGrid(sheet: ExcelJS.Worksheet, maxRows: number): Grid {
  const grid: Grid = [];
  const height = Math.min(sheet.rowCount, maxRows);
  for (let r = 1; r <= height; r++) {
    const row = sheet.getRow(r);
    if (row.cellCount > MAX_COLUMNS) {
      for (let c = MAX_COLUMNS + 1; c <= row.cellCount; c++) {
        if (cellValue(row.getCell(c).value) !== null) throw fieldError('file', fileMessages.tooManyColumns);
      }
    }
    const cells: Cell[] = [];
    const width = Math.min(sheet.columnCount, MAX_COLUMNS);
    for (let c = 1; c <= width; c++) cells.push(cellValue(row.getCell(c).value));
    grid.push(cells);
  }
  return grid;
}

export type GridReading = {
  grid: Grid;
  /** The sheet read ('' for a CSV). */
  sheetName: string;
  /** Every sheet of the workbook, in order ([] for a CSV), so another can be chosen. */
  sheetNames: string[];
  /** The header found in the grid (null when none names two fields). */
  header: HeaderInfo | null;
};

/**
 * The chosen sheet of a workbook as a grid: the one named, else the visible sheet whose header
 * names the most fields (the first on a tie, or the first with data when none has a header).
 * Throws UnreadableWorkbook for a zip that is not a workbook or lies about its content, and
 * WorkbookTooLarge for one that inflates beyond the limits.
 */
export async function readXlsx(bytes: Buffer, options: { sheetName?: string } = {}): Promise<GridReading> {
  let workbook: ExcelJS.Workbook;
  try {
    workbook = await loadWorkbook(bytes);
  } catch (error) {
    if (error instanceof WorkbookTooLarge) throw error;
    if (error instanceof CorruptZip) throw new UnreadableWorkbook(error.message);
    throw new UnreadableWorkbook('not a workbook');
  }
  const sheetNames = workbook.worksheets.map((s) => s.name);
  let chosen: ExcelJS.Worksheet | undefined;
  if (options.sheetName !== undefined) {
    chosen = workbook.worksheets.find((s) => s.name === options.sheetName);
    if (!chosen) throw fieldError('sheetName', fileMessages.noSheet);
  } else {
    let bestScore = 0;
    for (const sheet of workbook.worksheets) {
      if (sheet.state !== 'visible' || sheet.actualRowCount === 0) continue;
      const score = detectHeader(sheetGrid(sheet, HEADER_SCAN_ROWS + 1))?.score ?? 0;
      if (!chosen || score > bestScore) {
        chosen = sheet;
        bestScore = score;
      }
    }
    chosen ??= workbook.worksheets.find((s) => s.actualRowCount > 0);
  }
  if (!chosen) return { grid: [], sheetName: workbook.worksheets[0]?.name ?? '', sheetNames, header: null };
  const grid = sheetGrid(chosen, MAX_ROWS + HEADER_SCAN_ROWS + 5);
  return { grid, sheetName: chosen.name, sheetNames, header: detectHeader(grid) };
}

/**
 * The grid of an upload already sniffed as `kind`. A CSV the reader refuses throws an AppError
 * (400 naming the line, 413, 415); a workbook throws UnreadableWorkbook or WorkbookTooLarge.
 */
export async function readGrid(
  kind: FileKind,
  bytes: Buffer,
  options: { sheetName?: string } = {},
): Promise<GridReading> {
  if (kind === 'csv') {
    const grid = readCsv(bytes);
    return { grid, sheetName: '', sheetNames: [], header: detectHeader(grid) };
  }
  return readXlsx(bytes, options);
}

/**
 * Sniffs and reads an upload in one step, every refusal an AppError with what to do: .xls/.ods
 * (save as .xlsx), not UTF-8 (save as CSV UTF-8), a broken CSV (the line), a zip bomb (413).
 */
export async function readUpload(
  bytes: Buffer,
  options: { sheetName?: string } = {},
): Promise<GridReading & { kind: FileKind }> {
  const kind = sniffFileKind(bytes);
  const refusal = refusalOf(kind, bytes);
  if (refusal) throw refusal;
  const fileKind = kind as FileKind;
  try {
    return { ...(await readGrid(fileKind, bytes, options)), kind: fileKind };
  } catch (error) {
    if (error instanceof UnreadableWorkbook)
      throw fieldError('file', fileMessages.notSpreadsheet, 'UNSUPPORTED_MEDIA');
    if (error instanceof WorkbookTooLarge)
      throw fieldError('file', fileMessages.inflatesTooMuch, 'PAYLOAD_TOO_LARGE');
    throw error;
  }
}
