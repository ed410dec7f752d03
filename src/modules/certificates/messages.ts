import type { RequestContext } from '../../server/context';
import { type Message, notFound } from '../../server/errors';

export type Ctx = { ctx: RequestContext };

export const messages = {
  notFound: { vi: 'Không tìm thấy giấy chứng nhận.', en: 'Certificate not found.' },
  ruleSetUnknown: { vi: 'Không có bộ tiêu chí với mã này.', en: 'No rule-set has this code.' },
  productArchived: {
    vi: 'Sản phẩm đã lưu trữ, không cấp giấy chứng nhận được.',
    en: 'The product is archived; it cannot be certified.',
  },
  decisionDateRequired: {
    vi: 'Cần ngày quyết định công nhận.',
    en: 'The recognition decision date is required.',
  },
  recognitionYearInvalid: {
    vi: 'Năm công nhận phải từ 1990 đến năm nay.',
    en: 'The recognition year must be between 1990 and this year.',
  },
  validityWithoutDecisionDate: {
    vi: 'Chưa có ngày quyết định thì không thể ghi thời hạn hiệu lực.',
    en: 'Validity dates cannot be set without the decision date.',
  },
  decisionInFuture: {
    vi: 'Ngày quyết định không được sau ngày hôm nay.',
    en: 'The decision date cannot be after today.',
  },
  validFromBeforeDecision: {
    vi: 'Ngày hiệu lực không được trước ngày quyết định.',
    en: 'Validity cannot start before the decision date.',
  },
  validToBeforeFrom: {
    vi: 'Ngày hết hiệu lực phải sau ngày bắt đầu hiệu lực.',
    en: 'Validity must end after it starts.',
  },
  alreadyCertified: {
    vi: 'Sản phẩm đang có giấy chứng nhận còn hiệu lực; hãy chọn công nhận lại hoặc nâng hạng.',
    en: 'The product has a certificate in force; issue a re-recognition or an upgrade instead.',
  },
  nothingToSupersede: {
    vi: 'Sản phẩm chưa có giấy chứng nhận nào để công nhận lại hoặc nâng hạng.',
    en: 'The product has no certificate to re-recognise or upgrade.',
  },
  notHigherStar: {
    vi: 'Nâng hạng phải có số sao cao hơn giấy chứng nhận đang có hiệu lực.',
    en: 'An upgrade needs more stars than the certificate in force.',
  },
  supersedesOther: {
    vi: 'Giấy chứng nhận được thay thế phải là giấy hiện hành của chính sản phẩm này, chưa bị thay thế.',
    en: "The replaced certificate must be this product's current one, not already replaced.",
  },
  levelNotInRuleSet: {
    vi: 'Bộ tiêu chí này không có cấp công nhận đã chọn.',
    en: 'This rule-set has no such recognition level.',
  },
  starNotCertifiedByLevel: {
    vi: 'Theo bộ tiêu chí này, cấp đã chọn không công nhận hạng sao này.',
    en: 'Under this rule-set, the chosen level does not certify this star.',
  },
  numberTaken: { vi: 'Số giấy chứng nhận đã được dùng.', en: 'This certificate number is already used.' },
  alreadyRevoked: { vi: 'Giấy chứng nhận đã bị thu hồi.', en: 'The certificate is already revoked.' },
  revokedNoCorrection: {
    vi: 'Giấy chứng nhận đã bị thu hồi, không đính chính được.',
    en: 'The certificate is revoked; it cannot be corrected.',
  },
  revocationBeforeDecision: {
    vi: 'Ngày thu hồi không được trước ngày quyết định công nhận.',
    en: 'The revocation cannot be dated before the recognition decision.',
  },
  revocationNoteRequired: {
    vi: 'Lý do khác cần ghi rõ nội dung.',
    en: 'Describe the reason when it is "other".',
  },
  correctionUnchanged: {
    vi: 'Nội dung đính chính giống bản hiện hành.',
    en: 'The correction changes nothing.',
  },
} satisfies Record<string, Message>;

export const certificateNotFound = () => notFound(messages.notFound);

export function toDate(value: Date | string): Date {
  return value instanceof Date ? value : new Date(value);
}
