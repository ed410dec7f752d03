import type {
  Answers,
  Level,
  RequirementJudgement,
  RequirementStar,
  Rounding,
  RuleSet,
  Sheet,
  SheetOption,
  Star,
  StarBand,
} from './documents';
import {
  allCriteria,
  CriteriaRuleError,
  type CriterionVisit,
  fromCents,
  integerDivide,
  isLeaf,
  leafCriteria,
  type Problem,
  toCents,
} from './tree';
import { validateSheet } from './validate';

/**
 * The scoring engine, pure: a member sheet's totals, the council's mean and its rounding, the
 * star by band, requirement caps, disqualifiers, quorum, outlier flags and per-criterion spread;
 * then what a recognition level does with the result. The validators are in validate.ts.
 */

const REQUIREMENT_STARS: readonly RequirementStar[] = [3, 4, 5];

/** The star of a score: the band whose lower bound it reaches; the top band includes its upper bound. */
export function starFromScore(score: number, bands: readonly StarBand[]): Star {
  const ordered = [...bands].sort((a, b) => a.min - b.min);
  for (const band of ordered) {
    if (score >= band.min && score < band.max) return band.star;
  }
  const top = ordered[ordered.length - 1];
  if (top && score === top.max) return top.star;
  throw new RangeError(`Score ${score} is outside the star bands`);
}

// ---------------------------------------------------------------- answers and totals

type LeafIndex = Map<string, { visit: CriterionVisit; options: Map<string, SheetOption> }>;

type SheetIndex = {
  leaves: LeafIndex;
  parents: Set<string>;
  /** Leaf criteria in sheet order. */
  leafList: CriterionVisit[];
  requirements: Requirement[];
};

// Sheets are immutable once parsed, and a cycle scores thousands of member sheets against a few:
// index each sheet object once.
const sheetIndexes = new WeakMap<Sheet, SheetIndex>();

function indexLeaves(sheet: Sheet): SheetIndex {
  const cached = sheetIndexes.get(sheet);
  if (cached) return cached;
  const index = buildIndex(sheet);
  sheetIndexes.set(sheet, index);
  return index;
}

function buildIndex(sheet: Sheet): SheetIndex {
  const leaves: LeafIndex = new Map();
  const parents = new Set<string>();
  const leafList: CriterionVisit[] = [];
  for (const visit of allCriteria(sheet)) {
    if (isLeaf(visit.criterion)) {
      const options = new Map((visit.criterion.options ?? []).map((o) => [o.code, o]));
      leaves.set(visit.criterion.code, { visit, options });
      leafList.push(visit);
    } else {
      parents.add(visit.criterion.code);
    }
  }
  return { leaves, parents, leafList, requirements: requirementsOf(sheet) };
}

export type AnswerCheckOptions = {
  /** While a member is still filling the sheet (autosave, running totals), unanswered criteria are fine. */
  allowMissing?: boolean;
  /** Prefix of problem paths, e.g. "memberSheets.2.answers". */
  path?: string;
};

/** Problems with one member's answers: unknown criteria or options, answers on a parent criterion, missing answers. */
export function checkAnswers(answers: Answers, sheet: Sheet, options: AnswerCheckOptions = {}): Problem[] {
  const base = options.path ?? 'answers';
  const { leaves, parents } = indexLeaves(sheet);
  const problems: Problem[] = [];
  for (const [criterionCode, optionCode] of Object.entries(answers)) {
    const path = `${base}.${criterionCode}`;
    const leaf = leaves.get(criterionCode);
    if (!leaf) {
      problems.push(
        parents.has(criterionCode)
          ? {
              code: 'answer.notLeaf',
              severity: 'error',
              path,
              vi: `Tiêu chí "${criterionCode}" có tiêu chí con; hãy chấm các tiêu chí con.`,
              en: `Criterion "${criterionCode}" has sub-criteria; answer those instead.`,
            }
          : {
              code: 'answer.unknownCriterion',
              severity: 'error',
              path,
              vi: `Phiếu không có tiêu chí "${criterionCode}".`,
              en: `The sheet has no criterion "${criterionCode}".`,
            },
      );
      continue;
    }
    if (!leaf.options.has(optionCode)) {
      problems.push({
        code: 'answer.unknownOption',
        severity: 'error',
        path,
        ref: leaf.visit.ref,
        vi: `Tiêu chí "${leaf.visit.criterion.name.vi}" không có lựa chọn "${optionCode}".`,
        en: `Criterion "${leaf.visit.criterion.name.vi}" has no option "${optionCode}".`,
      });
    }
  }
  if (!options.allowMissing) {
    for (const [code, leaf] of leaves) {
      if (!(code in answers)) {
        problems.push({
          code: 'answer.missing',
          severity: 'error',
          path: `${base}.${code}`,
          ref: leaf.visit.ref,
          vi: `Chưa chấm tiêu chí "${leaf.visit.criterion.name.vi}".`,
          en: `Criterion "${leaf.visit.criterion.name.vi}" is not answered.`,
        });
      }
    }
  }
  return problems;
}

function pointsCentsByCriterion(
  answers: Answers,
  sheet: Sheet,
): Map<string, { partCode: string; cents: number }> {
  const { leaves } = indexLeaves(sheet);
  const result = new Map<string, { partCode: string; cents: number }>();
  for (const [code, optionCode] of Object.entries(answers)) {
    const leaf = leaves.get(code);
    const option = leaf?.options.get(optionCode);
    if (leaf && option) result.set(code, { partCode: leaf.visit.partCode, cents: toCents(option.points) });
  }
  return result;
}

/** The points of each part for these answers; refuses bad answers (missing ones only with `allowMissing`). */
export function partTotals(
  answers: Answers,
  sheet: Sheet,
  options: AnswerCheckOptions = {},
): Record<string, number> {
  const problems = checkAnswers(answers, sheet, options);
  if (problems.length) throw new CriteriaRuleError(problems);
  const cents: Record<string, number> = Object.fromEntries(sheet.parts.map((p) => [p.code, 0]));
  for (const { partCode, cents: c } of pointsCentsByCriterion(answers, sheet).values()) {
    cents[partCode] = (cents[partCode] ?? 0) + c;
  }
  return Object.fromEntries(Object.entries(cents).map(([code, c]) => [code, fromCents(c)]));
}

export type SheetTotal = { total: number; parts: Record<string, number> };

/** A complete member sheet's total and part totals; every leaf criterion must be answered. */
export function totalOfSheet(answers: Answers, sheet: Sheet): SheetTotal {
  const parts = partTotals(answers, sheet);
  const total = fromCents(Object.values(parts).reduce((sum, p) => sum + toCents(p), 0));
  return { total, parts };
}

// ---------------------------------------------------------------- mean and rounding

/**
 * The council's score: the mean of the members' totals, rounded as the rule-set says.
 * `truncate` keeps `decimals` digits and drops the rest, so a mean never rises into a higher band
 * (69.999 → 69.99); `half-up` rounds halves away from zero (69.995 → 70.00 with two decimals).
 * Exact: totals carry at most two decimals and the division is done on integers.
 */
export function meanScore(totals: readonly number[], rounding: Pick<Rounding, 'decimals' | 'mode'>): number {
  if (totals.length === 0) throw new RangeError('The mean of no sheets is undefined');
  const sumCents = totals.reduce((sum, t) => sum + toCents(t), 0);
  const scale = 10 ** rounding.decimals;
  const numerator = sumCents * scale;
  const denominator = 100 * totals.length;
  const scaled =
    rounding.mode === 'truncate'
      ? integerDivide(numerator, denominator)
      : integerDivide(2 * numerator + denominator, 2 * denominator);
  return scaled / scale;
}

/** The mean without rounding, for distances and display of spread. */
export function exactMean(totals: readonly number[]): number {
  if (totals.length === 0) throw new RangeError('The mean of no sheets is undefined');
  return fromCents(totals.reduce((sum, t) => sum + toCents(t), 0)) / totals.length;
}

/** Members whose total is further than `distance` points from the mean (strictly), for the council to discuss. */
export function outlierFlags(totals: readonly number[], distance: number): boolean[] {
  if (totals.length === 0) return [];
  const n = totals.length;
  const sumCents = totals.reduce((sum, t) => sum + toCents(t), 0);
  // |total − sum/n| > d  ⇔  |total·n − sum| > d·n, all in integers.
  return totals.map((t) => Math.abs(toCents(t) * n - sumCents) > toCents(distance) * n);
}

// ---------------------------------------------------------------- requirements

/** For this star and above, the chosen option on `criterionCode` must be worth at least `minPoints`. */
export type Requirement = { criterionCode: string; star: RequirementStar; minPoints: number; ref: string };

/**
 * The star requirements of a sheet. On an option, `requiredForStar: S` means "this option or one
 * worth at least as many points" for S★ and above (options are ordered by points in every sheet
 * seen); on a criterion it means "met" — an option worth more than 0 points. When several marks
 * apply to a star, the strictest (highest minimum) wins.
 */
export function requirementsOf(sheet: Sheet): Requirement[] {
  const byKey = new Map<string, Requirement>();
  const put = (visit: CriterionVisit, star: RequirementStar, minPoints: number) => {
    const key = `${visit.criterion.code}|${star}`;
    const existing = byKey.get(key);
    if (!existing || existing.minPoints < minPoints) {
      byKey.set(key, { criterionCode: visit.criterion.code, star, minPoints, ref: visit.ref });
    }
  };
  for (const visit of leafCriteria(sheet)) {
    const options = visit.criterion.options ?? [];
    if (visit.criterion.requiredForStar !== undefined) {
      const positive = options.filter((o) => o.points > 0).map((o) => o.points);
      if (positive.length) put(visit, visit.criterion.requiredForStar, Math.min(...positive));
    }
    for (const option of options) {
      if (option.requiredForStar !== undefined) put(visit, option.requiredForStar, option.points);
    }
  }
  return [...byKey.values()];
}

export type RequirementVerdict = Requirement & {
  met: boolean;
  /** Members whose chosen option meets the requirement. */
  metCount: number;
  sheetCount: number;
  meanPoints: number;
};

/**
 * Judges one requirement across the members' sheets. The regulation does not say how
 * ([open], a rule-set parameter): `majority` — more than half of the sheets meet it (a tie is not
 * met); `all` — every sheet meets it; `mean` — the mean of the members' points on the criterion
 * reaches the minimum, the same averaging that gives the score.
 */
export function judgeRequirement(
  requirement: Requirement,
  pointsPerSheet: readonly number[],
  judgement: RequirementJudgement,
): RequirementVerdict {
  const sheetCount = pointsPerSheet.length;
  const minCents = toCents(requirement.minPoints);
  const metCount = pointsPerSheet.filter((p) => toCents(p) >= minCents).length;
  const sumCents = pointsPerSheet.reduce((sum, p) => sum + toCents(p), 0);
  const meanPoints = sheetCount ? fromCents(sumCents) / sheetCount : 0;
  let met: boolean;
  switch (judgement) {
    case 'all':
      met = sheetCount > 0 && metCount === sheetCount;
      break;
    case 'majority':
      met = metCount * 2 > sheetCount;
      break;
    case 'mean':
      met = sheetCount > 0 && sumCents >= minCents * sheetCount;
      break;
  }
  return { ...requirement, met, metCount, sheetCount, meanPoints };
}

/**
 * The highest star whose requirements (every requirement for that star or a lower one) are all
 * met. Stars 1 and 2 carry no requirement, so the cap is at least 2: failing a 3★ requirement
 * means "not recognised", as when 148 revoked products failing the 3★ mandatory criteria.
 */
export function requirementCap(verdicts: readonly Pick<RequirementVerdict, 'star' | 'met'>[]): Star {
  let cap: Star = 2;
  for (const s of REQUIREMENT_STARS) {
    if (verdicts.some((v) => v.star <= s && !v.met)) break;
    cap = s;
  }
  return cap;
}

// ---------------------------------------------------------------- one dossier's result

export type MemberSheet = { memberId: string; answers: Answers };

export type EvaluationInput = {
  ruleSet: RuleSet;
  sheet: Sheet;
  /** The submitted sheets of members allowed to score this dossier (conflicted members excluded). */
  memberSheets: readonly MemberSheet[];
  /** Codes of the sheet's disqualifying conditions the council found to apply. */
  disqualifiers?: readonly string[];
};

export type Outcome = 'invalid' | 'disqualified' | 'below-recognition' | 'recognisable';

export type CriterionSpread = {
  criterionCode: string;
  partCode: string;
  min: number;
  max: number;
  mean: number;
};

export type EvaluationResult = {
  /** `invalid` when fewer sheets than the rule-set's minimum were submitted. */
  valid: boolean;
  sheetCount: number;
  minimumSheets: number;
  members: { memberId: string; total: number; parts: Record<string, number>; outlier: boolean }[];
  /** The unrounded mean; null without sheets. */
  exactMean: number | null;
  /** The mean rounded as the rule-set says: the score of the dossier. */
  score: number | null;
  scoreStar: Star | null;
  requirements: RequirementVerdict[];
  requirementCap: Star;
  disqualifiers: string[];
  /** min(score star, requirement cap); null when invalid or disqualified. */
  finalStar: Star | null;
  outcome: Outcome;
  partMeans: Record<string, number>;
  spread: CriterionSpread[];
};

const round2 = (n: number) => Math.round(n * 100) / 100;

const sheetValidations = new WeakMap<Sheet, WeakMap<RuleSet, Problem[]>>();

/** A sheet's validation errors against a rule-set, computed once per pair of parsed documents. */
function validatedSheetErrors(sheet: Sheet, ruleSet: RuleSet): Problem[] {
  let byRuleSet = sheetValidations.get(sheet);
  if (!byRuleSet) {
    byRuleSet = new WeakMap();
    sheetValidations.set(sheet, byRuleSet);
  }
  let errors = byRuleSet.get(ruleSet);
  if (!errors) {
    errors = validateSheet(sheet, ruleSet).filter((p) => p.severity === 'error');
    byRuleSet.set(ruleSet, errors);
  }
  return errors;
}

/**
 * The result of one dossier from its members' sheets: mean → rounded score → star by band,
 * capped by unmet requirements; "not recognised" on a disqualifier; invalid below the minimum
 * number of sheets. Outliers and per-criterion spread are computed whatever the outcome, for the
 * council's discussion. Refuses (CriteriaRuleError) a sheet that does not validate against the
 * rule-set, bad answers, unknown disqualifiers, or a rule-set whose minimum number of sheets is not set.
 */
export function evaluateDossier(input: EvaluationInput): EvaluationResult {
  const { ruleSet, sheet, memberSheets } = input;
  const problems: Problem[] = [];
  const minimumSheets = ruleSet.minimumSheets.value;
  if (minimumSheets === null) {
    problems.push({
      code: 'parameter.unset',
      severity: 'error',
      path: 'ruleSet.minimumSheets.value',
      vi: 'Bộ tiêu chí chưa đặt số phiếu chấm tối thiểu; không thể tính kết quả.',
      en: 'The rule-set has no minimum number of member sheets; no result can be computed.',
    });
  }
  const sheetErrors = validatedSheetErrors(sheet, ruleSet);
  if (sheetErrors.length) {
    problems.push({
      code: 'sheet.invalid',
      severity: 'error',
      path: 'sheet',
      vi: `Phiếu chấm "${sheet.code}" chưa hợp lệ (${sheetErrors.length} lỗi); không thể tính kết quả.`,
      en: `Scoring sheet "${sheet.code}" is not valid (${sheetErrors.length} errors); no result can be computed.`,
    });
  }
  const seenMembers = new Set<string>();
  for (const [index, member] of memberSheets.entries()) {
    if (seenMembers.has(member.memberId)) {
      problems.push({
        code: 'member.duplicate',
        severity: 'error',
        path: `memberSheets.${index}.memberId`,
        vi: 'Một thành viên chỉ có một phiếu chấm.',
        en: 'A member has one sheet only.',
      });
    }
    seenMembers.add(member.memberId);
    problems.push(...checkAnswers(member.answers, sheet, { path: `memberSheets.${index}.answers` }));
  }
  const knownDisqualifiers = new Set(sheet.disqualifiers.map((d) => d.code));
  const disqualifiers = [...new Set(input.disqualifiers ?? [])];
  for (const code of disqualifiers) {
    if (!knownDisqualifiers.has(code)) {
      problems.push({
        code: 'disqualifier.unknown',
        severity: 'error',
        path: `disqualifiers.${code}`,
        vi: `Phiếu không có điều kiện loại "${code}".`,
        en: `The sheet has no disqualifying condition "${code}".`,
      });
    }
  }
  if (problems.length) throw new CriteriaRuleError(problems);

  // Answers are checked above, so each member is scored in one pass over their answers.
  const { leaves, leafList, requirements: sheetRequirements } = indexLeaves(sheet);
  const scored = memberSheets.map((m) => {
    const byCode = new Map<string, number>();
    const partCents: Record<string, number> = Object.fromEntries(sheet.parts.map((p) => [p.code, 0]));
    let totalCents = 0;
    for (const [code, optionCode] of Object.entries(m.answers)) {
      const leaf = leaves.get(code)!;
      const cents = toCents(leaf.options.get(optionCode)!.points);
      byCode.set(code, cents);
      partCents[leaf.visit.partCode] = (partCents[leaf.visit.partCode] ?? 0) + cents;
      totalCents += cents;
    }
    const parts = Object.fromEntries(Object.entries(partCents).map(([code, c]) => [code, fromCents(c)]));
    return { byCode, total: fromCents(totalCents), parts };
  });
  const totals = scored.map((m) => m.total);
  const flags = outlierFlags(totals, ruleSet.outlierDistance.value);
  const members = memberSheets.map((m, i) => ({
    memberId: m.memberId,
    total: scored[i]!.total,
    parts: scored[i]!.parts,
    outlier: flags[i]!,
  }));
  const sheetCount = memberSheets.length;
  const hasSheets = sheetCount > 0;
  const exact = hasSheets ? exactMean(totals) : null;
  const score = hasSheets ? meanScore(totals, ruleSet.rounding) : null;
  const scoreStar = score === null ? null : starFromScore(score, ruleSet.starBands);

  const pointsOn = (code: string) => scored.map((m) => fromCents(m.byCode.get(code) ?? 0));
  const requirements = sheetRequirements.map((r) =>
    judgeRequirement(r, pointsOn(r.criterionCode), ruleSet.requirementJudgement.mode),
  );
  const cap = requirementCap(requirements);

  const valid = sheetCount >= minimumSheets!;
  let finalStar: Star | null = null;
  let outcome: Outcome;
  if (!valid || scoreStar === null) {
    outcome = 'invalid';
  } else if (disqualifiers.length) {
    outcome = 'disqualified';
  } else {
    finalStar = Math.min(scoreStar, cap) as Star;
    outcome = finalStar >= ruleSet.recognisedFromStar ? 'recognisable' : 'below-recognition';
  }

  const partMeans: Record<string, number> = {};
  for (const part of sheet.parts) {
    partMeans[part.code] = hasSheets ? round2(exactMean(members.map((m) => m.parts[part.code] ?? 0))) : 0;
  }
  const spread: CriterionSpread[] = hasSheets
    ? leafList.map((visit) => {
        const values = pointsOn(visit.criterion.code);
        return {
          criterionCode: visit.criterion.code,
          partCode: visit.partCode,
          min: Math.min(...values),
          max: Math.max(...values),
          mean: round2(exactMean(values)),
        };
      })
    : [];

  return {
    valid,
    sheetCount,
    minimumSheets: minimumSheets!,
    members,
    exactMean: exact,
    score,
    scoreStar,
    requirements,
    requirementCap: cap,
    disqualifiers,
    finalStar,
    outcome,
    partMeans,
    spread,
  };
}

// ---------------------------------------------------------------- recognition levels and checklist

export type LevelDecision = { certifies: Star | null; forwardsTo: Level | null };

/**
 * What a scoring level does with a result: it certifies the final star when that star is its own;
 * it forwards the dossier to the next scoring level when the score reaches its threshold and a
 * higher level certifies the final star (so a 92-point product capped at 4★ by a requirement stays at the province). The
 * threshold comes from the regulation; combining it with the cap is our reading, noted in the report.
 */
export function levelDecision(
  ruleSet: RuleSet,
  level: Level,
  result: Pick<EvaluationResult, 'outcome' | 'finalStar' | 'score'>,
): LevelDecision {
  const index = ruleSet.levels.findIndex((l) => l.level === level);
  const here = ruleSet.levels[index];
  if (here?.role !== 'score') {
    throw new CriteriaRuleError([
      {
        code: 'level.notScoring',
        severity: 'error',
        path: 'level',
        vi: `Bộ tiêu chí không có cấp chấm điểm "${level}".`,
        en: `The rule-set has no scoring level "${level}".`,
      },
    ]);
  }
  if (result.outcome !== 'recognisable' || result.finalStar === null || result.score === null) {
    return { certifies: null, forwardsTo: null };
  }
  const star = result.finalStar;
  if (here.certifiesStars.includes(star as RequirementStar)) return { certifies: star, forwardsTo: null };
  const higherScoring = ruleSet.levels.slice(index + 1).filter((l) => l.role === 'score');
  const certifiedAbove = higherScoring.some((l) => l.certifiesStars.includes(star as RequirementStar));
  // The dossier goes to the next level, which scores it again; it never skips one.
  const next = higherScoring[0];
  if (next && certifiedAbove && here.forwardFromScore !== null && result.score >= here.forwardFromScore) {
    return { certifies: null, forwardsTo: next.level };
  }
  return { certifies: null, forwardsTo: null };
}

/** The dossier documents a product of this product set needs under the rule-set. */
export function checklistFor(ruleSet: RuleSet, productSetCode: string) {
  return ruleSet.checklist.filter(
    (item) =>
      (item.onlyProductSets.length === 0 || item.onlyProductSets.includes(productSetCode)) &&
      !item.exceptProductSets.includes(productSetCode),
  );
}

/** Whether the advisory group's field visit is mandatory for this product set (tourism [law]). */
export function fieldVisitRequired(ruleSet: RuleSet, productSetCode: string): boolean {
  return ruleSet.fieldVisitRequiredFor.productSets.includes(productSetCode);
}
