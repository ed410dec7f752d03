/**
 * The shipped demo sheet (26/2026, fresh produce) and its rule-set, parsed as the server stores them,
 * for the tests of the sheet component and the scoring pages. Test-only: pages never import it.
 */
import ruleSetJson from '../../../../data/criteria/rule-sets/26-2026.json';
import sheetJson from '../../../../data/criteria/sheets/26-2026/demo-rau-cu-qua-hat-tuoi.json';
import { type RuleSet, ruleSetSchema, type Sheet, sheetSchema } from '../../../modules/criteria/documents';
import { leafCriteria } from '../../../modules/criteria/tree';

export const demoSheet: Sheet = sheetSchema.parse(sheetJson);
const parsedRuleSet = ruleSetSchema.parse(ruleSetJson);
/** As an administrator activates it: the minimum number of sheets set. */
export const demoRuleSet: RuleSet = {
  ...parsedRuleSet,
  minimumSheets: { ...parsedRuleSet.minimumSheets, value: 3 },
};

export const demoLeaves = leafCriteria(demoSheet).map((v) => v.criterion);

/** Every criterion answered with its best option: 100 points, every requirement met. */
export function bestAnswers(): Record<string, string> {
  return Object.fromEntries(
    demoLeaves.map((c) => {
      const best = [...(c.options ?? [])].sort((a, b) => b.points - a.points)[0]!;
      return [c.code, best.code];
    }),
  );
}
