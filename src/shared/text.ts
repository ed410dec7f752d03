/**
 * Vietnamese text helpers shared by server and web. Accent folding must give the same result
 * as the SQL side (`ocop_fold(x)` = unaccent(lower(x)) with đ→d) so "com chay" finds "Cơm cháy".
 */
export function foldAccents(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/đ/g, 'd')
    .replace(/Đ/g, 'D')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

export const vietnameseCollator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

export function compareVietnamese(a: string, b: string): number {
  return vietnameseCollator.compare(a, b);
}

/** Control characters other than tab and newline never belong in a stored text field. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
export const CONTROL_CHARACTERS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/;

/*
 * A sort key whose plain code-unit order (SQL: `COLLATE "C"`) is the order of Intl.Collator('vi',
 * { numeric: true }): lets the database page through names in Vietnamese order, which no database
 * collation gives (C puts Đ after Z; ICU "vi" in PostgreSQL behaves like root). Its SQL twin is
 * `ocop_sort_key(text)` (migration "subjects_sort_key"); both must change together.
 *
 * Layout, levels separated by a space (lower than every weight, so a shorter name sorts first):
 *   primary   one weight per element: Vietnamese letters (a < ă < â < b … d < đ … o < ô < ơ … u < ư),
 *             punctuation in ICU's order (all before digits and letters), a run of digits as its value
 *             (length + digits without leading zeros, as numeric collation does), any other character
 *             after the letters by code point;
 *   secondary the tone of each element: none < huyền < hỏi < ngã < sắc < nặng;
 *   tertiary  lower case before upper case.
 * Every weight is printable ASCII, so JS string comparison and SQL "C" byte order agree.
 */
const SORT_SYMBOLS = '\t _-\u2013\u2014,;:!?.\u00b7\'"()[]{}@*/\\&#%`^+<=>|~$';
const SORT_LETTERS = 'aăâbcdđeêfghijklmnoôơpqrstuưvwxyz';
const WEIGHT_BASE = 0x21;
const NUMBER_MARK = String.fromCharCode(WEIGHT_BASE + SORT_SYMBOLS.length);
const LETTER_BASE = WEIGHT_BASE + SORT_SYMBOLS.length + 1;
const UNKNOWN_MARK = String.fromCharCode(LETTER_BASE + [...SORT_LETTERS].length);
/** Characters the collator ignores: soft hyphen, zero-width spaces and joiners, byte-order mark. */
const IGNORABLE = new Set([0xad, 0x200b, 0x200c, 0x200d, 0x2060, 0xfeff]);
/** Characters the collator weighs as another symbol with a secondary or tertiary difference: [symbol, secondary, tertiary]. */
const SYMBOL_VARIANTS: Record<string, [string, string, string]> = {
  '\u00a0': [' ', 'a', 'b'],
  '\u2018': ["'", 'b', 'a'],
  '\u2019': ["'", 'c', 'a'],
  '\u201c': ['"', 'b', 'a'],
  '\u201d': ['"', 'c', 'a'],
};
const TONES: Record<number, string> = { 768: 'b', 777: 'c', 771: 'd', 769: 'e', 803: 'f' };
const BREVE = 0x306;
const CIRCUMFLEX = 0x302;
const HORN = 0x31b;

const isCombiningMark = (cp: number) => cp >= 0x300 && cp <= 0x36f;
const isDigit = (cp: number) => cp >= 0x30 && cp <= 0x39;

function letterWithMark(letter: string, mark: number): string {
  if (mark === BREVE && letter === 'a') return 'ă';
  if (mark === CIRCUMFLEX && (letter === 'a' || letter === 'e' || letter === 'o'))
    return letter === 'a' ? 'â' : letter === 'e' ? 'ê' : 'ô';
  if (mark === HORN && (letter === 'o' || letter === 'u')) return letter === 'o' ? 'ơ' : 'ư';
  return letter;
}

export function vietnameseSortKey(input: string): string {
  const chars = Array.from(input.normalize('NFD'));
  const codes = chars.map((c) => c.codePointAt(0)!);
  let primary = '';
  let secondary = '';
  let tertiary = '';
  let i = 0;
  while (i < chars.length) {
    const cp = codes[i]!;
    if (IGNORABLE.has(cp) || isCombiningMark(cp)) {
      i++;
      continue;
    }
    if (isDigit(cp)) {
      let j = i;
      while (j < chars.length && isDigit(codes[j]!)) j++;
      const digits = chars.slice(i, j).join('').replace(/^0+/, '') || '0';
      primary += NUMBER_MARK + String(digits.length).padStart(3, '0') + digits;
      secondary += 'a';
      tertiary += 'a';
      i = j;
      continue;
    }
    const isUpper = (cp >= 0x41 && cp <= 0x5a) || cp === 0x110;
    const isLetter = isUpper || (cp >= 0x61 && cp <= 0x7a) || cp === 0x111;
    if (isLetter) {
      let letter = cp === 0x110 || cp === 0x111 ? 'đ' : String.fromCharCode(isUpper ? cp + 32 : cp);
      let tone = 'a';
      let j = i + 1;
      while (j < chars.length && isCombiningMark(codes[j]!)) {
        const mark = codes[j]!;
        const varied = letterWithMark(letter, mark);
        if (varied !== letter) letter = varied;
        else if (tone === 'a' && TONES[mark]) tone = TONES[mark];
        j++;
      }
      primary += String.fromCharCode(LETTER_BASE + SORT_LETTERS.indexOf(letter));
      secondary += tone;
      tertiary += isUpper ? 'b' : 'a';
      i = j;
      continue;
    }
    if (cp === 0x2026) {
      // The ellipsis weighs as three full stops.
      const stop = String.fromCharCode(WEIGHT_BASE + SORT_SYMBOLS.indexOf('.'));
      primary += stop + stop + stop;
      secondary += 'aaa';
      tertiary += 'bbb';
      i++;
      continue;
    }
    const [symbolChar, symbolSecondary, symbolTertiary] = SYMBOL_VARIANTS[chars[i]!] ?? [chars[i]!, 'a', 'a'];
    const symbol = SORT_SYMBOLS.indexOf(symbolChar);
    primary +=
      symbol >= 0
        ? String.fromCharCode(WEIGHT_BASE + symbol)
        : UNKNOWN_MARK + cp.toString(16).padStart(6, '0');
    secondary += symbol >= 0 ? symbolSecondary : 'a';
    tertiary += symbol >= 0 ? symbolTertiary : 'a';
    i++;
  }
  return `${primary} ${secondary} ${tertiary}`;
}

/**
 * Text a spreadsheet program would run as a formula when the cell is typed in or read from CSV
 * ("=HYPERLINK(…)", "+1", "-2", "@SUM", or a leading tab/CR that hides one) is written with a
 * leading apostrophe: the usual guard against formula injection in exported files. Every export
 * that spreadsheet programs open (CSV and XLSX open data) goes through this one function.
 */
export function neutraliseFormula(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

/** Text in NFC, the one form stored: names sent decomposed (NFD, e.g. from macOS) compare equal afterwards. */
export function toNfc(text: string): string {
  return text.normalize('NFC');
}
