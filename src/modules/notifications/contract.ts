import { z } from 'zod';

/** Shapes of the notifications API, shared with the web app (no server imports here). */

export const NOTIFICATION_KINDS = ['certificate.expiring'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** Thresholds of the expiry notices, in days before the last day of validity [law: notice ≥ 30 days]. */
export const EXPIRY_THRESHOLDS = [90, 30] as const;
export type ExpiryThreshold = (typeof EXPIRY_THRESHOLDS)[number];

/**
 * The payload of a 'certificate.expiring' notice: what it shows, and what its action needs — the
 * producer starts a re-evaluation dossier for `productId` (POST /evaluation/cycles/:id/dossiers with
 * evaluationType 're_evaluation', in an open cycle of the province).
 */
export const certificateExpiringPayload = z.object({
  certificateId: z.string(),
  number: z.string(),
  productId: z.string(),
  productName: z.string(),
  subjectId: z.string(),
  subjectName: z.string(),
  star: z.number(),
  validTo: z.string(),
  daysLeft: z.number(),
  threshold: z.number(),
  action: z.object({
    kind: z.literal('start_re_evaluation'),
    productId: z.string(),
    evaluationType: z.literal('re_evaluation'),
  }),
});
export type CertificateExpiringPayload = z.infer<typeof certificateExpiringPayload>;

const queryFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const listNotificationsQuery = z.strictObject({
  unread: queryFlag.optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListNotificationsQuery = z.infer<typeof listNotificationsQuery>;

export const notificationView = z.object({
  id: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  payload: z.record(z.string(), z.unknown()),
  createdAt: z.date(),
  readAt: z.date().nullable(),
});
export type NotificationView = z.infer<typeof notificationView>;

export const notificationPage = z.object({
  items: z.array(notificationView),
  total: z.number(),
  unread: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type NotificationPage = z.infer<typeof notificationPage>;
