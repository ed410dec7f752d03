import ExcelJS from 'exceljs';
import { describeIssues } from '../../server/validation';
import { loadWorkbook, WorkbookTooLarge } from '../../server/xlsx';
import { type RuleSet, ruleSetSchema, type Source } from './documents';
import {
  type CellMessage,
  HELP_WORKSHEET,
  INFLATES_TOO_MUCH,
  MAX_WORKBOOK_ROWS,
  WorkbookError,
} from './workbook';
import {
  asLocalized,
  asNumber,
  asText,
  bilingual,
  bold,
  cellValue,
  fold,
  type Label,
  labelMatcher,
  NO,
  type Raw,
  YES,
} from './workbook-cells';

/**
 * A rule-set version as an Excel workbook a person can read and fill, and back, pure (no database).
 * One worksheet per part of the document, each a plain table under a header row (or label/value
 * rows for "Thông tin" and "Tham số"); lists inside one cell are separated by ";". Columns and
 * rows are found by their labels (case, accents and spacing do not matter, Vietnamese or English),
 * every problem reading the workbook is reported with its cell ("Hạng sao!C4"), and the paths of
 * the validator's problems are mapped back to cells (`locate`). The template is the shipped
 * 26-2026 rule-set: a blank rule-set cannot be a valid document (it needs parts, levels, a legal basis).
 */

export const RULE_SET_WORKSHEETS = {
  info: 'Thông tin',
  parameters: 'Tham số',
  legalBasis: 'Căn cứ pháp lý',
  parts: 'Phần',
  bands: 'Hạng sao',
  levels: 'Cấp đánh giá',
  checklist: 'Hồ sơ',
  notes: 'Ghi chú',
} as const;
/** The worksheet that tells a rule-set workbook from a sheet workbook ("Phiếu chấm"). */
export const RULE_SET_MARKER_WORKSHEET = RULE_SET_WORKSHEETS.info;
/** The shipped rule-set the template starts from. */
export const TEMPLATE_RULE_SET = '26-2026';

// ---------------------------------------------------------------- layout

type InfoKey =
  | 'schemaVersion'
  | 'code'
  | 'name.vi'
  | 'name.en'
  | 'status'
  | 'taxonomyScheme'
  | 'inForce.from'
  | 'inForce.to'
  | 'inForce.source'
  | 'recognisedFromStar';

const INFO: { key: InfoKey; vi: string; en: string }[] = [
  { key: 'code', vi: 'Mã bộ tiêu chí', en: 'Rule-set code' },
  { key: 'name.vi', vi: 'Tên (tiếng Việt)', en: 'Name (Vietnamese)' },
  { key: 'name.en', vi: 'Tên (tiếng Anh)', en: 'Name (English)' },
  { key: 'status', vi: 'Trạng thái', en: 'Status' },
  {
    key: 'taxonomyScheme',
    vi: 'Hệ phân loại sản phẩm (1048/2026)',
    en: 'Product classification (1048/2026)',
  },
  { key: 'inForce.from', vi: 'Có hiệu lực từ', en: 'In force from' },
  {
    key: 'inForce.to',
    vi: 'Hết hiệu lực (để trống nếu còn hiệu lực)',
    en: 'In force until (blank if still)',
  },
  {
    key: 'inForce.source',
    vi: 'Nguồn của thời gian hiệu lực (law/press/open)',
    en: 'Source of the dates in force (law/press/open)',
  },
  { key: 'recognisedFromStar', vi: 'Công nhận từ hạng sao', en: 'Recognised from star' },
  { key: 'schemaVersion', vi: 'Phiên bản định dạng', en: 'Format version' },
];

type ParameterKey =
  | 'rounding.decimals'
  | 'rounding.mode'
  | 'minimumSheets'
  | 'requirementJudgement'
  | 'outlierDistance'
  | 'certificateValidityMonths'
  | 'expiryNoticeDays'
  | 'fieldVisitRequiredFor';

const PARAMETERS: { key: ParameterKey; vi: string; en: string; path: string }[] = [
  {
    key: 'rounding.decimals',
    vi: 'Làm tròn điểm: số chữ số thập phân',
    en: 'Score rounding: decimals',
    path: 'rounding.decimals',
  },
  {
    key: 'rounding.mode',
    vi: 'Làm tròn điểm: cách làm tròn (truncate/half-up)',
    en: 'Score rounding: mode (truncate/half-up)',
    path: 'rounding.mode',
  },
  {
    key: 'minimumSheets',
    vi: 'Số phiếu chấm tối thiểu',
    en: 'Minimum number of member sheets',
    path: 'minimumSheets.value',
  },
  {
    key: 'requirementJudgement',
    vi: 'Cách xét tiêu chí bắt buộc (majority/all/mean)',
    en: 'Judging mandatory criteria (majority/all/mean)',
    path: 'requirementJudgement.mode',
  },
  {
    key: 'outlierDistance',
    vi: 'Khoảng lệch đánh dấu phiếu khác biệt (điểm)',
    en: 'Outlier distance (points)',
    path: 'outlierDistance.value',
  },
  {
    key: 'certificateValidityMonths',
    vi: 'Thời hạn giấy chứng nhận (tháng)',
    en: 'Certificate validity (months)',
    path: 'certificateValidityMonths.value',
  },
  {
    key: 'expiryNoticeDays',
    vi: 'Báo trước khi hết hạn (ngày)',
    en: 'Notice before expiry (days)',
    path: 'expiryNoticeDays.value',
  },
  {
    key: 'fieldVisitRequiredFor',
    vi: 'Bộ sản phẩm phải thẩm định thực địa (mã, cách nhau bởi ;)',
    en: 'Product sets needing a field visit (codes separated by ;)',
    path: 'fieldVisitRequiredFor.productSets',
  },
];

type Column = { key: string; vi: string; en: string; width: number; required: boolean; paths: string[] };
type TableSpec = { worksheet: string; path: string; columns: Column[]; optional?: boolean };

const col = (
  key: string,
  vi: string,
  en: string,
  width: number,
  paths: string[],
  required = true,
): Column => ({ key, vi, en, width, required, paths });

const SOURCE_COLUMN = col('source', 'Nguồn (law/press/open)', 'Source (law/press/open)', 14, ['source']);

const TABLES = {
  legalBasis: {
    worksheet: RULE_SET_WORKSHEETS.legalBasis,
    path: 'legalBasis',
    columns: [
      col('document', 'Số hiệu văn bản', 'Document number', 22, ['document']),
      col('date', 'Ngày ban hành', 'Date', 14, ['date'], false),
      col('titleVi', 'Trích yếu (tiếng Việt)', 'Title (Vietnamese)', 60, ['title', 'title.vi'], false),
      col('titleEn', 'Trích yếu (tiếng Anh)', 'Title (English)', 40, ['title.en'], false),
      SOURCE_COLUMN,
    ],
  },
  parts: {
    worksheet: RULE_SET_WORKSHEETS.parts,
    path: 'parts',
    columns: [
      col('code', 'Mã phần', 'Part code', 10, ['code']),
      col('nameVi', 'Tên phần (tiếng Việt)', 'Part name (Vietnamese)', 40, ['name', 'name.vi'], false),
      col('nameEn', 'Tên phần (tiếng Anh)', 'Part name (English)', 30, ['name.en'], false),
      col('maxPoints', 'Điểm tối đa', 'Maximum points', 12, ['maxPoints']),
      SOURCE_COLUMN,
    ],
  },
  bands: {
    worksheet: RULE_SET_WORKSHEETS.bands,
    path: 'starBands',
    columns: [
      col('star', 'Hạng sao', 'Star', 10, ['star']),
      col('min', 'Từ điểm (gồm)', 'From score (inclusive)', 16, ['min']),
      col('max', 'Đến dưới điểm', 'Below score', 16, ['max']),
    ],
  },
  levels: {
    worksheet: RULE_SET_WORKSHEETS.levels,
    path: 'levels',
    columns: [
      col('level', 'Cấp (commune/district/province/central)', 'Level', 16, ['level']),
      col('role', 'Vai trò (score/precheck)', 'Role (score/precheck)', 14, ['role']),
      col('authorityVi', 'Cơ quan (tiếng Việt)', 'Authority (Vietnamese)', 30, ['authority', 'authority.vi']),
      col('authorityEn', 'Cơ quan (tiếng Anh)', 'Authority (English)', 30, ['authority.en'], false),
      col('certifiesStars', 'Công nhận hạng sao (;)', 'Certifies stars (;)', 14, ['certifiesStars']),
      col('forwardFromScore', 'Đề xuất lên cấp trên từ điểm', 'Forwards from score', 14, [
        'forwardFromScore',
      ]),
      col(
        'precheckCodes',
        'Tiêu chí tiền kiểm (mã, ;)',
        'Pre-check criteria (codes, ;)',
        24,
        ['precheckCriteria', 'precheckCriteria.codes'],
        false,
      ),
      col(
        'precheckSource',
        'Nguồn tiêu chí tiền kiểm',
        'Pre-check criteria source',
        14,
        ['precheckCriteria.source'],
        false,
      ),
      col(
        'roundsPerYear',
        'Số đợt đánh giá mỗi năm',
        'Rounds a year',
        12,
        ['rounds', 'rounds.perYear'],
        false,
      ),
      col(
        'roundsDeadlines',
        'Hạn các đợt (MM-DD, ;)',
        'Round deadlines (MM-DD, ;)',
        18,
        ['rounds.deadlines'],
        false,
      ),
      col('roundsSource', 'Nguồn các đợt', 'Rounds source', 12, ['rounds.source'], false),
      SOURCE_COLUMN,
    ],
  },
  checklist: {
    worksheet: RULE_SET_WORKSHEETS.checklist,
    path: 'checklist',
    columns: [
      col('code', 'Mã hồ sơ', 'Item code', 22, ['code']),
      col('labelVi', 'Tên (tiếng Việt)', 'Label (Vietnamese)', 50, ['label', 'label.vi']),
      col('labelEn', 'Tên (tiếng Anh)', 'Label (English)', 40, ['label.en']),
      col('required', 'Bắt buộc (Có/Không)', 'Required (Yes/No)', 12, ['required']),
      col(
        'onlyProductSets',
        'Chỉ cho bộ sản phẩm (;)',
        'Only for product sets (;)',
        18,
        ['onlyProductSets'],
        false,
      ),
      col(
        'exceptProductSets',
        'Trừ bộ sản phẩm (;)',
        'Except product sets (;)',
        18,
        ['exceptProductSets'],
        false,
      ),
      SOURCE_COLUMN,
    ],
  },
  notes: {
    worksheet: RULE_SET_WORKSHEETS.notes,
    path: 'notes',
    optional: true,
    columns: [
      col('vi', 'Ghi chú (tiếng Việt)', 'Note (Vietnamese)', 80, ['', 'vi']),
      col('en', 'Ghi chú (tiếng Anh)', 'Note (English)', 60, ['en'], false),
    ],
  },
} satisfies Record<string, TableSpec>;

const INFO_COLUMNS = { label: { vi: 'Mục', en: 'Field' }, value: { vi: 'Giá trị', en: 'Value' } };
const PARAMETER_COLUMNS: Column[] = [
  col('parameter', 'Tham số', 'Parameter', 50, []),
  col('value', 'Giá trị', 'Value', 16, []),
  SOURCE_COLUMN,
  col('remark', 'Ghi chú (không đọc khi nhập)', 'Remark (not read)', 50, [], false),
];

const SOURCE_REMARKS: Record<Source, string> = {
  law: 'Theo văn bản / From the regulation',
  press: 'Theo báo chí, cần đối chiếu / Reported by the press, to be checked',
  open: 'CHƯA CÓ CĂN CỨ — QUẢN TRỊ VIÊN ĐẶT / NOT IN THE LAW — SET BY THE ADMINISTRATOR',
};

const LIST_SEPARATOR = '; ';

// ---------------------------------------------------------------- export

const headerFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFE8F0E8' } };
const openFill: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF4D6' } };

const opt = (value: string | undefined) => value ?? null;
const list = (values: readonly (string | number)[]) => values.join(LIST_SEPARATOR);

function infoValue(ruleSet: RuleSet, key: InfoKey): Raw {
  switch (key) {
    case 'schemaVersion':
      return ruleSet.schemaVersion;
    case 'code':
      return ruleSet.code;
    case 'name.vi':
      return ruleSet.name.vi;
    case 'name.en':
      return opt(ruleSet.name.en);
    case 'status':
      return ruleSet.status;
    case 'taxonomyScheme':
      return ruleSet.taxonomyScheme;
    case 'inForce.from':
      return ruleSet.inForce.from;
    case 'inForce.to':
      return ruleSet.inForce.to;
    case 'inForce.source':
      return ruleSet.inForce.source;
    case 'recognisedFromStar':
      return ruleSet.recognisedFromStar;
  }
}

function parameterValue(ruleSet: RuleSet, key: ParameterKey): { value: Raw; source: Source } {
  switch (key) {
    case 'rounding.decimals':
      return { value: ruleSet.rounding.decimals, source: ruleSet.rounding.source };
    case 'rounding.mode':
      return { value: ruleSet.rounding.mode, source: ruleSet.rounding.source };
    case 'minimumSheets':
      return ruleSet.minimumSheets;
    case 'requirementJudgement':
      return { value: ruleSet.requirementJudgement.mode, source: ruleSet.requirementJudgement.source };
    case 'outlierDistance':
      return ruleSet.outlierDistance;
    case 'certificateValidityMonths':
      return ruleSet.certificateValidityMonths;
    case 'expiryNoticeDays':
      return ruleSet.expiryNoticeDays;
    case 'fieldVisitRequiredFor':
      return {
        value: list(ruleSet.fieldVisitRequiredFor.productSets) || null,
        source: ruleSet.fieldVisitRequiredFor.source,
      };
  }
}

function tableRows(ruleSet: RuleSet) {
  return {
    legalBasis: ruleSet.legalBasis.map((b) => ({
      document: b.document,
      date: opt(b.date),
      titleVi: opt(b.title?.vi),
      titleEn: opt(b.title?.en),
      source: b.source,
    })),
    parts: ruleSet.parts.map((p) => ({
      code: p.code,
      nameVi: opt(p.name?.vi),
      nameEn: opt(p.name?.en),
      maxPoints: p.maxPoints,
      source: p.source,
    })),
    bands: ruleSet.starBands.map((b) => ({ star: b.star, min: b.min, max: b.max })),
    levels: ruleSet.levels.map((l) => ({
      level: l.level,
      role: l.role,
      authorityVi: l.authority.vi,
      authorityEn: opt(l.authority.en),
      certifiesStars: list(l.certifiesStars) || null,
      forwardFromScore: l.forwardFromScore,
      precheckCodes: l.precheckCriteria ? list(l.precheckCriteria.codes) || null : null,
      precheckSource: opt(l.precheckCriteria?.source),
      roundsPerYear: l.rounds?.perYear ?? null,
      roundsDeadlines: l.rounds ? list(l.rounds.deadlines) || null : null,
      roundsSource: opt(l.rounds?.source),
      source: l.source,
    })),
    checklist: ruleSet.checklist.map((c) => ({
      code: c.code,
      labelVi: c.label.vi,
      labelEn: c.label.en,
      required: c.required ? 'Có' : 'Không',
      onlyProductSets: list(c.onlyProductSets) || null,
      exceptProductSets: list(c.exceptProductSets) || null,
      source: c.source,
    })),
    notes: ruleSet.notes.map((n) => ({ vi: n.vi, en: opt(n.en) })),
  } satisfies Record<keyof typeof TABLES, Record<string, Raw>[]>;
}

function styleHeader(row: ExcelJS.Row) {
  row.font = bold;
  row.alignment = { wrapText: true, vertical: 'middle' };
  row.eachCell((cell) => {
    cell.fill = headerFill;
  });
}

function addTable(workbook: ExcelJS.Workbook, spec: TableSpec, rows: Record<string, Raw>[]) {
  const ws = workbook.addWorksheet(spec.worksheet);
  styleHeader(ws.addRow(spec.columns.map((c) => bilingual(c))));
  for (const values of rows) ws.addRow(spec.columns.map((c) => values[c.key] ?? null));
  spec.columns.forEach((c, i) => {
    const column = ws.getColumn(i + 1);
    column.width = c.width;
    // Codes, dates and lists stay text when typed ("2019", "06-30", "26"), not numbers or dates.
    if (!['maxPoints', 'star', 'min', 'max', 'forwardFromScore', 'roundsPerYear'].includes(c.key))
      column.numFmt = '@';
    if (c.key === 'source' || c.key === 'precheckSource' || c.key === 'roundsSource') {
      for (let r = 2; r <= rows.length + 100; r++) {
        const cell = ws.getCell(r, i + 1);
        cell.dataValidation = { type: 'list', allowBlank: true, formulae: ['"law,press,open"'] };
        if (cell.value === 'open') cell.fill = openFill;
      }
    }
  });
  ws.views = [{ state: 'frozen', ySplit: 1 }];
}

function addHelp(workbook: ExcelJS.Workbook) {
  const help = workbook.addWorksheet(HELP_WORKSHEET);
  help.getColumn(1).width = 28;
  help.getColumn(2).width = 100;
  help.addRow(['CÁCH ĐIỀN BỘ TIÊU CHÍ / HOW TO FILL THE RULE-SET']).font = { bold: true, size: 13 };
  const lines: [string, string][] = [
    [
      'Chung / General',
      'Mỗi trang là một bảng có dòng tiêu đề; mỗi dòng một mục. Danh sách trong một ô cách nhau bởi dấu ";" (ví dụ "3; 4"). Nguồn: law (theo văn bản), press (theo báo chí), open (chưa có căn cứ, quản trị viên đặt). Each worksheet is a table under a header row; lists in one cell are separated by ";".',
    ],
    [
      RULE_SET_WORKSHEETS.info,
      'Cột B cạnh mỗi nhãn: mã, tên, trạng thái (draft), hệ phân loại (1048 hoặc 2026), thời gian hiệu lực ("2019", "2023-02" hoặc "2023-02-24"), hạng sao công nhận thấp nhất. Column B next to each label.',
    ],
    [
      RULE_SET_WORKSHEETS.parameters,
      'Giá trị và nguồn của từng tham số. Dòng tô vàng (nguồn "open") chưa có căn cứ pháp lý: quản trị viên đặt giá trị. Số phiếu chấm tối thiểu phải được đặt trước khi kích hoạt. Yellow rows are set by the administrator.',
    ],
    [
      RULE_SET_WORKSHEETS.legalBasis,
      'Mỗi văn bản một dòng: số hiệu, ngày, trích yếu, nguồn. One row per legal document.',
    ],
    [
      RULE_SET_WORKSHEETS.parts,
      'Mỗi phần của phiếu chấm (A, B, C…) và điểm tối đa; tổng phải là 100. One row per part; maxima sum to 100.',
    ],
    [
      RULE_SET_WORKSHEETS.bands,
      'Mỗi hạng sao một dòng: từ điểm (gồm) đến dưới điểm; hạng cao nhất gồm cả điểm tối đa; các hạng liền nhau. One row per star band, contiguous.',
    ],
    [
      RULE_SET_WORKSHEETS.levels,
      'Mỗi cấp một dòng: cấp (commune, district, province, central), vai trò (score: chấm điểm; precheck: tiền kiểm), hạng sao công nhận, điểm để đề xuất lên cấp trên (trống: không). Tiêu chí tiền kiểm và các đợt đánh giá: để trống nếu không có.',
    ],
    [
      RULE_SET_WORKSHEETS.checklist,
      'Mỗi thành phần hồ sơ một dòng: mã, tên, bắt buộc (Có/Không), chỉ cho hoặc trừ các bộ sản phẩm (mã, ";"; trống: mọi bộ). One row per dossier item.',
    ],
    [RULE_SET_WORKSHEETS.notes, 'Ghi chú biên tập, không phải văn bản chính thức. Editorial notes.'],
    [
      'Kiểm tra / Validation',
      'Khi nhập, mọi lỗi được báo theo ô (ví dụ "Hạng sao!C4"); bộ tiêu chí được lưu thành bản nháp kèm báo cáo kiểm tra và không kích hoạt được khi còn lỗi. Every problem is reported by cell; the rule-set is stored as a draft and cannot be activated while it has errors.',
    ],
  ];
  for (const [label, text] of lines) {
    const row = help.addRow([label, text]);
    row.getCell(1).font = bold;
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
}

/** The workbook of a rule-set version. */
export async function buildRuleSetWorkbook(ruleSet: RuleSet): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Nền tảng số OCOP';

  const info = workbook.addWorksheet(RULE_SET_WORKSHEETS.info);
  styleHeader(info.addRow([bilingual(INFO_COLUMNS.label), bilingual(INFO_COLUMNS.value)]));
  for (const entry of INFO) {
    const row = info.addRow([bilingual(entry), infoValue(ruleSet, entry.key)]);
    row.getCell(1).font = bold;
  }
  info.getColumn(1).width = 50;
  info.getColumn(2).width = 90;
  info.getColumn(2).numFmt = '@';

  const parameters = workbook.addWorksheet(RULE_SET_WORKSHEETS.parameters);
  styleHeader(parameters.addRow(PARAMETER_COLUMNS.map((c) => bilingual(c))));
  for (const entry of PARAMETERS) {
    const { value, source } = parameterValue(ruleSet, entry.key);
    const row = parameters.addRow([bilingual(entry), value, source, SOURCE_REMARKS[source]]);
    row.getCell(1).font = bold;
    row.getCell(3).dataValidation = { type: 'list', allowBlank: false, formulae: ['"law,press,open"'] };
    if (source === 'open') {
      row.eachCell((cell) => {
        cell.fill = openFill;
      });
      row.getCell(4).font = { bold: true, color: { argb: 'FF8A5A00' } };
    }
  }
  PARAMETER_COLUMNS.forEach((c, i) => {
    parameters.getColumn(i + 1).width = c.width;
  });

  const rows = tableRows(ruleSet);
  addTable(workbook, TABLES.legalBasis, rows.legalBasis);
  addTable(workbook, TABLES.parts, rows.parts);
  addTable(workbook, TABLES.bands, rows.bands);
  addTable(workbook, TABLES.levels, rows.levels);
  addTable(workbook, TABLES.checklist, rows.checklist);
  addTable(workbook, TABLES.notes, rows.notes);
  addHelp(workbook);
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------- import

const asList = (value: Raw): string[] =>
  value === null
    ? []
    : String(value)
        .split(/[;\n]/)
        .map((s) => s.trim())
        .filter(Boolean);

function asBoolean(value: Raw): unknown {
  if (value === null) return undefined;
  if (typeof value === 'boolean') return value;
  const folded = fold(String(value));
  if (YES.has(folded)) return true;
  if (NO.has(folded)) return false;
  return String(value);
}

const withoutUndefined = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

export type ParsedRuleSetWorkbook = {
  document: RuleSet;
  /** Cell address of a document path ("starBands.2.min" → "Hạng sao!B4"), or of its nearest part. */
  locate: (path: string) => string | undefined;
};

const messages = {
  notWorkbook: {
    vi: 'Tệp không phải sổ tính Excel (.xlsx) đọc được.',
    en: 'The file is not a readable Excel workbook (.xlsx).',
  },
  tooManyRows: {
    vi: `Trang có quá ${MAX_WORKBOOK_ROWS} dòng.`,
    en: `The worksheet has more than ${MAX_WORKBOOK_ROWS} rows.`,
  },
  missingWorksheet: (name: string) => ({
    vi: `Thiếu trang "${name}".`,
    en: `The worksheet "${name}" is missing.`,
  }),
  noHeader: (name: string, column: Label) => ({
    vi: `Trang "${name}" thiếu cột "${bilingual(column)}".`,
    en: `The worksheet "${name}" has no "${bilingual(column)}" column.`,
  }),
  missingRow: (name: string, label: Label) => ({
    vi: `Trang "${name}" thiếu dòng "${bilingual(label)}".`,
    en: `The worksheet "${name}" has no "${bilingual(label)}" row.`,
  }),
  twice: (label: string) => ({
    vi: `Nhãn "${label}" xuất hiện hai lần.`,
    en: `The label "${label}" appears twice.`,
  }),
  sourceMismatch: {
    vi: 'Hai dòng làm tròn điểm phải cùng một nguồn.',
    en: 'Both rounding rows must have the same source.',
  },
};

type ReadRow = { row: number; get: (key: string) => Raw };

/** Reads a workbook made from `buildRuleSetWorkbook` back into a rule-set document, or throws every problem with its cell. */
export async function parseRuleSetWorkbook(data: Buffer): Promise<ParsedRuleSetWorkbook> {
  let workbook: ExcelJS.Workbook;
  try {
    workbook = await loadWorkbook(data);
  } catch (error) {
    const message = error instanceof WorkbookTooLarge ? INFLATES_TOO_MUCH : messages.notWorkbook;
    throw new WorkbookError([{ cell: 'file', ...message }]);
  }
  const problems: CellMessage[] = [];
  const cells = new Map<string, string>();
  const byName = new Map(workbook.worksheets.map((ws) => [fold(ws.name), ws]));
  const at = (ws: ExcelJS.Worksheet, row: number, column: number) =>
    `${ws.name}!${ws.getCell(row, column).address}`;

  const worksheet = (name: string, optional = false): ExcelJS.Worksheet | undefined => {
    const ws = byName.get(fold(name));
    if (!ws) {
      if (!optional) problems.push({ cell: `${name}!A1`, ...messages.missingWorksheet(name) });
      return undefined;
    }
    if (ws.rowCount > MAX_WORKBOOK_ROWS) {
      problems.push({ cell: at(ws, 1, 1), ...messages.tooManyRows });
      return undefined;
    }
    return ws;
  };

  /** Label/value rows: label in column A, then the cells of the row. */
  const labelled = <K extends string>(
    ws: ExcelJS.Worksheet,
    entries: { key: K; vi: string; en: string }[],
  ) => {
    const match = labelMatcher(entries.map((e) => ({ value: e.key, label: e })));
    const found = new Map<K, number>();
    for (let r = 1; r <= ws.rowCount; r++) {
      const label = asText(cellValue(ws.getCell(r, 1)));
      if (!label) continue;
      const key = match(label);
      if (!key) continue;
      if (found.has(key)) {
        problems.push({ cell: at(ws, r, 1), ...messages.twice(label) });
        continue;
      }
      found.set(key, r);
    }
    for (const e of entries) {
      if (!found.has(e.key)) problems.push({ cell: `${ws.name}!A1`, ...messages.missingRow(ws.name, e) });
    }
    return found;
  };

  /** A table under a header row (the first row naming one of its columns): its data rows, with cells registered by path. */
  const table = (spec: TableSpec): ReadRow[] => {
    const ws = worksheet(spec.worksheet, spec.optional);
    if (!ws) return [];
    const match = labelMatcher(spec.columns.map((c) => ({ value: c.key, label: c })));
    let headerRow = 0;
    const columnOf = new Map<string, number>();
    for (let r = 1; r <= Math.min(ws.rowCount, 10) && !headerRow; r++) {
      for (let c = 1; c <= Math.max(ws.getRow(r).cellCount, spec.columns.length); c++) {
        const label = asText(cellValue(ws.getCell(r, c)));
        const key = label ? match(label) : undefined;
        if (key && !columnOf.has(key)) columnOf.set(key, c);
      }
      if (columnOf.size) headerRow = r;
    }
    let complete = true;
    for (const column of spec.columns) {
      if (column.required && !columnOf.has(column.key)) {
        problems.push({ cell: at(ws, headerRow || 1, 1), ...messages.noHeader(ws.name, column) });
        complete = false;
      }
    }
    if (!complete) return [];
    const rows: ReadRow[] = [];
    for (let r = headerRow + 1; r <= ws.rowCount; r++) {
      const get = (key: string) => {
        const column = columnOf.get(key);
        return column ? cellValue(ws.getCell(r, column)) : null;
      };
      if (spec.columns.every((c) => get(c.key) === null)) continue;
      const path = `${spec.path}.${rows.length}`;
      cells.set(path, at(ws, r, 1));
      for (const column of spec.columns) {
        const index = columnOf.get(column.key) ?? 1;
        for (const field of column.paths) cells.set(field ? `${path}.${field}` : path, at(ws, r, index));
      }
      rows.push({ row: r, get });
    }
    cells.set(spec.path, at(ws, rows[0]?.row ?? headerRow + 1, 1));
    return rows;
  };

  // Thông tin
  const raw: Record<string, unknown> = {};
  const infoWs = worksheet(RULE_SET_WORKSHEETS.info);
  const infoValueOf = new Map<InfoKey, Raw>();
  if (infoWs) {
    for (const [key, row] of labelled(infoWs, INFO)) {
      infoValueOf.set(key, cellValue(infoWs.getCell(row, 2)));
      cells.set(key, at(infoWs, row, 2));
    }
    cells.set('name', cells.get('name.vi') ?? '');
    cells.set('inForce', cells.get('inForce.from') ?? '');
  }
  const infoText = (key: InfoKey) => asText(infoValueOf.get(key) ?? null);
  Object.assign(raw, {
    schemaVersion: asNumber(infoValueOf.get('schemaVersion') ?? null),
    code: infoText('code') ?? '',
    name: asLocalized(infoText('name.vi'), infoText('name.en'), false),
    status: infoText('status'),
    taxonomyScheme: infoText('taxonomyScheme') ?? '',
    inForce: {
      from: infoText('inForce.from') ?? '',
      to: infoText('inForce.to') ?? null,
      source: infoText('inForce.source') ?? '',
    },
    recognisedFromStar: asNumber(infoValueOf.get('recognisedFromStar') ?? null),
  });

  // Tham số
  const parametersWs = worksheet(RULE_SET_WORKSHEETS.parameters);
  if (parametersWs) {
    const found = labelled(parametersWs, PARAMETERS);
    const value = (key: ParameterKey) => {
      const row = found.get(key);
      return row ? cellValue(parametersWs.getCell(row, 2)) : null;
    };
    const source = (key: ParameterKey) => {
      const row = found.get(key);
      return (row ? asText(cellValue(parametersWs.getCell(row, 3))) : undefined) ?? '';
    };
    for (const p of PARAMETERS) {
      const row = found.get(p.key);
      if (!row) continue;
      cells.set(p.path, at(parametersWs, row, 2));
      const parent = p.path.split('.')[0]!;
      if (!cells.has(`${parent}.source`) || p.key !== 'rounding.mode') {
        cells.set(`${parent}.source`, at(parametersWs, row, 3));
        cells.set(parent, at(parametersWs, row, 2));
      }
    }
    const modeRow = found.get('rounding.mode');
    const modeSource = modeRow ? asText(cellValue(parametersWs.getCell(modeRow, 3))) : undefined;
    if (modeRow && modeSource !== undefined && modeSource !== source('rounding.decimals')) {
      problems.push({ cell: at(parametersWs, modeRow, 3), ...messages.sourceMismatch });
    }
    Object.assign(raw, {
      rounding: {
        decimals: asNumber(value('rounding.decimals')),
        mode: asText(value('rounding.mode')) ?? '',
        source: source('rounding.decimals'),
      },
      minimumSheets: { value: asNumber(value('minimumSheets')) ?? null, source: source('minimumSheets') },
      requirementJudgement: {
        mode: asText(value('requirementJudgement')) ?? '',
        source: source('requirementJudgement'),
      },
      outlierDistance: { value: asNumber(value('outlierDistance')), source: source('outlierDistance') },
      certificateValidityMonths: {
        value: asNumber(value('certificateValidityMonths')),
        source: source('certificateValidityMonths'),
      },
      expiryNoticeDays: { value: asNumber(value('expiryNoticeDays')), source: source('expiryNoticeDays') },
      fieldVisitRequiredFor: {
        productSets: asList(value('fieldVisitRequiredFor')),
        source: source('fieldVisitRequiredFor'),
      },
    });
  }

  const text = (r: ReadRow, key: string) => asText(r.get(key));
  raw.legalBasis = table(TABLES.legalBasis).map((r) =>
    withoutUndefined({
      document: text(r, 'document') ?? '',
      date: text(r, 'date'),
      title: asLocalized(text(r, 'titleVi'), text(r, 'titleEn'), true),
      source: text(r, 'source') ?? '',
    }),
  );
  raw.parts = table(TABLES.parts).map((r) =>
    withoutUndefined({
      code: text(r, 'code') ?? '',
      name: asLocalized(text(r, 'nameVi'), text(r, 'nameEn'), true),
      maxPoints: asNumber(r.get('maxPoints')),
      source: text(r, 'source') ?? '',
    }),
  );
  raw.starBands = table(TABLES.bands).map((r) => ({
    star: asNumber(r.get('star')),
    min: asNumber(r.get('min')),
    max: asNumber(r.get('max')),
  }));
  raw.levels = table(TABLES.levels).map((r) => {
    const precheckSource = text(r, 'precheckSource');
    const precheckCodes = r.get('precheckCodes');
    const roundsSource = text(r, 'roundsSource');
    const perYear = r.get('roundsPerYear');
    const deadlines = r.get('roundsDeadlines');
    return withoutUndefined({
      level: text(r, 'level') ?? '',
      role: text(r, 'role') ?? '',
      authority: asLocalized(text(r, 'authorityVi'), text(r, 'authorityEn'), false),
      certifiesStars: asList(r.get('certifiesStars')).map((s) => asNumber(s)),
      forwardFromScore: asNumber(r.get('forwardFromScore')) ?? null,
      precheckCriteria:
        precheckSource !== undefined || precheckCodes !== null
          ? { codes: asList(precheckCodes), source: precheckSource ?? '' }
          : undefined,
      rounds:
        roundsSource !== undefined || perYear !== null || deadlines !== null
          ? {
              perYear: asNumber(perYear),
              // A deadline Excel turned into a date ("30/06" typed) reads back as its month and day.
              deadlines: asList(deadlines).map((d) => d.replace(/^\d{4}-(\d{2}-\d{2})$/, '$1')),
              source: roundsSource ?? '',
            }
          : undefined,
      source: text(r, 'source') ?? '',
    });
  });
  raw.checklist = table(TABLES.checklist).map((r) => ({
    code: text(r, 'code') ?? '',
    label: { vi: text(r, 'labelVi') ?? '', en: text(r, 'labelEn') ?? '' },
    required: asBoolean(r.get('required')),
    onlyProductSets: asList(r.get('onlyProductSets')),
    exceptProductSets: asList(r.get('exceptProductSets')),
    source: text(r, 'source') ?? '',
  }));
  raw.notes = table(TABLES.notes).map((r) => asLocalized(text(r, 'vi'), text(r, 'en'), false));

  if (problems.length) throw new WorkbookError(problems);

  const locate = (path: string): string | undefined => {
    const segments = path.split('.');
    for (let n = segments.length; n > 0; n--) {
      const found = cells.get(segments.slice(0, n).join('.'));
      if (found) return found;
    }
    return undefined;
  };

  const parsed = ruleSetSchema.safeParse(withoutUndefined(raw));
  if (!parsed.success) {
    throw new WorkbookError(
      describeIssues(parsed.error.issues, 'body').map((issue) => ({
        cell: locate(issue.path) ?? `${RULE_SET_WORKSHEETS.info}!A1`,
        vi: `${issue.path}: ${issue.vi}`,
        en: `${issue.path}: ${issue.en}`,
      })),
    );
  }
  return { document: parsed.data, locate };
}
