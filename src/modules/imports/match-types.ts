/**
 * How the import read each value it transforms (class → product set, star text → number, date
 * text → date, address → commune), so nothing is changed silently. Kept apart from the matching
 * (matching.ts) so the tables and the HTTP shapes can name these types without loading the taxonomy.
 *
 * - `exact`: the cell says it in the official form (a set's number or name, "3", "3 sao", a date).
 * - `synonym`: a known other name (a sector of an earlier rule-set, "★★★", a tone-mark variant).
 * - `context`: narrowed by other evidence (words of the product's name).
 * - `none`: not read at all.
 * Anything that is not exact and unique needs a person's decision among its candidates, made once
 * per distinct value (`key`): every row with the same key gets the same decision.
 */
export const MATCH_KINDS = ['exact', 'synonym', 'context', 'none'] as const;
export type MatchKind = (typeof MATCH_KINDS)[number];
export const MATCH_FIELDS = ['category', 'star', 'decisionDate', 'commune'] as const;
export type MatchField = (typeof MATCH_FIELDS)[number];

export type MatchDecision = { value: string; userId: string; at: string; remembered: boolean };

export type Match = {
  kind: MatchKind;
  /** The cell as written. */
  written: string;
  /** What it was read as, when read: "2026:13" (scheme:code), "4", "2024-03-01", a commune code. */
  value: string | null;
  /** What a person may choose among; one entry when the reading is unique. */
  candidates: string[];
  /** Words of other columns that narrowed the candidates ("cà phê" in the product's name). */
  evidence: string[];
  /** Rows with the same key are the same question: decided once for all of them. */
  key: string;
  /** false for what no decision can settle (a year-only date stays "date unknown"). */
  decidable: boolean;
  /** What else a person should know: 'toneVariant', 'typeMismatch', 'yearOnly', 'oldSector'. */
  notes: string[];
  decision: MatchDecision | null;
  /** Names of candidate values the report cannot derive itself (communes): value → name. */
  labels?: Record<string, string>;
};

export type Matches = Partial<Record<MatchField, Match>>;
