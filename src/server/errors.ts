/**
 * One error class and one table from code to HTTP status and message, for the whole API.
 * Services throw `AppError`; the error handler turns it (and validation failures) into
 * `{ error: { code, message, fields? } }` in Vietnamese, or English with `Accept-Language: en`.
 */
export type Lang = 'vi' | 'en';

type ErrorDefinition = { status: number; vi: string; en: string };

export const errorCatalogue = {
  VALIDATION: { status: 400, vi: 'Dữ liệu không hợp lệ.', en: 'The data is not valid.' },
  MALFORMED_JSON: {
    status: 400,
    vi: 'Nội dung gửi lên không phải JSON hợp lệ.',
    en: 'The request body is not valid JSON.',
  },
  BAD_REQUEST: {
    status: 400,
    vi: 'Yêu cầu không hợp lệ (địa chỉ hoặc phần đầu yêu cầu sai định dạng).',
    en: 'The request is malformed (its address or headers).',
  },
  UNAUTHENTICATED: { status: 401, vi: 'Vui lòng đăng nhập.', en: 'Please log in.' },
  INVALID_CREDENTIALS: {
    status: 401,
    vi: 'Email hoặc mật khẩu không đúng.',
    en: 'Wrong e-mail or password.',
  },
  CSRF: {
    status: 403,
    vi: 'Phiên làm việc không hợp lệ, vui lòng tải lại trang.',
    en: 'Invalid session token; reload the page.',
  },
  FORBIDDEN: {
    status: 403,
    vi: 'Bạn không có quyền thực hiện thao tác này.',
    en: 'You are not allowed to do this.',
  },
  NOT_FOUND: { status: 404, vi: 'Không tìm thấy.', en: 'Not found.' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    vi: 'Địa chỉ này không nhận loại yêu cầu này.',
    en: 'This address does not accept this request method.',
  },
  REQUEST_TIMEOUT: {
    status: 408,
    vi: 'Yêu cầu đến quá chậm, vui lòng thử lại.',
    en: 'The request took too long to arrive; try again.',
  },
  CONFLICT: { status: 409, vi: 'Dữ liệu trùng hoặc xung đột.', en: 'This conflicts with existing data.' },
  STALE: {
    status: 409,
    vi: 'Bản ghi đã được người khác sửa; vui lòng tải lại.',
    en: 'Someone else changed this record; reload it.',
  },
  PAYLOAD_TOO_LARGE: { status: 413, vi: 'Tệp quá lớn.', en: 'The file is too large.' },
  UNSUPPORTED_MEDIA: {
    status: 415,
    vi: 'Định dạng tệp không được hỗ trợ.',
    en: 'This file type is not supported.',
  },
  UNSAFE_FILE: {
    status: 422,
    vi: 'Tệp có nội dung không an toàn hoặc không kiểm tra được nên không được nhận.',
    en: 'The file holds content that is unsafe or cannot be checked, so it is refused.',
  },
  URI_TOO_LONG: { status: 414, vi: 'Địa chỉ (URL) quá dài.', en: 'The address (URL) is too long.' },
  TOO_MANY_REQUESTS: {
    status: 429,
    vi: 'Quá nhiều lần thử, vui lòng thử lại sau.',
    en: 'Too many attempts; try again later.',
  },
  HEADERS_TOO_LARGE: {
    status: 431,
    vi: 'Phần đầu yêu cầu (header, cookie) quá lớn. Hãy xóa cookie của trang này rồi thử lại.',
    en: "The request headers (cookies) are too large. Clear this site's cookies and try again.",
  },
  INTERNAL: { status: 500, vi: 'Lỗi hệ thống, vui lòng thử lại.', en: 'Internal error; please try again.' },
  SERVICE_UNAVAILABLE: {
    status: 503,
    vi: 'Hệ thống đang bận, vui lòng thử lại sau ít phút.',
    en: 'The service is busy; try again in a few minutes.',
  },
} as const satisfies Record<string, ErrorDefinition>;

export type ErrorCode = keyof typeof errorCatalogue;

/** A message in both languages; services that know a more precise message than the catalogue give one. */
export type Message = { vi: string; en: string };

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly detail: Message | undefined;
  readonly fields: Record<string, Message> | undefined;

  constructor(code: ErrorCode, detail?: Message, fields?: Record<string, Message>) {
    super(detail?.en ?? errorCatalogue[code].en);
    this.code = code;
    this.detail = detail;
    this.fields = fields;
  }

  /** For 429: when the client may try again (sent as `Retry-After`). */
  retryAfterSeconds: number | undefined;

  get status(): number {
    return errorCatalogue[this.code].status;
  }
}

/** Too many attempts, with the wait in the message and in `Retry-After`. */
export function tooManyAttempts(waitMs: number): AppError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  const minutes = Math.ceil(seconds / 60);
  const wait =
    seconds < 60
      ? { vi: `${seconds} giây`, en: `${seconds} second${seconds === 1 ? '' : 's'}` }
      : { vi: `${minutes} phút`, en: `${minutes} minute${minutes === 1 ? '' : 's'}` };
  const error = new AppError('TOO_MANY_REQUESTS', {
    vi: `Quá nhiều lần thử, vui lòng thử lại sau ${wait.vi}.`,
    en: `Too many attempts; try again in ${wait.en}.`,
  });
  error.retryAfterSeconds = seconds;
  return error;
}

export type ErrorBody = { error: { code: ErrorCode; message: string; fields?: Record<string, string> } };

export function renderError(error: AppError, lang: Lang): ErrorBody {
  const message = error.detail ? error.detail[lang] : errorCatalogue[error.code][lang];
  const body: ErrorBody = { error: { code: error.code, message } };
  if (error.fields) {
    body.error.fields = Object.fromEntries(Object.entries(error.fields).map(([k, m]) => [k, m[lang]]));
  }
  return body;
}

export function fieldError(path: string, message: Message, code: ErrorCode = 'VALIDATION'): AppError {
  return new AppError(code, message, { [path]: message });
}

export const notFound = (what: Message = { vi: 'Không tìm thấy.', en: 'Not found.' }) =>
  new AppError('NOT_FOUND', what);
export const forbidden = () => new AppError('FORBIDDEN');
