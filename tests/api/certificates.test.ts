import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { auditLog } from '../../src/modules/audit/schema';
import { verifyAuditChain } from '../../src/modules/audit/service';
import { validityEnd } from '../../src/modules/certificates/rules';
import { issueCertificate, listCertificateFactsForProducts } from '../../src/modules/certificates/service';
import { deriveProductStatus } from '../../src/modules/products/rules';
import { createTestContext, type TestContext } from '../support/test-app';
import {
  api,
  daysFromToday,
  HY,
  HY_A,
  insertProduct,
  insertSubject,
  issue,
  issueBody,
  NB,
  NB_A,
  NB_B,
  today,
} from './certificates-support';

/**
 * The officer API of certificates: issuing from explicit input (numbering, validity, supersession,
 * who certifies which star), listing with derived statuses, revocation, corrections as new versions,
 * scope by role and area, bad input per field, audit, and immutability of the stored rows.
 */
let t: TestContext;
let admin: Record<string, string>;
let nbOfficer: Record<string, string>;
let hyOfficer: Record<string, string>;
let communeA: Record<string, string>;
let communeB: Record<string, string>;
let producerA: Record<string, string>;
let council: Record<string, string>;
let subjectA: string;
let subjectB: string;
let subjectHy: string;

beforeAll(async () => {
  t = await createTestContext();
  subjectA = await insertSubject(t, 'HTX Cơm cháy Phủ Lý', NB_A);
  subjectB = await insertSubject(t, 'HTX Mắm tép Phù Vân', NB_B);
  subjectHy = await insertSubject(t, 'HTX Nhãn lồng Phố Hiến', HY_A);
  admin = (await t.as({ role: 'system_admin' })).headers;
  nbOfficer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  hyOfficer = (await t.as({ role: 'province_officer', provinceCode: HY })).headers;
  communeA = (await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: NB_A })).headers;
  communeB = (await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: NB_B })).headers;
  producerA = (await t.as({ role: 'producer', subjectIds: [subjectA] })).headers;
  council = (await t.as({ role: 'council_member' })).headers;
});
afterAll(async () => t.close());

describe('issuing', () => {
  it('numbers per province and year from the pattern and computes 36 months of validity', async () => {
    const p1 = await insertProduct(t, subjectA, NB_A, 'Cơm cháy chà bông Phủ Lý');
    const p2 = await insertProduct(t, subjectB, NB_B);
    const p3 = await insertProduct(t, subjectHy, HY_A);
    const decisionDate = daysFromToday(-20);
    const year = decisionDate.slice(0, 4);
    const a = await issue(t, nbOfficer, p1, { decisionDate });
    const b = await issue(t, admin, p2, { decisionDate });
    const c = await issue(t, hyOfficer, p3, {
      decisionDate,
      issuer: { name: 'UBND tỉnh Hưng Yên', level: 'province' },
    });
    expect(a.number).toBe(`37-${NB_A}-0001-${year}`);
    expect(b.number).toBe(`37-${NB_B}-0002-${year}`);
    expect(c.number).toBe(`33-${HY_A}-0001-${year}`);
    expect(a).toMatchObject({
      version: 1,
      status: 'valid',
      statusLabel: { vi: 'Còn hiệu lực', en: 'Valid' },
      star: 3,
      product: { id: p1, name: 'Cơm cháy chà bông Phủ Lý' },
      subject: { id: subjectA, name: 'HTX Cơm cháy Phủ Lý' },
      province: { code: NB },
      commune: { code: NB_A },
      issueKind: 'new',
      issuer: { name: 'UBND tỉnh Ninh Bình', level: 'province' },
      decisionDate,
      validFrom: decisionDate,
      validTo: validityEnd(decisionDate, 36),
      source: 'decision',
      revocation: null,
      supersededBy: null,
    });
    expect(a.verificationUrl).toMatch(
      new RegExp(`^http://localhost(:\\d+)?/v/37-${NB_A}-0001-${year}\\?s=[A-Za-z0-9_-]{86}$`),
    );
  });

  it('gives distinct numbers to concurrent issues in one province', async () => {
    const ids = await Promise.all([1, 2, 3, 4].map(() => insertProduct(t, subjectB, NB_B)));
    const responses = await Promise.all(
      ids.map((id) => api(t, 'POST', '/certificates', nbOfficer, issueBody(id))),
    );
    expect(responses.map((r) => r.statusCode)).toEqual([201, 201, 201, 201]);
    const numbers = responses.map((r) => r.json().number);
    expect(new Set(numbers).size).toBe(4);
  });

  it('keeps a number given on paper, refuses a number already used', async () => {
    const p = await insertProduct(t, subjectA, NB_A);
    const given = await issue(t, nbOfficer, p, { number: 'OCOP-NB/0099/2025' });
    expect(given.number).toBe('OCOP-NB/0099/2025');
    const other = await insertProduct(t, subjectA, NB_A);
    const taken = await api(
      t,
      'POST',
      '/certificates',
      nbOfficer,
      issueBody(other, { number: given.number }),
    );
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error.fields).toHaveProperty('number');
  });

  it('takes explicit validity dates (a decision that states them)', async () => {
    const p = await insertProduct(t, subjectA, NB_A);
    const cert = await issue(t, nbOfficer, p, {
      decisionDate: daysFromToday(-10),
      validFrom: daysFromToday(-5),
      validTo: daysFromToday(30),
    });
    expect(cert).toMatchObject({
      validFrom: daysFromToday(-5),
      validTo: daysFromToday(30),
      status: 'expiring',
    });
  });

  it('refuses bad input field by field, in Vietnamese and English', async () => {
    const p = await insertProduct(t, subjectA, NB_A);
    const cases: [Record<string, unknown>, string][] = [
      [{ star: 2 }, 'star'],
      [{ decisionDate: '2025-02-30' }, 'decisionDate'],
      [{ decisionDate: '30/12/2025' }, 'decisionDate'],
      [{ decisionDate: daysFromToday(2) }, 'decisionDate'],
      [{ ruleSetCode: 'khong-co' }, 'ruleSetCode'],
      [{ issuer: { name: 'UBND huyện Kim Sơn', level: 'district' } }, 'issuer.level'],
      [{ star: 5 }, 'issuer.level'],
      [{ issuer: { name: '  ', level: 'province' } }, 'issuer.name'],
      [{ validFrom: daysFromToday(-40) }, 'validFrom'],
      [{ validTo: daysFromToday(-31) }, 'validTo'],
      [{ number: 'số có dấu cách' }, 'number'],
      [{ extra: true }, 'extra'],
      [{ productId: 'not-a-uuid' }, 'productId'],
    ];
    for (const [over, field] of cases) {
      const response = await api(t, 'POST', '/certificates', nbOfficer, issueBody(p, over));
      expect([JSON.stringify(over), response.statusCode]).toEqual([JSON.stringify(over), 400]);
      expect(response.json().error.fields, JSON.stringify(over)).toHaveProperty([field]);
    }
    const en = await api(
      t,
      'POST',
      '/certificates',
      { ...nbOfficer, 'accept-language': 'en' },
      issueBody(p, { star: 5 }),
    );
    expect(en.json().error.fields['issuer.level']).toBe(
      'Under this rule-set, the chosen level does not certify this star.',
    );
  });

  it('accepts a district issuer under the 148 rule-set (historic certificates)', async () => {
    const p = await insertProduct(t, subjectA, NB_A);
    const cert = await issue(t, nbOfficer, p, {
      ruleSetCode: '148-2023',
      issuer: { name: 'UBND huyện Kim Sơn', level: 'district' },
      decisionDate: '2024-03-15',
    });
    expect(cert).toMatchObject({
      issuer: { name: 'UBND huyện Kim Sơn', level: 'district' },
      validTo: '2027-03-14',
    });
    expect(cert.number).toMatch(/-2024$/);
  });

  it('lets only administrators and the province officer issue, within their province', async () => {
    const p = await insertProduct(t, subjectA, NB_A);
    expect((await api(t, 'POST', '/certificates', hyOfficer, issueBody(p))).statusCode).toBe(404);
    for (const headers of [communeA, producerA, council]) {
      const response = await api(t, 'POST', '/certificates', headers, issueBody(p));
      expect(response.statusCode).toBe(403);
    }
    expect((await api(t, 'POST', '/certificates', {}, issueBody(p))).statusCode).toBe(401);
  });
});

describe('supersession', () => {
  it('refuses a second first recognition, upgrades to a higher star only, and marks the old one superseded', async () => {
    const p = await insertProduct(t, subjectA, NB_A);
    const first = await issue(t, nbOfficer, p, { decisionDate: daysFromToday(-400) });
    const again = await api(t, 'POST', '/certificates', nbOfficer, issueBody(p));
    expect(again.statusCode).toBe(409);
    expect(again.json().error.fields).toHaveProperty('issueKind');
    const same = await api(
      t,
      'POST',
      '/certificates',
      nbOfficer,
      issueBody(p, { issueKind: 'upgrade', star: 3 }),
    );
    expect(same.statusCode).toBe(409);
    const upgraded = await issue(t, nbOfficer, p, { issueKind: 'upgrade', star: 4 });
    expect(upgraded).toMatchObject({
      star: 4,
      issueKind: 'upgrade',
      supersedesId: first.id,
      status: 'valid',
    });
    const old = (await api(t, 'GET', `/certificates/${first.id}`, nbOfficer)).json();
    expect(old).toMatchObject({
      status: 'superseded',
      supersededBy: { number: upgraded.number, validFrom: upgraded.validFrom },
    });
    // Once replaced, a certificate cannot be replaced again.
    const twice = await api(
      t,
      'POST',
      '/certificates',
      nbOfficer,
      issueBody(p, { issueKind: 'rerecognition', supersedesId: first.id }),
    );
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.fields).toHaveProperty('supersedesId');
  });

  it('re-recognises a lapsed certificate', async () => {
    const p = await insertProduct(t, subjectA, NB_A);
    const old = await issue(t, nbOfficer, p, {
      ruleSetCode: '148-2023',
      issuer: { name: 'UBND huyện Kim Sơn', level: 'district' },
      decisionDate: '2022-01-10',
    });
    expect(old.status).toBe('expired');
    const nothing = await insertProduct(t, subjectA, NB_A);
    const refused = await api(
      t,
      'POST',
      '/certificates',
      nbOfficer,
      issueBody(nothing, { issueKind: 'rerecognition' }),
    );
    expect(refused.statusCode).toBe(409);
    const renewed = await issue(t, nbOfficer, p, { issueKind: 'rerecognition' });
    expect(renewed.supersedesId).toBe(old.id);
  });
});

describe('listing and reading', () => {
  it('filters by derived status, star, product and search, accent-insensitively', async () => {
    const p = await insertProduct(t, subjectB, NB_B, 'Mắm tép chưng thịt Phù Vân');
    const cert = await issue(t, nbOfficer, p, { star: 4 });
    const byName = (await api(t, 'GET', '/certificates?q=mam%20tep%20chung', nbOfficer)).json();
    expect(byName.items.map((i: { id: string }) => i.id)).toContain(cert.id);
    const byNumber = (
      await api(t, 'GET', `/certificates?q=${encodeURIComponent(cert.number)}`, nbOfficer)
    ).json();
    expect(byNumber.items.map((i: { id: string }) => i.id)).toEqual([cert.id]);
    const fourStars = (await api(t, 'GET', '/certificates?star=4&status=valid', nbOfficer)).json();
    expect(
      fourStars.items.every((i: { star: number; status: string }) => i.star === 4 && i.status === 'valid'),
    ).toBe(true);
    expect(fourStars.items.map((i: { id: string }) => i.id)).toContain(cert.id);
    const expiring = (await api(t, 'GET', '/certificates?status=expiring', nbOfficer)).json();
    expect(expiring.total).toBeGreaterThan(0);
    expect(expiring.items.every((i: { status: string }) => i.status === 'expiring')).toBe(true);
    const superseded = (await api(t, 'GET', '/certificates?status=superseded', nbOfficer)).json();
    expect(superseded.items.every((i: { status: string }) => i.status === 'superseded')).toBe(true);
    expect(superseded.total).toBeGreaterThan(0);
  });

  it('shows each role its own slice', async () => {
    const all = (await api(t, 'GET', '/certificates?pageSize=100', admin)).json();
    const nb = (await api(t, 'GET', '/certificates?pageSize=100', nbOfficer)).json();
    const hy = (await api(t, 'GET', '/certificates?pageSize=100', hyOfficer)).json();
    const a = (await api(t, 'GET', '/certificates?pageSize=100', communeA)).json();
    const b = (await api(t, 'GET', '/certificates?pageSize=100', communeB)).json();
    const producer = (await api(t, 'GET', '/certificates?pageSize=100', producerA)).json();
    expect(all.total).toBe(nb.total + hy.total);
    expect(hy.items.every((i: { province: { code: string } }) => i.province.code === HY)).toBe(true);
    expect(a.items.every((i: { subject: { id: string } }) => i.subject.id === subjectA)).toBe(true);
    expect(b.items.every((i: { subject: { id: string } }) => i.subject.id === subjectB)).toBe(true);
    expect(producer.total).toBe(a.total);
    expect((await api(t, 'GET', '/certificates', council)).statusCode).toBe(403);
    const hyCert = hy.items[0];
    expect((await api(t, 'GET', `/certificates/${hyCert.id}`, nbOfficer)).statusCode).toBe(404);
    expect((await api(t, 'GET', `/certificates/${hyCert.id}`, hyOfficer)).statusCode).toBe(200);
    expect(
      (await api(t, 'GET', '/certificates/00000000-0000-4000-8000-000000000000', admin)).statusCode,
    ).toBe(404);
    expect((await api(t, 'GET', '/certificates?status=khac', admin)).statusCode).toBe(400);
  });

  it('publishes the vocabulary the forms need', async () => {
    const meta = (await api(t, 'GET', '/certificates/meta', producerA)).json();
    expect(meta.expiringDays).toBe(90);
    expect(meta.revocationReasons.map((r: { code: string }) => r.code)).toContain('no_reapplication');
    expect(meta.statuses).toHaveLength(7);
    expect(meta.statuses).toContainEqual({
      code: 'date_unknown',
      label: { vi: 'Không rõ — cần ngày quyết định', en: 'Unknown — needs the decision date' },
    });
  });
});

describe('revocation', () => {
  it('revokes with reason and decision, once, visible at once', async () => {
    const p = await insertProduct(t, subjectA, NB_A);
    const cert = await issue(t, nbOfficer, p);
    const body = { reasonCategory: 'food_safety', decisionNumber: '15/QĐ-UBND', decisionDate: today() };
    expect((await api(t, 'POST', `/certificates/${cert.id}/revocation`, communeA, body)).statusCode).toBe(
      403,
    );
    expect((await api(t, 'POST', `/certificates/${cert.id}/revocation`, hyOfficer, body)).statusCode).toBe(
      404,
    );
    const revoked = await api(t, 'POST', `/certificates/${cert.id}/revocation`, nbOfficer, body);
    expect(revoked.statusCode, revoked.body).toBe(200);
    expect(revoked.json()).toMatchObject({
      status: 'revoked',
      revocation: {
        reasonCategory: 'food_safety',
        reasonLabel: { vi: 'Vi phạm an toàn thực phẩm' },
        decisionNumber: '15/QĐ-UBND',
        decisionDate: today(),
      },
    });
    const again = await api(t, 'POST', `/certificates/${cert.id}/revocation`, admin, body);
    expect(again.statusCode).toBe(409);
    const correction = await api(t, 'POST', `/certificates/${cert.id}/corrections`, nbOfficer, {
      version: 1,
      reason: 'Sai tên',
      changes: { productName: 'Tên khác' },
    });
    expect(correction.statusCode).toBe(409);
  });

  it('refuses bad revocations', async () => {
    const p = await insertProduct(t, subjectA, NB_A);
    const cert = await issue(t, nbOfficer, p, { decisionDate: daysFromToday(-10) });
    const base = { reasonCategory: 'quality', decisionNumber: '16/QĐ-UBND', decisionDate: today() };
    const cases: [Record<string, unknown>, string][] = [
      [{ reasonCategory: 'ghet' }, 'reasonCategory'],
      [{ reasonCategory: 'other' }, 'note'],
      [{ decisionDate: daysFromToday(1) }, 'decisionDate'],
      [{ decisionDate: daysFromToday(-11) }, 'decisionDate'],
      [{ decisionNumber: '' }, 'decisionNumber'],
    ];
    for (const [over, field] of cases) {
      const response = await api(t, 'POST', `/certificates/${cert.id}/revocation`, nbOfficer, {
        ...base,
        ...over,
      });
      expect([JSON.stringify(over), response.statusCode]).toEqual([JSON.stringify(over), 400]);
      expect(response.json().error.fields).toHaveProperty([field]);
    }
  });
});

describe('corrections', () => {
  it('makes a new version pointing at the old one; the old stays as it was', async () => {
    const p = await insertProduct(t, subjectA, NB_A, 'Cơm cháy chà bông');
    const cert = await issue(t, nbOfficer, p);
    const response = await api(t, 'POST', `/certificates/${cert.id}/corrections`, nbOfficer, {
      version: 1,
      reason: 'Quyết định ghi sai tên sản phẩm',
      changes: { productName: 'Cơm cháy chà bông Ninh Bình' },
    });
    expect(response.statusCode, response.body).toBe(201);
    const corrected = response.json();
    expect(corrected).toMatchObject({
      number: cert.number,
      version: 2,
      correctsId: cert.id,
      correctionReason: 'Quyết định ghi sai tên sản phẩm',
      product: { name: 'Cơm cháy chà bông Ninh Bình' },
      verificationUrl: cert.verificationUrl,
    });
    const detail = (await api(t, 'GET', `/certificates/${corrected.id}`, communeA)).json();
    expect(detail.versions.map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const old = (await api(t, 'GET', `/certificates/${cert.id}`, nbOfficer)).json();
    expect(old.product.name).toBe('Cơm cháy chà bông');
    // Correcting what was already corrected (a stale screen) is refused.
    const stale = await api(t, 'POST', `/certificates/${cert.id}/corrections`, nbOfficer, {
      version: 1,
      reason: 'Lần nữa',
      changes: { star: 4 },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.code).toBe('STALE');
    const list = (await api(t, 'GET', `/certificates?productId=${p}`, nbOfficer)).json();
    expect(list.items.map((i: { id: string }) => i.id)).toEqual([corrected.id]);
  });

  it('refuses empty, unchanged and inconsistent corrections', async () => {
    const p = await insertProduct(t, subjectA, NB_A);
    const cert = await issue(t, nbOfficer, p);
    const url = `/certificates/${cert.id}/corrections`;
    const empty = await api(t, 'POST', url, nbOfficer, { version: 1, reason: 'x', changes: {} });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.fields).toHaveProperty('changes');
    const unchanged = await api(t, 'POST', url, nbOfficer, { version: 1, reason: 'x', changes: { star: 3 } });
    expect(unchanged.statusCode).toBe(400);
    const backwards = await api(t, 'POST', url, nbOfficer, {
      version: 1,
      reason: 'x',
      changes: { validTo: daysFromToday(-100) },
    });
    expect(backwards.statusCode).toBe(400);
    expect(backwards.json().error.fields).toHaveProperty(['changes.validTo']);
    const noReason = await api(t, 'POST', url, nbOfficer, { version: 1, reason: ' ', changes: { star: 4 } });
    expect(noReason.json().error.fields).toHaveProperty('reason');
    expect(
      (await api(t, 'POST', url, producerA, { version: 1, reason: 'x', changes: { star: 4 } })).statusCode,
    ).toBe(403);
  });
});

describe('records', () => {
  it('audits every write and keeps the chain intact', async () => {
    const rows = await t.database.db
      .select({ action: auditLog.action })
      .from(auditLog)
      .where(eq(auditLog.entityType, 'certificate'));
    const actions = new Set(rows.map((r) => r.action));
    expect(actions).toEqual(new Set(['certificate.issued', 'certificate.revoked', 'certificate.corrected']));
    expect(await verifyAuditChain(t.database.db)).toMatchObject({ ok: true });
    const [issued] = await t.database.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, 'certificate.issued')))
      .limit(1);
    expect(issued!.after).toMatchObject({ number: expect.any(String), star: expect.any(Number) });
  });

  it('refuses to update or delete a stored certificate or revocation', async () => {
    await expect(t.database.db.execute(sql`UPDATE certificates SET star = 5`)).rejects.toThrow();
    await expect(t.database.db.execute(sql`DELETE FROM certificate_revocations`)).rejects.toThrow();
  });

  it('gives the products module facts its status rule reads', async () => {
    const p = await insertProduct(t, subjectA, NB_A);
    const cert = await issue(t, nbOfficer, p);
    await api(t, 'POST', `/certificates/${cert.id}/revocation`, nbOfficer, {
      reasonCategory: 'not_producing',
      decisionNumber: '20/QĐ-UBND',
      decisionDate: today(),
    });
    const other = await insertProduct(t, subjectA, NB_A);
    await issue(t, nbOfficer, other);
    const facts = await listCertificateFactsForProducts(t.database.db, [p, other]);
    const status = (id: string) =>
      deriveProductStatus(
        { registeredAt: null, archivedAt: null, certificates: facts.get(id) ?? [] },
        today(),
      );
    expect(status(p)).toBe('revoked');
    expect(status(other)).toBe('certified');
    expect(await listCertificateFactsForProducts(t.database.db, [])).toEqual(new Map());
  });
});

describe('service callers (evaluation decisions, imports)', () => {
  it('issues without a request, using PUBLIC_URL, and refuses the same import row twice', async () => {
    const user = await t.createUser({ role: 'province_officer', provinceCode: NB });
    const ctx = {
      database: t.database,
      config: loadConfig({ DATA_DIR: t.dataDir, PUBLIC_URL: 'https://ocop.ninhbinh.gov.vn/' }),
      lang: 'vi' as const,
      ip: '127.0.0.1',
      actor: {
        userId: user.id,
        email: user.email,
        fullName: 'Cán bộ',
        role: 'province_officer' as const,
        provinceCode: NB,
        communeCode: null,
        subjectIds: [],
        sessionId: 'none',
        csrfToken: 'none',
      },
    };
    const p = await insertProduct(t, subjectA, NB_A, 'Cói Kim Sơn');
    const input = {
      ...issueBody(p),
      star: 3 as const,
      issueKind: 'new' as const,
      issuer: { name: 'UBND huyện Kim Sơn', level: 'district' as const },
      ruleSetCode: '148-2023',
      decisionDate: '2023-06-01',
      validTo: '2026-05-31',
      number: '37-Kim-Son-12-2023',
      source: 'import' as const,
      sourceRef: 'registry.xlsx#row-12',
      originalAddress: 'Xã Kim Chính, huyện Kim Sơn, tỉnh Ninh Bình',
    };
    const cert = await issueCertificate({ ctx, input });
    expect(cert).toMatchObject({
      source: 'import',
      originalAddress: 'Xã Kim Chính, huyện Kim Sơn, tỉnh Ninh Bình',
      status: 'expired',
      validTo: '2026-05-31',
    });
    expect(cert.verificationUrl).toMatch(/^https:\/\/ocop\.ninhbinh\.gov\.vn\/v\/37-Kim-Son-12-2023\?s=/);
    const other = await insertProduct(t, subjectA, NB_A);
    await expect(
      issueCertificate({ ctx, input: { ...input, productId: other, number: '37-Kim-Son-13-2023' } }),
    ).rejects.toMatchObject({ code: 'CONFLICT' });
  });
});
