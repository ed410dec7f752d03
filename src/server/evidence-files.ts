import { promisify } from 'node:util';
import zlib from 'node:zlib';
import type { Message } from './errors';

/**
 * Checks of an uploaded PDF before it is stored as evidence: a well-formed frame (`%PDF-` header,
 * `%%EOF` near the end, no HTML or script after it) and no active content — JavaScript, automatic
 * actions, launching programs, embedded files, rich media, XFA forms, form submission — whether
 * written plainly, with `#xx` escapes in the names (`/J#61vaScript`), or inside compressed object
 * streams (inflated here, within PDF_LIMITS, to be read). Pure: bytes in, the first problem out.
 *
 * Why a scanner and not a PDF library: every active feature needs a dictionary key of a known name,
 * and names are never encrypted or compressed except inside object streams, so reading every name
 * token of the file and of its object streams finds them; the libraries at hand (pdf-lib, pdf.js)
 * inflate streams without a bound on the output, which is the decompression bomb to avoid.
 */

export const PDF_LIMITS = {
  /** `%%EOF` must be within this many bytes of the end (as PDF readers require). */
  eofWindow: 1024,
  /** Bytes all object streams of one file may inflate to together. */
  maxInflatedBytes: 64 * 1024 * 1024,
  maxObjectStreams: 5_000,
  /** Objects found inside stream data (read as a recovering reader would) nest at most this deep. */
  maxNesting: 3,
  /** Arrays and dictionaries nest at most this deep (real files: a dozen levels). */
  maxDepth: 256,
} as const;

export type ActiveFeature =
  | 'javascript'
  | 'openAction'
  | 'additionalActions'
  | 'launch'
  | 'embeddedFile'
  | 'richMedia'
  | 'xfa'
  | 'formSubmission';

export type PdfProblem =
  | { kind: 'activeContent'; feature: ActiveFeature; name: string; inObjectStream: boolean }
  | { kind: 'notPdf' }
  | { kind: 'noEof' }
  | { kind: 'markupAfterEof' }
  | { kind: 'unterminatedStream' }
  | { kind: 'tooComplex' }
  | { kind: 'unreadableObjectStream'; encrypted: boolean };

/**
 * Decoded names (compared in lower case: a lenient reader may accept any case) and what they mean.
 * A Map, so that a name such as /constructor finds nothing.
 */
const ACTIVE_NAMES = new Map<string, ActiveFeature>([
  ['js', 'javascript'],
  ['javascript', 'javascript'],
  ['openaction', 'openAction'],
  ['aa', 'additionalActions'],
  ['launch', 'launch'],
  ['embeddedfile', 'embeddedFile'],
  ['embeddedfiles', 'embeddedFile'],
  // The embedded-file entry of a file specification: present even when the stream has no /Type.
  ['ef', 'embeddedFile'],
  ['richmedia', 'richMedia'],
  ['xfa', 'xfa'],
  ['submitform', 'formSubmission'],
  ['importdata', 'formSubmission'],
]);

// ---------- lexer ----------

const WHITESPACE = 1;
const DELIMITER = 2;
const CHAR_CLASS = new Uint8Array(256);
for (const c of [0x00, 0x09, 0x0a, 0x0c, 0x0d, 0x20]) CHAR_CLASS[c] = WHITESPACE;
for (const c of '()<>[]{}/%') CHAR_CLASS[c.charCodeAt(0)] = DELIMITER;

type Token =
  | { type: 'name'; value: string; raw: string }
  | { type: 'dictOpen' | 'dictClose' | 'arrayOpen' | 'arrayClose' | 'string' }
  | { type: 'word'; value: string };

/** A name's bytes with `#xx` escapes decoded (PDF 1.2+); an invalid escape is kept as written. */
function decodeName(raw: string): string {
  if (!raw.includes('#')) return raw;
  return raw.replace(/#([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}

const isDigit = (b: number | undefined) => b !== undefined && b >= 0x30 && b <= 0x39;
const isSpace = (b: number | undefined) => b !== undefined && CHAR_CLASS[b] === WHITESPACE;

/**
 * Where the object header (`12 0 obj`, or `12 0obj` which readers accept too) whose `obj` is at
 * `objAt` begins, looking no further back than `floor`; -1 when those bytes are no header.
 */
function headerStartBefore(bytes: Buffer, objAt: number, floor: number): number {
  let i = objAt - 1;
  while (i >= floor && isSpace(bytes[i])) i--;
  if (i < floor || !isDigit(bytes[i])) return -1;
  while (i >= floor && isDigit(bytes[i])) i--;
  if (i < floor || !isSpace(bytes[i])) return -1;
  while (i >= floor && isSpace(bytes[i])) i--;
  if (i < floor || !isDigit(bytes[i])) return -1;
  while (i >= floor && isDigit(bytes[i])) i--;
  return i + 1;
}

/** Whether bytes[at, at+3) are `obj` and end an object header starting at or after `floor` (its start, or -1). */
function headerEndingAt(bytes: Buffer, at: number, floor: number): number {
  return bytes[at] === 0x6f && bytes[at + 1] === 0x62 && bytes[at + 2] === 0x6a
    ? headerStartBefore(bytes, at, floor)
    : -1;
}

/**
 * Whether data holds an object header: a reader finds an object at the offset its cross-reference
 * table gives, or by searching for headers when that table is damaged, wherever the bytes sit —
 * inside what looks like a stream, a string or a comment when read from the top. Such data is
 * read as objects too.
 */
function holdsObjectHeader(bytes: Buffer, start: number, end: number): boolean {
  const data = bytes.subarray(start, end); // indexOf must not search past the end
  for (let at = data.indexOf('obj', 0, 'latin1'); at >= 0; at = data.indexOf('obj', at + 3, 'latin1')) {
    if (headerStartBefore(data, at, 0) >= 0) return true;
  }
  return false;
}

class Lexer {
  constructor(
    readonly bytes: Buffer,
    public pos: number,
    readonly end: number,
  ) {}

  private regularRun(): string {
    const start = this.pos;
    while (this.pos < this.end && CHAR_CLASS[this.bytes[this.pos]!] === 0) this.pos++;
    return this.bytes.toString('latin1', start, this.pos);
  }

  next(): Token | null {
    const { bytes, end } = this;
    for (;;) {
      while (this.pos < end && CHAR_CLASS[bytes[this.pos]!] === WHITESPACE) this.pos++;
      if (this.pos >= end) return null;
      const c = bytes[this.pos]!;
      switch (c) {
        case 0x25: {
          // %: a comment up to the end of the line
          const start = this.pos;
          while (this.pos < end && bytes[this.pos] !== 0x0a && bytes[this.pos] !== 0x0d) {
            const header = headerEndingAt(bytes, this.pos, start + 1);
            if (header >= 0) {
              this.pos = header;
              break;
            }
            this.pos++;
          }
          continue;
        }
        case 0x2f: {
          // /Name
          this.pos++;
          const raw = this.regularRun();
          return { type: 'name', value: decodeName(raw), raw: `/${raw}` };
        }
        case 0x28: {
          // (literal string): balanced parentheses, a backslash escapes the next byte
          const start = this.pos;
          let depth = 0;
          while (this.pos < end) {
            const header = headerEndingAt(bytes, this.pos, start + 1);
            if (header >= 0) {
              this.pos = header;
              break;
            }
            const b = bytes[this.pos++]!;
            if (b === 0x5c) this.pos++;
            else if (b === 0x28) depth++;
            else if (b === 0x29 && --depth === 0) break;
          }
          return { type: 'string' };
        }
        case 0x3c: {
          if (bytes[this.pos + 1] === 0x3c) {
            this.pos += 2;
            return { type: 'dictOpen' };
          }
          // <hex string>
          const start = this.pos;
          for (this.pos++; this.pos < end; this.pos++) {
            if (bytes[this.pos] === 0x3e) {
              this.pos++;
              break;
            }
            const header = headerEndingAt(bytes, this.pos, start + 1);
            if (header >= 0) {
              this.pos = header;
              break;
            }
          }
          return { type: 'string' };
        }
        case 0x3e:
          if (bytes[this.pos + 1] === 0x3e) {
            this.pos += 2;
            return { type: 'dictClose' };
          }
          this.pos++;
          continue;
        case 0x5b:
          this.pos++;
          return { type: 'arrayOpen' };
        case 0x5d:
          this.pos++;
          return { type: 'arrayClose' };
        default:
          if (CHAR_CLASS[c] === DELIMITER) {
            // A stray ) { or }: nothing a reader builds an object from.
            this.pos++;
            continue;
          }
          return { type: 'word', value: this.regularRun() };
      }
    }
  }
}

// ---------- objects (only as far as stream dictionaries need) ----------

type Value =
  | { t: 'name'; v: string }
  | { t: 'number'; v: number }
  | { t: 'ref' }
  | { t: 'dict'; entries: Map<string, Value> }
  | { t: 'array'; items: Value[]; truncated: boolean }
  | { t: 'other' };

type Frame =
  | { t: 'dict'; entries: Map<string, Value>; key: string | null; lastKey: string | null }
  | { t: 'array'; items: Value[]; truncated: boolean };

/**
 * The only dictionary entries kept (what finding and decoding object streams needs): a file of
 * millions of other entries or array items costs no memory beyond its bytes.
 */
const KEPT_KEYS = new Set(['Type', 'N', 'First', 'Filter', 'DecodeParms', 'DP', 'Length', 'Predictor']);
const KEPT_ARRAY_ITEMS = 32;

type ObjectStream = { body: Buffer; dict: Map<string, Value> };

type ScanState = {
  problem: PdfProblem | null;
  encrypted: boolean;
  objectStreams: ObjectStream[];
  /** /OpenAction given as a reference: allowed only if every definition of that object only shows a page. */
  openActionRefs: { object: number; problem: PdfProblem }[];
  /** Object streams read so far: their data, and where each object they hold starts. */
  inflated: { data: Buffer; offsets: Map<number, number> }[];
};

function activeName(
  token: { value: string; raw: string },
  lexer: Lexer,
  inObjectStream: boolean,
  state: ScanState,
): PdfProblem | null {
  const feature = ACTIVE_NAMES.get(token.value.toLowerCase());
  if (!feature) return null;
  const problem: PdfProblem = {
    kind: 'activeContent',
    feature,
    name: token.raw.slice(0, 60),
    inObjectStream,
  };
  if (feature !== 'openAction') return problem;
  // An /OpenAction that only shows a page — a destination array ([page /Fit]) as office suites
  // write, or a GoTo action to one as LaTeX writes — moves the view and nothing else; any other
  // action (a URI, a named command, a chain through /Next) runs something. A reference is decided
  // once every object has been read.
  const value = openingValue(new Lexer(lexer.bytes, lexer.pos, lexer.end));
  if (value === 'showsPage') return null;
  if (typeof value === 'number') {
    state.openActionRefs.push({ object: value, problem });
    return null;
  }
  return problem;
}

const isInteger = (token: Token | null) => token?.type === 'word' && /^\d+$/.test(token.value);

/** What an /OpenAction value is: one that only shows a page, a reference (its object number), or other. */
function openingValue(lexer: Lexer): 'showsPage' | number | 'other' {
  const first = lexer.next();
  if (first?.type === 'arrayOpen') return isPlainDestination(lexer) ? 'showsPage' : 'other';
  if (first?.type === 'dictOpen') return isGoToAction(lexer) ? 'showsPage' : 'other';
  const generation = lexer.next();
  const r = lexer.next();
  if (
    first?.type === 'word' &&
    isInteger(first) &&
    isInteger(generation) &&
    r?.type === 'word' &&
    r.value === 'R'
  ) {
    return Number(first.value);
  }
  return 'other';
}

/** True when the array just opened ends without holding a dictionary. */
function isPlainDestination(lexer: Lexer): boolean {
  let depth = 1;
  for (let token = lexer.next(); token; token = lexer.next()) {
    if (token.type === 'dictOpen') return false;
    if (token.type === 'arrayOpen') depth++;
    if (token.type === 'arrayClose' && --depth === 0) return true;
  }
  return false;
}

/** True when the dictionary just opened is `<< /S /GoTo /D destination >>` and holds nothing else. */
function isGoToAction(lexer: Lexer): boolean {
  let isGoTo = false;
  for (;;) {
    const key = lexer.next();
    if (key?.type === 'dictClose') return isGoTo;
    if (key?.type !== 'name') return false;
    const value = lexer.next();
    if (key.value === 'Type' && value?.type === 'name') continue;
    if (key.value === 'S' && value?.type === 'name' && value.value === 'GoTo') {
      isGoTo = true;
      continue;
    }
    if (key.value !== 'D') return false;
    // The destination: an array, a named destination, or a reference to one.
    if (value?.type === 'arrayOpen' && isPlainDestination(lexer)) continue;
    if (value?.type === 'name' || value?.type === 'string') continue;
    if (isInteger(value) && isInteger(lexer.next()) && lexer.next()?.type === 'word') continue;
    return false;
  }
}

/** Whether every definition of object `number` (in the file or an object stream) only shows a page. */
function isDestinationObject(bytes: Buffer, number: number, state: ScanState): boolean {
  const starts: { data: Buffer; at: number }[] = [];
  const text = bytes.toString('latin1');
  const header = new RegExp(`(?<![0-9])${number}\\s+\\d+\\s+obj`, 'g');
  for (let match = header.exec(text); match; match = header.exec(text)) {
    starts.push({ data: bytes, at: match.index + match[0].length });
  }
  for (const stream of state.inflated) {
    const at = stream.offsets.get(number);
    if (at !== undefined) starts.push({ data: stream.data, at });
  }
  return (
    starts.length > 0 &&
    starts.every(({ data, at }) => {
      const value = openingValue(new Lexer(data, at, data.length));
      return value === 'showsPage';
    })
  );
}

/** Where each object of an inflated object stream starts: `/First` plus the offsets of its header. */
function objectOffsets(data: Buffer, dict: Map<string, Value>): Map<number, number> {
  const offsets = new Map<number, number>();
  const first = dict.get('First');
  if (first?.t !== 'number') return offsets;
  const lexer = new Lexer(data, 0, Math.min(first.v, data.length));
  for (;;) {
    const number = lexer.next();
    const offset = lexer.next();
    if (number?.type !== 'word' || offset?.type !== 'word') break;
    offsets.set(Number(number.value), first.v + Number(offset.value));
  }
  return offsets;
}

function nameOf(value: Value | undefined): string | undefined {
  return value?.t === 'name' ? value.v : undefined;
}

/** Where a stream's data begins: after `stream` and its end of line. */
function streamDataStart(bytes: Buffer, at: number): number {
  while (bytes[at] === 0x20) at++;
  if (bytes[at] === 0x0d) at++;
  if (bytes[at] === 0x0a) at++;
  return at;
}

/** Where a stream's data ends, and where scanning resumes; null when `endstream` never comes. */
function streamDataEnd(
  bytes: Buffer,
  start: number,
  end: number,
  length: Value | undefined,
): { dataEnd: number; resume: number } | null {
  if (length?.t === 'number' && Number.isInteger(length.v) && length.v >= 0 && start + length.v <= end) {
    let at = start + length.v;
    while (at < end && isSpace(bytes[at])) at++;
    if (bytes.toString('latin1', at, at + 9) === 'endstream')
      return { dataEnd: start + length.v, resume: at + 9 };
  }
  // A missing or wrong /Length: readers look for the keyword, and so does this.
  const keyword = bytes.indexOf('endstream', start, 'latin1');
  if (keyword < 0 || keyword + 9 > end) return null;
  return { dataEnd: keyword, resume: keyword + 9 };
}

const TOKENS_PER_TURN = 20_000;

/**
 * Reads every name token of bytes[from, to), building dictionaries only far enough to know the
 * streams; collects object streams for later inflation. Returns on the first problem. Lets other
 * requests run every TOKENS_PER_TURN tokens: a file of millions of tiny tokens takes a second or two.
 */
async function scan(
  bytes: Buffer,
  from: number,
  to: number,
  state: ScanState,
  nesting: number,
  inObjectStream: boolean,
) {
  const lexer = new Lexer(bytes, from, to);
  const stack: Frame[] = [];
  let lastDict: Map<string, Value> | null = null;

  const emit = (value: Value) => {
    const top = stack.at(-1);
    if (!top) {
      lastDict = value.t === 'dict' ? value.entries : null;
      return;
    }
    if (top.t === 'array') {
      if (top.items.length < KEPT_ARRAY_ITEMS) top.items.push(value);
      else top.truncated = true;
      return;
    }
    if (top.key === null) {
      if (value.t === 'name') top.key = value.v;
      return; // the generation number or R of a reference after a value: read by the word case
    }
    if (KEPT_KEYS.has(top.key)) top.entries.set(top.key, value);
    top.lastKey = top.key;
    top.key = null;
  };

  let tokens = 0;
  for (let token = lexer.next(); token; token = lexer.next()) {
    if (++tokens % TOKENS_PER_TURN === 0) await new Promise((resolve) => setImmediate(resolve));
    switch (token.type) {
      case 'name': {
        const problem = activeName(token, lexer, inObjectStream, state);
        if (problem) {
          state.problem = problem;
          return;
        }
        if (token.value === 'Encrypt') state.encrypted = true;
        emit({ t: 'name', v: token.value });
        break;
      }
      case 'dictOpen':
      case 'arrayOpen':
        if (stack.length >= PDF_LIMITS.maxDepth) {
          state.problem = { kind: 'tooComplex' };
          return;
        }
        stack.push(
          token.type === 'dictOpen'
            ? { t: 'dict', entries: new Map(), key: null, lastKey: null }
            : { t: 'array', items: [], truncated: false },
        );
        break;
      case 'dictClose':
      case 'arrayClose': {
        const want = token.type === 'dictClose' ? 'dict' : 'array';
        // An unbalanced close is ignored, as a lenient reader would.
        if (stack.at(-1)?.t !== want) break;
        const frame = stack.pop()!;
        emit(
          frame.t === 'dict'
            ? { t: 'dict', entries: frame.entries }
            : { t: 'array', items: frame.items, truncated: frame.truncated },
        );
        break;
      }
      case 'string':
        emit({ t: 'other' });
        break;
      case 'word': {
        const top = stack.at(-1);
        if (
          token.value === 'R' &&
          top?.t === 'dict' &&
          top.key === null &&
          KEPT_KEYS.has(top.lastKey ?? '')
        ) {
          // `/Length 12 0 R`: the value read as 12 is a reference.
          top.entries.set(top.lastKey!, { t: 'ref' });
          break;
        }
        if (token.value === 'obj' || token.value === 'endobj') {
          // No object spans these keywords: an unclosed dictionary before them is dropped, as
          // a reader resynchronising on the next object would.
          stack.length = 0;
          lastDict = null;
          break;
        }
        if (token.value === 'stream' && !inObjectStream && stack.length === 0 && lastDict) {
          const dict: Map<string, Value> = lastDict;
          const start = streamDataStart(bytes, lexer.pos);
          const found = streamDataEnd(bytes, start, to, dict.get('Length'));
          if (!found) {
            state.problem = { kind: 'unterminatedStream' };
            return;
          }
          const isObjectStream =
            nameOf(dict.get('Type')) === 'ObjStm' || (dict.has('N') && dict.has('First'));
          if (isObjectStream) {
            if (state.objectStreams.length >= PDF_LIMITS.maxObjectStreams) {
              state.problem = { kind: 'tooComplex' };
              return;
            }
            state.objectStreams.push({ body: bytes.subarray(start, found.dataEnd), dict });
          } else if (holdsObjectHeader(bytes, start, found.dataEnd)) {
            // A reader may find these objects (see holdsObjectHeader): read the data as objects.
            if (nesting >= PDF_LIMITS.maxNesting) {
              state.problem = { kind: 'tooComplex' };
              return;
            }
            await scan(bytes, start, found.dataEnd, state, nesting + 1, false);
            if (state.problem) return;
          }
          lexer.pos = found.resume;
          lastDict = null;
          break;
        }
        const number = Number(token.value);
        emit(Number.isFinite(number) && token.value !== '' ? { t: 'number', v: number } : { t: 'other' });
        break;
      }
    }
  }
}

/** Text (no control bytes but white space and NUL padding) with a tag or a script URL in it. */
function looksLikeMarkup(bytes: Buffer): boolean {
  if (bytes.some((b) => (b < 0x20 && !isSpace(b)) || b === 0x7f)) return false;
  return /<\s*[a-z!?/]|javascript:|\bon[a-z]+\s*=/i.test(bytes.toString('latin1'));
}

const inflate = promisify(zlib.inflate);

/** The filters of a stream as names, or null when one is not a name. */
function filtersOf(dict: Map<string, Value>): string[] | null {
  const filter = dict.get('Filter');
  if (filter === undefined) return [];
  if (filter.t === 'name') return [filter.v];
  if (filter.t === 'array' && !filter.truncated && filter.items.every((i) => i.t === 'name')) {
    return filter.items.map((i) => (i as { v: string }).v);
  }
  return null;
}

function hasPredictor(dict: Map<string, Value>): boolean {
  const params = dict.get('DecodeParms') ?? dict.get('DP');
  const dicts = params?.t === 'dict' ? [params] : params?.t === 'array' ? params.items : [];
  return dicts.some((d) => {
    if (d.t !== 'dict') return false;
    const predictor = d.entries.get('Predictor');
    return predictor !== undefined && !(predictor.t === 'number' && predictor.v === 1);
  });
}

/**
 * The first problem of a PDF upload, or null when it may be stored. Object streams are inflated
 * with zlib (never more than PDF_LIMITS.maxInflatedBytes in all) and read like the rest.
 */
export async function pdfProblem(bytes: Buffer): Promise<PdfProblem | null> {
  if (bytes.toString('latin1', 0, 5) !== '%PDF-') return { kind: 'notPdf' };
  const eof = bytes.lastIndexOf('%%EOF', undefined, 'latin1');
  if (eof < 0) return { kind: 'noEof' };
  const after = bytes.subarray(eof + 5);
  if (looksLikeMarkup(after)) return { kind: 'markupAfterEof' };
  if (after.length > PDF_LIMITS.eofWindow && after.some((b) => !isSpace(b))) return { kind: 'noEof' };

  const state: ScanState = {
    problem: null,
    encrypted: false,
    objectStreams: [],
    openActionRefs: [],
    inflated: [],
  };
  await scan(bytes, 0, bytes.length, state, 0, false);
  if (state.problem) return state.problem;
  // Encrypted object streams cannot be read without the key; a reader with the key would see them.
  if (state.encrypted && state.objectStreams.length > 0) {
    return { kind: 'unreadableObjectStream', encrypted: true };
  }
  let budget = PDF_LIMITS.maxInflatedBytes;
  for (const stream of state.objectStreams) {
    const filters = filtersOf(stream.dict);
    if (!filters?.every((f) => f === 'FlateDecode' || f === 'Fl') || hasPredictor(stream.dict)) {
      return { kind: 'unreadableObjectStream', encrypted: false };
    }
    let data: Buffer = stream.body;
    for (const _ of filters) {
      try {
        // Z_SYNC_FLUSH: a stream cut short still yields what it holds, as readers show it.
        data = await inflate(data, { maxOutputLength: budget, finishFlush: zlib.constants.Z_SYNC_FLUSH });
      } catch (error) {
        if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return { kind: 'tooComplex' };
        return { kind: 'unreadableObjectStream', encrypted: false };
      }
      budget -= data.length;
      if (budget <= 0) return { kind: 'tooComplex' };
    }
    state.inflated.push({ data, offsets: objectOffsets(data, stream.dict) });
    await scan(data, 0, data.length, state, 0, true);
    if (state.problem) return state.problem;
  }
  for (const { object, problem } of state.openActionRefs) {
    if (!isDestinationObject(bytes, object, state)) return problem;
  }
  return null;
}

// ---------- messages ----------

const reprint = {
  vi: 'Hãy mở tệp gốc và in lại ra PDF (In → Lưu dưới dạng PDF, hoặc Microsoft Print to PDF) rồi tải lên tệp mới.',
  en: 'Open the original and print it to PDF again (Print → Save as PDF, or Microsoft Print to PDF), then upload the new file.',
};

const FEATURE_TEXT: Record<ActiveFeature, Message> = {
  javascript: { vi: 'mã JavaScript', en: 'JavaScript code' },
  openAction: { vi: 'hành động tự chạy khi mở tệp', en: 'an action run when the file opens' },
  additionalActions: {
    vi: 'hành động tự chạy theo sự kiện (mở trang, nhấn chuột…)',
    en: 'actions run on events (page open, mouse click…)',
  },
  launch: { vi: 'lệnh mở chương trình hoặc tệp khác', en: 'a command launching another program or file' },
  embeddedFile: { vi: 'tệp đính kèm bên trong', en: 'an embedded file' },
  richMedia: {
    vi: 'nội dung đa phương tiện tương tác (Flash, video)',
    en: 'interactive rich media (Flash, video)',
  },
  xfa: { vi: 'biểu mẫu động XFA', en: 'a dynamic XFA form' },
  formSubmission: {
    vi: 'lệnh gửi hoặc nhập dữ liệu biểu mẫu qua mạng',
    en: 'a command sending or importing form data',
  },
};

/** What to tell the person who uploaded the file: what was found and how to fix it. */
export function pdfProblemMessage(problem: PdfProblem): Message {
  switch (problem.kind) {
    case 'activeContent': {
      const what = FEATURE_TEXT[problem.feature];
      const where = problem.inObjectStream
        ? { vi: ', trong một luồng đối tượng nén', en: ', inside a compressed object stream' }
        : { vi: '', en: '' };
      return {
        vi: `Tệp PDF chứa ${what.vi} (${problem.name}${where.vi}), không được nhận làm tài liệu hồ sơ. ${reprint.vi}`,
        en: `The PDF holds ${what.en} (${problem.name}${where.en}) and is not accepted as dossier evidence. ${reprint.en}`,
      };
    }
    case 'notPdf':
      return {
        vi: 'Tệp không phải PDF hợp lệ (thiếu phần đầu %PDF-). Hãy xuất lại tệp ra PDF.',
        en: 'The file is not a valid PDF (no %PDF- header). Export it to PDF again.',
      };
    case 'noEof':
      return {
        vi: 'Tệp PDF không hoàn chỉnh: không có dấu kết thúc %%EOF ở cuối tệp (tệp bị cắt hoặc bị ghép thêm dữ liệu). Hãy xuất lại tệp PDF từ bản gốc.',
        en: 'The PDF is incomplete: no %%EOF marker at its end (the file is cut short or has data appended). Export the PDF again from the original.',
      };
    case 'markupAfterEof':
      return {
        vi: `Sau dấu kết thúc của tệp PDF có thêm nội dung HTML hoặc mã script. ${reprint.vi}`,
        en: `HTML or script follows the end of the PDF. ${reprint.en}`,
      };
    case 'unterminatedStream':
      return {
        vi: `Tệp PDF bị hỏng: một luồng dữ liệu không có điểm kết thúc (endstream). ${reprint.vi}`,
        en: `The PDF is damaged: a data stream has no end (endstream). ${reprint.en}`,
      };
    case 'tooComplex':
      return {
        vi: `Tệp PDF quá phức tạp để kiểm tra (dữ liệu nén giải ra quá ${PDF_LIMITS.maxInflatedBytes / 1024 / 1024} MB hoặc lồng nhau quá sâu). ${reprint.vi}`,
        en: `The PDF is too complex to check (its compressed data inflates past ${PDF_LIMITS.maxInflatedBytes / 1024 / 1024} MB or nests too deep). ${reprint.en}`,
      };
    case 'unreadableObjectStream':
      return problem.encrypted
        ? {
            vi: `Tệp PDF được mã hóa (đặt mật khẩu hoặc giới hạn quyền) nên không kiểm tra được nội dung. Hãy lưu bản không mã hóa, hoặc ${reprint.vi.charAt(0).toLowerCase()}${reprint.vi.slice(1)}`,
            en: `The PDF is encrypted (password or permission restrictions), so its content cannot be checked. Save a copy without encryption, or ${reprint.en.charAt(0).toLowerCase()}${reprint.en.slice(1)}`,
          }
        : {
            vi: `Tệp PDF có luồng đối tượng nén không đọc được (bộ lọc không hỗ trợ hoặc dữ liệu hỏng) nên không kiểm tra được. ${reprint.vi}`,
            en: `The PDF has a compressed object stream that cannot be read (an unsupported filter or damaged data), so it cannot be checked. ${reprint.en}`,
          };
  }
}
