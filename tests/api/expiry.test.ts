import net from 'node:net';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { queryRows } from '../../src/db/client';
import { EXPIRY_JOB, runExpiryJob } from '../../src/modules/certificates/expiry';
import { addDays } from '../../src/modules/certificates/rules';
import { claimJobRun } from '../../src/modules/notifications/jobs';
import { notificationDispatches, notifications } from '../../src/modules/notifications/schema';
import { subjects } from '../../src/modules/subjects/schema';
import { createTestContext, type TestContext } from '../support/test-app';
import { api, HY, HY_A, insertProduct, insertSubject, NB, NB_A, NB_B, today } from './certificates-support';
import { insertCertificate, insertReEvaluationDossier, type SmtpSink, startSmtpSink } from './expiry-support';

/**
 * The daily expiry job and the re-evaluation queue: notices at 90 and 30 days judged on the day in
 * Asia/Ho_Chi_Minh, one run per day across instances, each notice once, e-mail through SMTP_URL
 * to a local sink, and the officers' queue with the dossiers producers started.
 */
let t: TestContext;
let sink: SmtpSink;
let producer: { id: string; email: string };
let producerHeaders: Record<string, string>;
let otherProducer: Record<string, string>;
let nbOfficer: Record<string, string>;
let hyOfficer: Record<string, string>;
let admin: Record<string, string>;
let communeOfficer: Record<string, string>;
let subjectA: string;
let subjectB: string;

const jobCtx = () => ({ database: t.database, config: ctxConfig, actor: null });
let ctxConfig: Parameters<typeof runExpiryJob>[0]['ctx']['config'];

/** The instant 00:00 in Hà Nội of a day: 17:00 UTC of the day before. */
const hanoiMidnight = (day: string) => new Date(`${day}T00:00:00+07:00`);

async function noticesOf(number: string) {
  const rows = await t.database.db.select().from(notifications);
  return rows.filter((r) => (r.payload as { number?: string }).number === number);
}

beforeAll(async () => {
  sink = await startSmtpSink();
  t = await createTestContext({
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    PUBLIC_URL: 'https://ocop.example.vn',
  });
  const { loadConfig } = await import('../../src/config');
  ctxConfig = loadConfig({
    DATA_DIR: t.dataDir,
    LOG_LEVEL: 'silent',
    SMTP_URL: `smtp://127.0.0.1:${sink.port}`,
    PUBLIC_URL: 'https://ocop.example.vn',
  });
  subjectA = await insertSubject(t, 'HTX Ong mật Phủ Lý', NB_A);
  subjectB = await insertSubject(t, 'HTX Mắm tép Phù Vân', NB_B);
  await t.database.db.update(subjects).set({ email: 'lienhe@htx-ong.vn' }).where(eq(subjects.id, subjectA));
  const made = await t.as({ role: 'producer', subjectIds: [subjectA] });
  producer = { id: made.user.id, email: made.user.email };
  producerHeaders = made.headers;
  otherProducer = (await t.as({ role: 'producer', subjectIds: [subjectB] })).headers;
  nbOfficer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  hyOfficer = (await t.as({ role: 'province_officer', provinceCode: HY })).headers;
  admin = (await t.as({ role: 'system_admin' })).headers;
  communeOfficer = (await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: NB_A })).headers;
});
afterAll(async () => {
  await t.close();
  await sink.close();
});

describe('expiry job', () => {
  it('notices at 90 days on the day in Hà Nội, not on the UTC day, and e-mails the producer', async () => {
    const product = await insertProduct(t, subjectA, NB_A, 'Mật ong bạc hà Đồng Văn');
    const validTo = addDays(today(), 400);
    const cert = await insertCertificate(t, {
      productId: product,
      subjectId: subjectA,
      provinceCode: NB,
      communeCode: NB_A,
      validFrom: addDays(today(), -600),
      validTo,
      productName: 'Mật ong bạc hà Đồng Văn',
    });
    // 23:59:59 in Hà Nội, 91 days before the last day: nothing yet.
    const before = await runExpiryJob({
      ctx: jobCtx(),
      today: new Date(hanoiMidnight(addDays(validTo, -90)).getTime() - 1000),
    });
    expect(before).toMatchObject({ day: addDays(validTo, -91), ran: true });
    expect(await noticesOf(cert.number)).toHaveLength(0);
    // 00:00 in Hà Nội 90 days before: the UTC date is still the day before, the notice is due.
    const at = hanoiMidnight(addDays(validTo, -90));
    expect(at.toISOString().slice(0, 10)).toBe(addDays(validTo, -91));
    const run = await runExpiryJob({ ctx: jobCtx(), today: at });
    expect(run).toMatchObject({ day: addDays(validTo, -90), ran: true });
    expect(run.emails.failed).toBe(0);
    const notices = await noticesOf(cert.number);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({
      userId: producer.id,
      kind: 'certificate.expiring',
      readAt: null,
      payload: {
        number: cert.number,
        productId: product,
        validTo,
        daysLeft: 90,
        threshold: 90,
        action: { kind: 'start_re_evaluation', productId: product, evaluationType: 're_evaluation' },
      },
    });
    const mail = sink.messages.find((m) => m.data.replace(/=\r\n/g, '').includes(cert.number));
    expect(mail, 'an e-mail reached the sink').toBeDefined();
    expect(mail!.to.sort()).toEqual(['lienhe@htx-ong.vn', producer.email.toLowerCase()].sort());
    const [dispatch] = await t.database.db
      .select()
      .from(notificationDispatches)
      .where(sql`${notificationDispatches.key} like ${`%${cert.number}%`}`);
    expect(dispatch).toMatchObject({ emailStatus: 'sent', recipients: 1 });

    // Later days send nothing more for 90; the 30-day notice comes once, at 30 days left.
    await runExpiryJob({ ctx: jobCtx(), today: addDays(validTo, -89) });
    expect(await noticesOf(cert.number)).toHaveLength(1);
    await runExpiryJob({ ctx: jobCtx(), today: addDays(validTo, -31) });
    expect(await noticesOf(cert.number)).toHaveLength(1);
    await runExpiryJob({ ctx: jobCtx(), today: addDays(validTo, -30) });
    await runExpiryJob({ ctx: jobCtx(), today: addDays(validTo, -29) });
    const after = await noticesOf(cert.number);
    expect(after.map((n) => (n.payload as { threshold: number }).threshold).sort()).toEqual([30, 90]);
    // After the last day, nothing.
    await runExpiryJob({ ctx: jobCtx(), today: addDays(validTo, 1) });
    expect(await noticesOf(cert.number)).toHaveLength(2);
  });

  it('runs once per day when two instances start it at the same moment, and a re-run notifies nobody twice', async () => {
    const product = await insertProduct(t, subjectA, NB_A);
    const validTo = addDays(today(), 1500);
    const cert = await insertCertificate(t, {
      productId: product,
      subjectId: subjectA,
      provinceCode: NB,
      communeCode: NB_A,
      validFrom: addDays(today(), -10),
      validTo,
    });
    const day = addDays(validTo, -20);
    const [a, b] = await Promise.all([
      runExpiryJob({ ctx: jobCtx(), today: day, instance: 'instance-a' }),
      runExpiryJob({ ctx: jobCtx(), today: day, instance: 'instance-b' }),
    ]);
    expect([a.ran, b.ran].sort()).toEqual([false, true]);
    const notices = await noticesOf(cert.number);
    // First seen at 20 days left: only the 30-day notice, not a 90-day one as well.
    expect(notices.map((n) => (n.payload as { threshold: number }).threshold)).toEqual([30]);
    const runs = await queryRows<{ instance: string; finished: boolean }>(
      t.database.db,
      sql`SELECT instance, finished_at IS NOT NULL AS finished FROM job_runs WHERE job = ${EXPIRY_JOB} AND day = ${day}`,
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]!.finished).toBe(true);
    // Same day again on a third instance: the claim is taken, nothing runs.
    expect((await runExpiryJob({ ctx: jobCtx(), today: day, instance: 'instance-c' })).ran).toBe(false);
    // A claim abandoned by a dead instance is taken over only once stale.
    const other = addDays(day, 1);
    expect(await claimJobRun(t.database.db, { job: EXPIRY_JOB, day: other, instance: 'dead' })).toBe(true);
    expect((await runExpiryJob({ ctx: jobCtx(), today: other, instance: 'instance-d' })).ran).toBe(false);
    expect(
      await claimJobRun(t.database.db, {
        job: EXPIRY_JOB,
        day: other,
        instance: 'instance-e',
        staleMinutes: 0,
      }),
    ).toBe(true);
    expect(await noticesOf(cert.number)).toHaveLength(1);
  });

  it('keeps an e-mail that could not leave and sends it on a later run', async () => {
    const product = await insertProduct(t, subjectA, NB_A);
    const validTo = addDays(today(), 2500);
    const cert = await insertCertificate(t, {
      productId: product,
      subjectId: subjectA,
      provinceCode: NB,
      communeCode: NB_A,
      validFrom: addDays(today(), -10),
      validTo,
    });
    // A port nobody listens on: the mail server is down for this run.
    const closed = net.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const deadPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const down = { ...ctxConfig, smtpUrl: `smtp://127.0.0.1:${deadPort}` };
    const failed = await runExpiryJob({ ctx: { ...jobCtx(), config: down }, today: addDays(validTo, -90) });
    expect(failed.emails.failed).toBeGreaterThanOrEqual(1);
    const key = `${EXPIRY_JOB}:${cert.number}:${validTo}:90`;
    const [before] = await t.database.db
      .select()
      .from(notificationDispatches)
      .where(eq(notificationDispatches.key, key));
    expect(before).toMatchObject({ emailStatus: 'failed', emailAttempts: 1 });
    expect(await noticesOf(cert.number)).toHaveLength(1);

    const delivered = sink.messages.length;
    const next = await runExpiryJob({ ctx: jobCtx(), today: addDays(validTo, -89) });
    expect(next.notices).toBe(0);
    expect(next.emails.sent).toBeGreaterThanOrEqual(1);
    const [after] = await t.database.db
      .select()
      .from(notificationDispatches)
      .where(eq(notificationDispatches.key, key));
    expect(after).toMatchObject({ emailStatus: 'sent', emailAttempts: 2 });
    expect(
      sink.messages.slice(delivered).some((m) => m.data.replace(/=\r\n/g, '').includes(cert.number)),
    ).toBe(true);
    expect(await noticesOf(cert.number)).toHaveLength(1);
  });

  it('skips revoked, replaced, expired and not yet started certificates', async () => {
    const p1 = await insertProduct(t, subjectA, NB_A);
    const p2 = await insertProduct(t, subjectA, NB_A);
    const start = addDays(today(), -30);
    const revoked = await insertCertificate(t, {
      productId: p1,
      subjectId: subjectA,
      provinceCode: NB,
      communeCode: NB_A,
      validFrom: start,
      validTo: addDays(today(), 2000),
    });
    await t.database.db.execute(
      sql`INSERT INTO certificate_revocations (certificate_id, number, reason_category, decision_number, decision_date)
          VALUES (${revoked.id}, ${revoked.number}, 'quality', '1/QĐ', ${today()})`,
    );
    const pending = await insertCertificate(t, {
      productId: p2,
      subjectId: subjectA,
      provinceCode: NB,
      communeCode: NB_A,
      validFrom: addDays(today(), 1990),
      validTo: addDays(today(), 2010),
    });
    await runExpiryJob({ ctx: jobCtx(), today: addDays(today(), 1985) });
    expect(await noticesOf(revoked.number)).toHaveLength(0);
    expect(await noticesOf(pending.number)).toHaveLength(0);
  });
});

describe('notifications API', () => {
  it('lists only the caller’s own notices, marks one read once, and refuses another’s', async () => {
    const mine = await api(t, 'GET', '/notifications', producerHeaders);
    expect(mine.statusCode).toBe(200);
    const page = mine.json();
    expect(page.total).toBeGreaterThanOrEqual(3);
    expect(page.unread).toBe(page.total);
    const first = page.items[0];
    expect(first.kind).toBe('certificate.expiring');

    const none = await api(t, 'GET', '/notifications', otherProducer);
    expect(none.json()).toMatchObject({ total: 0, unread: 0, items: [] });
    const stolen = await api(t, 'POST', `/notifications/${first.id}/read`, otherProducer);
    expect(stolen.statusCode).toBe(404);

    const read = await api(t, 'POST', `/notifications/${first.id}/read`, producerHeaders);
    expect(read.statusCode).toBe(200);
    expect(read.json().readAt).not.toBeNull();
    const again = await api(t, 'POST', `/notifications/${first.id}/read`, producerHeaders);
    expect(again.json().readAt).toBe(read.json().readAt);
    const unread = await api(t, 'GET', '/notifications?unread=true', producerHeaders);
    expect(unread.json().total).toBe(page.total - 1);
    expect(unread.json().unread).toBe(page.total - 1);
  });

  it('refuses bad input and anonymous callers', async () => {
    expect((await api(t, 'GET', '/notifications', {})).statusCode).toBe(401);
    const badId = await api(t, 'POST', '/notifications/not-a-uuid/read', producerHeaders);
    expect(badId.statusCode).toBe(400);
    expect(badId.json().error.fields).toHaveProperty('id');
    const badPage = await api(t, 'GET', '/notifications?pageSize=1000&unread=maybe', producerHeaders);
    expect(badPage.statusCode).toBe(400);
    expect(Object.keys(badPage.json().error.fields).sort()).toEqual(['pageSize', 'unread']);
    const unknown = await api(
      t,
      'POST',
      '/notifications/00000000-0000-4000-8000-000000000000/read',
      producerHeaders,
    );
    expect(unknown.statusCode).toBe(404);
  });
});

describe('re-evaluation queue', () => {
  it('shows the province’s expiring and lapsed certificates, soonest first, with the dossier a producer started', async () => {
    const p1 = await insertProduct(t, subjectB, NB_B, 'Mắm tép chưng thịt');
    const pLapsed = await insertProduct(t, subjectB, NB_B, 'Chả cá Phù Vân');
    const p2 = await insertProduct(t, subjectB, NB_B, 'Tép khô Phù Vân');
    const pFar = await insertProduct(t, subjectB, NB_B);
    const start = addDays(today(), -1000);
    const soon = await insertCertificate(t, {
      productId: p1,
      subjectId: subjectB,
      provinceCode: NB,
      communeCode: NB_B,
      validFrom: start,
      validTo: addDays(today(), 10),
      productName: 'Mắm tép chưng thịt',
    });
    const later = await insertCertificate(t, {
      productId: p2,
      subjectId: subjectB,
      provinceCode: NB,
      communeCode: NB_B,
      validFrom: start,
      validTo: addDays(today(), 80),
    });
    const far = await insertCertificate(t, {
      productId: pFar,
      subjectId: subjectB,
      provinceCode: NB,
      communeCode: NB_B,
      validFrom: start,
      validTo: addDays(today(), 200),
    });
    // Lapsed without re-applying: still the province's to chase (re-evaluate or let it go).
    const lapsed = await insertCertificate(t, {
      productId: pLapsed,
      subjectId: subjectB,
      provinceCode: NB,
      communeCode: NB_B,
      validFrom: start,
      validTo: addDays(today(), -20),
    });
    const hySubject = await insertSubject(t, 'HTX Nhãn lồng', HY_A);
    const hyProduct = await insertProduct(t, hySubject, HY_A);
    const hyCert = await insertCertificate(t, {
      productId: hyProduct,
      subjectId: hySubject,
      provinceCode: HY,
      communeCode: HY_A,
      validFrom: start,
      validTo: addDays(today(), 5),
    });
    const dossier = await insertReEvaluationDossier(t, {
      productId: p2,
      subjectId: subjectB,
      provinceCode: NB,
      communeCode: NB_B,
    });

    const response = await api(t, 'GET', '/certificates/re-evaluation-queue', nbOfficer);
    expect(response.statusCode, response.body).toBe(200);
    const queue = response.json();
    const numbers = queue.items.map((i: { number: string }) => i.number);
    expect(numbers).toContain(soon.number);
    expect(numbers).toContain(later.number);
    expect(numbers).not.toContain(far.number);
    expect(numbers).not.toContain(hyCert.number);
    expect(numbers.indexOf(lapsed.number)).toBeLessThan(numbers.indexOf(soon.number));
    expect(numbers.indexOf(soon.number)).toBeLessThan(numbers.indexOf(later.number));
    expect(queue.items.find((i: { number: string }) => i.number === lapsed.number)).toMatchObject({
      daysLeft: -20,
    });
    const laterItem = queue.items.find((i: { number: string }) => i.number === later.number);
    expect(laterItem).toMatchObject({ daysLeft: 80, reEvaluationDossier: { id: dossier, state: 'draft' } });
    const soonItem = queue.items.find((i: { number: string }) => i.number === soon.number);
    expect(soonItem).toMatchObject({
      daysLeft: 10,
      reEvaluationDossier: null,
      product: { id: p1, name: 'Mắm tép chưng thịt' },
    });

    const waiting = (
      await api(t, 'GET', '/certificates/re-evaluation-queue?withoutDossier=true', nbOfficer)
    ).json();
    expect(waiting.items.map((i: { number: string }) => i.number)).not.toContain(later.number);

    const hy = (await api(t, 'GET', '/certificates/re-evaluation-queue', hyOfficer)).json();
    expect(hy.items.map((i: { number: string }) => i.number)).toEqual([hyCert.number]);
    const all = (await api(t, 'GET', `/certificates/re-evaluation-queue?provinceCode=${HY}`, admin)).json();
    expect(all.items.map((i: { number: string }) => i.number)).toEqual([hyCert.number]);
  });

  it('refuses other roles, another province and bad input', async () => {
    expect((await api(t, 'GET', '/certificates/re-evaluation-queue', communeOfficer)).statusCode).toBe(403);
    expect((await api(t, 'GET', '/certificates/re-evaluation-queue', producerHeaders)).statusCode).toBe(403);
    expect((await api(t, 'GET', '/certificates/re-evaluation-queue', {})).statusCode).toBe(401);
    expect(
      (await api(t, 'GET', `/certificates/re-evaluation-queue?provinceCode=${HY}`, nbOfficer)).statusCode,
    ).toBe(403);
    const bad = await api(t, 'GET', '/certificates/re-evaluation-queue?provinceCode=abc&page=0', admin);
    expect(bad.statusCode).toBe(400);
    expect(Object.keys(bad.json().error.fields).sort()).toEqual(['page', 'provinceCode']);
  });
});
