import { describe, expect, it } from 'vitest';
import {
  type Answers,
  type Criterion,
  DEMO_SHEET_LABEL,
  type RuleSet,
  type RuleSetInput,
  ruleSetSchema,
  type Sheet,
  type SheetInput,
  type StarBand,
  sheetSchema,
} from './documents';
import { convertLegacySheet, legacySheetSchema, optionLetter } from './legacy';
import {
  checkAnswers,
  checklistFor,
  evaluateDossier,
  exactMean,
  fieldVisitRequired,
  judgeRequirement,
  levelDecision,
  meanScore,
  outlierFlags,
  partTotals,
  requirementCap,
  requirementsOf,
  starFromScore,
  totalOfSheet,
} from './rules';
import { bestPoints, CriteriaRuleError, hasErrors, leafCriteria, type Problem, partMaxima } from './tree';
import { validateBands, validateRuleSet, validateSheet } from './validate';

// ---------------------------------------------------------------- fixtures

const BANDS = [
  { star: 1, min: 0, max: 30 },
  { star: 2, min: 30, max: 50 },
  { star: 3, min: 50, max: 70 },
  { star: 4, min: 70, max: 90 },
  { star: 5, min: 90, max: 100 },
] as const;

function ruleSetInput(overrides: Partial<RuleSetInput> = {}): RuleSetInput {
  return {
    schemaVersion: 1,
    code: 'test-2026',
    name: { vi: 'Bộ tiêu chí thử' },
    legalBasis: [{ document: '148/QĐ-TTg', date: '2023-02-24', source: 'law' }],
    inForce: { from: '2023-02', to: '2025-07', source: 'law' },
    taxonomyScheme: '2026',
    parts: [
      { code: 'A', maxPoints: 40, source: 'law' },
      { code: 'B', maxPoints: 25, source: 'law' },
      { code: 'C', maxPoints: 35, source: 'law' },
    ],
    starBands: BANDS.map((b) => ({ ...b })),
    recognisedFromStar: 3,
    rounding: { decimals: 2, mode: 'truncate', source: 'open' },
    minimumSheets: { value: 3, source: 'open' },
    requirementJudgement: { mode: 'majority', source: 'open' },
    outlierDistance: { value: 15, source: 'open' },
    levels: [
      {
        level: 'district',
        role: 'score',
        authority: { vi: 'UBND cấp huyện' },
        certifiesStars: [3],
        forwardFromScore: 70,
        source: 'law',
      },
      {
        level: 'province',
        role: 'score',
        authority: { vi: 'UBND cấp tỉnh' },
        certifiesStars: [4],
        forwardFromScore: 90,
        source: 'law',
      },
      {
        level: 'central',
        role: 'score',
        authority: { vi: 'Bộ' },
        certifiesStars: [5],
        forwardFromScore: null,
        source: 'law',
      },
    ],
    certificateValidityMonths: { value: 36, source: 'law' },
    expiryNoticeDays: { value: 30, source: 'law' },
    fieldVisitRequiredFor: { productSets: ['26'], source: 'law' },
    checklist: [
      { code: 'mau-01', label: { vi: 'Mẫu 01', en: 'Form 01' }, required: true, source: 'law' },
      {
        code: 'mau-san-pham',
        label: { vi: '05 mẫu sản phẩm', en: 'Five samples' },
        required: true,
        exceptProductSets: ['26'],
        source: 'law',
      },
    ],
    ...overrides,
  };
}

const makeRuleSet = (overrides: Partial<RuleSetInput> = {}): RuleSet =>
  ruleSetSchema.parse(ruleSetInput(overrides));

/** Options worth the given points, coded `<criterion>.a`, `.b`… */
function options(code: string, points: number[], marks: Record<number, 3 | 4 | 5> = {}) {
  return points.map((p, i) => ({
    code: `${code}.${optionLetter(i)}`,
    text: { vi: `Lựa chọn ${p} điểm` },
    points: p,
    ...(marks[i] ? { requiredForStar: marks[i] } : {}),
  }));
}

/**
 * A small valid sheet: A = 40 (A1.1: 0/10/20, A1.2 with sub-criteria 10 + 10), B = 25 (B1.1: 0/5/25),
 * C = 35 (C1.1: 0/15/35, 3★ needs ≥ 15; C1.2 is unused here). Maxima: 40 / 25 / 35.
 */
function sheetInput(): SheetInput {
  return {
    schemaVersion: 1,
    code: 'test.sheet',
    ruleSet: 'test-2026',
    productSet: { scheme: '2026', code: '1', name: { vi: 'Rau, củ, quả, hạt tươi' } },
    title: { vi: 'Phiếu thử' },
    provenance: { source: 'unit test' },
    parts: [
      {
        code: 'A',
        name: { vi: 'Phần A' },
        maxPoints: 40,
        groups: [
          {
            code: 'A1',
            name: { vi: 'Nhóm A1' },
            maxPoints: 40,
            criteria: [
              { code: 'A1.1', name: { vi: 'Tiêu chí A1.1' }, options: options('A1.1', [0, 10, 20]) },
              {
                code: 'A1.2',
                name: { vi: 'Tiêu chí A1.2' },
                criteria: [
                  { code: 'A1.2.1', name: { vi: 'Con 1' }, options: options('A1.2.1', [0, 5, 10]) },
                  {
                    code: 'A1.2.2',
                    name: { vi: 'Con 2' },
                    requiredForStar: 4,
                    options: options('A1.2.2', [0, 4, 10]),
                  },
                ],
              },
            ],
          },
        ],
      },
      {
        code: 'B',
        name: { vi: 'Phần B' },
        maxPoints: 25,
        groups: [
          {
            code: 'B1',
            name: { vi: 'Nhóm B1' },
            criteria: [{ code: 'B1.1', name: { vi: 'Tiêu chí B1.1' }, options: options('B1.1', [0, 5, 25]) }],
          },
        ],
      },
      {
        code: 'C',
        name: { vi: 'Phần C' },
        maxPoints: 35,
        groups: [
          {
            code: 'C1',
            name: { vi: 'Nhóm C1' },
            criteria: [
              {
                code: 'C1.1',
                name: { vi: 'An toàn thực phẩm' },
                options: options('C1.1', [0, 15, 35], { 1: 3, 2: 5 }),
              },
            ],
          },
        ],
      },
    ],
    disqualifiers: [{ code: 'DQ1', text: { vi: 'Vi phạm an toàn thực phẩm' }, source: 'open' }],
  };
}

const makeSheet = (edit: (s: SheetInput) => void = () => {}): Sheet => {
  const input = sheetInput();
  edit(input);
  return sheetSchema.parse(input);
};

/** The criterion at a code path like ['A', 'A1', 'A1.2', 'A1.2.1'] of a sheet input (for edits). */
function criterionIn(s: SheetInput, partCode: string, groupCode: string, ...codes: string[]): Criterion {
  const part = s.parts!.find((p) => p.code === partCode)!;
  const group = part.groups.find((g) => g.code === groupCode)!;
  let list = group.criteria as Criterion[];
  let found: Criterion | undefined;
  for (const code of codes) {
    found = list.find((c) => c.code === code)!;
    list = found.criteria ?? [];
  }
  return found!;
}

/** Answers choosing, per leaf criterion, the option with this letter (default: the best). */
function answersWith(picks: Partial<Record<string, string>> = {}): Answers {
  const best: Record<string, string> = {
    'A1.1': 'A1.1.c',
    'A1.2.1': 'A1.2.1.c',
    'A1.2.2': 'A1.2.2.c',
    'B1.1': 'B1.1.c',
    'C1.1': 'C1.1.c',
  };
  for (const [code, letter] of Object.entries(picks)) best[code] = `${code}.${letter}`;
  return best;
}

const codes = (problems: Problem[]) => problems.map((p) => p.code);
const errorsOf = (problems: Problem[]) => problems.filter((p) => p.severity === 'error');

function expectBilingual(problems: Problem[]) {
  for (const p of problems) {
    expect(p.vi.length, p.code).toBeGreaterThan(0);
    expect(p.en.length, p.code).toBeGreaterThan(0);
    expect(p.vi).not.toBe(p.en);
    expect(p.path.length, p.code).toBeGreaterThan(0);
  }
}

// ---------------------------------------------------------------- bands and stars

describe('star bands', () => {
  it('accepts the bands of every rule-set: 1★ <30 ≤ 2★ <50 ≤ 3★ <70 ≤ 4★ <90 ≤ 5★ ≤ 100', () => {
    expect(validateBands([...BANDS])).toEqual([]);
  });

  it.each([
    [0, 1],
    [29.99, 1],
    [30, 2],
    [49.99, 2],
    [50, 3],
    [69.99, 3],
    [70, 4],
    [89.99, 4],
    [90, 5],
    [100, 5],
  ])('gives %s points %s★ (a lower bound belongs to the higher band)', (score, star) => {
    expect(starFromScore(score, [...BANDS])).toBe(star);
  });

  it('refuses scores outside 0..100', () => {
    expect(() => starFromScore(100.01, [...BANDS])).toThrow(RangeError);
    expect(() => starFromScore(-0.01, [...BANDS])).toThrow(RangeError);
  });

  it('reports a gap between bands with where it is', () => {
    const bands: StarBand[] = BANDS.map((b) => ({ ...b }));
    bands[2] = { star: 3, min: 55, max: 70 };
    const problems = validateBands(bands);
    expect(problems).toEqual([
      expect.objectContaining({
        code: 'bands.gap',
        path: 'starBands.2.min',
        vi: 'Khoảng trống giữa hạng 2 sao (đến 50) và hạng 3 sao (từ 55).',
      }),
    ]);
    expectBilingual(problems);
  });

  it('reports overlapping bands', () => {
    const bands: StarBand[] = BANDS.map((b) => ({ ...b }));
    bands[3] = { star: 4, min: 65, max: 90 };
    expect(codes(validateBands(bands))).toEqual(['bands.overlap']);
  });

  it('reports a missing star, a repeated star, a wrong start and end, and an empty band', () => {
    const problems = validateBands([
      { star: 1, min: 5, max: 30 },
      { star: 2, min: 30, max: 50 },
      { star: 2, min: 50, max: 50 },
      { star: 4, min: 50, max: 95 },
    ]);
    expect(codes(problems).sort()).toEqual(
      [
        'bands.duplicateStar',
        'bands.empty',
        'bands.end',
        'bands.missingStar',
        'bands.missingStar',
        'bands.order',
        'bands.start',
      ].sort(),
    );
    expectBilingual(problems);
  });

  it('reports stars that fall as the score rises', () => {
    const problems = validateBands([
      { star: 1, min: 0, max: 30 },
      { star: 3, min: 30, max: 50 },
      { star: 2, min: 50, max: 70 },
      { star: 4, min: 70, max: 90 },
      { star: 5, min: 90, max: 100 },
    ]);
    expect(codes(problems)).toEqual(['bands.order']);
  });
});

// ---------------------------------------------------------------- mean and rounding

describe('mean score and rounding', () => {
  const truncate = { decimals: 2, mode: 'truncate' } as const;
  const halfUp = { decimals: 2, mode: 'half-up' } as const;

  it('keeps two decimals and never rounds up into a higher band by default (truncate)', () => {
    expect(meanScore([69.99, 70], truncate)).toBe(69.99);
    expect(starFromScore(meanScore([69.99, 70], truncate), [...BANDS])).toBe(3);
    expect(meanScore([89.99, 90, 90], truncate)).toBe(89.99);
  });

  it('rounds halves up when the rule-set says half-up', () => {
    expect(meanScore([69.99, 70], halfUp)).toBe(70);
    expect(starFromScore(meanScore([69.99, 70], halfUp), [...BANDS])).toBe(4);
    expect(meanScore([89.99, 90, 90], halfUp)).toBe(90);
  });

  it('differs between modes only where the dropped digits matter', () => {
    expect(meanScore([69, 70, 70], truncate)).toBe(69.66);
    expect(meanScore([69, 70, 70], halfUp)).toBe(69.67);
    expect(meanScore([70, 71], truncate)).toBe(70.5);
    expect(meanScore([70, 71], halfUp)).toBe(70.5);
  });

  it('honours the number of decimals', () => {
    expect(meanScore([69, 70], { decimals: 0, mode: 'truncate' })).toBe(69);
    expect(meanScore([69, 70], { decimals: 0, mode: 'half-up' })).toBe(70);
    expect(meanScore([69, 70, 70], { decimals: 1, mode: 'truncate' })).toBe(69.6);
    expect(meanScore([69, 70, 70], { decimals: 1, mode: 'half-up' })).toBe(69.7);
    expect(meanScore([69, 70, 70], { decimals: 4, mode: 'truncate' })).toBe(69.6666);
  });

  it('is exact where floating point is not (0.1 + 0.2, thirds)', () => {
    expect(meanScore([0.1, 0.2], { decimals: 2, mode: 'half-up' })).toBe(0.15);
    expect(meanScore([33.33, 33.33, 33.34], truncate)).toBe(33.33);
    expect(meanScore([70, 70, 70], truncate)).toBe(70);
    expect(meanScore([100, 100], truncate)).toBe(100);
  });

  it('refuses the mean of no sheets', () => {
    expect(() => meanScore([], truncate)).toThrow(RangeError);
    expect(() => exactMean([])).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------- rule-set validation

describe('validateRuleSet', () => {
  it('finds no error in a complete rule-set and shows open parameters as warnings', () => {
    const problems = validateRuleSet(makeRuleSet());
    expect(errorsOf(problems)).toEqual([]);
    expect(problems.filter((p) => p.code === 'parameter.open').map((p) => p.path)).toEqual([
      'rounding',
      'minimumSheets',
      'requirementJudgement',
      'outlierDistance',
    ]);
    expectBilingual(problems);
  });

  it('refuses a minimum number of sheets left unset (an administrator must decide it)', () => {
    const problems = validateRuleSet(makeRuleSet({ minimumSheets: { value: null, source: 'open' } }));
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({ code: 'parameter.unset', path: 'minimumSheets.value' }),
    ]);
  });

  it('reports parts that do not sum to 100', () => {
    const problems = validateRuleSet(
      makeRuleSet({
        parts: [
          { code: 'A', maxPoints: 40, source: 'law' },
          { code: 'B', maxPoints: 25, source: 'law' },
          { code: 'C', maxPoints: 36, source: 'law' },
        ],
      }),
    );
    expect(errorsOf(problems)).toEqual([
      expect.objectContaining({
        code: 'ruleSet.partsTotal',
        vi: 'Tổng điểm tối đa các phần là 101, phải là 100.',
        en: "The parts' maxima sum to 101; they must sum to 100.",
      }),
    ]);
  });

  it('reports duplicate part codes, band problems and an end of force before its start', () => {
    const problems = validateRuleSet(
      makeRuleSet({
        parts: [
          { code: 'A', maxPoints: 40, source: 'law' },
          { code: 'A', maxPoints: 25, source: 'law' },
          { code: 'C', maxPoints: 35, source: 'law' },
        ],
        starBands: [
          { star: 1, min: 0, max: 30 },
          { star: 2, min: 30, max: 50 },
          { star: 3, min: 51, max: 70 },
          { star: 4, min: 70, max: 90 },
          { star: 5, min: 90, max: 100 },
        ],
        inForce: { from: '2025-07', to: '2023-02', source: 'law' },
      }),
    );
    expect(codes(errorsOf(problems))).toEqual(['code.duplicate', 'bands.gap', 'ruleSet.inForceOrder']);
  });

  it('reports recognition levels that certify a star twice, leave one uncertified, or are out of order', () => {
    const base = ruleSetInput();
    const [district, province, central] = base.levels!;
    const twice = validateRuleSet(
      makeRuleSet({ levels: [district!, { ...province!, certifiesStars: [3, 4] }, central!] }),
    );
    expect(codes(errorsOf(twice))).toEqual(['levels.starTwice']);
    const uncertified = validateRuleSet(makeRuleSet({ levels: [district!, province!] }));
    expect(codes(errorsOf(uncertified))).toEqual(['levels.forwardFromTop', 'levels.starUncertified']);
    const order = validateRuleSet(makeRuleSet({ levels: [province!, district!, central!] }));
    expect(codes(errorsOf(order))).toContain('levels.order');
  });

  it('needs a forwarding score below the top and warns when it is not the next band', () => {
    const [district, province, central] = ruleSetInput().levels!;
    const noForward = validateRuleSet(
      makeRuleSet({ levels: [district!, { ...province!, forwardFromScore: null }, central!] }),
    );
    expect(codes(errorsOf(noForward))).toEqual(['levels.noForward']);
    const odd = validateRuleSet(
      makeRuleSet({ levels: [{ ...district!, forwardFromScore: 65 }, province!, central!] }),
    );
    expect(errorsOf(odd)).toEqual([]);
    expect(odd.find((p) => p.code === 'levels.forwardThreshold')?.vi).toBe(
      'Ngưỡng chuyển lên (65) khác cận dưới của hạng 4 sao (70) mà cấp trên công nhận.',
    );
  });

  it('refuses a pre-check level that certifies and a certified star below recognition', () => {
    const [, province, central] = ruleSetInput().levels!;
    const problems = validateRuleSet(
      makeRuleSet({
        levels: [
          {
            level: 'commune',
            role: 'precheck',
            authority: { vi: 'UBND cấp xã' },
            certifiesStars: [3],
            forwardFromScore: null,
            precheckCriteria: { codes: [], source: 'open' },
            source: 'law',
          },
          { ...province!, certifiesStars: [4] },
          central!,
        ],
      }),
    );
    expect(codes(errorsOf(problems))).toEqual(['levels.precheckCertifies']);
    expect(problems.some((p) => p.code === 'parameter.open' && p.path === 'levels.0.precheckCriteria')).toBe(
      true,
    );
    const low = validateRuleSet(makeRuleSet({ recognisedFromStar: 4 }));
    expect(codes(errorsOf(low))).toEqual(['levels.starBelowRecognition']);
  });

  it('reports duplicate checklist codes and items both "only" and "except"', () => {
    const problems = validateRuleSet(
      makeRuleSet({
        checklist: [
          { code: 'x', label: { vi: 'Một', en: 'One' }, required: true, source: 'law' },
          {
            code: 'x',
            label: { vi: 'Hai', en: 'Two' },
            required: false,
            onlyProductSets: ['1'],
            exceptProductSets: ['2'],
            source: 'law',
          },
        ],
      }),
    );
    expect(codes(errorsOf(problems))).toEqual(['code.duplicate', 'checklist.onlyAndExcept']);
    expectBilingual(problems);
  });

  it('rejects malformed documents at the schema (bad dates, stars, rounding modes)', () => {
    expect(
      ruleSetSchema.safeParse(ruleSetInput({ inForce: { from: '2023-13', to: null, source: 'law' } }))
        .success,
    ).toBe(false);
    expect(
      ruleSetSchema.safeParse(
        ruleSetInput({ rounding: { decimals: 2, mode: 'bankers' as 'truncate', source: 'open' } }),
      ).success,
    ).toBe(false);
    expect(ruleSetSchema.safeParse(ruleSetInput({ recognisedFromStar: 2 as 3 })).success).toBe(false);
  });
});

// ---------------------------------------------------------------- sheet validation

describe('validateSheet', () => {
  const ruleSet = makeRuleSet();

  it('finds nothing wrong with a consistent sheet and computes its maxima', () => {
    const sheet = makeSheet();
    expect(validateSheet(sheet, ruleSet)).toEqual([]);
    expect(partMaxima(sheet)).toEqual({ A: 40, B: 25, C: 35 });
    expect(bestPoints(criterionIn(sheetInput(), 'A', 'A1', 'A1.2'))).toBe(20);
    expect(leafCriteria(sheet).map((v) => v.criterion.code)).toEqual([
      'A1.1',
      'A1.2.1',
      'A1.2.2',
      'B1.1',
      'C1.1',
    ]);
  });

  it('reports a part whose best options do not sum to its declared maximum, in both languages', () => {
    const sheet = makeSheet((s) => {
      criterionIn(s, 'A', 'A1', 'A1.1').options![2]!.points = 21;
      s.parts![0]!.groups[0]!.maxPoints = undefined;
    });
    expect(validateSheet(sheet, ruleSet)).toEqual([
      {
        code: 'part.maxMismatch',
        severity: 'error',
        path: 'parts.0.maxPoints',
        ref: 'A',
        vi: 'Phần A: tổng điểm tối đa các lựa chọn là 41, khai báo 40.',
        en: 'Part A: the best options sum to 41; 40 is declared.',
      },
    ]);
  });

  it('reports a group maximum that does not match its criteria', () => {
    const sheet = makeSheet((s) => {
      s.parts![0]!.groups[0]!.maxPoints = 39;
    });
    expect(codes(validateSheet(sheet, ruleSet))).toEqual(['group.maxMismatch']);
  });

  it('reports a criterion without options, and one with both options and sub-criteria', () => {
    const sheet = makeSheet((s) => {
      criterionIn(s, 'B', 'B1', 'B1.1').options = [];
      const parent = criterionIn(s, 'A', 'A1', 'A1.2');
      parent.options = options('A1.2', [0]);
    });
    const problems = validateSheet(sheet, ruleSet);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          code: 'criterion.noOptions',
          path: 'parts.1.groups.0.criteria.0.options',
          ref: 'B › B1 › B1.1',
        }),
        expect.objectContaining({
          code: 'criterion.optionsAndSubcriteria',
          path: 'parts.0.groups.0.criteria.1',
        }),
      ]),
    );
    expectBilingual(problems);
  });

  it('reports duplicate codes anywhere in the sheet, naming the first use', () => {
    const sheet = makeSheet((s) => {
      criterionIn(s, 'B', 'B1', 'B1.1').code = 'A1.1';
      criterionIn(s, 'C', 'C1', 'C1.1').options![0]!.code = 'A1.1.a';
    });
    const duplicates = validateSheet(sheet, ruleSet).filter((p) => p.code === 'code.duplicate');
    expect(duplicates.map((p) => p.path)).toEqual([
      'parts.1.groups.0.criteria.0.code',
      'parts.2.groups.0.criteria.0.options.0.code',
    ]);
    expect(duplicates[0]!.vi).toBe('Mã "A1.1" bị trùng (đã dùng tại parts.0.groups.0.criteria.0).');
  });

  it('reports negative points, more than two decimals, and options above the criterion or part maximum', () => {
    const sheet = makeSheet((s) => {
      const b = criterionIn(s, 'B', 'B1', 'B1.1');
      b.options![0]!.points = -1;
      b.options![1]!.points = 5.005;
      const a = criterionIn(s, 'A', 'A1', 'A1.1');
      a.maxPoints = 15;
      const c = criterionIn(s, 'C', 'C1', 'C1.1');
      c.options![1]!.points = 36;
    });
    const found = codes(validateSheet(sheet, ruleSet));
    expect(found).toEqual(
      expect.arrayContaining([
        'option.negativePoints',
        'option.precision',
        'criterion.maxMismatch',
        'option.aboveCriterionMax',
        'option.abovePartMax',
        'part.maxMismatch',
      ]),
    );
  });

  it('reports parts missing, unknown or declared differently from the rule-set', () => {
    const missing = makeSheet((s) => {
      s.parts = s.parts!.slice(0, 2);
    });
    const missingProblems = validateSheet(missing, ruleSet);
    expect(codes(missingProblems)).toEqual(['part.missing', 'sheet.partsTotal']);
    expect(missingProblems[1]!.vi).toBe('Tổng điểm tối đa khai báo của các phần là 65, phải là 100.');
    const renamed = makeSheet((s) => {
      s.parts![2]!.code = 'D';
    });
    expect(codes(validateSheet(renamed, ruleSet))).toEqual(['part.missing', 'part.unknown']);
    const differs = makeSheet((s) => {
      s.parts![1]!.maxPoints = 26;
      criterionIn(s, 'B', 'B1', 'B1.1').options![2]!.points = 26;
    });
    expect(validateSheet(differs, ruleSet)).toEqual([
      expect.objectContaining({
        code: 'part.maxDiffersFromRuleSet',
        vi: 'Phần B: phiếu khai báo 26 điểm, bộ tiêu chí quy định 25.',
      }),
    ]);
  });

  it('reports a sheet of another rule-set or classification, and an empty part or group', () => {
    const other = makeSheet((s) => {
      s.ruleSet = '1048-2019';
      s.productSet!.scheme = '1048';
    });
    expect(codes(validateSheet(other, ruleSet))).toEqual(['sheet.ruleSetMismatch', 'sheet.schemeMismatch']);
    const empty = makeSheet((s) => {
      s.parts![1]!.groups[0]!.criteria = [];
    });
    expect(codes(validateSheet(empty, ruleSet))).toEqual(['group.empty', 'part.maxMismatch']);
    const noGroups = makeSheet((s) => {
      s.parts![1]!.groups = [];
    });
    expect(codes(validateSheet(noGroups, ruleSet))).toEqual(['part.empty', 'part.maxMismatch']);
  });

  it('requires a demo sheet to say so in its title', () => {
    const unlabelled = makeSheet((s) => {
      s.demo = true;
    });
    expect(codes(validateSheet(unlabelled, ruleSet))).toEqual(['sheet.demoLabel']);
    const labelled = makeSheet((s) => {
      s.demo = true;
      s.title = { vi: `${DEMO_SHEET_LABEL} — rau` };
    });
    expect(validateSheet(labelled, ruleSet)).toEqual([]);
  });

  it('reports star requirements put on a parent criterion or impossible to meet', () => {
    const sheet = makeSheet((s) => {
      criterionIn(s, 'A', 'A1', 'A1.2').requiredForStar = 3;
    });
    expect(codes(validateSheet(sheet, ruleSet))).toEqual(['requirement.onParent']);
    const unreachable = validateSheet(
      makeSheet((s) => {
        const b = criterionIn(s, 'B', 'B1', 'B1.1');
        b.requiredForStar = 3;
        for (const o of b.options!) o.points = 0;
        s.parts![1]!.maxPoints = 0;
      }),
      ruleSet,
    );
    expect(codes(unreachable)).toContain('requirement.unreachable');
  });

  it('reports nesting deeper than allowed and warns about single-option criteria', () => {
    const sheet = makeSheet((s) => {
      let node = criterionIn(s, 'B', 'B1', 'B1.1');
      const leaf = node.options!;
      node.options = undefined;
      for (let depth = 2; depth <= 8; depth++) {
        const child: Criterion = { code: `${node.code}.1`, name: { vi: `Cấp ${depth}` } };
        node.criteria = [child];
        node = child;
      }
      node.options = leaf.map((o, i) => ({ ...o, code: `deep.${i}` }));
      criterionIn(s, 'A', 'A1', 'A1.1').options = options('A1.1', [20]);
    });
    const problems = validateSheet(sheet, ruleSet);
    expect(problems.filter((p) => p.code === 'criterion.tooDeep')).toHaveLength(2);
    expect(problems.find((p) => p.code === 'criterion.singleOption')?.severity).toBe('warning');
    expect(hasErrors(problems.filter((p) => p.code === 'criterion.singleOption'))).toBe(false);
  });

  it('covers disqualifier codes in the duplicate check', () => {
    const sheet = makeSheet((s) => {
      s.disqualifiers = [
        { code: 'DQ1', text: { vi: 'Một' }, source: 'open' },
        { code: 'DQ1', text: { vi: 'Hai' }, source: 'open' },
      ];
    });
    expect(codes(validateSheet(sheet, ruleSet))).toEqual(['code.duplicate']);
  });

  it('rejects malformed sheets at the schema (bad codes, control characters, star 2 requirements)', () => {
    const bad = sheetInput();
    criterionIn(bad, 'A', 'A1', 'A1.1').code = 'A 1';
    expect(sheetSchema.safeParse(bad).success).toBe(false);
    const control = sheetInput();
    control.title = { vi: 'Phiếu\u0007' };
    expect(sheetSchema.safeParse(control).success).toBe(false);
    const star = sheetInput();
    criterionIn(star, 'A', 'A1', 'A1.1').requiredForStar = 2 as 3;
    expect(sheetSchema.safeParse(star).success).toBe(false);
  });
});

// ---------------------------------------------------------------- answers and totals

describe('answers and totals', () => {
  const sheet = makeSheet();

  it('totals a complete sheet, summing sub-criteria into their part', () => {
    expect(totalOfSheet(answersWith(), sheet)).toEqual({ total: 100, parts: { A: 40, B: 25, C: 35 } });
    expect(totalOfSheet(answersWith({ 'A1.1': 'b', 'A1.2.2': 'b', 'C1.1': 'b' }), sheet)).toEqual({
      total: 64,
      parts: { A: 24, B: 25, C: 15 },
    });
  });

  it('gives running part totals while a member is still filling the sheet', () => {
    expect(partTotals({ 'A1.1': 'A1.1.b', 'C1.1': 'C1.1.c' }, sheet, { allowMissing: true })).toEqual({
      A: 10,
      B: 0,
      C: 35,
    });
    expect(checkAnswers({}, sheet, { allowMissing: true })).toEqual([]);
  });

  it('refuses missing answers, unknown criteria and options, and answers on a parent criterion', () => {
    const problems = checkAnswers(
      { 'A1.1': 'A1.1.z', X9: 'X9.a', 'A1.2': 'A1.2.a', 'B1.1': 'B1.1.a' },
      sheet,
    );
    expect(problems.map((p) => [p.code, p.path])).toEqual([
      ['answer.unknownOption', 'answers.A1.1'],
      ['answer.unknownCriterion', 'answers.X9'],
      ['answer.notLeaf', 'answers.A1.2'],
      ['answer.missing', 'answers.A1.2.1'],
      ['answer.missing', 'answers.A1.2.2'],
      ['answer.missing', 'answers.C1.1'],
    ]);
    expectBilingual(problems);
    expect(() => totalOfSheet({ 'A1.1': 'A1.1.a' }, sheet)).toThrow(CriteriaRuleError);
  });

  it('refuses an option of another criterion', () => {
    const problems = checkAnswers(answersWith({ 'A1.1': 'b' }), sheet).concat(
      checkAnswers({ ...answersWith(), 'A1.1': 'B1.1.a' }, sheet),
    );
    expect(codes(problems)).toEqual(['answer.unknownOption']);
  });
});

// ---------------------------------------------------------------- requirements

describe('star requirements', () => {
  const sheet = makeSheet();

  it('reads criterion marks as "more than 0 points" and option marks as "at least this option"', () => {
    expect(
      requirementsOf(sheet).map(({ criterionCode, star, minPoints }) => ({ criterionCode, star, minPoints })),
    ).toEqual([
      { criterionCode: 'A1.2.2', star: 4, minPoints: 4 },
      { criterionCode: 'C1.1', star: 3, minPoints: 15 },
      { criterionCode: 'C1.1', star: 5, minPoints: 35 },
    ]);
  });

  it('keeps the strictest mark when a criterion and its option both set one for the same star', () => {
    const strict = makeSheet((s) => {
      const c = criterionIn(s, 'C', 'C1', 'C1.1');
      c.requiredForStar = 5;
    });
    expect(requirementsOf(strict).find((r) => r.criterionCode === 'C1.1' && r.star === 5)?.minPoints).toBe(
      35,
    );
  });

  const requirement = { criterionCode: 'C1.1', star: 3 as const, minPoints: 15, ref: 'C › C1 › C1.1' };

  it('judges by majority: more than half of the sheets, a tie is not met', () => {
    expect(judgeRequirement(requirement, [15, 35, 0], 'majority')).toMatchObject({
      met: true,
      metCount: 2,
      sheetCount: 3,
    });
    expect(judgeRequirement(requirement, [15, 0, 0, 35], 'majority').met).toBe(false);
  });

  it('judges by all members or by the mean of their points when the rule-set says so', () => {
    expect(judgeRequirement(requirement, [15, 35, 0], 'all').met).toBe(false);
    expect(judgeRequirement(requirement, [15, 35, 15], 'all').met).toBe(true);
    expect(judgeRequirement(requirement, [0, 35, 10], 'mean')).toMatchObject({ met: true, meanPoints: 15 });
    expect(judgeRequirement(requirement, [0, 35, 9.99], 'mean').met).toBe(false);
    expect(judgeRequirement(requirement, [], 'all').met).toBe(false);
  });

  it('caps the star at the highest one whose requirements are all met', () => {
    expect(requirementCap([])).toBe(5);
    expect(requirementCap([{ star: 3, met: false }])).toBe(2);
    expect(
      requirementCap([
        { star: 3, met: true },
        { star: 4, met: false },
      ]),
    ).toBe(3);
    expect(
      requirementCap([
        { star: 4, met: true },
        { star: 5, met: false },
      ]),
    ).toBe(4);
    expect(
      requirementCap([
        { star: 5, met: true },
        { star: 3, met: false },
      ]),
    ).toBe(2);
  });
});

// ---------------------------------------------------------------- a dossier's result

describe('evaluateDossier', () => {
  const sheet = makeSheet();
  const ruleSet = makeRuleSet();
  const members = (...sets: Answers[]) => sets.map((answers, i) => ({ memberId: `m${i + 1}`, answers }));

  it('averages the totals, rounds as the rule-set says and gives the star by band', () => {
    // 74 + 74 + 64 → mean 70.666… → 70.66 → 4★; A1.2.2 met by all (4★ requirement), C1.1 ≥ 15 by all.
    const result = evaluateDossier({
      ruleSet,
      sheet,
      memberSheets: members(
        answersWith({ 'A1.2.2': 'b', 'C1.1': 'b' }),
        answersWith({ 'A1.2.2': 'b', 'C1.1': 'b' }),
        answersWith({ 'A1.2.2': 'b', 'C1.1': 'b', 'A1.2.1': 'a' }),
      ),
    });
    expect(result).toMatchObject({
      valid: true,
      sheetCount: 3,
      minimumSheets: 3,
      score: 70.66,
      scoreStar: 4,
      requirementCap: 4,
      finalStar: 4,
      outcome: 'recognisable',
      partMeans: { A: 30.67, B: 25, C: 15 },
    });
    expect(result.exactMean).toBeCloseTo(70.6667, 4);
    expect(result.members.map((m) => [m.memberId, m.total, m.outlier])).toEqual([
      ['m1', 74, false],
      ['m2', 74, false],
      ['m3', 64, false],
    ]);
  });

  it('caps the star when a requirement is not met as the rule-set judges it', () => {
    // 100 + 100 + 80 → 93.33 → 5★ by score; the 5★ option of C1.1 was chosen by 2 of 3 members.
    const memberSheets = members(answersWith(), answersWith(), answersWith({ 'C1.1': 'b' }));
    const byMajority = evaluateDossier({ ruleSet, sheet, memberSheets });
    expect(byMajority).toMatchObject({ score: 93.33, scoreStar: 5, requirementCap: 5, finalStar: 5 });
    const byAll = evaluateDossier({
      ruleSet: makeRuleSet({ requirementJudgement: { mode: 'all', source: 'open' } }),
      sheet,
      memberSheets,
    });
    expect(byAll).toMatchObject({ scoreStar: 5, requirementCap: 4, finalStar: 4, outcome: 'recognisable' });
    expect(byAll.requirements.find((r) => r.star === 5)).toMatchObject({
      criterionCode: 'C1.1',
      met: false,
      metCount: 2,
      sheetCount: 3,
    });
    // Only one of three chose it: not met by majority either, the 4★ requirement (A1.2.2 > 0) still is.
    const minority = evaluateDossier({
      ruleSet,
      sheet,
      memberSheets: members(answersWith(), answersWith({ 'C1.1': 'b' }), answersWith({ 'C1.1': 'b' })),
    });
    expect(minority).toMatchObject({ score: 86.66, scoreStar: 4, requirementCap: 4, finalStar: 4 });
    const fourStarRequirementFails = evaluateDossier({
      ruleSet,
      sheet,
      memberSheets: members(answersWith({ 'A1.2.2': 'a' }), answersWith({ 'A1.2.2': 'a' }), answersWith()),
    });
    expect(fourStarRequirementFails).toMatchObject({
      score: 93.33,
      scoreStar: 5,
      requirementCap: 3,
      finalStar: 3,
    });
  });

  it('gives "below recognition" when a 3★ requirement fails, whatever the score', () => {
    const result = evaluateDossier({
      ruleSet,
      sheet,
      memberSheets: members(answersWith({ 'C1.1': 'a' }), answersWith({ 'C1.1': 'a' }), answersWith()),
    });
    expect(result).toMatchObject({
      scoreStar: 4,
      requirementCap: 2,
      finalStar: 2,
      outcome: 'below-recognition',
    });
  });

  it('gives "not recognised" on a disqualifier and refuses an unknown one', () => {
    const memberSheets = members(answersWith(), answersWith(), answersWith());
    const result = evaluateDossier({ ruleSet, sheet, memberSheets, disqualifiers: ['DQ1'] });
    expect(result).toMatchObject({
      outcome: 'disqualified',
      finalStar: null,
      scoreStar: 5,
      disqualifiers: ['DQ1'],
    });
    expect(() => evaluateDossier({ ruleSet, sheet, memberSheets, disqualifiers: ['DQ9'] })).toThrow(
      CriteriaRuleError,
    );
  });

  it('is invalid below the minimum number of sheets, and with none', () => {
    const two = evaluateDossier({ ruleSet, sheet, memberSheets: members(answersWith(), answersWith()) });
    expect(two).toMatchObject({
      valid: false,
      outcome: 'invalid',
      finalStar: null,
      score: 100,
      minimumSheets: 3,
    });
    const none = evaluateDossier({ ruleSet, sheet, memberSheets: [] });
    expect(none).toMatchObject({
      valid: false,
      outcome: 'invalid',
      score: null,
      exactMean: null,
      spread: [],
    });
    const lower = evaluateDossier({
      ruleSet: makeRuleSet({ minimumSheets: { value: 2, source: 'open' } }),
      sheet,
      memberSheets: members(answersWith(), answersWith()),
    });
    expect(lower.valid).toBe(true);
  });

  it('refuses to compute without a minimum number of sheets, with a duplicate member, or with bad answers', () => {
    const unset = makeRuleSet({ minimumSheets: { value: null, source: 'open' } });
    expect(() => evaluateDossier({ ruleSet: unset, sheet, memberSheets: members(answersWith()) })).toThrow(
      CriteriaRuleError,
    );
    const duplicate = [
      { memberId: 'm1', answers: answersWith() },
      { memberId: 'm1', answers: answersWith() },
    ];
    expect(() => evaluateDossier({ ruleSet, sheet, memberSheets: duplicate })).toThrow(/one sheet only/);
    try {
      evaluateDossier({ ruleSet, sheet, memberSheets: members(answersWith(), { 'A1.1': 'A1.1.a' }) });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(CriteriaRuleError);
      expect((error as CriteriaRuleError).problems[0]!.path).toBe('memberSheets.1.answers.A1.2.1');
    }
  });

  it('refuses to score on a sheet that does not validate against the rule-set', () => {
    const broken = makeSheet((s) => {
      criterionIn(s, 'A', 'A1', 'A1.1').options![2]!.points = 21;
    });
    expect(() =>
      evaluateDossier({
        ruleSet,
        sheet: broken,
        memberSheets: members(answersWith(), answersWith(), answersWith()),
      }),
    ).toThrow(/not valid/);
  });

  it('flags members further than the configured distance from the mean (strictly)', () => {
    expect(outlierFlags([80, 80, 50], 15)).toEqual([false, false, true]);
    expect(outlierFlags([80, 80, 57.49], 15)).toEqual([false, false, true]);
    expect(outlierFlags([80, 80, 57.5], 15)).toEqual([false, false, false]);
    expect(outlierFlags([70, 40], 15)).toEqual([false, false]);
    expect(outlierFlags([70, 39.98], 15)).toEqual([true, true]);
    expect(outlierFlags([70, 60], 4)).toEqual([true, true]);
    expect(outlierFlags([], 15)).toEqual([]);
    // Totals 100, 100, 60: mean 86.67, distances 13.33, 13.33, 26.67.
    const memberSheets = members(answersWith(), answersWith(), answersWith({ 'A1.1': 'a', 'B1.1': 'b' }));
    const byDefault = evaluateDossier({ ruleSet, sheet, memberSheets });
    expect(byDefault.members.map((m) => m.outlier)).toEqual([false, false, true]);
    const tighter = evaluateDossier({
      ruleSet: makeRuleSet({ outlierDistance: { value: 10, source: 'open' } }),
      sheet,
      memberSheets,
    });
    expect(tighter.members.map((m) => m.outlier)).toEqual([true, true, true]);
  });

  it('shows the spread of each criterion across members', () => {
    const result = evaluateDossier({
      ruleSet,
      sheet,
      memberSheets: members(answersWith(), answersWith({ 'A1.1': 'b' }), answersWith({ 'A1.1': 'a' })),
    });
    expect(result.spread.find((s) => s.criterionCode === 'A1.1')).toEqual({
      criterionCode: 'A1.1',
      partCode: 'A',
      min: 0,
      max: 20,
      mean: 10,
    });
    expect(result.spread.find((s) => s.criterionCode === 'B1.1')).toMatchObject({
      min: 25,
      max: 25,
      mean: 25,
    });
    expect(result.spread).toHaveLength(5);
  });
});

// ---------------------------------------------------------------- recognition levels and checklist

describe('recognition levels', () => {
  const ruleSet = makeRuleSet(); // the 148 shape: district 3★ (→ ≥ 70), province 4★ (→ ≥ 90), central 5★
  const result = (score: number, finalStar: 1 | 2 | 3 | 4 | 5) => ({
    score,
    finalStar,
    outcome: finalStar >= 3 ? ('recognisable' as const) : ('below-recognition' as const),
  });

  it('certifies the star a level owns and forwards to the next level from its threshold', () => {
    expect(levelDecision(ruleSet, 'district', result(65, 3))).toEqual({ certifies: 3, forwardsTo: null });
    expect(levelDecision(ruleSet, 'district', result(75, 4))).toEqual({
      certifies: null,
      forwardsTo: 'province',
    });
    expect(levelDecision(ruleSet, 'district', result(95, 5))).toEqual({
      certifies: null,
      forwardsTo: 'province',
    });
    expect(levelDecision(ruleSet, 'province', result(92, 5))).toEqual({
      certifies: null,
      forwardsTo: 'central',
    });
    expect(levelDecision(ruleSet, 'central', result(92, 5))).toEqual({ certifies: 5, forwardsTo: null });
  });

  it('keeps a product capped below the next level where it is', () => {
    expect(levelDecision(ruleSet, 'province', result(92, 4))).toEqual({ certifies: 4, forwardsTo: null });
    expect(levelDecision(ruleSet, 'district', result(40, 2))).toEqual({ certifies: null, forwardsTo: null });
  });

  it('forwards without certifying where a level only scores (1048 district, ≥ 50)', () => {
    const [, province, central] = ruleSetInput().levels!;
    const rs1048 = makeRuleSet({
      levels: [
        {
          level: 'district',
          role: 'score',
          authority: { vi: 'UBND cấp huyện' },
          certifiesStars: [],
          forwardFromScore: 50,
          source: 'law',
        },
        { ...province!, certifiesStars: [3, 4] },
        central!,
      ],
    });
    expect(levelDecision(rs1048, 'district', result(55, 3))).toEqual({
      certifies: null,
      forwardsTo: 'province',
    });
    expect(levelDecision(rs1048, 'province', result(55, 3))).toEqual({ certifies: 3, forwardsTo: null });
  });

  it('refuses a level the rule-set does not score at', () => {
    expect(() => levelDecision(ruleSet, 'commune', result(80, 4))).toThrow(CriteriaRuleError);
  });

  it('lists the dossier documents for a product set (no samples for tourism) and the field-visit rule', () => {
    expect(checklistFor(ruleSet, '1').map((i) => i.code)).toEqual(['mau-01', 'mau-san-pham']);
    expect(checklistFor(ruleSet, '26').map((i) => i.code)).toEqual(['mau-01']);
    expect(fieldVisitRequired(ruleSet, '26')).toBe(true);
    expect(fieldVisitRequired(ruleSet, '1')).toBe(false);
  });
});

// ---------------------------------------------------------------- transcriptions without codes

describe('converting a transcription without codes', () => {
  it('gives positional codes and keeps texts and points', () => {
    const legacy = legacySheetSchema.parse({
      parts: [
        {
          code: 'A',
          name: 'Phần A',
          maxPoints: 3,
          groups: [
            {
              name: 'Nhóm',
              criteria: [
                {
                  name: 'Một',
                  options: [
                    { text: 'Không', points: 0 },
                    { text: 'Có', points: 1 },
                  ],
                },
                { name: 'Hai', criteria: [{ name: 'Hai con', options: [{ text: 'x', points: 2 }] }] },
              ],
            },
          ],
        },
      ],
    });
    const sheet = sheetSchema.parse(
      convertLegacySheet(legacy, {
        code: 's',
        ruleSet: 'r',
        productSet: { scheme: '2026', code: '1', name: { vi: 'Rau' } },
        title: { vi: 'Phiếu' },
        provenance: { source: 'test' },
      }),
    );
    const criterion = sheet.parts[0]!.groups[0]!.criteria;
    expect(sheet.parts[0]!.groups[0]!.code).toBe('A1');
    expect(criterion.map((c) => c.code)).toEqual(['A1.1', 'A1.2']);
    expect(criterion[0]!.options!.map((o) => [o.code, o.text.vi, o.points])).toEqual([
      ['A1.1.a', 'Không', 0],
      ['A1.1.b', 'Có', 1],
    ]);
    expect(criterion[1]!.criteria![0]!.options![0]!.code).toBe('A1.2.1.a');
  });

  it('letters options beyond z as on paper', () => {
    expect([0, 25, 26, 27, 51, 52].map(optionLetter)).toEqual(['a', 'z', 'aa', 'ab', 'az', 'ba']);
  });
});
