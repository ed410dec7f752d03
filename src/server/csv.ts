import { type CsvError, parse } from 'csv-parse/sync';
import type { Message } from './errors';

/**
 * The one CSV reader of the application (registry imports, the administrative-unit conversion
 * table). Files come from spreadsheet programs on officers' computers, so the reader:
 * - decodes by byte-order mark: UTF-8 (BOM dropped), UTF-16 LE/BE (Excel's "Unicode text", which is
 *   tab-separated); anything else must be valid UTF-8 — a Windows-1258/1252 file is refused with how
 *   to save it as UTF-8, never read as mojibake;
 * - finds the separator (`;`, `,` or tab) on the header line;
 * - parses with csv-parse in strict quoting mode: a quote that is never closed, or closed in the
 *   middle of a field, is an error naming the line where the broken field starts — not thousands of
 *   rows silently glued into one cell;
 * - refuses rows whose number of cells differs from the header line's (the sign of a stray
 *   separator), and files past the row, column and cell-length limits.
 * All text comes out NFC, whatever form the file used.
 */

export type CsvDelimiter = ',' | ';' | '\t';

export type CsvProblemCode =
  | 'encoding'
  | 'quote'
  | 'ragged'
  | 'tooManyRows'
  | 'tooManyColumns'
  | 'cellTooLong'
  | 'empty';

/** A file the reader refuses: the code, the 1-based line where it goes wrong (if one), and what to tell the person. */
export class CsvProblem extends Error {
  constructor(
    readonly code: CsvProblemCode,
    readonly line: number | null,
    readonly detail: Message,
  ) {
    super(detail.en);
  }
}

export type CsvLimits = { maxRows: number; maxColumns: number; maxCellLength: number };

/** Generous for registries and the national conversion table; a province's file is far below. */
export const DEFAULT_CSV_LIMITS: CsvLimits = { maxRows: 100_000, maxColumns: 200, maxCellLength: 10_000 };

export type CsvOptions = Partial<CsvLimits> & {
  /** Fixed separator; detected from the header line when absent. */
  delimiter?: CsvDelimiter;
  /**
   * 'header' (default): rows before the header line (title lines) may be shorter, every row from it
   * on must have its number of cells. 'allow': no check (callers that check columns themselves).
   */
  ragged?: 'header' | 'allow';
};

export type CsvTable = {
  rows: string[][];
  /** The 1-based line of the file each row starts on, for messages that name lines. */
  lines: number[];
  delimiter: CsvDelimiter;
  encoding: 'utf-8' | 'utf-16le' | 'utf-16be';
  /** Index in `rows` of the line the separator was found on. */
  headerIndex: number;
};

/** What to do with a CSV that is not UTF-8 (or UTF-16 with a byte-order mark). */
export const encodingHelp: Message = {
  vi: 'Tệp CSV không ở bảng mã UTF-8 (có thể là Windows-1258/1252 hoặc TCVN3). Trong Excel chọn Tệp › Lưu thành › "CSV UTF-8 (phân tách bằng dấu phẩy)"; trong LibreOffice chọn Lưu thành › CSV, bộ ký tự "Unicode (UTF-8)"; hoặc tải lên tệp .xlsx.',
  en: 'The CSV file is not UTF-8 (perhaps Windows-1258/1252 or TCVN3). In Excel use File › Save As › "CSV UTF-8 (Comma delimited)"; in LibreOffice Save As › CSV with character set "Unicode (UTF-8)"; or upload the .xlsx file.',
};

/**
 * The text of a CSV file. UTF-16 is recognised by its byte-order mark only (Excel always writes
 * one); bytes without one must be UTF-8.
 */
export function decodeCsv(bytes: Uint8Array): { text: string; encoding: CsvTable['encoding'] } {
  const b0 = bytes[0];
  const b1 = bytes[1];
  try {
    if (b0 === 0xff && b1 === 0xfe)
      return {
        text: new TextDecoder('utf-16le', { fatal: true }).decode(bytes.subarray(2)),
        encoding: 'utf-16le',
      };
    if (b0 === 0xfe && b1 === 0xff)
      return {
        text: new TextDecoder('utf-16be', { fatal: true }).decode(bytes.subarray(2)),
        encoding: 'utf-16be',
      };
    // TextDecoder drops a UTF-8 byte-order mark itself.
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8' };
  } catch {
    throw new CsvProblem('encoding', null, encodingHelp);
  }
}

const DELIMITERS: readonly CsvDelimiter[] = [';', ',', '\t'];
const HEADER_SCAN_LINES = 15;

/** Separators outside quotes on one line, per candidate. */
function separatorCounts(line: string): Record<CsvDelimiter, number> {
  const counts: Record<CsvDelimiter, number> = { ';': 0, ',': 0, '\t': 0 };
  let quoted = false;
  for (const ch of line) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === ';' || ch === ',' || ch === '\t')) counts[ch]++;
  }
  return counts;
}

/**
 * The separator and the header line (0-based physical line). For each candidate, the number of
 * separators outside quotes on the first lines: the count most lines share is the table's width,
 * and the first line with it is the header (title lines above have fewer; a row with a stray
 * separator is outvoted). The candidate most lines agree on wins; ties go to `;` (Vietnamese
 * Excel), then `,`, then tab.
 */
export function detectDelimiter(
  text: string,
  candidates: readonly CsvDelimiter[] = DELIMITERS,
): { delimiter: CsvDelimiter; line: number } | null {
  const counts = text.split(/\r\n|\n|\r/, HEADER_SCAN_LINES).map(separatorCounts);
  let best: { delimiter: CsvDelimiter; line: number; votes: number; width: number } | null = null;
  for (const delimiter of candidates) {
    const tally = new Map<number, number>();
    for (const c of counts) if (c[delimiter] > 0) tally.set(c[delimiter], (tally.get(c[delimiter]) ?? 0) + 1);
    for (const [width, votes] of tally) {
      if (
        !best ||
        votes > best.votes ||
        (votes === best.votes && width > best.width && best.delimiter === delimiter)
      )
        best = { delimiter, width, votes, line: counts.findIndex((c) => c[delimiter] === width) };
    }
  }
  return best && { delimiter: best.delimiter, line: best.line };
}

const both = (vi: string, en: string): Message => ({ vi, en });

/** Parses CSV text (already decoded). Throws CsvProblem for anything it will not read. */
export function parseCsvText(input: string, options: CsvOptions = {}): CsvTable & { encoding: 'utf-8' } {
  const limits = { ...DEFAULT_CSV_LIMITS, ...options };
  const text = (input.charCodeAt(0) === 0xfeff ? input.slice(1) : input).normalize('NFC');
  if (text.trim() === '')
    throw new CsvProblem('empty', null, both('Tệp CSV trống.', 'The CSV file is empty.'));
  const detected = detectDelimiter(text, options.delimiter ? [options.delimiter] : DELIMITERS);
  const delimiter = options.delimiter ?? detected?.delimiter ?? ',';
  const lines: number[] = [];
  let lastLine = 0;
  let rows: string[][];
  try {
    rows = parse(text, {
      delimiter,
      relax_column_count: true,
      relax_quotes: false,
      // Counted in characters of a whole row; the per-cell limit is checked below.
      max_record_size: limits.maxCellLength * Math.min(limits.maxColumns, 20),
      on_record: (record: string[], context) => {
        lines.push(lastLine + 1);
        lastLine = context.lines;
        if (lines.length > limits.maxRows)
          throw new CsvProblem(
            'tooManyRows',
            lastLine,
            both(
              `Tệp có hơn ${limits.maxRows.toLocaleString('vi-VN')} dòng; hãy chia thành nhiều tệp.`,
              `The file has more than ${limits.maxRows.toLocaleString('en-GB')} rows; split it into several files.`,
            ),
          );
        return record;
      },
    });
  } catch (error) {
    if (error instanceof CsvProblem) throw error;
    throw problemOfParser(error as CsvError, lastLine + 1);
  }
  // The header line's index among records: records before it are whole lines too (a title has no quoted line breaks in practice).
  const headerLine = (detected?.line ?? 0) + 1;
  let headerIndex = lines.findIndex((l) => l >= headerLine);
  if (headerIndex < 0) headerIndex = 0;
  const width = rows[headerIndex]?.length ?? 0;
  const ragged: string[] = [];
  rows.forEach((row, i) => {
    const line = lines[i]!;
    // Spreadsheet programs pad every row to the sheet's used range: empty trailing cells do not count.
    let used = row.length;
    while (used > 0 && row[used - 1]!.trim() === '') used--;
    if (used > limits.maxColumns)
      throw new CsvProblem(
        'tooManyColumns',
        line,
        both(
          `dòng ${line}: có ${used} cột, nhiều hơn giới hạn ${limits.maxColumns}.`,
          `line ${line}: ${used} columns, more than the limit of ${limits.maxColumns}.`,
        ),
      );
    const long = row.findIndex((cell) => cell.length > limits.maxCellLength);
    if (long >= 0)
      throw new CsvProblem(
        'cellTooLong',
        line,
        both(
          `dòng ${line}, cột ${long + 1}: ô dài ${row[long]!.length.toLocaleString('vi-VN')} ký tự, quá giới hạn ${limits.maxCellLength.toLocaleString('vi-VN')} (thường do một dấu ngoặc kép thừa).`,
          `line ${line}, column ${long + 1}: a cell of ${row[long]!.length.toLocaleString('en-GB')} characters, over the limit of ${limits.maxCellLength.toLocaleString('en-GB')} (usually a stray double quote).`,
        ),
      );
    const blank = row.every((cell) => cell.trim() === '');
    if (options.ragged !== 'allow' && i >= headerIndex && !blank && row.length !== width)
      ragged.push(`${line} (${row.length})`);
  });
  if (ragged.length) {
    const shown = ragged.slice(0, 5).join(', ') + (ragged.length > 5 ? ', …' : '');
    throw new CsvProblem(
      'ragged',
      lines[rows.findIndex((r, i) => i >= headerIndex && r.length !== width && r.some((c) => c.trim()))]!,
      both(
        `Dòng tiêu đề có ${width} cột nhưng ${ragged.length} dòng có số cột khác — dòng (số cột): ${shown}. Thường do dấu "${delimiterName(delimiter).vi}" thừa trong một ô chưa đặt trong ngoặc kép; hãy sửa các dòng này hoặc lưu lại từ Excel.`,
        `The header has ${width} columns but ${ragged.length} rows have another count — line (columns): ${shown}. Usually a stray ${delimiterName(delimiter).en} inside a cell without quotes; fix these lines or save the file again from Excel.`,
      ),
    );
  }
  return { rows, lines, delimiter, encoding: 'utf-8', headerIndex };
}

function delimiterName(delimiter: CsvDelimiter): Message {
  if (delimiter === ';') return both('chấm phẩy', 'semicolon');
  if (delimiter === ',') return both('phẩy', 'comma');
  return both('tab', 'tab');
}

/** csv-parse's errors as a person reads them; `start` is the line the broken row begins on. */
function problemOfParser(error: CsvError, start: number): CsvProblem {
  const at = typeof error.lines === 'number' ? error.lines : start;
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
    case 'CSV_INVALID_CLOSING_QUOTE':
      return new CsvProblem(
        'quote',
        start,
        both(
          `dòng ${start}: dấu ngoặc kép không đóng — ô mở bằng dấu " ở dòng này kéo dài tới dòng ${at}. Hãy xoá dấu ngoặc kép thừa hoặc đóng nó, rồi tải lại tệp.`,
          `line ${start}: unclosed double quote — the cell opened with " on this line runs on to line ${at}. Remove the stray quote or close it, then upload again.`,
        ),
      );
    case 'INVALID_OPENING_QUOTE':
      return new CsvProblem(
        'quote',
        at,
        both(
          `dòng ${at}: dấu ngoặc kép giữa ô chưa đặt trong ngoặc kép; hãy đặt cả ô trong ngoặc kép và viết "" cho mỗi dấu ngoặc kép bên trong (Excel tự làm khi lưu CSV).`,
          `line ${at}: a double quote inside a cell that is not quoted; quote the whole cell and double each quote inside it (Excel does this when it saves CSV).`,
        ),
      );
    case 'CSV_MAX_RECORD_SIZE':
      return new CsvProblem(
        'cellTooLong',
        start,
        both(
          `dòng ${start}: dòng dài quá mức (thường do một dấu ngoặc kép thừa làm nhiều dòng dính vào nhau).`,
          `line ${start}: the row is far too long (usually a stray double quote gluing many lines together).`,
        ),
      );
    default:
      return new CsvProblem(
        'quote',
        at,
        both(
          `dòng ${at}: không đọc được tệp CSV (${error.message}).`,
          `line ${at}: the CSV cannot be read (${error.message}).`,
        ),
      );
  }
}

/** Decodes and parses a CSV file's bytes. */
export function readCsvBytes(bytes: Uint8Array, options: CsvOptions = {}): CsvTable {
  const { text, encoding } = decodeCsv(bytes);
  // Excel's "Unicode text" is tab-separated; a UTF-16 file is read as such unless told otherwise.
  const delimiter = options.delimiter ?? (encoding === 'utf-8' ? undefined : '\t');
  return { ...parseCsvText(text, { ...options, ...(delimiter ? { delimiter } : {}) }), encoding };
}

/** Bytes that look like a CSV/text table: a byte-order mark of UTF-16, or no NUL byte in the first kilobytes. */
export function looksLikeText(bytes: Uint8Array): boolean {
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) return true;
  return !bytes.subarray(0, 64 * 1024).includes(0);
}
