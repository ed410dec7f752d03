import { describe, expect, it } from 'vitest';
import { DEMO_SHEET_LABEL, type RuleSet, type Sheet } from './documents';
import { checklistFor, evaluateDossier, fieldVisitRequired, levelDecision, starFromScore } from './rules';
import { readShippedCriteria } from './shipped';
import { leafCriteria, partMaxima } from './tree';
import { validateRuleSet, validateSheet } from './validate';

/**
 * The rule-sets and sheets shipped under data/criteria/: each parses, validates to exactly the
 * errors recorded in the manifest, and carries what DOMAIN.md states as law for its period.
 */
const shipped = readShippedCriteria();
const ruleSet = (code: string): RuleSet => {
  const found = shipped.ruleSets.find((r) => r.document.code === code);
  if (!found) throw new Error(`no shipped rule-set ${code}`);
  return found.document;
};
/** The rule-set as an administrator would activate it: the open minimum of sheets set. */
const withMinimum = (rs: RuleSet, value = 3): RuleSet => ({
  ...rs,
  minimumSheets: { value, source: 'open' },
});
const errorsOnly = (problems: { code: string; path: string; vi: string; en: string; severity: string }[]) =>
  problems.filter((p) => p.severity === 'error').map(({ code, path, vi, en }) => ({ code, path, vi, en }));

describe('shipped data', () => {
  it('ships the four rule-set versions, all as drafts', () => {
    expect(shipped.ruleSets.map((r) => r.document.code)).toEqual([
      '1048-2019',
      '148-2023',
      '148-1489-2025',
      '26-2026',
    ]);
    for (const r of shipped.ruleSets) expect(r.document.status).toBe('draft');
  });

  it('validates each rule-set to exactly the errors on record: only the unset minimum of sheets', () => {
    for (const entry of shipped.ruleSets) {
      expect(errorsOnly(validateRuleSet(entry.document)), entry.file).toEqual(entry.knownErrors);
      expect(entry.knownErrors.map((e) => e.code)).toEqual(['parameter.unset']);
      expect(validateRuleSet(withMinimum(entry.document)).filter((p) => p.severity === 'error')).toEqual([]);
    }
  });

  it('validates each sheet to exactly the errors on record', () => {
    for (const entry of shipped.sheets) {
      const problems = validateSheet(entry.document, ruleSet(entry.document.ruleSet));
      expect(errorsOnly(problems), entry.file).toEqual(entry.knownErrors);
    }
  });

  it('reports the real 1048 sheet: part A sums to 36 against a declared 35, and nothing else', () => {
    const entry = shipped.sheets.find((s) => s.document.code === '1048-2019.rau-cu-qua-hat-tuoi')!;
    const sheet = entry.document;
    expect(sheet.demo).toBe(false);
    expect(partMaxima(sheet)).toEqual({ A: 36, B: 25, C: 40 });
    expect(validateSheet(sheet, ruleSet('1048-2019'))).toEqual([
      {
        code: 'part.maxMismatch',
        severity: 'error',
        path: 'parts.0.maxPoints',
        ref: 'A',
        vi: 'Phần A: tổng điểm tối đa các lựa chọn là 36, khai báo 35.',
        en: 'Part A: the best options sum to 36; 35 is declared.',
      },
    ]);
    expect(leafCriteria(sheet)).toHaveLength(32);
    // The engine refuses to score on it until the transcription is corrected.
    const answers = Object.fromEntries(
      leafCriteria(sheet).map((v) => [v.criterion.code, v.criterion.options![0]!.code]),
    );
    expect(() =>
      evaluateDossier({
        ruleSet: withMinimum(ruleSet('1048-2019'), 1),
        sheet,
        memberSheets: [{ memberId: 'm1', answers }],
      }),
    ).toThrow(/not valid/);
  });

  it('labels demo sheets as such and presents no official sheet for 148, 1489 or 26/2026', () => {
    for (const { document } of shipped.sheets) {
      expect(document.title.vi.includes(DEMO_SHEET_LABEL), document.code).toBe(document.demo);
      if (document.ruleSet !== '1048-2019') expect(document.demo, document.code).toBe(true);
    }
  });
});

describe('each rule-set version carries its period’s law', () => {
  const maxima = (rs: RuleSet) => Object.fromEntries(rs.parts.map((p) => [p.code, p.maxPoints]));

  it('has the part maxima of its decision', () => {
    expect(maxima(ruleSet('1048-2019'))).toEqual({ A: 35, B: 25, C: 40 });
    expect(maxima(ruleSet('148-2023'))).toEqual({ A: 40, B: 25, C: 35 });
    expect(maxima(ruleSet('148-1489-2025'))).toEqual({ A: 40, B: 25, C: 35 });
    expect(maxima(ruleSet('26-2026'))).toEqual({ A: 40, B: 25, C: 35 });
    expect(ruleSet('26-2026').parts.every((p) => p.source === 'press')).toBe(true);
  });

  it('has the same star bands, 36-month certificates and 3★ recognition everywhere', () => {
    for (const { document: rs } of shipped.ruleSets) {
      expect(rs.starBands.map((b) => [b.star, b.min, b.max])).toEqual([
        [1, 0, 30],
        [2, 30, 50],
        [3, 50, 70],
        [4, 70, 90],
        [5, 90, 100],
      ]);
      expect([69.99, 70].map((s) => starFromScore(s, rs.starBands))).toEqual([3, 4]);
      expect(rs.certificateValidityMonths).toEqual({ value: 36, source: 'law' });
      expect(rs.recognisedFromStar).toBe(3);
      expect(rs.rounding).toEqual({ decimals: 2, mode: 'truncate', source: 'open' });
      expect(rs.minimumSheets).toEqual({ value: null, source: 'open' });
    }
  });

  const recognisable = (score: number, finalStar: 3 | 4 | 5) => ({
    score,
    finalStar,
    outcome: 'recognisable' as const,
  });

  it('1048: the district scores and forwards from 50; the province certifies 3★ and 4★; the ministry 5★', () => {
    const rs = ruleSet('1048-2019');
    expect(levelDecision(rs, 'district', recognisable(55, 3))).toEqual({
      certifies: null,
      forwardsTo: 'province',
    });
    expect(levelDecision(rs, 'province', recognisable(75, 4))).toEqual({ certifies: 4, forwardsTo: null });
    expect(levelDecision(rs, 'province', recognisable(91, 5))).toEqual({
      certifies: null,
      forwardsTo: 'central',
    });
    expect(levelDecision(rs, 'central', recognisable(91, 5))).toEqual({ certifies: 5, forwardsTo: null });
  });

  it('148: the district certifies 3★ and forwards from 70; the province certifies 4★ and forwards from 90', () => {
    const rs = ruleSet('148-2023');
    expect(levelDecision(rs, 'district', recognisable(69.99, 3))).toEqual({ certifies: 3, forwardsTo: null });
    expect(levelDecision(rs, 'district', recognisable(70, 4))).toEqual({
      certifies: null,
      forwardsTo: 'province',
    });
    expect(levelDecision(rs, 'province', recognisable(89.99, 4))).toEqual({ certifies: 4, forwardsTo: null });
    expect(levelDecision(rs, 'province', recognisable(90, 5))).toEqual({
      certifies: null,
      forwardsTo: 'central',
    });
  });

  it('1489 and 26/2026: no district; the commune pre-checks; the province certifies 3★ and 4★', () => {
    for (const code of ['148-1489-2025', '26-2026']) {
      const rs = ruleSet(code);
      expect(rs.levels.map((l) => [l.level, l.role])).toEqual([
        ['commune', 'precheck'],
        ['province', 'score'],
        ['central', 'score'],
      ]);
      expect(rs.levels[0]!.precheckCriteria).toEqual({ codes: [], source: 'open' });
      expect(levelDecision(rs, 'province', recognisable(55, 3))).toEqual({ certifies: 3, forwardsTo: null });
      expect(levelDecision(rs, 'province', recognisable(90, 5))).toEqual({
        certifies: null,
        forwardsTo: 'central',
      });
      expect(() => levelDecision(rs, 'district', recognisable(55, 3))).toThrow();
      expect(rs.levels[2]!.authority.vi).toBe('Bộ Nông nghiệp và Môi trường');
    }
    expect(ruleSet('26-2026').levels[1]!.rounds).toEqual({
      perYear: 2,
      deadlines: ['06-30', '12-30'],
      source: 'press',
    });
  });

  it('asks no product samples and requires a field visit for tourism', () => {
    const rs = ruleSet('26-2026');
    expect(checklistFor(rs, '26').map((i) => i.code)).not.toContain('mau-san-pham');
    expect(checklistFor(rs, '1').map((i) => i.code)).toContain('mau-san-pham');
    expect(fieldVisitRequired(rs, '26')).toBe(true);
    const old = ruleSet('1048-2019');
    expect(checklistFor(old, 'dich-vu-du-lich-nong-thon').map((i) => i.code)).not.toContain('mau-san-pham');
    for (const { document } of shipped.ruleSets) {
      expect(document.checklist.filter((i) => i.required).map((i) => i.code)).toEqual([
        'mau-01',
        'mau-02',
        'dang-ky-kinh-doanh',
        'mau-san-pham',
      ]);
    }
  });
});

describe('the demo sheet walks through the engine', () => {
  const entry = shipped.sheets.find((s) => s.document.demo)!;
  const sheet: Sheet = entry.document;
  const rs = withMinimum(ruleSet('26-2026'));
  const best = Object.fromEntries(
    leafCriteria(sheet).map((v) => {
      const options = v.criterion.options!;
      return [v.criterion.code, options[options.length - 1]!.code];
    }),
  );

  it('scores 100 with every best option, and is capped or disqualified as its marks say', () => {
    const top = evaluateDossier({
      ruleSet: rs,
      sheet,
      memberSheets: ['m1', 'm2', 'm3'].map((memberId) => ({ memberId, answers: best })),
    });
    expect(top).toMatchObject({ score: 100, finalStar: 5, outcome: 'recognisable' });
    const noSafetyTest = { ...best, 'C2.1': 'C2.1.a' };
    const capped = evaluateDossier({
      ruleSet: rs,
      sheet,
      memberSheets: ['m1', 'm2', 'm3'].map((memberId) => ({ memberId, answers: noSafetyTest })),
    });
    expect(capped).toMatchObject({
      score: 93,
      scoreStar: 5,
      requirementCap: 2,
      outcome: 'below-recognition',
    });
    const disqualified = evaluateDossier({
      ruleSet: rs,
      sheet,
      memberSheets: ['m1', 'm2', 'm3'].map((memberId) => ({ memberId, answers: best })),
      disqualifiers: ['DQ1'],
    });
    expect(disqualified.outcome).toBe('disqualified');
  });
});
