import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_TYPES_FILE, generateApiTypes, lintApiDocument, rootDir } from '../../scripts/api-contract';
import { SESSION_COOKIE } from '../../src/modules/accounts/session';
import { API_MODULES, buildApiDocument } from '../../src/server/api-routes';
import { errorCatalogue } from '../../src/server/errors';
import { CSRF_HEADER, MEDIA } from '../../src/server/openapi';
import { readUploadedFile } from '../../src/server/uploads';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * The API contract: the document the app serves at /api/openapi.json is valid (Redocly), complete
 * for every operation (operationId, tag, summary, security, error answers, upload bodies, file
 * types), the committed client types are generated from it, and every call the web app makes is in it.
 */

type Schema = { $ref?: string; type?: string; format?: string; properties?: Record<string, Schema> };
type Media = Record<string, { schema?: Schema }>;
type Response = { $ref?: string; description?: string; content?: Media };
type Operation = {
  operationId?: string;
  summary?: string;
  tags?: string[];
  security?: Array<Record<string, string[]>>;
  requestBody?: { content: Media };
  parameters?: Array<{ in: string; name: string }>;
  responses: Record<string, Response>;
};
type Document = {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<
      string,
      Schema & { properties?: { error?: Schema & { properties?: Record<string, unknown> } } }
    >;
    responses: Record<string, Response>;
    securitySchemes: Record<string, { type: string; in: string; name: string }>;
  };
};

let t: TestContext;
let document: Document;

beforeAll(async () => {
  t = await createTestContext();
  const response = await t.app.inject({ method: 'GET', url: '/api/openapi.json' });
  expect(response.statusCode).toBe(200);
  document = response.json();
});
afterAll(async () => t.close());

const WRITES = new Set(['post', 'put', 'patch', 'delete']);
const openApiPath = (url: string) => url.replace(/:(\w+)/g, '{$1}');

function operations(): Array<{ method: string; path: string; operation: Operation }> {
  return Object.entries(document.paths).flatMap(([p, byMethod]) =>
    Object.entries(byMethod).map(([method, operation]) => ({ method, path: p, operation })),
  );
}

function resolveResponse(response: Response): Response {
  if (!response.$ref) return response;
  const name = response.$ref.replace('#/components/responses/', '');
  const shared = document.components.responses[name];
  if (!shared) throw new Error(`dangling response ${response.$ref}`);
  return shared;
}

describe('the API document', () => {
  it('is the one built from the route declarations, which the client types are generated from', async () => {
    expect(document).toEqual(await buildApiDocument());
  });

  it('passes Redocly lint with the rules of redocly.yaml', () => {
    const result = lintApiDocument(document as unknown as Record<string, unknown>);
    expect(result.ok, result.output).toBe(true);
  }, 120_000);

  it('has no reference that points nowhere (the recursive criterion is a named component)', () => {
    const refs = new Set<string>();
    JSON.stringify(document, (key, value) => {
      if (key === '$ref' && typeof value === 'string') refs.add(value);
      return value;
    });
    for (const ref of refs) {
      const target = ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], document);
      expect(target, ref).toBeDefined();
    }
    expect(refs).toContain('#/components/schemas/CriterionInput');
    expect(JSON.stringify(document)).not.toContain('schema0');
  });

  it('lists every API route, once, under its method', () => {
    const documented = new Set(operations().map((o) => `${o.method.toUpperCase()} ${o.path}`));
    for (const route of t.app.routeAccess) {
      expect(documented, `${route.method} ${route.url}`).toContain(
        `${route.method} ${openApiPath(route.url)}`,
      );
    }
    expect(documented.size).toBe(t.app.routeAccess.length);
  });
});

describe('every operation', () => {
  it('has a unique camelCase operationId, its module as tag, and a short English summary', () => {
    const modules = new Set<string>(API_MODULES.map(([name]) => name));
    const ids = new Set<string>();
    for (const { method, path: p, operation } of operations()) {
      const where = `${method} ${p}`;
      expect(operation.operationId, where).toMatch(/^[a-z][a-zA-Z0-9]*$/);
      expect(ids.has(operation.operationId!), `duplicate operationId at ${where}`).toBe(false);
      ids.add(operation.operationId!);
      expect(operation.tags, where).toHaveLength(1);
      expect(modules, where).toContain(operation.tags![0]);
      expect(operation.summary, where).toMatch(/^[A-Z][^\n]{5,80}$/);
      expect(operation.summary, where).not.toMatch(/\.$/);
    }
  });

  it("declares the security its route's access rule enforces: the session cookie, and the CSRF header on writes", () => {
    expect(document.components.securitySchemes).toEqual({
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: SESSION_COOKIE }),
      csrf: expect.objectContaining({ type: 'apiKey', in: 'header', name: CSRF_HEADER }),
    });
    for (const route of t.app.routeAccess) {
      const method = route.method.toLowerCase();
      const operation = document.paths[openApiPath(route.url)]?.[method];
      const where = `${route.method} ${route.url}`;
      if ('public' in route.access) expect(operation?.security, where).toEqual([]);
      else if (WRITES.has(method)) expect(operation?.security, where).toEqual([{ session: [], csrf: [] }]);
      else expect(operation?.security, where).toEqual([{ session: [] }]);
    }
  });

  it('the declared CSRF header is the one the app checks on writes', async () => {
    const { headers } = await t.as({ role: 'producer' });
    const { [CSRF_HEADER]: token, ...withoutToken } = headers;
    expect(token).toBeTruthy();
    const refused = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers: withoutToken });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('CSRF');
    const accepted = await t.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers });
    expect(accepted.statusCode).toBe(200);
  });

  it('answers its errors in the one error shape, for each status its access rule and inputs allow', () => {
    const error = document.components.schemas.Error!;
    expect(error.properties?.error?.properties?.code).toEqual({
      type: 'string',
      enum: Object.keys(errorCatalogue),
    });
    for (const { method, path: p, operation } of operations()) {
      const where = `${method} ${p}`;
      const statuses = Object.keys(operation.responses);
      for (const status of statuses.filter((s) => Number(s) >= 400)) {
        const response = resolveResponse(operation.responses[status]!);
        expect(response.content?.['application/json']?.schema, `${where} ${status}`).toEqual({
          $ref: '#/components/schemas/Error',
        });
      }
      expect(statuses, where).toContain('500');
      if (operation.security?.length) expect(statuses, where).toEqual(expect.arrayContaining(['401', '403']));
      if (operation.parameters?.some((x) => x.in === 'path')) {
        expect(statuses, where).toEqual(expect.arrayContaining(['400', '404']));
      }
      if (operation.requestBody)
        expect(statuses, where).toEqual(expect.arrayContaining(['400', '413', '415']));
    }
    // Statuses only some routes answer, declared beside them.
    const login = document.paths['/api/v1/auth/login']!.post!;
    expect(Object.keys(login.responses)).toEqual(expect.arrayContaining(['401', '429']));
    const evidence = document.paths['/api/v1/evaluation/dossiers/{id}/documents']!.post!;
    expect(Object.keys(evidence.responses)).toContain('422');
  });

  it('has a success answer: JSON, or a file of declared content types', () => {
    for (const { method, path: p, operation } of operations()) {
      const success = Object.entries(operation.responses).filter(([s]) => s.startsWith('2'));
      expect(success.length, `${method} ${p}`).toBeGreaterThan(0);
      for (const [status, response] of success) {
        const types = Object.keys(response.content ?? {});
        expect(types.length, `${method} ${p} ${status}`).toBeGreaterThan(0);
      }
    }
  });
});

describe('uploads and files', () => {
  const UPLOADS = [
    '/api/v1/imports',
    '/api/v1/evaluation/dossiers/{id}/documents',
    '/api/v1/products/{id}/photos',
    '/api/v1/criteria/sheets/import.xlsx',
    '/api/v1/criteria/rule-sets/import.xlsx',
  ];

  it('declares a multipart body with a binary file on every upload', () => {
    for (const p of UPLOADS) {
      const body = document.paths[p]?.post?.requestBody;
      expect(body?.content[MEDIA.multipart]?.schema?.properties?.file, p).toEqual(
        expect.objectContaining({ type: 'string', format: 'binary' }),
      );
    }
    const multipart = operations().filter((o) => o.operation.requestBody?.content[MEDIA.multipart]);
    expect(multipart.map((o) => o.path).sort()).toEqual([...UPLOADS].sort());
  });

  it('refuses to read an upload on a route that does not declare its multipart body', async () => {
    const request = { routeOptions: { url: '/x', schema: {} }, file: async () => undefined };
    const messages = {
      missing: { vi: 'a', en: 'a' },
      tooLarge: { vi: 'b', en: 'b' },
      malformed: { vi: 'c', en: 'c' },
    };
    await expect(readUploadedFile(request as never, messages)).rejects.toThrow(/declares no consumes/);
  });

  const FILES: Record<string, string[]> = {
    '/api/v1/certificates/{id}/pdf': [MEDIA.pdf],
    '/api/v1/certificates/{id}/qr.png': [MEDIA.png],
    '/api/v1/certificates/{id}/qr.svg': [MEDIA.svg],
    '/api/v1/evaluation/dossiers/{id}/minutes.pdf': [MEDIA.pdf],
    '/api/v1/evaluation/dossiers/{id}/minutes.xlsx': [MEDIA.xlsx],
    '/api/v1/evaluation/cycles/{id}/minutes.pdf': [MEDIA.pdf],
    '/api/v1/evaluation/cycles/{id}/minutes.xlsx': [MEDIA.xlsx],
    '/api/v1/evaluation/dossiers/{id}/documents/{documentId}': [MEDIA.pdf, MEDIA.jpeg, MEDIA.png],
    '/api/v1/products/{id}/photos/{photoId}': [MEDIA.jpeg],
    '/api/v1/criteria/sheets/template.xlsx': [MEDIA.xlsx],
    '/api/v1/criteria/sheets/{id}/export.xlsx': [MEDIA.xlsx],
    '/api/v1/criteria/rule-sets/template.xlsx': [MEDIA.xlsx],
    '/api/v1/criteria/rule-sets/{id}/export.xlsx': [MEDIA.xlsx],
  };

  it('declares the content types of file downloads, as binary', () => {
    for (const [p, types] of Object.entries(FILES)) {
      const content = document.paths[p]?.get?.responses['200']?.content ?? {};
      expect(Object.keys(content).sort(), p).toEqual([...types].sort());
      for (const type of types)
        expect(content[type]?.schema, p).toEqual({ type: 'string', format: 'binary' });
    }
    const openData = document.paths['/api/v1/open-data/certified-products']?.get?.responses['200']?.content;
    expect(Object.keys(openData ?? {}).map((type) => type.split(';')[0])).toEqual(
      expect.arrayContaining([MEDIA.csv, MEDIA.json, MEDIA.xlsx]),
    );
  });

  const mediaType = (header: string | string[] | number | undefined) => String(header).split(';')[0]!.trim();
  const declaredTypes = (p: string) =>
    Object.keys(document.paths[p]?.get?.responses['200']?.content ?? {}).map(mediaType);

  it('sends the content types it declares (a workbook template, the open data in each format)', async () => {
    const { headers } = await t.as({ role: 'system_admin' });
    for (const p of ['/api/v1/criteria/sheets/template.xlsx', '/api/v1/criteria/rule-sets/template.xlsx']) {
      const response = await t.app.inject({ method: 'GET', url: p, headers });
      expect(response.statusCode, p).toBe(200);
      expect(declaredTypes(p)).toContain(mediaType(response.headers['content-type']));
    }
    for (const format of ['csv', 'json', 'xlsx']) {
      const p = '/api/v1/open-data/certified-products';
      const response = await t.app.inject({ method: 'GET', url: `${p}?format=${format}` });
      expect(response.statusCode, format).toBe(200);
      expect(declaredTypes(p)).toContain(mediaType(response.headers['content-type']));
    }
  });
});

describe('the client generated from the document', () => {
  it('is committed as src/web/api-types.gen.ts and current (run `npm run api:types` after changing a route)', async () => {
    const committed = fs.readFileSync(API_TYPES_FILE, 'utf8');
    expect(committed === (await generateApiTypes(document as unknown as Record<string, unknown>))).toBe(true);
  });
});

/** Every `(method, path)` the web app calls: api.get/post/patch/delete/upload, request(METHOD, …), and links to downloads. */
function webCalls(): Array<{ method: string; path: string; where: string }> {
  const calls: Array<{ method: string; path: string; where: string }> = [];
  const unread: string[] = [];
  const generic = '(?:<(?:[^<>]|<(?:[^<>]|<[^<>]*>)*>)*>)?';
  const apiCall = new RegExp(String.raw`\bapi\.(get|post|patch|delete|upload)\s*${generic}\s*\(\s*`, 'g');
  const requestCall = new RegExp(String.raw`\brequest\s*${generic}\s*\(\s*'([A-Z]+)'\s*,\s*`, 'g');
  const literal = /^(['`])((?:(?!\1)[^\\]|\\.)*)\1/s;
  const files = fs
    .readdirSync(path.join(rootDir, 'src/web'), { recursive: true, encoding: 'utf8' })
    // api.ts is the client itself: its helpers take the path as a parameter.
    .filter((f) => /\.tsx?$/.test(f) && !/\.test\.tsx?$|test-fixtures|api-types\.gen|^api\.ts$/.test(f));
  for (const file of files) {
    const text = fs.readFileSync(path.join(rootDir, 'src/web', file), 'utf8');
    const where = (index: number) => `src/web/${file}:${text.slice(0, index).split('\n').length}`;
    for (const [pattern, methodOf] of [
      [apiCall, (m: string) => (m === 'upload' ? 'POST' : m.toUpperCase())],
      [requestCall, (m: string) => m],
    ] as const) {
      for (const match of text.matchAll(pattern)) {
        const rest = text.slice(match.index + match[0].length);
        const found = literal.exec(rest);
        if (!found) unread.push(where(match.index));
        else calls.push({ method: methodOf(match[1]!), path: found[2]!, where: where(match.index) });
      }
    }
    // Links and the upload with progress: `${API_BASE}/…` in a template literal.
    for (const match of text.matchAll(/\$\{API_BASE\}((?:[^`$\\]|\$\{[^}]*\})*)`/g)) {
      const opened = /open\(\s*'([A-Z]+)'\s*,\s*`$/.exec(
        text.slice(Math.max(0, match.index - 40), match.index),
      );
      calls.push({ method: opened?.[1] ?? 'GET', path: match[1]!, where: where(match.index) });
    }
  }
  expect(unread, 'calls whose path is not a literal (make it one, so it can be checked)').toEqual([]);
  return calls;
}

function inContract(method: string, template: string): boolean {
  const wanted = template
    .replace(/\$\{toQueryString\(.*\)\}$/, '')
    .split('?')[0]!
    .split('/');
  return Object.entries(document.paths).some(([p, byMethod]) => {
    if (!byMethod[method.toLowerCase()]) return false;
    const have = p.replace(/^\/api\/v1/, '').split('/');
    if (have.length !== wanted.length) return false;
    return have.every((segment, i) => {
      const mine = wanted[i]!;
      if (/^\{\w+\}$/.test(segment)) return mine.length > 0;
      const pattern = mine
        .split(/\$\{[^}]*\}/)
        .map((part) => part.replace(/[.*+?^$()|[\]\\{}]/g, '\\$&'))
        .join('[^/]+');
      return new RegExp(`^${pattern}$`).test(segment);
    });
  });
}

describe("the web app's calls", () => {
  it('are all operations of the contract', () => {
    const calls = webCalls();
    expect(calls.length).toBeGreaterThan(80);
    const missing = calls.filter((c) => !inContract(c.method, c.path));
    expect(missing.map((c) => `${c.method} ${c.path} (${c.where})`)).toEqual([]);
  });
});
