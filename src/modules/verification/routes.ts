import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLIC } from '../../server/context';
import type { Lang } from '../../server/errors';
import { renderCertificatePage, renderSearchPage, renderUnverifiedPage } from './page';
import { certificatePhoto, searchCertificates, verifyScan } from './service';
import { signingKeys } from './signing';

/**
 * Public routes outside /api/v1, deliberately without login (they declare PUBLIC although the
 * access hook only checks /api/v1): the verification page a QR code opens, the public search, the
 * product photo they show, and the public key for offline verifiers. Each costs a signature check
 * and at most a few indexed queries, so a proxy can rate-limit them by path like any static page.
 */
const langQuery = z.enum(['vi', 'en']).catch('vi').optional();

const verifyParams = z.object({ code: z.string().min(1).max(200) });
const verifyQuery = z.object({
  s: z.string().max(200).optional().catch(undefined),
  via: z.string().max(20).optional().catch(undefined),
  lang: langQuery,
});
const searchQuery = z.object({ q: z.string().max(200).optional().catch(undefined), lang: langQuery });
const photoParams = z.object({ id: z.string().uuid() });

function toggleHref(url: string, lang: Lang): string {
  const parsed = new URL(url, 'http://x');
  if (lang === 'en') parsed.searchParams.delete('lang');
  else parsed.searchParams.set('lang', 'en');
  return parsed.pathname + parsed.search;
}

export const verificationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/v/:code',
    { config: { access: PUBLIC }, schema: { hide: true, params: verifyParams, querystring: verifyQuery } },
    async (request, reply) => {
      const lang: Lang = request.query.lang ?? 'vi';
      const outcome = await verifyScan({
        ctx: request.ctx,
        input: {
          code: request.params.code,
          signature: request.query.s,
          channel: request.query.via === 'search' ? 'search' : 'qr',
          userAgent: request.headers['user-agent'],
          lang,
        },
      });
      const other = toggleHref(request.url, lang);
      // The status can change at any moment (a revocation shows at once), so nothing is cached.
      reply.header('cache-control', 'no-store').type('text/html; charset=utf-8');
      if (outcome.kind === 'unverified') return reply.status(200).send(renderUnverifiedPage(lang, other));
      return reply.send(renderCertificatePage(outcome.certificate, lang, other));
    },
  );

  app.get(
    '/tra-cuu',
    { config: { access: PUBLIC }, schema: { hide: true, querystring: searchQuery } },
    async (request, reply) => {
      const lang: Lang = request.query.lang ?? 'vi';
      const q = request.query.q?.trim() ?? '';
      const hits = q ? await searchCertificates({ ctx: request.ctx, input: { q } }) : null;
      const shown = q && hits && hits.length === 0 && q.length < 2 ? null : hits;
      reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8');
      return reply.send(renderSearchPage(lang, q, shown, toggleHref(request.url, lang)));
    },
  );

  app.get(
    '/tra-cuu/anh/:id',
    { config: { access: PUBLIC }, schema: { hide: true, params: photoParams } },
    async (request, reply) => {
      const photo = await certificatePhoto({ ctx: request.ctx, input: { certificateId: request.params.id } });
      if (request.headers['if-none-match'] === photo.etag) return reply.status(304).send();
      // A day: the cover may change when the producer reorders photos; the etag names the photo shown.
      reply
        .header('etag', photo.etag)
        .header('cache-control', 'public, max-age=86400')
        .header('content-length', photo.bytes)
        .type('image/jpeg');
      return reply.send(fs.createReadStream(photo.path));
    },
  );

  app.get(
    '/.well-known/ocop-verification-key',
    { config: { access: PUBLIC }, schema: { hide: true } },
    async (request, reply) => {
      const keys = await signingKeys(request.ctx.database.db);
      reply.header('cache-control', 'public, max-age=3600').type('application/jwk-set+json');
      return {
        ...keys.jwks,
        // How to check a code offline, next to the keys that check it.
        ocop: {
          message: 'UTF-8 bytes of "OCOP-CERT-1:" + the certificate number (Unicode NFC)',
          signature: 'Ed25519 (RFC 8032), base64url without padding, query parameter "s" of /v/<number>',
        },
      };
    },
  );
};
