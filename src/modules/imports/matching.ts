import { foldAccents } from '../../shared/text';
import type { Taxonomy } from '../products/contract';
import type { Match, MatchDecision } from './match-types';
import { type Cell, cellText, fold, parseDate, parseStar } from './rules';
import type { ClassSynonyms } from './synonyms';

/** Reading each transformed value (see match-types.ts). Pure: the synonyms and the taxonomy are passed in. */
export {
  MATCH_FIELDS,
  MATCH_KINDS,
  type Match,
  type MatchDecision,
  type Matches,
  type MatchField,
  type MatchKind,
} from './match-types';

/** Needs a person: decidable, not decided, and not read exactly as one value. */
export function needsDecision(match: Match): boolean {
  if (!match.decidable || match.decision) return false;
  return !(match.kind === 'exact' && match.value !== null && match.candidates.length <= 1);
}

/** The value the import will write: the person's decision, else an exact unique reading. */
export function settledValue(match: Match | undefined): string | null {
  if (!match) return null;
  if (match.decision) return match.decision.value;
  return needsDecision(match) ? null : match.value;
}

/** Applies a decision when it is one of the candidates (any value when there were none to offer). */
export function applyDecision(match: Match, decision: MatchDecision): Match {
  if (match.candidates.length > 0 && !match.candidates.includes(decision.value)) return match;
  return { ...match, decision };
}

// ---------- words ----------

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;

function hasAccents(text: string): boolean {
  return /[\u0300-\u036f]|đ/i.test(text.normalize('NFD'));
}

/**
 * Syllables for comparing words: with accents, each syllable's tone mark moved to its end ("thuỷ"
 * = "thủy", "hoà" = "hòa") so "cá" and "cà" stay apart; without accents anywhere, folded.
 */
export function syllables(text: string, accented = hasAccents(text)): string[] {
  const base = accented ? text.normalize('NFD').toLowerCase() : foldAccents(text);
  return base
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .filter(Boolean)
    .map((s) => s.replace(TONE_MARKS, '') + (s.match(TONE_MARKS) ?? []).sort().join(''));
}

/** Whether `phrase` appears as whole words in `text`, tone marks compared when the text has them. */
export function containsWords(text: string, phrase: string): boolean {
  const accented = hasAccents(text);
  const haystack = syllables(text, accented);
  const needle = syllables(accented ? phrase : foldAccents(phrase), accented);
  if (!needle.length) return false;
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

/** Same words once tone-mark placement and case are set aside, but not the same characters. */
export function isToneVariant(written: string, official: string): boolean {
  const a = written.normalize('NFC').toLowerCase().trim();
  const b = official.normalize('NFC').toLowerCase().trim();
  return a !== b && syllables(a, true).join(' ') === syllables(b, true).join(' ');
}

// ---------- classes ----------

/** What the rule-set of a row's decision is, for its class: 1048 products keep their 1048 sector. */
export type ClassEra = '1048' | 'current' | 'unknown';

/** 1048/QĐ-TTg was replaced on 24/02/2023: a year-only 2023 could be either. */
export function classEraOf(decisionDate: string | null, year: number | null): ClassEra {
  if (decisionDate) return decisionDate < '2023-02-24' ? '1048' : 'current';
  if (year === null) return 'unknown';
  if (year < 2023) return '1048';
  return year > 2023 ? 'current' : 'unknown';
}

export type ClassCatalogue = {
  current: { scheme: string; sets: { code: string; labels: string[] }[]; groups: GroupEntry[] };
  old: {
    scheme: string;
    groups: { code: string; labels: string[] }[];
    sets: { code: string; labels: string[] }[];
  } | null;
};
type GroupEntry = { code: string; labels: string[]; sets: string[] };

/** The taxonomy as the matcher needs it: labels per set and group of the current and the 1048 scheme. */
export function classCatalogue(taxonomy: Taxonomy): ClassCatalogue {
  const current = taxonomy.schemes.find((s) => s.current)!;
  const setsOf = (g: Taxonomy['schemes'][number]['groups'][number]) => [
    ...(g.sets ?? []),
    ...(g.subGroups ?? []).flatMap((s) => s.sets),
  ];
  const old = taxonomy.schemes.find((s) => !s.current && s.classifyAt === 'group-or-set');
  return {
    current: {
      scheme: current.code,
      sets: current.groups.flatMap(setsOf).map((s) => ({ code: s.code, labels: [s.label.vi, s.label.en] })),
      groups: current.groups.map((g) => ({
        code: g.code,
        labels: [g.label.vi, g.label.en],
        sets: setsOf(g).map((s) => s.code),
      })),
    },
    old: old
      ? {
          scheme: old.code,
          groups: old.groups.map((g) => ({ code: g.code, labels: [g.label.vi, g.label.en] })),
          sets: old.groups.flatMap(setsOf).map((s) => ({ code: s.code, labels: [s.label.vi, s.label.en] })),
        }
      : null,
  };
}

const SET_NUMBER = /^(?:bo\s*(?:san\s*pham\s*)?(?:so\s*)?|set\s*)?(\d{1,2})$/;

/**
 * The product set a written class names. An official set number or name is exact. A sector or group
 * name of any era is a synonym offering its sets (under 1048 a 1048 sector name is the product's
 * exact old class). Words of the product's name narrow the candidates ("Đồ uống" + "Cà phê …" → set
 * 13); with no written class they alone give candidates. Never a prefix or a partial match.
 */
export function matchCategory(
  written: string,
  productName: string,
  era: ClassEra,
  catalogue: ClassCatalogue,
  synonyms: ClassSynonyms,
): Match {
  const folded = fold(written);
  const evidenceWords: string[] = [];
  const evidenceSets = new Set<string>();
  for (const entry of synonyms.productWords) {
    const hit = entry.words.find((w) => containsWords(productName, w));
    if (hit) {
      evidenceWords.push(hit);
      for (const s of entry.sets) evidenceSets.add(s);
    }
  }
  const current = (code: string) => `${catalogue.current.scheme}:${code}`;
  const base = { written, decision: null, decidable: true, notes: [] as string[] };
  const keyOf = (evidence: string[]) =>
    `category|${era === '1048' ? '1048' : ''}|${folded}|${[...evidence].sort().join(',')}`;
  const exact = (value: string): Match => ({
    ...base,
    kind: 'exact',
    value,
    candidates: [value],
    evidence: [],
    key: keyOf([]),
  });

  if (folded) {
    const number = SET_NUMBER.exec(folded);
    if (number && catalogue.current.sets.some((s) => s.code === String(Number(number[1]))))
      return exact(current(String(Number(number[1]))));
    const set = catalogue.current.sets.find((s) => s.labels.some((l) => fold(l) === folded));
    if (set) return exact(current(set.code));
    if (era === '1048' && catalogue.old) {
      const old = [...catalogue.old.groups, ...catalogue.old.sets].find((o) =>
        o.labels.some((l) => fold(l) === folded),
      );
      if (old) return exact(`${catalogue.old.scheme}:${old.code}`);
    }
  }

  let sectorSets: string[] | null = null;
  const notes: string[] = [];
  if (folded) {
    const sector = synonyms.sectors.find((s) => s.names.some((n) => fold(n) === folded));
    if (sector) {
      if (era === '1048' && sector.oldGroup && catalogue.old) {
        const value = `${catalogue.old.scheme}:${sector.oldGroup}`;
        return { ...base, kind: 'synonym', value, candidates: [value], evidence: [], key: keyOf([]) };
      }
      sectorSets = sector.sets;
      if (sector.eras.length > 0 && !sector.eras.includes('26/2026')) notes.push('oldSector');
    } else {
      const group = catalogue.current.groups.find((g) => g.labels.some((l) => fold(l) === folded));
      if (group) sectorSets = group.sets;
    }
  }

  const order = (codes: Iterable<string>) =>
    [...new Set(codes)].sort((a, b) => Number(a) - Number(b) || a.localeCompare(b)).map(current);
  if (sectorSets) {
    const narrowed = sectorSets.filter((s) => evidenceSets.has(s));
    if (narrowed.length) {
      const candidates = order(narrowed);
      return {
        ...base,
        notes,
        kind: 'context',
        value: candidates.length === 1 ? candidates[0]! : null,
        candidates,
        evidence: evidenceWords,
        key: keyOf(evidenceWords),
      };
    }
    const candidates = order(sectorSets);
    return {
      ...base,
      notes,
      kind: 'synonym',
      value: candidates.length === 1 ? candidates[0]! : null,
      candidates,
      evidence: [],
      key: keyOf([]),
    };
  }
  if (evidenceSets.size) {
    const candidates = order(evidenceSets);
    return {
      ...base,
      kind: 'context',
      value: candidates.length === 1 ? candidates[0]! : null,
      candidates,
      evidence: evidenceWords,
      key: keyOf(evidenceWords),
    };
  }
  return { ...base, kind: 'none', value: null, candidates: [], evidence: [], key: keyOf([]) };
}

// ---------- stars and dates ----------

/**
 * A star as written. A digit, alone or with "sao", "*", "★" ("3", "3 sao", "Hạng 3 sao", "3*") is
 * exact; glyphs to count ("★★★") or a number in words ("Ba sao") are synonyms a person confirms
 * once per distinct text; anything else is unread and a person chooses 3, 4 or 5.
 */
export function matchStar(cell: Cell): Match {
  const written = cellText(cell);
  const base = {
    written,
    evidence: [],
    decidable: true,
    notes: [],
    decision: null,
    key: `star|${fold(written)}`,
  };
  const star = parseStar(cell);
  if (star === null) return { ...base, kind: 'none', value: null, candidates: ['3', '4', '5'] };
  const digit =
    typeof cell === 'number' ||
    /^(?:hang\s*)?\d\s*(?:sao|★|\*)?$/.test(foldAccents(written).replace(/\s+/g, ' '));
  const value = String(star);
  return { ...base, kind: digit ? 'exact' : 'synonym', value, candidates: [value] };
}

export type DateReading = { match: Match; year: number | null };

const YEAR_MIN = 1990;
const YEAR_MAX = 2100;

/**
 * A decision date as written: a date cell, Excel serial, "dd/mm/yyyy" or ISO is exact. A year alone
 * ("2021", "Năm 2021", or a month and year "03/2021") is kept as the year with the date unknown —
 * no day is invented, and no decision can supply one: the row comes in incomplete.
 */
export function matchDecisionDate(cell: Cell): DateReading {
  const written = cellText(cell);
  const base = {
    written,
    evidence: [],
    decidable: false,
    decision: null,
    key: `decisionDate|${fold(written)}`,
  };
  if (typeof cell === 'number' && Number.isInteger(cell) && cell >= YEAR_MIN && cell <= YEAR_MAX) {
    return {
      match: { ...base, kind: 'none', value: null, candidates: [], notes: ['yearOnly'] },
      year: cell,
    };
  }
  const date = parseDate(cell);
  if (date)
    return { match: { ...base, kind: 'exact', value: date, candidates: [date], notes: [] }, year: null };
  const folded = foldAccents(written);
  const yearOnly =
    /^(?:nam\s*)?(\d{4})$/.exec(folded) ?? /^(?:thang\s*)?\d{1,2}\s*[/.-]\s*(\d{4})$/.exec(folded);
  const year = yearOnly ? Number(yearOnly[1]) : null;
  if (year !== null && year >= YEAR_MIN && year <= YEAR_MAX) {
    return { match: { ...base, kind: 'none', value: null, candidates: [], notes: ['yearOnly'] }, year };
  }
  return { match: { ...base, kind: 'none', value: null, candidates: [], notes: [] }, year: null };
}
