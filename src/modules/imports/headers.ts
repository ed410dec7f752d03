import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { foldAccents } from '../../shared/text';
import { type Cell, cellText, type Grid, IMPORT_FIELDS, type ImportField, type Mapping } from './rules';

/**
 * Finding the header of a registry as officers write it, and which field each column holds.
 * The words are data (data/imports/header-synonyms.json, validated when loaded): officers write
 * "Quận/huyện", "Huyện/TX/TP", "Số QĐ", "Hạng sao" or "Xếp hạng", with line breaks inside cells,
 * title rows above the header, and parent cells merged over sub-headers ("Địa chỉ" over
 * "Xã | Huyện | Tỉnh"). Headers are compared folded: NFC, no accents, no case, punctuation and line
 * breaks as spaces. Pure apart from reading the data file once.
 */

export const HEADER_SYNONYMS_FILE = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'data',
  'imports',
  'header-synonyms.json',
);

/** A header as compared: "Quận/\nhuyện" → "quan huyen", "Số QĐ" → "so qd". */
export function foldHeader(label: string): string {
  return foldAccents(label.normalize('NFC'))
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

const phrase = z
  .string()
  .min(1)
  .refine((v) => foldHeader(v) !== '', { message: 'folds to nothing' });
const field = z.enum(IMPORT_FIELDS);

const synonymsSchema = z
  .object({
    format: z.literal(1),
    note: z.string().optional(),
    ignore: z.array(phrase),
    fields: z.array(
      z.object({
        field,
        exact: z.array(phrase).min(1),
        contains: z.array(z.array(phrase).min(1)),
      }),
    ),
    parents: z.array(z.object({ parent: z.array(phrase).min(1), children: z.record(z.string(), field) })),
  })
  .superRefine((data, context) => {
    const seen = new Map<string, string>();
    for (const [i, entry] of data.fields.entries()) {
      for (const words of entry.exact) {
        const folded = foldHeader(words);
        const before = seen.get(folded);
        if (before && before !== entry.field)
          context.addIssue({
            code: 'custom',
            path: ['fields', i, 'exact'],
            message: `"${words}" is already a header of ${before}`,
          });
        seen.set(folded, entry.field);
      }
    }
    const once = new Set(data.fields.map((f) => f.field));
    if (once.size !== data.fields.length)
      context.addIssue({ code: 'custom', path: ['fields'], message: 'a field is listed twice' });
  });

export type HeaderSynonyms = {
  ignore: Set<string>;
  exact: Map<string, ImportField>;
  /** In priority order: each entry's phrases must all appear as whole words. */
  contains: { field: ImportField; phrases: string[] }[];
  /** Longest parent first, so "quyet dinh cong nhan" wins over "quyet dinh". */
  parents: { parent: string; children: Map<string, ImportField> }[];
};

/** Validates and folds the synonyms document; throws with every problem named. */
export function parseHeaderSynonyms(json: unknown): HeaderSynonyms {
  const parsed = synonymsSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`Invalid header synonyms: ${problems}`);
  }
  const data = parsed.data;
  const parents = data.parents.flatMap((p) => {
    const children = new Map(Object.entries(p.children).map(([k, v]) => [foldHeader(k), v] as const));
    return p.parent.map((words) => ({ parent: foldHeader(words), children }));
  });
  parents.sort((a, b) => b.parent.length - a.parent.length);
  return {
    ignore: new Set(data.ignore.map(foldHeader)),
    exact: new Map(data.fields.flatMap((f) => f.exact.map((w) => [foldHeader(w), f.field] as const))),
    contains: data.fields.flatMap((f) =>
      f.contains.map((words) => ({ field: f.field, phrases: words.map(foldHeader) })),
    ),
    parents,
  };
}

let loaded: HeaderSynonyms | null = null;

/** The shipped synonyms, read and validated on first use. */
export function headerSynonyms(): HeaderSynonyms {
  loaded ??= parseHeaderSynonyms(JSON.parse(fs.readFileSync(HEADER_SYNONYMS_FILE, 'utf8')));
  return loaded;
}

const hasWords = (folded: string, words: string) => ` ${folded} `.includes(` ${words} `);

/**
 * Which field a header names: a known header as a whole; else a parent header followed by a
 * sub-header ("Quyết định công nhận Số", "Địa chỉ Xã"); else the first field whose phrases it
 * contains. Columns such as "STT" or "Ghi chú" name none.
 */
export function fieldOfHeader(
  label: string,
  synonyms: HeaderSynonyms = headerSynonyms(),
): ImportField | null {
  const folded = foldHeader(label);
  if (!folded || synonyms.ignore.has(folded)) return null;
  const exact = synonyms.exact.get(folded);
  if (exact) return exact;
  for (const { parent, children } of synonyms.parents) {
    if (!folded.startsWith(`${parent} `)) continue;
    const rest = folded.slice(parent.length + 1);
    if (synonyms.ignore.has(rest)) return null;
    const child = children.get(rest) ?? synonyms.exact.get(rest);
    if (child) return child;
  }
  for (const { field, phrases } of synonyms.contains) {
    if (phrases.every((words) => hasWords(folded, words))) return field;
  }
  return null;
}

/** Each field to the first column that names it; a column serves one field. */
export function suggestMapping(
  labels: readonly string[],
  synonyms: HeaderSynonyms = headerSynonyms(),
): Mapping {
  const mapping: Mapping = {};
  labels.forEach((label, index) => {
    const found = fieldOfHeader(label, synonyms);
    if (found && mapping[found] === undefined) mapping[found] = index;
  });
  return mapping;
}

export type HeaderInfo = {
  /** 0-based index of the first header row in the grid. */
  row: number;
  /** 1, or 2 when a parent header stands over sub-headers below it. */
  rows: 1 | 2;
  /** One label per column; a two-row header joins parent and sub-header ("Quyết định Số"). */
  labels: string[];
  /** The field each column names, as `fieldOfHeader` reads its label. */
  fields: (ImportField | null)[];
  /** How many distinct fields the header names: what chooses the header row and the sheet. */
  score: number;
};

/** The header is looked for among the first rows: registries put a title or two above it. */
export const HEADER_SCAN_ROWS = 15;

const isDataLike = (cell: Cell) =>
  typeof cell === 'number' || cell instanceof Date || /^\d[\d/.\-\s]*$/.test(cellText(cell));

function scored(row: number, rows: 1 | 2, labels: string[], synonyms: HeaderSynonyms): HeaderInfo {
  const fields = labels.map((l) => fieldOfHeader(l, synonyms));
  return { row, rows, labels, fields, score: new Set(fields.filter((f) => f !== null)).size };
}

/**
 * The two-row reading of rows r and r+1: each column's parent is its cell in the upper row, or —
 * where that is empty but the lower row has a sub-header — the nearest filled cell to its left
 * (a merged parent cell: exceljs repeats the master's value over the merge, a CSV saved by Excel
 * leaves the covered cells empty). A cell merged down over both rows reads the same in both.
 */
function twoRowLabels(top: readonly Cell[], below: readonly Cell[]): string[] | null {
  if (!below.some((c) => cellText(c) !== '' && !isDataLike(c))) return null;
  if (below.some((c) => isDataLike(c) && cellText(c) !== '')) return null;
  const width = Math.max(top.length, below.length);
  let parentOnLeft = '';
  let sawParentRun = false;
  const labels = Array.from({ length: width }, (_, c) => {
    const own = cellText(top[c] ?? null);
    const child = cellText(below[c] ?? null);
    if (own && own === cellText(top[c - 1] ?? null)) sawParentRun = true;
    let parent = own;
    if (own) parentOnLeft = own;
    else if (child && parentOnLeft) {
      parent = parentOnLeft;
      sawParentRun = true;
    }
    return !child || child === parent ? parent : parent ? `${parent} ${child}` : child;
  });
  return sawParentRun ? labels : null;
}

/**
 * The header: the row among the first ones that names the most fields (at least two). It is two
 * rows when a parent cell stands over sub-headers and reading both names more fields than the
 * upper row alone, so a plain header never swallows its first data row nor a title above it.
 */
export function detectHeader(grid: Grid, synonyms: HeaderSynonyms = headerSynonyms()): HeaderInfo | null {
  let best: HeaderInfo | null = null;
  for (let r = 0; r < Math.min(grid.length, HEADER_SCAN_ROWS); r++) {
    const top = grid[r] ?? [];
    const candidates = [scored(r, 1, top.map(cellText), synonyms)];
    const below = grid[r + 1];
    const joined = below ? twoRowLabels(top, below) : null;
    if (joined) {
      const two = scored(r, 2, joined, synonyms);
      const lower = scored(r + 1, 1, below!.map(cellText), synonyms).score;
      // The parents must add fields to the lower row alone, or be header cells themselves (two
      // fields or more): a title merged across the sheet above a plain header is no parent.
      if (two.score > lower || (two.score === lower && candidates[0]!.score >= 2)) candidates.push(two);
    }
    for (const candidate of candidates) {
      if (candidate.score > (best?.score ?? 0)) best = candidate;
    }
  }
  return best && best.score >= 2 ? best : null;
}
