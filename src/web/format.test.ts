import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatNumber } from './format';

describe('dates in Vietnam time', () => {
  it('shows instants in Asia/Ho_Chi_Minh, day first, 24-hour clock', () => {
    expect(formatDateTime('2026-11-22T07:05:00Z')).toBe('22/11/2026 14:05');
    // 20:30 UTC is already the next day in Vietnam.
    expect(formatDate('2026-12-31T20:30:00Z')).toBe('01/01/2027');
  });

  it('leaves missing or broken values empty', () => {
    expect(formatDateTime(null)).toBe('');
    expect(formatDate('not a date')).toBe('');
  });

  it('groups thousands the Vietnamese way', () => {
    expect(formatNumber(14642, 'vi')).toBe('14.642');
    expect(formatNumber(14642, 'en')).toBe('14,642');
  });
});
