import { foldAccents } from '../../shared/text';

/**
 * Pure rules of importing a province's existing OCOP registry (a spreadsheet kept by hand):
 * finding the header (one row, or two when a parent cell is merged across its sub-columns),
 * suggesting which column holds which field from the folded header text, reading cells the way
 * registries write them (dates as text, ISO or Excel serials; stars as "4 sao", "4★", "Bốn sao"),
 * and the keys that make a re-import update instead of duplicate. No I/O here.
 */

export type Cell = string | number | boolean | Date | null;
export type Grid = Cell[][];

export const IMPORT_FIELDS = [
  'productName',
  'subjectName',
  'subjectType',
  'category',
  'star',
  'certificateNumber',
  'decisionNumber',
  'decisionDate',
  'validTo',
  'issuer',
  'address',
  'commune',
  'district',
  'province',
  /** The current (post-2025) commune, when the registry adds it beside the old address. */
  'currentCommune',
  'taxCode',
  'legalRepresentative',
] as const;
export type ImportField = (typeof IMPORT_FIELDS)[number];
export type Mapping = Partial<Record<ImportField, number>>;

/** Without these a row cannot become a certificate at all. */
export const REQUIRED_FIELDS: readonly ImportField[] = ['productName', 'subjectName', 'star', 'decisionDate'];

// ---------- cells ----------

export function cellText(cell: Cell): string {
  if (cell === null) return '';
  if (cell instanceof Date) return Number.isNaN(cell.getTime()) ? '' : cell.toISOString().slice(0, 10);
  return String(cell).replace(/\s+/g, ' ').trim();
}

/** Folded for comparison: no accents, lower case, punctuation as spaces ("Số QĐ/Ngày" → "so qd ngay"). */
export function fold(value: string): string {
  return foldAccents(value)
    .replace(/[^a-z0-9★*]+/g, ' ')
    .trim();
}

// ---------- header ----------

/** Identifies a template: the same folded header labels in the same order. */
export function headerSignature(labels: readonly string[]): string {
  return labels.map(fold).join('|');
}

// ---------- values ----------

export type Problem = { field: ImportField | 'row'; code: string };

const EXCEL_EPOCH_MS = Date.UTC(1899, 11, 30);
const pad = (n: number) => String(n).padStart(2, '0');

function isoOf(year: number, month: number, day: number): string | null {
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  if (year < 1990 || year > 2100) return null;
  return `${year}-${pad(month)}-${pad(day)}`;
}

/**
 * A legal date from a cell: a Date (spreadsheet date cell), an Excel serial (days since 1899-12-30,
 * as Excel counts), "dd/mm/yyyy" (also with - or .), or ISO "yyyy-mm-dd". Day first, as Vietnam writes.
 */
export function parseDate(cell: Cell): string | null {
  if (cell instanceof Date) {
    return Number.isNaN(cell.getTime())
      ? null
      : isoOf(cell.getUTCFullYear(), cell.getUTCMonth() + 1, cell.getUTCDate());
  }
  const text = cellText(cell);
  if (!text) return null;
  if (typeof cell === 'number' || /^\d{5}(\.\d+)?$/.test(text)) {
    const serial = Math.floor(Number(text));
    const date = new Date(EXCEL_EPOCH_MS + serial * 86_400_000);
    return isoOf(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
  }
  const iso = /^(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ].*)?$/.exec(text);
  if (iso) return isoOf(Number(iso[1]), Number(iso[2]), Number(iso[3]));
  const dmy = /^(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})$/.exec(text);
  if (dmy) return isoOf(Number(dmy[3]), Number(dmy[2]), Number(dmy[1]));
  return null;
}

const STAR_WORDS: Record<string, number> = { mot: 1, hai: 2, ba: 3, bon: 4, tu: 4, nam: 5 };

/** Stars as registries write them: 4, "4", "4 sao", "4★", "4*", "★★★★", "Bốn sao", "Hạng 4 sao". */
export function parseStar(cell: Cell): number | null {
  if (typeof cell === 'number') return Number.isInteger(cell) ? cell : null;
  const text = cellText(cell);
  if (!text) return null;
  const glyphs = text.replace(/\s/g, '');
  if (/^[★☆*]+$/.test(glyphs) && /★|\*/.test(glyphs)) return (glyphs.match(/[★*]/g) ?? []).length;
  const folded = foldAccents(text).replace(/\s+/g, ' ');
  const digit = /^(?:hang\s*)?(\d)\s*(?:sao|★|\*|s)?$/.exec(folded);
  if (digit) return Number(digit[1]);
  const word = /^(?:hang\s*)?([a-z]+)\s*sao$/.exec(folded);
  if (word) return STAR_WORDS[word[1]!] ?? null;
  return null;
}

/** The subject type codes of src/modules/subjects/rules.ts, read from the words registries use. */
const SUBJECT_TYPE_WORDS: readonly [string, RegExp][] = [
  ['cooperative_group', /\b(to hop tac|thht)\b/],
  ['cooperative', /\b(htx|hop tac xa|lien hiep htx|lien hiep hop tac xa)\b/],
  // Enterprises of unknown size are classed as SMEs, as nearly all OCOP enterprises are.
  ['sme', /\b(cong ty|cty|tnhh|co phan|doanh nghiep|dntn)\b/],
  [
    'household_business',
    /\b(ho kinh doanh|hkd|ho gia dinh|ho san xuat|co so san xuat|ca the|ho ong|ho ba)\b/,
  ],
  ['farm', /\btrang trai\b/],
  ['association', /\b(hiep hoi|hoi)\b/],
];

/** A subject type from its column, or from the subject's name ("HTX Nông nghiệp…") when the column is empty. */
export function parseSubjectType(typeCell: Cell, subjectName: string): string | null {
  for (const source of [cellText(typeCell), subjectName]) {
    const folded = fold(source);
    if (!folded) continue;
    for (const [code, pattern] of SUBJECT_TYPE_WORDS) if (pattern.test(folded)) return code;
  }
  return null;
}

export type IssuerReading = { name: string; level: 'district' | 'province' | 'central' };

/** Cities governed by the centre are provinces; any other "thành phố" was district-level. */
const CENTRAL_CITIES = /\b(thanh pho|tp) (ha noi|ho chi minh|hcm|hai phong|da nang|can tho|hue)\b/;

/** Who issued the decision, and at which level: district People's Committees issued 3★ under 148/QĐ-TTg. */
export function parseIssuer(cell: Cell): IssuerReading | null {
  const name = cellText(cell);
  if (!name) return null;
  const folded = fold(name);
  if (/\b(bo|thu tuong|chinh phu|trung uong)\b/.test(folded)) return { name, level: 'central' };
  if (/\b(huyen|quan|thi xa)\b/.test(folded)) return { name, level: 'district' };
  if (/\btinh\b/.test(folded) || CENTRAL_CITIES.test(folded)) return { name, level: 'province' };
  // "UBND thành phố Nam Định" was a city under a province: a district-level unit.
  if (/\b(thanh pho|tp)\b/.test(folded)) return { name, level: 'district' };
  return { name, level: 'province' };
}

export type AddressParts = { province?: string; district?: string; commune?: string };

const COMMUNE_WORDS = /^(xa|phuong|thi tran|tt|p|x)\b/;
const DISTRICT_WORDS = /^(huyen|quan|thi xa|h|q|tx)\b/;
const PROVINCE_WORDS = /^(tinh|t)\b/;

/**
 * Splits "Thôn Đông, xã Kim Chính, huyện Kim Sơn, tỉnh Ninh Bình" into its units by their type
 * words; "thành phố" is read as a province when it is the last part and as a district otherwise.
 */
export function splitAddress(address: string): AddressParts {
  const parts = address
    .split(/[,;]/)
    .map((p) => p.trim())
    .filter(Boolean);
  const out: AddressParts = {};
  parts.forEach((part, i) => {
    const folded = fold(part);
    const last = i === parts.length - 1;
    if (!out.commune && COMMUNE_WORDS.test(folded)) out.commune = part;
    else if (!out.district && DISTRICT_WORDS.test(folded)) out.district = part;
    else if (!out.province && PROVINCE_WORDS.test(folded)) out.province = part;
    else if (/^(thanh pho|tp)\b/.test(folded)) {
      if (last && !out.province) out.province = part;
      else if (!out.district) out.district = part;
    }
  });
  return out;
}

/**
 * The legal framework a historic decision was made under, from its date (DOMAIN.md: 1048 until
 * 148 of 24/02/2023; 1489 of 06/07/2025 removed the district level; 26/2026 from 22/05/2026).
 */
export function ruleSetForDecision(date: string): string {
  if (date < '2023-02-24') return '1048-2019';
  if (date < '2025-07-06') return '148-2023';
  if (date < '2026-05-22') return '148-1489-2025';
  return '26-2026';
}

/**
 * The rule-set of a row: its decision's, or for a year-only recognition the one in force at that
 * year's end (its issuer levels and validity are what an officer of that year applied last); null
 * when the row has neither.
 */
export function ruleSetForRow(values: Pick<RowValues, 'decisionDate' | 'recognitionYear'>): string | null {
  if (values.decisionDate) return ruleSetForDecision(values.decisionDate);
  return values.recognitionYear ? ruleSetForDecision(`${values.recognitionYear}-12-31`) : null;
}

// The class a written group or set names is matched in matching.ts (matchCategory): by set number,
// exact name or a synonym of data/import-synonyms.json — never by prefix, which once read "Đồ uống"
// as "Đồ uống có cồn khác".

// ---------- rows ----------

export type RowValues = {
  productName: string;
  subjectName: string;
  subjectType: string | null;
  category: string;
  star: number | null;
  certificateNumber: string;
  decisionNumber: string;
  decisionDate: string | null;
  validTo: string | null;
  issuer: IssuerReading | null;
  address: string;
  commune: string;
  district: string;
  province: string;
  /** Absent in rows read before the column existed. */
  currentCommune?: string;
  /** The year when the registry gives only the year (the decision date then stays null); absent otherwise. */
  recognitionYear?: number;
  taxCode: string;
  legalRepresentative: string;
};

export type RowReading = { values: RowValues; errors: Problem[]; warnings: Problem[]; empty: boolean };

/** Reads one data row through the mapping; problems are named per field, never thrown. */
export function readRow(cells: readonly Cell[], mapping: Mapping): RowReading {
  const at = (field: ImportField): Cell => {
    const index = mapping[field];
    return index === undefined ? null : (cells[index] ?? null);
  };
  const textOf = (field: ImportField) => cellText(at(field));
  const errors: Problem[] = [];
  const warnings: Problem[] = [];
  const empty = cells.every((c) => cellText(c) === '');
  const subjectName = textOf('subjectName');
  const values: RowValues = {
    productName: textOf('productName'),
    subjectName,
    subjectType: parseSubjectType(at('subjectType'), subjectName),
    category: textOf('category'),
    star: parseStar(at('star')),
    certificateNumber: textOf('certificateNumber'),
    decisionNumber: textOf('decisionNumber'),
    decisionDate: parseDate(at('decisionDate')),
    validTo: parseDate(at('validTo')),
    issuer: parseIssuer(at('issuer')),
    address: textOf('address'),
    commune: textOf('commune'),
    district: textOf('district'),
    province: textOf('province'),
    currentCommune: textOf('currentCommune'),
    taxCode: textOf('taxCode').replace(/\s/g, ''),
    legalRepresentative: textOf('legalRepresentative'),
  };
  if (empty) return { values, errors, warnings, empty };
  for (const field of ['productName', 'subjectName'] as const) {
    if (!values[field]) errors.push({ field, code: 'missing' });
  }
  if (!textOf('star')) errors.push({ field: 'star', code: 'missing' });
  else if (values.star === null) errors.push({ field: 'star', code: 'unreadable' });
  else if (values.star < 3 || values.star > 5) errors.push({ field: 'star', code: 'notCertified' });
  if (!textOf('decisionDate')) errors.push({ field: 'decisionDate', code: 'missing' });
  else if (values.decisionDate === null) errors.push({ field: 'decisionDate', code: 'unreadable' });
  if (textOf('validTo') && values.validTo === null) errors.push({ field: 'validTo', code: 'unreadable' });
  if (values.decisionDate && values.validTo && values.validTo < values.decisionDate)
    errors.push({ field: 'validTo', code: 'beforeDecision' });
  if (!textOf('issuer')) errors.push({ field: 'issuer', code: 'missing' });
  else if (!values.issuer) errors.push({ field: 'issuer', code: 'levelUnknown' });
  if (!values.subjectType)
    errors.push({ field: 'subjectType', code: textOf('subjectType') ? 'unknown' : 'missing' });
  if (!values.category) errors.push({ field: 'category', code: 'missing' });
  if (!values.decisionNumber) warnings.push({ field: 'decisionNumber', code: 'missing' });
  if (!values.address && !values.commune) errors.push({ field: 'address', code: 'missing' });
  if (!values.legalRepresentative) warnings.push({ field: 'legalRepresentative', code: 'missing' });
  return { values, errors, warnings, empty };
}

/** Two rows with the same fingerprint say the same thing: the second is reported as a duplicate. */
export function rowFingerprint(values: RowValues): string {
  return [
    values.productName,
    values.subjectName,
    values.star ?? '',
    values.certificateNumber,
    values.decisionNumber,
    values.decisionDate ?? values.recognitionYear ?? '',
    values.validTo ?? '',
    values.address,
    values.commune,
    values.district,
  ]
    .map((v) => fold(String(v)))
    .join('|');
}

/**
 * What a row is, across imports: the certificate number when the registry has one, else the
 * decision number and product name (a decision lists many products), else subject and product
 * (warned as missing a decision number). Scoped by province: numbers repeat across provinces.
 */
export function sourceRefOf(provinceCode: string, values: RowValues): string {
  if (values.certificateNumber) return `${provinceCode}:gcn:${fold(values.certificateNumber)}`;
  if (values.decisionNumber)
    return `${provinceCode}:qd:${fold(values.decisionNumber)}:${fold(values.productName)}`;
  return `${provinceCode}:sp:${fold(values.subjectName)}:${fold(values.productName)}`;
}
