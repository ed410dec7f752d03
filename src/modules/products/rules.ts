/**
 * Pure rules of the products capability: GTIN check digits, the standards vocabulary, the product
 * status derived from its records, and what an uploaded photo must be. No I/O here.
 */
import { localDate } from '../../shared/dates';

// ---------- GTIN (GS1 General Specifications, mod-10 check digit) ----------

/** The GS1 mod-10 check digit of a digit string without its check digit (GTIN, GLN, SSCC alike). */
export function gs1CheckDigit(digitsWithoutCheck: string): number {
  let sum = 0;
  // Weights 3,1,3,1… from the right, starting with the digit just left of the check digit.
  for (let i = 0; i < digitsWithoutCheck.length; i++) {
    const digit = digitsWithoutCheck.charCodeAt(digitsWithoutCheck.length - 1 - i) - 48;
    sum += digit * (i % 2 === 0 ? 3 : 1);
  }
  return (10 - (sum % 10)) % 10;
}

/** True when the last digit of an all-digit GS1 key is its correct check digit. */
export function hasValidGs1CheckDigit(value: string): boolean {
  if (!/^\d{2,}$/.test(value)) return false;
  return gs1CheckDigit(value.slice(0, -1)) === Number(value.at(-1));
}

export const GTIN_LENGTHS = [8, 12, 13, 14] as const;

export type GtinProblem = 'format' | 'checkDigit';

/** Why a GTIN (8, 12, 13 or 14 digits) is not valid, or null when it is. */
export function gtinProblem(value: string): GtinProblem | null {
  if (!/^\d+$/.test(value) || !(GTIN_LENGTHS as readonly number[]).includes(value.length)) return 'format';
  return hasValidGs1CheckDigit(value) ? null : 'checkDigit';
}

// ---------- standards and certifications ----------

/**
 * Standards and certifications a product declares (the dossier's quality evidence). Anything else goes
 * into the product's free-text "other standards".
 */
export const STANDARDS = [
  { code: 'VIETGAP', vi: 'VietGAP', en: 'VietGAP' },
  { code: 'VIETGAHP', vi: 'VietGAHP (chăn nuôi)', en: 'VietGAHP (livestock)' },
  { code: 'GLOBALGAP', vi: 'GlobalG.A.P.', en: 'GlobalG.A.P.' },
  { code: 'ORGANIC', vi: 'Hữu cơ (TCVN 11041)', en: 'Organic (TCVN 11041)' },
  {
    code: 'ORGANIC_INTL',
    vi: 'Hữu cơ quốc tế (EU, USDA, JAS…)',
    en: 'International organic (EU, USDA, JAS…)',
  },
  { code: 'HACCP', vi: 'HACCP', en: 'HACCP' },
  { code: 'ISO_22000', vi: 'ISO 22000', en: 'ISO 22000' },
  { code: 'FSSC_22000', vi: 'FSSC 22000', en: 'FSSC 22000' },
  { code: 'ISO_9001', vi: 'ISO 9001', en: 'ISO 9001' },
  { code: 'GMP', vi: 'GMP', en: 'GMP' },
  { code: 'TCCS', vi: 'Tiêu chuẩn cơ sở công bố áp dụng (TCCS)', en: 'Declared standard (company standard)' },
  { code: 'SELF_DECLARATION', vi: 'Tự công bố sản phẩm', en: 'Product self-declaration' },
] as const;

export type StandardCode = (typeof STANDARDS)[number]['code'];
export const STANDARD_CODES = STANDARDS.map((s) => s.code) as [StandardCode, ...StandardCode[]];

// ---------- product status ----------

export const PRODUCT_STATUSES = ['draft', 'registered', 'certified', 'expired', 'revoked'] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

export const productStatusLabels: Record<ProductStatus, { vi: string; en: string }> = {
  draft: { vi: 'Nháp', en: 'Draft' },
  registered: { vi: 'Đã đăng ký', en: 'Registered' },
  certified: { vi: 'Đã công nhận (còn hiệu lực)', en: 'Certified' },
  expired: { vi: 'Hết hiệu lực', en: 'Expired' },
  revoked: { vi: 'Bị thu hồi', en: 'Revoked' },
};

/** A certificate as the status rule needs it. Legal dates are 'YYYY-MM-DD' (a decision's date, not an instant). */
export type CertificateFacts = {
  validFrom: string;
  /** Last day of validity, inclusive (36 months from the decision). */
  validTo: string;
  /** Effective date of the revocation decision, if any. */
  revokedAt: string | null;
  /** Set when a later record corrects this one; the corrected record then says nothing on its own. */
  supersededBy?: string | null;
};

export type ProductRecordFacts = {
  registeredAt: Date | null;
  archivedAt: Date | null;
  certificates: readonly CertificateFacts[];
};

/**
 * The status of a product on a given day, derived from its records and never typed by hand:
 * - certified: a certificate in force that day (validFrom ≤ day ≤ validTo, not revoked by then);
 * - otherwise the latest certificate already started decides: revoked if it was revoked by then,
 *   else expired (a certificate lapses when the producer does not re-apply);
 * - otherwise registered once the product was registered into the registry on or before that day,
 *   else draft. A certificate dated in the future does not count yet.
 * Archiving is deliberately not a status: it hides a product from working lists but rewrites no
 * legal fact, so an archived product with a certificate in force is still certified.
 * `today` is 'YYYY-MM-DD' in the programme's time zone, so the rule also answers "status on 31/12/2024".
 */
export function deriveProductStatus(
  record: ProductRecordFacts,
  today: string,
  timeZone = 'Asia/Ho_Chi_Minh',
): ProductStatus {
  const started = record.certificates.filter((c) => !c.supersededBy && c.validFrom <= today);
  const revokedBy = (c: CertificateFacts) => c.revokedAt !== null && c.revokedAt <= today;
  if (started.some((c) => c.validTo >= today && !revokedBy(c))) return 'certified';
  if (started.length > 0) {
    const latest = [...started].sort(
      (a, b) => b.validFrom.localeCompare(a.validFrom) || b.validTo.localeCompare(a.validTo),
    )[0]!;
    return revokedBy(latest) ? 'revoked' : 'expired';
  }
  if (record.registeredAt && localDate(record.registeredAt, timeZone) <= today) return 'registered';
  return 'draft';
}

// ---------- photos ----------

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

/**
 * The image type from the file's first bytes (JPEG, PNG, WebP only), or null. The name and the
 * declared content type of an upload are never trusted: a ".jpg" may be HTML or a PDF.
 */
export function sniffImageType(bytes: Uint8Array): ImageType | null {
  const starts = (signature: readonly number[], at = 0) =>
    bytes.length >= at + signature.length && signature.every((b, i) => bytes[at + i] === b);
  if (starts([0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (starts([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  // RIFF....WEBP
  if (starts([0x52, 0x49, 0x46, 0x46]) && starts([0x57, 0x45, 0x42, 0x50], 8)) return 'image/webp';
  return null;
}

export const PHOTO_LIMITS = {
  maxPhotosPerProduct: 10,
  /** Longest edge of the stored original; larger photos are scaled down, smaller ones kept. */
  fullMaxEdge: 2000,
  thumbMaxEdge: 320,
  jpegQuality: 85,
} as const;

export type PhotoProblem = 'empty' | 'tooLarge' | 'notAnImage';

/** What is wrong with an upload before decoding, or null. `maxBytes` comes from the configuration. */
export function photoUploadProblem(bytes: Uint8Array, maxBytes: number): PhotoProblem | null {
  if (bytes.length === 0) return 'empty';
  if (bytes.length > maxBytes) return 'tooLarge';
  return sniffImageType(bytes) ? null : 'notAnImage';
}

// ---------- craft villages ----------

/** Craft villages are recognised by a province decision; a year before 1950 or in the future is a typing error. */
export function recognitionYearProblem(year: number, today: string): 'range' | null {
  const currentYear = Number(today.slice(0, 4));
  return year < 1950 || year > currentYear ? 'range' : null;
}
