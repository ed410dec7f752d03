import { describe, expect, it } from 'vitest';
import { compareVietnamese, vietnameseSortKey } from './text';

/** Full-strength Vietnamese collation: the order the sort key must reproduce. */
const collator = new Intl.Collator('vi', { numeric: true });
const byKey = (a: string, b: string) => {
  const ka = vietnameseSortKey(a);
  const kb = vietnameseSortKey(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
};
const sign = (n: number) => Math.sign(n);

const NAMES = [
  'Hợp tác xã Nông nghiệp Yên Mô',
  'HTX Dịch vụ Nông nghiệp Gia Sinh',
  'Hộ kinh doanh Đinh Văn Ân',
  'Hộ kinh doanh Đặng Thị Lan',
  'Hộ kinh doanh Dương Văn Bình',
  'Công ty TNHH Cơm cháy Bảo Minh',
  'Công ty Cổ phần Cơm cháy Ninh Bình',
  'Cơ sở sản xuất Cơm cháy Hải Anh',
  'Cơ sở Mộc Ánh Dương',
  'An Phú',
  'Ấp Bắc',
  'Ăn ngon',
  'Âu Cơ',
  'Ê-đê Craft',
  'Ốc Hương',
  'Ơn Trời',
  'Ưng Hòa',
  'Uyên Nguyên',
  'Tổ hợp tác 2',
  'Tổ hợp tác 10',
  'Tổ hợp tác 1',
  'Trang trại Thành Đạt',
  "Trang trại 'Bà Tư'",
  'Trang trại (Gia đình) Phúc',
  'Làng nghề Kim Sơn',
  'Lâm Phát',
  'Zen Farm',
  'Bình An',
  'Bính Ấn',
  'Binh An',
  'Cà phê Đắk Hà',
  'Cá kho Vũ Đại',
  'Cả Nhà',
  'Của Quê',
  'đặc sản Đồng Tháp',
  'Đặc sản Đồng Tháp',
];

describe('Vietnamese sort key', () => {
  it('orders realistic names exactly as Intl.Collator("vi")', () => {
    const expected = [...NAMES].sort(collator.compare);
    expect([...NAMES].sort(byKey)).toEqual(expected);
  });

  it('puts the Vietnamese letters where the alphabet has them', () => {
    const order = [
      'An',
      'Ăn',
      'Ân',
      'Bơ',
      'Dầu',
      'Đồng',
      'Em',
      'Êm',
      'Giang',
      'Oanh',
      'Ôn',
      'Ơn',
      'Uống',
      'Ưng',
    ];
    expect([...order].reverse().sort(byKey)).toEqual(order);
  });

  it('orders tones none, huyền, hỏi, ngã, sắc, nặng', () => {
    const tones = ['ma', 'mà', 'mả', 'mã', 'má', 'mạ'];
    expect([...tones].reverse().sort(byKey)).toEqual(tones);
  });

  it('compares numbers by value, ignoring leading zeros', () => {
    expect(['Tổ 10', 'Tổ 9', 'Tổ 02'].sort(byKey)).toEqual(['Tổ 02', 'Tổ 9', 'Tổ 10']);
    expect(vietnameseSortKey('Tổ 007')).toBe(vietnameseSortKey('Tổ 7'));
  });

  it('is the same for composed and decomposed input', () => {
    const name = 'Nước mắm Thiện Hương';
    expect(vietnameseSortKey(name.normalize('NFD'))).toBe(vietnameseSortKey(name.normalize('NFC')));
  });

  it('never contradicts the collator on random Vietnamese strings', () => {
    const alphabet = [
      ...'aăâbdđeêoôơuưyAĂÂĐƠƯẤỜỰÉáàảãạấầẩẫậắằẳẵặếềểễệọốồổỗộớờởỡợứừửữựỳ0123456789\t \u00a0_-–—,;:!?.…·\'‘’"“”()[]{}@*/\\&#%`^+<=>|~$\u00ad',
    ];
    // A fixed linear congruential generator: the same strings every run.
    let seed = 20_251_124;
    const next = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      return seed / 2_147_483_648;
    };
    const word = () =>
      Array.from(
        { length: 1 + Math.floor(next() * 8) },
        () => alphabet[Math.floor(next() * alphabet.length)],
      ).join('');
    for (let i = 0; i < 20_000; i++) {
      const a = word();
      const b = word();
      expect([a, b, sign(byKey(a, b))]).toEqual([a, b, sign(collator.compare(a, b))]);
    }
  });

  it('agrees with compareVietnamese wherever that one sees a difference', () => {
    for (const a of NAMES) {
      for (const b of NAMES) {
        const base = compareVietnamese(a, b);
        if (base !== 0) expect(sign(byKey(a, b))).toBe(sign(base));
      }
    }
  });

  it('is printable ASCII, so SQL "C" byte order and JS order agree', () => {
    for (const name of [...NAMES, 'Ẩm thực 中文 😀'])
      expect(vietnameseSortKey(name)).toMatch(/^[\x20-\x7e]*$/);
  });
});
