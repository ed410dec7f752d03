import { describe, expect, it } from 'vitest';
import {
  parseDate,
  parseIssuer,
  parseStar,
  parseSubjectType,
  readRow,
  rowFingerprint,
  ruleSetForDecision,
  sourceRefOf,
  splitAddress,
} from './rules';

describe('cells', () => {
  it('reads dates as text, ISO, Excel serials and date cells', () => {
    expect(parseDate('03/05/2022')).toBe('2022-05-03');
    expect(parseDate('3-5-2022')).toBe('2022-05-03');
    expect(parseDate('2022-05-03')).toBe('2022-05-03');
    expect(parseDate(44684)).toBe('2022-05-03');
    expect(parseDate('44684')).toBe('2022-05-03');
    expect(parseDate(new Date(Date.UTC(2022, 4, 3)))).toBe('2022-05-03');
    expect(parseDate('31/02/2022')).toBeNull();
    expect(parseDate('tháng 5')).toBeNull();
    expect(parseDate(12)).toBeNull();
  });

  it('reads stars however they are written', () => {
    for (const v of [4, '4', '4 sao', '4★', '4 ★', '4*', '★★★★', 'Bốn sao', 'bon sao', 'Hạng 4 sao', '4 SAO'])
      expect(parseStar(v)).toBe(4);
    expect(parseStar('Năm sao')).toBe(5);
    expect(parseStar('ba sao')).toBe(3);
    expect(parseStar('tốt')).toBeNull();
    expect(parseStar(3.5)).toBeNull();
  });

  it('reads subject types from the column or the name', () => {
    expect(parseSubjectType('HTX', '')).toBe('cooperative');
    expect(parseSubjectType('Hợp tác xã', '')).toBe('cooperative');
    expect(parseSubjectType('Công ty TNHH', '')).toBe('sme');
    expect(parseSubjectType('Hộ kinh doanh', '')).toBe('household_business');
    expect(parseSubjectType('Tổ hợp tác', '')).toBe('cooperative_group');
    expect(parseSubjectType(null, 'HTX Nông nghiệp Kim Chính')).toBe('cooperative');
    expect(parseSubjectType(null, 'Công ty Hồ Gươm')).toBe('sme');
    expect(parseSubjectType(null, 'Nguyễn Văn A')).toBeNull();
  });

  it('reads the issuer level, including district committees and provincial cities', () => {
    expect(parseIssuer('UBND huyện Kim Sơn')).toEqual({ name: 'UBND huyện Kim Sơn', level: 'district' });
    expect(parseIssuer('UBND thành phố Nam Định')?.level).toBe('district');
    expect(parseIssuer('UBND tỉnh Ninh Bình')?.level).toBe('province');
    expect(parseIssuer('UBND TP Hà Nội')?.level).toBe('province');
    expect(parseIssuer('Bộ Nông nghiệp và Môi trường')?.level).toBe('central');
    expect(parseIssuer('')).toBeNull();
  });

  it('splits a written address by its type words', () => {
    expect(splitAddress('Thôn Đông, xã Kim Chính, huyện Kim Sơn, tỉnh Ninh Bình')).toEqual({
      commune: 'xã Kim Chính',
      district: 'huyện Kim Sơn',
      province: 'tỉnh Ninh Bình',
    });
    expect(splitAddress('Phường Vị Xuyên, thành phố Nam Định, tỉnh Nam Định')).toEqual({
      commune: 'Phường Vị Xuyên',
      district: 'thành phố Nam Định',
      province: 'tỉnh Nam Định',
    });
  });

  it('picks the rule-set in force on the decision date', () => {
    expect(ruleSetForDecision('2022-12-31')).toBe('1048-2019');
    expect(ruleSetForDecision('2023-02-24')).toBe('148-2023');
    expect(ruleSetForDecision('2025-07-06')).toBe('148-1489-2025');
    expect(ruleSetForDecision('2026-06-01')).toBe('26-2026');
  });
});

describe('rows', () => {
  const mapping = {
    productName: 0,
    subjectName: 1,
    star: 2,
    decisionNumber: 3,
    decisionDate: 4,
    issuer: 5,
    address: 6,
    category: 7,
  };
  const good = [
    'Miến dong',
    'HTX Kim Chính',
    '4 sao',
    '12/QĐ-UBND',
    '03/05/2022',
    'UBND tỉnh Ninh Bình',
    'xã Kim Chính, huyện Kim Sơn',
    'Thực phẩm',
  ];

  it('reports problems per field without throwing', () => {
    const ok = readRow(good, mapping);
    expect(ok.errors).toEqual([]);
    expect(ok.warnings).toEqual([{ field: 'legalRepresentative', code: 'missing' }]);
    const bad = readRow(['', 'HTX A', '2 sao', '', 'hôm qua', '', 'xã A', 'x'], mapping);
    expect(bad.errors).toEqual([
      { field: 'productName', code: 'missing' },
      { field: 'star', code: 'notCertified' },
      { field: 'decisionDate', code: 'unreadable' },
      { field: 'issuer', code: 'missing' },
    ]);
    expect(bad.warnings).toContainEqual({ field: 'decisionNumber', code: 'missing' });
    expect(readRow(['', null, '  '], mapping).empty).toBe(true);
  });

  it('reads the current commune beside the old address, and leaves it out of the fingerprint', () => {
    const withCurrent = readRow([...good, 'Xã Kim Sơn'], { ...mapping, currentCommune: 8 });
    expect(withCurrent.values.currentCommune).toBe('Xã Kim Sơn');
    // Rows imported before the column existed keep their identity.
    expect(rowFingerprint(withCurrent.values)).toBe(rowFingerprint(readRow(good, mapping).values));
  });

  it('gives the same fingerprint and source reference to the same row written differently', () => {
    const a = readRow(good, mapping).values;
    const b = readRow(
      [
        'MIẾN DONG',
        'htx kim chính',
        4,
        '12/QĐ-UBND',
        44684,
        'UBND tỉnh Ninh Bình',
        'xã Kim Chính,  huyện Kim Sơn',
        'Thực phẩm',
      ],
      mapping,
    ).values;
    expect(rowFingerprint(a)).toBe(rowFingerprint(b));
    expect(sourceRefOf('37', a)).toBe('37:qd:12 qd ubnd:mien dong');
    expect(sourceRefOf('37', { ...a, certificateNumber: 'NB-12' })).toBe('37:gcn:nb 12');
  });
});
