import { and, count, desc, eq, inArray, isNull, lt, notInArray, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { notFound } from '../../server/errors';
import { recordAudit } from '../audit';
import type {
  ListNotificationsQuery,
  NotificationKind,
  NotificationPage,
  NotificationView,
} from './contract';
import { type MailMessage, mailEnabled, sendMail } from './mailer';
import { notificationDispatches, notifications } from './schema';

/**
 * In-app notices of a user, and the once-only dispatch other modules' jobs send them through.
 * A user reads and marks only their own notices; someone else's is a 404, as if it did not exist.
 */
type Ctx = { ctx: RequestContext };

const messages = {
  notFound: { vi: 'Không tìm thấy thông báo.', en: 'Notification not found.' },
};

function toView(row: typeof notifications.$inferSelect): NotificationView {
  return {
    id: row.id,
    kind: row.kind as NotificationKind,
    payload: row.payload,
    createdAt: row.createdAt,
    readAt: row.readAt,
  };
}

export async function listNotifications({
  ctx,
  input,
}: Ctx & { input: ListNotificationsQuery }): Promise<NotificationPage> {
  const { db } = ctx.database;
  const mine = eq(notifications.userId, ctx.actor!.userId);
  const where: SQL = input.unread ? and(mine, isNull(notifications.readAt))! : mine;
  const [rows, [total], [unread]] = await Promise.all([
    db
      .select()
      .from(notifications)
      .where(where)
      .orderBy(desc(notifications.createdAt), desc(notifications.id))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ n: count() }).from(notifications).where(where),
    db
      .select({ n: count() })
      .from(notifications)
      .where(and(mine, isNull(notifications.readAt))),
  ]);
  return {
    items: rows.map(toView),
    total: Number(total?.n ?? 0),
    unread: Number(unread?.n ?? 0),
    page: input.page,
    pageSize: input.pageSize,
  };
}

/** Marks one of the caller's own notices read; marking again keeps the first time (idempotent). */
export async function markNotificationRead({
  ctx,
  input,
}: Ctx & { input: { id: string } }): Promise<NotificationView> {
  const { db } = ctx.database;
  const userId = ctx.actor!.userId;
  return db.transaction(async (tx) => {
    const [row] = await tx
      .select()
      .from(notifications)
      .where(and(eq(notifications.id, input.id), eq(notifications.userId, userId)))
      .for('update');
    if (!row) throw notFound(messages.notFound);
    if (row.readAt) return toView(row);
    const [updated] = await tx
      .update(notifications)
      .set({ readAt: new Date() })
      .where(eq(notifications.id, row.id))
      .returning();
    await recordAudit(tx, ctx, {
      action: 'notification.read',
      entityType: 'notification',
      entityId: row.id,
      after: { readAt: updated!.readAt },
    });
    return toView(updated!);
  });
}

// ---------------------------------------------------------------- dispatching (for jobs)

export type Dispatch = {
  /** Unique per event: the same key is never sent twice, whoever tries. */
  key: string;
  kind: NotificationKind;
  userIds: readonly string[];
  payload: Record<string, unknown>;
  /** Sent after the transaction commits, when SMTP_URL is set and there is an address. */
  email: MailMessage | null;
};

/**
 * Records a dispatch and its in-app notices inside the caller's transaction, once: when the key is
 * already there (another instance, an earlier run) nothing is written and false is returned. The
 * e-mail, if any, is kept with the dispatch and sent after commit by `deliverPendingEmails`.
 */
export async function dispatchOnce(
  tx: DbOrTx,
  ctx: Pick<RequestContext, 'actor' | 'config'>,
  dispatch: Dispatch,
): Promise<boolean> {
  const emailTo = dispatch.email && mailEnabled(ctx.config) ? dispatch.email.to : [];
  const [claimed] = await tx
    .insert(notificationDispatches)
    .values({
      key: dispatch.key,
      kind: dispatch.kind,
      recipients: dispatch.userIds.length,
      emailTo,
      emailStatus: emailTo.length ? 'pending' : 'none',
      emailSubject: emailTo.length ? dispatch.email!.subject : null,
      emailText: emailTo.length ? dispatch.email!.text : null,
    })
    .onConflictDoNothing()
    .returning({ key: notificationDispatches.key });
  if (!claimed) return false;
  const userIds = [...new Set(dispatch.userIds)];
  if (userIds.length) {
    await tx
      .insert(notifications)
      .values(
        userIds.map((userId) => ({
          userId,
          kind: dispatch.kind,
          payload: dispatch.payload,
          dispatchKey: dispatch.key,
        })),
      )
      .onConflictDoNothing();
  }
  await recordAudit(tx, ctx, {
    action: 'notification.dispatched',
    entityType: 'notification_dispatch',
    entityId: dispatch.key,
    after: { kind: dispatch.kind, users: userIds, emailTo, payload: dispatch.payload },
  });
  return true;
}

const MAX_EMAIL_ATTEMPTS = 3;
const RETRY_DAYS = 7;

/**
 * Sends the e-mails of recorded dispatches that have not left yet: new ones, and ones that failed
 * or were cut off by a crash (at most 3 tries, for 7 days). A failure is recorded, not thrown: the
 * in-app notices stand, and one bad address or a mail server down must not stop the job. Each
 * dispatch is taken with a row lock skipped by other senders, so two instances never send one twice.
 */
export async function deliverPendingEmails(
  ctx: Pick<RequestContext, 'database' | 'config'>,
  input: { kind: NotificationKind },
): Promise<{ sent: number; failed: number }> {
  const outcome = { sent: 0, failed: 0 };
  if (!mailEnabled(ctx.config)) return outcome;
  const { db } = ctx.database;
  // One try per dispatch per call: a failure waits for the next run, not a tight loop.
  const tried: string[] = [];
  for (;;) {
    const claimed = await db.transaction(async (tx) => {
      const [row] = await tx
        .select()
        .from(notificationDispatches)
        .where(
          and(
            eq(notificationDispatches.kind, input.kind),
            inArray(notificationDispatches.emailStatus, ['pending', 'failed']),
            lt(notificationDispatches.emailAttempts, MAX_EMAIL_ATTEMPTS),
            sql`${notificationDispatches.createdAt} > now() - make_interval(days => ${RETRY_DAYS})`,
            tried.length ? notInArray(notificationDispatches.key, tried) : undefined,
          ),
        )
        .orderBy(notificationDispatches.createdAt)
        .limit(1)
        .for('update', { skipLocked: true });
      if (!row) return null;
      // Counted before sending: a crash mid-send uses up a try rather than looping forever.
      await tx
        .update(notificationDispatches)
        .set({ emailAttempts: row.emailAttempts + 1, emailStatus: 'sending' })
        .where(eq(notificationDispatches.key, row.key));
      return row;
    });
    if (!claimed) return outcome;
    tried.push(claimed.key);
    let status: 'sent' | 'failed' = 'sent';
    let error: string | null = null;
    try {
      await sendMail(ctx.config, {
        to: claimed.emailTo,
        subject: claimed.emailSubject ?? '',
        text: claimed.emailText ?? '',
      });
    } catch (caught) {
      status = 'failed';
      error = (caught instanceof Error ? caught.message : String(caught)).slice(0, 500);
    }
    await db
      .update(notificationDispatches)
      .set({ emailStatus: status, emailError: error })
      .where(eq(notificationDispatches.key, claimed.key));
    outcome[status]++;
  }
}
