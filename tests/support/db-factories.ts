import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/db/client';
import { certificates } from '../../src/modules/certificates/schema';
import { products } from '../../src/modules/products/schema';
import { subjects } from '../../src/modules/subjects/schema';
import type { TestContext } from './test-app';

/**
 * Rows written straight into the tables, for API tests that need many records or dates the API
 * would refuse (a certificate that started years ago). No audit entries and no checks: use
 * `factories.ts` (through the API) when the test is about the record being made properly.
 */
type WithDatabase = Pick<TestContext, 'database'>;

export async function insertSubject(t: WithDatabase, name: string, communeCode: string): Promise<string> {
  const [row] = await t.database.db
    .insert(subjects)
    .values({
      name,
      type: 'cooperative',
      address: 'Thôn 1',
      communeCode,
      legalRepresentative: 'Nguyễn Thị Lan',
      legalRepresentativeGender: 'female',
    })
    .returning();
  return row!.id;
}

export async function insertProduct(
  t: WithDatabase,
  subjectId: string,
  communeCode: string,
  name = `Cơm cháy chà bông ${randomUUID().slice(0, 6)}`,
  categoryCode = '6',
): Promise<string> {
  const [row] = await t.database.db
    .insert(products)
    .values({ subjectId, name, taxonomyScheme: '2026', categoryCode, communeCode })
    .returning();
  return row!.id;
}

let sequence = 0;

/** A certificate row written straight into the table, with the dates a test needs. */
export async function insertCertificate(
  t: WithDatabase,
  input: {
    productId: string;
    subjectId: string;
    provinceCode: string;
    communeCode: string;
    validFrom: string;
    validTo: string;
    productName?: string;
    subjectName?: string;
    star?: number;
  },
): Promise<{ id: string; number: string }> {
  sequence++;
  const number = `T-${input.provinceCode}-${String(sequence).padStart(4, '0')}-${Date.now() % 100000}`;
  const [row] = await t.database.db
    .insert(certificates)
    .values({
      number,
      productId: input.productId,
      subjectId: input.subjectId,
      productName: input.productName ?? 'Mật ong bạc hà Mèo Vạc',
      subjectName: input.subjectName ?? 'HTX Ong mật',
      provinceCode: input.provinceCode,
      communeCode: input.communeCode,
      taxonomyScheme: '2026',
      categoryCode: '6',
      star: input.star ?? 4,
      ruleSetCode: '148-1489-2025',
      issueKind: 'new',
      issuerName: 'UBND tỉnh',
      issuerLevel: 'province',
      decisionNumber: `${sequence}/QĐ-UBND`,
      decisionDate: input.validFrom,
      validFrom: input.validFrom,
      validTo: input.validTo,
      source: 'decision',
    })
    .returning({ id: certificates.id, number: certificates.number });
  return row!;
}

/** A re-evaluation dossier row for a product, in a cycle made for it (the queue only reads these). */
export async function insertReEvaluationDossier(
  t: WithDatabase,
  input: { productId: string; subjectId: string; provinceCode: string; communeCode: string },
): Promise<string> {
  const db = t.database.db;
  const [ruleSet] = await queryRows<{ id: string; code: string; revision: number }>(
    db,
    sql`SELECT id, code, revision FROM criteria_rule_sets ORDER BY code LIMIT 1`,
  );
  const [sheet] = await queryRows<{ id: string }>(db, sql`SELECT id FROM criteria_sheets LIMIT 1`);
  if (!ruleSet || !sheet) throw new Error('the template has no rule-set or sheet to build a dossier on');
  sequence++;
  const [cycle] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO evaluation_cycles (level, province_code, year, round, name, rule_set_id, rule_set_code,
          rule_set_revision, precheck_required, submission_deadline)
        VALUES ('province', ${input.provinceCode}, 2030, ${sequence}, 'Kỳ thử', ${ruleSet.id}, ${ruleSet.code},
          ${ruleSet.revision}, false, '2030-06-30') RETURNING id`,
  );
  const [dossier] = await queryRows<{ id: string }>(
    db,
    sql`INSERT INTO evaluation_dossiers (cycle_id, product_id, subject_id, product_name, product_set_scheme,
          product_set_code, commune_code, province_code, sheet_id, evaluation_type)
        VALUES (${cycle!.id}, ${input.productId}, ${input.subjectId}, 'Sản phẩm', '2026', '6',
          ${input.communeCode}, ${input.provinceCode}, ${sheet.id}, 're_evaluation') RETURNING id`,
  );
  return dossier!.id;
}
