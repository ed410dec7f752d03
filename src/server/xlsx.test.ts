import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { declaredUncompressedSize, loadWorkbook, WorkbookTooLarge } from './xlsx';

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

describe('opening uploaded workbooks', () => {
  it('reads the declared size of a real workbook and opens it', async () => {
    const bytes = await smallWorkbook();
    const size = declaredUncompressedSize(bytes);
    expect(size).toBeGreaterThan(bytes.length);
    const workbook = await loadWorkbook(bytes);
    expect(workbook.worksheets[0]!.name).toBe('Danh sách');
  });

  it('refuses a zip that would inflate beyond the limit before inflating anything', async () => {
    await expect(loadWorkbook(zipDeclaring(3_000_000_000))).rejects.toBeInstanceOf(WorkbookTooLarge);
    await expect(loadWorkbook(await smallWorkbook(), 100)).rejects.toBeInstanceOf(WorkbookTooLarge);
    expect(declaredUncompressedSize(zipDeclaring(0xffffffff))).toBe(Number.POSITIVE_INFINITY);
  });

  it('leaves bytes that are not a zip to the parser, which refuses them', async () => {
    expect(declaredUncompressedSize(Buffer.from('Tên sản phẩm;Hạng sao\n'))).toBeNull();
    await expect(loadWorkbook(Buffer.from('not a workbook'))).rejects.not.toBeInstanceOf(WorkbookTooLarge);
  });
});
