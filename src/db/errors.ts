/**
 * PostgreSQL errors as the services need them. Both drivers (pg, and PGlite for upgrades) put the
 * SQLSTATE `code` and the `constraint` name on the error, and drizzle may wrap it as `cause`, so every
 * check walks a few levels of causes.
 */

/** SQLSTATE codes the services react to (PostgreSQL, Appendix A "Error Codes"). */
export const SQLSTATE = {
  uniqueViolation: '23505',
  foreignKeyViolation: '23503',
  checkViolation: '23514',
  notNullViolation: '23502',
  exclusionViolation: '23P01',
  serializationFailure: '40001',
  deadlockDetected: '40P01',
} as const;

export type DatabaseErrorFacts = { code: string; constraint: string | null };

/** The SQLSTATE and constraint of a database error, looked up through wrappers; null for any other error. */
export function databaseError(error: unknown): DatabaseErrorFacts | null {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const { code, constraint, cause } = current as { code?: unknown; constraint?: unknown; cause?: unknown };
    // SQLSTATEs are five characters; Node's own codes (ECONNREFUSED…) are not database answers.
    if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) {
      return { code, constraint: typeof constraint === 'string' ? constraint : null };
    }
    current = cause;
  }
  return null;
}

function violated(error: unknown, code: string): string | null {
  const facts = databaseError(error);
  return facts?.code === code ? (facts.constraint ?? '') : null;
}

/** The constraint a unique violation hit ('' when the driver did not name it); null for any other error. */
export function uniqueViolation(error: unknown): string | null {
  return violated(error, SQLSTATE.uniqueViolation);
}

export function isUniqueViolation(error: unknown): boolean {
  return uniqueViolation(error) !== null;
}

/**
 * PostgreSQL data exceptions that only malformed input causes (a NUL byte in text, a value that is not
 * a number or date of its type, a number out of range). Whatever validation let such a value through,
 * the caller sent bad input: a 400, never a 500.
 */
const INPUT_DATA_EXCEPTIONS = new Set(['22021', '22P02', '22P05', '22007', '22008', '22003']);

export function isInputRejectedByDatabase(error: unknown): boolean {
  const facts = databaseError(error);
  return facts !== null && INPUT_DATA_EXCEPTIONS.has(facts.code);
}

/** The foreign key a write broke ('' when not named); null for any other error. */
export function foreignKeyViolation(error: unknown): string | null {
  return violated(error, SQLSTATE.foreignKeyViolation);
}
