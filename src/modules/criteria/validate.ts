import type { Criterion, Level, RuleSet, Sheet, StarBand } from './documents';
import { DEMO_SHEET_LABEL, LEVELS } from './documents';
import {
  bestCents,
  bestPoints,
  enNumber,
  fromCents,
  hasAtMostTwoDecimals,
  MAX_CRITERION_DEPTH,
  MAX_SCORE,
  type Problem,
  type Severity,
  toCents,
  viNumber,
  walkCriteria,
} from './tree';

/**
 * The validators of rule-set versions and scoring sheets. They never stop at the first problem:
 * an administrator importing a sheet gets every problem at once, each with its JSON path, the
 * codes leading to it and a message in Vietnamese and English. Errors block activation; warnings
 * show what is not fixed by the regulation.
 */

// ---------------------------------------------------------------- star bands

/**
 * Checks that the bands cover 0..max without gap or overlap, one band per star 1..5, stars
 * rising with the score. A lower bound belongs to its band (`min` inclusive, `max` exclusive),
 * so 70.00 is 4★ and 69.99 is 3★ with the bands of every rule-set so far.
 */
export function validateBands(
  bands: readonly StarBand[],
  maxScore = MAX_SCORE,
  path = 'starBands',
): Problem[] {
  const problems: Problem[] = [];
  const add = (code: string, where: string, vi: string, en: string) =>
    problems.push({ code, severity: 'error', path: where, vi, en });
  const seen = new Map<number, number>();
  for (const [index, band] of bands.entries()) {
    if (seen.has(band.star)) {
      add(
        'bands.duplicateStar',
        `${path}.${index}.star`,
        `Hạng ${band.star} sao được khai báo hai lần.`,
        `The ${band.star}-star band is declared twice.`,
      );
    }
    seen.set(band.star, index);
    if (!(band.min < band.max)) {
      add(
        'bands.empty',
        `${path}.${index}`,
        `Hạng ${band.star} sao: cận dưới ${viNumber(band.min)} phải nhỏ hơn cận trên ${viNumber(band.max)}.`,
        `${band.star}-star band: the lower bound ${enNumber(band.min)} must be below the upper bound ${enNumber(band.max)}.`,
      );
    }
  }
  for (const s of [1, 2, 3, 4, 5] as const) {
    if (!seen.has(s))
      add('bands.missingStar', path, `Thiếu hạng ${s} sao.`, `The ${s}-star band is missing.`);
  }
  const ordered = bands.map((band, index) => ({ band, index })).sort((a, b) => a.band.min - b.band.min);
  const first = ordered[0];
  const last = ordered[ordered.length - 1];
  if (!first || !last) return problems;
  if (first.band.min !== 0) {
    add(
      'bands.start',
      `${path}.${first.index}.min`,
      `Hạng thấp nhất phải bắt đầu từ 0 điểm (đang là ${viNumber(first.band.min)}).`,
      `The lowest band must start at 0 points (it starts at ${enNumber(first.band.min)}).`,
    );
  }
  for (let i = 1; i < ordered.length; i++) {
    const previous = ordered[i - 1]!;
    const current = ordered[i]!;
    const where = `${path}.${current.index}.min`;
    const a = previous.band;
    const b = current.band;
    if (b.min > a.max) {
      add(
        'bands.gap',
        where,
        `Khoảng trống giữa hạng ${a.star} sao (đến ${viNumber(a.max)}) và hạng ${b.star} sao (từ ${viNumber(b.min)}).`,
        `Gap between the ${a.star}-star band (up to ${enNumber(a.max)}) and the ${b.star}-star band (from ${enNumber(b.min)}).`,
      );
    } else if (b.min < a.max) {
      add(
        'bands.overlap',
        where,
        `Hạng ${a.star} sao (đến ${viNumber(a.max)}) chồng lên hạng ${b.star} sao (từ ${viNumber(b.min)}).`,
        `The ${a.star}-star band (up to ${enNumber(a.max)}) overlaps the ${b.star}-star band (from ${enNumber(b.min)}).`,
      );
    }
    if (b.star <= a.star) {
      add(
        'bands.order',
        `${path}.${current.index}.star`,
        `Hạng sao phải tăng theo điểm: ${b.star} sao đứng sau ${a.star} sao.`,
        `Stars must rise with the score: ${b.star} stars comes after ${a.star} stars.`,
      );
    }
  }
  if (last.band.max !== maxScore) {
    add(
      'bands.end',
      `${path}.${last.index}.max`,
      `Hạng cao nhất phải kết thúc ở ${viNumber(maxScore)} điểm (đang là ${viNumber(last.band.max)}).`,
      `The highest band must end at ${enNumber(maxScore)} points (it ends at ${enNumber(last.band.max)}).`,
    );
  }
  return problems;
}

/** The star of a score: the band whose lower bound it reaches; the top band includes its upper bound. */
// ---------------------------------------------------------------- rule-set validation

const levelRank = (level: Level) => LEVELS.indexOf(level);

function openParameterWarning(path: string, vi: string, en: string): Problem {
  return {
    code: 'parameter.open',
    severity: 'warning',
    path,
    vi: `${vi}: chưa có căn cứ pháp lý, giá trị do quản trị viên đặt.`,
    en: `${en}: not fixed by the regulation; the value is set by an administrator.`,
  };
}

/** Every problem of a rule-set version; errors block activation, warnings show what is not law. */
export function validateRuleSet(ruleSet: RuleSet): Problem[] {
  const problems: Problem[] = [];
  const error = (code: string, path: string, vi: string, en: string) =>
    problems.push({ code, severity: 'error', path, vi, en });

  const partCodes = new Map<string, number>();
  for (const [index, part] of ruleSet.parts.entries()) {
    if (partCodes.has(part.code)) {
      error(
        'code.duplicate',
        `parts.${index}.code`,
        `Mã phần "${part.code}" bị trùng.`,
        `The part code "${part.code}" is used twice.`,
      );
    }
    partCodes.set(part.code, index);
  }
  const partsTotal = fromCents(ruleSet.parts.reduce((sum, p) => sum + toCents(p.maxPoints), 0));
  if (partsTotal !== MAX_SCORE) {
    error(
      'ruleSet.partsTotal',
      'parts',
      `Tổng điểm tối đa các phần là ${viNumber(partsTotal)}, phải là ${MAX_SCORE}.`,
      `The parts' maxima sum to ${enNumber(partsTotal)}; they must sum to ${MAX_SCORE}.`,
    );
  }
  problems.push(...validateBands(ruleSet.starBands));

  if (ruleSet.inForce.to !== null && ruleSet.inForce.to < ruleSet.inForce.from) {
    error(
      'ruleSet.inForceOrder',
      'inForce.to',
      'Ngày hết hiệu lực đứng trước ngày có hiệu lực.',
      'The end of force comes before its start.',
    );
  }

  if (ruleSet.minimumSheets.value === null) {
    error(
      'parameter.unset',
      'minimumSheets.value',
      'Chưa đặt số phiếu chấm tối thiểu để kết quả hợp lệ (văn bản chưa rõ; quản trị viên phải đặt).',
      'The minimum number of member sheets for a valid result is not set (the regulation is not known; an administrator must set it).',
    );
  }
  const parameters = [
    ['rounding', 'Cách làm tròn điểm trung bình', 'Rounding of the mean score', ruleSet.rounding.source],
    [
      'minimumSheets',
      'Số phiếu chấm tối thiểu',
      'Minimum number of member sheets',
      ruleSet.minimumSheets.source,
    ],
    [
      'requirementJudgement',
      'Cách xét tiêu chí bắt buộc giữa các thành viên',
      'How mandatory criteria are judged across members',
      ruleSet.requirementJudgement.source,
    ],
    [
      'outlierDistance',
      'Khoảng lệch để đánh dấu phiếu chấm khác biệt',
      'Distance that flags an outlying member sheet',
      ruleSet.outlierDistance.source,
    ],
    [
      'certificateValidityMonths',
      'Thời hạn giấy chứng nhận',
      'Certificate validity',
      ruleSet.certificateValidityMonths.source,
    ],
    [
      'expiryNoticeDays',
      'Thời gian báo trước khi hết hạn',
      'Notice before expiry',
      ruleSet.expiryNoticeDays.source,
    ],
  ] as const;
  for (const [path, vi, en, source] of parameters) {
    if (source === 'open') problems.push(openParameterWarning(path, vi, en));
  }

  validateLevels(ruleSet, error, problems);

  const checklistCodes = new Set<string>();
  for (const [index, item] of ruleSet.checklist.entries()) {
    if (checklistCodes.has(item.code)) {
      error(
        'code.duplicate',
        `checklist.${index}.code`,
        `Mã hồ sơ "${item.code}" bị trùng.`,
        `The checklist code "${item.code}" is used twice.`,
      );
    }
    checklistCodes.add(item.code);
    if (item.onlyProductSets.length && item.exceptProductSets.length) {
      error(
        'checklist.onlyAndExcept',
        `checklist.${index}`,
        `Mục "${item.code}" không thể vừa "chỉ áp dụng cho" vừa "trừ" bộ sản phẩm.`,
        `Item "${item.code}" cannot have both "only for" and "except for" product sets.`,
      );
    }
  }
  return problems;
}

function validateLevels(
  ruleSet: RuleSet,
  error: (code: string, path: string, vi: string, en: string) => void,
  problems: Problem[],
) {
  const certifiedBy = new Map<number, number>();
  for (const [index, level] of ruleSet.levels.entries()) {
    const previous = ruleSet.levels[index - 1];
    if (previous && levelRank(previous.level) >= levelRank(level.level)) {
      error(
        'levels.order',
        `levels.${index}.level`,
        'Các cấp phải xếp từ thấp đến cao, mỗi cấp một lần.',
        'Levels must be listed from lowest to highest, each once.',
      );
    }
    for (const s of level.certifiesStars) {
      if (certifiedBy.has(s)) {
        error(
          'levels.starTwice',
          `levels.${index}.certifiesStars`,
          `Hạng ${s} sao được công nhận ở hai cấp.`,
          `${s} stars are certified at two levels.`,
        );
      }
      certifiedBy.set(s, index);
      if (s < ruleSet.recognisedFromStar) {
        error(
          'levels.starBelowRecognition',
          `levels.${index}.certifiesStars`,
          `Hạng ${s} sao thấp hơn hạng được công nhận (từ ${ruleSet.recognisedFromStar} sao).`,
          `${s} stars is below the recognised stars (from ${ruleSet.recognisedFromStar}).`,
        );
      }
    }
    if (level.role === 'precheck' && level.certifiesStars.length) {
      error(
        'levels.precheckCertifies',
        `levels.${index}.certifiesStars`,
        'Cấp tiền kiểm không công nhận hạng sao.',
        'A pre-check level certifies no star.',
      );
    }
    if (level.precheckCriteria?.source === 'open') {
      problems.push(
        openParameterWarning(
          `levels.${index}.precheckCriteria`,
          'Danh sách tiêu chí cấp xã tiền kiểm',
          'Criteria the commune pre-checks',
        ),
      );
    }
    const higher = ruleSet.levels.slice(index + 1).filter((l) => l.role === 'score');
    const nextStars = higher.flatMap((l) => l.certifiesStars);
    if (level.role !== 'score') continue;
    if (level.forwardFromScore !== null && nextStars.length === 0) {
      error(
        'levels.forwardFromTop',
        `levels.${index}.forwardFromScore`,
        'Không có cấp cao hơn để chuyển hồ sơ lên.',
        'There is no higher level to forward to.',
      );
    }
    if (level.forwardFromScore === null && nextStars.length > 0) {
      error(
        'levels.noForward',
        `levels.${index}.forwardFromScore`,
        'Cấp này cần ngưỡng điểm chuyển lên cấp trên, nếu không các hạng sao cao hơn không thể đạt được.',
        'This level needs a score from which it forwards upward; otherwise higher stars cannot be reached.',
      );
    }
    if (level.forwardFromScore !== null && nextStars.length > 0) {
      const lowestNext = Math.min(...nextStars);
      const band = ruleSet.starBands.find((b) => b.star === lowestNext);
      if (band && band.min !== level.forwardFromScore) {
        problems.push({
          code: 'levels.forwardThreshold',
          severity: 'warning',
          path: `levels.${index}.forwardFromScore`,
          vi: `Ngưỡng chuyển lên (${viNumber(level.forwardFromScore)}) khác cận dưới của hạng ${lowestNext} sao (${viNumber(band.min)}) mà cấp trên công nhận.`,
          en: `The forwarding score (${enNumber(level.forwardFromScore)}) differs from the lower bound of ${lowestNext} stars (${enNumber(band.min)}), which the higher level certifies.`,
        });
      }
    }
  }
  for (let s = ruleSet.recognisedFromStar; s <= 5; s++) {
    if (!certifiedBy.has(s)) {
      error(
        'levels.starUncertified',
        'levels',
        `Không cấp nào công nhận hạng ${s} sao.`,
        `No level certifies ${s} stars.`,
      );
    }
  }
}

// ---------------------------------------------------------------- sheet validation

/**
 * Every problem of a sheet against the rule-set it belongs to: parts that do not match the
 * rule-set, a part (group, criterion) whose best options do not sum to its declared maximum,
 * criteria without options, duplicate codes, negative or over-large points, misplaced requirements.
 */
export function validateSheet(sheet: Sheet, ruleSet: RuleSet): Problem[] {
  const problems: Problem[] = [];
  const add = (
    severity: Severity,
    code: string,
    path: string,
    ref: string | undefined,
    vi: string,
    en: string,
  ) => problems.push(ref ? { code, severity, path, ref, vi, en } : { code, severity, path, vi, en });
  const error = (code: string, path: string, ref: string | undefined, vi: string, en: string) =>
    add('error', code, path, ref, vi, en);

  if (sheet.ruleSet !== ruleSet.code) {
    error(
      'sheet.ruleSetMismatch',
      'ruleSet',
      undefined,
      `Phiếu thuộc bộ tiêu chí "${sheet.ruleSet}", không phải "${ruleSet.code}".`,
      `The sheet belongs to rule-set "${sheet.ruleSet}", not "${ruleSet.code}".`,
    );
  }
  if (sheet.productSet.scheme !== ruleSet.taxonomyScheme) {
    error(
      'sheet.schemeMismatch',
      'productSet.scheme',
      undefined,
      `Bộ sản phẩm theo phân loại "${sheet.productSet.scheme}", bộ tiêu chí dùng phân loại "${ruleSet.taxonomyScheme}".`,
      `The product set is of classification "${sheet.productSet.scheme}"; the rule-set uses "${ruleSet.taxonomyScheme}".`,
    );
  }
  if (sheet.demo && !sheet.title.vi.includes(DEMO_SHEET_LABEL)) {
    error(
      'sheet.demoLabel',
      'title.vi',
      undefined,
      `Phiếu minh hoạ phải ghi rõ trong tên: "${DEMO_SHEET_LABEL}".`,
      `A demo sheet must say so in its title: "${DEMO_SHEET_LABEL}".`,
    );
  }

  // Codes are unique across the whole sheet, so an answer or a report names one thing only.
  const firstPathOfCode = new Map<string, string>();
  const claimCode = (code: string, path: string, ref?: string) => {
    const first = firstPathOfCode.get(code);
    if (first !== undefined) {
      error(
        'code.duplicate',
        `${path}.code`,
        ref,
        `Mã "${code}" bị trùng (đã dùng tại ${first}).`,
        `The code "${code}" is used twice (first at ${first}).`,
      );
    } else {
      firstPathOfCode.set(code, path);
    }
  };

  const ruleSetParts = new Map(ruleSet.parts.map((p) => [p.code, p]));
  const sheetPartCodes = new Set(sheet.parts.map((p) => p.code));
  for (const part of ruleSet.parts) {
    if (!sheetPartCodes.has(part.code)) {
      error(
        'part.missing',
        'parts',
        undefined,
        `Thiếu phần ${part.code} của bộ tiêu chí.`,
        `Part ${part.code} of the rule-set is missing.`,
      );
    }
  }

  for (const [p, part] of sheet.parts.entries()) {
    const partPath = `parts.${p}`;
    claimCode(part.code, partPath, part.code);
    const declared = ruleSetParts.get(part.code);
    if (!declared) {
      error(
        'part.unknown',
        `${partPath}.code`,
        part.code,
        `Bộ tiêu chí không có phần ${part.code}.`,
        `The rule-set has no part ${part.code}.`,
      );
    } else if (declared.maxPoints !== part.maxPoints) {
      error(
        'part.maxDiffersFromRuleSet',
        `${partPath}.maxPoints`,
        part.code,
        `Phần ${part.code}: phiếu khai báo ${viNumber(part.maxPoints)} điểm, bộ tiêu chí quy định ${viNumber(declared.maxPoints)}.`,
        `Part ${part.code}: the sheet declares ${enNumber(part.maxPoints)} points; the rule-set says ${enNumber(declared.maxPoints)}.`,
      );
    }
    if (part.groups.length === 0) {
      error(
        'part.empty',
        `${partPath}.groups`,
        part.code,
        `Phần ${part.code} không có nhóm tiêu chí nào.`,
        `Part ${part.code} has no criterion group.`,
      );
    }
    let partCents = 0;
    for (const [g, group] of part.groups.entries()) {
      const groupPath = `${partPath}.groups.${g}`;
      const groupRef = `${part.code} › ${group.code}`;
      claimCode(group.code, groupPath, groupRef);
      if (group.criteria.length === 0) {
        error(
          'group.empty',
          `${groupPath}.criteria`,
          groupRef,
          `Nhóm "${group.name.vi}" không có tiêu chí nào.`,
          `Group "${group.name.vi}" has no criterion.`,
        );
      }
      for (const visit of walkCriteria(group.criteria, part.code, `${groupPath}.criteria`, groupRef, 1)) {
        checkCriterion(visit.criterion, visit.path, visit.ref, visit.depth, part.maxPoints, claimCode, add);
      }
      const groupCents = group.criteria.reduce((sum, c) => sum + bestCents(c), 0);
      partCents += groupCents;
      if (group.maxPoints !== undefined && toCents(group.maxPoints) !== groupCents) {
        error(
          'group.maxMismatch',
          `${groupPath}.maxPoints`,
          groupRef,
          `Nhóm "${group.name.vi}": tổng điểm tối đa các lựa chọn là ${viNumber(fromCents(groupCents))}, khai báo ${viNumber(group.maxPoints)}.`,
          `Group "${group.name.vi}": the best options sum to ${enNumber(fromCents(groupCents))}; ${enNumber(group.maxPoints)} is declared.`,
        );
      }
    }
    const partBest = fromCents(partCents);
    if (partBest !== part.maxPoints) {
      error(
        'part.maxMismatch',
        `${partPath}.maxPoints`,
        part.code,
        `Phần ${part.code}: tổng điểm tối đa các lựa chọn là ${viNumber(partBest)}, khai báo ${viNumber(part.maxPoints)}.`,
        `Part ${part.code}: the best options sum to ${enNumber(partBest)}; ${enNumber(part.maxPoints)} is declared.`,
      );
    }
  }

  const declaredTotal = fromCents(sheet.parts.reduce((sum, p) => sum + toCents(p.maxPoints), 0));
  const partsMatchRuleSet =
    sheet.parts.length === ruleSet.parts.length && sheet.parts.every((p) => ruleSetParts.has(p.code));
  // When the parts match the rule-set, its own check of the total already applies.
  if (!partsMatchRuleSet && declaredTotal !== MAX_SCORE) {
    error(
      'sheet.partsTotal',
      'parts',
      undefined,
      `Tổng điểm tối đa khai báo của các phần là ${viNumber(declaredTotal)}, phải là ${MAX_SCORE}.`,
      `The parts' declared maxima sum to ${enNumber(declaredTotal)}; they must sum to ${MAX_SCORE}.`,
    );
  }

  for (const [index, disqualifier] of sheet.disqualifiers.entries()) {
    claimCode(disqualifier.code, `disqualifiers.${index}`, disqualifier.code);
  }
  return problems;
}

function checkCriterion(
  criterion: Criterion,
  path: string,
  ref: string,
  depth: number,
  partMax: number,
  claimCode: (code: string, path: string, ref?: string) => void,
  add: (
    severity: Severity,
    code: string,
    path: string,
    ref: string | undefined,
    vi: string,
    en: string,
  ) => void,
) {
  const error = (code: string, where: string, vi: string, en: string) =>
    add('error', code, where, ref, vi, en);
  const name = criterion.name.vi;
  claimCode(criterion.code, path, ref);
  if (depth > MAX_CRITERION_DEPTH) {
    error(
      'criterion.tooDeep',
      path,
      `Tiêu chí "${name}" lồng quá ${MAX_CRITERION_DEPTH} cấp.`,
      `Criterion "${name}" is nested deeper than ${MAX_CRITERION_DEPTH} levels.`,
    );
  }
  const options = criterion.options ?? [];
  const subCriteria = criterion.criteria ?? [];
  if (options.length && subCriteria.length) {
    error(
      'criterion.optionsAndSubcriteria',
      path,
      `Tiêu chí "${name}" vừa có lựa chọn vừa có tiêu chí con; chỉ được có một trong hai.`,
      `Criterion "${name}" has both options and sub-criteria; it may have only one of them.`,
    );
  }
  if (!options.length && !subCriteria.length) {
    error(
      'criterion.noOptions',
      `${path}.options`,
      `Tiêu chí "${name}" không có lựa chọn nào.`,
      `Criterion "${name}" has no option.`,
    );
  }
  if (options.length === 1 && !subCriteria.length) {
    add(
      'warning',
      'criterion.singleOption',
      `${path}.options`,
      ref,
      `Tiêu chí "${name}" chỉ có một lựa chọn.`,
      `Criterion "${name}" has a single option.`,
    );
  }
  const best = bestPoints(criterion);
  if (criterion.maxPoints !== undefined && criterion.maxPoints !== best) {
    error(
      'criterion.maxMismatch',
      `${path}.maxPoints`,
      `Tiêu chí "${name}": điểm tối đa các lựa chọn là ${viNumber(best)}, khai báo ${viNumber(criterion.maxPoints)}.`,
      `Criterion "${name}": the best option gives ${enNumber(best)}; ${enNumber(criterion.maxPoints)} is declared.`,
    );
  }
  if (criterion.requiredForStar !== undefined) {
    if (subCriteria.length) {
      error(
        'requirement.onParent',
        `${path}.requiredForStar`,
        `Tiêu chí "${name}" có tiêu chí con: đặt yêu cầu hạng sao trên tiêu chí con.`,
        `Criterion "${name}" has sub-criteria: put the star requirement on them.`,
      );
    } else if (options.length && !options.some((o) => o.points > 0)) {
      error(
        'requirement.unreachable',
        `${path}.requiredForStar`,
        `Tiêu chí "${name}" bắt buộc cho ${criterion.requiredForStar} sao nhưng không có lựa chọn nào trên 0 điểm.`,
        `Criterion "${name}" is required for ${criterion.requiredForStar} stars but no option is worth more than 0.`,
      );
    }
  }
  for (const [o, option] of options.entries()) {
    const optionPath = `${path}.options.${o}`;
    const optionRef = `${ref} › ${option.code}`;
    claimCode(option.code, optionPath, optionRef);
    const where = `${optionPath}.points`;
    const label = `Tiêu chí "${name}", lựa chọn ${option.code}`;
    const labelEn = `Criterion "${name}", option ${option.code}`;
    if (option.points < 0) {
      error(
        'option.negativePoints',
        where,
        `${label}: điểm âm (${viNumber(option.points)}).`,
        `${labelEn}: negative points (${enNumber(option.points)}).`,
      );
    }
    if (!hasAtMostTwoDecimals(option.points)) {
      error(
        'option.precision',
        where,
        `${label}: điểm có quá hai chữ số thập phân (${viNumber(option.points)}).`,
        `${labelEn}: points have more than two decimals (${enNumber(option.points)}).`,
      );
    }
    if (criterion.maxPoints !== undefined && option.points > criterion.maxPoints) {
      error(
        'option.aboveCriterionMax',
        where,
        `${label}: ${viNumber(option.points)} điểm, vượt điểm tối đa của tiêu chí (${viNumber(criterion.maxPoints)}).`,
        `${labelEn}: ${enNumber(option.points)} points, above the criterion's maximum (${enNumber(criterion.maxPoints)}).`,
      );
    }
    if (option.points > partMax) {
      error(
        'option.abovePartMax',
        where,
        `${label}: ${viNumber(option.points)} điểm, vượt điểm tối đa của phần (${viNumber(partMax)}).`,
        `${labelEn}: ${enNumber(option.points)} points, above the part's maximum (${enNumber(partMax)}).`,
      );
    }
  }
}
