import type { Answers, Criterion, RuleSet, Sheet, Star } from '../../../modules/criteria/documents';
import { judgeRequirement, partTotals, requirementsOf, starFromScore } from '../../../modules/criteria/rules';
import { fromCents, leafCriteria, partMaxima, toCents } from '../../../modules/criteria/tree';
import { assessSelf } from '../../../modules/evaluation/rules';

/**
 * What a score sheet shows beside its answers: running part totals, the total, how many criteria are
 * answered, which are missing, and the star the answers would give. Everything is computed by the
 * criteria engine (modules/criteria/rules.ts) and the self-assessment rule the server uses
 * (`assessSelf`: one sheet scored as if it were the only member's) — nothing is re-implemented here.
 */

export type LeafInfo = { code: string; name: Criterion['name']; partCode: string };

export type UnmetRequirement = { criterionCode: string; star: number; minPoints: number };

export type SheetOutlook = {
  parts: Record<string, number>;
  /** The most each part can give (best option of every criterion). */
  partMaxima: Record<string, number>;
  total: number;
  maxTotal: number;
  answered: number;
  criteria: number;
  complete: boolean;
  /** Leaf criteria still unanswered, in sheet order. */
  missing: LeafInfo[];
  /**
   * With the rule-set: the star the answers give once every criterion is answered (score band
   * capped by the sheet's requirements), as the server computes a self-assessment; null otherwise.
   */
  star: Star | null;
  /** With the rule-set, while incomplete: the band of the running total, for orientation only. */
  runningStar: Star | null;
  /** Why the star is lower than the score's band: requirements this sheet does not meet. */
  unmet: UnmetRequirement[];
  /** The star outcome label code from the engine ('recognisable', 'below-recognition'…), when complete. */
  outcome: string | null;
};

/** Only answers naming a leaf criterion and one of its options: anything else is ignored, never thrown. */
export function cleanAnswers(answers: Answers, sheet: Sheet): Record<string, string> {
  const clean: Record<string, string> = {};
  for (const visit of leafCriteria(sheet)) {
    const chosen = answers[visit.criterion.code];
    if (chosen && (visit.criterion.options ?? []).some((o) => o.code === chosen)) {
      clean[visit.criterion.code] = chosen;
    }
  }
  return clean;
}

export function leafInfos(sheet: Sheet): LeafInfo[] {
  return leafCriteria(sheet).map((v) => ({
    code: v.criterion.code,
    name: v.criterion.name,
    partCode: v.partCode,
  }));
}

export function sheetOutlook(sheet: Sheet, answers: Answers, ruleSet?: RuleSet | null): SheetOutlook {
  const clean = cleanAnswers(answers, sheet);
  const parts = partTotals(clean, sheet, { allowMissing: true });
  const total = fromCents(Object.values(parts).reduce((sum, p) => sum + toCents(p), 0));
  const maxima = partMaxima(sheet);
  const maxTotal = fromCents(Object.values(maxima).reduce((sum, p) => sum + toCents(p), 0));
  const leaves = leafInfos(sheet);
  const missing = leaves.filter((leaf) => !(leaf.code in clean));
  const complete = missing.length === 0;
  let star: Star | null = null;
  let runningStar: Star | null = null;
  let outcome: string | null = null;
  let unmet: UnmetRequirement[] = [];
  if (ruleSet) {
    try {
      if (complete) {
        const self = assessSelf(clean, sheet, ruleSet);
        star = self.star;
        outcome = self.outcome;
      } else {
        runningStar = starFromScore(total, ruleSet.starBands);
      }
    } catch {
      // A sheet that does not validate against the rule-set gives no star; the totals still stand.
      star = null;
      runningStar = null;
    }
    const byCode = new Map(leafCriteria(sheet).map((v) => [v.criterion.code, v.criterion]));
    const pointsOf = (code: string) => byCode.get(code)?.options?.find((o) => o.code === clean[code])?.points;
    unmet = requirementsOf(sheet)
      .filter((r) => r.criterionCode in clean)
      .map((r) => judgeRequirement(r, [pointsOf(r.criterionCode) ?? 0], ruleSet.requirementJudgement.mode))
      .filter((v) => !v.met)
      .map((v) => ({ criterionCode: v.criterionCode, star: v.star, minPoints: v.minPoints }))
      .sort((a, b) => a.star - b.star);
  }
  return {
    parts,
    partMaxima: maxima,
    total,
    maxTotal,
    answered: leaves.length - missing.length,
    criteria: leaves.length,
    complete,
    missing,
    star,
    runningStar,
    unmet,
    outcome,
  };
}

/** The criterion codes named by an API refusal's fields (`answers.A1.1` → `A1.1`). */
export function criteriaInFields(fields: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [path, message] of Object.entries(fields)) {
    if (path.startsWith('answers.')) out[path.slice('answers.'.length)] = message;
    else if (path.startsWith('comments.criteria.')) out[path.slice('comments.criteria.'.length)] = message;
  }
  return out;
}
