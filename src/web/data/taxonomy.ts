import type { Language } from '../i18n';
import type { ProductMeta } from './products';

type Scheme = ProductMeta['schemes'][number];
type Label = { vi: string; en: string };

export type Category = { code: string; label: Label; groupCode: string; groupLabel: Label; isGroup: boolean };

/** Every code a product may be classed under in a scheme: its sets, and its groups where the scheme allows. */
export function categoriesOf(scheme: Scheme | undefined): Category[] {
  if (!scheme) return [];
  const result: Category[] = [];
  for (const group of scheme.groups) {
    const groupInfo = { groupCode: group.code, groupLabel: group.label };
    if (scheme.classifyAt === 'group-or-set') {
      result.push({ code: group.code, label: group.label, ...groupInfo, isGroup: true });
    }
    const sets = [...(group.sets ?? []), ...(group.subGroups ?? []).flatMap((sub) => sub.sets)];
    for (const set of sets) result.push({ code: set.code, label: set.label, ...groupInfo, isGroup: false });
  }
  return result;
}

export function schemeOf(meta: ProductMeta | undefined, code?: string | null): Scheme | undefined {
  return meta?.schemes.find((s) => s.code === (code ?? meta.currentScheme));
}

/** Select data grouped under the product groups, options named exactly as the set is. */
export function categoryOptions(scheme: Scheme | undefined, language: Language) {
  const groups = new Map<string, { group: string; items: { value: string; label: string }[] }>();
  for (const category of categoriesOf(scheme)) {
    const entry = groups.get(category.groupCode) ?? { group: category.groupLabel[language], items: [] };
    entry.items.push({ value: category.code, label: category.label[language] });
    groups.set(category.groupCode, entry);
  }
  return [...groups.values()];
}
