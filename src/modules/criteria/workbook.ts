import ExcelJS from 'exceljs';
import { describeIssues } from '../../server/validation';
import { loadWorkbook, WorkbookTooLarge } from '../../server/xlsx';
import {
  type Criterion,
  DOCUMENT_SCHEMA_VERSION,
  type Localized,
  type Sheet,
  type SheetOption,
  sheetSchema,
} from './documents';
import { partMaxima } from './tree';
import {
  asLocalized,
  asNumber,
  asText,
  bilingual,
  bold,
  cellValue,
  fold,
  labelMatcher,
  NO,
  type Raw,
  YES,
} from './workbook-cells';

/**
 * A scoring sheet as an Excel workbook a person can read and fill, and back, pure (no database):
 * one worksheet "Phiếu chấm" with a header area (label in column A, value in column B) and a
 * table with one row per node of the tree — part, group, criterion, sub-criterion, option — and
 * one per disqualifier. Columns of the table are found by their header label, so a person may
 * reorder them; every problem found reading the workbook is reported with its cell address, and
 * the paths of the validator's problems are mapped back to cells too (`locate`).
 */

export const SHEET_WORKSHEET = 'Phiếu chấm';
export const HELP_WORKSHEET = 'Hướng dẫn';
/** More rows than any real sheet (the 1048 sheet has about 200), so a stray file cannot exhaust memory. */
export const MAX_WORKBOOK_ROWS = 5000;
/** An upload that would unpack beyond `MAX_UNCOMPRESSED_BYTES` (a zip bomb, or no criteria workbook). */
export const INFLATES_TOO_MUCH = {
  vi: 'Tệp Excel khi giải nén quá lớn (hơn 200 MB).',
  en: 'The Excel file unpacks to more than 200 MB.',
};
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

export type CellMessage = { cell: string; vi: string; en: string };

export class WorkbookError extends Error {
  constructor(readonly problems: CellMessage[]) {
    super(problems.map((p) => `${p.cell}: ${p.en}`).join('; '));
  }
}

// ---------------------------------------------------------------- layout

type HeaderKey =
  | 'schemaVersion'
  | 'code'
  | 'ruleSet'
  | 'productSet.scheme'
  | 'productSet.code'
  | 'productSet.name.vi'
  | 'productSet.name.en'
  | 'title.vi'
  | 'title.en'
  | 'status'
  | 'demo'
  | 'provenance.source'
  | 'provenance.note'
  | 'guidance.vi'
  | 'guidance.en'
  | 'partMaxima';

/** Header rows in order: label "Vietnamese / English". `partMaxima` is computed, shown only. */
const HEADER: { key: HeaderKey; vi: string; en: string }[] = [
  { key: 'code', vi: 'Mã phiếu', en: 'Sheet code' },
  { key: 'ruleSet', vi: 'Bộ tiêu chí', en: 'Rule-set' },
  { key: 'productSet.scheme', vi: 'Hệ phân loại sản phẩm', en: 'Product classification' },
  { key: 'productSet.code', vi: 'Mã bộ sản phẩm', en: 'Product set code' },
  { key: 'productSet.name.vi', vi: 'Tên bộ sản phẩm (tiếng Việt)', en: 'Product set name (Vietnamese)' },
  { key: 'productSet.name.en', vi: 'Tên bộ sản phẩm (tiếng Anh)', en: 'Product set name (English)' },
  { key: 'title.vi', vi: 'Tên phiếu (tiếng Việt)', en: 'Sheet title (Vietnamese)' },
  { key: 'title.en', vi: 'Tên phiếu (tiếng Anh)', en: 'Sheet title (English)' },
  { key: 'status', vi: 'Trạng thái', en: 'Status' },
  { key: 'demo', vi: 'Phiếu minh hoạ (Có/Không)', en: 'Demo sheet (Yes/No)' },
  { key: 'provenance.source', vi: 'Nguồn', en: 'Source' },
  { key: 'provenance.note', vi: 'Ghi chú về nguồn', en: 'Note on the source' },
  { key: 'guidance.vi', vi: 'Hướng dẫn chung (tiếng Việt)', en: 'General guidance (Vietnamese)' },
  { key: 'guidance.en', vi: 'Hướng dẫn chung (tiếng Anh)', en: 'General guidance (English)' },
  { key: 'schemaVersion', vi: 'Phiên bản định dạng', en: 'Format version' },
  {
    key: 'partMaxima',
    vi: 'Điểm tối đa các phần (tự tính, không cần nhập)',
    en: 'Part maxima (computed, not read)',
  },
];

type ColumnKey =
  | 'kind'
  | 'level'
  | 'code'
  | 'textVi'
  | 'textEn'
  | 'points'
  | 'requiredForStar'
  | 'guidanceVi'
  | 'guidanceEn'
  | 'noteVi'
  | 'noteEn'
  | 'source';

const COLUMNS: { key: ColumnKey; vi: string; en: string; width: number; required: boolean }[] = [
  { key: 'kind', vi: 'Loại', en: 'Kind', width: 16, required: true },
  { key: 'level', vi: 'Cấp', en: 'Level', width: 7, required: true },
  { key: 'code', vi: 'Mã', en: 'Code', width: 14, required: true },
  { key: 'textVi', vi: 'Nội dung (tiếng Việt)', en: 'Text (Vietnamese)', width: 60, required: true },
  { key: 'textEn', vi: 'Nội dung (tiếng Anh)', en: 'Text (English)', width: 40, required: false },
  { key: 'points', vi: 'Điểm', en: 'Points', width: 9, required: true },
  {
    key: 'requiredForStar',
    vi: 'Bắt buộc cho hạng sao',
    en: 'Required for star',
    width: 12,
    required: false,
  },
  {
    key: 'guidanceVi',
    vi: 'Hướng dẫn (tiếng Việt)',
    en: 'Guidance (Vietnamese)',
    width: 40,
    required: false,
  },
  { key: 'guidanceEn', vi: 'Hướng dẫn (tiếng Anh)', en: 'Guidance (English)', width: 30, required: false },
  { key: 'noteVi', vi: 'Ghi chú (tiếng Việt)', en: 'Note (Vietnamese)', width: 30, required: false },
  { key: 'noteEn', vi: 'Ghi chú (tiếng Anh)', en: 'Note (English)', width: 30, required: false },
  { key: 'source', vi: 'Nguồn (law/press/open)', en: 'Source (law/press/open)', width: 14, required: false },
];

type Kind = 'part' | 'group' | 'criterion' | 'subcriterion' | 'option' | 'disqualifier';

const KIND_LABELS: Record<Kind, { vi: string; en: string }> = {
  part: { vi: 'Phần', en: 'Part' },
  group: { vi: 'Nhóm', en: 'Group' },
  criterion: { vi: 'Tiêu chí', en: 'Criterion' },
  subcriterion: { vi: 'Tiêu chí con', en: 'Sub-criterion' },
  option: { vi: 'Lựa chọn', en: 'Option' },
  disqualifier: { vi: 'Điều kiện loại', en: 'Disqualifier' },
};

const TABLE_MARKER = 'Loại';

const matchHeader = labelMatcher(HEADER.map((h) => ({ value: h.key, label: h })));
const matchColumn = labelMatcher(COLUMNS.map((c) => ({ value: c.key, label: c })));
const matchKind = labelMatcher(
  (Object.keys(KIND_LABELS) as Kind[]).map((k) => ({ value: k, label: KIND_LABELS[k] })),
);

// ---------------------------------------------------------------- export

const headerFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0E8' } };
const partFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF4D6' } };

const optional = (value: string | undefined) => value ?? null;

function partMaximaText(sheet: Sheet): string {
  const best = partMaxima(sheet);
  return sheet.parts
    .map((p) => `${p.code}: ${p.maxPoints} (lựa chọn cao nhất cộng lại / best options: ${best[p.code]})`)
    .join('; ');
}

function headerValue(sheet: Sheet | null, key: HeaderKey): string | number | null {
  if (!sheet) {
    if (key === 'schemaVersion') return DOCUMENT_SCHEMA_VERSION;
    if (key === 'status') return 'draft';
    if (key === 'demo') return 'Không';
    return null;
  }
  switch (key) {
    case 'schemaVersion':
      return sheet.schemaVersion;
    case 'code':
      return sheet.code;
    case 'ruleSet':
      return sheet.ruleSet;
    case 'productSet.scheme':
      return sheet.productSet.scheme;
    case 'productSet.code':
      return sheet.productSet.code;
    case 'productSet.name.vi':
      return sheet.productSet.name.vi;
    case 'productSet.name.en':
      return optional(sheet.productSet.name.en);
    case 'title.vi':
      return sheet.title.vi;
    case 'title.en':
      return optional(sheet.title.en);
    case 'status':
      return sheet.status;
    case 'demo':
      return sheet.demo ? 'Có' : 'Không';
    case 'provenance.source':
      return sheet.provenance.source;
    case 'provenance.note':
      return optional(sheet.provenance.note);
    case 'guidance.vi':
      return optional(sheet.guidance?.vi);
    case 'guidance.en':
      return optional(sheet.guidance?.en);
    case 'partMaxima':
      return partMaximaText(sheet);
  }
}

type RowValues = Partial<Record<ColumnKey, string | number | null>>;

function treeRows(sheet: Sheet): { values: RowValues; kind: Kind }[] {
  const rows: { values: RowValues; kind: Kind }[] = [];
  const texts = (name: Localized, guidance?: Localized, note?: Localized): RowValues => ({
    textVi: name.vi,
    textEn: optional(name.en),
    guidanceVi: optional(guidance?.vi),
    guidanceEn: optional(guidance?.en),
    noteVi: optional(note?.vi),
    noteEn: optional(note?.en),
  });
  const option = (o: SheetOption, level: number) =>
    rows.push({
      kind: 'option',
      values: {
        level,
        code: o.code,
        points: o.points,
        requiredForStar: o.requiredForStar ?? null,
        ...texts(o.text, o.guidance),
      },
    });
  const criterion = (c: Criterion, level: number) => {
    rows.push({
      kind: level === 1 ? 'criterion' : 'subcriterion',
      values: {
        level,
        code: c.code,
        points: c.maxPoints ?? null,
        requiredForStar: c.requiredForStar ?? null,
        ...texts(c.name, c.guidance, c.note),
      },
    });
    for (const o of c.options ?? []) option(o, level);
    for (const child of c.criteria ?? []) criterion(child, level + 1);
  };
  for (const part of sheet.parts) {
    rows.push({
      kind: 'part',
      values: { code: part.code, points: part.maxPoints, ...texts(part.name, part.guidance) },
    });
    for (const group of part.groups) {
      rows.push({
        kind: 'group',
        values: { code: group.code, points: group.maxPoints ?? null, ...texts(group.name, group.guidance) },
      });
      for (const c of group.criteria) criterion(c, 1);
    }
  }
  for (const d of sheet.disqualifiers) {
    rows.push({ kind: 'disqualifier', values: { code: d.code, source: d.source, ...texts(d.text) } });
  }
  return rows;
}

function addHelpWorksheet(workbook: ExcelJS.Workbook) {
  const help = workbook.addWorksheet(HELP_WORKSHEET);
  help.getColumn(1).width = 28;
  help.getColumn(2).width = 100;
  help.addRow(['CÁCH ĐIỀN PHIẾU CHẤM / HOW TO FILL THE SHEET']).font = { bold: true, size: 13 };
  const lines: [string, string][] = [
    [
      'Phần đầu / Header',
      'Điền giá trị vào cột B cạnh mỗi nhãn của trang "Phiếu chấm". Fill column B next to each label of the "Phiếu chấm" worksheet.',
    ],
    [
      'Bảng / Table',
      'Mỗi dòng một mục của cây tiêu chí, theo thứ tự: Phần, rồi các Nhóm của phần, rồi các Tiêu chí của nhóm, mỗi tiêu chí có các Lựa chọn ngay sau nó. One row per node, in order.',
    ],
    [
      bilingual(KIND_LABELS.part),
      'Mã, tên, Điểm = điểm tối đa của phần (phải bằng tổng lựa chọn cao nhất). Code, name, Points = the part maximum.',
    ],
    [
      bilingual(KIND_LABELS.group),
      'Mã, tên; Điểm (tuỳ chọn) = điểm tối đa của nhóm. Optional group maximum.',
    ],
    [
      bilingual(KIND_LABELS.criterion),
      'Cấp 1. Mã, tên; "Bắt buộc cho hạng sao" 3, 4 hoặc 5 nếu tiêu chí phải đạt cho hạng đó. Level 1.',
    ],
    [
      bilingual(KIND_LABELS.subcriterion),
      'Cấp 2, 3…: thuộc tiêu chí gần nhất ở cấp trên. Level 2 and deeper: belongs to the nearest criterion one level up.',
    ],
    [
      bilingual(KIND_LABELS.option),
      'Cấp = cấp của tiêu chí chứa nó; Điểm bắt buộc. "Bắt buộc cho hạng sao": chọn lựa chọn này hoặc cao hơn mới đạt hạng đó. Level = its criterion level; Points required.',
    ],
    [
      bilingual(KIND_LABELS.disqualifier),
      'Điều kiện khiến sản phẩm không được công nhận; cột Nguồn: law, press hoặc open. A condition that means "not recognised"; Source: law, press or open.',
    ],
    [
      'Kiểm tra / Validation',
      'Khi nhập, mọi lỗi được báo theo ô (ví dụ "Phiếu chấm!C12"); phiếu có lỗi không kích hoạt được. Every problem is reported by cell; a sheet with errors cannot be activated.',
    ],
  ];
  for (const [label, text] of lines) {
    const row = help.addRow([label, text]);
    row.getCell(1).font = bold;
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
}

/** The workbook of a sheet, or the blank template when `sheet` is null. */
export async function buildSheetWorkbook(sheet: Sheet | null): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Nền tảng số OCOP';
  const ws = workbook.addWorksheet(SHEET_WORKSHEET);
  ws.addRow(['PHIẾU CHẤM ĐIỂM SẢN PHẨM OCOP / OCOP SCORING SHEET']).font = { bold: true, size: 14 };
  ws.addRow([
    'Điền cột B của phần đầu và một dòng cho mỗi mục trong bảng; xem trang "Hướng dẫn". Fill column B of the header and one table row per node; see the "Hướng dẫn" worksheet.',
  ]).font = { italic: true, color: { argb: 'FF555555' } };
  for (const h of HEADER) {
    const row = ws.addRow([bilingual(h), headerValue(sheet, h.key)]);
    row.getCell(1).font = bold;
    row.getCell(1).fill = headerFill;
    if (h.key === 'partMaxima') row.getCell(2).font = { italic: true, color: { argb: 'FF555555' } };
  }
  ws.addRow([]);
  const header = ws.addRow(COLUMNS.map((c) => bilingual(c)));
  header.font = bold;
  header.alignment = { wrapText: true, vertical: 'middle' };
  header.eachCell((cell) => {
    cell.fill = headerFill;
  });
  const firstTableRow = header.number + 1;
  for (const { kind, values } of sheet ? treeRows(sheet) : []) {
    const row = ws.addRow(
      COLUMNS.map((c) => (c.key === 'kind' ? KIND_LABELS[kind].vi : (values[c.key] ?? null))),
    );
    if (kind === 'part') {
      row.font = bold;
      row.eachCell((cell) => {
        cell.fill = partFill;
      });
    } else if (kind === 'group') {
      row.font = bold;
    }
  }
  COLUMNS.forEach((c, i) => {
    ws.getColumn(i + 1).width = c.width;
  });
  // Codes stay text when a person types "1.10" or "1" in Excel, which would otherwise make them numbers.
  ws.getColumn(COLUMNS.findIndex((c) => c.key === 'code') + 1).numFmt = '@';
  ws.getColumn(1).width = 34;
  ws.getColumn(2).width = 12;
  const kindList = `"${(Object.keys(KIND_LABELS) as Kind[]).map((k) => KIND_LABELS[k].vi).join(',')}"`;
  const lastValidated = Math.max(ws.rowCount, firstTableRow) + 300;
  for (let r = firstTableRow; r <= lastValidated; r++) {
    ws.getCell(r, 1).dataValidation = { type: 'list', allowBlank: true, formulae: [kindList] };
    ws.getCell(r, COLUMNS.findIndex((c) => c.key === 'requiredForStar') + 1).dataValidation = {
      type: 'list',
      allowBlank: true,
      formulae: ['"3,4,5"'],
    };
  }
  ws.views = [{ state: 'frozen', ySplit: header.number }];
  addHelpWorksheet(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------- import

export type ParsedSheetWorkbook = {
  document: Sheet;
  /** Cell address of a document path ("parts.0.maxPoints" → "Phiếu chấm!F20"), or of its nearest node. */
  locate: (path: string) => string | undefined;
};

/** JSON fields of a node → the table column that holds them. */
const FIELD_COLUMNS: Record<string, ColumnKey> = {
  code: 'code',
  'name.vi': 'textVi',
  'name.en': 'textEn',
  'text.vi': 'textVi',
  'text.en': 'textEn',
  name: 'textVi',
  text: 'textVi',
  points: 'points',
  maxPoints: 'points',
  requiredForStar: 'requiredForStar',
  guidance: 'guidanceVi',
  'guidance.vi': 'guidanceVi',
  'guidance.en': 'guidanceEn',
  note: 'noteVi',
  'note.vi': 'noteVi',
  'note.en': 'noteEn',
  source: 'source',
};

const readMessages = {
  notWorkbook: {
    vi: 'Tệp không phải sổ tính Excel (.xlsx) đọc được.',
    en: 'The file is not a readable Excel workbook (.xlsx).',
  },
  noWorksheet: { vi: 'Sổ tính không có trang nào.', en: 'The workbook has no worksheet.' },
  tooManyRows: {
    vi: `Trang có quá ${MAX_WORKBOOK_ROWS} dòng.`,
    en: `The worksheet has more than ${MAX_WORKBOOK_ROWS} rows.`,
  },
  noTable: {
    vi: `Không tìm thấy dòng tiêu đề của bảng (ô cột A ghi "${TABLE_MARKER}").`,
    en: `The table's header row (column A reading "${TABLE_MARKER}") was not found.`,
  },
};

/** Reads a workbook made from the template back into a sheet document, or throws every problem with its cell. */
export async function parseSheetWorkbook(data: Buffer): Promise<ParsedSheetWorkbook> {
  let workbook: ExcelJS.Workbook;
  try {
    workbook = await loadWorkbook(data);
  } catch (error) {
    const message = error instanceof WorkbookTooLarge ? INFLATES_TOO_MUCH : readMessages.notWorkbook;
    throw new WorkbookError([{ cell: 'file', ...message }]);
  }
  const ws = workbook.getWorksheet(SHEET_WORKSHEET) ?? workbook.worksheets[0];
  if (!ws) throw new WorkbookError([{ cell: 'file', ...readMessages.noWorksheet }]);
  const at = (row: number, column: number) => `${ws.name}!${ws.getCell(row, column).address}`;
  if (ws.rowCount > MAX_WORKBOOK_ROWS)
    throw new WorkbookError([{ cell: at(1, 1), ...readMessages.tooManyRows }]);

  const problems: CellMessage[] = [];
  const cells = new Map<string, string>();

  // Header area: label in column A, value in column B, until the table's header row.
  const header = new Map<HeaderKey, { value: Raw; row: number }>();
  let tableRow = 0;
  for (let r = 1; r <= ws.rowCount; r++) {
    const label = asText(cellValue(ws.getCell(r, 1)));
    if (!label) continue;
    if (matchColumn(label) === 'kind') {
      tableRow = r;
      break;
    }
    const key = matchHeader(label);
    if (!key) continue; // the title and the hint line
    if (header.has(key)) {
      problems.push({
        cell: at(r, 1),
        vi: `Nhãn "${label}" xuất hiện hai lần.`,
        en: `The label "${label}" appears twice.`,
      });
      continue;
    }
    header.set(key, { value: cellValue(ws.getCell(r, 2)), row: r });
    if (key !== 'partMaxima') cells.set(key, at(r, 2));
  }
  if (!tableRow) throw new WorkbookError([...problems, { cell: `${ws.name}!A1`, ...readMessages.noTable }]);
  for (const h of HEADER) {
    if (h.key !== 'partMaxima' && !header.has(h.key)) {
      problems.push({
        cell: `${ws.name}!A1:B${tableRow}`,
        vi: `Thiếu dòng "${bilingual(h)}" ở phần đầu.`,
        en: `The header row "${bilingual(h)}" is missing.`,
      });
    }
  }
  const headerText = (key: HeaderKey) => {
    const entry = header.get(key);
    return entry ? asText(entry.value) : undefined;
  };
  const demoValue = (() => {
    const entry = header.get('demo');
    if (!entry || entry.value === null) return undefined;
    if (typeof entry.value === 'boolean') return entry.value;
    const folded = fold(String(entry.value));
    if (YES.has(folded)) return true;
    if (NO.has(folded)) return false;
    return String(entry.value);
  })();

  // The table's columns, by their labels.
  const columnOf = new Map<ColumnKey, number>();
  const headerRow = ws.getRow(tableRow);
  for (let c = 1; c <= Math.max(headerRow.cellCount, COLUMNS.length); c++) {
    const label = asText(cellValue(ws.getCell(tableRow, c)));
    if (!label) continue;
    const key = matchColumn(label);
    if (key && !columnOf.has(key)) columnOf.set(key, c);
  }
  for (const column of COLUMNS) {
    if (column.required && !columnOf.has(column.key)) {
      problems.push({
        cell: at(tableRow, 1),
        vi: `Bảng thiếu cột "${bilingual(column)}".`,
        en: `The table has no "${bilingual(column)}" column.`,
      });
    }
  }
  if (problems.length) throw new WorkbookError(problems);

  const read = (row: number, key: ColumnKey) => {
    const column = columnOf.get(key);
    return column ? cellValue(ws.getCell(row, column)) : null;
  };
  const text = (row: number, key: ColumnKey) => asText(read(row, key));
  const cellOf = (row: number, key: ColumnKey) => {
    const column = columnOf.get(key);
    return column ? at(row, column) : at(row, 1);
  };
  const mark = (path: string, row: number) => {
    cells.set(path, at(row, 1));
    for (const [field, column] of Object.entries(FIELD_COLUMNS))
      cells.set(`${path}.${field}`, cellOf(row, column));
  };

  type RawCriterion = Record<string, unknown> & { options?: unknown[]; criteria?: RawCriterion[] };
  type RawGroup = Record<string, unknown> & { criteria: RawCriterion[] };
  type RawPart = Record<string, unknown> & { groups: RawGroup[] };
  const parts: RawPart[] = [];
  const disqualifiers: unknown[] = [];
  let part: { node: RawPart; path: string } | null = null;
  let group: { node: RawGroup; path: string } | null = null;
  let stack: { node: RawCriterion; path: string }[] = [];
  // After a row that could not be placed, the options under it would only repeat its problem.
  let afterRejectedRow = false;

  const rowProblem = (row: number, key: ColumnKey, vi: string, en: string) => {
    problems.push({ cell: cellOf(row, key), vi, en });
    afterRejectedRow = true;
  };
  const withoutUndefined = (o: Record<string, unknown>) =>
    Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));

  for (let r = tableRow + 1; r <= ws.rowCount; r++) {
    const kindText = text(r, 'kind');
    const anything = COLUMNS.some((c) => read(r, c.key) !== null);
    if (!anything) continue;
    if (!kindText) {
      rowProblem(r, 'kind', 'Dòng có nội dung nhưng chưa ghi Loại.', 'The row has content but no Kind.');
      continue;
    }
    const kind = matchKind(kindText);
    if (!kind) {
      rowProblem(
        r,
        'kind',
        `Loại "${kindText}" không hợp lệ; dùng: Phần, Nhóm, Tiêu chí, Tiêu chí con, Lựa chọn, Điều kiện loại.`,
        `Unknown kind "${kindText}"; use Part, Group, Criterion, Sub-criterion, Option or Disqualifier.`,
      );
      continue;
    }
    const base = {
      code: text(r, 'code') ?? '',
      requiredForStar: asNumber(read(r, 'requiredForStar')),
      guidance: asLocalized(text(r, 'guidanceVi'), text(r, 'guidanceEn'), true),
    };
    const name = asLocalized(text(r, 'textVi'), text(r, 'textEn'), false);
    const levelValue = asNumber(read(r, 'level'));
    if (
      levelValue !== undefined &&
      (typeof levelValue !== 'number' || !Number.isInteger(levelValue) || levelValue < 1)
    ) {
      rowProblem(r, 'level', 'Cấp phải là số nguyên từ 1.', 'The level must be a whole number from 1.');
      continue;
    }
    const level = levelValue as number | undefined;

    if (kind === 'part') {
      const path = `parts.${parts.length}`;
      const node: RawPart = withoutUndefined({
        code: base.code,
        name,
        maxPoints: asNumber(read(r, 'points')),
        guidance: base.guidance,
        groups: [],
      }) as RawPart;
      parts.push(node);
      mark(path, r);
      part = { node, path };
      afterRejectedRow = false;
      group = null;
      stack = [];
    } else if (kind === 'group') {
      if (!part) {
        rowProblem(r, 'kind', 'Nhóm phải nằm sau một dòng Phần.', 'A group must follow a Part row.');
        continue;
      }
      const path = `${part.path}.groups.${part.node.groups.length}`;
      const node: RawGroup = withoutUndefined({
        code: base.code,
        name,
        guidance: base.guidance,
        maxPoints: asNumber(read(r, 'points')),
        criteria: [],
      }) as RawGroup;
      part.node.groups.push(node);
      mark(path, r);
      group = { node, path };
      afterRejectedRow = false;
      stack = [];
    } else if (kind === 'criterion' || kind === 'subcriterion') {
      const depth = level ?? (kind === 'criterion' ? 1 : stack.length + 1);
      if (!group) {
        rowProblem(r, 'kind', 'Tiêu chí phải nằm sau một dòng Nhóm.', 'A criterion must follow a Group row.');
        continue;
      }
      if (depth > stack.length + 1 || (kind === 'subcriterion' && depth < 2)) {
        rowProblem(
          r,
          'level',
          `Cấp ${depth} không khớp: tiêu chí con phải nằm ngay dưới một tiêu chí cấp ${depth - 1}.`,
          `Level ${depth} does not fit: a sub-criterion must come under a level ${depth - 1} criterion.`,
        );
        continue;
      }
      const node: RawCriterion = withoutUndefined({
        ...base,
        name,
        note: asLocalized(text(r, 'noteVi'), text(r, 'noteEn'), true),
        maxPoints: asNumber(read(r, 'points')),
      });
      let path: string;
      if (depth === 1) {
        path = `${group.path}.criteria.${group.node.criteria.length}`;
        group.node.criteria.push(node);
      } else {
        const parent = stack[depth - 2]!;
        parent.node.criteria ??= [];
        path = `${parent.path}.criteria.${parent.node.criteria.length}`;
        parent.node.criteria.push(node);
      }
      mark(path, r);
      stack = [...stack.slice(0, depth - 1), { node, path }];
      afterRejectedRow = false;
    } else if (kind === 'option') {
      const depth = level ?? stack.length;
      const owner = stack[depth - 1];
      if (!owner || (afterRejectedRow && depth === stack.length)) {
        if (afterRejectedRow) continue;
        rowProblem(
          r,
          level === undefined ? 'kind' : 'level',
          'Lựa chọn phải nằm ngay sau tiêu chí của nó (cùng cấp).',
          'An option must follow its criterion (same level).',
        );
        continue;
      }
      owner.node.options ??= [];
      const path = `${owner.path}.options.${owner.node.options.length}`;
      owner.node.options.push(
        withoutUndefined({
          code: base.code,
          text: name,
          points: asNumber(read(r, 'points')),
          requiredForStar: base.requiredForStar,
          guidance: base.guidance,
        }),
      );
      mark(path, r);
    } else {
      const path = `disqualifiers.${disqualifiers.length}`;
      disqualifiers.push({ code: base.code, text: name, source: text(r, 'source') ?? '' });
      mark(path, r);
    }
  }
  if (problems.length) throw new WorkbookError(problems);

  const raw = withoutUndefined({
    schemaVersion: asNumber(header.get('schemaVersion')?.value ?? null),
    code: headerText('code') ?? '',
    ruleSet: headerText('ruleSet') ?? '',
    productSet: {
      scheme: headerText('productSet.scheme') ?? '',
      code: headerText('productSet.code') ?? '',
      name: asLocalized(headerText('productSet.name.vi'), headerText('productSet.name.en'), false),
    },
    title: asLocalized(headerText('title.vi'), headerText('title.en'), false),
    status: headerText('status'),
    demo: demoValue,
    provenance: withoutUndefined({
      source: headerText('provenance.source') ?? '',
      note: headerText('provenance.note'),
    }),
    guidance: asLocalized(headerText('guidance.vi'), headerText('guidance.en'), true),
    parts,
    disqualifiers,
  });
  cells.set('productSet.name', cells.get('productSet.name.vi') ?? '');
  cells.set('title', cells.get('title.vi') ?? '');
  cells.set('guidance', cells.get('guidance.vi') ?? '');
  cells.set('provenance', cells.get('provenance.source') ?? '');

  const locate = (path: string): string | undefined => {
    const segments = path.split('.');
    for (let n = segments.length; n > 0; n--) {
      const found = cells.get(segments.slice(0, n).join('.'));
      if (found) return found;
    }
    return undefined;
  };

  const parsed = sheetSchema.safeParse(raw);
  if (!parsed.success) {
    throw new WorkbookError(
      describeIssues(parsed.error.issues, 'body').map((issue) => ({
        cell: locate(issue.path) ?? `${ws.name}!A${tableRow}`,
        vi: `${issue.path}: ${issue.vi}`,
        en: `${issue.path}: ${issue.en}`,
      })),
    );
  }
  return { document: parsed.data, locate };
}
