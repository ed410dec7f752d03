import { z } from 'zod';
import { requiredText, text } from '../../shared/fields';
import {
  CERTIFICATE_NUMBER,
  CERTIFICATE_STATUSES,
  ISSUE_KINDS,
  ISSUER_LEVELS,
  isCalendarDate,
  REVOCATION_REASONS,
} from './rules';

/** Shapes of the certificates API, shared with the web app (no server imports here). */

const legalDate = z
  .string()
  .refine((v) => isCalendarDate(v), { message: 'certificate.date.format' })
  .describe('YYYY-MM-DD');
const star = z.union([z.literal(3), z.literal(4), z.literal(5)]);
const decisionNumber = requiredText(100);
const certificateNumber = z
  .string()
  .trim()
  .regex(CERTIFICATE_NUMBER, { message: 'certificate.number.format' });
const issuer = z.strictObject({ name: requiredText(300), level: z.enum(ISSUER_LEVELS) });

/** Issuing from an officer's input (the evaluation module calls the service with the same shape). */
export const issueCertificateBody = z.strictObject({
  productId: z.string().uuid(),
  star,
  ruleSetCode: z.string().min(1).max(40),
  issueKind: z.enum(ISSUE_KINDS).default('new'),
  /** The certificate replaced by a re-recognition or upgrade; found from the product when omitted. */
  supersedesId: z.string().uuid().optional(),
  issuer,
  decisionNumber,
  decisionDate: legalDate,
  /** Defaults to the decision date. */
  validFrom: legalDate.optional(),
  /** Set when the decision states it; otherwise computed from the rule-set's validity. */
  validTo: legalDate.optional(),
  /** A number already given on paper; otherwise made from the province's pattern. */
  number: certificateNumber.optional(),
});
export type IssueCertificateBody = z.infer<typeof issueCertificateBody>;

export const revokeCertificateBody = z.strictObject({
  reasonCategory: z.enum(REVOCATION_REASONS),
  decisionNumber,
  decisionDate: legalDate,
  note: text(2000).default(''),
});
export type RevokeCertificateBody = z.infer<typeof revokeCertificateBody>;

export const correctCertificateBody = z.strictObject({
  /** The version being corrected must still be the latest; otherwise someone corrected it meanwhile. */
  version: z.number().int().min(1),
  reason: requiredText(1000),
  changes: z
    .strictObject({
      productName: requiredText(300).optional(),
      subjectName: requiredText(300).optional(),
      star: star.optional(),
      issuer: issuer.optional(),
      decisionNumber: decisionNumber.optional(),
      decisionDate: legalDate.optional(),
      validFrom: legalDate.optional(),
      validTo: legalDate.optional(),
      originalAddress: text(500).nullable().optional(),
    })
    .refine((c) => Object.values(c).some((v) => v !== undefined), {
      message: 'certificate.correction.empty',
    }),
});
export type CorrectCertificateBody = z.infer<typeof correctCertificateBody>;

export const listCertificatesQuery = z.strictObject({
  q: z.string().max(200).optional(),
  status: z.enum(CERTIFICATE_STATUSES).optional(),
  productId: z.string().uuid().optional(),
  subjectId: z.string().uuid().optional(),
  star: z.coerce.number().int().min(3).max(5).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListCertificatesQuery = z.infer<typeof listCertificatesQuery>;

const message = z.object({ vi: z.string(), en: z.string() });

export const revocationView = z.object({
  reasonCategory: z.enum(REVOCATION_REASONS),
  reasonLabel: message,
  decisionNumber: z.string(),
  decisionDate: z.string(),
  note: z.string(),
});

export const certificateView = z.object({
  id: z.string(),
  number: z.string(),
  version: z.number(),
  status: z.enum(CERTIFICATE_STATUSES),
  statusLabel: message,
  star: z.number(),
  product: z.object({ id: z.string(), name: z.string() }),
  subject: z.object({ id: z.string(), name: z.string() }),
  province: z.object({ code: z.string(), name: z.string() }),
  commune: z.object({ code: z.string(), name: z.string() }).nullable(),
  originalAddress: z.string().nullable(),
  classification: z.object({ scheme: z.string(), code: z.string() }),
  ruleSetCode: z.string(),
  issueKind: z.enum(ISSUE_KINDS),
  issuer: z.object({ name: z.string(), level: z.enum(ISSUER_LEVELS) }),
  decisionNumber: z.string(),
  /** Null with the validity dates when only `recognitionYear` is known (status `date_unknown`). */
  decisionDate: z.string().nullable(),
  validFrom: z.string().nullable(),
  validTo: z.string().nullable(),
  /**
   * The year a registry gave without the decision's day (null for a record issued with its date);
   * kept on the version a correction completed, as the registry's own words.
   */
  recognitionYear: z.number().nullable(),
  supersedesId: z.string().nullable(),
  supersededBy: z.object({ number: z.string(), validFrom: z.string() }).nullable(),
  correctsId: z.string().nullable(),
  correctionReason: z.string().nullable(),
  source: z.enum(['decision', 'import']),
  revocation: revocationView.nullable(),
  /** The signed public verification address printed as the QR code. */
  verificationUrl: z.string(),
  createdAt: z.date(),
});
export type CertificateView = z.infer<typeof certificateView>;

export const certificateDetail = certificateView.extend({
  versions: z.array(
    z.object({
      id: z.string(),
      version: z.number(),
      correctionReason: z.string().nullable(),
      createdAt: z.date(),
    }),
  ),
});
export type CertificateDetail = z.infer<typeof certificateDetail>;

export const certificatePage = z.object({
  items: z.array(certificateView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type CertificatePage = z.infer<typeof certificatePage>;

export const certificateMeta = z.object({
  statuses: z.array(z.object({ code: z.enum(CERTIFICATE_STATUSES), label: message })),
  issueKinds: z.array(z.object({ code: z.enum(ISSUE_KINDS), label: message })),
  issuerLevels: z.array(z.object({ code: z.enum(ISSUER_LEVELS), label: message })),
  revocationReasons: z.array(z.object({ code: z.enum(REVOCATION_REASONS), label: message })),
  expiringDays: z.number(),
});

export const qrQuery = z.strictObject({
  /** Printed width in millimetres (the PNG is rendered at 300 dpi). */
  mm: z.coerce.number().int().min(10).max(200).default(30),
});

/** The officers' re-evaluation queue: certificates expiring within the window, soonest first. */
export const reEvaluationQueueQuery = z.strictObject({
  /** Administrators may narrow to a province; a province officer always sees their own. */
  provinceCode: z
    .string()
    .regex(/^\d{2}$/, { message: 'adminUnits.provinceCode' })
    .optional(),
  /** Only certificates whose producer has not started a re-evaluation dossier yet. */
  withoutDossier: z
    .enum(['true', 'false', '1', '0'])
    .transform((v) => v === 'true' || v === '1')
    .optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(50),
});
export type ReEvaluationQueueQuery = z.infer<typeof reEvaluationQueueQuery>;

export const reEvaluationQueueItem = z.object({
  id: z.string(),
  number: z.string(),
  star: z.number(),
  product: z.object({ id: z.string(), name: z.string() }),
  subject: z.object({ id: z.string(), name: z.string() }),
  province: z.object({ code: z.string(), name: z.string() }),
  commune: z.object({ code: z.string(), name: z.string() }).nullable(),
  validTo: z.string(),
  daysLeft: z.number(),
  /** A successor already issued (re-recognition or upgrade) that starts later. */
  successorNumber: z.string().nullable(),
  reEvaluationDossier: z.object({ id: z.string(), cycleId: z.string(), state: z.string() }).nullable(),
});
export type ReEvaluationQueueItem = z.infer<typeof reEvaluationQueueItem>;

export const reEvaluationQueuePage = z.object({
  items: z.array(reEvaluationQueueItem),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
  expiringDays: z.number(),
});
export type ReEvaluationQueuePage = z.infer<typeof reEvaluationQueuePage>;

/** The certificates of one recognition decision: issued now (`created`) or found already issued. */
export const decisionCertificatesResult = z.object({
  decisionId: z.string(),
  items: z.array(z.object({ dossierId: z.string(), created: z.boolean(), certificate: certificateView })),
});
export type DecisionCertificatesResult = z.infer<typeof decisionCertificatesResult>;
export const decisionCertificatesParams = z.object({ decisionId: z.string().uuid() });

/** Pure certificate rules (status, numbering patterns, labels), shared with the web app and other modules. */
export * from './rules';
