import { describe, expect, it } from 'vitest';
import {
  addressWaitMs,
  checkRoleScope,
  countAttempt,
  DEMO_PASSWORD,
  isAcceptablePassword,
  normaliseEmail,
  pairWaitMs,
  passwordProblem,
} from './rules';

describe('password rule', () => {
  it.each([
    ['short1', false],
    ['onlyletterslong', false],
    ['1234567890123', false],
    ['Mậtkhẩu-chè-7', true],
    ['Mậtkhẩu12345', true],
    // Ten spaces and "1a": padding is not length.
    [`${' '.repeat(10)}1a`, false],
    // Among the most common passwords, however it is written.
    ['matkhau1234', false],
    ['Password-123', false],
    ['Q W E R T Y 1 2 3 4 5', false],
    [`${'a'.repeat(199)}1`, true],
    [`${'a'.repeat(200)}1`, false],
  ])('%s → %s', (password, ok) => {
    expect(isAcceptablePassword(password)).toBe(ok);
  });
});

describe('password problems', () => {
  it('names what is wrong', () => {
    expect(passwordProblem('ngắn1')).toBe('rules');
    expect(passwordProblem('iloveyou123')).toBe('common');
    expect(passwordProblem('Mậtkhẩu-chè-7')).toBeNull();
  });
  it('refuses the demo password outside demo mode only', () => {
    expect(passwordProblem(DEMO_PASSWORD, { demo: false })).toBe('demo');
    expect(passwordProblem(DEMO_PASSWORD, { demo: true })).toBeNull();
    expect(passwordProblem(DEMO_PASSWORD)).toBe('demo');
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
  const policy = { freeAttempts: 5, baseDelayMs: 30_000, windowMs };
  const start = new Date('2026-11-24T01:00:00Z');
  const at = (ms: number) => new Date(start.getTime() + ms);

  it('lets the free attempts through, then makes each further attempt wait twice as long', () => {
    let state = countAttempt(undefined, start, windowMs);
    for (let i = 1; i < 4; i++) state = countAttempt(state, at(i * 1000), windowMs);
    expect(state.attempts).toBe(4);
    expect(pairWaitMs(state, at(5000), policy)).toBe(0);
    state = countAttempt(state, at(5000), windowMs);
    // Five attempts: 30 s after the last one.
    expect(pairWaitMs(state, at(5000), policy)).toBe(30_000);
    expect(pairWaitMs(state, at(35_000), policy)).toBe(0);
    state = countAttempt(state, at(35_000), windowMs);
    expect(pairWaitMs(state, at(35_000), policy)).toBe(60_000);
    state = countAttempt(state, at(95_000), windowMs);
    expect(pairWaitMs(state, at(95_000), policy)).toBe(120_000);
  });

  it('never waits longer than the window, and forgets after it', () => {
    const state = { attempts: 30, windowStartedAt: start, lastAttemptAt: at(60_000) };
    expect(pairWaitMs(state, at(60_000), policy)).toBe(windowMs);
    expect(pairWaitMs(state, at(windowMs), policy)).toBe(0);
    expect(countAttempt(state, at(windowMs + 1), windowMs).attempts).toBe(1);
  });

  it("makes an address that reached its limit wait for the window's end", () => {
    const state = { attempts: 20, windowStartedAt: start, lastAttemptAt: at(10_000) };
    expect(addressWaitMs(state, at(60_000), 20, windowMs)).toBe(windowMs - 60_000);
    expect(addressWaitMs(state, at(60_000), 21, windowMs)).toBe(0);
    expect(addressWaitMs(state, at(windowMs), 20, windowMs)).toBe(0);
  });

  it('has nothing to wait for without history', () => {
    expect(pairWaitMs(undefined, start, policy)).toBe(0);
    expect(addressWaitMs(undefined, start, 1, windowMs)).toBe(0);
  });
});
