import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import type { Answers, Sheet } from '../criteria';
import { evaluateDossier, leafCriteria, readShippedCriteria } from '../criteria';
import { buildMinutesPdf, type MinutesInput, type MinutesMember, vnPoints, worksheetName } from './minutes';

describe('worksheetName', () => {
  it('keeps Excel sheet names legal: no []:*?/\\ or quote, at most 31 characters, numbered so they stay unique', () => {
    expect(worksheetName(1, 'Rau cải mầm')).toBe('1. Rau cải mầm');
    expect(worksheetName(2, "Trà [hoa] vàng: 'đặc biệt' */?\\")).toBe('2. Trà hoa vàng đặc biệt');
    const long = worksheetName(120, 'Dịch vụ du lịch cộng đồng bản Lác, xã Mai Châu');
    expect(long.length).toBeLessThanOrEqual(31);
    expect(long.startsWith('120. ')).toBe(true);
  });
});

describe('vnPoints', () => {
  it('prints points with a decimal comma and a dash for nothing', () => {
    expect(vnPoints(72.5)).toBe('72,5');
    expect(vnPoints(70)).toBe('70');
    expect(vnPoints(null)).toBe('—');
  });
});

const shipped = readShippedCriteria();
const sheet: Sheet = shipped.sheets.find((s) => s.document.demo)!.document;
const ruleSet = { ...shipped.ruleSets.find((r) => r.document.code === sheet.ruleSet)!.document };
ruleSet.minimumSheets = { ...ruleSet.minimumSheets, value: 3 };

/** The best option everywhere, except `lower` criteria answered with their worst option. */
function answers(lower: number): Answers {
  const out: Record<string, string> = {};
  leafCriteria(sheet).forEach(({ criterion }, i) => {
    const options = [...(criterion.options ?? [])].sort((a, b) => b.points - a.points);
    out[criterion.code] = (i < lower && i > 2 ? options[options.length - 1]! : options[0]!).code;
  });
  return out;
}

function pdfText(pdf: Buffer): string {
  return execFileSync('pdftotext', ['-enc', 'UTF-8', '-', '-'], { input: pdf }).toString('utf8');
}

describe('buildMinutesPdf', () => {
  it('prints the council, every member with their part scores and totals, the mean, the star and the signatures', async () => {
    const members: MinutesMember[] = [
      { memberId: 'a', fullName: 'Nguyễn Văn Hùng', role: 'chair' },
      { memberId: 'b', fullName: 'Trần Thị Ánh Tuyết', role: 'secretary' },
      { memberId: 'c', fullName: 'Đặng Quốc Việt', role: 'member' },
    ];
    const byMember = new Map<string, Answers>([
      ['a', answers(0)],
      ['b', answers(6)],
      ['c', answers(12)],
    ]);
    const result = evaluateDossier({
      ruleSet,
      sheet,
      memberSheets: members.map((m) => ({ memberId: m.memberId, answers: byMember.get(m.memberId)! })),
    });
    const input: MinutesInput = {
      cycleName: 'Đợt 1 năm 2027 — tỉnh Ninh Bình',
      councilNames: ['Hội đồng đánh giá, phân hạng sản phẩm OCOP tỉnh Ninh Bình'],
      ruleSet: { code: ruleSet.code, revision: 1 },
      generatedAt: new Date('2027-07-15T03:00:00Z'),
      timeZone: 'Asia/Ho_Chi_Minh',
      dossiers: [
        {
          productName: 'Rau cải mầm hữu cơ Phủ Lý',
          productSetCode: '1',
          evaluationType: 'new',
          sheet,
          members,
          answers: byMember,
          result,
          computedAt: new Date('2027-07-15T02:00:00Z'),
        },
      ],
    };
    const pdf = await buildMinutesPdf(input);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    for (const expected of [
      'BIÊN BẢN HỌP HỘI ĐỒNG ĐÁNH GIÁ, PHÂN HẠNG SẢN PHẨM OCOP',
      'Rau cải mầm hữu cơ Phủ Lý',
      'Đợt 1 năm 2027 — tỉnh Ninh Bình',
      'Nguyễn Văn Hùng',
      'Trần Thị Ánh Tuyết',
      'Đặng Quốc Việt',
      'Chủ tịch hội đồng',
      'CHỮ KÝ CỦA THÀNH VIÊN HỘI ĐỒNG',
      '(Ký, ghi rõ họ tên)',
      'phiếu minh hoạ, không phải văn bản chính thức',
      `${result.finalStar} sao`,
      vnPoints(result.score),
    ]) {
      expect(text, expected).toContain(expected);
    }
    for (const m of result.members) expect(text).toContain(vnPoints(m.total));
    expect(text).toMatch(/Trang 1\/\d+/);
  });

  it('breaks a large cycle across pages, repeating table headers, with every member of every council', async () => {
    const members: MinutesMember[] = Array.from({ length: 9 }, (_, i) => ({
      memberId: `m${i}`,
      fullName: `Thành viên Nguyễn Thị Số ${i + 1}`,
      role: i === 0 ? 'chair' : i === 1 ? 'secretary' : 'member',
    }));
    const byMember = new Map<string, Answers>(members.map((m, i) => [m.memberId, answers(i)]));
    const result = evaluateDossier({
      ruleSet,
      sheet,
      memberSheets: members.map((m) => ({ memberId: m.memberId, answers: byMember.get(m.memberId)! })),
    });
    const dossier = (n: number) => ({
      productName: `Sản phẩm thử số ${n}`,
      productSetCode: '1',
      evaluationType: 'upgrade',
      sheet,
      members,
      answers: byMember,
      result,
      computedAt: new Date('2027-07-15T02:00:00Z'),
    });
    const pdf = await buildMinutesPdf({
      cycleName: 'Đợt 2 năm 2027',
      councilNames: ['Hội đồng 1', 'Hội đồng 2'],
      ruleSet: { code: ruleSet.code, revision: 2 },
      generatedAt: new Date('2027-07-15T03:00:00Z'),
      timeZone: 'Asia/Ho_Chi_Minh',
      dossiers: [1, 2, 3].map(dossier),
    });
    const text = pdfText(pdf);
    const pages = Number(/Trang 1\/(\d+)/.exec(text)?.[1]);
    expect(pages).toBeGreaterThanOrEqual(4);
    for (const n of [1, 2, 3]) expect(text).toContain(`Sản phẩm thử số ${n}`);
    for (const m of members) expect(text).toContain(m.fullName);
    expect(text).toContain('Nâng hạng');
    expect(text).toContain('TV9');
  });

  it('prints an empty cycle without a dossier section', async () => {
    const pdf = await buildMinutesPdf({
      cycleName: 'Đợt 2',
      councilNames: [],
      ruleSet: { code: '26-2026', revision: 1 },
      generatedAt: new Date(),
      timeZone: 'Asia/Ho_Chi_Minh',
      dossiers: [],
    });
    expect(pdfText(pdf)).toContain('Chưa có hồ sơ nào đã kết thúc chấm điểm.');
  });
});
