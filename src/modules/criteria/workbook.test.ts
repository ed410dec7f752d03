import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import type { Sheet } from './documents';
import { readShippedCriteria } from './shipped';
import { validateSheet } from './validate';
import {
  buildSheetWorkbook,
  type CellMessage,
  HELP_WORKSHEET,
  parseSheetWorkbook,
  SHEET_WORKSHEET,
  WorkbookError,
} from './workbook';

const shipped = readShippedCriteria();
const sheetByCode = (code: string) => shipped.sheets.find((s) => s.document.code === code)!.document;
const ruleSetByCode = (code: string) => shipped.ruleSets.find((r) => r.document.code === code)!.document;
const DEMO = '26-2026.demo.1';
const REAL_1048 = shipped.sheets.find((s) => s.document.ruleSet === '1048-2019')!.document.code;

async function load(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}
const save = async (workbook: ExcelJS.Workbook) => Buffer.from(await workbook.xlsx.writeBuffer());

/** The row of the table whose Code cell (column C) holds `code`. */
function rowOfCode(ws: ExcelJS.Worksheet, code: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (ws.getCell(r, 3).value === code) return r;
  throw new Error(`no row for ${code}`);
}

async function problemsOf(buffer: Buffer): Promise<CellMessage[]> {
  try {
    await parseSheetWorkbook(buffer);
  } catch (error) {
    if (error instanceof WorkbookError) return error.problems;
    throw error;
  }
  throw new Error('the workbook was accepted');
}

describe('scoring sheet workbook', () => {
  it.each([DEMO, REAL_1048])(
    'round-trips the shipped sheet %s: export then import gives the same document',
    async (code) => {
      const sheet = sheetByCode(code);
      const parsed = await parseSheetWorkbook(await buildSheetWorkbook(sheet));
      expect(parsed.document).toEqual(sheet);
    },
  );

  it('lays out one row per node with a header area, readable in Vietnamese', async () => {
    const sheet = sheetByCode(DEMO);
    const workbook = await load(await buildSheetWorkbook(sheet));
    expect(workbook.worksheets.map((w) => w.name)).toEqual([SHEET_WORKSHEET, HELP_WORKSHEET]);
    const ws = workbook.getWorksheet(SHEET_WORKSHEET)!;
    expect(ws.getCell('A3').value).toBe('Mã phiếu / Sheet code');
    expect(ws.getCell('B3').value).toBe(DEMO);
    const part = rowOfCode(ws, 'A');
    expect(ws.getCell(part, 1).value).toBe('Phần');
    expect(ws.getCell(part, 6).value).toBe(40);
    const option = rowOfCode(ws, 'A1.1.d');
    expect(ws.getCell(option, 1).value).toBe('Lựa chọn');
    expect(ws.getCell(option, 4).value).toBe('Từ 75% nguyên liệu trong tỉnh, có vùng nguyên liệu ổn định');
    expect(ws.getCell(option, 6).value).toBe(5);
    const marked = sheet.parts
      .flatMap((p) => p.groups.flatMap((g) => g.criteria))
      .flatMap((c) => [c, ...(c.options ?? [])])
      .find((n) => n.requiredForStar !== undefined)!;
    expect(ws.getCell(rowOfCode(ws, marked.code), 7).value).toBe(marked.requiredForStar);
    const disqualifier = sheet.disqualifiers[0]!;
    expect(ws.getCell(rowOfCode(ws, disqualifier.code), 1).value).toBe('Điều kiện loại');
    const maxima = [...Array(ws.rowCount).keys()].find((r) =>
      String(ws.getCell(r + 1, 1).value).startsWith('Điểm tối đa các phần'),
    )!;
    expect(String(ws.getCell(maxima + 1, 2).value)).toContain('A: 40');
  });

  it('keeps the validator finding the 1048 part A mismatch, located at its cell', async () => {
    const parsed = await parseSheetWorkbook(await buildSheetWorkbook(sheetByCode(REAL_1048)));
    const problems = validateSheet(parsed.document, ruleSetByCode('1048-2019'));
    const mismatch = problems.find((p) => p.code === 'part.maxMismatch')!;
    expect(mismatch.path).toBe('parts.0.maxPoints');
    const workbook = await load(await buildSheetWorkbook(sheetByCode(REAL_1048)));
    const row = rowOfCode(workbook.getWorksheet(SHEET_WORKSHEET)!, 'A');
    expect(parsed.locate(mismatch.path)).toBe(`${SHEET_WORKSHEET}!F${row}`);
  });

  it('gives a blank template that names every column and fails import only on the empty values', async () => {
    const buffer = await buildSheetWorkbook(null);
    const ws = (await load(buffer)).getWorksheet(SHEET_WORKSHEET)!;
    expect(ws.getCell('B3').value).toBeNull();
    const problems = await problemsOf(buffer);
    expect(problems.map((p) => p.cell)).toContain(`${SHEET_WORKSHEET}!B3`);
    expect(problems.every((p) => p.cell.startsWith(`${SHEET_WORKSHEET}!`))).toBe(true);
  });

  it('accepts a filled template: Vietnamese decimal comma, accents-insensitive kinds, columns in any order', async () => {
    const sheet: Sheet = sheetByCode(DEMO);
    const workbook = await load(await buildSheetWorkbook(sheet));
    const ws = workbook.getWorksheet(SHEET_WORKSHEET)!;
    const option = rowOfCode(ws, 'A1.1.d');
    ws.getCell(option, 6).value = '5,0';
    ws.getCell(option, 1).value = 'lua chon';
    // Swap the Vietnamese and English text columns, header included.
    for (let r = 1; r <= ws.rowCount; r++) {
      if (r < rowOfCode(ws, 'A') - 1) continue;
      const vi = ws.getCell(r, 4).value;
      ws.getCell(r, 4).value = ws.getCell(r, 5).value;
      ws.getCell(r, 5).value = vi;
    }
    const parsed = await parseSheetWorkbook(await save(workbook));
    expect(parsed.document).toEqual(sheet);
  });

  it('reports every problem of a malformed workbook with its cell', async () => {
    const workbook = await load(await buildSheetWorkbook(sheetByCode(DEMO)));
    const ws = workbook.getWorksheet(SHEET_WORKSHEET)!;
    const kindRow = rowOfCode(ws, 'A1.1');
    ws.getCell(kindRow, 1).value = 'Tiêu chuẩn';
    const pointsRow = rowOfCode(ws, 'A1.1.b');
    ws.getCell(pointsRow, 6).value = 'hai';
    const levelRow = rowOfCode(ws, 'A1.2');
    ws.getCell(levelRow, 2).value = 3;
    const problems = await problemsOf(await save(workbook));
    expect(problems).toEqual([
      expect.objectContaining({
        cell: `${SHEET_WORKSHEET}!A${kindRow}`,
        vi: expect.stringContaining('Tiêu chuẩn'),
      }),
      expect.objectContaining({ cell: `${SHEET_WORKSHEET}!B${levelRow}` }),
    ]);
    // The row-level problems come first; once they are fixed the value errors show with their cell.
    ws.getCell(kindRow, 1).value = 'Tiêu chí';
    ws.getCell(levelRow, 2).value = 1;
    const values = await problemsOf(await save(workbook));
    expect(values).toHaveLength(1);
    expect(values[0]!.cell).toBe(`${SHEET_WORKSHEET}!F${pointsRow}`);
  });

  it('reports an option without a criterion, a duplicate header label and a missing column', async () => {
    const workbook = await load(await buildSheetWorkbook(null));
    const ws = workbook.getWorksheet(SHEET_WORKSHEET)!;
    const table = [...Array(ws.rowCount).keys()]
      .map((r) => r + 1)
      .find((r) => ws.getCell(r, 1).value === 'Loại / Kind')!;
    ws.getCell(table + 1, 1).value = 'Lựa chọn';
    ws.getCell(table + 1, 3).value = 'X.1';
    expect((await problemsOf(await save(workbook)))[0]).toEqual(
      expect.objectContaining({ cell: `${SHEET_WORKSHEET}!A${table + 1}` }),
    );
    ws.getCell(table, 6).value = 'Điểm số';
    ws.getCell('A4').value = 'Mã phiếu';
    const problems = await problemsOf(await save(workbook));
    expect(problems.map((p) => p.cell)).toEqual([
      `${SHEET_WORKSHEET}!A4`,
      `${SHEET_WORKSHEET}!A1:B${table}`,
      `${SHEET_WORKSHEET}!A${table}`,
    ]);
  });

  it('refuses bytes that are not a workbook without throwing anything else', async () => {
    expect(await problemsOf(Buffer.from('not a workbook at all'))).toEqual([
      expect.objectContaining({ cell: 'file', en: expect.stringContaining('not a readable Excel workbook') }),
    ]);
    const empty = new ExcelJS.Workbook();
    empty.addWorksheet('Trống');
    expect((await problemsOf(await save(empty)))[0]!.en).toContain("table's header row");
  });
});
