import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config';
import { BulkItemError } from '../../src/db/bulk';
import type { Db } from '../../src/db/client';
import { recordAudits } from '../../src/modules/audit';
import type { AuditWrite } from '../../src/modules/audit/service';
import {
  type ImportedCertificateInput,
  issueImportedCertificatesInBulk,
} from '../../src/modules/certificates';
import { type CreatedProduct, createProductsInBulk } from '../../src/modules/products';
import { type CreateSubjectInput, createSubjectsInBulk, type SubjectView } from '../../src/modules/subjects';
import type { Actor, RequestContext } from '../../src/server/context';
import { AppError } from '../../src/server/errors';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * The bulk writers each module owns for the registry import: the refusals of the single creates
 * (naming the refused item, writing nothing), one audit entry per record, numbers allocated as a block.
 */

const NB = '37';
let t: TestContext;
let officer: Actor;
let ctx: RequestContext;
let communes: string[];
let otherProvinceCommune: string;

const rowsOf = async <T>(query: ReturnType<typeof sql>) =>
  ((await t.database.db.execute(query)) as unknown as { rows: T[] }).rows;

beforeAll(async () => {
  t = await createTestContext();
  const user = await t.createUser({ role: 'province_officer', provinceCode: NB });
  officer = {
    ...user,
    userId: user.id,
    provinceCode: NB,
    communeCode: null,
    subjectIds: [],
    sessionId: '',
    csrfToken: '',
  };
  ctx = {
    database: t.database,
    config: loadConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' }),
    actor: officer,
    lang: 'vi',
    ip: 'test',
  };
  communes = (
    await rowsOf<{ code: string }>(
      sql`select code from communes where province_code = ${NB} order by code limit 2`,
    )
  ).map((r) => r.code);
  otherProvinceCommune = (
    await rowsOf<{ code: string }>(
      sql`select code from communes where province_code <> ${NB} order by code limit 1`,
    )
  )[0]!.code;
});
afterAll(async () => t.close());

// The extra fields may be wrong on purpose (an unknown type): the bulk create checks them as the single one does.
const subject = (name: string, extra: Record<string, unknown> = {}): CreateSubjectInput => ({
  name,
  type: 'cooperative' as const,
  taxCode: null,
  address: 'Thôn Đông',
  communeCode: communes[0]!,
  legalRepresentative: 'Nguyễn Văn A',
  legalRepresentativeGender: 'male' as const,
  ...(extra as Partial<CreateSubjectInput>),
});

/** Runs a bulk write in a transaction that is always rolled back unless `keep`. */
async function inTx<T>(work: (tx: Db, audits: AuditWrite[]) => Promise<T>, keep = false): Promise<T> {
  let result: T;
  const rollback = new Error('rollback');
  await t.database.db
    .transaction(async (tx) => {
      const audits: AuditWrite[] = [];
      result = await work(tx as unknown as Db, audits);
      await recordAudits(tx, ctx, audits);
      if (!keep) throw rollback;
    })
    .catch((error: unknown) => {
      if (error !== rollback) throw error;
    });
  return result!;
}

async function refusal(work: () => Promise<unknown>): Promise<{ index: number; cause: AppError }> {
  const error = await work().then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(BulkItemError);
  const { index, cause } = error as BulkItemError;
  expect(cause).toBeInstanceOf(AppError);
  return { index, cause: cause as AppError };
}

describe('createSubjectsInBulk', () => {
  it('refuses an item the single create refuses, naming it, and writes nothing', async () => {
    const before = await rowsOf<{ n: number }>(sql`select count(*)::int as n from subjects`);
    const bad = await refusal(() =>
      inTx((tx, audits) =>
        createSubjectsInBulk(
          tx,
          officer,
          [subject('HTX Một'), subject('HTX Hai', { type: 'no-such-type' })],
          audits,
        ),
      ),
    );
    expect(bad.index).toBe(1);
    expect(bad.cause.code).toBe('VALIDATION');
    expect(bad.cause.fields).toHaveProperty('type');
    const outside = await refusal(() =>
      inTx((tx, audits) =>
        createSubjectsInBulk(tx, officer, [subject('HTX Ba', { communeCode: otherProvinceCommune })], audits),
      ),
    );
    expect(outside).toMatchObject({ index: 0, cause: { code: 'FORBIDDEN' } });
    const twice = await refusal(() =>
      inTx((tx, audits) =>
        createSubjectsInBulk(
          tx,
          officer,
          [subject('HTX Bốn', { taxCode: '0101234567' }), subject('HTX Năm', { taxCode: '0101234567' })],
          audits,
        ),
      ),
    );
    expect(twice.index).toBe(1);
    expect(twice.cause.code).toBe('CONFLICT');
    expect(twice.cause.fields).toHaveProperty('taxCode');
    expect(await rowsOf<{ n: number }>(sql`select count(*)::int as n from subjects`)).toEqual(before);
  });

  it('creates many subjects, one audit entry each with the view', async () => {
    const names = Array.from({ length: 700 }, (_, i) => `HTX Hàng loạt ${i}`);
    const views = await inTx(
      (tx, audits) =>
        createSubjectsInBulk(
          tx,
          officer,
          names.map((n) => subject(n)),
          audits,
        ),
      true,
    );
    expect(views.map((v) => v.name)).toEqual(names);
    const audits = await rowsOf<{ entity_id: string; name: string }>(
      sql`select entity_id, after->>'name' as name from audit_log where action = 'subject.created'`,
    );
    expect(audits).toHaveLength(700);
    expect(new Map(audits.map((a) => [a.entity_id, a.name]))).toEqual(
      new Map(views.map((v) => [v.id, v.name])),
    );
  });
});

describe('createProductsInBulk and issueImportedCertificatesInBulk', () => {
  let owners: SubjectView[];
  beforeAll(async () => {
    owners = await inTx(
      (tx, audits) =>
        createSubjectsInBulk(tx, officer, [subject('HTX Sản phẩm A'), subject('HTX Sản phẩm B')], audits),
      true,
    );
  });
  const product = (name: string, extra: Record<string, unknown> = {}) => ({
    subjectId: owners[0]!.id,
    name,
    taxonomyScheme: '2026',
    categoryCode: '6',
    communeCode: communes[0]!,
    ...extra,
  });

  it('refuses an unknown class, a name the subject has twice, a subject outside the area', async () => {
    const unknownClass = await refusal(() =>
      inTx((tx, audits) =>
        createProductsInBulk(tx, officer, [product('Gạo', { categoryCode: 'zz' })], audits),
      ),
    );
    expect(unknownClass.index).toBe(0);
    expect(Object.keys(unknownClass.cause.fields ?? {})).toEqual(
      expect.arrayContaining([expect.stringMatching(/taxonomyScheme|categoryCode/)]),
    );
    const sameName = await refusal(() =>
      inTx((tx, audits) =>
        createProductsInBulk(tx, officer, [product('Mật ong'), product('MẬT ONG')], audits),
      ),
    );
    expect(sameName).toMatchObject({ index: 1, cause: { code: 'CONFLICT' } });
    const hy = await t.createUser({ role: 'province_officer', provinceCode: '33' });
    const stranger: Actor = {
      ...hy,
      userId: hy.id,
      provinceCode: '33',
      communeCode: null,
      subjectIds: [],
      sessionId: '',
      csrfToken: '',
    };
    const outside = await refusal(() =>
      inTx((tx, audits) => createProductsInBulk(tx, stranger, [product('Trà')], audits)),
    );
    expect(outside.index).toBe(0);
    expect(outside.cause.fields).toHaveProperty('subjectId');
  });

  it('issues first certificates with consecutive numbers, refusing a star the issuer cannot certify and a number given twice', async () => {
    const made = await inTx(async (tx, audits) => {
      return createProductsInBulk(
        tx,
        officer,
        Array.from({ length: 5 }, (_, i) => product(`Sản phẩm số ${i}`, { subjectId: owners[i % 2]!.id })),
        audits,
      );
    }, true);
    const cert = (
      p: CreatedProduct,
      extra: Partial<ImportedCertificateInput> = {},
    ): ImportedCertificateInput => ({
      product: p,
      star: 4,
      ruleSetCode: '148-2023',
      issuer: { name: 'UBND tỉnh Ninh Bình', level: 'province' },
      decisionNumber: '12/QĐ-UBND',
      decisionDate: '2024-03-01',
      sourceRef: `test:${p.id}`,
      originalAddress: null,
      ...extra,
    });
    const star5 = await refusal(() =>
      inTx((tx, audits) =>
        issueImportedCertificatesInBulk(tx, ctx, [cert(made[0]!), cert(made[1]!, { star: 5 })], audits),
      ),
    );
    expect(star5.index).toBe(1);
    expect(star5.cause.fields).toHaveProperty(['issuer.level']);
    const numberTwice = await refusal(() =>
      inTx((tx, audits) =>
        issueImportedCertificatesInBulk(
          tx,
          ctx,
          [cert(made[0]!, { number: 'NB-1' }), cert(made[1]!, { number: 'NB-1' })],
          audits,
        ),
      ),
    );
    expect(numberTwice).toMatchObject({ index: 1, cause: { code: 'CONFLICT' } });
    const future = await refusal(() =>
      inTx((tx, audits) =>
        issueImportedCertificatesInBulk(tx, ctx, [cert(made[0]!, { decisionDate: '2999-01-01' })], audits),
      ),
    );
    expect(future.cause.fields).toHaveProperty('decisionDate');

    const issued = await inTx(
      (tx, audits) =>
        issueImportedCertificatesInBulk(
          tx,
          ctx,
          made.map((p) => cert(p)),
          audits,
        ),
      true,
    );
    expect(new Set(issued.map((c) => c.number)).size).toBe(5);
    const seq = await rowsOf<{ last_value: number }>(
      sql`select last_value from certificate_number_sequences where province_code = ${NB} and year = 2024`,
    );
    expect(seq[0]!.last_value).toBe(5);
    const audits = await rowsOf<{ n: number }>(
      sql`select count(*)::int as n from audit_log where action = 'certificate.issued'`,
    );
    expect(audits[0]!.n).toBe(5);
    // A product certified already is not the bulk path's: it goes through issueCertificate (upgrade, re-recognition).
    const again = await refusal(() =>
      inTx((tx, audits) =>
        issueImportedCertificatesInBulk(tx, ctx, [cert(made[0]!, { sourceRef: 'test:again' })], audits),
      ),
    );
    expect(again.cause.fields).toHaveProperty('issueKind');
  });
});
