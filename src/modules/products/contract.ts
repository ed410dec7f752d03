import { z } from 'zod';
import { requiredText, text } from '../../shared/fields';
import { gtinProblem, PHOTO_LIMITS, PRODUCT_STATUSES, STANDARD_CODES } from './rules';

/** Shapes of the products and craft-villages API, shared with the web app (no server imports here). */

const localizedLabel = z.object({ vi: z.string(), en: z.string() });
const communeCode = z.string().regex(/^\d{5}$/);
const provinceCode = z.string().regex(/^\d{2}$/);
const categoryCode = z.string().trim().min(1).max(60);
const schemeCode = z.string().trim().min(1).max(20);
const version = z.number().int().min(1);
const page = z.coerce.number().int().min(1).max(100_000).default(1);
const pageSize = z.coerce.number().int().min(1).max(100).default(20);

/** Empty means "no GTIN"; otherwise 8, 12, 13 or 14 digits with a correct GS1 check digit. */
const gtin = z
  .string()
  .max(20)
  .transform((v) => v.replace(/\s+/g, ''))
  .refine((v) => v === '' || gtinProblem(v) !== 'format', { message: 'gtin.format' })
  .refine((v) => v === '' || gtinProblem(v) !== 'checkDigit', { message: 'gtin.checkDigit' })
  .transform((v) => (v === '' ? null : v));

const standards = z
  .array(z.enum(STANDARD_CODES))
  .max(STANDARD_CODES.length)
  .transform((list) => [...new Set(list)]);

const productFields = {
  subjectId: z.string().uuid(),
  name: requiredText(200),
  /** Defaults to the current scheme. */
  taxonomyScheme: schemeCode.optional(),
  categoryCode,
  communeCode,
  description: text(5000).optional(),
  story: text(10_000).optional(),
  rawMaterialOrigin: text(2000).optional(),
  standards: standards.optional(),
  otherStandards: text(1000).optional(),
  gtin: gtin.nullish(),
  craftVillageId: z.string().uuid().nullish(),
};

export const createProductBody = z.strictObject(productFields);
export type CreateProductInput = z.infer<typeof createProductBody>;

/** Every field optional except `version`, the version the client last read (a stale edit is refused). */
export const updateProductBody = z.strictObject({
  version,
  subjectId: productFields.subjectId.optional(),
  name: productFields.name.optional(),
  taxonomyScheme: productFields.taxonomyScheme,
  categoryCode: categoryCode.optional(),
  communeCode: communeCode.optional(),
  description: productFields.description,
  story: productFields.story,
  rawMaterialOrigin: productFields.rawMaterialOrigin,
  standards: productFields.standards,
  otherStandards: productFields.otherStandards,
  gtin: productFields.gtin,
  craftVillageId: productFields.craftVillageId,
});
export type UpdateProductInput = z.infer<typeof updateProductBody>;

export const productSorts = ['name', '-name', 'updatedAt', '-updatedAt'] as const;

export const listProductsQuery = z.object({
  /** Accent-insensitive: "com chay" finds "Cơm cháy". */
  q: text(200).optional(),
  communeCode: communeCode.optional(),
  provinceCode: provinceCode.optional(),
  /** The scheme `group` and `productSet` belong to; defaults to the current one. */
  scheme: schemeCode.optional(),
  group: categoryCode.optional(),
  productSet: categoryCode.optional(),
  subjectId: z.string().uuid().optional(),
  status: z.enum(PRODUCT_STATUSES).optional(),
  archived: z.enum(['exclude', 'include', 'only']).default('exclude'),
  sort: z.enum(productSorts).default('name'),
  page,
  pageSize,
});
export type ListProductsQuery = z.infer<typeof listProductsQuery>;

const unitRef = z.object({ code: z.string(), name: z.string() });
const classificationView = z.object({
  scheme: z.string(),
  code: z.string(),
  /** False for a stored code the taxonomy file no longer knows (shown, never silently changed). */
  known: z.boolean(),
  group: z.object({ code: z.string(), label: localizedLabel }).nullable(),
  subGroup: z.object({ code: z.string(), label: localizedLabel }).nullable(),
  set: z.object({ code: z.string(), label: localizedLabel }).nullable(),
});

export const photoView = z.object({
  id: z.string(),
  sortOrder: z.number(),
  mimeType: z.string(),
  width: z.number(),
  height: z.number(),
  bytes: z.number(),
  thumbWidth: z.number(),
  thumbHeight: z.number(),
  thumbBytes: z.number(),
  createdAt: z.date(),
});
export type PhotoView = z.infer<typeof photoView>;

export const productListItem = z.object({
  id: z.string(),
  name: z.string(),
  subject: z.object({ id: z.string(), name: z.string() }),
  commune: unitRef,
  province: unitRef,
  classification: classificationView,
  gtin: z.string().nullable(),
  status: z.enum(PRODUCT_STATUSES),
  registeredAt: z.date().nullable(),
  archivedAt: z.date().nullable(),
  updatedAt: z.date(),
  version: z.number(),
  coverPhotoId: z.string().nullable(),
});
export type ProductListItem = z.infer<typeof productListItem>;

export const productView = productListItem.extend({
  description: z.string(),
  story: z.string(),
  rawMaterialOrigin: z.string(),
  standards: z.array(z.object({ code: z.string(), label: localizedLabel })),
  otherStandards: z.string(),
  craftVillage: z.object({ id: z.string(), name: z.string() }).nullable(),
  createdAt: z.date(),
  photos: z.array(photoView),
});
export type ProductView = z.infer<typeof productView>;

export const productPage = z.object({
  items: z.array(productListItem),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

export const productCounts = z.object({
  total: z.number(),
  byStatus: z.object(
    Object.fromEntries(PRODUCT_STATUSES.map((s) => [s, z.number()])) as {
      [K in (typeof PRODUCT_STATUSES)[number]]: z.ZodNumber;
    },
  ),
});
export type ProductCounts = z.infer<typeof productCounts>;

const taxonomyNode = z.object({ code: z.string(), label: localizedLabel });
export const productMeta = z.object({
  currentScheme: z.string(),
  schemes: z.array(
    z.object({
      code: z.string(),
      label: localizedLabel,
      legalBasis: z.string(),
      current: z.boolean(),
      complete: z.boolean(),
      classifyAt: z.enum(['set', 'group-or-set']),
      notes: z.array(z.string()),
      groups: z.array(
        taxonomyNode.extend({
          subGroups: z.array(taxonomyNode.extend({ sets: z.array(taxonomyNode) })).optional(),
          sets: z.array(taxonomyNode).optional(),
        }),
      ),
    }),
  ),
  standards: z.array(z.object({ code: z.string(), label: localizedLabel })),
  statuses: z.array(z.object({ code: z.enum(PRODUCT_STATUSES), label: localizedLabel })),
  photoLimits: z.object({
    maxPhotosPerProduct: z.number(),
    maxBytes: z.number(),
    acceptedTypes: z.array(z.string()),
  }),
});

export const photoParams = z.object({ id: z.string().uuid(), photoId: z.string().uuid() });
export const photoQuery = z.object({ size: z.enum(['thumb', 'full']).default('full') });
export const reorderPhotosBody = z.strictObject({
  photoIds: z.array(z.string().uuid()).min(1).max(PHOTO_LIMITS.maxPhotosPerProduct),
});

// ---------- craft villages ----------

const recognitionYear = z.number().int().min(1000).max(9999);

export const createCraftVillageBody = z.strictObject({
  name: requiredText(200),
  communeCode,
  recognitionYear: recognitionYear.nullish(),
  traditional: z.boolean().default(false),
});
export type CreateCraftVillageInput = z.infer<typeof createCraftVillageBody>;

export const updateCraftVillageBody = z.strictObject({
  version,
  name: requiredText(200).optional(),
  communeCode: communeCode.optional(),
  recognitionYear: recognitionYear.nullish(),
  traditional: z.boolean().optional(),
});
export type UpdateCraftVillageInput = z.infer<typeof updateCraftVillageBody>;

export const listCraftVillagesQuery = z.object({
  q: text(200).optional(),
  communeCode: communeCode.optional(),
  provinceCode: provinceCode.optional(),
  traditional: z.enum(['true', 'false']).optional(),
  archived: z.enum(['exclude', 'include', 'only']).default('exclude'),
  page,
  pageSize,
});
export type ListCraftVillagesQuery = z.infer<typeof listCraftVillagesQuery>;

export const craftVillageView = z.object({
  id: z.string(),
  name: z.string(),
  commune: unitRef,
  province: unitRef,
  recognitionYear: z.number().nullable(),
  traditional: z.boolean(),
  version: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
  archivedAt: z.date().nullable(),
});
export type CraftVillageView = z.infer<typeof craftVillageView>;

export const craftVillagePage = z.object({
  items: z.array(craftVillageView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

/** Pure product rules (GTIN, standards, derived status, photo checks), shared with the web app and other modules. */
export * from './rules';
export type { Taxonomy } from './taxonomy';
