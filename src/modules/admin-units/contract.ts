import { z } from 'zod';
import { text } from '../../shared/fields';

/**
 * Shapes of the administrative-units API, shared with the web app (no server imports here).
 * Codes are the official zero-padded statistical codes: province 2 digits, district 3, commune 5.
 */
export const provinceCode = z.string().regex(/^\d{2}$/, { message: 'adminUnits.provinceCode' });
export const districtCode = z.string().regex(/^\d{3}$/, { message: 'adminUnits.districtCode' });
export const communeCode = z.string().regex(/^\d{5}$/, { message: 'adminUnits.communeCode' });

export const provinceParams = z.object({ code: provinceCode });
export const districtParams = z.object({ code: districtCode });
export const communeParams = z.object({ code: communeCode });

const paging = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  // A province has at most ~170 communes: a picker loads one province in one page.
  pageSize: z.coerce.number().int().min(1).max(1000).default(50),
};
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess((v) => (v === '' ? undefined : v), schema.optional());

// ---------- units in force since 2025-07-01 ----------

export const provinceView = z.object({
  code: z.string(),
  name: z.string(),
  divisionType: z.string(),
  communeCount: z.number(),
});
export type ProvinceView = z.infer<typeof provinceView>;
export const provinceList = z.object({ items: z.array(provinceView) });

export const communeView = z.object({
  code: z.string(),
  name: z.string(),
  divisionType: z.string(),
  provinceCode: z.string(),
  provinceName: z.string(),
});
export type CommuneView = z.infer<typeof communeView>;

export const listCommunesQuery = z.object({
  provinceCode: optional(provinceCode),
  /** Accent-insensitive part of the name ("thuy" finds "Thủy"), or the start of a code. */
  q: optional(text(100)),
  sort: z.enum(['name', 'code']).default('name'),
  ...paging,
});
export type ListCommunesQuery = z.infer<typeof listCommunesQuery>;

export const communePage = z.object({
  items: z.array(communeView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

const conversionKind = z.enum(['whole', 'partial']);

/** A current commune with the old communes it was formed from (history stays readable). */
export const communeDetail = communeView.extend({
  formedFrom: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      districtCode: z.string(),
      districtName: z.string(),
      provinceCode: z.string(),
      provinceName: z.string(),
      kind: conversionKind,
      note: z.string(),
    }),
  ),
});
export type CommuneDetail = z.infer<typeof communeDetail>;

// ---------- units before the reform (for historic records) ----------

export const oldProvinceView = z.object({ code: z.string(), name: z.string() });
export const oldProvinceList = z.object({ items: z.array(oldProvinceView) });

export const oldDistrictView = z.object({
  code: z.string(),
  name: z.string(),
  provinceCode: z.string(),
  provinceName: z.string(),
});
export const listOldDistrictsQuery = z.object({ provinceCode: optional(provinceCode) });
export const oldDistrictList = z.object({ items: z.array(oldDistrictView) });

const becameCommune = z.object({
  communeCode: z.string(),
  communeName: z.string(),
  provinceCode: z.string(),
  provinceName: z.string(),
  kind: conversionKind,
  note: z.string(),
});

export const oldCommuneView = z.object({
  code: z.string(),
  name: z.string(),
  divisionType: z.string(),
  districtCode: z.string(),
  districtName: z.string(),
  provinceCode: z.string(),
  provinceName: z.string(),
  /** Where it went on 2025-07-01: one `whole` row, or several rows when it was split. */
  becameCommunes: z.array(becameCommune),
});
export type OldCommuneView = z.infer<typeof oldCommuneView>;

export const listOldCommunesQuery = z.object({
  provinceCode: optional(provinceCode),
  districtCode: optional(districtCode),
  q: optional(text(100)),
  sort: z.enum(['name', 'code']).default('name'),
  ...paging,
});
export type ListOldCommunesQuery = z.infer<typeof listOldCommunesQuery>;

export const oldCommunePage = z.object({
  items: z.array(oldCommuneView),
  total: z.number(),
  page: z.number(),
  pageSize: z.number(),
});

// ---------- resolving a written address ----------

/** Each part is a name ("Xã Tân Lập", "tt Tân Lập"), a code ("14296"), or both ("Xã Tân Lập (14296)"). */
export const resolveAddressBody = z
  .object({
    province: optional(text(200)),
    district: optional(text(200)),
    commune: optional(text(200)),
    /** When known: `current` = written after 2025-07-01 (two tiers), `old` = before. */
    era: optional(z.enum(['current', 'old'])),
  })
  .refine((a) => Boolean(a.province || a.district || a.commune), {
    message: 'adminUnits.addressEmpty',
    path: ['commune'],
  });
export type ResolveAddressBody = z.infer<typeof resolveAddressBody>;

export const MAX_BATCH_ADDRESSES = 500;
export const resolveBatchBody = z.object({
  addresses: z.array(resolveAddressBody).min(1).max(MAX_BATCH_ADDRESSES),
});

const currentRef = z.object({
  communeCode: z.string(),
  communeName: z.string(),
  provinceCode: z.string(),
  provinceName: z.string(),
});

export const resolveResult = z.object({
  /** resolved: the law gives one answer; needs_decision: a person picks among `candidates`; not_found: see `problem`. */
  status: z.enum(['resolved', 'needs_decision', 'not_found']),
  current: currentRef.nullable(),
  candidates: z.array(
    currentRef.extend({
      reason: z.enum(['split', 'ambiguous_name', 'no_conversion']),
      fromOldCommuneCodes: z.array(z.string()),
    }),
  ),
  matchedCurrent: z.array(currentRef),
  matchedOld: z.array(
    z.object({
      communeCode: z.string().nullable(),
      communeName: z.string().nullable(),
      districtCode: z.string(),
      districtName: z.string(),
      provinceCode: z.string(),
      provinceName: z.string(),
      becameCommunes: z.array(z.object({ communeCode: z.string(), kind: conversionKind, note: z.string() })),
    }),
  ),
  problem: z
    .enum([
      'empty',
      'province_missing',
      'province_not_found',
      'district_not_found',
      'commune_missing',
      'commune_not_found',
      'code_mismatch',
      'no_conversion',
    ])
    .nullable(),
});
export type ResolveResultView = z.infer<typeof resolveResult>;

export const resolveBatchResult = z.object({
  /** One result per address, in the order given. */
  results: z.array(resolveResult),
  summary: z.object({ resolved: z.number(), needsDecision: z.number(), notFound: z.number() }),
});
