import { foldAccents } from '../../shared/text';

/**
 * Pure rules about subjects ("chủ thể"): the kinds a province records, the identifiers they carry
 * and the consistency of what is recorded. No I/O; the web forms use these too.
 */
export type Label = { vi: string; en: string };

// ---------- subject types ----------

export const SUBJECT_TYPE_CODES = [
  'cooperative',
  'cooperative_group',
  'sme',
  'other_enterprise',
  'household_business',
  'farm',
  'association',
  'tourism_operator',
] as const;
export type SubjectType = (typeof SUBJECT_TYPE_CODES)[number];

export type SubjectTypeInfo = Label & {
  code: SubjectType;
  /** An enterprise's registration number (mã số doanh nghiệp) is its tax code (Law on Enterprises 2020, art. 29). */
  enterprise: boolean;
  /**
   * Run by a person or household: since 01/07/2025 the representative's 12-digit personal
   * identification number serves as its tax code (Circular 86/2024/TT-BTC), next to older 10-digit codes.
   */
  personal: boolean;
};

export const SUBJECT_TYPES: readonly SubjectTypeInfo[] = [
  { code: 'cooperative', vi: 'Hợp tác xã', en: 'Cooperative', enterprise: false, personal: false },
  {
    code: 'cooperative_group',
    vi: 'Tổ hợp tác',
    en: 'Cooperative group',
    enterprise: false,
    personal: false,
  },
  {
    code: 'sme',
    vi: 'Doanh nghiệp nhỏ và vừa',
    en: 'Small or medium enterprise',
    enterprise: true,
    personal: false,
  },
  {
    code: 'other_enterprise',
    vi: 'Doanh nghiệp khác',
    en: 'Other enterprise',
    enterprise: true,
    personal: false,
  },
  {
    code: 'household_business',
    vi: 'Hộ kinh doanh có đăng ký',
    en: 'Registered household business',
    enterprise: false,
    personal: true,
  },
  { code: 'farm', vi: 'Trang trại', en: 'Farm', enterprise: false, personal: true },
  { code: 'association', vi: 'Hội, hiệp hội', en: 'Association', enterprise: false, personal: false },
  {
    code: 'tourism_operator',
    vi: 'Đơn vị kinh doanh du lịch',
    en: 'Tourism operator',
    enterprise: false,
    personal: false,
  },
];

/** Undefined for a code no longer (or never) in the list, e.g. on imported records. */
export function subjectTypeInfo(code: string): SubjectTypeInfo | undefined {
  return SUBJECT_TYPES.find((t) => t.code === code);
}

// ---------- sales channels ----------

export const SALES_CHANNEL_CODES = [
  'supermarket',
  'convenience_store',
  'ecommerce',
  'export',
  'showroom',
  'traditional_market',
] as const;
export type SalesChannelKind = (typeof SALES_CHANNEL_CODES)[number];

export type SalesChannelInfo = Label & {
  code: SalesChannelKind;
  /** The channel means little without where it is (the shop's address on the platform). */
  requiresDetail: boolean;
  /** Counts towards the programme's "≥ 50% of subjects in modern channels" target (919/QĐ-TTg). */
  modern: boolean;
  detailLabel: Label;
};

export const SALES_CHANNELS: readonly SalesChannelInfo[] = [
  {
    code: 'supermarket',
    vi: 'Siêu thị',
    en: 'Supermarket',
    requiresDetail: false,
    modern: true,
    detailLabel: { vi: 'Tên siêu thị', en: 'Supermarket name' },
  },
  {
    code: 'convenience_store',
    vi: 'Cửa hàng tiện lợi',
    en: 'Convenience store',
    requiresDetail: false,
    modern: true,
    detailLabel: { vi: 'Tên chuỗi cửa hàng', en: 'Store chain' },
  },
  {
    code: 'ecommerce',
    vi: 'Sàn thương mại điện tử',
    en: 'E-commerce platform',
    requiresDetail: true,
    modern: true,
    detailLabel: { vi: 'Địa chỉ gian hàng', en: 'Shop address' },
  },
  {
    code: 'export',
    vi: 'Xuất khẩu',
    en: 'Export',
    requiresDetail: false,
    modern: false,
    detailLabel: { vi: 'Thị trường', en: 'Markets' },
  },
  {
    code: 'showroom',
    vi: 'Điểm giới thiệu và bán sản phẩm OCOP',
    en: 'OCOP showroom',
    requiresDetail: false,
    modern: false,
    detailLabel: { vi: 'Địa điểm', en: 'Location' },
  },
  {
    code: 'traditional_market',
    vi: 'Chợ truyền thống',
    en: 'Traditional market',
    requiresDetail: false,
    modern: false,
    detailLabel: { vi: 'Tên chợ', en: 'Market name' },
  },
];

export const MAX_SALES_CHANNELS = 20;

export function salesChannelInfo(code: string): SalesChannelInfo | undefined {
  return SALES_CHANNELS.find((c) => c.code === code);
}

// ---------- gender ----------

export const GENDER_CODES = ['female', 'male', 'other'] as const;
export type Gender = (typeof GENDER_CODES)[number];
export const GENDERS: readonly (Label & { code: Gender })[] = [
  { code: 'female', vi: 'Nữ', en: 'Female' },
  { code: 'male', vi: 'Nam', en: 'Male' },
  { code: 'other', vi: 'Khác', en: 'Other' },
];

// ---------- tax code (mã số thuế) ----------

/** Weights of the check digit of a 10-digit tax code (Circular 105/2020/TT-BTC structure N1…N10). */
const TAX_CODE_WEIGHTS = [31, 29, 23, 19, 17, 13, 7, 5, 3];

/** The 10th digit for the first nine, or null when the formula gives 10: no valid code starts so. */
export function taxCodeCheckDigit(firstNine: string): number | null {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(firstNine[i]) * TAX_CODE_WEIGHTS[i]!;
  const digit = 10 - (sum % 11);
  return digit === 10 ? null : digit;
}

export const TAX_CODE_PATTERN = /^\d{10}(-\d{3})?$/;
/** 12-digit personal identification number: birth-province code 001–096, then 9 digits. */
export const PERSONAL_ID_PATTERN = /^(0[0-8]\d|09[0-6])\d{9}$/;

export type TaxCodeProblem = 'format' | 'checkDigit';

/** Checks a tax code's shape and its check digit; the three-digit branch suffix has none. */
export function checkTaxCode(code: string): TaxCodeProblem | null {
  if (!TAX_CODE_PATTERN.test(code)) return 'format';
  return taxCodeCheckDigit(code.slice(0, 9)) === Number(code[9]) ? null : 'checkDigit';
}

/** What a subject may give as tax code: a checked MST, or for persons also a personal ID number. */
export function checkSubjectTaxCode(code: string): TaxCodeProblem | null {
  if (PERSONAL_ID_PATTERN.test(code)) return null;
  return checkTaxCode(code);
}

// ---------- business registration number ----------

/**
 * Registration numbers of households and cooperatives are issued locally in many shapes
 * ("27A8012345", "07.05.000123", "0107/HKD"): letters, digits and . / - up to 20 characters,
 * with at least one digit. Spaces are dropped and letters upper-cased so equal numbers compare equal.
 */
export const REGISTRATION_NO_PATTERN = /^(?=.*\d)[A-Z0-9][A-Z0-9./-]{0,19}$/;

export function normaliseRegistrationNo(raw: string): string {
  return raw.replace(/\s+/g, '').toUpperCase();
}

// ---------- contacts ----------

/** Vietnamese numbers: 10-digit mobiles, 11-digit landlines (02x…), 1800/1900 lines; "+84" for the leading 0. */
export function normalisePhone(raw: string): string | null {
  const trimmed = raw.trim();
  if (!/^\+?[\d\s.()-]{4,24}$/.test(trimmed)) return null;
  let digits = trimmed.replace(/[^\d]/g, '');
  if (trimmed.startsWith('+')) {
    if (!digits.startsWith('84')) return null;
    digits = `0${digits.slice(2)}`;
  }
  if (/^0\d{9,10}$/.test(digits) || /^(1800|1900)\d{4,6}$/.test(digits)) return digits;
  return null;
}

export function isWebAddress(raw: string): boolean {
  try {
    const url = new URL(raw);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.includes('.');
  } catch {
    return false;
  }
}

// ---------- the record as a whole ----------

export const MAX_WORKFORCE = 1_000_000;

/** Codes are strings here: a stored record may carry a code the lists no longer have. */
export type SubjectFacts = {
  type: string;
  taxCode: string | null;
  businessRegistrationNo: string | null;
  workforceTotal: number | null;
  workforceLocal: number | null;
  workforceTrained: number | null;
  salesChannels: readonly { kind: string; detail?: string | null | undefined }[];
};

/** A field path and the key of its message in `validationMessages`. */
export type SubjectProblem = { path: string; message: string };

/**
 * Rules across fields, checked on the whole record after a create or an update is merged:
 * - the type and channel kinds are in the current lists (an old record is corrected when edited);
 * - a 12-digit personal ID is a tax code only for subjects run by a person (household, farm);
 * - an enterprise has a tax code (unless imported, see `SubjectOrigin`), and its registration number is that code;
 * - local and trained workers are part of the workforce, so neither exceeds the total;
 * - e-commerce names the shop; the same channel is not listed twice.
 */
/**
 * Where a record comes from. A person at the form must give an enterprise's tax code; a registry
 * import may not have it (published registries carry none): the subject is then written without
 * it and the import lists it as incomplete ('taxCode') for an officer to complete.
 */
export type SubjectOrigin = 'form' | 'import';

export function checkSubjectFacts(facts: SubjectFacts, origin: SubjectOrigin = 'form'): SubjectProblem[] {
  const problems: SubjectProblem[] = [];
  const info = subjectTypeInfo(facts.type);
  if (!info) problems.push({ path: 'type', message: 'subject.type.unknown' });
  if (facts.taxCode && PERSONAL_ID_PATTERN.test(facts.taxCode) && !info?.personal) {
    problems.push({ path: 'taxCode', message: 'subject.taxCode.personalIdType' });
  }
  if (info?.enterprise) {
    if (!facts.taxCode) {
      if (origin === 'form')
        problems.push({ path: 'taxCode', message: 'subject.taxCode.enterpriseRequired' });
    } else if (facts.businessRegistrationNo && facts.businessRegistrationNo !== facts.taxCode) {
      problems.push({
        path: 'businessRegistrationNo',
        message: 'subject.registration.enterpriseEqualsTaxCode',
      });
    }
  }
  const { workforceTotal: total, workforceLocal: local, workforceTrained: trained } = facts;
  if (total === null && (local !== null || trained !== null)) {
    problems.push({ path: 'workforceTotal', message: 'subject.workforce.totalRequired' });
  }
  if (total !== null && local !== null && local > total) {
    problems.push({ path: 'workforceLocal', message: 'subject.workforce.localAboveTotal' });
  }
  if (total !== null && trained !== null && trained > total) {
    problems.push({ path: 'workforceTrained', message: 'subject.workforce.trainedAboveTotal' });
  }
  const seen = new Set<string>();
  facts.salesChannels.forEach((channel, index) => {
    const detail = channel.detail?.trim() ?? '';
    const kind = salesChannelInfo(channel.kind);
    if (!kind)
      problems.push({ path: `salesChannels.${index}.kind`, message: 'subject.salesChannel.unknown' });
    if (kind?.requiresDetail && detail === '') {
      problems.push({
        path: `salesChannels.${index}.detail`,
        message: 'subject.salesChannel.detailRequired',
      });
    }
    const key = `${channel.kind}|${foldAccents(detail)}`;
    if (seen.has(key))
      problems.push({ path: `salesChannels.${index}`, message: 'subject.salesChannel.duplicate' });
    seen.add(key);
  });
  return problems;
}

/** The registration number a record stores: an enterprise's is its tax code when none is given. */
export function effectiveRegistrationNo(
  facts: Pick<SubjectFacts, 'type' | 'taxCode' | 'businessRegistrationNo'>,
) {
  if (facts.businessRegistrationNo) return facts.businessRegistrationNo;
  return subjectTypeInfo(facts.type)?.enterprise ? facts.taxCode : null;
}

/** Whether any listed channel is a modern one (supermarket, convenience store, e-commerce). */
export function usesModernChannel(channels: readonly { kind: string }[]): boolean {
  return channels.some((c) => salesChannelInfo(c.kind)?.modern === true);
}
