import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { localDate } from '../../shared/dates';
import type { MailMessage } from '../notifications';
import {
  claimJobRun,
  deliverPendingEmails,
  dispatchOnce,
  finishJobRun,
  INSTANCE_ID,
  releaseJobRun,
} from '../notifications';
import type { CertificateExpiringPayload, ExpiryThreshold } from '../notifications/contract';
import { EXPIRY_THRESHOLDS } from '../notifications/contract';
import { addDays, daysBetween } from './rules';

/**
 * The daily expiry job: certificates in force whose last day is within 90 or 30 days get a notice
 * to their producer in the app, and by e-mail when SMTP_URL is set [law: notice at least 30 days
 * before the 36 months end; the programme also warns at 90]. From the notice the producer starts a
 * re-evaluation dossier. One app instance runs it per day (claim in job_runs); each certificate gets
 * each threshold's notice once (dispatch key), so re-runs and crashes never notify twice.
 */
export const EXPIRY_JOB = 'certificate-expiry';

/** The notice due on a day: the tightest threshold crossed (a certificate first seen at 20 days left gets only the 30-day one). */
export function dueThreshold(daysLeft: number): ExpiryThreshold | null {
  if (daysLeft < 0) return null;
  const crossed = EXPIRY_THRESHOLDS.filter((t) => daysLeft <= t);
  return crossed.length ? (Math.min(...crossed) as ExpiryThreshold) : null;
}

export function expiryDispatchKey(number: string, validTo: string, threshold: number): string {
  return `${EXPIRY_JOB}:${number}:${validTo}:${threshold}`;
}

export type ExpiryCandidate = {
  id: string;
  number: string;
  product_id: string;
  product_name: string;
  subject_id: string;
  subject_name: string;
  star: number;
  valid_to: string;
  subject_email: string | null;
  producers: { id: string; email: string }[] | string;
};

const formatDay = (day: string) => day.split('-').reverse().join('/');

export function expiryEmail(
  c: ExpiryCandidate,
  daysLeft: number,
  to: string[],
  appUrl: string | undefined,
): MailMessage {
  const link = appUrl ? `\n\n${appUrl}/` : '';
  return {
    to,
    subject: `[OCOP] Giấy chứng nhận ${c.number} sắp hết hiệu lực (${daysLeft} ngày) / Certificate expiring`,
    text:
      `Giấy chứng nhận OCOP số ${c.number} của sản phẩm "${c.product_name}" (${c.subject_name}, ${c.star} sao) ` +
      `hết hiệu lực ngày ${formatDay(c.valid_to)}, còn ${daysLeft} ngày.\n` +
      'Để giữ hạng sao, chủ thể đăng ký đánh giá lại: mở thông báo trên nền tảng OCOP và chọn "Lập hồ sơ đánh giá lại".' +
      `\n\n---\nOCOP certificate ${c.number} for "${c.product_name}" (${c.star} stars) ends on ${c.valid_to}, ` +
      `${daysLeft} days from now. To keep the star, start a re-evaluation dossier from the notice in the OCOP platform.${link}`,
  };
}

/**
 * Latest versions in force on `day` (started, not revoked, not replaced) whose last day is within
 * the widest threshold, with their producer accounts and the subject's contact e-mail. It reads the
 * subjects' and accounts' tables directly in this one statement: the job runs without a user, and
 * those modules offer no unscoped read of contacts.
 */
async function expiryCandidates(
  ctx: Pick<RequestContext, 'database'>,
  day: string,
): Promise<ExpiryCandidate[]> {
  const widest = Math.max(...EXPIRY_THRESHOLDS);
  return queryRows<ExpiryCandidate>(
    ctx.database.db,
    sql`SELECT c.id, c.number, c.product_id, c.product_name, c.subject_id, c.subject_name, c.star,
          c.valid_to::text AS valid_to, s.email AS subject_email,
          COALESCE((SELECT json_agg(json_build_object('id', u.id, 'email', u.email) ORDER BY u.email)
            FROM user_subjects us JOIN users u ON u.id = us.user_id
            WHERE us.subject_id = c.subject_id AND u.active AND u.role = 'producer'), '[]'::json) AS producers
        FROM certificates c JOIN subjects s ON s.id = c.subject_id
        WHERE NOT EXISTS (SELECT 1 FROM certificates n WHERE n.corrects_id = c.id)
          AND NOT EXISTS (SELECT 1 FROM certificate_revocations r WHERE r.number = c.number)
          AND NOT EXISTS (SELECT 1 FROM certificates s1 WHERE s1.corrects_id IS NULL
            AND s1.supersedes_id IN (SELECT v.id FROM certificates v WHERE v.number = c.number))
          AND c.valid_from <= ${day}::date
          AND c.valid_to BETWEEN ${day}::date AND ${addDays(day, widest)}::date
        ORDER BY c.valid_to, c.number`,
  );
}

export type ExpiryJobOutcome = {
  day: string;
  /** False when another instance (or an earlier call) has the day's run. */
  ran: boolean;
  candidates: number;
  notices: number;
  emails: { sent: number; failed: number };
};

type JobCtx = Pick<RequestContext, 'database' | 'config' | 'actor'>;

/**
 * Runs the day's expiry notices. `today` is an instant (its calendar day in the configured time
 * zone counts) or a legal day 'YYYY-MM-DD'.
 */
export async function runExpiryJob({
  ctx,
  today,
  instance = INSTANCE_ID,
}: {
  ctx: JobCtx;
  today: Date | string;
  instance?: string;
}): Promise<ExpiryJobOutcome> {
  const day = typeof today === 'string' ? today : localDate(today, ctx.config.timeZone);
  const outcome: ExpiryJobOutcome = {
    day,
    ran: false,
    candidates: 0,
    notices: 0,
    emails: { sent: 0, failed: 0 },
  };
  const { db } = ctx.database;
  if (!(await claimJobRun(db, { job: EXPIRY_JOB, day, instance }))) return outcome;
  outcome.ran = true;
  try {
    const candidates = await expiryCandidates(ctx, day);
    outcome.candidates = candidates.length;
    for (const c of candidates) {
      const daysLeft = daysBetween(day, c.valid_to);
      const threshold = dueThreshold(daysLeft);
      if (threshold === null) continue;
      const producers: { id: string; email: string }[] =
        typeof c.producers === 'string' ? JSON.parse(c.producers) : c.producers;
      const to = [
        ...new Set(
          [c.subject_email, ...producers.map((p) => p.email)]
            .filter((e): e is string => Boolean(e))
            .map((e) => e.toLowerCase()),
        ),
      ];
      const payload: CertificateExpiringPayload = {
        certificateId: c.id,
        number: c.number,
        productId: c.product_id,
        productName: c.product_name,
        subjectId: c.subject_id,
        subjectName: c.subject_name,
        star: Number(c.star),
        validTo: c.valid_to,
        daysLeft,
        threshold,
        action: { kind: 'start_re_evaluation', productId: c.product_id, evaluationType: 're_evaluation' },
      };
      const key = expiryDispatchKey(c.number, c.valid_to, threshold);
      const message = to.length ? expiryEmail(c, daysLeft, to, ctx.config.publicUrl) : null;
      // One short transaction per certificate: no long-held locks while the web keeps answering.
      const created = await db.transaction((tx) =>
        dispatchOnce(tx, ctx, {
          key,
          kind: 'certificate.expiring',
          userIds: producers.map((p) => p.id),
          payload,
          email: message,
        }),
      );
      if (!created) continue;
      outcome.notices++;
    }
    // Today's e-mails, and earlier ones that failed or were cut off (retried on later runs).
    outcome.emails = await deliverPendingEmails(ctx, { kind: 'certificate.expiring' });
    await finishJobRun(db, { job: EXPIRY_JOB, day, instance, outcome: { ...outcome } });
    return outcome;
  } catch (error) {
    await releaseJobRun(db, { job: EXPIRY_JOB, day, instance }).catch(() => {});
    throw error;
  }
}
