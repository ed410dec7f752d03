import { foldAccents } from '../../shared/text';

/**
 * Matching keys for Vietnamese administrative-unit names (pure, shared by the converter, the
 * resolver and the web). Two spellings of one unit must give the same key:
 * - accents and tone-mark placement ("Thuỷ"/"Thủy", "Hoà"/"Hòa") fold away (foldAccents);
 * - the unit type is not part of the key ("Xã Tân Lập", "xã  Tân Lập", "TT Tân Lập" → "tanlap");
 *   it is returned apart so a caller can prefer the type the writer named;
 * - spaces, hyphens and apostrophes inside names vary between official lists ("Ea Bia"/"EaBia",
 *   "Cư M'gar"/"Cư M’gar"/"Cư Mgar"), so the key drops them;
 * - numbers: "Phường 01", "P1", "P.1", "F1", "Phường I" → "1"; "Hòa Tú II" → "hoatu2";
 * - final y/i after a consonant ("Quý"/"Quí", "Kỳ"/"Kì") and "NT" for "Nông trường".
 * Folding can make two different names equal ("Tân An"/"Tấn An"); the resolver then reports an
 * ambiguity rather than picking one, so a coarse key is safe.
 */

export const UNIT_TYPES = [
  'tỉnh',
  'thành phố',
  'quận',
  'huyện',
  'thị xã',
  'xã',
  'phường',
  'thị trấn',
  'đặc khu',
] as const;
export type UnitType = (typeof UNIT_TYPES)[number];

/** Written prefixes, longest first. accented prefixes are unambiguous; a bare "xa"/"phuong" is not (see nameKeys). */
const PREFIXES: { text: string; type: UnitType }[] = [
  { text: 'thành phố trực thuộc trung ương', type: 'thành phố' },
  { text: 'thành phố thuộc tỉnh', type: 'thành phố' },
  { text: 'thành phố', type: 'thành phố' },
  { text: 'thị xã', type: 'thị xã' },
  { text: 'thị trấn', type: 'thị trấn' },
  { text: 'đặc khu', type: 'đặc khu' },
  { text: 'tỉnh', type: 'tỉnh' },
  { text: 'quận', type: 'quận' },
  { text: 'huyện', type: 'huyện' },
  { text: 'phường', type: 'phường' },
  { text: 'xã', type: 'xã' },
];

/** Abbreviations nobody uses as a name: stripped whether or not a dot follows. */
const ABBREVIATIONS: { re: RegExp; type: UnitType }[] = [
  { re: /^tp\.?\s*/, type: 'thành phố' },
  { re: /^tx\.?\s*/, type: 'thị xã' },
  { re: /^tt\.?\s*/, type: 'thị trấn' },
];

/** One-letter abbreviations only count with a dot ("H. Gia Lâm") or before a number ("P1", "Q.10", "F7"): "H Bông" is a name. */
const LETTER_TYPES: Record<string, UnitType> = { p: 'phường', f: 'phường', q: 'quận', h: 'huyện', x: 'xã' };

const ROMAN: Record<string, string> = {
  I: '1',
  II: '2',
  III: '3',
  IV: '4',
  V: '5',
  VI: '6',
  VII: '7',
  VIII: '8',
  IX: '9',
  X: '10',
};

/** Bare (unaccented) prefixes that are also ordinary syllables: "Phương Trung", "Xa Lý", "Quan Hóa", "Tĩnh Túc". */
const BARE_PREFIXES: { text: string; type: UnitType }[] = [
  { text: 'thanh pho', type: 'thành phố' },
  { text: 'thi xa', type: 'thị xã' },
  { text: 'thi tran', type: 'thị trấn' },
  { text: 'dac khu', type: 'đặc khu' },
  { text: 'tinh', type: 'tỉnh' },
  { text: 'quan', type: 'quận' },
  { text: 'huyen', type: 'huyện' },
  { text: 'phuong', type: 'phường' },
  { text: 'xa', type: 'xã' },
];

export type NameKeys = {
  /** Keys the written name may stand for: one, or two when a bare prefix may be part of the name. */
  keys: string[];
  /** The unit type the writer named, when it was unambiguous. */
  type: UnitType | null;
  /** The accented spelling (see accentKey), when the writer used accents: it tells "Minh Quân" from "Minh Quán". */
  accent: string | null;
};

function startsWithWord(s: string, word: string): boolean {
  return s.startsWith(word) && s.length > word.length && /[\s.]/.test(s[word.length]!);
}

/**
 * The key of a name whose type prefix is already removed. Roman numerals count only when written
 * in capitals inside mixed-case text ("Phường IV", "Hòa Tú II"); "Tà Xi Láng", "HÀ NỘI" keep their letters.
 */
export function bareKey(name: string, mixedCase = /\p{Ll}/u.test(name)): string {
  let s = name.normalize('NFC');
  if (mixedCase) s = s.replace(/(?<=^|\s)[IVX]{1,4}(?=$|\s)/g, (m) => ROMAN[m] ?? m);
  s = foldAccents(s)
    .replace(/[’‘`´ʼ]/g, "'")
    .replace(/\bn\.?\s?t\b\.?/g, 'nong truong');
  s = s.replace(/[^a-z0-9]+/g, ' ').trim();
  s = s
    .split(' ')
    .map((token) => {
      if (/^\d+$/.test(token)) return String(Number(token));
      if (token === 'quy') return 'qui';
      return token.replace(/([bcdghklmnpqrstvx])y$/, '$1i');
    })
    .join('');
  return s;
}

/**
 * Keys of a written unit name ("Xã Tân Lập", "tp. Hồ Chí Minh", "P1", "phuong trung").
 * An accented or abbreviated prefix is removed with certainty; a bare one ("phuong trung"
 * typed without accents) may be a prefix or the first syllable, so both keys are returned.
 */
export function nameKeys(written: string): NameKeys {
  const lower = written.normalize('NFC').toLowerCase().replace(/\s+/g, ' ').trim();
  if (!lower) return { keys: [], type: null, accent: null };
  const mixedCase = /\p{Ll}/u.test(written);
  const accented = hasAccents(written);
  const accentOf = (rest: string) => (accented ? accentKey(rest) : null);

  const numbered = foldAccents(lower).match(/^([pfqhx])\s*\.?\s*(\d+)$/);
  if (numbered) {
    return { keys: [String(Number(numbered[2]))], type: LETTER_TYPES[numbered[1]!] ?? null, accent: null };
  }

  for (const prefix of PREFIXES) {
    if (startsWithWord(lower, prefix.text)) {
      const rest = restOf(written, lower.slice(prefix.text.length));
      return { keys: nonEmpty([bareKey(rest, mixedCase)]), type: prefix.type, accent: accentOf(rest) };
    }
  }
  const folded = foldAccents(lower);
  for (const abbreviation of ABBREVIATIONS) {
    const match = folded.match(abbreviation.re);
    if (match && match[0].length < folded.length && /[.\s]$/.test(match[0])) {
      const rest = restOf(written, lower.slice(match[0].length));
      return { keys: nonEmpty([bareKey(rest, mixedCase)]), type: abbreviation.type, accent: accentOf(rest) };
    }
  }
  const letter = folded.match(/^([pqhx])\.\s*/);
  if (letter && letter[0].length < folded.length) {
    const rest = restOf(written, lower.slice(letter[0].length));
    return {
      keys: nonEmpty([bareKey(rest, mixedCase)]),
      type: LETTER_TYPES[letter[1]!] ?? null,
      accent: accentOf(rest),
    };
  }
  // A bare prefix counts only when the writer used no accents at all; "Phương Trung" is a name.
  if (folded === lower.replace(/đ/g, 'd')) {
    for (const prefix of BARE_PREFIXES) {
      if (startsWithWord(folded, prefix.text)) {
        const stripped = bareKey(folded.slice(prefix.text.length));
        const whole = bareKey(written);
        return { keys: nonEmpty(stripped === whole ? [whole] : [stripped, whole]), type: null, accent: null };
      }
    }
  }
  return { keys: nonEmpty([bareKey(written)]), type: null, accent: accentOf(written) };
}

const TONE_MARKS = /[\u0300\u0301\u0303\u0309\u0323]/g;

/** Whether the writer typed Vietnamese accents at all (then "Nga Thanh" means no tone, not "Nga Thành"). */
export function hasAccents(text: string): boolean {
  return /[\u0300-\u036f]|đ/i.test(text.normalize('NFD'));
}

/**
 * The spelling with its accents, tone-mark placement normalised ("Hoà" = "Hòa": each syllable's
 * tone moves to its end), spaces and punctuation dropped. Used only to choose among units whose
 * folded keys collide ("Trực Hưng"/"Trực Hùng"), and only for text typed with accents.
 */
export function accentKey(name: string): string {
  return name
    .normalize('NFD')
    .toLowerCase()
    .replace(/[’‘`´ʼ']/g, '')
    .split(/[^\p{L}\p{M}\p{N}]+/u)
    .map((syllable) => syllable.replace(TONE_MARKS, '') + (syllable.match(TONE_MARKS) ?? []).sort().join(''))
    .join('');
}

/** Keeps the original capitals (needed for Roman numerals) of the part after a prefix. */
function restOf(written: string, lowerRest: string): string {
  const normalized = written.normalize('NFC').replace(/\s+/g, ' ').trim();
  return normalized.slice(normalized.length - lowerRest.length);
}

function nonEmpty(keys: string[]): string[] {
  return [...new Set(keys.filter((k) => k.length > 0))];
}

/** The key of an official name, whose type is known: "Phường Ba Đình" → "badinh". */
export function officialKey(name: string): string {
  return nameKeys(name).keys[0] ?? bareKey(name);
}

/** The type a name starts with ("Huyện Kỳ Anh" → "huyện"), for units whose lists carry no type column. */
export function typeOfName(name: string): UnitType | null {
  return nameKeys(name).type;
}

/** The name without its type, for sorting a list the way people look for a unit ("Phường 2" before "Xã An Bình" is wrong). */
export function nameWithoutType(name: string): string {
  const lower = name.normalize('NFC').toLowerCase();
  for (const prefix of PREFIXES) {
    if (startsWithWord(lower, prefix.text)) return name.normalize('NFC').slice(prefix.text.length).trim();
  }
  return name.trim();
}

/** Common short names of provinces, by key. */
export const PROVINCE_ALIASES: Record<string, string[]> = {
  hochiminh: ['hcm', 'tphcm', 'hcmc', 'saigon'],
  hanoi: ['hn'],
  thuathienhue: ['hue'],
  bariavungtau: ['brvt'],
};

/** Splits "Thành phố Hà Nội (01)" into its name and code, as the official conversion table writes them. */
export function splitNameAndCode(written: string): { name: string; code: string | null } {
  const match = written.match(/^(.*?)\s*\(\s*(\d{1,5})\s*\)\s*$/s);
  if (match) return { name: match[1]!.trim(), code: match[2]! };
  return { name: written.trim(), code: null };
}

/** Pads a numeric code to its official width (province 2, district 3, commune 5); null when it cannot be one. */
export function padCode(code: string, width: 2 | 3 | 5): string | null {
  const digits = code.trim();
  if (!/^\d+$/.test(digits) || digits.length > width) return null;
  return digits.padStart(width, '0');
}
