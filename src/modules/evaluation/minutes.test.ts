import { describe, expect, it } from 'vitest';
import { worksheetName } from './minutes';

describe('worksheetName', () => {
  it('keeps Excel sheet names legal: no []:*?/\\ or quote, at most 31 characters, numbered so they stay unique', () => {
    expect(worksheetName(1, 'Rau cải mầm')).toBe('1. Rau cải mầm');
    expect(worksheetName(2, "Trà [hoa] vàng: 'đặc biệt' */?\\")).toBe('2. Trà hoa vàng đặc biệt');
    const long = worksheetName(120, 'Dịch vụ du lịch cộng đồng bản Lác, xã Mai Châu');
    expect(long.length).toBeLessThanOrEqual(31);
    expect(long.startsWith('120. ')).toBe(true);
  });
});
