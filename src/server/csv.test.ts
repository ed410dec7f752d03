import { describe, expect, it } from 'vitest';
import { CsvProblem, decodeCsv, detectDelimiter, parseCsvText, readCsvBytes } from './csv';

function problemOf(run: () => unknown): CsvProblem {
  try {
    run();
  } catch (error) {
    if (error instanceof CsvProblem) return error;
    throw error;
  }
  throw new Error('no problem raised');
}

const utf16le = (text: string) => Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);

describe('the shared CSV reader', () => {
  it('reads quoted fields with separators, doubled quotes and line breaks', () => {
    expect(parseCsvText('a,"b, c","say ""hi""","x\ny"\r\n1,2,3,4').rows).toEqual([
      ['a', 'b, c', 'say "hi"', 'x\ny'],
      ['1', '2', '3', '4'],
    ]);
  });

  it('finds the separator on the header line, below title lines', () => {
    expect(detectDelimiter('Tên;Hạng sao;Xã\n"Miến, dong";4;Kim Sơn')).toEqual({ delimiter: ';', line: 0 });
    expect(detectDelimiter('DANH SÁCH SẢN PHẨM OCOP\nTên,Hạng sao,Xã\n')).toEqual({
      delimiter: ',',
      line: 1,
    });
    const table = parseCsvText('DANH SÁCH SẢN PHẨM OCOP\n\nTên\tSao\tXã\nMiến\t4\tKim Sơn\n');
    expect(table.delimiter).toBe('\t');
    expect(table.headerIndex).toBe(2);
    expect(table.rows[3]).toEqual(['Miến', '4', 'Kim Sơn']);
    expect(table.lines).toEqual([1, 2, 3, 4]);
  });

  it('drops the UTF-8 byte-order mark and decodes UTF-16 with a BOM as tab-separated', () => {
    expect(readCsvBytes(Buffer.from('\uFEFFTên;Hạng sao\nMiến;4 sao\n')).rows).toEqual([
      ['Tên', 'Hạng sao'],
      ['Miến', '4 sao'],
    ]);
    const le = readCsvBytes(utf16le('Tên\tHạng sao\r\nMiến dong\t4\r\n'));
    expect(le).toMatchObject({
      encoding: 'utf-16le',
      delimiter: '\t',
      rows: [
        ['Tên', 'Hạng sao'],
        ['Miến dong', '4'],
      ],
    });
    const be = Buffer.from(utf16le('Tên\tSao\n').subarray(2)).swap16();
    expect(readCsvBytes(Buffer.concat([Buffer.from([0xfe, 0xff]), be]))).toMatchObject({
      encoding: 'utf-16be',
      rows: [['Tên', 'Sao']],
    });
  });

  it('refuses Windows-1258/1252 bytes with how to save as UTF-8, never mojibake', () => {
    // "Hạng" is not in Windows-1252; "Tên; Hà" written as Windows-1252 bytes.
    const bytes = Buffer.from([0x54, 0xea, 0x6e, 0x3b, 0x48, 0xe0, 0x0a]);
    const problem = problemOf(() => decodeCsv(bytes));
    expect(problem.code).toBe('encoding');
    expect(problem.detail.vi).toContain('CSV UTF-8');
    expect(problem.detail.en).toContain('Save As');
  });

  it('reports a broken quote with the line where the broken cell starts', () => {
    const lines = ['Tên;Sao', ...Array.from({ length: 10 }, (_, i) => `SP ${i};4`)];
    lines.push('"Miến dong;3'); // line 12: a quote opened and never closed
    lines.push(...Array.from({ length: 50 }, (_, i) => `SP ${i + 20};4`));
    const problem = problemOf(() => parseCsvText(lines.join('\n')));
    expect(problem).toMatchObject({ code: 'quote', line: 12 });
    expect(problem.detail.vi).toMatch(/^dòng 12: dấu ngoặc kép không đóng/);
    expect(problem.detail.en).toMatch(/^line 12: unclosed double quote/);
    // Closed far below, before another character: the same line is named.
    const closed = [...lines.slice(0, 30), 'x;"y"z', ...lines.slice(30)].join('\n');
    expect(problemOf(() => parseCsvText(closed))).toMatchObject({ code: 'quote', line: 12 });
    // A quote in the middle of an unquoted cell.
    expect(problemOf(() => parseCsvText('Tên;Sao\nRượu "Làng Vân";4\n'))).toMatchObject({
      code: 'quote',
      line: 2,
    });
  });

  it('reports rows with another number of cells than the header instead of shifting them', () => {
    const problem = problemOf(() =>
      parseCsvText('Tên;Sao;Xã\nMiến;4;Kim Sơn\nBánh; đa;3;Yên Thành\nChè;4\n'),
    );
    expect(problem.code).toBe('ragged');
    expect(problem.line).toBe(3);
    expect(problem.detail.vi).toContain('3 (4), 4 (2)');
    // Blank lines, and short title lines above the header, are fine.
    expect(parseCsvText('Danh sách\nTên;Sao\nMiến;4\n\n').rows).toHaveLength(4);
    expect(parseCsvText('a;b\n1\n', { ragged: 'allow' }).rows).toEqual([['a', 'b'], ['1']]);
  });

  it('enforces the row, column and cell-length limits', () => {
    expect(problemOf(() => parseCsvText('a;b\n1;2\n3;4\n', { maxRows: 2 })).code).toBe('tooManyRows');
    expect(problemOf(() => parseCsvText('a;b;c\n1;2;3\n', { maxColumns: 2 })).code).toBe('tooManyColumns');
    const long = problemOf(() => parseCsvText(`a;b\n1;${'x'.repeat(300)}\n`, { maxCellLength: 200 }));
    expect(long).toMatchObject({ code: 'cellTooLong', line: 2 });
    expect(problemOf(() => parseCsvText('  \n')).code).toBe('empty');
  });

  it('gives NFC text whatever form the file used', () => {
    const nfd = 'Thuỷ'.normalize('NFD');
    expect(parseCsvText(`Tên;Xã\n${nfd};Hoà\n`).rows[1]![0]).toBe('Thuỷ'.normalize('NFC'));
  });
});
