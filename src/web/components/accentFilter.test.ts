import { describe, expect, it } from 'vitest';
import { accentInsensitiveFilter } from './accentFilter';

const options = [
  { value: '37', label: 'Tỉnh Ninh Bình' },
  { value: '33', label: 'Tỉnh Hưng Yên' },
  { group: 'Nhóm I', items: [{ value: '5', label: 'Đồ ăn nhanh' }] },
];

describe('accentInsensitiveFilter', () => {
  it('finds options typed without accents, đ as d', () => {
    expect(accentInsensitiveFilter({ options, search: 'ninh binh', limit: 10 })).toEqual([options[0]]);
    expect(accentInsensitiveFilter({ options, search: 'do an', limit: 10 })).toEqual([
      { group: 'Nhóm I', items: [{ value: '5', label: 'Đồ ăn nhanh' }] },
    ]);
    expect(accentInsensitiveFilter({ options, search: 'HƯNG', limit: 10 })).toEqual([options[1]]);
  });

  it('keeps to the limit', () => {
    expect(accentInsensitiveFilter({ options, search: 'tinh', limit: 1 })).toHaveLength(1);
  });
});
