import { z } from 'zod';
import synonymsFile from '../../../data/import-synonyms.json';
import { productSetsOf, productTaxonomy, type Taxonomy } from '../products';

/**
 * The classification synonyms of data/import-synonyms.json: sector and group names of every rule-set
 * era and common free text, each to CANDIDATE product sets of the current scheme, and words of a
 * product's name that narrow those candidates. Validated on load against the taxonomy, so a set
 * number that does not exist, or an old group that is not in the 1048 scheme, stops the app at
 * start-up instead of offering a wrong class.
 */
const text = z.string().trim().min(1);

const sectorSchema = z.strictObject({
  names: z.array(text).min(1),
  eras: z.array(z.enum(['1048', '148', '26/2026'])),
  /** The 1048 sector this name is, for decisions made under 1048 (their products keep the old class). */
  oldGroup: z.string().optional(),
  note: z.string().optional(),
  sets: z.array(text).min(1),
});

const productWordsSchema = z.strictObject({ words: z.array(text).min(1), sets: z.array(text).min(1) });

const synonymsSchema = z.strictObject({
  about: z.string().optional(),
  sectors: z.array(sectorSchema).min(1),
  productWords: z.array(productWordsSchema).min(1),
});

export type ClassSynonyms = z.infer<typeof synonymsSchema>;
export type SectorSynonym = z.infer<typeof sectorSchema>;

export class SynonymsError extends Error {}

/** Validates the synonyms file against the taxonomy; throws one error listing every problem. */
export function parseSynonyms(raw: unknown, taxonomy: Taxonomy = productTaxonomy): ClassSynonyms {
  const result = synonymsSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  ${i.path.join('.') || '(file)'}: ${i.message}`);
    throw new SynonymsError(`Invalid import synonyms:\n${problems.join('\n')}`);
  }
  const current = taxonomy.schemes.find((s) => s.current)!;
  const setCodes = new Set(productSetsOf(current.code, taxonomy).map((s) => s.code));
  const old = taxonomy.schemes.find((s) => !s.current && s.classifyAt === 'group-or-set');
  const oldGroups = new Set(old?.groups.map((g) => g.code) ?? []);
  const problems: string[] = [];
  const seenNames = new Map<string, number>();
  result.data.sectors.forEach((sector, i) => {
    for (const set of sector.sets)
      if (!setCodes.has(set)) problems.push(`  sectors.${i}: set "${set}" is not in scheme ${current.code}`);
    if (sector.oldGroup !== undefined && !oldGroups.has(sector.oldGroup))
      problems.push(`  sectors.${i}: old group "${sector.oldGroup}" is not in the 1048 scheme`);
    for (const name of sector.names) {
      const key = name.normalize('NFC').toLowerCase();
      const other = seenNames.get(key);
      if (other !== undefined) problems.push(`  sectors.${i}: name "${name}" is also in sectors.${other}`);
      seenNames.set(key, i);
    }
  });
  result.data.productWords.forEach((entry, i) => {
    for (const set of entry.sets)
      if (!setCodes.has(set))
        problems.push(`  productWords.${i}: set "${set}" is not in scheme ${current.code}`);
  });
  if (problems.length) throw new SynonymsError(`Invalid import synonyms:\n${problems.join('\n')}`);
  return result.data;
}

export const classSynonyms: ClassSynonyms = parseSynonyms(synonymsFile);
