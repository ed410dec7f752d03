import { z } from 'zod';
import taxonomyFile from '../../../data/product-taxonomy.json';

/**
 * The product classification, versioned by the rule-set that defines it (data/product-taxonomy.json).
 * A product stores (scheme, code): products certified under 1048/QĐ-TTg keep their old class while new
 * products use the current scheme. The file is validated when this module loads, so a broken edit
 * stops the app at start-up instead of mis-classifying products.
 */
const label = z.strictObject({ vi: z.string().min(1), en: z.string().min(1) });
const code = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.-]{0,39}$/);

const setSchema = z.strictObject({ code, label });
const subGroupSchema = z.strictObject({ code, label, sets: z.array(setSchema).min(1) });
/** A group holds its sets directly, or sub-groups holding them (sub-group names may be unknown). */
const groupSchema = z.strictObject({
  code,
  label,
  subGroups: z.array(subGroupSchema).optional(),
  sets: z.array(setSchema).optional(),
});

const schemeSchema = z
  .strictObject({
    code,
    label,
    legalBasis: z.string().min(1),
    current: z.boolean(),
    /** false: the file lists only part of the scheme's sets (the rest is unknown, not invented). */
    complete: z.boolean(),
    /** 'group-or-set': a product may be classed at group level, for schemes whose sets are not all known. */
    classifyAt: z.enum(['set', 'group-or-set']),
    declared: z.strictObject({
      groups: z.number().int().positive(),
      subGroups: z.number().int().positive().optional(),
      sets: z.number().int().positive(),
    }),
    notes: z.array(z.string()),
    groups: z.array(groupSchema).min(1),
  })
  .superRefine((scheme, issue) => {
    const report = (message: string) => issue.addIssue({ code: 'custom', message, input: scheme.code });
    const seen = new Set<string>();
    const subGroups = scheme.groups.flatMap((g) => g.subGroups ?? []);
    const sets = setsOf(scheme);
    for (const node of [...scheme.groups, ...subGroups, ...sets]) {
      if (seen.has(node.code)) report(`scheme ${scheme.code}: code "${node.code}" is used twice`);
      seen.add(node.code);
    }
    for (const group of scheme.groups) {
      if (group.sets && group.subGroups)
        report(`scheme ${scheme.code}: group "${group.code}" lists both sets and sub-groups`);
      if (scheme.complete && setsOfGroup(group).length === 0)
        report(`scheme ${scheme.code}: group "${group.code}" has no product set`);
    }
    if (scheme.groups.length !== scheme.declared.groups)
      report(`scheme ${scheme.code}: ${scheme.groups.length} groups, declared ${scheme.declared.groups}`);
    // Sub-groups are optional (their names may be unknown), but a list that is there must be whole.
    if (subGroups.length > 0 && subGroups.length !== scheme.declared.subGroups)
      report(
        `scheme ${scheme.code}: ${subGroups.length} sub-groups, declared ${scheme.declared.subGroups ?? 'none'}`,
      );
    if (subGroups.length > 0 && scheme.groups.some((g) => !g.subGroups))
      report(`scheme ${scheme.code}: some groups have sub-groups and others not`);
    if (scheme.complete && sets.length !== scheme.declared.sets)
      report(`scheme ${scheme.code}: ${sets.length} sets, declared ${scheme.declared.sets}`);
    if (!scheme.complete && sets.length > scheme.declared.sets)
      report(`scheme ${scheme.code}: more sets than the ${scheme.declared.sets} declared`);
  });

type Group = z.infer<typeof groupSchema>;
type ProductSet = z.infer<typeof setSchema>;

function setsOfGroup(group: Group): ProductSet[] {
  return group.sets ?? (group.subGroups ?? []).flatMap((s) => s.sets);
}

function setsOf(scheme: { groups: Group[] }): ProductSet[] {
  return scheme.groups.flatMap(setsOfGroup);
}

const taxonomySchema = z
  .strictObject({ about: z.string().optional(), schemes: z.array(schemeSchema).min(1) })
  .superRefine((file, issue) => {
    const codes = file.schemes.map((s) => s.code);
    if (new Set(codes).size !== codes.length)
      issue.addIssue({ code: 'custom', message: 'scheme codes are not unique', input: codes });
    if (file.schemes.filter((s) => s.current).length !== 1)
      issue.addIssue({ code: 'custom', message: 'exactly one scheme must be current', input: codes });
  });

export type TaxonomyScheme = z.infer<typeof schemeSchema>;
export type Taxonomy = z.infer<typeof taxonomySchema>;
export type Label = { vi: string; en: string };

export class TaxonomyError extends Error {}

/** Validates taxonomy data; throws one error listing every problem. */
export function parseTaxonomy(raw: unknown): Taxonomy {
  const result = taxonomySchema.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
  throw new TaxonomyError(`Invalid product taxonomy:\n${problems.join('\n')}`);
}

export const productTaxonomy: Taxonomy = parseTaxonomy(taxonomyFile);

export function currentScheme(taxonomy: Taxonomy = productTaxonomy): TaxonomyScheme {
  return taxonomy.schemes.find((s) => s.current)!;
}

export function findScheme(schemeCode: string, taxonomy: Taxonomy = productTaxonomy) {
  return taxonomy.schemes.find((s) => s.code === schemeCode) ?? null;
}

export type Classification = {
  scheme: string;
  code: string;
  group: { code: string; label: Label };
  subGroup: { code: string; label: Label } | null;
  set: { code: string; label: Label } | null;
};

/** What a (scheme, code) pair means, or null when products may not be classed there. */
export function classify(
  schemeCode: string,
  categoryCode: string,
  taxonomy: Taxonomy = productTaxonomy,
): Classification | null {
  const scheme = findScheme(schemeCode, taxonomy);
  if (!scheme) return null;
  for (const group of scheme.groups) {
    const groupRef = { code: group.code, label: group.label };
    if (group.code === categoryCode) {
      if (scheme.classifyAt !== 'group-or-set') return null;
      return { scheme: scheme.code, code: group.code, group: groupRef, subGroup: null, set: null };
    }
    const places = group.subGroups
      ? group.subGroups.map((sub) => ({ sub: { code: sub.code, label: sub.label }, sets: sub.sets }))
      : [{ sub: null, sets: group.sets ?? [] }];
    for (const place of places) {
      const set = place.sets.find((s) => s.code === categoryCode);
      if (set) {
        return {
          scheme: scheme.code,
          code: set.code,
          group: groupRef,
          subGroup: place.sub,
          set: { code: set.code, label: set.label },
        };
      }
    }
  }
  return null;
}

/** The category codes a product of this group may carry: its sets, and the group itself where allowed. */
export function categoryCodesOfGroup(
  schemeCode: string,
  groupCode: string,
  taxonomy: Taxonomy = productTaxonomy,
): string[] {
  const scheme = findScheme(schemeCode, taxonomy);
  const group = scheme?.groups.find((g) => g.code === groupCode);
  if (!scheme || !group) return [];
  const codes = setsOfGroup(group).map((s) => s.code);
  if (scheme.classifyAt === 'group-or-set') codes.push(group.code);
  return codes;
}

/** Every product set of a scheme, in file order (set 1 first for the current scheme). */
export function productSetsOf(schemeCode: string, taxonomy: Taxonomy = productTaxonomy): ProductSet[] {
  const scheme = findScheme(schemeCode, taxonomy);
  return scheme ? setsOf(scheme) : [];
}
