import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { cellValue } from './workbook-cells';

describe('criteria workbook cells', () => {
  it('are read as NFC text whatever form the workbook holds', () => {
    const sheet = new ExcelJS.Workbook().addWorksheet('Tiêu chí');
    sheet.getCell('A1').value = 'Tính độc đáo của sản phẩm'.normalize('NFD');
    sheet.getCell('A2').value = {
      richText: [{ text: 'Chất lượng '.normalize('NFD') }, { text: 'sản phẩm' }],
    };
    sheet.getCell('A3').value = 4;
    expect(cellValue(sheet.getCell('A1'))).toBe('Tính độc đáo của sản phẩm'.normalize('NFC'));
    expect(cellValue(sheet.getCell('A2'))).toBe('Chất lượng sản phẩm'.normalize('NFC'));
    expect(cellValue(sheet.getCell('A3'))).toBe(4);
  });
});
