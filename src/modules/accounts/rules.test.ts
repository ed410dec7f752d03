import { describe, expect, it } from 'vitest';
import {
  checkRoleScope,
  isAcceptablePassword,
  isThrottled,
  nextThrottleState,
  normaliseEmail,
} from './rules';

describe('password rule', () => {
  it.each([
    ['short1', false],
    ['onlyletterslong', false],
    ['1234567890123', false],
    ['matkhau1234', true],
    ['Mậtkhẩu12345', true],
    [`${'a'.repeat(199)}1`, true],
    [`${'a'.repeat(200)}1`, false],
  ])('%s → %s', (password, ok) => {
    expect(isAcceptablePassword(password)).toBe(ok);
  });
});

describe('e-mail normalisation', () => {
  it('trims and lower-cases', () =>
    expect(normaliseEmail('  Can.Bo@NinhBinh.gov.vn ')).toBe('can.bo@ninhbinh.gov.vn'));
});

describe('role scope', () => {
  it('requires the unit an officer works in', () => {
    expect(checkRoleScope({ role: 'province_officer' })).toBe('provinceRequired');
    expect(checkRoleScope({ role: 'province_officer', provinceCode: '37' })).toBeNull();
    expect(checkRoleScope({ role: 'commune_officer', provinceCode: '37' })).toBe('communeRequired');
    expect(checkRoleScope({ role: 'commune_officer', communeCode: '14296' })).toBeNull();
  });
  it('requires producers to represent a subject', () => {
    expect(checkRoleScope({ role: 'producer', subjectIds: [] })).toBe('subjectsRequired');
    expect(checkRoleScope({ role: 'producer', subjectIds: ['s'] })).toBeNull();
  });
  it('refuses an area on roles without one', () => {
    expect(checkRoleScope({ role: 'system_admin', provinceCode: '37' })).toBe('noScopeExpected');
    expect(checkRoleScope({ role: 'council_member' })).toBeNull();
  });
});

describe('login throttling', () => {
  const windowMs = 15 * 60_000;
  const start = new Date('2026-11-24T01:00:00Z');
  it('blocks at the limit inside the window and forgets after it', () => {
    let state = nextThrottleState(undefined, start, windowMs);
    for (let i = 1; i < 5; i++)
      state = nextThrottleState(state, new Date(start.getTime() + i * 1000), windowMs);
    expect(state.failures).toBe(5);
    expect(isThrottled(state, new Date(start.getTime() + 60_000), 5, windowMs)).toBe(true);
    expect(isThrottled(state, new Date(start.getTime() + 60_000), 6, windowMs)).toBe(false);
    expect(isThrottled(state, new Date(start.getTime() + windowMs), 5, windowMs)).toBe(false);
  });
  it('starts a new window after the old one ends', () => {
    const state = nextThrottleState(
      { failures: 9, windowStartedAt: start },
      new Date(start.getTime() + windowMs + 1),
      windowMs,
    );
    expect(state.failures).toBe(1);
  });
  it('is not throttled without history', () =>
    expect(isThrottled(undefined, start, 1, windowMs)).toBe(false));
});
