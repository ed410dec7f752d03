import net from 'node:net';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccessEntry } from '../../src/server/app';
import { createClientErrorHandler, RouteMethods, readRequestHead } from '../../src/server/http-errors';
import { createTestContext, type TestContext } from '../support/test-app';
import { api, insertProduct, insertSubject, issue, NB, NB_A, today } from './certificates-support';

/**
 * One error shape whoever answers: the app, Fastify while routing or reading a body, a plugin, or
 * Node's HTTP parser before Fastify sees the request (checked on a real listening server). API
 * addresses get `{ error: { code, message } }`; pages (the public verification pages, the web app's
 * addresses) get a small HTML page with the same meaning in both languages and the same status. The
 * session is checked before any body is read. CORS is open on open data and the public key only;
 * the public pages revalidate every time.
 */
let t: TestContext;
let port: number;

beforeAll(async () => {
  t = await createTestContext();
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  port = (t.app.server.address() as net.AddressInfo).port;
});
afterAll(async () => t.close());

type Answer = { statusCode: number; headers: Record<string, unknown>; body: string };

function expectJsonError(response: Answer, status: number, code: string) {
  const where = `${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.statusCode, where).toBe(status);
  expect(String(response.headers['content-type']), where).toMatch(/^application\/json/);
  const body = JSON.parse(response.body);
  expect(Object.keys(body), where).toEqual(['error']);
  expect(body.error.code, where).toBe(code);
  expect(typeof body.error.message, where).toBe('string');
  expect(body.error.message.length, where).toBeGreaterThan(0);
  expect(response.headers['cache-control'], where).toBe('no-store');
}

function expectHtmlError(response: Answer, status: number, code: string) {
  const where = `${response.statusCode} ${response.body.slice(0, 300)}`;
  expect(response.statusCode, where).toBe(status);
  expect(String(response.headers['content-type']), where).toMatch(/^text\/html; charset=utf-8/);
  expect(response.body, where).toMatch(/^<!doctype html>/);
  expect(response.body, where).toContain(`${code} (${status})`);
  // Both languages, nothing loaded from elsewhere, small.
  expect(response.body).toContain('lang="vi"');
  expect(response.body).toContain('lang="en"');
  expect(response.body).not.toMatch(/<script|<img|<link|https?:\/\//i);
  expect(Buffer.byteLength(response.body)).toBeLessThan(8 * 1024);
  expect(String(response.headers['content-security-policy'])).toContain("default-src 'none'");
  expect(response.headers['cache-control'], where).toBe('no-store');
}

/** One request written as raw bytes on a socket; the whole answer, read until the server closes. */
function rawRequest(raw: string | Buffer): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => socket.write(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const all = Buffer.concat(chunks).toString('utf8');
      const split = all.indexOf('\r\n\r\n');
      const [statusLine, ...lines] = all.slice(0, split).split('\r\n');
      const headers: Record<string, string> = {};
      for (const line of lines) {
        const colon = line.indexOf(':');
        headers[line.slice(0, colon).toLowerCase()] = line.slice(colon + 1).trim();
      }
      resolve({ statusCode: Number(statusLine!.split(' ')[1]), headers, body: all.slice(split + 4) });
    });
  });
}

const inject = (method: string, url: string, headers: Record<string, string> = {}, payload?: string) =>
  t.app.inject({ method: method as 'GET', url, headers, ...(payload === undefined ? {} : { payload }) });

describe("Fastify's own errors in the one shape (app.inject)", () => {
  it('404 for an unknown API address, as JSON in the caller’s language', async () => {
    const response = await inject('GET', '/api/v1/khong-co', { 'accept-language': 'en' });
    expectJsonError(response, 404, 'NOT_FOUND');
    expect(response.json().error.message).toBe('Not found.');
  });

  it('405 with Allow for an address that exists under another method', async () => {
    const health = await inject('POST', '/api/health', { 'content-type': 'application/json' }, '{}');
    expectJsonError(health, 405, 'METHOD_NOT_ALLOWED');
    expect(health.headers.allow).toBe('GET, HEAD');
    const login = await inject('DELETE', '/api/v1/auth/login');
    expectJsonError(login, 405, 'METHOD_NOT_ALLOWED');
    expect(login.headers.allow).toBe('POST');
    const product = await inject('PUT', '/api/v1/products/00000000-0000-4000-8000-000000000000/photos');
    expectJsonError(product, 405, 'METHOD_NOT_ALLOWED');
    expect(String(product.headers.allow)).toContain('POST');
  });

  it('413 for a JSON body over the limit, 415 for a type no route reads, 400 for broken or empty JSON', async () => {
    const login = '/api/v1/auth/login';
    const json = { 'content-type': 'application/json' };
    const huge = await inject('POST', login, json, JSON.stringify({ email: 'x'.repeat(2 * 1024 * 1024) }));
    expectJsonError(huge, 413, 'PAYLOAD_TOO_LARGE');
    expect(huge.json().error.message).toBe('Nội dung gửi lên quá lớn.');
    expectJsonError(
      await inject('POST', login, { 'content-type': 'application/xml' }, '<a/>'),
      415,
      'UNSUPPORTED_MEDIA',
    );
    expectJsonError(await inject('POST', login, json, '{"email":'), 400, 'MALFORMED_JSON');
    expectJsonError(await inject('POST', login, json, ''), 400, 'MALFORMED_JSON');
    expectJsonError(await inject('POST', login, json, '{"__proto__":{"x":1}}'), 400, 'MALFORMED_JSON');
  });

  it('414 for a path parameter over the router’s limit, 400 for an address that does not decode', async () => {
    expectJsonError(await inject('GET', `/api/v1/products/${'a'.repeat(300)}`), 414, 'URI_TOO_LONG');
    expectJsonError(await inject('GET', '/api/v1/products/%zz'), 400, 'BAD_REQUEST');
  });

  it('413 from the multipart plugin when the uploaded file is over the limit', async () => {
    const small = await createTestContext({ UPLOAD_MAX_BYTES: '2000' });
    try {
      const admin = (await small.as({ role: 'system_admin' })).headers;
      const boundary = 'ranh-gioi';
      const payload = Buffer.concat([
        Buffer.from(
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.xlsx"\r\n` +
            'Content-Type: application/octet-stream\r\n\r\n',
        ),
        Buffer.alloc(5000, 1),
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      const response = await small.app.inject({
        method: 'POST',
        url: '/api/v1/criteria/sheets/import.xlsx',
        headers: { ...admin, 'content-type': `multipart/form-data; boundary=${boundary}` },
        payload,
      });
      expectJsonError(response, 413, 'PAYLOAD_TOO_LARGE');
    } finally {
      await small.close();
    }
  });

  it('401 for a session cookie that is not ours (tampered signature), before the body', async () => {
    const response = await inject(
      'POST',
      '/api/v1/auth/password',
      { cookie: 'ocop_session=abc.def', 'content-type': 'application/json' },
      '{',
    );
    expectJsonError(response, 401, 'UNAUTHENTICATED');
  });
});

describe('the public pages answer in HTML', () => {
  it('a code too long for a QR code: 414, saying the code does not verify, with the search', async () => {
    const response = await inject('GET', `/v/${'A'.repeat(300)}`);
    expectHtmlError(response, 414, 'URI_TOO_LONG');
    expect(response.body).toContain('<html lang="vi">');
    expect(response.body).toContain('Địa chỉ (URL) quá dài.');
    expect(response.body).toContain('không xác thực được');
    expect(response.body).toContain('cannot be verified');
    expect(response.body).toContain('href="/tra-cuu"');
  });

  it('in English first with ?lang=en', async () => {
    const response = await inject('GET', `/v/${'A'.repeat(300)}?lang=en`);
    expectHtmlError(response, 414, 'URI_TOO_LONG');
    expect(response.body).toContain('<html lang="en">');
    expect(response.body.indexOf('The address (URL) is too long.')).toBeLessThan(
      response.body.indexOf('Địa chỉ (URL) quá dài.'),
    );
  });

  it('an address that does not decode, one with no code, another method: 400, 404, 405 pages', async () => {
    expectHtmlError(await inject('GET', '/v/%E0%A4%A'), 400, 'BAD_REQUEST');
    const none = await inject('GET', '/v/ma/thua');
    expectHtmlError(none, 404, 'NOT_FOUND');
    expect(none.body).toContain('không xác thực được');
    const post = await inject('POST', '/v/abc', { 'content-type': 'application/json' }, '{}');
    expectHtmlError(post, 405, 'METHOD_NOT_ALLOWED');
    expect(post.headers.allow).toBe('GET, HEAD');
    expectHtmlError(await inject('DELETE', '/tra-cuu'), 405, 'METHOD_NOT_ALLOWED');
  });

  it('a failure behind the page is a 500 page that says nothing of its cause', async () => {
    const scans = t.app.verification.scans;
    const record = scans.record;
    scans.record = () => {
      throw new Error('scan log unavailable: secret detail');
    };
    try {
      const response = await inject('GET', '/v/KHONG-CO');
      expectHtmlError(response, 500, 'INTERNAL');
      expect(response.body).toContain('Lỗi hệ thống, vui lòng thử lại.');
      expect(response.body).not.toContain('secret detail');
    } finally {
      scans.record = record;
    }
  });

  it('a web-app address answers a page linking to the start page', async () => {
    const response = await inject('POST', '/san-pham/khong-co');
    expectHtmlError(response, 404, 'NOT_FOUND');
    expect(response.body).toContain('href="/"');
  });

  it('the photo and the public key, which are data, keep JSON errors', async () => {
    expectJsonError(await inject('GET', '/tra-cuu/anh/khong-phai-uuid'), 400, 'VALIDATION');
    expectJsonError(await inject('POST', '/.well-known/ocop-verification-key'), 405, 'METHOD_NOT_ALLOWED');
  });
});

describe('the session is checked before the body is read', () => {
  const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
  const protectedWrites = () =>
    t.app.routeAccess.filter((r) => UNSAFE.has(r.method) && !('public' in r.access));
  const url = (route: RouteAccessEntry) =>
    route.url.replace(/:(\w+)/g, '00000000-0000-4000-8000-000000000000');
  const bad: [string, Record<string, string>, string][] = [
    ['wrong content type', { 'content-type': 'application/xml' }, '<a/>'],
    ['broken JSON', { 'content-type': 'application/json' }, '{"a":'],
    ['empty JSON', { 'content-type': 'application/json' }, ''],
    ['huge body', { 'content-type': 'application/json' }, `"${'x'.repeat(2 * 1024 * 1024)}"`],
    ['broken multipart', { 'content-type': 'multipart/form-data; boundary=x' }, '--y'],
  ];

  it('anonymous: 401 on every protected write, whatever the body', async () => {
    const routes = protectedWrites();
    expect(routes.length).toBeGreaterThan(20);
    for (const route of routes) {
      for (const [label, headers, payload] of bad) {
        const response = await inject(route.method, url(route), headers, payload);
        expect(response.statusCode, `${route.method} ${route.url} (${label})`).toBe(401);
        expectJsonError(response, 401, 'UNAUTHENTICATED');
      }
    }
  });

  it('logged in without the CSRF header: 403 CSRF; with the wrong role: 403 FORBIDDEN — before the body', async () => {
    const { headers } = await t.as({ role: 'producer' });
    const noCsrf = { cookie: headers.cookie! };
    for (const [, contentType, payload] of bad) {
      const csrf = await inject(
        'POST',
        '/api/v1/criteria/sheets/import.xlsx',
        { ...noCsrf, ...contentType },
        payload,
      );
      expectJsonError(csrf, 403, 'CSRF');
      const role = await inject(
        'POST',
        '/api/v1/criteria/sheets/import.xlsx',
        { ...headers, ...contentType },
        payload,
      );
      expectJsonError(role, 403, 'FORBIDDEN');
    }
  });

  it('public routes still read their bodies: login, open data, verification, health', async () => {
    const login = await inject(
      'POST',
      '/api/v1/auth/login',
      { 'content-type': 'application/json' },
      JSON.stringify({ email: 'khong-co@test.vn', password: 'sai-mat-khau' }),
    );
    expectJsonError(login, 401, 'INVALID_CREDENTIALS');
    expect((await inject('GET', '/api/v1/open-data/certified-products')).statusCode).toBe(200);
    expect((await inject('GET', '/v/KHONG-CO')).statusCode).toBe(200);
    expect((await inject('GET', '/api/health')).statusCode).toBe(200);
  });
});

describe('errors Node answers before Fastify (a real listening server)', () => {
  it('414 for a request line over the header limit: a page on /v/, JSON on the API', async () => {
    const page = await rawRequest(`GET /v/${'A'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expectHtmlError(page, 414, 'URI_TOO_LONG');
    expect(page.headers.connection).toBe('close');
    expect(page.body).toContain('không xác thực được');
    const data = await rawRequest(`GET /api/v1/products?q=${'a'.repeat(20_000)} HTTP/1.1\r\nHost: x\r\n\r\n`);
    expectJsonError(data, 414, 'URI_TOO_LONG');
    expect(Number(data.headers['content-length'])).toBe(Buffer.byteLength(data.body));
  });

  it('431 for headers over the limit: JSON on the API in the caller’s language, a page elsewhere', async () => {
    const big = `X-Big: ${'b'.repeat(20_000)}\r\n`;
    const data = await rawRequest(`GET /api/health HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n${big}\r\n`);
    expectJsonError(data, 431, 'HEADERS_TOO_LARGE');
    expect(JSON.parse(data.body).error.message).toContain('too large');
    const cookies = `Cookie: ${Array.from({ length: 400 }, (_, i) => `c${i}=${'v'.repeat(50)}`).join('; ')}\r\n`;
    const page = await rawRequest(`GET /tra-cuu?q=mam HTTP/1.1\r\nHost: x\r\n${cookies}\r\n`);
    expectHtmlError(page, 431, 'HEADERS_TOO_LARGE');
    expect(page.body).toContain('Hãy xóa cookie');
  });

  it('400 for bytes that are not HTTP, in the shape', async () => {
    expectJsonError(await rawRequest('HELLO\r\n\r\n'), 400, 'BAD_REQUEST');
    const page = await rawRequest('GET /v/a b c HTTP/1.1\r\nHost: x\r\n\r\n');
    expectHtmlError(page, 400, 'BAD_REQUEST');
  });

  it("414 from the router's parameter limit over a socket, as a page", async () => {
    const page = await rawRequest(
      `GET /v/${'A'.repeat(300)} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
    );
    expectHtmlError(page, 414, 'URI_TOO_LONG');
  });

  it('503 in the shape for a request that arrives on an open connection while the app shuts down', async () => {
    const closing = await createTestContext();
    await closing.app.listen({ port: 0, host: '127.0.0.1' });
    const socket = net.connect((closing.app.server.address() as net.AddressInfo).port, '127.0.0.1');
    await new Promise((resolve) => socket.on('connect', resolve));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    // A request under way keeps the connection open through the shutdown; a second one follows it.
    socket.write(
      'POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 10\r\n\r\n{"a":',
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    const closed = closing.close();
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.write('1234}GET /api/health HTTP/1.1\r\nHost: x\r\nAccept-Language: en\r\n\r\n');
    await new Promise((resolve) => socket.on('close', resolve));
    await closed;
    const all = Buffer.concat(chunks).toString('utf8');
    const second = all.slice(all.indexOf('HTTP/1.1', 10));
    expect(second).toMatch(/^HTTP\/1\.1 503 /);
    expect(second).toMatch(/\r\nconnection: close\r\n/i);
    expect(second).toMatch(/\r\nretry-after: 5\r\n/i);
    const body = JSON.parse(second.slice(second.indexOf('\r\n\r\n') + 4));
    expect(body).toEqual({
      error: { code: 'SERVICE_UNAVAILABLE', message: 'The service is restarting; try again in a moment.' },
    });
  });

  it('408 for a request too slow to arrive (the handler Node calls on its timeout)', async () => {
    const socket = new PassThrough();
    const written: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => written.push(chunk));
    const handler = createClientErrorHandler();
    const error = Object.assign(new Error('Request timeout'), {
      code: 'ERR_HTTP_REQUEST_TIMEOUT',
      rawPacket: Buffer.from('GET /api/v1/products HTTP/1.1\r\nHost: x\r\n'),
    });
    handler.call({ log: t.app.log }, error, socket);
    await new Promise((resolve) => socket.on('close', resolve));
    const answer = Buffer.concat(written).toString('utf8');
    expect(answer).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    expect(JSON.parse(answer.slice(answer.indexOf('\r\n\r\n') + 4)).error.code).toBe('REQUEST_TIMEOUT');
  });

  it('reads what it can of a refused request, and tells 405 from 404 by the route table', () => {
    expect(readRequestHead(Buffer.from('GET /v/abc?lang=en HTTP/1.1\r\nAccept-Language: en\r\n'))).toEqual({
      path: '/v/abc?lang=en',
      requestLineBytes: 29,
      acceptLanguage: 'en',
    });
    expect(readRequestHead(Buffer.from('xx-continued-header: yy\r\n')).path).toBeNull();
    expect(readRequestHead(undefined).path).toBeNull();
    const routes = new RouteMethods();
    routes.add(['GET', 'HEAD'], '/api/v1/products/:id');
    routes.add('POST', '/api/v1/products/:id/photos');
    routes.add('GET', '/api/docs/*');
    expect(routes.allowed('/api/v1/products/123?x=1')).toEqual(['GET', 'HEAD']);
    expect(routes.allowed('/api/v1/products/123/photos')).toEqual(['POST']);
    expect(routes.allowed('/api/docs/static/x.js')).toEqual(['GET']);
    expect(routes.allowed('/api/v1/products')).toEqual([]);
  });
});

describe('CORS: open data and the public key only', () => {
  it('lets any origin read open data (errors too), without credentials, and answers its preflight', async () => {
    const origin = { origin: 'https://du-lieu-mo.example' };
    const data = await inject('GET', '/api/v1/open-data/certified-products?format=csv', origin);
    expect(data.statusCode).toBe(200);
    expect(data.headers['access-control-allow-origin']).toBe('*');
    expect(data.headers['access-control-allow-credentials']).toBeUndefined();
    expect(data.headers['access-control-expose-headers']).toBe('content-disposition');
    expect(data.headers['cross-origin-resource-policy']).toBe('cross-origin');
    const invalid = await inject('GET', '/api/v1/open-data/certified-products?format=pdf', origin);
    expectJsonError(invalid, 400, 'VALIDATION');
    expect(invalid.headers['access-control-allow-origin']).toBe('*');
    const preflight = await inject('OPTIONS', '/api/v1/open-data/certified-products', {
      ...origin,
      'access-control-request-method': 'GET',
      'access-control-request-headers': 'accept-language, x-trace',
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
    expect(preflight.headers['access-control-allow-methods']).toBe('GET, HEAD, OPTIONS');
    expect(preflight.headers['access-control-allow-headers']).toBe('accept-language, x-trace');
    expect(preflight.headers['access-control-allow-credentials']).toBeUndefined();
    const injected = await inject('OPTIONS', '/api/v1/open-data/certified-products', {
      ...origin,
      'access-control-request-headers': 'x\r\nset-cookie: a=b'.replace(/\r\n/, ' '),
    });
    expect(injected.headers['access-control-allow-headers']).toBeUndefined();
  });

  it('lets any origin read the public key, and answers its preflight', async () => {
    const key = await inject('GET', '/.well-known/ocop-verification-key', { origin: 'https://x.example' });
    expect(key.statusCode).toBe(200);
    expect(key.headers['access-control-allow-origin']).toBe('*');
    const preflight = await inject('OPTIONS', '/.well-known/ocop-verification-key', {
      origin: 'https://x.example',
      'access-control-request-method': 'GET',
    });
    expect(preflight.statusCode).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe('*');
  });

  it('sends no CORS header anywhere else, and no preflight succeeds there', async () => {
    const origin = { origin: 'https://ke-xau.example' };
    const { headers } = await t.as({ role: 'system_admin' });
    const answers = [
      await inject('GET', '/api/health', origin),
      await inject('GET', '/api/v1/auth/me', { ...origin, ...headers }),
      await inject('GET', '/api/v1/auth/me', origin),
      await inject('GET', '/v/KHONG-CO', origin),
      await inject('GET', '/tra-cuu?q=mam', origin),
      await inject('GET', '/api/openapi.json', origin),
    ];
    for (const answer of answers) {
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(answer.headers['access-control-allow-credentials']).toBeUndefined();
    }
    const preflight = await inject('OPTIONS', '/api/v1/auth/login', {
      ...origin,
      'access-control-request-method': 'POST',
    });
    expectJsonError(preflight, 405, 'METHOD_NOT_ALLOWED');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});

describe('cache headers on the public pages', () => {
  it('the verification page is revalidated on every look: 304 while unchanged, the new page after a revocation', async () => {
    const officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
    const subject = await insertSubject(t, 'Hợp tác xã Chè Đồng Tâm', NB_A);
    const product = await insertProduct(t, subject, NB_A, 'Chè búp Đồng Tâm');
    const cert = await issue(t, officer, product);
    const url = new URL(cert.verificationUrl);
    const path = url.pathname + url.search;
    const first = await inject('GET', path);
    expect(first.statusCode).toBe(200);
    expect(first.headers['cache-control']).toBe('no-cache');
    const tag = String(first.headers.etag);
    expect(tag).toMatch(/^W\/".+"$/);
    // The same tag whether the page is sent compressed or not.
    expect((await inject('GET', path, { 'accept-encoding': 'br' })).headers.etag).toBe(tag);
    const again = await inject('GET', path, { 'if-none-match': tag });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers['cache-control']).toBe('no-cache');

    const revoked = await api(t, 'POST', `/certificates/${cert.id}/revocation`, officer, {
      reasonCategory: 'food_safety',
      decisionNumber: '12/QĐ-UBND',
      decisionDate: today(),
    });
    expect(revoked.statusCode).toBe(200);
    const after = await inject('GET', path, { 'if-none-match': tag });
    expect(after.statusCode).toBe(200);
    expect(after.body).toContain('Đã bị thu hồi');
    expect(after.headers.etag).not.toBe(tag);
  });

  it('an unverified code and the search are revalidated too; the search answers 304 while unchanged', async () => {
    expect((await inject('GET', '/v/KHONG-CO')).headers['cache-control']).toBe('no-cache');
    const search = await inject('GET', '/tra-cuu?q=ch%C3%A8');
    expect(search.statusCode).toBe(200);
    expect(search.headers['cache-control']).toBe('no-cache');
    const again = await inject('GET', '/tra-cuu?q=ch%C3%A8', {
      'if-none-match': String(search.headers.etag),
    });
    expect(again.statusCode).toBe(304);
  });

  it('errors are never cached, even where the answer would have been', async () => {
    const invalid = await inject('GET', '/api/v1/open-data/certified-products?format=pdf');
    expect(invalid.headers['cache-control']).toBe('no-store');
    expect(invalid.headers['content-disposition']).toBeUndefined();
  });
});
