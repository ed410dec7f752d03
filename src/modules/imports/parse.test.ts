import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseCsv, readCsv, readXlsx, sniffFileKind } from './parse';

describe('sniffFileKind', () => {
  it('tells a workbook, CSV text and everything else apart by bytes', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('A').getCell('A1').value = 'x';
    expect(sniffFileKind(Buffer.from(await workbook.xlsx.writeBuffer()))).toBe('xlsx');
    expect(sniffFileKind(Buffer.from('\uFEFFa;b\n1;2\n'))).toBe('csv');
    expect(sniffFileKind(Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 1, 2]))).toBe('xls');
    expect(sniffFileKind(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toBe('binary');
    expect(sniffFileKind(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 1]))).toBe('binary');
    expect(sniffFileKind(Buffer.from([0x61, 0x2c, 0xff, 0xfe, 0x0a, 0x62, 0x2c]))).toBe('encoding');
    expect(sniffFileKind(Buffer.from('%PDF-1.7\na,b\n'))).toBe('notTabular');
    expect(sniffFileKind(Buffer.from('một dòng\nhai dòng\n'))).toBe('notTabular');
  });
});

describe('CSV', () => {
  it('reads quoted fields with separators, doubled quotes and line breaks', () => {
    expect(parseCsv('a,"b, c","say ""hi""","x\ny"\r\n1,2,3,4', ',')).toEqual([
      ['a', 'b, c', 'say "hi"', 'x\ny'],
      ['1', '2', '3', '4'],
    ]);
  });

  it('drops the UTF-8 BOM and finds the separator', () => {
    expect(readCsv(Buffer.from('\uFEFFTên;Hạng sao\n"Miến; dong";4 sao\n'))).toEqual([
      ['Tên', 'Hạng sao'],
      ['Miến; dong', '4 sao'],
    ]);
    expect(readCsv(Buffer.from('Tên,Hạng sao\nMiến,\n'))).toEqual([
      ['Tên', 'Hạng sao'],
      ['Miến', null],
    ]);
  });
});

describe('xlsx', () => {
  it('reads merged cells as their top-left value, rich text and formula results as text', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Sổ');
    sheet.getCell('A1').value = 'Quyết định';
    sheet.mergeCells('A1:B1');
    sheet.getCell('A2').value = { richText: [{ text: 'Miến ' }, { text: 'dong' }] };
    sheet.getCell('B2').value = { formula: '2+2', result: 4 };
    const { grid, sheetName } = await readXlsx(Buffer.from(await workbook.xlsx.writeBuffer()));
    expect(sheetName).toBe('Sổ');
    expect(grid).toEqual([
      ['Quyết định', 'Quyết định'],
      ['Miến dong', 4],
    ]);
  });
});
