import { z } from 'zod';
import { requiredText, text } from '../../shared/fields';
import {
  checkSubjectTaxCode,
  GENDER_CODES,
  GENDERS,
  isWebAddress,
  MAX_SALES_CHANNELS,
  MAX_WORKFORCE,
  normalisePhone,
  normaliseRegistrationNo,
  REGISTRATION_NO_PATTERN,
  SALES_CHANNEL_CODES,
  SALES_CHANNELS,
  SUBJECT_TYPE_CODES,
  SUBJECT_TYPES,
} from './rules';

/**
 * Shapes of the subjects API, shared with the web app (no server imports here). Field checks
 * live here; rules across fields (workforce, enterprise codes, channels) are in rules.ts and run
 * on the merged record in the service. Optional text fields take "" or null for "none". Bodies are
 * strict: an unknown field (a typo such as "taxcode") is refused by name rather than silently dropped.
 */

/** Free text that may be left empty: "" and null both mean none. */
const optionalText = (max: number) =>
  text(max)
    .transform((v) => (v === '' ? null : v))
    .nullish();

const taxCode = z
  .string()
  .max(30)
  .transform((v) => v.trim())
  .superRefine((v, ctx) => {
    const problem = v === '' ? null : checkSubjectTaxCode(v);
    if (problem)
      ctx.addIssue({
        code: 'custom',
        message: problem === 'format' ? 'subject.taxCode.format' : 'taxCode.checkDigit',
      });
  })
  .transform((v) => (v === '' ? null : v))
  .nullish();

const businessRegistrationNo = z
  .string()
  .max(40)
  .transform(normaliseRegistrationNo)
  .refine((v) => v === '' || REGISTRATION_NO_PATTERN.test(v), { message: 'subject.registration.format' })
  .transform((v) => (v === '' ? null : v))
  .nullish();

const phone = z
  .string()
  .max(30)
  .refine((v) => v.trim() === '' || normalisePhone(v) !== null, { message: 'phone.format' })
  .transform((v) => (v.trim() === '' ? null : normalisePhone(v)))
  .nullish();

const email = z
  .string()
  .max(254)
  .transform((v) => v.trim().toLowerCase())
  .refine((v) => v === '' || z.email().safeParse(v).success, { message: 'email.format' })
  .transform((v) => (v === '' ? null : v))
  .nullish();

const website = text(500)
  .refine((v) => v === '' || isWebAddress(v), { message: 'url.format' })
  .transform((v) => (v === '' ? null : v))
  .nullish();

const workers = z.number().int().min(0).max(MAX_WORKFORCE).nullish();

const salesChannel = z.strictObject({ kind: z.enum(SALES_CHANNEL_CODES), detail: optionalText(500) });

export const communeCodeField = z.string().regex(/^\d{5}$/);

const fields = {
  name: requiredText(250),
  type: z.enum(SUBJECT_TYPE_CODES),
  businessRegistrationNo,
  taxCode,
  address: requiredText(500),
  communeCode: communeCodeField,
  legalRepresentative: requiredText(200),
  legalRepresentativeGender: z.enum(GENDER_CODES),
  /** Defaults to whether the legal representative is a woman. */
  womanLed: z.boolean().optional(),
  workforceTotal: workers,
  workforceLocal: workers,
  workforceTrained: workers,
  salesChannels: z.array(salesChannel).max(MAX_SALES_CHANNELS).optional(),
  phone,
  email,
  website,
};

export const createSubjectBody = z.strictObject(fields);
export type CreateSubjectInput = z.infer<typeof createSubjectBody>;

/** Only the fields sent change; `version` is the one the client edited (a newer one → 409 STALE). */
export const updateSubjectBody = z.strictObject({
  version: z.number().int().min(1),
  name: fields.name.optional(),
  type: fields.type.optional(),
  businessRegistrationNo,
  taxCode,
  address: fields.address.optional(),
  communeCode: communeCodeField.optional(),
  legalRepresentative: fields.legalRepresentative.optional(),
  legalRepresentativeGender: fields.legalRepresentativeGender.optional(),
  womanLed: z.boolean().optional(),
  workforceTotal: workers,
  workforceLocal: workers,
  workforceTrained: workers,
  salesChannels: fields.salesChannels,
  phone,
  email,
  website,
});
export type UpdateSubjectInput = z.infer<typeof updateSubjectBody>;

/** Optional: a request without a body archives without a reason. */
export const archiveSubjectBody = z.strictObject({ reason: optionalText(500) }).nullish();
export type ArchiveSubjectInput = z.infer<typeof archiveSubjectBody>;

/** Sort orders of the list; "-" means descending. Names sort in Vietnamese order. */
export const SUBJECT_SORTS = ['name', '-name', 'updatedAt', '-updatedAt', 'createdAt', '-createdAt'] as const;
export type SubjectSort = (typeof SUBJECT_SORTS)[number];

const queryFlag = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

export const listSubjectsQuery = z.object({
  /** Matches the name accent-insensitively, or a tax code / registration number exactly. */
  q: text(200).optional(),
  provinceCode: z
    .string()
    .regex(/^\d{2}$/)
    .optional(),
  communeCode: communeCodeField.optional(),
  type: z.enum(SUBJECT_TYPE_CODES).optional(),
  includeArchived: queryFlag.optional(),
  sort: z.enum(SUBJECT_SORTS).default('name'),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});
export type ListSubjectsInput = z.infer<typeof listSubjectsQuery>;

/** Codes are plain strings in answers: records imported under older code lists still display. */
export const subjectView = z.object({
  id: z.string(),
  name: z.string(),
  type: z.string(),
  businessRegistrationNo: z.string().nullable(),
  taxCode: z.string().nullable(),
  address: z.string(),
  communeCode: z.string(),
  communeName: z.string(),
  provinceCode: z.string(),
  provinceName: z.string(),
  legalRepresentative: z.string(),
  legalRepresentativeGender: z.string(),
  womanLed: z.boolean(),
  workforceTotal: z.number().nullable(),
  workforceLocal: z.number().nullable(),
  workforceTrained: z.number().nullable(),
  salesChannels: z.array(z.object({ kind: z.string(), detail: z.string().nullable() })),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  website: z.string().nullable(),
  version: z.number(),
  createdAt: z.date(),
  updatedAt: z.date(),
  archivedAt: z.date().nullable(),
});
export type SubjectView = z.infer<typeof subjectView>;

export const subjectPage = z.object({
  items: z.array(subjectView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});
export type SubjectPage = z.infer<typeof subjectPage>;

const label = { vi: z.string(), en: z.string() };

/** What the forms need: the code lists with their labels. */
export const subjectMeta = z.object({
  types: z.array(z.object({ code: z.string(), ...label, enterprise: z.boolean(), personal: z.boolean() })),
  salesChannelKinds: z.array(
    z.object({
      code: z.string(),
      ...label,
      requiresDetail: z.boolean(),
      modern: z.boolean(),
      detailLabel: z.object(label),
    }),
  ),
  genders: z.array(z.object({ code: z.string(), ...label })),
  sorts: z.array(z.string()),
});
export type SubjectMeta = z.infer<typeof subjectMeta>;

/** The vocabularies the subject forms offer, from the rules (the web page tests build their fixture from it too). */
export function subjectMetaOfRules(): SubjectMeta {
  return {
    types: SUBJECT_TYPES.map((t) => ({ ...t })),
    salesChannelKinds: SALES_CHANNELS.map((c) => ({ ...c })),
    genders: GENDERS.map((g) => ({ ...g })),
    sorts: [...SUBJECT_SORTS],
  };
}

/** The home page's figures within the caller's scope. */
export const subjectCounts = z.object({
  active: z.number(),
  archived: z.number(),
  womanLed: z.number(),
  modernChannels: z.number(),
  byType: z.record(z.string(), z.number()),
});

/** Pure subject rules and the registry scope policy shared with products and certificates. */
export * from './policy';
export * from './rules';
