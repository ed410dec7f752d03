import { describe, expect, it } from 'vitest';
import { assessSelf } from '../../../modules/evaluation/rules';
import { criteriaInFields, sheetOutlook } from './sheetModel';
import { bestAnswers, demoLeaves, demoRuleSet, demoSheet } from './testSheet';

describe('sheetOutlook', () => {
  it('gives running part totals and the missing criteria while incomplete', () => {
    const outlook = sheetOutlook(demoSheet, { 'A1.1': 'A1.1.d', 'C1.2': 'C1.2.c' }, demoRuleSet);
    expect(outlook.parts).toEqual({ A: 5, B: 0, C: 6 });
    expect(outlook.total).toBe(11);
    expect(outlook.maxTotal).toBe(100);
    expect(outlook.answered).toBe(2);
    expect(outlook.criteria).toBe(demoLeaves.length);
    expect(outlook.missing.map((m) => m.code)).not.toContain('A1.1');
    expect(outlook.missing).toHaveLength(demoLeaves.length - 2);
    expect(outlook.star).toBeNull();
    expect(outlook.runningStar).toBe(1);
  });

  it('gives the star the server computes for a complete sheet, capped by requirements', () => {
    const best = bestAnswers();
    const full = sheetOutlook(demoSheet, best, demoRuleSet);
    expect(full.total).toBe(100);
    expect(full.star).toBe(5);
    expect(full.star).toBe(assessSelf(best, demoSheet, demoRuleSet).star);
    // A1.3 is required (met by any option above 0) for 4★ and above.
    const capped = { ...best, 'A1.3': 'A1.3.a' };
    const outlook = sheetOutlook(demoSheet, capped, demoRuleSet);
    expect(outlook.total).toBe(95);
    expect(outlook.star).toBe(3);
    expect(outlook.star).toBe(assessSelf(capped, demoSheet, demoRuleSet).star);
    expect(outlook.unmet).toEqual([{ criterionCode: 'A1.3', star: 4, minPoints: 2 }]);
  });

  it('ignores answers the sheet does not have instead of throwing, and needs the rule-set for a star', () => {
    const outlook = sheetOutlook(demoSheet, { Z9: 'Z9.a', 'A1.1': 'nope', 'A1.2': 'A1.2.b' });
    expect(outlook.total).toBe(2);
    expect(outlook.answered).toBe(1);
    expect(outlook.star).toBeNull();
    expect(outlook.runningStar).toBeNull();
  });
});

describe('criteriaInFields', () => {
  it('maps API field paths to criterion codes', () => {
    expect(criteriaInFields({ 'answers.A1.1': 'x', 'comments.criteria.B2.1': 'y', reason: 'z' })).toEqual({
      'A1.1': 'x',
      'B2.1': 'y',
    });
  });
});
