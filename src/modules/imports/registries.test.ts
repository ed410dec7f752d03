import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROWS } from '../../../tests/fixtures/registries/make';
import { AppError } from '../../server/errors';
import { readUpload } from './parse';
import { cellText } from './rules';

/**
 * The registry fixtures (tests/fixtures/registries, README there) through the upload reader:
 * what each file must read as, or the error it must be refused with.
 */
const dir = path.resolve(import.meta.dirname, '..', '..', '..', 'tests', 'fixtures', 'registries');
const file = (name: string) => fs.readFileSync(path.join(dir, name));

async function refusal(name: string): Promise<AppError> {
  try {
    await readUpload(file(name));
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`${name} was read`);
}

const dataRows = (reading: Awaited<ReturnType<typeof readUpload>>) =>
  reading.grid
    .slice(reading.header!.row + reading.header!.rows)
    .filter((row) => row.some((c) => cellText(c) !== ''));

describe('registry fixtures', () => {
  it('01: title rows, a two-row header under merged parents, every row of the registry', async () => {
    const reading = await readUpload(file('01-title-rows-merged-header.xlsx'));
    expect(reading).toMatchObject({ kind: 'xlsx', sheetName: 'DS OCOP', sheetNames: ['DS OCOP'] });
    expect(reading.header).toMatchObject({ row: 3, rows: 2 });
    expect(reading.header!.labels.slice(6, 12)).toEqual([
      'Quyết định công nhận Số',
      'Quyết định công nhận Ngày',
      'Cơ quan cấp',
      'Địa chỉ Xã/phường/thị trấn',
      'Địa chỉ Huyện/TX/TP',
      'Địa chỉ Tỉnh (cũ)',
    ]);
    expect(reading.header!.fields).toEqual([
      null,
      'productName',
      'subjectName',
      'subjectType',
      'category',
      'star',
      'decisionNumber',
      'decisionDate',
      'issuer',
      'commune',
      'district',
      'province',
      'taxCode',
      'legalRepresentative',
    ]);
    const rows = dataRows(reading);
    expect(rows).toHaveLength(ROWS.length);
    expect(rows.map((r) => r[1])).toEqual(ROWS.map((r) => r.product));
    expect(rows[4]!.slice(9, 12)).toEqual(['Xã Yên Mỹ', null, 'Ninh Bình']);
  });

  it('02: chooses the registry sheet among three and lists them all', async () => {
    const reading = await readUpload(file('02-two-sheets.xlsx'));
    expect(reading.sheetName).toBe('Danh sách 2024');
    expect(reading.sheetNames).toEqual(['Hướng dẫn', 'Danh sách 2024', 'Tổng hợp']);
    expect(reading.header!.fields).toEqual([
      null,
      'productName',
      'subjectName',
      'star',
      'decisionNumber',
      'decisionDate',
      'commune',
      'district',
      'province',
    ]);
    expect(dataRows(reading)).toHaveLength(6);
  });

  it('03: a ";" CSV in UTF-8 with a BOM and a padded title row', async () => {
    const reading = await readUpload(file('03-semicolon-utf8.csv'));
    expect(reading.kind).toBe('csv');
    expect(reading.header).toMatchObject({ row: 1, rows: 1 });
    expect(reading.header!.fields).toContain('district');
    expect(reading.header!.fields[7]).toBe('decisionDate'); // "Năm công nhận"
    const rows = dataRows(reading);
    expect(rows).toHaveLength(ROWS.length);
    expect(rows[2]![7]).toBe('2022');
    expect(rows.map((r) => r[5])).toEqual(ROWS.map((r) => String(r.star)));
  });

  it('04: Excel "Unicode text" (UTF-16 LE, tabs) reads like the CSV', async () => {
    const utf16 = await readUpload(file('04-unicode-text-utf16.txt'));
    const csv = await readUpload(file('03-semicolon-utf8.csv'));
    expect(utf16.kind).toBe('csv');
    expect(utf16.header!.labels).toEqual(csv.header!.labels);
    expect(dataRows(utf16)).toEqual(dataRows(csv));
  });

  it('05: a stray quote is a file error naming line 12, not rows glued into one cell', async () => {
    const error = await refusal('05-broken-quote.csv');
    expect(error.code).toBe('VALIDATION');
    expect(error.fields!.file!.vi).toMatch(/^dòng 12: dấu ngoặc kép không đóng/);
    expect(error.fields!.file!.en).toMatch(/^line 12: unclosed double quote/);
  });

  it('06: a zip whose directory lies about sizes is refused by what it really inflates to', async () => {
    const error = await refusal('06-lying-zip.xlsx');
    expect(error.code).toBe('PAYLOAD_TOO_LARGE');
    expect(error.status).toBe(413);
  });

  it('07: Excel 97 (.xls) is refused with how to save as .xlsx', async () => {
    const error = await refusal('07-excel-97.xls');
    expect(error.code).toBe('UNSUPPORTED_MEDIA');
    expect(error.fields!.file!.vi).toContain('Lưu thành');
    expect(error.fields!.file!.en).toContain('Excel Workbook (.xlsx)');
  });

  it('08: a Windows-1258 CSV is refused with how to save as UTF-8, never read as mojibake', async () => {
    const error = await refusal('08-windows-1258.csv');
    expect(error.code).toBe('UNSUPPORTED_MEDIA');
    expect(error.fields!.file!.vi).toContain('CSV UTF-8');
  });

  it('09: a LibreOffice .ods is refused with how to save as .xlsx', async () => {
    const error = await refusal('09-libreoffice.ods');
    expect(error.code).toBe('UNSUPPORTED_MEDIA');
    expect(error.fields!.file!.vi).toContain('.ods');
    expect(error.fields!.file!.en).toContain('Save As');
  });

  it('10: a decomposed (NFD) file reads as NFC text', async () => {
    const reading = await readUpload(file('10-decomposed-nfd.csv'));
    const rows = dataRows(reading);
    expect(rows[0]![2]).toBe('HTX Nông nghiệp Kim Chính'.normalize('NFC'));
    expect(reading.header!.fields).toContain('district');
    for (const row of rows)
      for (const cell of row) expect(cellText(cell)).toBe(cellText(cell).normalize('NFC'));
  });
});
