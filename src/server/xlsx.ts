import ExcelJS from 'exceljs';

/**
 * Opening uploaded Excel files safely. An .xlsx is a zip: a few megabytes can inflate to gigabytes
 * (a "zip bomb") and exhaust the server's memory inside the parser. The zip's central directory
 * declares each entry's uncompressed size, so the total is checked before anything is inflated.
 */

/** Larger than any real registry or criteria workbook (20,000 rows of XML is well under this). */
export const MAX_UNCOMPRESSED_BYTES = 200 * 1024 * 1024;

export class WorkbookTooLarge extends Error {
  constructor() {
    super('the workbook inflates beyond the limit');
  }
}

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_DIRECTORY_ENTRY = 0x02014b50;
/** ZIP64 marks sizes it moved elsewhere with all ones: far beyond any workbook we accept. */
const ZIP64_MARK = 0xffffffff;

/**
 * The total uncompressed size the zip's central directory declares, `Infinity` for ZIP64 or a
 * directory that does not add up, and null when the bytes are not a zip at all.
 */
export function declaredUncompressedSize(bytes: Buffer): number | null {
  // The end record is 22 bytes plus a comment of at most 65,535, at the very end.
  const earliest = Math.max(0, bytes.length - 22 - 0xffff);
  let end = -1;
  for (let at = bytes.length - 22; at >= earliest; at--) {
    if (bytes.readUInt32LE(at) === END_OF_CENTRAL_DIRECTORY) {
      end = at;
      break;
    }
  }
  if (end < 0) return null;
  const entries = bytes.readUInt16LE(end + 10);
  const directoryOffset = bytes.readUInt32LE(end + 16);
  if (directoryOffset === ZIP64_MARK || entries === 0xffff) return Number.POSITIVE_INFINITY;
  let total = 0;
  let at = directoryOffset;
  for (let i = 0; i < entries; i++) {
    if (at + 46 > bytes.length || bytes.readUInt32LE(at) !== CENTRAL_DIRECTORY_ENTRY) {
      return Number.POSITIVE_INFINITY;
    }
    const size = bytes.readUInt32LE(at + 24);
    if (size === ZIP64_MARK) return Number.POSITIVE_INFINITY;
    total += size;
    at += 46 + bytes.readUInt16LE(at + 28) + bytes.readUInt16LE(at + 30) + bytes.readUInt16LE(at + 32);
  }
  return total;
}

/**
 * Loads an uploaded workbook, refusing one that would inflate beyond the limit (WorkbookTooLarge);
 * any other failure is the parser's error, which callers report as "not a workbook".
 */
export async function loadWorkbook(bytes: Buffer, limit = MAX_UNCOMPRESSED_BYTES): Promise<ExcelJS.Workbook> {
  const declared = declaredUncompressedSize(bytes);
  if (declared !== null && declared > limit) throw new WorkbookTooLarge();
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(bytes as unknown as ArrayBuffer);
  return workbook;
}
