import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { lyingZip } from '../../tests/support/lying-zip';
import {
  CorruptZip,
  DEFAULT_ZIP_LIMITS,
  declaredUncompressedSize,
  inflatedSize,
  loadWorkbook,
  WorkbookTooLarge,
} from './xlsx';

async function smallWorkbook(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.addWorksheet('Danh sách').addRow(['Tên sản phẩm', 'Hạng sao']).commit();
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

/** A one-entry zip whose central directory declares `size` uncompressed bytes (nothing real inside). */
function zipDeclaring(size: number): Buffer {
  const name = Buffer.from('xl/workbook.xml');
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt32LE(size, 24);
  central.writeUInt16LE(name.length, 28);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(0, 16);
  return Buffer.concat([central, name, end]);
}

const MB = 1024 * 1024;

describe('opening uploaded workbooks', () => {
  it('inflates a real workbook once, finds the sizes it declares, and opens it', async () => {
    const bytes = await smallWorkbook();
    const declared = declaredUncompressedSize(bytes);
    expect(declared).toBeGreaterThan(bytes.length);
    expect(inflatedSize(bytes)).toBe(declared);
    const workbook = await loadWorkbook(bytes);
    expect(workbook.worksheets[0]!.name).toBe('Danh sách');
  });

  it('refuses a zip that declares more than the limit before inflating anything', async () => {
    await expect(loadWorkbook(zipDeclaring(3_000_000_000))).rejects.toBeInstanceOf(WorkbookTooLarge);
    await expect(loadWorkbook(await smallWorkbook(), 100)).rejects.toBeInstanceOf(WorkbookTooLarge);
    expect(declaredUncompressedSize(zipDeclaring(0xffffffff))).toBe(Number.POSITIVE_INFINITY);
  });

  it('counts the bytes really inflated when the directory lies about the sizes', async () => {
    // 64 MB of zeros in ~64 kB, declared as 1,000 bytes in the local header and the directory.
    const bomb = lyingZip(64 * MB, 1_000);
    expect(bomb.length).toBeLessThan(200_000);
    expect(declaredUncompressedSize(bomb)).toBe(2_000);
    // Past the byte limit: stopped while inflating the first entry, not after.
    const small = { ...DEFAULT_ZIP_LIMITS, maxInflatedBytes: 8 * MB, maxRatio: 10_000 };
    expect(() => inflatedSize(bomb, small)).toThrow(WorkbookTooLarge);
    await expect(loadWorkbook(bomb, small)).rejects.toMatchObject({ reason: 'size' });
    // Under the byte limit but at a ratio no spreadsheet has (~1,000:1).
    await expect(loadWorkbook(bomb)).rejects.toMatchObject({ reason: 'ratio' });
  });

  it('refuses a zip whose entries hold other sizes than declared, even small ones', () => {
    expect(() => inflatedSize(lyingZip(100_000, 1_000))).toThrow(CorruptZip);
  });

  it('caps the number of entries', () => {
    const names = Array.from({ length: DEFAULT_ZIP_LIMITS.maxEntries + 1 }, (_, i) => `xl/part${i}.xml`);
    expect(() => inflatedSize(lyingZip(10, 10, names))).toThrow(WorkbookTooLarge);
    expect(inflatedSize(lyingZip(10, 10, names.slice(0, 10)))).toBe(100);
  });

  it('leaves bytes that are not a zip to the parser, which refuses them', async () => {
    expect(declaredUncompressedSize(Buffer.from('Tên sản phẩm;Hạng sao\n'))).toBeNull();
    expect(inflatedSize(Buffer.from('Tên sản phẩm;Hạng sao\n'))).toBeNull();
    await expect(loadWorkbook(Buffer.from('not a workbook'))).rejects.not.toBeInstanceOf(WorkbookTooLarge);
  });
});
