import { createHash, randomBytes } from 'node:crypto';
import { and, eq, gt } from 'drizzle-orm';
import type { Db } from '../../db/client';
import type { Actor } from '../../server/context';
import type { Role } from './roles';
import { sessions, userSubjects, users } from './schema';

export const SESSION_COOKIE = 'ocop_session';

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

export type ResolvedSession = { actor: Actor; csrfToken: string };

/** Finds the live session for a cookie token with its user's current role and scope (a change of role applies at once). */
export async function resolveSession(db: Db, token: string): Promise<ResolvedSession | null> {
  const sessionId = hashToken(token);
  const [row] = await db
    .select({
      sessionId: sessions.id,
      csrfToken: sessions.csrfToken,
      userId: users.id,
      email: users.email,
      fullName: users.fullName,
      role: users.role,
      provinceCode: users.provinceCode,
      communeCode: users.communeCode,
    })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.id, sessionId), gt(sessions.expiresAt, new Date()), eq(users.active, true)))
    .limit(1);
  if (!row) return null;
  const subjectIds =
    row.role === 'producer'
      ? (
          await db
            .select({ id: userSubjects.subjectId })
            .from(userSubjects)
            .where(eq(userSubjects.userId, row.userId))
        ).map((r) => r.id)
      : [];
  return {
    csrfToken: row.csrfToken,
    actor: {
      userId: row.userId,
      email: row.email,
      fullName: row.fullName,
      role: row.role as Role,
      provinceCode: row.provinceCode,
      communeCode: row.communeCode,
      subjectIds,
      sessionId: row.sessionId,
      csrfToken: row.csrfToken,
    },
  };
}
