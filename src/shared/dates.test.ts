import { describe, expect, it } from 'vitest';
import { localDate, PROGRAMME_TIME_ZONE, today } from './dates';

describe('localDate', () => {
  it('gives the day in Hà Nội, not the server zone: 23:30 on 31/12 there is still 31/12', () => {
    expect(localDate(new Date('2026-12-31T16:30:00Z'))).toBe('2026-12-31');
    expect(localDate(new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
    expect(localDate(new Date('2026-06-15T16:59:59Z'), PROGRAMME_TIME_ZONE)).toBe('2026-06-15');
  });

  it('follows the zone it is given', () => {
    const lateEvening = new Date('2024-01-09T20:00:00Z');
    expect(localDate(lateEvening)).toBe('2024-01-10');
    expect(localDate(lateEvening, 'UTC')).toBe('2024-01-09');
    expect(localDate(lateEvening, 'America/New_York')).toBe('2024-01-09');
  });

  it('pads month and day to two digits', () => {
    expect(localDate(new Date('2025-02-03T01:00:00Z'))).toBe('2025-02-03');
  });

  it('refuses an unknown time zone instead of guessing one', () => {
    expect(() => localDate(new Date(), 'Mars/Olympus')).toThrow(RangeError);
  });
});

describe('today', () => {
  it('is the local day of the given instant', () => {
    expect(today(PROGRAMME_TIME_ZONE, new Date('2026-03-01T18:00:00Z'))).toBe('2026-03-02');
    expect(today('UTC', new Date('2026-03-01T18:00:00Z'))).toBe('2026-03-01');
  });

  it('defaults to now in Hà Nội', () => {
    const before = localDate(new Date());
    const value = today();
    expect(value).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    // Around midnight the day may have turned between the two calls, never gone back.
    expect(value >= before).toBe(true);
  });
});
