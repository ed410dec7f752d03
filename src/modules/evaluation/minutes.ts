import ExcelJS from 'exceljs';
import type { Answers, Sheet } from '../criteria/documents';
import type { EvaluationResult } from '../criteria/rules';
import { leafCriteria } from '../criteria/tree';
import { type CouncilRole, councilRoleLabels } from './rules';

/**
 * The council's minutes ("biên bản họp hội đồng") as an Excel workbook, pure: from the records
 * the council produced to a workbook, no database. One summary sheet for the dossiers, then one
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
