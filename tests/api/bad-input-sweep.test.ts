import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RouteAccessEntry } from '../../src/server/app';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * Every API route, called by a system administrator (who passes every role rule) with hostile
 * input: malformed ids, bodies of the wrong type, unknown fields, control characters, huge and
 * deeply nested values, query strings with junk. None may answer 5xx, and every 4xx keeps the
 * one error shape. Logging out is left out so the session survives the sweep.
 */
let t: TestContext;
let admin: Record<string, string>;

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.as({ role: 'system_admin' })).headers;
});
afterAll(async () => t.close());

const ids = [
  'not-a-uuid',
  '00000000-0000-4000-8000-000000000000',
  `${'9'.repeat(40)}`,
  '%00',
  '..%2F..%2Fetc',
];

const bodies: [string, string][] = [
  ['array', '[]'],
  ['string', '"x"'],
  ['number', '42'],
  ['null', 'null'],
  ['unknown fields', JSON.stringify({ khongCo: 1, __proto__: { admin: true } })],
  ['control characters', JSON.stringify({ name: 'a\u0000b', q: '\u001b[31m', version: 1 })],
  ['wrong types', JSON.stringify({ name: 12, version: 'x', productId: 5, star: 'bốn', page: -1 })],
  ['huge string', JSON.stringify({ name: 'x'.repeat(200_000), reason: 'y'.repeat(50_000) })],
  ['deep nesting', `${'{"a":'.repeat(2000)}1${'}'.repeat(2000)}`],
];

function url(route: RouteAccessEntry, id: string, query = ''): string {
  return route.url.replace(/:(\w+)/g, (_, name: string) => (/id$/i.test(name) ? id : 'x')) + query;
}

function expectSafe(route: RouteAccessEntry, label: string, response: { statusCode: number; body: string }) {
  const where = `${route.method} ${route.url} (${label}) → ${response.statusCode} ${response.body.slice(0, 200)}`;
  expect(response.statusCode, where).toBeLessThan(500);
  if (response.statusCode >= 400 && response.body.startsWith('{')) {
    const body = JSON.parse(response.body);
    expect(typeof body.error?.code, where).toBe('string');
    expect(typeof body.error?.message, where).toBe('string');
  }
}

describe('bad input never reaches a 500', () => {
  it('survives malformed ids and query strings on every route', async () => {
    for (const route of t.app.routeAccess) {
      if (route.url.endsWith('/auth/logout')) continue;
      for (const id of ids) {
        const response = await t.app.inject({
          method: route.method as 'GET',
          url: url(
            route,
            id,
            '?page=-1&pageSize=abc&q=%FF%FE&status=x&format=exe&provinceCode=../&limit=1e9',
          ),
          headers: admin,
        });
        expectSafe(route, `id ${id}`, response);
      }
    }
  });

  it('survives hostile bodies on every write route', async () => {
    for (const route of t.app.routeAccess) {
      if (route.method === 'GET' || route.url.endsWith('/auth/logout')) continue;
      for (const [label, payload] of bodies) {
        const response = await t.app.inject({
          method: route.method as 'POST',
          url: url(route, '00000000-0000-4000-8000-000000000000'),
          headers: { ...admin, 'content-type': 'application/json' },
          payload,
        });
        expectSafe(route, label, response);
      }
    }
  });
});
