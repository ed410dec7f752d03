import type { FastifySchemaCompiler } from 'fastify';
import type { z } from 'zod';
import en from 'zod/v4/locales/en.js';
import vi from 'zod/v4/locales/vi.js';
import type { Lang, Message } from './errors';

/**
 * Messages of the project's own checks, by key. A schema refinement says `{ message: 'gtin.checkDigit' }`
 * and the error handler shows the text in the caller's language.
 */
export const validationMessages: Record<string, Message> = {
  'text.control': { vi: 'Không được chứa ký tự điều khiển.', en: 'Must not contain control characters.' },
  'text.blank': { vi: 'Không được để trống.', en: 'Must not be blank.' },
  'gtin.format': { vi: 'GTIN phải gồm 8, 12, 13 hoặc 14 chữ số.', en: 'A GTIN has 8, 12, 13 or 14 digits.' },
  'gtin.checkDigit': { vi: 'Số kiểm tra của GTIN không đúng.', en: 'The GTIN check digit is wrong.' },
  'taxCode.format': {
    vi: 'Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu "-" và 3 chữ số.',
    en: 'A tax code is 10 digits, or 10 digits, "-" and 3 digits.',
  },
  'taxCode.checkDigit': {
    vi: 'Chữ số kiểm tra của mã số thuế không đúng.',
    en: 'The tax code check digit is wrong.',
  },
  'password.rules': {
    vi: 'Mật khẩu tối thiểu 10 ký tự (không kể dấu cách), có chữ và số.',
    en: 'A password has at least 10 characters besides spaces, with letters and digits.',
  },
  'password.common': {
    vi: 'Mật khẩu này nằm trong số mật khẩu hay bị dùng nhất, dễ bị đoán; hãy chọn mật khẩu khác.',
    en: 'This password is among the most used ones and easily guessed; choose another.',
  },
  'password.demo': {
    vi: 'Đây là mật khẩu của tài khoản minh hoạ, ai cũng biết; hãy chọn mật khẩu khác.',
    en: 'This is the demo accounts’ password, known to everyone; choose another.',
  },
  'email.format': { vi: 'Email không hợp lệ.', en: 'Invalid e-mail address.' },
  'phone.format': { vi: 'Số điện thoại không hợp lệ.', en: 'Invalid phone number.' },
  'url.format': {
    vi: 'Địa chỉ web phải bắt đầu bằng http:// hoặc https://.',
    en: 'A web address starts with http:// or https://.',
  },
  // Subjects (src/modules/subjects/rules.ts)
  'subject.type.unknown': {
    vi: 'Loại hình chủ thể không có trong danh mục hiện hành; hãy chọn lại.',
    en: 'This subject type is not in the current list; choose one.',
  },
  'subject.salesChannel.unknown': {
    vi: 'Kênh bán hàng không có trong danh mục hiện hành; hãy chọn lại.',
    en: 'This sales channel is not in the current list; choose one.',
  },
  'subject.taxCode.format': {
    vi: 'Mã số thuế gồm 10 chữ số, hoặc 10 chữ số, dấu "-" và 3 chữ số; hộ kinh doanh, trang trại có thể dùng số định danh cá nhân 12 chữ số.',
    en: 'A tax code is 10 digits, or 10 digits, "-" and 3 digits; household businesses and farms may use a 12-digit personal ID number.',
  },
  'subject.taxCode.personalIdType': {
    vi: 'Số định danh cá nhân chỉ dùng thay mã số thuế cho hộ kinh doanh và trang trại.',
    en: 'A personal ID number stands for a tax code only for household businesses and farms.',
  },
  'subject.taxCode.enterpriseRequired': {
    vi: 'Doanh nghiệp phải có mã số thuế (mã số doanh nghiệp).',
    en: 'An enterprise needs its tax code (enterprise code).',
  },
  'subject.registration.format': {
    vi: 'Số đăng ký kinh doanh gồm tối đa 20 chữ cái, chữ số và các dấu . / -, có ít nhất một chữ số.',
    en: 'A business registration number has up to 20 letters, digits and . / -, with at least one digit.',
  },
  'subject.registration.enterpriseEqualsTaxCode': {
    vi: 'Mã số doanh nghiệp chính là mã số thuế của doanh nghiệp.',
    en: "An enterprise's registration number is its tax code.",
  },
  'subject.workforce.totalRequired': {
    vi: 'Cần nhập tổng số lao động trước.',
    en: 'Enter the total workforce first.',
  },
  'subject.workforce.localAboveTotal': {
    vi: 'Số lao động địa phương không được lớn hơn tổng số lao động.',
    en: 'Local workers cannot exceed the total workforce.',
  },
  'subject.workforce.trainedAboveTotal': {
    vi: 'Số lao động qua đào tạo không được lớn hơn tổng số lao động.',
    en: 'Trained workers cannot exceed the total workforce.',
  },
  'subject.salesChannel.detailRequired': {
    vi: 'Cần ghi địa chỉ gian hàng trên sàn thương mại điện tử.',
    en: 'Give the shop address on the e-commerce platform.',
  },
  'subject.salesChannel.duplicate': {
    vi: 'Kênh bán hàng này đã có trong danh sách.',
    en: 'This sales channel is already listed.',
  },
  // Evaluation (src/modules/evaluation/contract.ts)
  'evaluation.answers.tooMany': {
    vi: 'Quá nhiều mục trả lời so với một phiếu chấm.',
    en: 'Too many answers for one scoring sheet.',
  },
  // Administrative units (src/modules/admin-units/contract.ts)
  'adminUnits.provinceCode': { vi: 'Mã tỉnh gồm 2 chữ số.', en: 'A province code has 2 digits.' },
  'adminUnits.districtCode': { vi: 'Mã huyện gồm 3 chữ số.', en: 'A district code has 3 digits.' },
  'adminUnits.communeCode': { vi: 'Mã xã gồm 5 chữ số.', en: 'A commune code has 5 digits.' },
  'adminUnits.addressEmpty': {
    vi: 'Cần ít nhất tên hoặc mã của tỉnh, huyện hoặc xã.',
    en: 'Give at least the name or code of a province, district or commune.',
  },
  // Certificates (src/modules/certificates/contract.ts)
  'certificate.date.format': {
    vi: 'Ngày phải có dạng YYYY-MM-DD và là ngày có thật.',
    en: 'A date is YYYY-MM-DD and must exist.',
  },
  'certificate.number.format': {
    vi: 'Số giấy chứng nhận gồm tối đa 64 chữ cái, chữ số và các dấu . _ / -, bắt đầu bằng chữ hoặc số.',
    en: 'A certificate number has up to 64 letters, digits and . _ / -, starting with a letter or digit.',
  },
  'certificate.correction.empty': {
    vi: 'Cần ít nhất một nội dung đính chính.',
    en: 'Give at least one corrected field.',
  },
  // Open data (src/modules/opendata/contract.ts)
  'openData.productSet': {
    vi: 'Mã bộ sản phẩm gồm tối đa 20 chữ cái, chữ số và các dấu . _ -.',
    en: 'A product set code has up to 20 letters, digits and . _ -.',
  },
};

export { requiredText, text } from '../shared/fields';

type IssueLike = z.core.$ZodIssue;

const localeMaps = { vi: vi().localeError, en: en().localeError };

export type FieldIssue = { path: string; vi: string; en: string };

function issueMessage(issue: IssueLike, lang: Lang): string {
  const known = validationMessages[issue.message];
  if (known) return known[lang];
  const localized = localeMaps[lang](issue as Parameters<(typeof localeMaps)['vi']>[0]);
  if (typeof localized === 'string') return localized;
  if (localized && typeof localized === 'object' && 'message' in localized) return String(localized.message);
  return issue.message;
}

export function describeIssues(issues: readonly IssueLike[], part: string): FieldIssue[] {
  return issues.flatMap((issue) => {
    const prefix = issue.path.map(String);
    // An unknown key (strict objects) is named itself, so the client sees which field to drop.
    const paths =
      issue.code === 'unrecognized_keys'
        ? issue.keys.map((key) => [...prefix, key].join('.'))
        : [prefix.length ? prefix.join('.') : part];
    return paths.map((path) => ({ path, vi: issueMessage(issue, 'vi'), en: issueMessage(issue, 'en') }));
  });
}

export class RequestValidationError extends Error {
  constructor(readonly issues: FieldIssue[]) {
    super('Request validation failed');
  }
}

/**
 * Validates requests with zod and keeps the raw issues, so the error handler can phrase them
 * in Vietnamese or English per request (zod's own message is fixed at parse time).
 */
export const validatorCompiler: FastifySchemaCompiler<z.ZodType> =
  ({ schema, httpPart }) =>
  (data) => {
    const result = schema.safeParse(data, { reportInput: true });
    if (result.success) return { value: result.data };
    return { error: new RequestValidationError(describeIssues(result.error.issues, httpPart ?? 'body')) };
  };
