import http from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyBaseLogger, FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, type Lang, renderError } from './errors';

/**
 * Every error the server answers, in one shape, whoever noticed it: a service (AppError), Fastify
 * while routing or reading the body, a plugin, or Node's HTTP parser before Fastify sees a request
 * (an address or headers too large, a malformed or too slow request). API callers get
 * `{ error: { code, message } }`; a browser on a page (the public verification pages and the web
 * app's addresses) gets a small HTML page saying the same in Vietnamese and English, with the same
 * status code. Error answers are never cached.
 */

/** Addresses that are files or data rather than pages: their errors are JSON. */
const DATA_PREFIXES = ['/api/', '/.well-known/', '/assets/', '/tra-cuu/anh/'];

/** Whether an error at this address (path, with or without query) is answered with an HTML page. */
export function answersWithPage(url: string): boolean {
  const path = url.split('?', 1)[0]!;
  return path !== '/api' && !DATA_PREFIXES.some((prefix) => path.startsWith(prefix));
}

/** The public verification pages (the QR code's `/v/…` and the search): their errors offer the search. */
function isPublicPage(path: string): boolean {
  return path.startsWith('/v/') || path === '/v' || path === '/tra-cuu' || path.startsWith('/tra-cuu/');
}

export function languageOf(request: FastifyRequest): Lang {
  return languageOfHeader(request.headers['accept-language']);
}

function languageOfHeader(header: string | string[] | undefined): Lang {
  return typeof header === 'string' && /^\s*en\b/i.test(header) ? 'en' : 'vi';
}

/**
 * Nothing on an error page is loaded from elsewhere (no script, no image, no font): the policy says so
 * even where the app's own headers (helmet) did not run, as for answers made before routing.
 */
const PAGE_SECURITY_POLICY =
  "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

const PAGE_CSS =
  'body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1b1b1b;background:#f4f5f2}' +
  'header{background:#0f5132;color:#fff;padding:10px 16px;font-weight:700}main{max-width:640px;margin:0 auto;padding:12px 16px 32px}' +
  '.card{background:#fff;border-radius:12px;padding:16px;margin:12px 0;box-shadow:0 1px 3px rgba(0,0,0,.12);border-left:6px solid #b3261e}' +
  'h1{font-size:1.3rem;margin:0 0 8px;line-height:1.3}h2{font-size:1.1rem;margin:16px 0 8px}p{margin:8px 0}small{color:#555}a{color:#0b4a8b;font-weight:600}';

/** Said on `/v/…` when the address itself is wrong: a consumer learns the code does not verify. */
const NOT_A_CODE = {
  vi: 'Địa chỉ này không phải mã QR do hệ thống OCOP cấp, nên không xác thực được. Sản phẩm có thể mang nhãn OCOP giả mạo. Hãy tra cứu theo số giấy chứng nhận hoặc tên sản phẩm.',
  en: 'This address is not a QR code issued by the OCOP system, so it cannot be verified. The product may carry a counterfeit OCOP label. Search by certificate number or product name.',
};

function escapeHtml(value: string): string {
  return value.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/**
 * The error as a self-contained page (a few KB, inline CSS): the message in the reader's language
 * first and in the other one below, the code and status, and a way on — the public search from a
 * verification address, the start page elsewhere.
 */
export function renderErrorPage(error: AppError, url: string, lang: Lang): string {
  const path = url.split('?', 1)[0]!;
  const publicPage = isPublicPage(path);
  const notACode = path.startsWith('/v') && [400, 404, 414].includes(error.status);
  const other: Lang = lang === 'vi' ? 'en' : 'vi';
  const part = (l: Lang, heading: 'h1' | 'h2') => {
    const message = renderError(error, l).error.message;
    const note = notACode ? `<p>${escapeHtml(NOT_A_CODE[l])}</p>` : '';
    return `<div lang="${l}"><${heading}>${escapeHtml(message)}</${heading}>${note}</div>`;
  };
  const links = publicPage
    ? '<a href="/tra-cuu" lang="vi">Tra cứu sản phẩm OCOP</a> · <a href="/tra-cuu?lang=en" lang="en">Search OCOP products</a>'
    : '<a href="/" lang="vi">Về trang chủ</a> · <a href="/" lang="en">Go to the start page</a>';
  const title = `${error.status} — ${renderError(error, lang).error.message}`;
  return `<!doctype html><html lang="${lang}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${escapeHtml(title)}</title><style>${PAGE_CSS}</style></head><body><header>OCOP</header><main><div class="card" role="alert">${part(lang, 'h1')}${part(other, 'h2')}<p><small>Mã lỗi · Error code: ${error.code} (${error.status})</small></p></div><p>${links}</p></main></body></html>`;
}

/** The page's language: `?lang=en` on the public pages, which link it so; else Accept-Language. */
function pageLanguage(url: string, acceptLanguage: string | string[] | undefined): Lang {
  const query = url.includes('?') ? new URLSearchParams(url.slice(url.indexOf('?') + 1)) : null;
  if (query?.get('lang') === 'en') return 'en';
  if (query?.get('lang') === 'vi') return 'vi';
  return languageOfHeader(acceptLanguage);
}

/**
 * Answers an AppError through Fastify: JSON for the API, a page for pages. Headers a handler set for
 * the answer it meant to give (a download's file name, a pre-compressed body, a long cache life) do
 * not carry over to the error.
 */
export function sendAppError(error: AppError, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  reply.removeHeader('content-disposition');
  reply.removeHeader('content-encoding');
  reply.removeHeader('etag');
  reply.removeHeader('last-modified');
  reply.header('cache-control', 'no-store').header('x-content-type-options', 'nosniff');
  if (error.retryAfterSeconds !== undefined) reply.header('retry-after', String(error.retryAfterSeconds));
  reply.status(error.status);
  if (answersWithPage(request.url)) {
    const lang = pageLanguage(request.url, request.headers['accept-language']);
    return reply
      .header('content-security-policy', PAGE_SECURITY_POLICY)
      .type('text/html; charset=utf-8')
      .send(renderErrorPage(error, request.url, lang));
  }
  return reply.send(renderError(error, request.ctx?.lang ?? languageOf(request)));
}

/**
 * Fastify's `frameworkErrors`: what the router refuses before any hook runs — a path parameter longer
 * than `maxParamLength` (a 414, as Fastify counts it) or an address that does not decode.
 */
export function frameworkErrorHandler(
  error: FastifyError,
  request: FastifyRequest,
  reply: FastifyReply,
): FastifyReply {
  let code: ErrorCode = 'INTERNAL';
  if (error.code === 'FST_ERR_MAX_PARAM_LENGTH') code = 'URI_TOO_LONG';
  else if (error.code === 'FST_ERR_BAD_URL') code = 'BAD_REQUEST';
  else request.log.error({ err: error }, 'request failed before routing');
  return sendAppError(new AppError(code), request, reply);
}

/** What can be read of a request from the bytes the HTTP parser gave up on. */
type RequestHead = { path: string | null; requestLineBytes: number | null; acceptLanguage?: string };

/**
 * `rawPacket` is the chunk the parser was reading when it failed. For a request that fits one read
 * (the usual case for a request line or headers a few tens of KB long) it begins with the request
 * line; when it does not, the path is unknown and only what the chunk holds is used.
 */
export function readRequestHead(raw: unknown): RequestHead {
  if (!Buffer.isBuffer(raw)) return { path: null, requestLineBytes: null };
  // Latin-1 maps every byte to one character, so lengths below are byte counts.
  const text = raw.toString('latin1', 0, Math.min(raw.length, 256 * 1024));
  const line = /^([A-Z]{3,10}) (\/\S*)(?: |\r?\n|$)/.exec(text);
  const end = text.indexOf('\n');
  const acceptLanguage = /\r?\naccept-language:[ \t]*([^\r\n]*)/i.exec(text)?.[1];
  if (!line) return { path: null, requestLineBytes: null, acceptLanguage };
  return { path: line[2]!, requestLineBytes: end === -1 ? text.length : end + 1, acceptLanguage };
}

/**
 * The header limit (Node's `maxHeaderSize`) covers the request line and the headers together. When the
 * request line alone takes more than half of it, the address is what is too long (414); otherwise the
 * headers are (431).
 */
function overflowCode(head: RequestHead, maxHeaderSize: number): ErrorCode {
  return head.requestLineBytes !== null && head.requestLineBytes > maxHeaderSize / 2
    ? 'URI_TOO_LONG'
    : 'HEADERS_TOO_LARGE';
}

/** The error Node's HTTP server reports for a request it could not read, in the catalogue's terms. */
export function clientErrorCode(
  error: { code?: string },
  head: RequestHead,
  maxHeaderSize: number,
): ErrorCode {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  if (error.code === 'HPE_HEADER_OVERFLOW') return overflowCode(head, maxHeaderSize);
  return 'BAD_REQUEST';
}

/** The whole raw HTTP/1.1 answer to a request Node's parser refused, closing the connection. */
export function clientErrorResponse(code: ErrorCode, head: RequestHead): Buffer {
  const error = new AppError(code);
  const asPage = head.path !== null && answersWithPage(head.path);
  const lang = asPage ? pageLanguage(head.path!, head.acceptLanguage) : languageOfHeader(head.acceptLanguage);
  const body = Buffer.from(
    asPage ? renderErrorPage(error, head.path!, lang) : JSON.stringify(renderError(error, lang)),
    'utf8',
  );
  const headers = [
    `HTTP/1.1 ${error.status} ${http.STATUS_CODES[error.status]}`,
    `Content-Type: ${asPage ? 'text/html' : 'application/json'}; charset=utf-8`,
    `Content-Length: ${body.length}`,
    'Cache-Control: no-store',
    'X-Content-Type-Options: nosniff',
    ...(asPage ? [`Content-Security-Policy: ${PAGE_SECURITY_POLICY}`] : []),
    'Connection: close',
  ];
  return Buffer.concat([Buffer.from(`${headers.join('\r\n')}\r\n\r\n`, 'latin1'), body]);
}

/**
 * Fastify's `clientErrorHandler` (Node's `clientError` event): Node's parser refused the request —
 * headers or request line over `maxHeaderSize` (431, or 414 for the address), a request slower than
 * `headersTimeout`/`requestTimeout` (408), bytes that are not HTTP (400).
 */
export function createClientErrorHandler(maxHeaderSize = http.maxHeaderSize) {
  // Fastify calls it with the instance as `this`. Node puts the chunk on `rawPacket` as a Buffer
  // (Fastify's types describe its JSON form), hence unknown.
  return function onClientError(
    this: { log: FastifyBaseLogger },
    error: Error & { code?: string; rawPacket?: unknown },
    socket: Duplex,
  ) {
    // A connection the client reset, or one already closed, has no one left to answer.
    if (error.code === 'ECONNRESET' || socket.destroyed) return;
    const head = readRequestHead(error.rawPacket);
    const code = clientErrorCode(error, head, maxHeaderSize);
    this.log.debug({ err: error, code }, 'request refused by the HTTP parser');
    if (!socket.writable) {
      socket.destroy();
      return;
    }
    // Closed once the answer is flushed, not before: destroying at once can drop it.
    socket.end(clientErrorResponse(code, head), () => socket.destroy());
  };
}

/**
 * Which methods each registered address answers, to tell "no such address" (404) from "not with this
 * method" (405, with `Allow`). Patterns use the router's syntax: `:name` one segment, `*` the rest.
 */
export class RouteMethods {
  private readonly routes: { pattern: string; methods: Set<string> }[] = [];
  private compiled: { regex: RegExp; methods: Set<string> }[] | null = null;

  add(method: string | string[], url: string) {
    const methods = Array.isArray(method) ? method : [method];
    let entry = this.routes.find((r) => r.pattern === url);
    if (!entry) {
      entry = { pattern: url, methods: new Set() };
      this.routes.push(entry);
    }
    for (const m of methods) entry.methods.add(m.toUpperCase());
    this.compiled = null;
  }

  /** The methods the address answers, sorted; empty when no route has this address at all. */
  allowed(url: string): string[] {
    const path = url.split('?', 1)[0]!;
    this.compiled ??= this.routes.map((r) => ({ regex: patternRegex(r.pattern), methods: r.methods }));
    const methods = new Set<string>();
    for (const route of this.compiled) {
      if (route.regex.test(path)) for (const m of route.methods) methods.add(m);
    }
    return [...methods].sort();
  }
}

function patternRegex(pattern: string): RegExp {
  const literal = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const source = pattern
    .split('/')
    .map((segment) => {
      if (segment === '*') return '.*';
      // `:name`, `:name(regex)` or several in one segment (`:from-:to`): each matches within the segment.
      return segment
        .split(/(:[A-Za-z0-9_]+(?:\([^)]*\))?)/)
        .map((piece) => (piece.startsWith(':') && piece.length > 1 ? '[^/]+' : literal(piece)))
        .join('');
    })
    .join('/');
  return new RegExp(`^${source}$`);
}
