import ExcelJS from 'exceljs';
import { Inflate } from 'fflate';

/**
 * Opening uploaded Excel files safely. An .xlsx is a zip: a few megabytes can inflate to gigabytes
 * (a "zip bomb") and exhaust the server's memory inside the parser. The zip's directory declares
 * each entry's size, but a hostile file lies there, so before exceljs sees the file every entry is
 * really inflated once — by fflate, chunk by chunk, output counted and thrown away — and the
 * file is refused as soon as the running count passes the limit or the overall compression ratio
 * is one no spreadsheet has. Entries are capped in number too. Only then does exceljs load it.
 */

export type ZipLimits = {
  /** Bytes all entries may inflate to together. */
  maxInflatedBytes: number;
  maxEntries: number;
  /** Inflated bytes per compressed byte, checked once more than `ratioFloorBytes` are inflated. */
  maxRatio: number;
  ratioFloorBytes: number;
};

/** Larger than any real registry or criteria workbook (20,000 rows of XML is well under this). */
export const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;

export const DEFAULT_ZIP_LIMITS: ZipLimits = {
  maxInflatedBytes: MAX_UNCOMPRESSED_BYTES,
  // A workbook holds a handful of parts per sheet; thousands of entries is no spreadsheet.
  maxEntries: 2_000,
  // Spreadsheet XML compresses 5–30×; deflate's ceiling is ~1,030×, which bombs use.
  maxRatio: 100,
  ratioFloorBytes: 16 * 1024 * 1024,
};

export type TooLargeReason = 'size' | 'entries' | 'ratio';

export class WorkbookTooLarge extends Error {
  constructor(readonly reason: TooLargeReason = 'size') {
    super(`the workbook inflates beyond the limit (${reason})`);
  }
}

/** A zip whose directory does not describe its content (sizes that do not match, broken entries). */
export class CorruptZip extends Error {}

const LOCAL_HEADER = 0x04034b50;
const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
/** ZIP64 marks sizes it moved elsewhere with all ones: far beyond any workbook we accept. */
const ZIP64_MARK = 0xffffffff;
/** Compressed bytes handed to the inflater at a time: one push inflates to at most ~16 MB. */
const CHUNK = 16 * 1024;

type DirectoryEntry = {
  name: string;
  method: number;
  compressedSize: number;
  declaredSize: number;
  localOffset: number;
};

function endOfCentralDirectory(bytes: Buffer): number {
  // The end record is 22 bytes plus a comment of at most 65,535, at the very end.
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  for (let at = bytes.length - 22; at >= earliest; at--) {
    if (bytes.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) return at;
  }
  return -1;
}

/**
 * The central directory's entries; null when the bytes are not a zip at all. Throws
 * WorkbookTooLarge for ZIP64 or too many entries and CorruptZip for a directory that does not add up.
 */
function readDirectory(bytes: Buffer, limits: ZipLimits): DirectoryEntry[] | null {
  const end = endOfCentralDirectory(bytes);
  if (end < 0) return null;
  const count = bytes.readUInt16LE(end + 10);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (directoryOffset === ZIP64_MARK || count === 0xffff) throw new WorkbookTooLarge('size');
  if (count > limits.maxEntries) throw new WorkbookTooLarge('entries');
  const entries: DirectoryEntry[] = [];
  let at = directoryOffset;
  for (let i = 0; i < count; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY)
      throw new CorruptZip('central directory entry missing');
    const compressedSize = bytes.readUInt32LE(at + 20);
    const declaredSize = bytes.readUInt32LE(at + 24);
    if (compressedSize === ZIP64_MARK || declaredSize === ZIP64_MARK) throw new WorkbookTooLarge('size');
    const nameLength = bytes.readUInt16LE(at + 28);
    entries.push({
      name: bytes.toString('utf8', at + 46, at + 46 + nameLength),
      method: bytes.readUInt16LE(at + 10),
      compressedSize,
      declaredSize,
      localOffset: bytes.readUInt32LE(at + 42),
    });
    at += 46 + nameLength + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return entries;
}

/**
 * The total uncompressed size the zip's central directory declares, `Infinity` for ZIP64 or a
 * directory that does not add up, and null when the bytes are not a zip at all. Only a quick
 * first refusal: a declared size is never trusted to be small (see `inflatedSize`).
 */
export function declaredUncompressedSize(bytes: Buffer): number | null {
  try {
    const entries = readDirectory(bytes, { ...DEFAULT_ZIP_LIMITS, maxEntries: 0xffff });
    return entries === null ? null : entries.reduce((sum, e) => sum + e.declaredSize, 0);
  } catch {
    return Number.POSITIVE_INFINITY;
  }
}

/** Stops the inflater from inside its callback the moment a limit is passed. */
class Stop extends Error {
  constructor(readonly reason: TooLargeReason) {
    super(reason);
  }
}

/**
 * Inflates every entry of the zip, counting the bytes that really come out and keeping none.
 * Returns the total; null when the bytes are not a zip. Throws WorkbookTooLarge past a limit and
 * CorruptZip for an entry whose real size differs from its declared one, or that does not inflate.
 */
export function inflatedSize(bytes: Buffer, limits: ZipLimits = DEFAULT_ZIP_LIMITS): number | null {
  const entries = readDirectory(bytes, limits);
  if (entries === null) return null;
  if (entries.reduce((sum, e) => sum + e.declaredSize, 0) > limits.maxInflatedBytes)
    throw new WorkbookTooLarge('size');
  let total = 0;
  let compressedSoFar = 0;
  const account = (produced: number, compressed: number) => {
    total += produced;
    if (total > limits.maxInflatedBytes) throw new Stop('size');
    if (total > limits.ratioFloorBytes && total / Math.max(1, compressed) > limits.maxRatio)
      throw new Stop('ratio');
  };
  for (const entry of entries) {
    const at = entry.localOffset;
    if (at + 30 > bytes.length || bytes.readUInt32LE(at) !== LOCAL_HEADER)
      throw new CorruptZip(`no local header for ${entry.name}`);
    const start = at + 30 + bytes.readUInt16LE(at + 26) + bytes.readUInt16LE(at + 28);
    const data = bytes.subarray(start, start + entry.compressedSize);
    if (data.length !== entry.compressedSize) throw new CorruptZip(`${entry.name} is cut short`);
    let produced = 0;
    try {
      if (entry.method === 0) {
        produced = data.length;
        account(produced, compressedSoFar + data.length);
      } else if (entry.method === 8) {
        let fed = 0;
        const inflater = new Inflate((chunk) => {
          produced += chunk.length;
          account(chunk.length, compressedSoFar + fed);
        });
        for (let offset = 0; offset < data.length || offset === 0; offset += CHUNK) {
          const piece = data.subarray(offset, offset + CHUNK);
          fed += piece.length;
          inflater.push(piece, offset + CHUNK >= data.length);
        }
      } else {
        throw new CorruptZip(`${entry.name}: compression method ${entry.method}`);
      }
    } catch (error) {
      if (error instanceof Stop) throw new WorkbookTooLarge(error.reason);
      if (error instanceof CorruptZip) throw error;
      throw new CorruptZip(`${entry.name} does not inflate`);
    }
    if (produced !== entry.declaredSize)
      throw new CorruptZip(`${entry.name}: declares ${entry.declaredSize} bytes, holds ${produced}`);
    compressedSoFar += data.length;
  }
  return total;
}

/**
 * Loads an uploaded workbook after inflating it once under the limits (WorkbookTooLarge); a zip
 * that lies about its content or is no workbook fails with another error, which callers report
 * as "not a workbook".
 */
export async function loadWorkbook(
  bytes: Buffer,
  limit: number | ZipLimits = MAX_UNCOMPRESSED_BYTES,
): Promise<ExcelJS.Workbook> {
  const limits = typeof limit === 'number' ? { ...DEFAULT_ZIP_LIMITS, maxInflatedBytes: limit } : limit;
  inflatedSize(bytes, limits);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}
