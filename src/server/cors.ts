import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * CORS for the few public, read-only resources other sites may fetch from a browser script: the open
 * data export and the public verification key. They need no login and send nothing private, so any
 * origin may read them, without credentials (`*` forbids cookies, which is the point). Every other
 * route sends no CORS header at all: the web app is same-origin, and a cross-origin script gets
 * nothing from it.
 */
export function openToAnyOrigin(exposedHeaders: readonly string[] = []) {
  // A route-level onRequest hook, so the headers are on the route's errors (400, 404) as well.
  return async (_request: FastifyRequest, reply: FastifyReply) => {
    reply
      .header('access-control-allow-origin', '*')
      // helmet's same-origin default would stop a page elsewhere from embedding or fetching it.
      .header('cross-origin-resource-policy', 'cross-origin');
    if (exposedHeaders.length > 0) reply.header('access-control-expose-headers', exposedHeaders.join(', '));
  };
}

/** Header names a preflight may ask for: tokens only, so an echo cannot inject anything. */
const HEADER_LIST = /^[A-Za-z0-9!#$%&'*+.^_`|~-]+(?:\s*,\s*[A-Za-z0-9!#$%&'*+.^_`|~-]+)*$/;

/**
 * The answer to a preflight (OPTIONS) on an open route: reading (GET, HEAD) from any origin, with
 * whatever request headers the script sends, remembered by the browser for a day.
 */
export async function answerPreflight(request: FastifyRequest, reply: FastifyReply) {
  const asked = request.headers['access-control-request-headers'];
  reply
    .header('access-control-allow-origin', '*')
    .header('access-control-allow-methods', 'GET, HEAD, OPTIONS')
    .header('access-control-max-age', '86400')
    .header('cache-control', 'public, max-age=86400')
    .header('vary', 'access-control-request-headers');
  if (typeof asked === 'string' && asked.length <= 1000 && HEADER_LIST.test(asked.trim())) {
    reply.header('access-control-allow-headers', asked.trim());
  }
  return reply.status(204).send();
}
