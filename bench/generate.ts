import { sql } from 'drizzle-orm';
import { type Db, queryRows } from '../src/db/client';
import { gs1CheckDigit } from '../src/modules/products/rules';
import { products } from '../src/modules/products/schema';
import { currentScheme, productSetsOf } from '../src/modules/products/taxonomy';
import {
  checkSubjectFacts,
  SALES_CHANNEL_CODES,
  type SubjectType,
  subjectTypeInfo,
  taxCodeCheckDigit,
} from '../src/modules/subjects/rules';
import { subjects } from '../src/modules/subjects/schema';
import { foldAccents } from '../src/shared/text';
import {
  BRANDS,
  COOPERATIVE_FIELDS,
  FAMILY_NAMES,
  FEMALE_GIVEN,
  FEMALE_MIDDLE,
  MALE_GIVEN,
  MALE_MIDDLE,
  PRODUCT_BASES,
  PRODUCT_QUALIFIERS,
  productSetWeight,
} from './catalogue';
import { createRandom, type Random } from './prng';

/**
 * The national-scale dataset of the benchmark: subjects spread over the real communes of all
 * 34 provinces and their products, written straight into the tables with multi-row inserts.
 * The benchmark measures reads, so it skips the services (and their audit rows) on purpose.
 */
export type GenerateOptions = { subjects: number; products: number; seed: number };
export type GenerateSummary = {
  subjects: number;
  products: number;
  provinces: number;
  communes: number;
  withGtin: number;
  seconds: number;
};

type Commune = { code: string; name: string; province_code: string; province_name: string };

/**
 * Subject kinds near the national mix of 04/2024: 32.5% cooperatives, 22% enterprises, 40.3%
 * households (here registered household businesses and farms), the rest smaller kinds.
 */
const SUBJECT_TYPE_WEIGHTS: readonly (readonly [SubjectType, number])[] = [
  ['cooperative', 32.5],
  ['sme', 18],
  ['other_enterprise', 4],
  ['household_business', 36],
  ['farm', 4.3],
  ['cooperative_group', 3.5],
  ['association', 0.7],
  ['tourism_operator', 1],
];

const ECOMMERCE_SHOPS = ['Shopee', 'Lazada', 'Tiki', 'Postmart', 'Voso', 'TikTok Shop'];

/** Unique 10-digit tax codes with a valid check digit (prefixes whose formula gives 10 are skipped). */
function taxCodeSequence(): () => string {
  let next = 100_000_000;
  return () => {
    for (;;) {
      const firstNine = String(next++);
      const check = taxCodeCheckDigit(firstNine);
      if (check !== null) return `${firstNine}${check}`;
    }
  };
}

/** Product set n (1–26) of the current scheme, in the order data/product-taxonomy.json lists them. */
function categoryCodes(): Map<number, string> {
  const sets = productSetsOf(currentScheme().code);
  return new Map(sets.map((set, index) => [index + 1, set.code] as const));
}

function personName(random: Random, female: boolean): string {
  const middle = random.pick(female ? FEMALE_MIDDLE : MALE_MIDDLE);
  const given = random.pick(female ? FEMALE_GIVEN : MALE_GIVEN);
  return `${random.pick(FAMILY_NAMES)} ${middle} ${given}`;
}

/** "Xã Xuân Thành" → "Xuân Thành": subject names use the place, not the unit type. */
function placeName(name: string): string {
  return name.replace(/^(Xã|Phường|Thị trấn|Đặc khu|Tỉnh|Thành phố)\s+/u, '');
}

function subjectName(random: Random, type: SubjectType, commune: Commune, rep: string): string {
  const place = placeName(commune.name);
  switch (type) {
    case 'cooperative':
      return `HTX ${random.pick(COOPERATIVE_FIELDS)} ${place}`;
    case 'cooperative_group':
      return `Tổ hợp tác ${random.pick(COOPERATIVE_FIELDS).toLowerCase()} ${place}`;
    case 'sme':
    case 'other_enterprise':
      return `${random.pick(['Công ty TNHH', 'Công ty Cổ phần'])} ${random.pick(BRANDS)} ${place}`;
    case 'household_business':
      return `Hộ kinh doanh ${rep}`;
    case 'farm':
      return `Trang trại ${rep}`;
    case 'association':
      return `Hội nông dân ${place}`;
    case 'tourism_operator':
      return `Du lịch cộng đồng ${place}`;
  }
}

/** GTIN-13 under Vietnam's GS1 prefix 893, with its check digit; unique per sequence number. */
export function gtin13(sequence: number): string {
  const body = `893${String(sequence).padStart(9, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
}

async function insertInBatches<T>(rows: T[], size: number, insert: (batch: T[]) => Promise<unknown>) {
  for (let i = 0; i < rows.length; i += size) await insert(rows.slice(i, i + size));
}

export async function generateDataset(db: Db, options: GenerateOptions): Promise<GenerateSummary> {
  const started = performance.now();
  const random = createRandom(options.seed);
  const communes = await queryRows<Commune>(
    db,
    sql`SELECT c.code, c.name, c.province_code, p.name AS province_name
        FROM communes c JOIN provinces p ON p.code = c.province_code ORDER BY c.code`,
  );
  if (communes.length === 0) {
    throw new Error('The communes table is empty: the admin units must be loaded before the benchmark data.');
  }
  const communeByCode = new Map(communes.map((c) => [c.code, c]));
  const codeOfSet = categoryCodes();
  const scheme = currentScheme().code;

  type SubjectRow = typeof subjects.$inferInsert;
  const subjectRows: SubjectRow[] = [];
  const nextTaxCode = taxCodeSequence();
  for (let i = 0; i < options.subjects; i++) {
    // Uniform over communes, so each province weighs as much as its number of communes.
    const commune = random.pick(communes);
    const type = random.weighted(SUBJECT_TYPE_WEIGHTS);
    const info = subjectTypeInfo(type)!;
    const womanLed = random.chance(0.4);
    const rep = personName(random, womanLed);
    // Enterprises: the registration number is the tax code. Persons: often the 12-digit personal ID.
    let taxCode: string | null = null;
    let registrationNo: string | null = null;
    if (info.enterprise) {
      taxCode = nextTaxCode();
      registrationNo = taxCode;
    } else if (info.personal) {
      taxCode = random.chance(0.6) ? `0${commune.province_code}${String(i).padStart(9, '0')}` : null;
      registrationNo = `${commune.province_code}A8${String(i).padStart(6, '0')}`;
    } else {
      taxCode = random.chance(0.8) ? nextTaxCode() : null;
      registrationNo = random.chance(0.9)
        ? `${commune.province_code}.07.${String(i).padStart(6, '0')}`
        : null;
    }
    const workforceTotal = random.int(2, 120);
    const kinds = new Set(Array.from({ length: random.int(1, 3) }, () => random.pick(SALES_CHANNEL_CODES)));
    const row = {
      id: random.uuid(),
      name: subjectName(random, type, commune, rep),
      type,
      businessRegistrationNo: registrationNo,
      taxCode,
      address: `Thôn ${random.int(1, 12)}, ${commune.name}, ${commune.province_name}`,
      communeCode: commune.code,
      legalRepresentative: rep,
      legalRepresentativeGender: womanLed ? 'female' : 'male',
      womanLed,
      workforceTotal,
      workforceLocal: random.int(1, workforceTotal),
      workforceTrained: random.int(0, workforceTotal),
      salesChannels: [...kinds].map((kind) =>
        kind === 'ecommerce' ? { kind, detail: random.pick(ECOMMERCE_SHOPS) } : { kind },
      ),
      phone: `09${String(random.int(0, 99_999_999)).padStart(8, '0')}`,
    };
    // The data must be what the service would accept, or the benchmark measures records that cannot exist.
    const problems = checkSubjectFacts(row);
    if (problems.length > 0)
      throw new Error(`generated subject breaks the rules: ${JSON.stringify(problems)}`);
    subjectRows.push(row);
  }

  const setWeights = PRODUCT_BASES.map((base) => [base, productSetWeight(base.set)] as const);
  type ProductRow = typeof products.$inferInsert;
  const productRows: ProductRow[] = [];
  let withGtin = 0;
  const namesBySubject = new Map<string, Set<string>>();
  for (let i = 0; i < options.products; i++) {
    // Every subject gets one product first, the rest go to random subjects (some have several).
    const subject = i < subjectRows.length ? subjectRows[i]! : random.pick(subjectRows);
    const commune = communeByCode.get(subject.communeCode)!;
    // A subject has one active product of a name (the service's rule): draw again on a clash.
    const taken = namesBySubject.get(subject.id!) ?? new Set<string>();
    namesBySubject.set(subject.id!, taken);
    let base = random.weighted(setWeights);
    let name = '';
    for (let attempt = 0; attempt < 20 && (!name || taken.has(foldAccents(name))); attempt++) {
      if (attempt > 0) base = random.weighted(setWeights);
      const suffix = random.weighted([
        [random.pick(BRANDS), 4],
        [placeName(commune.province_name), 3],
        [random.pick(PRODUCT_QUALIFIERS), 3],
      ] as const);
      name = `${base.name} ${suffix}`;
    }
    if (taken.has(foldAccents(name))) name = `${name} ${i}`;
    taken.add(foldAccents(name));
    const hasGtin = random.chance(0.35);
    if (hasGtin) withGtin++;
    productRows.push({
      id: random.uuid(),
      subjectId: subject.id!,
      name,
      taxonomyScheme: scheme,
      categoryCode: codeOfSet.get(base.set)!,
      communeCode: subject.communeCode,
      description: `${name} của ${subject.name}, sản xuất tại ${commune.name}, ${commune.province_name}.`,
      rawMaterialOrigin: `Vùng nguyên liệu tại ${commune.name}`,
      standards: random
        .weighted([
          [[], 3],
          [['TCCS'], 4],
          [['VIETGAP', 'TCCS'], 2],
          [['HACCP'], 1],
          [['ORGANIC'], 0.5],
        ] as const)
        .slice(),
      gtin: hasGtin ? gtin13(i + 1) : null,
      registeredAt: random.chance(0.9)
        ? new Date(Date.UTC(2019 + random.int(0, 7), random.int(0, 11), random.int(1, 28)))
        : null,
    });
  }

  await insertInBatches(subjectRows, 1000, (batch) => db.insert(subjects).values(batch));
  await insertInBatches(productRows, 1000, (batch) => db.insert(products).values(batch));
  // Fresh statistics, so the planner sees 20,000 rows and uses the trigram index as it would in production.
  await db.execute(sql`ANALYZE subjects`);
  await db.execute(sql`ANALYZE products`);

  return {
    subjects: subjectRows.length,
    products: productRows.length,
    provinces: new Set(subjectRows.map((s) => communeByCode.get(s.communeCode)!.province_code)).size,
    communes: new Set(subjectRows.map((s) => s.communeCode)).size,
    withGtin,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
