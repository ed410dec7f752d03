import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  buildRuleSetWorkbook,
  parseRuleSetWorkbook,
  RULE_SET_WORKSHEETS,
  TEMPLATE_RULE_SET,
} from './rule-set-workbook';
import { readShippedCriteria } from './shipped';
import { validateRuleSet } from './validate';
import { type CellMessage, HELP_WORKSHEET, WorkbookError } from './workbook';

const shipped = readShippedCriteria();
const ruleSetByCode = (code: string) => shipped.ruleSets.find((r) => r.document.code === code)!.document;

async function load(buffer: Buffer) {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(buffer as unknown as ArrayBuffer);
  return workbook;
}
const save = async (workbook: ExcelJS.Workbook) => Buffer.from(await workbook.xlsx.writeBuffer());

/** The row whose column A holds `text` (or starts with it). */
function rowOf(ws: ExcelJS.Worksheet, text: string): number {
  for (let r = 1; r <= ws.rowCount; r++) if (String(ws.getCell(r, 1).value ?? '').startsWith(text)) return r;
  throw new Error(`no row for ${text}`);
}

async function problemsOf(buffer: Buffer): Promise<CellMessage[]> {
  try {
    await parseRuleSetWorkbook(buffer);
  } catch (error) {
    if (error instanceof WorkbookError) return error.problems;
    throw error;
  }
  throw new Error('the workbook was accepted');
}

async function edited(code: string, edit: (workbook: ExcelJS.Workbook) => void) {
  const workbook = await load(await buildRuleSetWorkbook(ruleSetByCode(code)));
  edit(workbook);
  return save(workbook);
}

describe('rule-set workbook', () => {
  it.each(shipped.ruleSets.map((r) => r.document.code))(
    'reads the workbook of shipped rule-set %s back into the same document',
    async (code) => {
      const document = ruleSetByCode(code);
      const { document: read } = await parseRuleSetWorkbook(await buildRuleSetWorkbook(document));
      expect(read).toEqual(document);
    },
  );

  it('has one worksheet per part of the document and a help worksheet', async () => {
    const workbook = await load(await buildRuleSetWorkbook(ruleSetByCode(TEMPLATE_RULE_SET)));
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      ...Object.values(RULE_SET_WORKSHEETS),
      HELP_WORKSHEET,
    ]);
    const bands = workbook.getWorksheet(RULE_SET_WORKSHEETS.bands)!;
    expect(bands.getRow(1).values).toEqual([
      undefined,
      'Hạng sao / Star',
      'Từ điểm (gồm) / From score (inclusive)',
      'Đến dưới điểm / Below score',
    ]);
    expect(bands.getRow(6).values).toEqual([undefined, 5, 90, 100]);
    // The open parameters are visibly marked as set by the administrator.
    const parameters = workbook.getWorksheet(RULE_SET_WORKSHEETS.parameters)!;
    const minimum = rowOf(parameters, 'Số phiếu chấm tối thiểu');
    expect(parameters.getCell(minimum, 2).value).toBeNull();
    expect(parameters.getCell(minimum, 3).value).toBe('open');
    expect(String(parameters.getCell(minimum, 4).value)).toContain('QUẢN TRỊ VIÊN ĐẶT');
    const validity = rowOf(parameters, 'Thời hạn giấy chứng nhận');
    expect(parameters.getCell(validity, 2).value).toBe(36);
    expect(parameters.getCell(validity, 4).value).toBe('Theo văn bản / From the regulation');
    // Lists in one cell, separated by ";".
    const levels = workbook.getWorksheet(RULE_SET_WORKSHEETS.levels)!;
    expect(levels.getCell('E3').value).toBe('3; 4');
    expect(levels.getCell('J3').value).toBe('06-30; 12-30');
  });

  it('reads what a person typed: English labels, reordered columns, numbers typed as text, Có/Không', async () => {
    const buffer = await edited('26-2026', (workbook) => {
      const info = workbook.getWorksheet(RULE_SET_WORKSHEETS.info)!;
      info.getCell(rowOf(info, 'Mã bộ tiêu chí'), 1).value = 'rule-set CODE';
      info.getCell(rowOf(info, 'rule-set CODE'), 2).value = '26-2026-b';
      const parameters = workbook.getWorksheet(RULE_SET_WORKSHEETS.parameters)!;
      parameters.getCell(rowOf(parameters, 'Số phiếu chấm tối thiểu'), 2).value = '5';
      parameters.getCell(rowOf(parameters, 'Bộ sản phẩm phải thẩm định'), 2).value = 26;
      const bands = workbook.getWorksheet(RULE_SET_WORKSHEETS.bands)!;
      // Swap the min and max columns, header and all.
      for (let r = 1; r <= bands.rowCount; r++) {
        const min = bands.getCell(r, 2).value;
        bands.getCell(r, 2).value = bands.getCell(r, 3).value;
        bands.getCell(r, 3).value = min;
      }
      const checklist = workbook.getWorksheet(RULE_SET_WORKSHEETS.checklist)!;
      checklist.getCell('D2').value = 'khong';
      checklist.spliceRows(3, 0, []); // a blank row in the middle is skipped
      // A deadline typed into a cell that lost its text format: Excel made a date of it.
      const deadline = workbook.getWorksheet(RULE_SET_WORKSHEETS.levels)!.getCell('J4');
      deadline.style = { ...deadline.style, numFmt: 'dd/mm' }; // its own style, not the shared one
      deadline.value = new Date(Date.UTC(2026, 8, 30));
    });
    const { document } = await parseRuleSetWorkbook(buffer);
    const original = ruleSetByCode('26-2026');
    expect(document).toEqual({
      ...original,
      code: '26-2026-b',
      minimumSheets: { value: 5, source: 'open' },
      checklist: [{ ...original.checklist[0]!, required: false }, ...original.checklist.slice(1)],
      levels: original.levels.map((l) =>
        l.level === 'central' ? { ...l, rounds: { ...l.rounds!, deadlines: ['09-30'] } } : l,
      ),
    });
    expect(validateRuleSet(document).filter((p) => p.severity === 'error')).toEqual([]);
  });

  it('reports every wrong value with its cell', async () => {
    const buffer = await edited('26-2026', (workbook) => {
      workbook.getWorksheet(RULE_SET_WORKSHEETS.bands)!.getCell('B4').value = 'năm mươi';
      workbook.getWorksheet(RULE_SET_WORKSHEETS.levels)!.getCell('B3').value = 'approve';
      workbook.getWorksheet(RULE_SET_WORKSHEETS.checklist)!.getCell('D2').value = 'maybe';
      const parameters = workbook.getWorksheet(RULE_SET_WORKSHEETS.parameters)!;
      parameters.getCell(rowOf(parameters, 'Thời hạn giấy chứng nhận'), 3).value = 'rumour';
    });
    const problems = await problemsOf(buffer);
    const cells = problems.map((p) => p.cell);
    expect(cells).toContain('Hạng sao!B4');
    expect(cells).toContain('Cấp đánh giá!B3');
    expect(cells).toContain('Hồ sơ!D2');
    expect(cells.some((c) => /^Tham số!C\d+$/.test(c))).toBe(true);
    const band = problems.find((p) => p.cell === 'Hạng sao!B4')!;
    expect(band.vi).toMatch(/^starBands\.2\.min: /);
  });

  it('reports a missing worksheet, a missing column and a missing row', async () => {
    const buffer = await edited('26-2026', (workbook) => {
      workbook.removeWorksheet(workbook.getWorksheet(RULE_SET_WORKSHEETS.parts)!.id);
      workbook.getWorksheet(RULE_SET_WORKSHEETS.bands)!.getCell('C1').value = 'Cột lạ';
      const info = workbook.getWorksheet(RULE_SET_WORKSHEETS.info)!;
      info.spliceRows(rowOf(info, 'Trạng thái'), 1);
    });
    const problems = await problemsOf(buffer);
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ cell: 'Phần!A1', vi: 'Thiếu trang "Phần".' }),
        expect.objectContaining({
          cell: 'Hạng sao!A1',
          en: 'The worksheet "Hạng sao" has no "Đến dưới điểm / Below score" column.',
        }),
        expect.objectContaining({ cell: 'Thông tin!A1', vi: expect.stringContaining('Trạng thái') }),
      ]),
    );
  });

  it('refuses a file that is not a workbook', async () => {
    expect(await problemsOf(Buffer.from('not a zip'))).toEqual([
      expect.objectContaining({ cell: 'file', en: 'The file is not a readable Excel workbook (.xlsx).' }),
    ]);
  });

  it('locates the validator problems of an imported document', async () => {
    const buffer = await edited('26-2026', (workbook) => {
      workbook.getWorksheet(RULE_SET_WORKSHEETS.parts)!.getCell('D2').value = 45;
      workbook.getWorksheet(RULE_SET_WORKSHEETS.bands)!.getCell('C3').value = 40;
    });
    const { document, locate } = await parseRuleSetWorkbook(buffer);
    const errors = validateRuleSet(document).filter((p) => p.severity === 'error');
    expect(errors.map((p) => p.code)).toEqual(
      expect.arrayContaining(['ruleSet.partsTotal', 'parameter.unset']),
    );
    const located = Object.fromEntries(errors.map((p) => [p.path, locate(p.path)]));
    expect(located.parts).toBe('Phần!A2');
    expect(located['minimumSheets.value']).toMatch(/^Tham số!B\d+$/);
    const gap = errors.find((p) => p.path.startsWith('starBands'))!;
    expect(locate(gap.path)).toMatch(/^Hạng sao!/);
  });
});
