import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listCertificateFactsForProducts } from '../../src/modules/certificates/service';
import { deriveProductStatus, PRODUCT_STATUSES, type ProductStatus } from '../../src/modules/products/rules';
import { createTestContext, type TestContext } from '../support/test-app';
import {
  api,
  daysFromToday,
  insertProduct,
  insertSubject,
  issue,
  NB,
  NB_A,
  today,
} from './certificates-support';

/**
 * A product's status is derived from its records — registration and certificates — never typed.
 * The detail view, the list filter and the home counts must all agree with the rule in
 * products/rules.ts, whichever records the product has.
 */
let t: TestContext;
let officer: Record<string, string>;
const expected = new Map<string, ProductStatus>();

async function product(registered: boolean): Promise<string> {
  const subjectId = await insertSubject(t, `HTX trạng thái ${expected.size}`, NB_A);
  const id = await insertProduct(t, subjectId, NB_A);
  if (registered) {
    const response = await api(t, 'POST', `/products/${id}/register`, officer, {});
    expect(response.statusCode, response.body).toBe(200);
  }
  return id;
}

beforeAll(async () => {
  t = await createTestContext();
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;

  expected.set(await product(false), 'draft');
  expected.set(await product(true), 'registered');

  const certified = await product(true);
  await issue(t, officer, certified);
  expected.set(certified, 'certified');

  const expired = await product(true);
  await issue(t, officer, expired, { decisionDate: daysFromToday(-1200), validTo: daysFromToday(-1) });
  expected.set(expired, 'expired');

  const revoked = await product(true);
  const toRevoke = await issue(t, officer, revoked);
  const revocation = await api(t, 'POST', `/certificates/${toRevoke.id}/revocation`, officer, {
    reasonCategory: 'food_safety',
    decisionNumber: '77/QĐ-UBND',
    decisionDate: today(),
  });
  expect(revocation.statusCode, revocation.body).toBe(200);
  expected.set(revoked, 'revoked');

  // A certificate whose decision takes effect later does not count yet.
  const future = await product(true);
  await issue(t, officer, future, { decisionDate: today(), validFrom: daysFromToday(10) });
  expected.set(future, 'registered');

  // A lapsed certificate followed by one in force: the one in force decides.
  const renewed = await product(true);
  await issue(t, officer, renewed, { decisionDate: daysFromToday(-1200), validTo: daysFromToday(-100) });
  await issue(t, officer, renewed, { decisionDate: daysFromToday(-20), issueKind: 'rerecognition' });
  expected.set(renewed, 'certified');
}, 120_000);
afterAll(async () => t.close());

describe('derived product status', () => {
  it('matches the rule on every product, from its own records', async () => {
    const facts = await listCertificateFactsForProducts(t.database.db, [...expected.keys()]);
    for (const [id, status] of expected) {
      const response = await api(t, 'GET', `/products/${id}`, officer);
      const product = response.json();
      expect({ id, status: product.status }).toEqual({ id, status });
      const ruled = deriveProductStatus(
        {
          registeredAt: product.registeredAt ? new Date(product.registeredAt) : null,
          archivedAt: null,
          certificates: facts.get(id) ?? [],
        },
        today(),
      );
      expect(ruled).toBe(status);
    }
  });

  it('filters the list by each status the same way', async () => {
    for (const status of PRODUCT_STATUSES) {
      const response = await api(t, 'GET', `/products?status=${status}&pageSize=100`, officer);
      expect(response.statusCode).toBe(200);
      const listed = response.json().items.map((p: { id: string; status: string }) => {
        expect(p.status).toBe(status);
        return p.id;
      });
      const wanted = [...expected].filter(([, s]) => s === status).map(([id]) => id);
      expect(listed.filter((id: string) => expected.has(id)).sort()).toEqual(wanted.sort());
    }
  });

  it('counts each status for the home page', async () => {
    const response = await api(t, 'GET', '/products/counts', officer);
    const counts = response.json();
    for (const status of PRODUCT_STATUSES) {
      expect(counts.byStatus[status]).toBe([...expected.values()].filter((s) => s === status).length);
    }
    expect(counts.total).toBe(expected.size);
  });
});
