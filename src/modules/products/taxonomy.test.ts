import { describe, expect, it } from 'vitest';
import taxonomyFile from '../../../data/product-taxonomy.json';
import {
  categoryCodesOfGroup,
  classify,
  currentScheme,
  parseTaxonomy,
  productSetsOf,
  productTaxonomy,
  TaxonomyError,
} from './taxonomy';

/** A deep copy of the shipped file to break in one place per test. */
const copy = (): { schemes: Record<string, unknown>[] } & Record<string, unknown> =>
  JSON.parse(JSON.stringify(taxonomyFile));

type GroupJson = { code: string; sets?: { code: string; label: unknown }[]; subGroups?: unknown[] };
const groupsOf = (file: ReturnType<typeof copy>, index: number) => file.schemes[index]!.groups as GroupJson[];

function problemsOf(raw: unknown): string {
  try {
    parseTaxonomy(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(TaxonomyError);
    return (error as Error).message;
  }
  throw new Error('expected the taxonomy to be refused');
}

describe('the shipped taxonomy', () => {
  it('has the current scheme 2026: 6 groups, 26 sets numbered 1-26 in the ranges of the rules', () => {
    const scheme = currentScheme();
    expect(scheme.code).toBe('2026');
    expect(scheme.groups.map((g) => g.code)).toEqual(['I', 'II', 'III', 'IV', 'V', 'VI']);
    expect(productSetsOf('2026').map((s) => s.code)).toEqual(
      Array.from({ length: 26 }, (_, i) => String(i + 1)),
    );
    const range = (group: string) => categoryCodesOfGroup('2026', group).map(Number);
    expect(range('I')).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(range('II')).toEqual([14, 15, 16, 17]);
    expect(range('III')).toEqual([18, 19, 20]);
    expect(range('IV')).toEqual([21, 22]);
    expect(range('V')).toEqual([23, 24, 25]);
    expect(range('VI')).toEqual([26]);
  });

  it('labels every node in Vietnamese and English', () => {
    for (const scheme of productTaxonomy.schemes) {
      for (const group of scheme.groups) {
        expect(group.label.vi && group.label.en).toBeTruthy();
        for (const set of productSetsOf(scheme.code)) expect(set.label.vi && set.label.en).toBeTruthy();
      }
    }
  });

  it('keeps the 1048 sectors for historic products, incomplete and classable at sector level', () => {
    const scheme = productTaxonomy.schemes.find((s) => s.code === '1048')!;
    expect(scheme.current).toBe(false);
    expect(scheme.complete).toBe(false);
    expect(scheme.groups).toHaveLength(6);
    expect(classify('1048', '1')?.group.label.vi).toBe('Thực phẩm');
    expect(classify('1048', 'rau-cu-qua-hat-tuoi')?.set?.label.vi).toBe('Rau, củ, quả, hạt tươi');
    expect(categoryCodesOfGroup('1048', '1')).toEqual(['rau-cu-qua-hat-tuoi', '1']);
  });

  it('classifies sets, refuses groups where sets are required, and unknown codes', () => {
    expect(classify('2026', '12')).toMatchObject({
      group: { code: 'I' },
      set: { code: '12', label: { vi: 'Sản phẩm trà từ thực vật khác' } },
      subGroup: null,
    });
    expect(classify('2026', 'I')).toBeNull();
    expect(classify('2026', '27')).toBeNull();
    expect(classify('1999', '1')).toBeNull();
    expect(categoryCodesOfGroup('2026', 'VII')).toEqual([]);
  });
});

describe('taxonomy validation', () => {
  it('accepts the shipped file', () => {
    expect(() => parseTaxonomy(copy())).not.toThrow();
  });

  it('refuses a code used twice within a scheme', () => {
    const file = copy();
    groupsOf(file, 0)[1]!.sets![0]!.code = '1';
    expect(problemsOf(file)).toMatch(/code "1" is used twice/);
  });

  it('refuses a complete scheme whose set count differs from the declared one', () => {
    const file = copy();
    groupsOf(file, 0)[5]!.sets!.pop();
    expect(problemsOf(file)).toMatch(/25 sets, declared 26/);
  });

  it('refuses a group of a complete scheme with no set', () => {
    const file = copy();
    groupsOf(file, 0)[5]!.sets = [];
    expect(problemsOf(file)).toMatch(/group "VI" has no product set/);
  });

  it('refuses a group listing sets and sub-groups at once, and a partial sub-group list', () => {
    const file = copy();
    groupsOf(file, 0)[0]!.subGroups = [
      { code: 'I.1', label: { vi: 'a', en: 'a' }, sets: [{ code: 'x', label: { vi: 'x', en: 'x' } }] },
    ];
    const message = problemsOf(file);
    expect(message).toMatch(/group "I" lists both sets and sub-groups/);
    expect(message).toMatch(/1 sub-groups, declared 17/);
  });

  it('refuses a missing label language, a bad code and unknown keys', () => {
    const file = copy();
    groupsOf(file, 0)[0]!.sets![0]!.label = { vi: 'Rau' };
    expect(problemsOf(file)).toMatch(/label\.en/);
    const badCode = copy();
    groupsOf(badCode, 0)[0]!.sets![0]!.code = 'bộ 1';
    expect(problemsOf(badCode)).toMatch(/code/);
    const extra = copy();
    (groupsOf(extra, 0)[0] as Record<string, unknown>).colour = 'red';
    expect(problemsOf(extra)).toMatch(/colour/);
  });

  it('refuses duplicate scheme codes and not exactly one current scheme', () => {
    const twice = copy();
    twice.schemes.push(JSON.parse(JSON.stringify(twice.schemes[1])));
    expect(problemsOf(twice)).toMatch(/scheme codes are not unique/);
    const none = copy();
    none.schemes[0]!.current = false;
    expect(problemsOf(none)).toMatch(/exactly one scheme must be current/);
  });

  it('refuses an incomplete scheme listing more sets than declared', () => {
    const file = copy();
    (file.schemes[1]!.declared as { sets: number }).sets = 0;
    expect(problemsOf(file)).toMatch(/declared|sets/);
  });
});
