import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import {
  DEMO_ACCOUNTS,
  DEMO_COUNCIL,
  DEMO_DRAFT_DOSSIER_PRODUCT,
  DEMO_PASSWORD,
  DEMO_PRODUCER,
  DEMO_SUBJECTS,
} from '../../src/demo/demo-province';
import { seedDemo } from '../../src/demo/seed';
import { auditLog } from '../../src/modules/audit/schema';
import { verifyAuditChain } from '../../src/modules/audit/service';
import { products } from '../../src/modules/products/schema';
import { createTestContext, type TestContext } from '../support/test-app';

let t: TestContext;
beforeAll(async () => {
  t = await createTestContext();
  await seedDemo(t.database, loadConfig({ DATA_DIR: t.dataDir }));
}, 120_000);
afterAll(async () => t.close());

const demoProducts = DEMO_SUBJECTS.flatMap((s) => s.products);

describe('demo province', () => {
  it('prints logins that work for every role', async () => {
    for (const account of DEMO_ACCOUNTS) {
      const headers = await t.login(account.email, DEMO_PASSWORD);
      const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers });
      expect(me.json().user).toMatchObject({
        email: account.email,
        role: account.role,
        mustChangePassword: false,
      });
    }
  });

  it('is loaded once: a second run changes nothing', async () => {
    const before = await t.database.db.$count(auditLog);
    await seedDemo(t.database, loadConfig({ DATA_DIR: t.dataDir }));
    expect(await t.database.db.$count(auditLog)).toBe(before);
    expect(await t.database.db.$count(products)).toBe(demoProducts.length);
  });

  it('home counts come from the data, within each role scope', async () => {
    const province = await t.login('tinh@demo.ocop.vn', DEMO_PASSWORD);
    const subjects = await t.app.inject({ method: 'GET', url: '/api/v1/subjects/counts', headers: province });
    expect(subjects.statusCode).toBe(200);
    expect(subjects.json()).toMatchObject({
      active: DEMO_SUBJECTS.length,
      womanLed: DEMO_SUBJECTS.filter((s) => s.legalRepresentativeGender === 'female').length,
    });
    const productCounts = await t.app.inject({
      method: 'GET',
      url: '/api/v1/products/counts',
      headers: province,
    });
    expect(productCounts.statusCode).toBe(200);
    expect(JSON.stringify(productCounts.json())).toContain(
      String(demoProducts.filter((p) => p.registered).length),
    );

    const producer = await t.login('chuthe@demo.ocop.vn', DEMO_PASSWORD);
    const own = await t.app.inject({ method: 'GET', url: '/api/v1/subjects/counts', headers: producer });
    expect(own.json().active).toBe(DEMO_ACCOUNTS.find((a) => a.email === DEMO_PRODUCER)!.subjects!.length);
    const council = await t.login('hoidong@demo.ocop.vn', DEMO_PASSWORD);
    const denied = await t.app.inject({ method: 'GET', url: '/api/v1/subjects/counts', headers: council });
    expect(denied.statusCode).toBe(403);
  });

  it('finds a demo product by an unaccented search, with its photo', async () => {
    const admin = await t.login('quantri@demo.ocop.vn', DEMO_PASSWORD);
    const found = await t.app.inject({ method: 'GET', url: '/api/v1/products?q=com%20chay', headers: admin });
    const names = found.json().items.map((p: { name: string }) => p.name);
    expect(names).toEqual(expect.arrayContaining(['Cơm cháy chà bông', 'Cơm cháy ruốc tôm']));
    const item = found.json().items[0];
    const detail = await t.app.inject({ method: 'GET', url: `/api/v1/products/${item.id}`, headers: admin });
    const photo = detail.json().photos[0];
    const image = await t.app.inject({
      method: 'GET',
      url: `/api/v1/products/${item.id}/photos/${photo.id}?size=thumb`,
      headers: admin,
    });
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toMatch(/^image\//);
  });

  it('opens an evaluation cycle under the active 26/2026 rule-set, with a council of three and a draft dossier', async () => {
    const province = await t.login('tinh@demo.ocop.vn', DEMO_PASSWORD);
    const cycles = await t.app.inject({ method: 'GET', url: '/api/v1/evaluation/cycles', headers: province });
    expect(cycles.statusCode).toBe(200);
    const [cycle] = cycles.json().items;
    expect(cycles.json().items).toHaveLength(1);
    expect(cycle).toMatchObject({ level: 'province', provinceCode: '37', ruleSet: { code: '26-2026' } });
    expect(cycle.councils).toEqual([expect.objectContaining({ memberCount: DEMO_COUNCIL.length })]);

    const producer = await t.login(DEMO_PRODUCER, DEMO_PASSWORD);
    const dossiers = await t.app.inject({
      method: 'GET',
      url: `/api/v1/evaluation/cycles/${cycle.id}/dossiers`,
      headers: producer,
    });
    expect(dossiers.statusCode).toBe(200);
    expect(dossiers.json().items).toEqual([
      expect.objectContaining({
        state: 'draft',
        product: expect.objectContaining({ name: DEMO_DRAFT_DOSSIER_PRODUCT }),
      }),
    ]);

    // The chair is seated and may open the cycle; a member's sheet is reachable once a dossier is assigned.
    const chair = await t.login(DEMO_COUNCIL[0]!, DEMO_PASSWORD);
    const seen = await t.app.inject({
      method: 'GET',
      url: `/api/v1/evaluation/cycles/${cycle.id}`,
      headers: chair,
    });
    expect(seen.statusCode).toBe(200);
  });

  it('leaves an intact audit chain', async () => {
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });
});
