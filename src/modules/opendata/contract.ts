import { z } from 'zod';
import { CERTIFICATE_STATUSES } from '../certificates/contract';

/**
 * Open data of certified products: the query and the published fields, shared with the web app.
 *
 * Only what a certificate already shows the public (its printed face and the verification page):
 * the product, the subject's name, the unit names, the star, the decision and the validity. Left out
 * on purpose: tax codes and registration numbers, phones, e-mails, web sites, legal
 * representatives, street addresses (a household's address is its home) and the historic address
 * text (it may hold one), workforce figures and anything about people.
 */
export const OPEN_DATA_FORMATS = ['csv', 'json', 'xlsx'] as const;
export type OpenDataFormat = (typeof OPEN_DATA_FORMATS)[number];

/**
 * 'in_force' (default) is valid or expiring; 'all' every status. 'date_unknown' is a record imported
 * from a registry that gives only the recognition year: its decision and validity dates are null
 * (never guessed), `recognitionYear` holds the year, and it is neither in force nor expired.
 */
export const OPEN_DATA_STATUSES = ['in_force', 'all', ...CERTIFICATE_STATUSES] as const;
export type OpenDataStatus = (typeof OPEN_DATA_STATUSES)[number];

export const openDataQuery = z.strictObject({
  format: z.enum(OPEN_DATA_FORMATS).default('json'),
  provinceCode: z
    .string()
    .regex(/^\d{2}$/, { message: 'adminUnits.provinceCode' })
    .optional(),
  /** The product set's code in the certificate's classification scheme (e.g. "6"). */
  productSet: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,20}$/, { message: 'openData.productSet' })
    .optional(),
  star: z.coerce.number().int().min(3).max(5).optional(),
  status: z.enum(OPEN_DATA_STATUSES).default('in_force'),
});
export type OpenDataQuery = z.infer<typeof openDataQuery>;

/** The published fields, in column order, with their meaning in both languages. */
export const OPEN_DATA_FIELDS = [
  ['certificateNumber', 'Số giấy chứng nhận', 'Certificate number'],
  ['status', 'Trạng thái (mã)', 'Status (code)'],
  ['statusLabel', 'Trạng thái', 'Status'],
  ['star', 'Hạng sao', 'Star rating'],
  ['productName', 'Tên sản phẩm', 'Product name'],
  ['productSetScheme', 'Hệ phân loại', 'Classification scheme'],
  ['productSet', 'Mã bộ sản phẩm', 'Product set code'],
  ['productSetName', 'Bộ sản phẩm', 'Product set'],
  ['subjectName', 'Chủ thể', 'Producer (subject)'],
  ['communeCode', 'Mã xã', 'Commune code'],
  ['communeName', 'Xã / phường', 'Commune'],
  ['provinceCode', 'Mã tỉnh', 'Province code'],
  ['provinceName', 'Tỉnh / thành phố', 'Province'],
  ['issuerName', 'Cơ quan công nhận', 'Issuing authority'],
  ['issuerLevel', 'Cấp công nhận', 'Issuing level'],
  ['decisionNumber', 'Số quyết định', 'Decision number'],
  ['decisionDate', 'Ngày quyết định', 'Decision date'],
  ['recognitionYear', 'Năm công nhận (khi chưa rõ ngày)', 'Recognition year (when the date is unknown)'],
  ['validFrom', 'Hiệu lực từ', 'Valid from'],
  ['validTo', 'Hiệu lực đến', 'Valid to'],
  ['revokedOn', 'Ngày thu hồi', 'Revoked on'],
  ['verificationUrl', 'Địa chỉ xác thực', 'Verification address'],
] as const;

export type OpenDataField = (typeof OPEN_DATA_FIELDS)[number][0];
export type OpenDataRecord = Record<OpenDataField, string | number | null>;
