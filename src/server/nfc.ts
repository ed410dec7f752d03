import type { FastifyRequest } from 'fastify';

/**
 * All text is stored in NFC. Names typed or pasted on some systems arrive decomposed (NFD: macOS
 * file names, Vietnamese keyboards in "Unicode tổ hợp" mode), and then "Thuỷ" ≠ "Thuỷ" in every
 * comparison, unique index and search. The request hook below normalises every string of the
 * body, query string and route parameters before validation — one place that catches every
 * route, whichever field builder or schema (or none) it uses, so lengths and refinements see the
 * stored form. Values of keys naming a password are left as typed: their hashes were made from
 * the bytes sent, and normalising them here would lock out anyone who set one in NFD.
 * Files read by the import are normalised cell by cell where they are read.
 */

const SECRET_KEY = /password/i;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the ASCII range is the point
const ASCII = /^[\u0000-\u007f]*$/;

/** The value with every string inside it in NFC; objects and arrays are changed in place. */
export function toNfcDeep(value: unknown): unknown {
  if (typeof value === 'string') return ASCII.test(value) ? value : value.normalize('NFC');
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) value[i] = toNfcDeep(value[i]);
    return value;
  }
  if (value !== null && typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    // Only plain parsed JSON and query objects: a Buffer or a stream is no text.
    if (prototype !== Object.prototype && prototype !== null) return value;
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!SECRET_KEY.test(key)) record[key] = toNfcDeep(record[key]);
    }
  }
  return value;
}

/** preValidation hook: the request's body, query and params in NFC. */
export async function normaliseRequestText(request: FastifyRequest): Promise<void> {
  request.body = toNfcDeep(request.body);
  toNfcDeep(request.query);
  toNfcDeep(request.params);
}
