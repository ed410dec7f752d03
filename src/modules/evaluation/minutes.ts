import ExcelJS from 'exceljs';
import PDFDocument from 'pdfkit';
import { pdfFonts, starPoints } from '../../server/pdf';
import type { Answers, EvaluationResult, Sheet } from '../criteria';
import { leafCriteria } from '../criteria';
import { type CouncilRole, councilRoleLabels } from './rules';

/**
 * The council's minutes ("biên bản họp hội đồng") as an Excel workbook and as an A4 PDF, pure: from
 * the records the council produced to a file, no database. One summary sheet for the dossiers, then one
 * sheet per dossier with every counted member's points per criterion, their part totals and
 * totals, the mean as the rule-set rounds it, the star and the members flagged for the discussion.
 * Vietnamese, as the minutes are filed.
 */

export type MinutesMember = { memberId: string; fullName: string; role: CouncilRole };

export type MinutesDossier = {
  productName: string;
  productSetCode: string;
  evaluationType: string;
  sheet: Sheet;
  /** The members whose submitted sheets the result counted, in the result's order. */
  members: MinutesMember[];
  answers: ReadonlyMap<string, Answers>;
  result: EvaluationResult;
  computedAt: Date;
};

export type MinutesInput = {
  cycleName: string;
  councilNames: string[];
  ruleSet: { code: string; revision: number };
  generatedAt: Date;
  timeZone: string;
  dossiers: MinutesDossier[];
};

const outcomeLabels: Record<string, string> = {
  invalid: 'Không hợp lệ (chưa đủ số phiếu tối thiểu)',
  disqualified: 'Bị loại (điều kiện loại)',
  'below-recognition': 'Dưới 3 sao, không công nhận',
  recognisable: 'Đủ điều kiện công nhận',
};

const evaluationTypeLabels: Record<string, string> = {
  new: 'Đánh giá mới',
  re_evaluation: 'Đánh giá lại',
  upgrade: 'Nâng hạng',
};

/** Excel forbids these in sheet names and caps them at 31 characters; names must be unique. */
export function worksheetName(index: number, productName: string): string {
  const cleaned = productName
    .replace(/[[\]:*?/\\']/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return `${index}. ${cleaned}`.slice(0, 31).trim();
}

function formatInstant(instant: Date, timeZone: string): string {
  return new Intl.DateTimeFormat('vi-VN', {
    timeZone,
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(instant);
}

function pointsOf(sheet: Sheet): Map<string, Map<string, number>> {
  const byCriterion = new Map<string, Map<string, number>>();
  for (const { criterion } of leafCriteria(sheet)) {
    byCriterion.set(criterion.code, new Map((criterion.options ?? []).map((o) => [o.code, o.points])));
  }
  return byCriterion;
}

const bold = { bold: true } as const;

function addDossierSheet(
  workbook: ExcelJS.Workbook,
  input: MinutesInput,
  dossier: MinutesDossier,
  index: number,
) {
  const ws = workbook.addWorksheet(worksheetName(index, dossier.productName));
  const { result, members } = dossier;
  ws.addRow(['BIÊN BẢN CHẤM ĐIỂM SẢN PHẨM OCOP']).font = { bold: true, size: 14 };
  ws.addRow(['Sản phẩm', dossier.productName]);
  ws.addRow(['Bộ sản phẩm', dossier.productSetCode]);
  ws.addRow(['Loại đánh giá', evaluationTypeLabels[dossier.evaluationType] ?? dossier.evaluationType]);
  ws.addRow(['Kỳ đánh giá', input.cycleName]);
  ws.addRow(['Bộ tiêu chí', `${input.ruleSet.code} (phiên bản ${input.ruleSet.revision})`]);
  ws.addRow([
    'Phiếu chấm',
    `${dossier.sheet.code}${dossier.sheet.demo ? ' — phiếu minh hoạ, không phải văn bản chính thức' : ''}`,
  ]);
  ws.addRow(['Thời điểm tính kết quả', formatInstant(dossier.computedAt, input.timeZone)]);
  ws.addRow([]);
  const header = ws.addRow([
    'Phần',
    'Mã tiêu chí',
    'Tiêu chí',
    ...members.map((m) => `${m.fullName} (${councilRoleLabels[m.role].vi})`),
    'Trung bình',
  ]);
  header.font = bold;
  const points = pointsOf(dossier.sheet);
  for (const { criterion, partCode } of leafCriteria(dossier.sheet)) {
    const values = members.map((m) => {
      const option = dossier.answers.get(m.memberId)?.[criterion.code];
      return option === undefined ? null : (points.get(criterion.code)?.get(option) ?? null);
    });
    const spread = result.spread.find((s) => s.criterionCode === criterion.code);
    ws.addRow([partCode, criterion.code, criterion.name.vi, ...values, spread?.mean ?? null]);
  }
  const totalsOf = (memberId: string) => result.members.find((m) => m.memberId === memberId);
  for (const part of dossier.sheet.parts) {
    ws.addRow([
      part.code,
      '',
      `Cộng phần ${part.code} (tối đa ${part.maxPoints})`,
      ...members.map((m) => totalsOf(m.memberId)?.parts[part.code] ?? null),
      result.partMeans[part.code] ?? null,
    ]).font = bold;
  }
  ws.addRow([
    '',
    '',
    'Tổng điểm',
    ...members.map((m) => totalsOf(m.memberId)?.total ?? null),
    result.exactMean,
  ]).font = bold;
  ws.addRow([
    '',
    '',
    'Lệch xa điểm trung bình (cần thảo luận)',
    ...members.map((m) => (totalsOf(m.memberId)?.outlier ? 'Có' : '')),
  ]);
  ws.addRow([]);
  ws.addRow(['Số phiếu hợp lệ', `${result.sheetCount} / tối thiểu ${result.minimumSheets}`]);
  ws.addRow(['Điểm trung bình (làm tròn)', result.score]);
  ws.addRow(['Hạng sao theo điểm', result.scoreStar]);
  ws.addRow(['Hạng sao tối đa theo tiêu chí bắt buộc', result.requirementCap]);
  ws.addRow(['Hạng sao', result.finalStar]).font = bold;
  ws.addRow(['Điều kiện loại', result.disqualifiers.join(', ') || 'Không']);
  ws.addRow(['Kết quả', outcomeLabels[result.outcome] ?? result.outcome]).font = bold;
  ws.getColumn(1).width = 12;
  ws.getColumn(2).width = 12;
  ws.getColumn(3).width = 48;
  for (let c = 4; c <= members.length + 4; c++) ws.getColumn(c).width = 18;
  ws.views = [{ state: 'frozen', ySplit: 10, xSplit: 3 }];
}

export async function buildMinutesWorkbook(input: MinutesInput): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'Nền tảng số OCOP';
  workbook.created = input.generatedAt;
  const summary = workbook.addWorksheet('Tổng hợp');
  summary.addRow(['BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP']).font = { bold: true, size: 14 };
  summary.addRow(['Kỳ đánh giá', input.cycleName]);
  summary.addRow(['Hội đồng', input.councilNames.join('; ')]);
  summary.addRow(['Bộ tiêu chí', `${input.ruleSet.code} (phiên bản ${input.ruleSet.revision})`]);
  summary.addRow(['Lập lúc', formatInstant(input.generatedAt, input.timeZone)]);
  summary.addRow([]);
  summary.addRow([
    'STT',
    'Sản phẩm',
    'Bộ sản phẩm',
    'Số phiếu',
    'Điểm trung bình',
    'Hạng sao',
    'Kết quả',
    'Trang',
  ]).font = bold;
  input.dossiers.forEach((d, i) => {
    summary.addRow([
      i + 1,
      d.productName,
      d.productSetCode,
      d.result.sheetCount,
      d.result.score,
      d.result.finalStar,
      outcomeLabels[d.result.outcome] ?? d.result.outcome,
      worksheetName(i + 1, d.productName),
    ]);
  });
  summary.getColumn(2).width = 40;
  summary.getColumn(7).width = 36;
  summary.getColumn(8).width = 32;
  input.dossiers.forEach((d, i) => {
    addDossierSheet(workbook, input, d, i + 1);
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

// ---------------------------------------------------------------- PDF

/*
 * The same minutes as an A4 PDF to print and sign: the summary, then per dossier the members'
 * part scores and totals, the mean, the star and the outliers, every member's points per
 * criterion, and a signatures block, in the fonts and drawn stars of `src/server/pdf.ts`.
 */

const MARGIN = 40;
const INK = '#1b1b1b';
const MUTED = '#555555';
const RULE = '#9a9a9a';

/** Points with a decimal comma, as Vietnamese documents print them; a dash when there is none. */
export function vnPoints(value: number | null | undefined): string {
  if (value === null || value === undefined) return '—';
  return String(Math.round(value * 100) / 100).replace('.', ',');
}

type Column = { header: string; width: number; align?: 'left' | 'center' | 'right' };

/** Draws a table that wraps its cells, breaks across pages and repeats its header row. */
function drawTable(
  doc: PDFKit.PDFDocument,
  columns: Column[],
  rows: string[][],
  options: { boldRows?: Set<number> } = {},
) {
  const fontSize = 8;
  const pad = 3;
  const left = MARGIN;
  const bottom = () => doc.page.height - MARGIN;
  const heightOf = (cells: string[], font: string) => {
    doc.font(font).fontSize(fontSize);
    return (
      Math.max(
        ...cells.map((text, i) => doc.heightOfString(text || ' ', { width: columns[i]!.width - 2 * pad })),
      ) +
      2 * pad
    );
  };
  const drawRow = (cells: string[], font: string, fill?: string) => {
    const height = heightOf(cells, font);
    if (doc.y + height > bottom()) {
      doc.addPage();
      if (cells !== headers) drawRow(headers, 'bold', '#e8f0e8');
    }
    const top = doc.y;
    let x = left;
    cells.forEach((text, i) => {
      const column = columns[i]!;
      if (fill) doc.rect(x, top, column.width, height).fill(fill);
      doc.lineWidth(0.5).strokeColor(RULE).rect(x, top, column.width, height).stroke();
      doc
        .font(font)
        .fontSize(fontSize)
        .fillColor(INK)
        .text(text, x + pad, top + pad, { width: column.width - 2 * pad, align: column.align ?? 'left' });
      x += column.width;
    });
    doc.x = left;
    doc.y = top + height;
  };
  const headers = columns.map((c) => c.header);
  drawRow(headers, 'bold', '#e8f0e8');
  rows.forEach((cells, index) => {
    drawRow(cells, options.boldRows?.has(index) ? 'bold' : 'regular');
  });
  doc.moveDown(0.6);
}

/** Widths for a fixed set of narrow columns and one that takes what is left. */
function fitColumns(
  doc: PDFKit.PDFDocument,
  flexible: Omit<Column, 'width'>,
  fixed: Column[],
  flexibleIndex = 0,
): Column[] {
  const total = doc.page.width - 2 * MARGIN;
  const used = fixed.reduce((sum, c) => sum + c.width, 0);
  const out = [...fixed];
  out.splice(flexibleIndex, 0, { ...flexible, width: Math.max(60, total - used) });
  return out;
}

function heading(doc: PDFKit.PDFDocument, text: string, size = 11) {
  if (doc.y + size * 3 > doc.page.height - MARGIN) doc.addPage();
  doc
    .font('bold')
    .fontSize(size)
    .fillColor(INK)
    .text(text, MARGIN, doc.y, { width: doc.page.width - 2 * MARGIN });
  doc.moveDown(0.3);
}

function line(doc: PDFKit.PDFDocument, label: string, value: string) {
  const width = doc.page.width - 2 * MARGIN;
  doc.font('bold').fontSize(9.5).fillColor(INK).text(`${label}: `, MARGIN, doc.y, { width, continued: true });
  doc.font('regular').text(value);
}

function memberLabel(m: MinutesMember): string {
  return `${m.fullName} (${councilRoleLabels[m.role].vi})`;
}

function addDossierSection(
  doc: PDFKit.PDFDocument,
  input: MinutesInput,
  dossier: MinutesDossier,
  index: number,
) {
  const { result, members } = dossier;
  heading(doc, `${index}. ${dossier.productName}`, 13);
  line(doc, 'Bộ sản phẩm', dossier.productSetCode);
  line(doc, 'Loại đánh giá', evaluationTypeLabels[dossier.evaluationType] ?? dossier.evaluationType);
  line(
    doc,
    'Phiếu chấm',
    `${dossier.sheet.code}${dossier.sheet.demo ? ' — phiếu minh hoạ, không phải văn bản chính thức' : ''}`,
  );
  line(doc, 'Thời điểm tính kết quả', formatInstant(dossier.computedAt, input.timeZone));
  doc.moveDown(0.4);

  // Members' totals and part scores, the mean of each, outliers flagged in words.
  heading(doc, 'Điểm của từng thành viên', 10);
  const parts = dossier.sheet.parts;
  const totalsOf = (memberId: string) => result.members.find((m) => m.memberId === memberId);
  const memberRows = members.map((m, i) => {
    const totals = totalsOf(m.memberId);
    return [
      `TV${i + 1}`,
      memberLabel(m),
      ...parts.map((p) => vnPoints(totals?.parts[p.code])),
      vnPoints(totals?.total),
      totals?.outlier ? 'Có' : '',
    ];
  });
  memberRows.push([
    '',
    'Trung bình',
    ...parts.map((p) => vnPoints(result.partMeans[p.code])),
    vnPoints(result.exactMean),
    '',
  ]);
  drawTable(
    doc,
    fitColumns(
      doc,
      { header: 'Thành viên' },
      [
        { header: 'Ký hiệu', width: 40 },
        ...parts.map((p) => ({
          header: `Phần ${p.code} (tối đa ${vnPoints(p.maxPoints)})`,
          width: 58,
          align: 'right' as const,
        })),
        { header: 'Tổng điểm', width: 52, align: 'right' },
        { header: 'Lệch xa điểm trung bình', width: 64, align: 'center' },
      ],
      1,
    ),
    memberRows,
    { boldRows: new Set([memberRows.length - 1]) },
  );

  heading(doc, 'Kết quả', 10);
  line(doc, 'Số phiếu hợp lệ', `${result.sheetCount} / tối thiểu ${result.minimumSheets}`);
  line(doc, 'Điểm trung bình (làm tròn)', vnPoints(result.score));
  line(doc, 'Hạng sao theo điểm', result.scoreStar === null ? '—' : `${result.scoreStar} sao`);
  line(doc, 'Hạng sao tối đa theo tiêu chí bắt buộc', `${result.requirementCap} sao`);
  line(doc, 'Điều kiện loại', result.disqualifiers.join(', ') || 'Không');
  line(doc, 'Kết quả', outcomeLabels[result.outcome] ?? result.outcome);
  const starText =
    result.finalStar === null ? 'Hạng sao: không xếp hạng' : `Hạng sao: ${result.finalStar} sao`;
  doc.font('bold').fontSize(11).fillColor('#0f5132').text(starText, MARGIN, doc.y);
  if (result.finalStar) {
    const y = doc.y + 9;
    for (let i = 0; i < result.finalStar; i++) {
      doc.polygon(...starPoints(MARGIN + 9 + i * 22, y, 8)).fillAndStroke('#e0a100', '#8a6200');
    }
    doc.y = y + 14;
  }
  doc.fillColor(INK).moveDown(0.5);

  // Every member's points per criterion, members as columns TV1…TVn.
  heading(doc, 'Điểm theo tiêu chí', 10);
  const points = pointsOf(dossier.sheet);
  const criterionRows = leafCriteria(dossier.sheet).map(({ criterion, partCode }) => {
    const spread = result.spread.find((s) => s.criterionCode === criterion.code);
    return [
      partCode,
      criterion.code,
      criterion.name.vi,
      ...members.map((m) => {
        const option = dossier.answers.get(m.memberId)?.[criterion.code];
        return option === undefined ? '—' : vnPoints(points.get(criterion.code)?.get(option));
      }),
      vnPoints(spread?.mean),
    ];
  });
  const memberWidth = members.length > 7 ? 30 : 36;
  drawTable(
    doc,
    fitColumns(
      doc,
      { header: 'Tiêu chí' },
      [
        { header: 'Phần', width: 30 },
        { header: 'Mã', width: 44 },
        ...members.map((_, i) => ({ header: `TV${i + 1}`, width: memberWidth, align: 'right' as const })),
        { header: 'Trung bình', width: 44, align: 'right' },
      ],
      2,
    ),
    criterionRows,
  );
}

function addSignatures(doc: PDFKit.PDFDocument, members: MinutesMember[]) {
  const width = doc.page.width - 2 * MARGIN;
  const columns = 3;
  const cell = width / columns;
  const blockHeight = 86;
  doc.moveDown(1);
  if (doc.y + 24 + blockHeight > doc.page.height - MARGIN) doc.addPage();
  heading(doc, 'CHỮ KÝ CỦA THÀNH VIÊN HỘI ĐỒNG', 11);
  const ordered = [...members].sort((a, b) => SIGNING_ORDER.indexOf(a.role) - SIGNING_ORDER.indexOf(b.role));
  for (let start = 0; start < ordered.length; start += columns) {
    if (doc.y + blockHeight > doc.page.height - MARGIN) doc.addPage();
    const top = doc.y;
    ordered.slice(start, start + columns).forEach((m, i) => {
      const x = MARGIN + i * cell;
      doc.font('bold').fontSize(9).fillColor(INK).text(councilRoleLabels[m.role].vi.toUpperCase(), x, top, {
        width: cell,
        align: 'center',
      });
      doc
        .font('regular')
        .fontSize(8)
        .fillColor(MUTED)
        .text('(Ký, ghi rõ họ tên)', x, doc.y, { width: cell, align: 'center' });
      doc
        .font('bold')
        .fontSize(9.5)
        .fillColor(INK)
        .text(m.fullName, x, top + blockHeight - 24, {
          width: cell,
          align: 'center',
        });
    });
    doc.x = MARGIN;
    doc.y = top + blockHeight;
  }
}

const SIGNING_ORDER: CouncilRole[] = ['chair', 'vice_chair', 'secretary', 'member', 'advisory'];

/** The minutes as an A4 portrait PDF: summary, one section per dossier, signatures. */
export async function buildMinutesPdf(input: MinutesInput): Promise<Buffer> {
  const { regular, bold } = pdfFonts();
  const title = 'BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP';
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: `${title} — ${input.cycleName}`,
      Author: input.councilNames.join('; ') || 'Nền tảng số OCOP',
    },
  });
  doc.registerFont('regular', regular);
  doc.registerFont('bold', bold);
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const width = doc.page.width - 2 * MARGIN;
  const half = width / 2 - 10;

  // The council on the left, the national motto on the right, as official documents are laid out.
  const top = MARGIN;
  doc
    .font('bold')
    .fontSize(9.5)
    .fillColor(INK)
    .text((input.councilNames.join('; ') || 'HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG').toUpperCase(), MARGIN, top, {
      width: half,
      align: 'center',
    });
  const leftBottom = doc.y;
  doc.text('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', MARGIN + half + 20, top, { width: half, align: 'center' });
  doc.text('Độc lập - Tự do - Hạnh phúc', { width: half, align: 'center' });
  doc.y = Math.max(leftBottom, doc.y) + 18;
  doc.font('bold').fontSize(14).text(title, MARGIN, doc.y, { width, align: 'center' });
  doc.moveDown(0.6);
  line(doc, 'Kỳ đánh giá', input.cycleName);
  line(doc, 'Hội đồng', input.councilNames.join('; ') || '—');
  line(doc, 'Bộ tiêu chí', `${input.ruleSet.code} (phiên bản ${input.ruleSet.revision})`);
  line(doc, 'Lập lúc', formatInstant(input.generatedAt, input.timeZone));
  doc.moveDown(0.6);

  heading(doc, 'TỔNG HỢP KẾT QUẢ', 11);
  if (input.dossiers.length) {
    drawTable(
      doc,
      fitColumns(
        doc,
        { header: 'Sản phẩm' },
        [
          { header: 'STT', width: 28, align: 'center' },
          { header: 'Bộ sản phẩm', width: 52 },
          { header: 'Số phiếu', width: 40, align: 'right' },
          { header: 'Điểm trung bình', width: 56, align: 'right' },
          { header: 'Hạng sao', width: 40, align: 'center' },
          { header: 'Kết quả', width: 120 },
        ],
        1,
      ),
      input.dossiers.map((d, i) => [
        String(i + 1),
        d.productName,
        d.productSetCode,
        String(d.result.sheetCount),
        vnPoints(d.result.score),
        d.result.finalStar === null ? '—' : `${d.result.finalStar} sao`,
        outcomeLabels[d.result.outcome] ?? d.result.outcome,
      ]),
    );
  } else {
    doc.font('regular').fontSize(9.5).text('Chưa có hồ sơ nào đã kết thúc chấm điểm.', MARGIN, doc.y);
    doc.moveDown(0.6);
  }

  input.dossiers.forEach((dossier, i) => {
    doc.addPage();
    addDossierSection(doc, input, dossier, i + 1);
  });

  const signers = new Map<string, MinutesMember>();
  for (const d of input.dossiers) for (const m of d.members) signers.set(m.memberId, m);
  if (signers.size) addSignatures(doc, [...signers.values()]);

  // Page numbers, once every page exists.
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    // The footer sits in the bottom margin; without this pdfkit would start a new page for it.
    doc.page.margins.bottom = 0;
    doc
      .font('regular')
      .fontSize(8)
      .fillColor(MUTED)
      .text(`Trang ${i + 1}/${range.count}`, MARGIN, doc.page.height - MARGIN + 12, {
        width,
        align: 'right',
        lineBreak: false,
      });
  }
  doc.end();
  return done;
}
