import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type ApiCaller,
  activateShippedRuleSet,
  activateShippedSheet,
  injectCaller,
  makeCertificate,
  makeCycle,
  makeDossier,
  makeProduct,
  makeSubject,
  UNITS,
} from '../support/factories';
import { createTestContext, type TestContext } from '../support/test-app';

/** The shared factories (tests/support/factories.ts) make valid records, and say why when refused. */
let t: TestContext;
let admin: ApiCaller;
let officer: ApiCaller;

beforeAll(async () => {
  t = await createTestContext();
  admin = injectCaller(t.app, (await t.as({ role: 'system_admin' })).headers);
  officer = injectCaller(
    t.app,
    (await t.as({ role: 'province_officer', provinceCode: UNITS.ninhBinh })).headers,
  );
});
afterAll(async () => t.close());

describe('test factories', () => {
  it('make a subject, a product, a certificate, a cycle and a dossier through the API', async () => {
    const subject = await makeSubject(officer);
    expect(subject.communeCode).toBe(UNITS.ninhBinhCommuneA);
    const product = await makeProduct(officer, { subjectId: subject.id });
    expect(product.subject.id).toBe(subject.id);

    const certificate = await makeCertificate(officer, product.id);
    expect(certificate.product.id).toBe(product.id);
    expect(certificate.status).toBe('valid');

    await activateShippedRuleSet(admin, '26-2026', 1);
    await activateShippedSheet(admin, '26-2026.demo.1');
    const cycle = await makeCycle(officer);
    expect(cycle.ruleSet.code).toBe('26-2026');
    const producer = injectCaller(
      t.app,
      (await t.as({ role: 'producer', subjectIds: [subject.id] })).headers,
    );
    const vegetables = await makeProduct(officer, { subjectId: subject.id, categoryCode: '1' });
    const dossier = await makeDossier(producer, cycle.id, { productId: vegetables.id });
    expect(dossier.state).toBe('draft');
  });

  it('give each record unique names, so files and repeated runs do not collide', async () => {
    const a = await makeSubject(officer);
    const b = await makeSubject(officer);
    expect(a.name).not.toBe(b.name);
  });

  it('throw with the status and the error when the API refuses', async () => {
    const outsider = injectCaller(
      t.app,
      (await t.as({ role: 'province_officer', provinceCode: UNITS.hungYen })).headers,
    );
    await expect(makeSubject(outsider)).rejects.toThrow(/make a subject: expected 201, got 403/);
    await expect(makeProduct(officer, { subjectId: '00000000-0000-4000-8000-000000000000' })).rejects.toThrow(
      /make a product: expected 201, got (404|400)/,
    );
  });
});
