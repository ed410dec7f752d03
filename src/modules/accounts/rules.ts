import { COMMON_PASSWORDS } from './common-passwords';
import type { Role } from './roles';

/** The password every demo account shares: printed at start, so never acceptable outside demo mode. */
export const DEMO_PASSWORD = 'Ocop-demo-2026';

const commonPasswords = new Set(COMMON_PASSWORDS.map(foldPassword));

/** Case folded and everything but letters and digits dropped: "Pass word-123" is "password123". */
function foldPassword(password: string): string {
  return password.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

export type PasswordProblem = 'rules' | 'common' | 'demo';

/**
 * Password rule: at least 10 characters besides spaces (ten spaces and "1a" is not a password), letters
 * and digits, at most 200; not one of the most common passwords; not the demo password outside demo mode.
 */
export function passwordProblem(
  password: string,
  options: { demo: boolean } = { demo: false },
): PasswordProblem | null {
  if (password.length > 200 || password.replace(/\s/gu, '').length < 10) return 'rules';
  if (!/\p{L}/u.test(password) || !/\d/.test(password)) return 'rules';
  if (commonPasswords.has(foldPassword(password))) return 'common';
  if (!options.demo && password === DEMO_PASSWORD) return 'demo';
  return null;
}

/** The rules every form can check without knowing the installation (the demo password is the server's to refuse). */
export function isAcceptablePassword(password: string): boolean {
  return passwordProblem(password, { demo: true }) === null;
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export type ScopeInput = {
  role: Role;
  provinceCode?: string | null;
  communeCode?: string | null;
  subjectIds?: string[];
};

export type ScopeProblem = 'provinceRequired' | 'communeRequired' | 'subjectsRequired' | 'noScopeExpected';

/** Which scope each role needs: officers their unit, producers at least one subject; others none. */
export function checkRoleScope(input: ScopeInput): ScopeProblem | null {
  switch (input.role) {
    case 'province_officer':
      return input.provinceCode ? null : 'provinceRequired';
    case 'commune_officer':
      return input.communeCode ? null : 'communeRequired';
    case 'producer':
      return input.subjectIds && input.subjectIds.length > 0 ? null : 'subjectsRequired';
    case 'system_admin':
    case 'council_member':
      return input.provinceCode || input.communeCode ? 'noScopeExpected' : null;
  }
}

/**
 * Attempts counted for one key ("pair:<email>|<ip>" or "ip:<ip>") in the current window. An attempt is
 * counted when it starts, before the password hash is checked, so requests sent in parallel cannot all
 * slip under the limit; a successful login gives its attempt back.
 */
export type AttemptState = { attempts: number; windowStartedAt: Date; lastAttemptAt: Date };

export type ThrottlePolicy = {
  /** Attempts allowed before waiting starts (per account and address pair). */
  freeAttempts: number;
  /** The first wait after the free attempts; each further attempt doubles it, up to `windowMs`. */
  baseDelayMs: number;
  windowMs: number;
};

/** The state as it counts at `now`: a window that has passed starts again from nothing. */
export function currentAttempts(state: AttemptState | undefined, now: Date, windowMs: number): AttemptState {
  if (!state || now.getTime() - state.windowStartedAt.getTime() >= windowMs) {
    return { attempts: 0, windowStartedAt: now, lastAttemptAt: now };
  }
  return state;
}

/**
 * How long an account and address pair must wait before its next attempt (0: it may try now). The
 * wait grows with each attempt past the free ones, so guessing slows down quickly, while the account's
 * owner, from another address, is never locked out by someone else's guesses.
 */
export function pairWaitMs(state: AttemptState | undefined, now: Date, policy: ThrottlePolicy): number {
  const current = currentAttempts(state, now, policy.windowMs);
  if (current.attempts < policy.freeAttempts) return 0;
  const delay = Math.min(policy.windowMs, policy.baseDelayMs * 2 ** (current.attempts - policy.freeAttempts));
  return Math.max(0, current.lastAttemptAt.getTime() + delay - now.getTime());
}

/** An address that reached `maxAttempts` in the window waits for the window's end (it may be spraying accounts). */
export function addressWaitMs(
  state: AttemptState | undefined,
  now: Date,
  maxAttempts: number,
  windowMs: number,
): number {
  const current = currentAttempts(state, now, windowMs);
  if (current.attempts < maxAttempts) return 0;
  return Math.max(0, current.windowStartedAt.getTime() + windowMs - now.getTime());
}

/** The state once one more attempt is counted. */
export function countAttempt(state: AttemptState | undefined, now: Date, windowMs: number): AttemptState {
  const current = currentAttempts(state, now, windowMs);
  return { attempts: current.attempts + 1, windowStartedAt: current.windowStartedAt, lastAttemptAt: now };
}
