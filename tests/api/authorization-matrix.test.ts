import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../src/modules/accounts/roles';
import type { RouteAccessEntry } from '../../src/server/app';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * Walks every API route the app registered with every role (and with no session) and checks the
 * route's declared role rule is enforced before anything else runs. Scope inside a role (which
 * province, which subject) is tested per module.
 */
let t: TestContext;
const sessions = new Map<Role, Record<string, string>>();
const emails = new Map<Role, string>();

beforeAll(async () => {
  t = await createTestContext();
  const [province] = await t.database.db.query.provinces.findMany({ limit: 1 });
  const [commune] = province
    ? await t.database.db.query.communes.findMany({
        where: (c, { eq }) => eq(c.provinceCode, province.code),
        limit: 1,
      })
    : [];
  for (const role of ROLES) {
    const { user, headers } = await t.as({
      role,
      provinceCode:
        role === 'province_officer' || role === 'commune_officer' ? (province?.code ?? null) : null,
      communeCode: role === 'commune_officer' ? (commune?.code ?? null) : null,
    });
    sessions.set(role, headers);
    emails.set(role, user.email);
  }
});
afterAll(async () => t.close());

const PLACEHOLDER_ID = '00000000-0000-4000-8000-000000000000';

function concreteUrl(route: RouteAccessEntry): string {
  return route.url.replace(/:(\w+)/g, (_, name: string) => (/id$/i.test(name) ? PLACEHOLDER_ID : 'x'));
}

function allows(route: RouteAccessEntry, role: Role): boolean {
  const { access } = route;
  if ('public' in access) return true;
  return access.roles === 'any-authenticated' || access.roles.includes(role);
}

async function call(route: RouteAccessEntry, headers: Record<string, string>) {
  const hasBody = route.method !== 'GET' && route.method !== 'DELETE';
  return t.app.inject({
    method: route.method as 'GET',
    url: concreteUrl(route),
    headers: hasBody ? { ...headers, 'content-type': 'application/json' } : headers,
    payload: hasBody ? '{}' : undefined,
  });
}

describe('authorisation matrix', () => {
  it('has routes to check', () => {
    expect(t.app.routeAccess.length).toBeGreaterThan(5);
  });

  it('refuses every non-public route without a session (401)', async () => {
    for (const route of t.app.routeAccess) {
      if ('public' in route.access) continue;
      const response = await call(route, {});
      expect([route.method, route.url, response.statusCode]).toEqual([route.method, route.url, 401]);
    }
  });

  it('applies each route role rule to each role', async () => {
    for (const route of t.app.routeAccess) {
      for (const role of ROLES) {
        const response = await call(route, sessions.get(role)!);
        const denied = response.statusCode === 403 && response.json().error.code === 'FORBIDDEN';
        const expected = allows(route, role) ? 'allowed' : 'forbidden';
        const actual = denied ? 'forbidden' : response.statusCode === 401 ? 'unauthenticated' : 'allowed';
        expect({ route: `${route.method} ${route.url}`, role, outcome: actual }).toEqual({
          route: `${route.method} ${route.url}`,
          role,
          outcome: expected,
        });
        expect(response.statusCode, `${route.method} ${route.url} as ${role}`).toBeLessThan(500);
        // Logging out ends the session the next routes need.
        if (route.url.endsWith('/auth/logout')) sessions.set(role, await t.login(emails.get(role)!));
      }
    }
  });
});
