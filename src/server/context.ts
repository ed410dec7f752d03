import type { Config } from '../config';
import type { Database } from '../db/client';
import type { Role } from '../modules/accounts/roles';
import type { Lang } from './errors';

/** Who is calling, with the scope their role is limited to. */
export type Actor = {
  userId: string;
  email: string;
  fullName: string;
  role: Role;
  /** Set for province and commune officers (the commune's province for the latter). */
  provinceCode: string | null;
  /** Set for commune officers. */
  communeCode: string | null;
  /** The subjects a producer represents. Empty for other roles. */
  subjectIds: string[];
  sessionId: string;
  /** Sent back by the web app in `x-csrf-token` on every write made with the session cookie. */
  csrfToken: string;
};

/** What every service call receives: the database, settings, the caller and their language. */
export type RequestContext = {
  database: Database;
  config: Config;
  actor: Actor | null;
  lang: Lang;
  ip: string;
};

/**
 * Who may call a route. Every route under /api declares one; the app refuses to start otherwise.
 * `roles` is checked before the handler; finer scope (which province, which subject) is the
 * service's policy.
 */
export type Access = { public: true } | { roles: readonly Role[] | 'any-authenticated' };

export const PUBLIC: Access = { public: true };
export const ANY_USER: Access = { roles: 'any-authenticated' };
export const rolesAccess = (...roles: Role[]): Access => ({ roles });

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    ctx: RequestContext;
  }
}
