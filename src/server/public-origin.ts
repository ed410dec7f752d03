import type { FastifyRequest } from 'fastify';

/**
 * The origin printed in verification addresses: PUBLIC_URL when set (production: a Host header
 * must not choose where a printed code points), else the request's own origin (a laptop, tests).
 */
export function publicOrigin(request: FastifyRequest): string {
  return request.ctx.config.publicUrl ?? `${request.protocol}://${request.host}`;
}
