import { describe, expect, it } from 'vitest';
import {
  accentKey,
  nameKeys,
  nameWithoutType,
  officialKey,
  padCode,
  splitNameAndCode,
  typeOfName,
} from './names';

describe('name keys', () => {
  it.each([
    ['Xã Tân Lập', 'tanlap'],
    ['xã  Tân   Lập ', 'tanlap'],
    ['XÃ TÂN LẬP', 'tanlap'],
    ['Thị trấn Tân Lập', 'tanlap'],
    ['TT. Tân Lập', 'tanlap'],
    ['tt Tân Lập', 'tanlap'],
    ['Xã Đàm Thuỷ', 'damthuy'],
    ['Xã Đàm Thủy', 'damthuy'],
    ['Xã Thạch Hoà', 'thachhoa'],
    ['Xã Thạch Hòa', 'thachhoa'],
    ['Tỉnh Bà Rịa - Vũng Tàu', 'bariavungtau'],
    ['Thành phố Hồ Chí Minh', 'hochiminh'],
    ['TP. Hồ Chí Minh', 'hochiminh'],
    ['tp Hồ Chí Minh', 'hochiminh'],
    ['Thành phố thuộc tỉnh Bắc Ninh', 'bacninh'],
    ['Quận 1', '1'],
    ['Q.1', '1'],
    ['Q1', '1'],
    ['Phường 01', '1'],
    ['P1', '1'],
    ['P.10', '10'],
    ['F7', '7'],
    ['Phường IV', '4'],
    ['Xã Hòa Tú II', 'hoatu2'],
    ['Xã Hòa Tú 2', 'hoatu2'],
    ['Xã Ea Bia', 'eabia'],
    ['Xã EaBia', 'eabia'],
    ['Xã Ealy', 'eali'],
    ['Xã Ea Ly', 'eali'],
    ["Xã Cư M'gar", 'cumgar'],
    ['Xã Cư M’gar', 'cumgar'],
    ['Xã Quí Quân', 'quiquan'],
    ['Xã Quý Quân', 'quiquan'],
    ['Thị trấn NT Liên Sơn', 'nongtruonglienson'],
    ['Thị trấn Nông trường Liên Sơn', 'nongtruonglienson'],
    ['Thị trấn N.T Phong Hải', 'nongtruongphonghai'],
    ['H. Gia Lâm', 'gialam'],
    ['Đặc khu Côn Đảo', 'condao'],
  ])('%s → %s', (written, key) => expect(nameKeys(written).keys).toEqual([key]));

  it('keeps names whose first syllable looks like a type when written with accents', () => {
    expect(nameKeys('Phương Trung').keys).toEqual(['phuongtrung']);
    expect(nameKeys('Xa Lý').keys).toEqual(['xali']);
    expect(nameKeys('Quan Hóa').keys).toEqual(['quanhoa']);
    expect(nameKeys('Tĩnh Túc').keys).toEqual(['tinhtuc']);
  });

  it('gives both readings of a bare prefix typed without accents', () => {
    expect(nameKeys('phuong trung').keys).toEqual(['trung', 'phuongtrung']);
    expect(nameKeys('xa tan lap').keys).toEqual(['tanlap', 'xatanlap']);
    expect(nameKeys('quan hoa').type).toBeNull();
  });

  it('does not read one-letter names as abbreviations', () => {
    expect(nameKeys('Xã H Bông').keys).toEqual(['hbong']);
    expect(nameKeys('Xã Tà Xi Láng').keys).toEqual(['taxilang']);
  });

  it('leaves capitals of all-capital names alone', () => {
    expect(nameKeys('XÃ VI HƯƠNG').keys).toEqual(['vihuong']);
  });

  it('reports the type the writer named', () => {
    expect(nameKeys('Thị xã Kỳ Anh').type).toBe('thị xã');
    expect(nameKeys('Huyện Kỳ Anh').type).toBe('huyện');
    expect(nameKeys('TX Kỳ Anh').type).toBe('thị xã');
    expect(nameKeys('P.3').type).toBe('phường');
    expect(nameKeys('Kỳ Anh').type).toBeNull();
  });

  it('keeps accents apart only for text typed with accents', () => {
    expect(nameKeys('Xã Trực Hưng').accent).not.toBe(nameKeys('Xã Trực Hùng').accent);
    expect(nameKeys('Xã Nga Thanh').accent).not.toBe(nameKeys('Xã Nga Thành').accent);
    expect(nameKeys('Xa Nga Thanh').accent).toBeNull();
    expect(nameKeys('Xã Thạch Hoà').accent).toBe(nameKeys('Xã Thạch Hòa').accent);
    expect(accentKey('Thuỷ')).toBe(accentKey('Thủy'));
  });

  it('returns no key for blank text', () => {
    expect(nameKeys('   ').keys).toEqual([]);
    expect(nameKeys('Xã').keys).toEqual(['xa']);
  });
});

describe('helpers', () => {
  it('reads the type of an official name', () => {
    expect(typeOfName('Thành phố Bắc Giang')).toBe('thành phố');
    expect(typeOfName('Huyện Côn Đảo')).toBe('huyện');
    expect(typeOfName('Phú Thọ')).toBeNull();
    expect(officialKey('Phường Phường Đúc')).toBe('phuongduc');
  });

  it('drops the type for sorting', () => {
    expect(nameWithoutType('Phường Ba Đình')).toBe('Ba Đình');
    expect(nameWithoutType('Thành phố Hà Nội')).toBe('Hà Nội');
    expect(nameWithoutType('Đặc khu Côn Đảo')).toBe('Côn Đảo');
    expect(nameWithoutType('Phú Thọ')).toBe('Phú Thọ');
  });

  it('splits names with codes in parentheses', () => {
    expect(splitNameAndCode('Thành phố Hà Nội (01)')).toEqual({ name: 'Thành phố Hà Nội', code: '01' });
    expect(splitNameAndCode('Quận Ba Đình ( 001 ) ')).toEqual({ name: 'Quận Ba Đình', code: '001' });
    expect(splitNameAndCode('Xã Tân Lập')).toEqual({ name: 'Xã Tân Lập', code: null });
  });

  it('pads codes to their official width', () => {
    expect(padCode('1', 2)).toBe('01');
    expect(padCode('4', 5)).toBe('00004');
    expect(padCode('001', 3)).toBe('001');
    expect(padCode('123', 2)).toBeNull();
    expect(padCode('1a', 5)).toBeNull();
  });
});
