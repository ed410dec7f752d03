import { describe, expect, it } from 'vitest';
import { CONTROL_CHARACTERS, compareVietnamese, foldAccents } from './text';

describe('accent folding', () => {
  it.each([
    ['Cơm cháy', 'com chay'],
    ['ĐẶC SẢN Đồng Tháp', 'dac san dong thap'],
    ['Thuỷ  Nguyên', 'thuy nguyen'],
    ['Thủy Nguyên', 'thuy nguyen'],
    ['  Hòa   Bình ', 'hoa binh'],
    ['Hoà Bình', 'hoa binh'],
  ])('%s → %s', (input, folded) => expect(foldAccents(input)).toBe(folded));

  it('treats composed and decomposed input alike', () => {
    expect(foldAccents('Nước mắm'.normalize('NFD'))).toBe(foldAccents('Nước mắm'.normalize('NFC')));
  });
});

describe('Vietnamese sorting', () => {
  it('puts Đ after D and before E', () => {
    const names = ['Ê-đê', 'Đồng Tháp', 'Dầu', 'An Giang', 'Ấp Bắc', 'Bến Tre'];
    expect([...names].sort(compareVietnamese)).toEqual([
      'An Giang',
      'Ấp Bắc',
      'Bến Tre',
      'Dầu',
      'Đồng Tháp',
      'Ê-đê',
    ]);
  });
});

describe('control characters', () => {
  it('flags NUL, escape and DEL but not tab or newline', () => {
    expect(CONTROL_CHARACTERS.test('a\u0000b')).toBe(true);
    expect(CONTROL_CHARACTERS.test('a\u001bb')).toBe(true);
    expect(CONTROL_CHARACTERS.test('a\u007fb')).toBe(true);
    expect(CONTROL_CHARACTERS.test('dòng 1\ndòng 2\tcột')).toBe(false);
  });
});
