import { hash, verify } from '@node-rs/argon2';
import { and, asc, count, eq, ilike, inArray, lt, lte, or, type SQL, sql } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { AppError, fieldError, notFound, tooManyAttempts } from '../../server/errors';
import { validationMessages } from '../../server/validation';
import { getCommune, getProvince } from '../admin-units';
import { recordAudit } from '../audit';
import { findExistingSubjectIds } from '../subjects';
import type { CouncilMemberDirectory, CreateUserInput, UpdateUserInput, UserView } from './contract';
import type { Role } from './roles';
import {
  addressWaitMs,
  checkRoleScope,
  countAttempt,
  normaliseEmail,
  pairWaitMs,
  passwordProblem,
} from './rules';
import { loginThrottle, sessions, userSubjects, users } from './schema';
import { hashToken, newToken } from './session';

type Ctx = { ctx: RequestContext };

// Verifying against a fixed hash when the e-mail is unknown keeps the response time the same, so timing reveals no accounts.
const DUMMY_HASH_PROMISE = hash('not-a-real-password-0');

const scopeMessages = {
  provinceRequired: [
    'provinceCode',
    { vi: 'Cán bộ cấp tỉnh cần chọn tỉnh.', en: 'A province officer needs a province.' },
  ],
  communeRequired: [
    'communeCode',
    { vi: 'Cán bộ cấp xã cần chọn xã.', en: 'A commune officer needs a commune.' },
  ],
  subjectsRequired: [
    'subjectIds',
    { vi: 'Chủ thể sản xuất cần gắn với ít nhất một chủ thể.', en: 'A producer needs at least one subject.' },
  ],
  noScopeExpected: ['role', { vi: 'Vai trò này không gắn với địa bàn.', en: 'This role has no area scope.' }],
} as const;

function toUserView(row: typeof users.$inferSelect, subjectIds: string[]): UserView {
  return {
    id: row.id,
    email: row.email,
    fullName: row.fullName,
    role: row.role as Role,
    provinceCode: row.provinceCode,
    communeCode: row.communeCode,
    subjectIds,
    active: row.active,
    mustChangePassword: row.mustChangePassword,
    createdAt: row.createdAt,
    lastLoginAt: row.lastLoginAt,
  };
}

async function subjectIdsOf(db: DbOrTx, userId: string): Promise<string[]> {
  const rows = await db
    .select({ id: userSubjects.subjectId })
    .from(userSubjects)
    .where(eq(userSubjects.userId, userId));
  return rows.map((r) => r.id);
}

// ---------- login / logout ----------

/** Before a password is checked, after a first run of free attempts (see `pairWaitMs`). */
const FIRST_DELAY_MS = 30_000;

type AttemptKeys = { pair: string; address: string };

/**
 * Counts this attempt for its account-and-address pair and its address, or refuses it with the wait,
 * in one short transaction that locks both rows: parallel attempts are counted one after another
 * before any password hash is checked, so a burst cannot slip under the limits. A refused attempt
 * is not counted (waiting longer is not a punishment for asking).
 */
async function takeAttempt(ctx: RequestContext, keys: AttemptKeys, now: Date): Promise<void> {
  const { config } = ctx;
  const windowMs = config.loginWindowMinutes * 60_000;
  const waitMs = await ctx.database.db.transaction(async (tx) => {
    const ordered = [keys.address, keys.pair].sort();
    await tx
      .insert(loginThrottle)
      .values(ordered.map((key) => ({ key, attempts: 0, windowStartedAt: now, lastAttemptAt: now })))
      .onConflictDoNothing();
    const rows = await tx
      .select()
      .from(loginThrottle)
      .where(inArray(loginThrottle.key, ordered))
      .orderBy(asc(loginThrottle.key))
      .for('update');
    const state = new Map(rows.map((row) => [row.key, row]));
    const wait = Math.max(
      pairWaitMs(state.get(keys.pair), now, {
        freeAttempts: config.loginMaxFailuresPerAccount,
        baseDelayMs: FIRST_DELAY_MS,
        windowMs,
      }),
      addressWaitMs(state.get(keys.address), now, config.loginMaxFailuresPerIp, windowMs),
    );
    if (wait > 0) return wait;
    for (const key of ordered) {
      const next = countAttempt(state.get(key), now, windowMs);
      await tx.update(loginThrottle).set(next).where(eq(loginThrottle.key, key));
    }
    return 0;
  });
  if (waitMs > 0) throw tooManyAttempts(waitMs);
}

/**
 * A successful login gives its attempt back: the pair starts afresh, the address counts one fewer (a
 * row with nothing left to count goes, so the table holds only keys with failures outstanding).
 */
async function returnAttempt(tx: DbOrTx, keys: AttemptKeys): Promise<void> {
  await tx
    .delete(loginThrottle)
    .where(
      or(
        eq(loginThrottle.key, keys.pair),
        and(eq(loginThrottle.key, keys.address), lte(loginThrottle.attempts, 1)),
      ),
    );
  await tx
    .update(loginThrottle)
    .set({ attempts: sql`${loginThrottle.attempts} - 1` })
    .where(eq(loginThrottle.key, keys.address));
}

export type LoginResult = { token: string; csrfToken: string; user: UserView; expiresAt: Date };

export async function login({
  ctx,
  input,
}: Ctx & { input: { email: string; password: string; userAgent?: string } }): Promise<LoginResult> {
  const { db } = ctx.database;
  const { config } = ctx;
  const now = new Date();
  const email = normaliseEmail(input.email);
  const keys: AttemptKeys = { pair: `pair:${email}|${ctx.ip}`, address: `ip:${ctx.ip}` };
  await takeAttempt(ctx, keys, now);
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const passwordOk = await verify(user?.passwordHash ?? (await DUMMY_HASH_PROMISE), input.password);
  if (!user || !passwordOk || !user.active) throw new AppError('INVALID_CREDENTIALS');
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = new Date(now.getTime() + config.sessionTtlHours * 3_600_000);
  await db.transaction(async (tx) => {
    await returnAttempt(tx, keys);
    await tx.delete(sessions).where(and(eq(sessions.userId, user.id), lt(sessions.expiresAt, now)));
    await tx.insert(sessions).values({
      id: hashToken(token),
      userId: user.id,
      csrfToken,
      expiresAt,
      ip: ctx.ip,
      userAgent: input.userAgent?.slice(0, 300) ?? null,
    });
    await tx.update(users).set({ lastLoginAt: now }).where(eq(users.id, user.id));
  });
  return {
    token,
    csrfToken,
    expiresAt,
    user: toUserView({ ...user, lastLoginAt: now }, await subjectIdsOf(db, user.id)),
  };
}

export async function logout({ ctx }: Ctx): Promise<void> {
  if (!ctx.actor) return;
  await ctx.database.db.delete(sessions).where(eq(sessions.id, ctx.actor.sessionId));
}

export async function currentUser({ ctx }: Ctx): Promise<UserView> {
  return getUser({ ctx, input: { id: ctx.actor!.userId }, skipPolicy: true });
}

export async function changeOwnPassword({
  ctx,
  input,
}: Ctx & { input: { currentPassword: string; newPassword: string } }) {
  const actor = ctx.actor!;
  const { db } = ctx.database;
  const [user] = await db.select().from(users).where(eq(users.id, actor.userId)).limit(1);
  if (!user || !(await verify(user.passwordHash, input.currentPassword))) {
    throw fieldError('currentPassword', {
      vi: 'Mật khẩu hiện tại không đúng.',
      en: 'The current password is wrong.',
    });
  }
  refuseDemoPassword(ctx, 'newPassword', input.newPassword);
  const passwordHash = await hash(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: false, updatedAt: new Date() })
      .where(eq(users.id, user.id));
    // Other sessions of this user end: a password change is often a response to a leaked password.
    await tx
      .delete(sessions)
      .where(and(eq(sessions.userId, user.id), sql`${sessions.id} <> ${actor.sessionId}`));
    await recordAudit(tx, ctx, { action: 'user.password_changed', entityType: 'user', entityId: user.id });
  });
}

// ---------- administration ----------

async function validateScope(
  db: DbOrTx,
  input: { role: Role; provinceCode?: string | null; communeCode?: string | null; subjectIds?: string[] },
) {
  const problem = checkRoleScope(input);
  if (problem) {
    const [field, message] = scopeMessages[problem];
    throw fieldError(field, message);
  }
  let provinceCode: string | null = null;
  let communeCode: string | null = null;
  if (input.role === 'province_officer') {
    if (!(await getProvince(db, input.provinceCode!))) {
      throw fieldError('provinceCode', { vi: 'Không có tỉnh với mã này.', en: 'No province has this code.' });
    }
    provinceCode = input.provinceCode!;
  }
  if (input.role === 'commune_officer') {
    const commune = await getCommune(db, input.communeCode!);
    if (!commune)
      throw fieldError('communeCode', { vi: 'Không có xã với mã này.', en: 'No commune has this code.' });
    provinceCode = commune.provinceCode;
    communeCode = commune.code;
  }
  let subjectIds: string[] = [];
  if (input.role === 'producer') {
    subjectIds = [...new Set(input.subjectIds ?? [])];
    const existing = await findExistingSubjectIds(db, subjectIds);
    if (existing.length !== subjectIds.length) {
      throw fieldError('subjectIds', { vi: 'Có chủ thể không tồn tại.', en: 'Some subjects do not exist.' });
    }
  }
  return { provinceCode, communeCode, subjectIds };
}

/** The demo password is refused outside demo mode: it is printed at every demo start and in the README. */
function refuseDemoPassword(ctx: RequestContext, field: string, password: string): void {
  if (passwordProblem(password, { demo: ctx.config.demo }) === 'demo') {
    throw fieldError(field, validationMessages['password.demo']!);
  }
}

export async function createUser({ ctx, input }: Ctx & { input: CreateUserInput }): Promise<UserView> {
  const { db } = ctx.database;
  const scope = await validateScope(db, {
    role: input.role,
    provinceCode: input.provinceCode,
    communeCode: input.communeCode,
    subjectIds: input.subjectIds,
  });
  refuseDemoPassword(ctx, 'password', input.password);
  const passwordHash = await hash(input.password);
  return db.transaction(async (tx) => {
    const [taken] = await tx
      .select({ id: users.id })
      .from(users)
      .where(eq(users.email, input.email))
      .limit(1);
    if (taken)
      throw fieldError(
        'email',
        { vi: 'Email đã được dùng.', en: 'This e-mail is already used.' },
        'CONFLICT',
      );
    const [row] = await tx
      .insert(users)
      .values({
        email: input.email,
        fullName: input.fullName,
        passwordHash,
        role: input.role,
        provinceCode: scope.provinceCode,
        communeCode: scope.communeCode,
        // An account made by someone else starts with a password that person knows.
        mustChangePassword: ctx.actor !== null,
      })
      .returning();
    if (scope.subjectIds.length) {
      await tx
        .insert(userSubjects)
        .values(scope.subjectIds.map((subjectId) => ({ userId: row!.id, subjectId })));
    }
    const view = toUserView(row!, scope.subjectIds);
    await recordAudit(tx, ctx, {
      action: 'user.created',
      entityType: 'user',
      entityId: row!.id,
      after: view,
    });
    return view;
  });
}

export async function getUser({
  ctx,
  input,
  skipPolicy,
}: Ctx & { input: { id: string }; skipPolicy?: boolean }): Promise<UserView> {
  if (!skipPolicy && ctx.actor?.role !== 'system_admin') throw new AppError('FORBIDDEN');
  const { db } = ctx.database;
  const [row] = await db.select().from(users).where(eq(users.id, input.id)).limit(1);
  if (!row) throw notFound({ vi: 'Không tìm thấy người dùng.', en: 'User not found.' });
  return toUserView(row, await subjectIdsOf(db, row.id));
}

/** A user whose e-mail or (accent-folded) name contains the text typed. */
function nameOrEmailMatches(q: string): SQL {
  const pattern = `%${q.replace(/[%_\\]/g, '\\$&')}%`;
  return or(ilike(users.email, pattern), sql`ocop_fold(${users.fullName}) like ocop_fold(${pattern})`)!;
}

const DIRECTORY_LIMIT = 50;

/**
 * Active council-member accounts, by name or e-mail without accents, for the officers who seat
 * councils (they may not list users in general). At most 50, with a flag when more match.
 */
export async function listCouncilMembers({
  ctx,
  input,
}: Ctx & { input: { q?: string | undefined } }): Promise<CouncilMemberDirectory> {
  const conditions = [eq(users.role, 'council_member'), eq(users.active, true)];
  if (input.q) {
    conditions.push(nameOrEmailMatches(input.q));
  }
  const rows = await ctx.database.db
    .select({ id: users.id, fullName: users.fullName, email: users.email })
    .from(users)
    .where(and(...conditions))
    .orderBy(asc(users.fullName), asc(users.email))
    .limit(DIRECTORY_LIMIT + 1);
  return { items: rows.slice(0, DIRECTORY_LIMIT), more: rows.length > DIRECTORY_LIMIT };
}

export async function listUsers({
  ctx,
  input,
}: Ctx & { input: { q?: string | undefined; role?: Role | undefined; page: number; pageSize: number } }) {
  const { db } = ctx.database;
  const conditions = [];
  if (input.q) {
    conditions.push(nameOrEmailMatches(input.q));
  }
  if (input.role) conditions.push(eq(users.role, input.role));
  const where = conditions.length ? and(...conditions) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select()
      .from(users)
      .where(where)
      .orderBy(asc(users.email))
      .limit(input.pageSize)
      .offset((input.page - 1) * input.pageSize),
    db.select({ n: count() }).from(users).where(where),
  ]);
  const links = rows.length
    ? await db
        .select()
        .from(userSubjects)
        .where(
          inArray(
            userSubjects.userId,
            rows.map((r) => r.id),
          ),
        )
    : [];
  const items = rows.map((r) =>
    toUserView(
      r,
      links.filter((l) => l.userId === r.id).map((l) => l.subjectId),
    ),
  );
  return { items, total: total?.n ?? 0, page: input.page, pageSize: input.pageSize };
}

export async function updateUser({
  ctx,
  input,
}: Ctx & { input: UpdateUserInput & { id: string } }): Promise<UserView> {
  const { db } = ctx.database;
  const before = await getUser({ ctx, input: { id: input.id } });
  const role = input.role ?? before.role;
  const roleOrScopeChanges =
    input.role !== undefined ||
    input.provinceCode !== undefined ||
    input.communeCode !== undefined ||
    input.subjectIds !== undefined;
  const scope = roleOrScopeChanges
    ? await validateScope(db, {
        role,
        provinceCode:
          input.provinceCode !== undefined
            ? input.provinceCode
            : role === before.role
              ? before.provinceCode
              : null,
        communeCode:
          input.communeCode !== undefined
            ? input.communeCode
            : role === before.role
              ? before.communeCode
              : null,
        subjectIds: input.subjectIds ?? (role === before.role ? before.subjectIds : []),
      })
    : { provinceCode: before.provinceCode, communeCode: before.communeCode, subjectIds: before.subjectIds };
  if (
    input.id === ctx.actor!.userId &&
    (input.active === false || (input.role && input.role !== 'system_admin'))
  ) {
    throw fieldError('role', {
      vi: 'Không thể tự khoá hoặc tự bỏ quyền quản trị của mình.',
      en: 'You cannot deactivate yourself or remove your own administrator role.',
    });
  }
  return db.transaction(async (tx) => {
    const [row] = await tx
      .update(users)
      .set({
        fullName: input.fullName ?? before.fullName,
        role,
        provinceCode: scope.provinceCode,
        communeCode: scope.communeCode,
        active: input.active ?? before.active,
        updatedAt: new Date(),
      })
      .where(eq(users.id, input.id))
      .returning();
    await tx.delete(userSubjects).where(eq(userSubjects.userId, input.id));
    if (scope.subjectIds.length) {
      await tx
        .insert(userSubjects)
        .values(scope.subjectIds.map((subjectId) => ({ userId: input.id, subjectId })));
    }
    if (input.active === false) await tx.delete(sessions).where(eq(sessions.userId, input.id));
    const after = toUserView(row!, scope.subjectIds);
    await recordAudit(tx, ctx, {
      action: 'user.updated',
      entityType: 'user',
      entityId: input.id,
      before,
      after,
    });
    return after;
  });
}

export async function resetPassword({
  ctx,
  input,
}: Ctx & { input: { id: string; newPassword: string } }): Promise<void> {
  const { db } = ctx.database;
  await getUser({ ctx, input: { id: input.id } });
  refuseDemoPassword(ctx, 'newPassword', input.newPassword);
  const passwordHash = await hash(input.newPassword);
  await db.transaction(async (tx) => {
    await tx
      .update(users)
      .set({ passwordHash, mustChangePassword: true, updatedAt: new Date() })
      .where(eq(users.id, input.id));
    await tx.delete(sessions).where(eq(sessions.userId, input.id));
    await recordAudit(tx, ctx, { action: 'user.password_reset', entityType: 'user', entityId: input.id });
  });
}
