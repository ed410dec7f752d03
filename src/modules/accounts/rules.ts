import type { Role } from './roles';

/** Password rule: long enough to resist guessing, with letters and digits; no upper bound below 200. */
export function isAcceptablePassword(password: string): boolean {
  return password.length >= 10 && password.length <= 200 && /\p{L}/u.test(password) && /\d/.test(password);
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

export type ThrottleState = { failures: number; windowStartedAt: Date };

/** A key is blocked while it has reached `maxFailures` inside the current window. */
export function isThrottled(
  state: ThrottleState | undefined,
  now: Date,
  maxFailures: number,
  windowMs: number,
): boolean {
  if (!state) return false;
  if (now.getTime() - state.windowStartedAt.getTime() >= windowMs) return false;
  return state.failures >= maxFailures;
}

/** The state after one more failure: a failure outside the window starts a new one. */
export function nextThrottleState(
  state: ThrottleState | undefined,
  now: Date,
  windowMs: number,
): ThrottleState {
  if (!state || now.getTime() - state.windowStartedAt.getTime() >= windowMs)
    return { failures: 1, windowStartedAt: now };
  return { failures: state.failures + 1, windowStartedAt: state.windowStartedAt };
}
