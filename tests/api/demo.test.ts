import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import {
  DEMO_ACCOUNTS,
  DEMO_COUNCIL,
  DEMO_PASSWORD,
  DEMO_PRODUCER,
  DEMO_RECOGNISED_PRODUCT,
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
    // Registered products stay registered until certified: the demo certifies one of them.
    const { byStatus } = productCounts.json();
    expect((byStatus.registered ?? 0) + (byStatus.certified ?? 0)).toBe(
      demoProducts.filter((p) => p.registered).length,
    );
    expect(byStatus.certified).toBe(1);

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

  it('walks one product of an open 26/2026 cycle to a decision and a certificate that verifies', async () => {
    const province = await t.login('tinh@demo.ocop.vn', DEMO_PASSWORD);
    const cycles = await t.app.inject({ method: 'GET', url: '/api/v1/evaluation/cycles', headers: province });
    expect(cycles.statusCode).toBe(200);
    expect(cycles.json().items).toHaveLength(1);
    const [cycle] = cycles.json().items;
    expect(cycle).toMatchObject({ level: 'province', provinceCode: '37', ruleSet: { code: '26-2026' } });
    expect(cycle.councils).toEqual([expect.objectContaining({ memberCount: DEMO_COUNCIL.length })]);

    const producer = await t.login(DEMO_PRODUCER, DEMO_PASSWORD);
    const dossiers = await t.app.inject({
      method: 'GET',
      url: `/api/v1/evaluation/cycles/${cycle.id}/dossiers`,
      headers: producer,
    });
    expect(dossiers.statusCode).toBe(200);
    const [dossier] = dossiers.json().items;
    expect(dossiers.json().items).toHaveLength(1);
    expect(dossier).toMatchObject({ state: 'recognised', product: { name: DEMO_RECOGNISED_PRODUCT } });
    const result = await t.app.inject({
      method: 'GET',
      url: `/api/v1/evaluation/dossiers/${dossier.id}/result`,
      headers: producer,
    });
    expect(result.json()).toMatchObject({ valid: true, sheetCount: DEMO_COUNCIL.length });
    expect(result.json().finalStar).toBeGreaterThanOrEqual(3);

    const certificates = await t.app.inject({
      method: 'GET',
      url: '/api/v1/certificates',
      headers: producer,
    });
    const [certificate] = certificates.json().items;
    expect(certificates.json().items).toHaveLength(1);
    expect(certificate).toMatchObject({
      status: 'valid',
      star: result.json().finalStar,
      product: { name: DEMO_RECOGNISED_PRODUCT },
      source: 'decision',
    });
    const address = new URL(certificate.verificationUrl);
    const page = await t.app.inject({ method: 'GET', url: `${address.pathname}${address.search}` });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain(DEMO_RECOGNISED_PRODUCT);
  });

  it('leaves an intact audit chain', async () => {
    expect((await verifyAuditChain(t.database.db)).ok).toBe(true);
  });
});
