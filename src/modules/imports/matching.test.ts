import { describe, expect, it } from 'vitest';
import { productTaxonomy } from '../products';
import {
  applyDecision,
  classCatalogue,
  classEraOf,
  containsWords,
  isToneVariant,
  type Match,
  matchCategory,
  matchDecisionDate,
  matchStar,
  needsDecision,
  settledValue,
} from './matching';
import { classSynonyms, parseSynonyms, SynonymsError } from './synonyms';

const catalogue = classCatalogue(productTaxonomy);
const match = (written: string, productName = '', era: 'current' | '1048' | 'unknown' = 'current') =>
  matchCategory(written, productName, era, catalogue, classSynonyms);

describe('matchCategory', () => {
  it('reads an official set number or name as exact', () => {
    expect(match('13')).toMatchObject({ kind: 'exact', value: '2026:13', candidates: ['2026:13'] });
    expect(match('Bộ sản phẩm số 9')).toMatchObject({ kind: 'exact', value: '2026:9' });
    expect(match('cà phê, cacao')).toMatchObject({ kind: 'exact', value: '2026:13' });
    expect(needsDecision(match('13'))).toBe(false);
  });

  it('never reads "Đồ uống" as alcoholic: coffee is narrowed by its name, and needs a decision', () => {
    const coffee = match('Đồ uống', 'Cà phê bột Khe Sanh');
    expect(coffee).toMatchObject({ kind: 'context', value: '2026:13', candidates: ['2026:13'] });
    expect(coffee.evidence).toEqual(['cà phê']);
    expect(needsDecision(coffee)).toBe(true);
    const bare = match('Đồ uống', 'Sản phẩm A');
    expect(bare.kind).toBe('synonym');
    expect(bare.value).toBeNull();
    expect(bare.candidates).toEqual([
      '2026:11',
      '2026:12',
      '2026:13',
      '2026:14',
      '2026:15',
      '2026:16',
      '2026:17',
    ]);
  });

  it('gives "Thực phẩm" for nuts the sets of nuts, not functional foods', () => {
    const nuts = match('Thực phẩm', 'Hạt điều rang muối');
    expect(nuts.kind).toBe('context');
    expect(nuts.candidates).toEqual(['2026:1', '2026:3', '2026:7', '2026:10']);
    expect(nuts.evidence).toEqual(['hạt điều', 'muối']);
    expect(nuts.candidates).not.toContain('2026:18');
  });

  it('reads an old sector name as a synonym of its current sets, or as the 1048 class under 1048', () => {
    const herbs = match('Thảo dược', 'Cao actiso');
    expect(herbs.kind).toBe('context');
    expect(herbs.candidates).toEqual(['2026:18']);
    expect(match('Thảo dược', '', '1048')).toMatchObject({ kind: 'exact', value: '1048:3' });
    expect(match('Dược liệu', '', '1048')).toMatchObject({ kind: 'synonym', value: '1048:3' });
    expect(match('Vải và may mặc').notes).toContain('oldSector');
  });

  it('never matches a prefix or part of a name', () => {
    expect(match('Đồ').kind).toBe('none');
    expect(match('Rượu trắng và').kind).toBe('none');
  });

  it('uses the product name alone when the class is empty, and offers nothing when it says nothing', () => {
    expect(match('', 'Nước mắm Cửa Lò')).toMatchObject({ kind: 'context', candidates: ['2026:9'] });
    expect(match('', 'Sản phẩm X')).toMatchObject({ kind: 'none', candidates: [] });
  });

  it('keys a question by the written value and the evidence, so one decision covers alike rows', () => {
    expect(match('Đồ uống', 'Cà phê hạt').key).toBe(match('ĐỒ UỐNG', 'Cà phê rang xay').key);
    expect(match('Đồ uống', 'Cà phê hạt').key).not.toBe(match('Đồ uống', 'Rượu ngô').key);
  });
});

describe('containsWords and tone marks', () => {
  it('compares whole words with tone marks, wherever the mark is placed', () => {
    expect(containsWords('Cà phê Thuỷ', 'cà phê')).toBe(true);
    expect(containsWords('Cá kho làng Vũ Đại', 'cà phê')).toBe(false);
    expect(containsWords('Chả cá', 'cà')).toBe(false);
    expect(containsWords('Hoà Bình', 'hòa')).toBe(true);
    expect(containsWords('ca phe bot', 'cà phê')).toBe(true);
    expect(containsWords('Tràng An', 'trà')).toBe(false);
  });

  it('tells a tone-mark variant from the same text and from another name', () => {
    expect(isToneVariant('Thuỷ', 'Thủy')).toBe(true);
    expect(isToneVariant('Hoà An', 'Hòa An')).toBe(true);
    expect(isToneVariant('Hòa An', 'Hòa An')).toBe(false);
    expect(isToneVariant('Hóa An', 'Hòa An')).toBe(false);
  });
});

describe('classEraOf', () => {
  it('places a decision by its date, and a year-only 2023 nowhere', () => {
    expect(classEraOf('2023-02-23', null)).toBe('1048');
    expect(classEraOf('2023-02-24', null)).toBe('current');
    expect(classEraOf(null, 2021)).toBe('1048');
    expect(classEraOf(null, 2023)).toBe('unknown');
    expect(classEraOf(null, 2024)).toBe('current');
    expect(classEraOf(null, null)).toBe('unknown');
  });
});

describe('matchStar', () => {
  it('reads digits as exact and glyphs or words as synonyms to confirm', () => {
    for (const written of ['3', '3 sao', '3*', '3★', 'Hạng 3 sao'])
      expect(matchStar(written)).toMatchObject({ kind: 'exact', value: '3' });
    expect(matchStar(4)).toMatchObject({ kind: 'exact', value: '4' });
    const glyphs = matchStar('★★★');
    expect(glyphs).toMatchObject({ kind: 'synonym', value: '3', key: 'star|★★★' });
    expect(needsDecision(glyphs)).toBe(true);
    expect(matchStar('Bốn sao')).toMatchObject({ kind: 'synonym', value: '4' });
    expect(matchStar('tốt')).toMatchObject({ kind: 'none', value: null, candidates: ['3', '4', '5'] });
  });
});

describe('matchDecisionDate', () => {
  it('reads full dates as exact and keeps a year alone as the year, date unknown, not decidable', () => {
    expect(matchDecisionDate('05/03/2021').match).toMatchObject({ kind: 'exact', value: '2021-03-05' });
    expect(matchDecisionDate(44260).match.kind).toBe('exact');
    for (const written of ['2021', 'Năm 2021', '03/2021', 2021]) {
      const { match: m, year } = matchDecisionDate(written);
      expect(year).toBe(2021);
      expect(m).toMatchObject({ kind: 'none', value: null, notes: ['yearOnly'], decidable: false });
      expect(needsDecision(m)).toBe(false);
    }
    expect(matchDecisionDate('1850').year).toBeNull();
    expect(matchDecisionDate('khoảng 2021').year).toBeNull();
  });
});

describe('decisions', () => {
  const question: Match = match('Đồ uống', 'Cà phê hạt');
  const decision = { value: '2026:13', userId: 'u', at: '2026-01-01T00:00:00Z', remembered: false };

  it('settles a match with a decision among its candidates only', () => {
    expect(settledValue(question)).toBeNull();
    const decided = applyDecision(question, decision);
    expect(settledValue(decided)).toBe('2026:13');
    expect(needsDecision(decided)).toBe(false);
    expect(applyDecision(question, { ...decision, value: '2026:15' }).decision).toBeNull();
  });

  it('accepts any value when nothing was offered', () => {
    const none = match('Khác', 'Sản phẩm X');
    expect(applyDecision(none, { ...decision, value: '2026:21' }).decision?.value).toBe('2026:21');
  });
});

describe('parseSynonyms', () => {
  it('refuses a set that is not in the taxonomy, an unknown old group and a name listed twice', () => {
    const bad = {
      sectors: [
        { names: ['A'], eras: [], sets: ['99'] },
        { names: ['B'], eras: ['1048'], oldGroup: '9', sets: ['1'] },
        { names: ['a'], eras: [], sets: ['1'] },
      ],
      productWords: [{ words: ['x'], sets: ['0'] }],
    };
    expect(() => parseSynonyms(bad)).toThrow(SynonymsError);
    try {
      parseSynonyms(bad);
    } catch (error) {
      const message = (error as Error).message;
      expect(message).toContain('set "99"');
      expect(message).toContain('old group "9"');
      expect(message).toContain('name "a"');
      expect(message).toContain('productWords.0');
    }
    expect(() => parseSynonyms({ sectors: [], productWords: [] })).toThrow(SynonymsError);
  });
});
