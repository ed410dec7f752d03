/** SQL fragments shared by the services' queries. */

/**
 * A user's text made literal inside a LIKE/ILIKE pattern: `%`, `_` and the escape character `\`
 * (PostgreSQL's default ESCAPE) lose their meaning, so "50%" finds "50%" and not "50 anything".
 */
export function likeEscape(value: string): string {
  return value.replace(/[\\%_]/g, '\\$&');
}

/** The pattern "contains `value`" for LIKE, with the value escaped. */
export function likeContains(value: string): string {
  return `%${likeEscape(value)}%`;
}
