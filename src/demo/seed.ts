import { eq } from 'drizzle-orm';
import sharp from 'sharp';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { createUser, type Role } from '../modules/accounts';
import type { UserView } from '../modules/accounts/contract';
// Seeding reads the demo administrator's id and clears the first-login flag in the table itself (no service does either).
import { users } from '../modules/accounts/schema';
import { addPhoto, createCraftVillage, createProduct, registerProduct } from '../modules/products';
import { createSubject } from '../modules/subjects';
import type { Actor, RequestContext } from '../server/context';
import {
  DEMO_ACCOUNTS,
  DEMO_COMMUNE_OFFICER,
  DEMO_COUNCIL,
  DEMO_CRAFT_VILLAGES,
  DEMO_PASSWORD,
  DEMO_PRODUCER,
  DEMO_PROVINCE_OFFICER,
  DEMO_RECOGNISED_PRODUCT,
  DEMO_SUBJECTS,
  type DemoProduct,
} from './demo-province';
import { seedDemoEvaluation } from './evaluation-seed';

export type DemoLogins = { password: string; accounts: { role: Role; email: string }[] };

const logins = (): DemoLogins => ({
  password: DEMO_PASSWORD,
  accounts: DEMO_ACCOUNTS.map(({ role, email }) => ({ role, email })),
});

/** A plain coloured picture with the product's initials, so demo products have a photo without shipping any. */
async function demoPhoto(product: DemoProduct): Promise<Buffer> {
  const initials = product.name
    .split(/\s+/)
    .slice(0, 2)
    .map((w) => w[0]!.toUpperCase())
    .join('');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="800" height="600">
    <rect width="800" height="600" fill="${product.colour}"/>
    <circle cx="400" cy="300" r="190" fill="#ffffff" fill-opacity="0.25"/>
    <text x="400" y="360" font-family="sans-serif" font-size="170" font-weight="700" fill="#ffffff" text-anchor="middle">${initials}</text>
  </svg>`;
  return sharp(Buffer.from(svg)).jpeg({ quality: 80 }).toBuffer();
}

/** A context acting as a demo user, as a request of theirs would carry. */
function actingAs(system: RequestContext, user: UserView): RequestContext {
  const actor: Actor = {
    userId: user.id,
    email: user.email,
    fullName: user.fullName,
    role: user.role,
    provinceCode: user.provinceCode,
    communeCode: user.communeCode,
    subjectIds: user.subjectIds,
    sessionId: 'demo-seed',
    csrfToken: 'demo-seed',
  };
  return { ...system, actor };
}

/**
 * Loads the demo province (new Ninh Bình, code 37) once: accounts of every role, subjects,
 * products with photos and craft villages, an evaluation cycle with its council, all through the services so they carry audit
 * entries like real records. The businesses are invented; the places are real.
 * Running it again changes nothing.
 */
export async function seedDemo(database: Database, config: Config): Promise<DemoLogins> {
  const [existing] = await database.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, DEMO_ACCOUNTS[0]!.email))
    .limit(1);
  if (existing) return logins();

  const system: RequestContext = { database, config, actor: null, lang: 'vi', ip: 'demo-seed' };
  const adminAccount = DEMO_ACCOUNTS.find((a) => a.role === 'system_admin')!;
  const admin = await createUser({
    ctx: system,
    input: { ...adminAccount, password: DEMO_PASSWORD, provinceCode: null, communeCode: null },
  });
  const ctx = actingAs(system, admin);

  const villageIds = new Map<string, string>();
  for (const village of DEMO_CRAFT_VILLAGES) {
    const created = await createCraftVillage({ ctx, input: village });
    villageIds.set(village.name, created.id);
  }

  const subjectIds = new Map<string, string>();
  const productIds = new Map<string, string>();
  for (const { products, ...subject } of DEMO_SUBJECTS) {
    const created = await createSubject({ ctx, input: subject });
    subjectIds.set(subject.name, created.id);
    for (const product of products) {
      const { colour: _colour, craftVillage, registered, ...fields } = product;
      const createdProduct = await createProduct({
        ctx,
        input: {
          ...fields,
          subjectId: created.id,
          communeCode: product.communeCode ?? subject.communeCode,
          craftVillageId: craftVillage ? villageIds.get(craftVillage) : null,
        },
      });
      productIds.set(product.name, createdProduct.id);
      await addPhoto({
        ctx,
        input: { productId: createdProduct.id, data: await demoPhoto(product) },
      });
      if (registered) await registerProduct({ ctx, input: { id: createdProduct.id } });
    }
  }

  const accounts = new Map<string, UserView>();
  for (const account of DEMO_ACCOUNTS) {
    if (account.role === 'system_admin') continue;
    const user = await createUser({
      ctx,
      input: {
        email: account.email,
        fullName: account.fullName,
        role: account.role,
        password: DEMO_PASSWORD,
        provinceCode: account.provinceCode ?? null,
        communeCode: account.communeCode ?? null,
        subjectIds: account.subjects?.map((name) => subjectIds.get(name)!),
      },
    });
    accounts.set(account.email, user);
  }
  const as = (email: string) => actingAs(system, accounts.get(email)!);
  await seedDemoEvaluation({
    admin: ctx,
    province: as(DEMO_PROVINCE_OFFICER),
    commune: as(DEMO_COMMUNE_OFFICER),
    producer: as(DEMO_PRODUCER),
    council: DEMO_COUNCIL.map(as),
    recognisedProductId: productIds.get(DEMO_RECOGNISED_PRODUCT)!,
  });
  // Demo accounts are shared and well known: nobody is forced to change the password.
  await database.db.update(users).set({ mustChangePassword: false });
  return logins();
}
