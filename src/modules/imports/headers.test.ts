import { describe, expect, it } from 'vitest';
import {
  detectHeader,
  fieldOfHeader,
  foldHeader,
  headerSynonyms,
  parseHeaderSynonyms,
  suggestMapping,
} from './headers';

describe('headers as officers write them', () => {
  it('folds accents, case, punctuation and line breaks after NFC', () => {
    expect(foldHeader('Quận/\nhuyện')).toBe('quan huyen');
    expect(foldHeader('Số QĐ'.normalize('NFD'))).toBe('so qd');
    expect(foldHeader('  Tên chủ thể /Cơ sở/ HTX ')).toBe('ten chu the co so htx');
  });

  it.each([
    ['Quận/huyện', 'district'],
    ['Huyện/TX/TP', 'district'],
    ['HUYỆN, THỊ XÃ,\nTHÀNH PHỐ', 'district'],
    ['Xã/phường/thị trấn', 'commune'],
    ['Số QĐ', 'decisionNumber'],
    ['Ngày QĐ', 'decisionDate'],
    ['Ngày QĐ công nhận', 'decisionDate'],
    ['Năm công nhận', 'decisionDate'],
    ['Hạng sao', 'star'],
    ['Số sao', 'star'],
    ['Xếp hạng', 'star'],
    ['Phân loại', 'category'],
    ['Nhóm', 'category'],
    ['Bộ sản phẩm', 'category'],
    ['Nhóm sản phẩm', 'category'],
    ['Tên chủ thể/Cơ sở/HTX', 'subjectName'],
    ['Mã số thuế', 'taxCode'],
    ['Địa chỉ', 'address'],
    ['Tên sản phẩm', 'productName'],
    ['TÊN SẢN PHẨM OCOP', 'productName'],
    ['Số GCN', 'certificateNumber'],
    ['Cơ quan ra quyết định', 'issuer'],
    ['Loại hình chủ thể', 'subjectType'],
    ['Người đại diện theo pháp luật', 'legalRepresentative'],
    ['Ngày hết hạn', 'validTo'],
    ['Tỉnh/thành phố (cũ)', 'province'],
    // The commune since 07/2025, beside the old address.
    ['Xã mới', 'currentCommune'],
    ['Xã/phường hiện nay', 'currentCommune'],
    ['Đơn vị hành chính mới', 'currentCommune'],
    ['Xã (sau sáp nhập)', 'currentCommune'],
    ['Xã (cũ)', 'commune'],
    // Two-row headers joined as "parent child".
    ['Địa chỉ Xã', 'commune'],
    ['Địa chỉ Huyện', 'district'],
    ['Quyết định công nhận Số', 'decisionNumber'],
    ['Quyết định công nhận Ngày', 'decisionDate'],
    ['Giấy chứng nhận Số', 'certificateNumber'],
    ['Ngành hàng', 'category'],
  ] as const)('"%s" is %s', (label, field) => {
    expect(fieldOfHeader(label)).toBe(field);
  });

  it('reads the headers registries commonly write, title rows and merged parents included', () => {
    const cases: [string, string | null][] = [
      ['Tên sản phẩm', 'productName'],
      ['Chủ thể sản xuất', 'subjectName'],
      ['Địa chỉ chủ thể', 'address'],
      ['Ngày quyết định', 'decisionDate'],
      ['Số giấy chứng nhận', 'certificateNumber'],
      ['Cơ quan cấp', 'issuer'],
      ['Ngày hết hạn', 'validTo'],
      ['Người đại diện', 'legalRepresentative'],
      ['MST', 'taxCode'],
      ['STT', null],
    ];
    for (const [label, field] of cases) expect(fieldOfHeader(label), label).toBe(field);
    const grid = [
      ['DANH SÁCH SẢN PHẨM OCOP', null, null, null, null],
      ['STT', 'Tên sản phẩm', 'Quyết định công nhận', 'Quyết định công nhận', 'Hạng sao'],
      ['STT', 'Tên sản phẩm', 'Số', 'Ngày', 'Hạng sao'],
      [1, 'Miến dong', '12/QĐ-UBND', '03/05/2022', '4 sao'],
    ];
    const header = detectHeader(grid);
    expect(header).toMatchObject({ row: 1, rows: 2 });
    expect(suggestMapping(header!.labels)).toEqual({
      productName: 1,
      decisionNumber: 2,
      decisionDate: 3,
      star: 4,
    });
    expect(
      detectHeader([
        ['a', 'b'],
        [1, 2],
      ]),
    ).toBeNull();
  });

  it('names no field for numbering, notes and scores', () => {
    for (const label of ['STT', 'TT', 'Ghi chú', 'Tổng điểm', 'Kết quả Điểm', '', 'Màu sắc']) {
      expect(fieldOfHeader(label), label).toBeNull();
    }
  });

  it('finds the header below title rows, with a parent merged over sub-headers', () => {
    const grid = [
      ['UỶ BAN NHÂN DÂN TỈNH NINH BÌNH', null, null, null, null, null],
      ['DANH SÁCH SẢN PHẨM OCOP', null, null, null, null, null],
      [null, null, null, null, null, null],
      ['STT', 'Tên sản phẩm', 'Chủ thể', 'Địa chỉ', 'Địa chỉ', 'Hạng sao'],
      ['STT', 'Tên sản phẩm', 'Chủ thể', 'Xã', 'Huyện', 'Hạng sao'],
      [1, 'Miến dong', 'HTX A', 'Kim Chính', 'Kim Sơn', '4 sao'],
    ];
    const header = detectHeader(grid);
    expect(header).toMatchObject({ row: 3, rows: 2, score: 5 });
    expect(header?.labels).toEqual([
      'STT',
      'Tên sản phẩm',
      'Chủ thể',
      'Địa chỉ Xã',
      'Địa chỉ Huyện',
      'Hạng sao',
    ]);
    expect(suggestMapping(header!.labels)).toEqual({
      productName: 1,
      subjectName: 2,
      commune: 3,
      district: 4,
      star: 5,
    });
  });

  it('keeps a one-row header when the next row is data, and finds none past the first 15 rows', () => {
    const grid = [
      ['Tên sản phẩm', 'Chủ thể', 'Hạng sao'],
      ['Miến', 'HTX A', '4'],
    ];
    expect(detectHeader(grid)).toMatchObject({ row: 0, rows: 1 });
    const late = [...Array.from({ length: 15 }, () => ['…']), ...grid];
    expect(detectHeader(late)).toBeNull();
  });

  it('validates the synonyms document: unknown fields and a header given to two fields are refused', () => {
    expect(headerSynonyms().exact.size).toBeGreaterThan(100);
    const base = { format: 1, ignore: [], parents: [] };
    expect(() =>
      parseHeaderSynonyms({ ...base, fields: [{ field: 'colour', exact: ['Màu'], contains: [] }] }),
    ).toThrow(/Invalid header synonyms/);
    expect(() =>
      parseHeaderSynonyms({
        ...base,
        fields: [
          { field: 'commune', exact: ['Xã'], contains: [] },
          { field: 'district', exact: ['XÃ'], contains: [] },
        ],
      }),
    ).toThrow(/already a header of commune/);
  });
});
