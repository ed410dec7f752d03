import type { Message } from '../../server/errors';
import { localDate } from '../../shared/dates';
import type { CertificateFacts } from '../products/contract';

/**
 * Pure rules of OCOP certificates: numbering, validity dates, the status derived from the records
 * and a day, versions (corrections) and supersession (re-recognition, upgrade). No I/O here.
 *
 * Legal dates ('YYYY-MM-DD') are calendar days of the programme's time zone (Asia/Ho_Chi_Minh);
 * an instant becomes a day through `localDate`, so a certificate valid to 31/12 is still valid at
 * 23:59:59 in Hà Nội (16:59:59Z) and has expired one second later.
 */

// ---------------------------------------------------------------- statuses

export const CERTIFICATE_STATUSES = [
  'pending',
  'valid',
  'expiring',
  'expired',
  'revoked',
  'superseded',
  'date_unknown',
] as const;
export type CertificateStatus = (typeof CERTIFICATE_STATUSES)[number];

export const certificateStatusLabels: Record<CertificateStatus, Message> = {
  pending: { vi: 'Chưa đến ngày hiệu lực', en: 'Not yet in force' },
  valid: { vi: 'Còn hiệu lực', en: 'Valid' },
  expiring: { vi: 'Sắp hết hiệu lực', en: 'Expiring soon' },
  expired: { vi: 'Hết hiệu lực', en: 'Expired' },
  revoked: { vi: 'Đã bị thu hồi', en: 'Revoked' },
  superseded: { vi: 'Đã được thay thế', en: 'Superseded' },
  date_unknown: { vi: 'Không rõ — cần ngày quyết định', en: 'Unknown — needs the decision date' },
};

/** Days left at or below which a valid certificate shows as expiring [law: notice ≥ 30 days; the programme watches 90]. */
export const DEFAULT_EXPIRING_DAYS = 90;

/** The facts of one certificate (its current version) the status needs. */
export type StatusFacts = {
  /** Null (with `validTo`) for an imported record whose registry gave only the recognition year. */
  validFrom: string | null;
  /** Last day of validity, inclusive. */
  validTo: string | null;
  /** Date of the revocation decision of this certificate (any of its versions), if any. */
  revokedOn: string | null;
  /** First day of the certificate that supersedes this one (re-recognition, upgrade), if any. */
  supersededOn: string | null;
};

/**
 * The status of a certificate on a day. Precedence: a revocation in force wins (the legal act that
 * ends the certificate), then a successor in force (the scan of an old label then points to the new
 * certificate), then the dates. A revocation or successor dated after `today` does not count yet.
 * Without dates (a registry gave only the year) the validity is unknown: neither in force nor
 * expired — `date_unknown` until a correction sets the decision's date; nothing is computed from the year.
 */
export function certificateStatus(
  facts: StatusFacts,
  today: string,
  expiringDays: number = DEFAULT_EXPIRING_DAYS,
): CertificateStatus {
  if (facts.revokedOn !== null && facts.revokedOn <= today) return 'revoked';
  if (facts.supersededOn !== null && facts.supersededOn <= today) return 'superseded';
  if (facts.validFrom === null || facts.validTo === null) return 'date_unknown';
  if (today < facts.validFrom) return 'pending';
  if (today > facts.validTo) return 'expired';
  return daysBetween(today, facts.validTo) <= expiringDays ? 'expiring' : 'valid';
}

/** The status at an instant, judged on that instant's calendar day in the given time zone. */
export function certificateStatusAt(
  facts: StatusFacts,
  instant: Date,
  timeZone = 'Asia/Ho_Chi_Minh',
  expiringDays: number = DEFAULT_EXPIRING_DAYS,
): CertificateStatus {
  return certificateStatus(facts, localDate(instant, timeZone), expiringDays);
}

/** Whether a status means the certificate is in force (what a consumer needs to know first). */
export function isInForce(status: CertificateStatus): boolean {
  return status === 'valid' || status === 'expiring';
}

// ---------------------------------------------------------------- legal dates

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function parts(day: string): [number, number, number] {
  const m = DATE.exec(day);
  if (!m) throw new Error(`Not a date (YYYY-MM-DD): ${day}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

/** True for a real calendar date written 'YYYY-MM-DD' (rejects 2026-02-30). */
export function isCalendarDate(day: string): boolean {
  const m = DATE.exec(day);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return mo >= 1 && mo <= 12 && d >= 1 && d <= daysInMonth(y, mo);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

const format = (y: number, m: number, d: number) =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  const [y1, m1, d1] = parts(from);
  const [y2, m2, d2] = parts(to);
  return Math.round((Date.UTC(y2, m2 - 1, d2) - Date.UTC(y1, m1 - 1, d1)) / 86_400_000);
}

export function addDays(day: string, days: number): string {
  const [y, m, d] = parts(day);
  const date = new Date(Date.UTC(y, m - 1, d + days));
  return format(date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate());
}

/**
 * How the last day of validity follows from the first:
 * - `day-before-anniversary` (default): the certificate takes effect on the decision's date and that
 *   day counts, so "valid 36 months" is the days from the decision up to, not including, the same
 *   day 36 months later: 15/12/2023 → 14/12/2026. A re-recognition decided on the anniversary then
 *   follows with neither overlap nor gap. When that day does not exist (29–31 of a short month) the
 *   period ends on the last day of that month: 29/02/2024 → 28/02/2027.
 * - `anniversary`: the Civil Code's counting (Bộ luật Dân sự 2015, art. 147–148: the first day is not
 *   counted, a period in months ends on the corresponding day, or the month's last day) gives
 *   15/12/2023 → 15/12/2026. Kept for a province whose decisions are written that way.
 * The choice is data (data/certificates/config.json), not code, because the regulation does not say.
 */
export const VALIDITY_END_CONVENTIONS = ['day-before-anniversary', 'anniversary'] as const;
export type ValidityEndConvention = (typeof VALIDITY_END_CONVENTIONS)[number];

export function validityEnd(
  validFrom: string,
  months: number,
  convention: ValidityEndConvention = 'day-before-anniversary',
): string {
  if (!Number.isInteger(months) || months < 1) throw new Error(`Validity months must be ≥ 1: ${months}`);
  const [y, m, d] = parts(validFrom);
  const monthIndex = m - 1 + months;
  const year = y + Math.floor(monthIndex / 12);
  const month = (monthIndex % 12) + 1;
  const last = daysInMonth(year, month);
  if (d > last) return format(year, month, last);
  const anniversary = format(year, month, d);
  return convention === 'anniversary' ? anniversary : addDays(anniversary, -1);
}

// ---------------------------------------------------------------- numbering

/**
 * A certificate number pattern, e.g. "{province}-{commune}-{seq:4}-{year}". Placeholders:
 * {province} province code (2 digits), {commune} commune code (5 digits), {year} the decision's year,
 * {star}, {seq} or {seq:N} the sequence zero-padded to N digits (default 1). The sequence counts per
 * province and decision year, so a pattern must hold {seq} and {year} or numbers would repeat.
 * Literal text may use letters, digits and . _ / - (a number appears in URLs and on labels).
 */
export type NumberPatternToken =
  | { kind: 'literal'; text: string }
  | { kind: 'province' | 'commune' | 'year' | 'star' }
  | { kind: 'seq'; width: number };

export type NumberPatternProblem =
  | 'empty'
  | 'unknownPlaceholder'
  | 'badLiteral'
  | 'missingSeq'
  | 'missingYear';

export function parseNumberPattern(
  pattern: string,
): { tokens: NumberPatternToken[] } | { problem: NumberPatternProblem; at?: string } {
  if (!pattern.trim()) return { problem: 'empty' };
  const tokens: NumberPatternToken[] = [];
  // Sticky: every character must belong to a placeholder or a literal, so a stray "{" is an error.
  const re = /\{([^{}]*)\}|([^{}]+)/y;
  let consumed = 0;
  for (let m = re.exec(pattern); m; m = re.exec(pattern)) {
    consumed = re.lastIndex;
    if (m[2] !== undefined) {
      if (!/^[A-Za-z0-9._/-]+$/.test(m[2])) return { problem: 'badLiteral', at: m[2] };
      tokens.push({ kind: 'literal', text: m[2] });
      continue;
    }
    const name = m[1]!;
    const seq = /^seq(?::([1-9]))?$/.exec(name);
    if (seq) tokens.push({ kind: 'seq', width: Number(seq[1] ?? 1) });
    else if (name === 'province' || name === 'commune' || name === 'year' || name === 'star')
      tokens.push({ kind: name });
    else return { problem: 'unknownPlaceholder', at: `{${name}}` };
  }
  if (consumed !== pattern.length) return { problem: 'unknownPlaceholder', at: pattern.slice(consumed) };
  if (!tokens.some((t) => t.kind === 'seq')) return { problem: 'missingSeq' };
  if (!tokens.some((t) => t.kind === 'year')) return { problem: 'missingYear' };
  return { tokens };
}

export type NumberParts = {
  provinceCode: string;
  communeCode: string;
  year: number;
  star: number;
  seq: number;
};

function tokenText(t: NumberPatternToken, values: NumberParts): string {
  switch (t.kind) {
    case 'literal':
      return t.text;
    case 'province':
      return values.provinceCode;
    case 'commune':
      return values.communeCode;
    case 'year':
      return String(values.year);
    case 'star':
      return String(values.star);
    case 'seq':
      return String(values.seq).padStart(t.width, '0');
  }
}

export function formatCertificateNumber(tokens: readonly NumberPatternToken[], values: NumberParts): string {
  return tokens.map((t) => tokenText(t, values)).join('');
}

export type CertificateSettings = {
  defaultPattern: string;
  /** Province code → pattern, for provinces that number differently. */
  provincePatterns: Record<string, string>;
  validityEnd: ValidityEndConvention;
  expiringDays: number;
};

export function numberPatternFor(settings: CertificateSettings, provinceCode: string): string {
  return settings.provincePatterns[provinceCode] ?? settings.defaultPattern;
}

/** A certificate number as stored: what the pattern makes, or what an import or a paper decision brings. */
export const CERTIFICATE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$/;

// ---------------------------------------------------------------- versions and supersession

export const ISSUE_KINDS = ['new', 'rerecognition', 'upgrade'] as const;
export type IssueKind = (typeof ISSUE_KINDS)[number];

export const issueKindLabels: Record<IssueKind, Message> = {
  new: { vi: 'Công nhận lần đầu', en: 'First recognition' },
  rerecognition: { vi: 'Công nhận lại (đánh giá lại khi hết hạn)', en: 'Re-recognition at expiry' },
  upgrade: { vi: 'Nâng hạng sao', en: 'Upgrade to a higher star' },
};

export const ISSUER_LEVELS = ['district', 'province', 'central'] as const;
export type IssuerLevel = (typeof ISSUER_LEVELS)[number];

export const issuerLevelLabels: Record<IssuerLevel, Message> = {
  district: { vi: 'UBND cấp huyện (trước 07/2025)', en: "District People's Committee (before 07/2025)" },
  province: { vi: 'UBND cấp tỉnh', en: "Province People's Committee" },
  central: { vi: 'Bộ (cấp trung ương)', en: 'Ministry (central level)' },
};

/** One stored row (a version of a certificate), as the chain rules read it. */
export type VersionRecord = {
  id: string;
  number: string;
  version: number;
  productId: string;
  star: number;
  validFrom: string;
  validTo: string;
  supersedesId: string | null;
  correctsId: string | null;
};

/** The latest version of each certificate number among the records (corrections collapse into one). */
export function latestVersions<T extends Pick<VersionRecord, 'id' | 'correctsId'>>(
  records: readonly T[],
): T[] {
  const corrected = new Set(records.map((r) => r.correctsId).filter((id): id is string => id !== null));
  return records.filter((r) => !corrected.has(r.id));
}

export type SupersessionProblem = 'alreadyCertified' | 'nothingToSupersede' | 'notHigherStar';

/**
 * Whether a new certificate may be issued for a product given its certificate in force (if any):
 * a first recognition needs no certificate in force (re-recognising or upgrading is the way to
 * replace one); an upgrade needs one in force and a higher star; a re-recognition replaces the
 * product's latest certificate, lapsed or not, so it needs one to exist.
 */
export function supersessionProblem(
  kind: IssueKind,
  inForce: { star: number } | null,
  latest: { star: number } | null,
  newStar: number,
): SupersessionProblem | null {
  switch (kind) {
    case 'new':
      return inForce ? 'alreadyCertified' : null;
    case 'upgrade':
      if (!inForce) return 'nothingToSupersede';
      return newStar > inForce.star ? null : 'notHigherStar';
    case 'rerecognition':
      return latest ? null : 'nothingToSupersede';
  }
}

// ---------------------------------------------------------------- revocation

export const REVOCATION_REASONS = [
  'quality',
  'food_safety',
  'not_producing',
  'no_reapplication',
  'mandatory_criteria',
  'subject_request',
  'other',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

/** Reasons seen in provinces' revocation decisions (DOMAIN.md: failing quality or food safety, not producing, not re-applying). */
export const revocationReasonLabels: Record<RevocationReason, Message> = {
  quality: { vi: 'Không duy trì chất lượng sản phẩm', en: 'Product quality not maintained' },
  food_safety: { vi: 'Vi phạm an toàn thực phẩm', en: 'Food safety violation' },
  not_producing: { vi: 'Không sản xuất như đã đăng ký', en: 'Not producing as registered' },
  no_reapplication: { vi: 'Không đăng ký đánh giá lại', en: 'No application for re-evaluation' },
  mandatory_criteria: {
    vi: 'Không đáp ứng tiêu chí bắt buộc của hạng sao',
    en: "Fails the star's mandatory criteria",
  },
  subject_request: { vi: 'Theo đề nghị của chủ thể', en: "At the subject's request" },
  other: { vi: 'Lý do khác', en: 'Other reason' },
};

// ---------------------------------------------------------------- facts for the products module

/**
 * The certificates of products in the shape products/rules.ts `deriveProductStatus` reads: every
 * version, a corrected one pointing at the version that corrects it (`supersededBy`), so only the
 * latest version speaks. A revocation applies to every version of the number. Re-recognition and
 * upgrade need no marking there: the newer certificate starts later, and the product rule already
 * lets the latest started certificate decide.
 */
export function certificateFactsOf(
  records: readonly (VersionRecord & { revokedOn: string | null })[],
): Map<string, CertificateFacts[]> {
  const correctedBy = new Map<string, string>();
  for (const r of records) if (r.correctsId) correctedBy.set(r.correctsId, r.id);
  const revokedByNumber = new Map<string, string>();
  for (const r of records) {
    if (!r.revokedOn) continue;
    const known = revokedByNumber.get(r.number);
    if (!known || r.revokedOn < known) revokedByNumber.set(r.number, r.revokedOn);
  }
  const byProduct = new Map<string, CertificateFacts[]>();
  for (const r of records) {
    const list = byProduct.get(r.productId) ?? [];
    list.push({
      validFrom: r.validFrom,
      validTo: r.validTo,
      revokedAt: revokedByNumber.get(r.number) ?? null,
      supersededBy: correctedBy.get(r.id) ?? null,
    });
    byProduct.set(r.productId, list);
  }
  return byProduct;
}

// ---------------------------------------------------------------- signed codes

/**
 * What the installation's Ed25519 key signs for a certificate: a version tag and the number, UTF-8.
 * The number (not a row id) is signed so the code printed on a label keeps verifying after a
 * correction (a new version of the same number), and a signature copied onto another number fails.
 */
export function signedMessage(number: string): string {
  return `OCOP-CERT-1:${number.normalize('NFC')}`;
}

// ---------------------------------------------------------------- scan facts

export type ClientFacts = {
  os: 'android' | 'ios' | 'windows' | 'macos' | 'linux' | 'other';
  browser: 'zalo' | 'facebook' | 'chrome' | 'safari' | 'firefox' | 'edge' | 'samsung' | 'coccoc' | 'other';
  mobile: boolean;
  bot: boolean;
};

/**
 * Coarse facts of a client from its User-Agent, for counterfeit analysis without keeping the raw
 * string (which, with the IP, identifies people). Zalo's and Facebook's in-app browsers are named
 * because most Vietnamese QR scans open there.
 */
export function clientFacts(userAgent: string | undefined): ClientFacts {
  const ua = (userAgent ?? '').slice(0, 500);
  const os: ClientFacts['os'] = /Android/i.test(ua)
    ? 'android'
    : /iPhone|iPad|iPod/i.test(ua)
      ? 'ios'
      : /Windows/i.test(ua)
        ? 'windows'
        : /Mac OS X|Macintosh/i.test(ua)
          ? 'macos'
          : /Linux|X11/i.test(ua)
            ? 'linux'
            : 'other';
  const browser: ClientFacts['browser'] = /Zalo/i.test(ua)
    ? 'zalo'
    : /FBAN|FBAV|FB_IAB/i.test(ua)
      ? 'facebook'
      : /coc_coc|CocCoc/i.test(ua)
        ? 'coccoc'
        : /SamsungBrowser/i.test(ua)
          ? 'samsung'
          : /Edg\//i.test(ua)
            ? 'edge'
            : /Firefox|FxiOS/i.test(ua)
              ? 'firefox'
              : /Chrome|CriOS|Chromium/i.test(ua)
                ? 'chrome'
                : /Safari/i.test(ua)
                  ? 'safari'
                  : 'other';
  return {
    os,
    browser,
    mobile: /Mobile|Android|iPhone|iPod/i.test(ua),
    bot: ua === '' || /bot|crawler|spider|curl|wget|python|headless|preview/i.test(ua),
  };
}

// ---------------------------------------------------------------- who certifies which star

export type IssuerProblem = 'levelNotInRuleSet' | 'starNotCertifiedByLevel';

/**
 * Whether the issuing level may certify the star under the certificate's rule-set (DOMAIN.md "who
 * recognises which star": 148 — district 3★, province 4★, central 5★; 1489 and 26/2026 — province
 * 3–4★, central 5★). The table is the rule-set's `levels` data, not code.
 */
export function issuerProblem(
  levels: readonly { level: string; certifiesStars: readonly number[] }[],
  issuerLevel: IssuerLevel,
  star: number,
): IssuerProblem | null {
  const level = levels.find((l) => l.level === issuerLevel);
  if (!level) return 'levelNotInRuleSet';
  return level.certifiesStars.includes(star) ? null : 'starNotCertifiedByLevel';
}
