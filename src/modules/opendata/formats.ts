import { PassThrough, Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { neutraliseFormula } from '../../shared/text';
import { OPEN_DATA_FIELDS, type OpenDataFormat, type OpenDataRecord } from './contract';

/**
 * Writers of the open data formats, each a stream fed batch by batch: CSV (RFC 4180, UTF-8 with a
 * byte-order mark so spreadsheet programs read Vietnamese right), JSON (one object with the field
 * list and the items) and XLSX (exceljs' streaming writer: rows are written out as they come).
 */
const KEYS = OPEN_DATA_FIELDS.map(([key]) => key);

function csvCell(value: string | number | null): string {
  if (value === null) return '';
  const text = String(value);
  const safe = typeof value === 'string' ? neutraliseFormula(text) : text;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

async function* csvChunks(batches: AsyncIterable<OpenDataRecord[]>): AsyncGenerator<string> {
  yield `\uFEFF${KEYS.join(',')}\r\n`;
  for await (const batch of batches) {
    yield batch.map((r) => `${KEYS.map((k) => csvCell(r[k])).join(',')}\r\n`).join('');
  }
}

async function* jsonChunks(batches: AsyncIterable<OpenDataRecord[]>, meta: object): AsyncGenerator<string> {
  const fields = OPEN_DATA_FIELDS.map(([key, vi, en]) => ({ key, vi, en }));
  yield `{"meta":${JSON.stringify(meta)},"fields":${JSON.stringify(fields)},"items":[`;
  let first = true;
  for await (const batch of batches) {
    const text = batch.map((r) => JSON.stringify(r)).join(',');
    yield first ? text : `,${text}`;
    first = false;
  }
  yield ']}\n';
}

/** Strings are written as text cells, but a person may re-enter or re-export them: guarded as in CSV. */
function xlsxCell(value: string | number | null): string | number | null {
  return typeof value === 'string' ? neutraliseFormula(value) : value;
}

function xlsxStream(batches: AsyncIterable<OpenDataRecord[]>, meta: { generatedAt: string }): Readable {
  const out = new PassThrough();
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: false,
    useSharedStrings: false,
  });
  workbook.created = new Date(meta.generatedAt);
  const sheet = workbook.addWorksheet('certified-products');
  (async () => {
    sheet.addRow(KEYS).commit();
    for await (const batch of batches) {
      for (const record of batch) sheet.addRow(KEYS.map((k) => xlsxCell(record[k]))).commit();
    }
    sheet.commit();
    const legend = workbook.addWorksheet('fields');
    legend.addRow(['field', 'vi', 'en']).commit();
    for (const [key, vi, en] of OPEN_DATA_FIELDS) legend.addRow([key, vi, en]).commit();
    legend.commit();
    await workbook.commit();
  })().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}

export const contentTypes: Record<OpenDataFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  json: 'application/json; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export function exportStream(
  format: OpenDataFormat,
  batches: AsyncIterable<OpenDataRecord[]>,
  meta: { generatedAt: string; filters: Record<string, unknown> },
): Readable {
  switch (format) {
    case 'csv':
      return Readable.from(csvChunks(batches));
    case 'json':
      return Readable.from(jsonChunks(batches, meta));
    case 'xlsx':
      return xlsxStream(batches, meta);
  }
}
