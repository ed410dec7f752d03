import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { parseCsvText } from '../../server/csv';
import { neutraliseFormula } from '../../shared/text';
import { OPEN_DATA_FIELDS, type OpenDataRecord } from './contract';
import { exportStream } from './formats';

const record = Object.fromEntries(OPEN_DATA_FIELDS.map(([key]) => [key, null])) as OpenDataRecord;
const hostile: OpenDataRecord = {
  ...record,
  certificateNumber: 'NB-2024-001',
  star: 4,
  productName: '=HYPERLINK("http://example.invalid","Miến dong")',
  subjectName: '+84 HTX Miến',
  issuerName: '-1+2',
  decisionNumber: '@SUM(A1)',
  communeName: '\t=1+1',
  provinceName: 'Ninh Bình',
};

async function* once(records: OpenDataRecord[]): AsyncGenerator<OpenDataRecord[]> {
  yield records;
}

async function bytesOf(format: 'csv' | 'xlsx'): Promise<Buffer> {
  const chunks: Buffer[] = [];
  const meta = { generatedAt: '2026-01-01T00:00:00.000Z', filters: {} };
  for await (const chunk of exportStream(format, once([hostile]), meta)) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

describe('formula-looking cells in open data', () => {
  it('are prefixed with an apostrophe by one shared function', () => {
    for (const text of ['=1', '+1', '-1', '@A', '\t=1', '\r=1'])
      expect(neutraliseFormula(text)).toBe(`'${text}`);
    for (const text of ['Miến dong', '1=1', "'=1", '']) expect(neutraliseFormula(text)).toBe(text);
  });

  it('are neutralised in the CSV and the XLSX alike; numbers stay numbers', async () => {
    const keys = OPEN_DATA_FIELDS.map(([key]) => key);
    const csv = parseCsvText((await bytesOf('csv')).toString('utf8')).rows;
    const csvRow = Object.fromEntries(keys.map((k, i) => [k, csv[1]![i]]));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load((await bytesOf('xlsx')) as unknown as ArrayBuffer);
    const sheetRow = workbook.getWorksheet('certified-products')!.getRow(2);
    const xlsxRow = Object.fromEntries(keys.map((k, i) => [k, sheetRow.getCell(i + 1).value]));
    for (const row of [csvRow, xlsxRow]) {
      expect(row.productName).toBe(`'${hostile.productName}`);
      expect(row.subjectName).toBe("'+84 HTX Miến");
      expect(row.issuerName).toBe("'-1+2");
      expect(row.decisionNumber).toBe("'@SUM(A1)");
      expect(row.communeName).toBe("'\t=1+1");
      expect(row.provinceName).toBe('Ninh Bình');
    }
    expect(xlsxRow.star).toBe(4);
    expect(sheetRow.getCell(keys.indexOf('productName') + 1).formula).toBeUndefined();
  });
});
