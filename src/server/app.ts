import fs from 'node:fs';
import path from 'node:path';
import compress from '@fastify/compress';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import multipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { isInputRejectedByDatabase } from '../db/errors';
import { resolveSession, SESSION_COOKIE } from '../modules/accounts';
import { settleCommits, startCommits } from '../modules/imports';
import { startVerification, verificationRoutes } from '../modules/verification';
import { apiRoutes } from './api-routes';
import type { Access, RequestContext } from './context';
import { AppError, type ErrorCode } from './errors';
import {
  createClientErrorHandler,
  frameworkErrorHandler,
  languageOf,
  RouteMethods,
  sendAppError,
} from './http-errors';
import { normaliseRequestText } from './nfc';
import { swaggerOptions } from './openapi';
import { RequestValidationError, validatorCompiler } from './validation';

export type RouteAccessEntry = { method: string; url: string; access: Access };

export type BuildAppOptions = {
  config: Config;
  database: Database;
  sessionSecret: string;
  /** Folder of the built web app; when missing, only the API is served. */
  webDir?: string;
  logger?: boolean;
};

export type App = FastifyInstance & { routeAccess: RouteAccessEntry[] };

/** Smaller API responses are sent as they are: compressing them saves less than it costs. */
export const COMPRESS_THRESHOLD_BYTES = 1024;

export { languageOf };

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export async function buildApp(options: BuildAppOptions): Promise<App> {
  const { config, database } = options;
  const app = Fastify({
    logger: options.logger ? { level: config.logLevel } : false,
    bodyLimit: 1024 * 1024,
    trustProxy: config.trustProxy,
    // Request ids from a load balancer are not trusted; our own are enough for logs.
    genReqId: () => crypto.randomUUID(),
    // What the router and Node's HTTP parser refuse before any hook runs gets the one error shape too.
    frameworkErrors: frameworkErrorHandler,
    clientErrorHandler: createClientErrorHandler(),
    // Answered below in the one shape instead (Fastify's own 503 body is not).
    return503OnClosing: false,
  }).withTypeProvider<ZodTypeProvider>();

  const routeAccess: RouteAccessEntry[] = [];
  app.decorate('routeAccess', routeAccess);

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  // Every string a request sends is stored NFC (src/server/nfc.ts says why here and not in the schemas).
  app.addHook('preValidation', normaliseRequestText);

  // Deny by default: an API route without a declared access rule is a programming error, caught at start-up.
  const routeMethods = new RouteMethods();
  app.addHook('onRoute', (route) => {
    routeMethods.add(route.method, route.url);
    if (!route.url.startsWith('/api/v1')) return;
    const access = route.config?.access;
    if (!access) throw new Error(`Route ${route.method} ${route.url} declares no access rule`);
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      // HEAD follows GET; OPTIONS is a CORS preflight, answered the same to everyone.
      if (method !== 'HEAD' && method !== 'OPTIONS') routeAccess.push({ method, url: route.url, access });
    }
  });

  await app.register(cookie, { secret: options.sessionSecret });
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        fontSrc: ["'self'", 'data:'],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        upgradeInsecureRequests: null,
      },
    },
  });
  await app.register(multipart, { limits: { fileSize: config.uploadMaxBytes, files: 1, fields: 10 } });
  await app.register(swagger, swaggerOptions());

  app.decorateRequest('ctx', null as unknown as RequestContext);

  // The verification page's cache, its LISTEN connection and the batched scan log (written out on close).
  const verification = await startVerification({ database, config, log: app.log });
  app.decorate('verification', verification);
  app.addHook('onClose', async () => verification.close());

  // Registry-import commits run as jobs on this instance: one left by a stopped process is recorded
  // as interrupted, a queued one starts; the app's close waits for a running one to end.
  startCommits(database, config, app.log);
  app.addHook('onClose', async () => settleCommits(database));

  // While the app shuts down, requests still arriving on open connections are turned away, and the
  // connection closed, so the client or load balancer tries another instance.
  let closing = false;
  app.addHook('preClose', async () => {
    closing = true;
  });

  app.addHook('onRequest', async (request, reply) => {
    request.ctx = { database, config, actor: null, lang: languageOf(request), ip: request.ip };
    if (closing) {
      reply.header('connection', 'close');
      throw restarting();
    }
  });

  // Authentication, CSRF and the route's role rule run on arrival, before the body is read or parsed:
  // an unauthorised caller gets 401/403 whatever it sends, and learns nothing about the input format.
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (!access || 'public' in access) return;
    const raw = request.cookies[SESSION_COOKIE];
    const unsigned = raw ? request.unsignCookie(raw) : null;
    const session =
      unsigned?.valid && unsigned.value ? await resolveSession(database.db, unsigned.value) : null;
    if (!session) throw new AppError('UNAUTHENTICATED');
    if (UNSAFE_METHODS.has(request.method) && request.headers['x-csrf-token'] !== session.csrfToken) {
      throw new AppError('CSRF');
    }
    request.ctx.actor = session.actor;
    if (access.roles !== 'any-authenticated' && !access.roles.includes(session.actor.role)) {
      throw new AppError('FORBIDDEN');
    }
  });

  app.setErrorHandler((error, request, reply) => {
    const appError = toAppError(error);
    if (appError.status >= 500) request.log.error({ err: error }, 'request failed');
    return sendAppError(appError, request, reply);
  });

  const webDir =
    options.webDir && fs.existsSync(path.join(options.webDir, 'index.html')) ? options.webDir : undefined;

  app.setNotFoundHandler((request, reply) => {
    // A missing built asset (an old hash after a deploy) is a 404, not the app shell parsed as a script.
    const wantsFile = request.url.startsWith('/api/') || request.url.startsWith('/assets/');
    // Client-side routes (/san-pham/123) are answered with the app shell; the router shows the page.
    if (!wantsFile && webDir && request.method === 'GET') {
      reply.header('cache-control', 'no-cache');
      return reply.type('text/html').sendFile('index.html');
    }
    const allowed = routeMethods.allowed(request.url);
    if (allowed.length > 0) {
      return sendAppError(
        new AppError('METHOD_NOT_ALLOWED'),
        request,
        reply.header('allow', allowed.join(', ')),
      );
    }
    return sendAppError(new AppError('NOT_FOUND'), request, reply);
  });

  // Everything the app computes per request is compressed when the client accepts it and the body is
  // worth it. The built web app is not: its files are compressed once at build time and sent as they
  // are (below), so it lives outside this context and nothing is compressed twice.
  await app.register(async (dynamic) => {
    await dynamic.register(compress, {
      threshold: COMPRESS_THRESHOLD_BYTES,
      encodings: ['br', 'gzip'],
      // Request bodies are read as sent; a compressed upload would only dodge the size limits.
      globalDecompression: false,
    });
    await dynamic.register(swaggerUi, { routePrefix: '/api/docs' });

    dynamic.get('/api/health', { schema: { hide: true } }, async () => {
      return { status: 'ok', database: database.kind };
    });
    dynamic.get('/api/openapi.json', { schema: { hide: true } }, async () => app.swagger());

    await dynamic.register(apiRoutes, { prefix: '/api/v1' });
    await dynamic.register(verificationRoutes);
  });

  if (webDir) {
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: ['index.html'],
      // The build writes `<file>.br` and `<file>.gz` beside each asset; send the one the client accepts.
      preCompressed: true,
      // The compressed copies are reached through their asset's URL, not their own; `.build-hash` is not served.
      globIgnore: ['**/*.br', '**/*.gz'],
      dotfiles: 'ignore',
      // Vite names built assets by content hash, so they never change; the shell must always be revalidated.
      setHeaders: (reply, filePath) => {
        reply.header(
          'cache-control',
          filePath.includes(`${path.sep}assets${path.sep}`)
            ? 'public, max-age=31536000, immutable'
            : 'no-cache',
        );
      },
    });
  }

  await app.ready();
  return app as unknown as App;
}

/** Maps anything thrown during a request onto the API's error catalogue; unknown errors become a 500 with no detail. */
function toAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof RequestValidationError) {
    const fields = Object.fromEntries(error.issues.map((i) => [i.path, { vi: i.vi, en: i.en }]));
    return new AppError('VALIDATION', undefined, fields);
  }
  const fastifyError = error as { code?: string; statusCode?: number };
  if (isInputRejectedByDatabase(error)) return new AppError('VALIDATION');
  switch (fastifyError.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return new AppError('MALFORMED_JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE', {
        vi: 'Nội dung gửi lên quá lớn.',
        en: 'The request body is too large.',
      });
    case 'FST_PARTS_LIMIT':
    case 'FST_FILES_LIMIT':
    case 'FST_FIELDS_LIMIT':
      return new AppError('PAYLOAD_TOO_LARGE', {
        vi: 'Biểu mẫu gửi lên có quá nhiều tệp hoặc trường.',
        en: 'The form has too many files or fields.',
      });
    case 'FST_REQ_FILE_TOO_LARGE':
      return new AppError('PAYLOAD_TOO_LARGE');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      return new AppError('UNSUPPORTED_MEDIA');
    case 'FST_ERR_VALIDATION':
      return new AppError('VALIDATION');
  }
  if (error instanceof SyntaxError) return new AppError('MALFORMED_JSON');
  // Other errors of Fastify and its plugins carry their HTTP status: kept, with the catalogue's words.
  const byStatus = STATUS_CODES[fastifyError.statusCode ?? 0];
  if (byStatus) return new AppError(byStatus);
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new AppError('VALIDATION');
  }
  return new AppError('INTERNAL');
}

function restarting(): AppError {
  const error = new AppError('SERVICE_UNAVAILABLE', {
    vi: 'Hệ thống đang khởi động lại, vui lòng thử lại sau giây lát.',
    en: 'The service is restarting; try again in a moment.',
  });
  error.retryAfterSeconds = 5;
  return error;
}

const STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  408: 'REQUEST_TIMEOUT',
  413: 'PAYLOAD_TOO_LARGE',
  414: 'URI_TOO_LONG',
  415: 'UNSUPPORTED_MEDIA',
  429: 'TOO_MANY_REQUESTS',
  431: 'HEADERS_TOO_LARGE',
  503: 'SERVICE_UNAVAILABLE',
};
