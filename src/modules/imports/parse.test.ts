import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { lyingZip } from '../../../tests/support/lying-zip';
import { AppError } from '../../server/errors';
import { readCsv, readGrid, readUpload, readXlsx, sniffFileKind, UnreadableWorkbook } from './parse';

async function fileError(run: () => Promise<unknown> | unknown): Promise<AppError> {
  try {
    await run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('no error');
}

describe('sniffFileKind', () => {
  it('tells a workbook, CSV text and everything else apart by bytes', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('A').getCell('A1').value = 'x';
    expect(sniffFileKind(Buffer.from(await workbook.xlsx.writeBuffer()))).toBe('xlsx');
    expect(sniffFileKind(Buffer.from('\uFEFFa;b\n1;2\n'))).toBe('csv');
    expect(
      sniffFileKind(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('a\tb\n1\t2\n', 'utf16le')])),
    ).toBe('csv');
    expect(sniffFileKind(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2]))).toBe('xls');
    const encrypted = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0]),
      Buffer.alloc(60),
      Buffer.from('EncryptedPackage', 'utf16le'),
    ]);
    expect(sniffFileKind(encrypted)).toBe('xls');
    const ods = Buffer.concat([
      Buffer.from([0x50, 0x4b, 0x03, 0x04]),
      Buffer.alloc(26),
      Buffer.from('mimetypeapplication/vnd.oasis.opendocument.spreadsheet'),
    ]);
    expect(sniffFileKind(ods)).toBe('ods');
    expect(sniffFileKind(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toBe('binary');
    expect(sniffFileKind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]))).toBe('binary');
    expect(sniffFileKind(Buffer.from([0x61, 0x2c, 0xff, 0xfe, 0x0a, 0x62, 0x2c]))).toBe('encoding');
    expect(sniffFileKind(Buffer.from('%PDF-1.7\na,b\n'))).toBe('notTabular');
    expect(sniffFileKind(Buffer.from('một dòng\nhai dòng\n'))).toBe('notTabular');
  });
});

describe('reading uploads', () => {
  it('refuses .xls and .ods with how to save as .xlsx, and non-UTF-8 CSV with how to save as UTF-8', async () => {
    const xls = await fileError(() =>
      readUpload(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])),
    );
    expect(xls.code).toBe('UNSUPPORTED_MEDIA');
    expect(xls.fields?.file?.vi).toContain('.xlsx');
    expect(xls.fields?.file?.en).toContain('Save As');
    const locked = Buffer.concat([
      Buffer.from([0xd0, 0xcf, 0x11, 0xe0]),
      Buffer.alloc(60),
      Buffer.from('EncryptedPackage', 'utf16le'),
    ]);
    expect((await fileError(() => readUpload(locked))).fields?.file?.vi).toContain('mật khẩu');
    const latin = await fileError(() =>
      readUpload(Buffer.from([0x54, 0xea, 0x6e, 0x3b, 0x48, 0xe0, 0x0a, 0x61, 0x3b])),
    );
    expect(latin.code).toBe('UNSUPPORTED_MEDIA');
    expect(latin.fields?.file?.vi).toContain('UTF-8');
  });

  it('reports a broken CSV quote as a file error naming its line', async () => {
    const lines = [
      'Tên sản phẩm;Chủ thể;Hạng sao',
      ...Array.from({ length: 10 }, (_, i) => `SP ${i};HTX A;4`),
    ];
    lines.push('"Miến dong;HTX B;3', 'Chè;HTX C;4', 'Gạo;HTX "D";5');
    const error = await fileError(() => readUpload(Buffer.from(lines.join('\n'))));
    expect(error.code).toBe('VALIDATION');
    expect(error.fields?.file?.vi).toMatch(/^dòng 12: dấu ngoặc kép không đóng/);
  });

  it('never glues thousands of rows into one cell when a stray quote closes cleanly far below', async () => {
    // The reported case: 5,000 rows, a quote opened on line 12 and "closed" by a cell ending in a
    // quote on line 4,000 — valid CSV quoting, but one cell of some 98,000 characters.
    const lines = ['Tên sản phẩm;Chủ thể;Hạng sao'];
    for (let line = 2; line <= 5_000; line++) {
      if (line === 12) lines.push('"Miến dong;HTX Miến;3');
      else if (line === 4_000) lines.push('Ống tre 5";HTX Tre;4');
      else lines.push(`Sản phẩm ${line};HTX Số ${line};4`);
    }
    const error = await fileError(() => readUpload(Buffer.from(lines.join('\n'))));
    expect(error.code).toBe('VALIDATION');
    expect(error.fields?.file?.vi).toMatch(/^dòng 12[:,]/);
  });

  it('counts what a lying workbook really inflates to and refuses it as too large', async () => {
    const error = await fileError(() => readUpload(lyingZip(64 * 1024 * 1024, 1_000)));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    await expect(readXlsx(lyingZip(50_000, 100))).rejects.toBeInstanceOf(UnreadableWorkbook);
  });
});

describe('CSV', () => {
  it('refuses a CSV past the row limit with the registry limit (413)', async () => {
    const lines = [
      'Tên sản phẩm;Chủ thể;Hạng sao',
      ...Array.from({ length: 20_100 }, (_, i) => `SP ${i};HTX;4`),
    ];
    const error = await fileError(() => readUpload(Buffer.from(lines.join('\n'))));
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.fields?.file?.vi).toContain('tối đa 20.000 dòng');
  });

  it('drops the UTF-8 BOM, finds the separator and keeps empty cells as null', () => {
    expect(readCsv(Buffer.from('\uFEFFTên;Hạng sao\n"Miến; dong";4 sao\n'))).toEqual([
      ['Tên', 'Hạng sao'],
      ['Miến; dong', '4 sao'],
    ]);
    expect(readCsv(Buffer.from('Tên,Hạng sao\nMiến,\n'))).toEqual([
      ['Tên', 'Hạng sao'],
      ['Miến', null],
    ]);
  });

  it('finds the two-row header of a CSV saved from a sheet with merged cells', async () => {
    const csv =
      'DANH SÁCH\n\nTên sản phẩm;Địa chỉ;;;Hạng sao\n;Xã;Huyện;Tỉnh;\nMiến;Kim Chính;Kim Sơn;Ninh Bình;4\n';
    const { header } = await readGrid('csv', Buffer.from(csv));
    expect(header).toMatchObject({ row: 2, rows: 2 });
    expect(header?.fields).toEqual(['productName', 'commune', 'district', 'province', 'star']);
  });
});

describe('xlsx', () => {
  it('reads merged cells as their top-left value, rich text and formula results as text, all NFC', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sổ');
    sheet.getCell('A1').value = 'Quyết định';
    sheet.mergeCells('A1:B1');
    sheet.getCell('A2').value = { richText: [{ text: 'Miến '.normalize('NFD') }, { text: 'dong' }] };
    sheet.getCell('B2').value = { formula: '2+2', result: 4 };
    sheet.getCell('A3').value = 'Thuỷ'.normalize('NFD');
    const { grid, sheetName, sheetNames } = await readXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(sheetName).toBe('Sổ');
    expect(sheetNames).toEqual(['Sổ']);
    expect(grid).toEqual([
      ['Quyết định', 'Quyết định'],
      ['Miến dong', 4],
      ['Thuỷ'.normalize('NFC'), null],
    ]);
  });

  it('chooses the sheet whose header names the most fields, lists the others, and reads another when asked', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Hướng dẫn').addRow(['Điền mỗi sản phẩm một dòng']);
    const list = workbook.addWorksheet('Danh sách');
    list.addRow(['STT', 'Tên sản phẩm', 'Chủ thể', 'Hạng sao', 'Ngày QĐ']);
    list.addRow([1, 'Miến dong', 'HTX A', '4 sao', '12/03/2024']);
    const summary = workbook.addWorksheet('Tổng hợp');
    summary.addRow(['Huyện', 'Số sản phẩm']);
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const read = await readXlsx(bytes);
    expect(read.sheetName).toBe('Danh sách');
    expect(read.sheetNames).toEqual(['Hướng dẫn', 'Danh sách', 'Tổng hợp']);
    expect(read.header).toMatchObject({ row: 0, rows: 1 });
    expect((await readGrid('xlsx', bytes, { sheetName: 'Tổng hợp' })).grid[0]).toEqual([
      'Huyện',
      'Số sản phẩm',
    ]);
    expect(
      (await fileError(() => readXlsx(bytes, { sheetName: 'Không có' }))).fields?.sheetName,
    ).toBeTruthy();
  });

  it('does not choose a hidden sheet by itself but lists it', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Danh sách').addRow(['Tên sản phẩm', 'Chủ thể', 'Hạng sao']);
    const hidden = workbook.addWorksheet('Bản cũ', { state: 'hidden' });
    hidden.addRow(['Tên sản phẩm', 'Chủ thể', 'Hạng sao', 'Ngày QĐ', 'Xã']);
    const read = await readXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(read.sheetName).toBe('Danh sách');
    expect(read.sheetNames).toEqual(['Danh sách', 'Bản cũ']);
  });

  it('refuses a sheet with data past the column limit instead of cutting it', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sổ');
    sheet.getCell('A1').value = 'Tên sản phẩm';
    sheet.getCell(1, 70).value = 'Cột lạ';
    const bytes = Buffer.from(await workbook.xlsx.writeBuffer());
    const error = await fileError(() => readXlsx(bytes));
    expect(error.fields?.file?.vi).toContain('60 cột');
  });
});
