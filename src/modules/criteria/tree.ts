import type { Criterion, Sheet } from './documents';

/**
 * The shared vocabulary of the criteria rules: problems (what validators and answer checks
 * report), exact point arithmetic, and walking a sheet's tree. Points are handled in hundredths
 * (integers) so sums and means are exact: a mean of 69.995 must never become 70 by floating-point
 * accident.
 */

/** The scale of every rule-set so far: parts sum to 100 and the top band ends at 100 [law]. */
export const MAX_SCORE = 100;
/** Deeper than part → group → criterion → 5 levels of sub-criteria is a data error, not a real sheet. */
export const MAX_CRITERION_DEPTH = 6;

export type Severity = 'error' | 'warning';

/** One finding of a validator or of the answer checks. `path` points into the JSON document. */
export type Problem = {
  code: string;
  severity: Severity;
  path: string;
  /** The stable codes leading to the item, e.g. "A › A1 › A1.3", when it has any. */
  ref?: string;
  vi: string;
  en: string;
};

/** Raised by the scoring engine for answers or parameters it cannot score; carries every problem found. */
export class CriteriaRuleError extends Error {
  constructor(readonly problems: Problem[]) {
    super(problems.map((p) => `${p.path}: ${p.en}`).join('; '));
  }
}

export const hasErrors = (problems: readonly Problem[]) => problems.some((p) => p.severity === 'error');

// ---------------------------------------------------------------- numbers

export const toCents = (points: number) => Math.round(points * 100);
export const fromCents = (cents: number) => cents / 100;
export const hasAtMostTwoDecimals = (points: number) =>
  Math.abs(points * 100 - Math.round(points * 100)) < 1e-6;

/** Numbers in messages: a decimal comma in Vietnamese, a point in English. */
export const viNumber = (n: number) => String(n).replace('.', ',');
export const enNumber = (n: number) => String(n);

export function integerDivide(numerator: number, denominator: number): number {
  return (numerator - (numerator % denominator)) / denominator;
}

// ---------------------------------------------------------------- walking a sheet

export type CriterionVisit = {
  criterion: Criterion;
  partCode: string;
  path: string;
  ref: string;
  depth: number;
};

export function* walkCriteria(
  criteria: readonly Criterion[],
  partCode: string,
  path: string,
  ref: string,
  depth: number,
): Generator<CriterionVisit> {
  for (const [index, criterion] of criteria.entries()) {
    const here = `${path}.${index}`;
    const hereRef = `${ref} › ${criterion.code}`;
    yield { criterion, partCode, path: here, ref: hereRef, depth };
    if (criterion.criteria?.length) {
      yield* walkCriteria(criterion.criteria, partCode, `${here}.criteria`, hereRef, depth + 1);
    }
  }
}

/** Every criterion of the sheet, depth first, with its JSON path. */
export function* allCriteria(sheet: Sheet): Generator<CriterionVisit> {
  for (const [p, part] of sheet.parts.entries()) {
    for (const [g, group] of part.groups.entries()) {
      yield* walkCriteria(
        group.criteria,
        part.code,
        `parts.${p}.groups.${g}.criteria`,
        `${part.code} › ${group.code}`,
        1,
      );
    }
  }
}

export const isLeaf = (criterion: Criterion) => !criterion.criteria?.length;

/** The criteria a member answers: those without sub-criteria. */
export function leafCriteria(sheet: Sheet): CriterionVisit[] {
  return [...allCriteria(sheet)].filter((v) => isLeaf(v.criterion));
}

export function bestCents(criterion: Criterion): number {
  if (!isLeaf(criterion)) return criterion.criteria!.reduce((sum, c) => sum + bestCents(c), 0);
  const options = criterion.options ?? [];
  return options.length ? Math.max(...options.map((o) => toCents(o.points))) : 0;
}

/** The most a criterion can give: its best option, or the sum over its sub-criteria. */
export const bestPoints = (criterion: Criterion) => fromCents(bestCents(criterion));

/** The most each part can give, by summing the best option of every criterion. */
export function partMaxima(sheet: Sheet): Record<string, number> {
  const maxima: Record<string, number> = {};
  for (const part of sheet.parts) {
    const cents = part.groups.reduce(
      (sum, group) => sum + group.criteria.reduce((s, c) => s + bestCents(c), 0),
      0,
    );
    maxima[part.code] = fromCents(cents);
  }
  return maxima;
}
