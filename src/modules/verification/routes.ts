import { createHash } from 'node:crypto';
import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PUBLIC } from '../../server/context';
import { answerPreflight, openToAnyOrigin } from '../../server/cors';
import type { Lang } from '../../server/errors';
import { renderCertificatePage, renderSearchPage, renderUnverifiedPage } from './page';
import { negotiateEncoding } from './page-cache';
import { certificatePhoto, searchCertificates, verifyScan } from './service';
import { signingKeys } from './signing';

/**
 * Public routes outside /api/v1, deliberately without login (they declare PUBLIC although the
 * access hook only checks /api/v1): the verification page a QR code opens, the public search, the
 * product photo they show, and the public key for offline verifiers. The page and the photo are
 * served from the instance's cache (`app.verification`, see cache.ts) and cost no query when warm;
 * a code that does not verify costs one signature check. A proxy can rate-limit them by path.
 */
const langQuery = z.enum(['vi', 'en']).catch('vi').optional();

const searchQuery = z.object({ q: z.string().max(200).optional().catch(undefined), lang: langQuery });
const photoParams = z.object({ id: z.string().uuid() });
const photoQuery = z.object({ v: z.string().max(100).optional().catch(undefined) });

/** RFC 9110 §13.1: If-None-Match decides when present; else If-Modified-Since, to the second. */
function notModified(
  headers: { 'if-none-match'?: string | undefined; 'if-modified-since'?: string | undefined },
  etag: string,
  lastModified: Date,
): boolean {
  const ifNoneMatch = headers['if-none-match'];
  if (ifNoneMatch !== undefined) {
    return (
      ifNoneMatch.trim() === '*' || ifNoneMatch.split(',').some((t) => t.trim().replace(/^W\//, '') === etag)
    );
  }
  const since = Date.parse(headers['if-modified-since'] ?? '');
  return Number.isFinite(since) && Math.floor(lastModified.getTime() / 1000) * 1000 <= since;
}

/** A query value that is one string of at most `max` characters, else nothing (repeated or too long). */
function shortText(value: string | string[] | undefined, max: number): string | undefined {
  return typeof value === 'string' && value.length <= max ? value : undefined;
}

/**
 * Cache policy of the two pages: `no-cache` with an ETag. A certificate can be revoked at any moment
 * and the page must say so on the next look, so no copy is used without asking the server (a short
 * max-age would show "valid" for that long after a revocation); but asking costs a phone on a slow
 * network only a 304 when nothing changed. Every look still reaches the app, so each scan is logged.
 * The tag is of the page's bytes (weak: the same page is sent compressed or not), kept with the
 * rendered page so a warm page costs no hashing.
 */
const PAGE_CACHE_CONTROL = 'no-cache';
const pageTags = new WeakMap<Buffer, string>();

function pageTag(body: Buffer): string {
  let tag = pageTags.get(body);
  if (!tag) {
    tag = `W/"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
    pageTags.set(body, tag);
  }
  return tag;
}

function matchesTag(ifNoneMatch: string | undefined, tag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  const opaque = tag.replace(/^W\//, '');
  return ifNoneMatch.split(',').some((t) => {
    const candidate = t.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === opaque;
  });
}

function toggleHref(url: string, lang: Lang): string {
  const parsed = new URL(url, 'http://x');
  if (lang === 'en') parsed.searchParams.delete('lang');
  else parsed.searchParams.set('lang', 'en');
  return parsed.pathname + parsed.search;
}

export const verificationRoutes: FastifyPluginAsyncZod = async (app) => {
  // Read by hand rather than through a zod schema: this is the hot public route, and every value
  // is optional and lenient (anything unexpected is ignored; a code that is no code does not verify).
  app.get('/v/:code', { config: { access: PUBLIC }, schema: { hide: true } }, async (request, reply) => {
    const query = request.query as Record<string, string | string[] | undefined>;
    const lang: Lang = query.lang === 'en' ? 'en' : 'vi';
    const outcome = await verifyScan({
      ctx: request.ctx,
      runtime: app.verification,
      input: {
        code: (request.params as { code: string }).code,
        signature: shortText(query.s, 200),
        channel: query.via === 'search' ? 'search' : 'qr',
        userAgent: request.headers['user-agent'],
        lang,
      },
    });
    reply.header('cache-control', PAGE_CACHE_CONTROL).type('text/html; charset=utf-8');
    if (outcome.kind === 'unverified') {
      return reply.status(200).send(renderUnverifiedPage(lang, toggleHref(request.url, lang)));
    }
    const { pages } = app.verification;
    const page = pages.get(
      request.url,
      { facts: outcome.facts, cover: outcome.cover, status: outcome.certificate.status },
      () => renderCertificatePage(outcome.certificate, lang, toggleHref(request.url, lang)),
    );
    const tag = pageTag(page.body);
    reply.header('etag', tag).header('vary', 'accept-encoding');
    if (matchesTag(request.headers['if-none-match'], tag)) return reply.status(304).send();
    const encoding = negotiateEncoding(request.headers['accept-encoding']);
    // Compressed here once per page; a Content-Encoding already set tells the compression plugin to leave it.
    if (encoding) reply.header('content-encoding', encoding);
    return reply.send(pages.encoded(request.url, page, encoding));
  });

  app.get(
    '/tra-cuu',
    { config: { access: PUBLIC }, schema: { hide: true, querystring: searchQuery } },
    async (request, reply) => {
      const lang: Lang = request.query.lang ?? 'vi';
      const q = request.query.q?.trim() ?? '';
      const hits = q ? await searchCertificates({ ctx: request.ctx, input: { q } }) : null;
      const shown = q && hits && hits.length === 0 && q.length < 2 ? null : hits;
      // Results show each certificate's status today, so the same policy as the verification page.
      const body = Buffer.from(renderSearchPage(lang, q, shown, toggleHref(request.url, lang)), 'utf8');
      const tag = pageTag(body);
      reply.header('cache-control', PAGE_CACHE_CONTROL).header('etag', tag).type('text/html; charset=utf-8');
      if (matchesTag(request.headers['if-none-match'], tag)) return reply.status(304).send();
      return reply.send(body);
    },
  );

  app.get(
    '/tra-cuu/anh/:id',
    { config: { access: PUBLIC }, schema: { hide: true, params: photoParams, querystring: photoQuery } },
    async (request, reply) => {
      const photo = await certificatePhoto({
        ctx: request.ctx,
        runtime: app.verification,
        input: { certificateId: request.params.id },
      });
      // The page links `?v=<photo id>`: that address always shows the same bytes, so a phone keeps
      // it for a week; a new cover is a new address on the page. Without it (or with an old id) the
      // photo may change: an hour, then a revalidation (a 304 when unchanged).
      const lastModified = photo.lastModified.toUTCString();
      reply
        .header('etag', photo.etag)
        .header('last-modified', lastModified)
        .header(
          'cache-control',
          request.query.v === photo.photoId ? 'public, max-age=604800, immutable' : 'public, max-age=3600',
        );
      if (notModified(request.headers, photo.etag, photo.lastModified)) return reply.status(304).send();
      reply.header('content-length', photo.bytes).type('image/jpeg');
      return reply.send(fs.createReadStream(photo.path));
    },
  );

  app.get(
    '/.well-known/ocop-verification-key',
    // Offline verifiers and other sites' scripts fetch it from anywhere (CORS, no credentials).
    { config: { access: PUBLIC }, onRequest: openToAnyOrigin(), schema: { hide: true } },
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

  app.options(
    '/.well-known/ocop-verification-key',
    { config: { access: PUBLIC }, schema: { hide: true } },
    answerPreflight,
  );
};
