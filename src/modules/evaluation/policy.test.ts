import { describe, expect, it } from 'vitest';
import type { Actor } from '../../server/context';
import type { Role } from '../accounts';
import {
  canManageCycle,
  canReadAdvisoryReview,
  canReadAllSheets,
  canReadDossier,
  canReadResult,
  canWriteAdvisoryReview,
  capacitiesOf,
  cycleScope,
  type DossierFacts,
  isSelfEvaluation,
} from './policy';

const actor = (role: Role, over: Partial<Actor> = {}): Actor => ({
  userId: 'u',
  email: 'u@test.vn',
  fullName: 'U',
  role,
  provinceCode: null,
  communeCode: null,
  subjectIds: [],
  sessionId: 's',
  csrfToken: 'c',
  ...over,
});

const dossier: DossierFacts = {
  subjectId: 'subject-1',
  communeCode: '13285',
  cycleProvinceCode: '37',
  state: 'in_council',
};

const admin = actor('system_admin');
const nbOfficer = actor('province_officer', { provinceCode: '37' });
const hyOfficer = actor('province_officer', { provinceCode: '33' });
const communeOfficer = actor('commune_officer', { provinceCode: '37', communeCode: '13285' });
const otherCommune = actor('commune_officer', { provinceCode: '37', communeCode: '13291' });
const owner = actor('producer', { subjectIds: ['subject-1'] });
const otherProducer = actor('producer', { subjectIds: ['subject-2'] });
const member = actor('council_member');

describe('capacities', () => {
  it('gives each role its capacity only within its scope', () => {
    expect(capacitiesOf(owner, dossier, null)).toEqual(['owner']);
    expect(capacitiesOf(otherProducer, dossier, null)).toEqual([]);
    expect(capacitiesOf(communeOfficer, dossier, null)).toEqual(['commune_officer']);
    expect(capacitiesOf(otherCommune, dossier, null)).toEqual([]);
    expect(capacitiesOf(nbOfficer, dossier, null)).toEqual(['province_officer']);
    expect(capacitiesOf(hyOfficer, dossier, null)).toEqual([]);
    expect(capacitiesOf(admin, dossier, null)).toEqual(['province_officer']);
    expect(capacitiesOf(member, dossier, { role: 'member' })).toEqual([]);
    expect(capacitiesOf(member, dossier, { role: 'chair' })).toEqual(['council_chair']);
    expect(capacitiesOf(nbOfficer, dossier, { role: 'chair' })).toEqual([
      'province_officer',
      'council_chair',
    ]);
  });

  it('leaves central cycles to system administrators', () => {
    expect(canManageCycle(nbOfficer, null)).toBe(false);
    expect(canManageCycle(admin, null)).toBe(true);
    expect(canManageCycle(nbOfficer, '37')).toBe(true);
    expect(canManageCycle(hyOfficer, '37')).toBe(false);
    expect(canManageCycle(communeOfficer, '37')).toBe(false);
  });
});

describe('reading', () => {
  it('shows a dossier to its owner, its commune, its province and the council it is assigned to', () => {
    for (const who of [owner, communeOfficer, nbOfficer, admin])
      expect(canReadDossier(who, dossier, null)).toBe(true);
    for (const who of [otherProducer, otherCommune, hyOfficer, member]) {
      expect(canReadDossier(who, dossier, null)).toBe(false);
    }
    expect(canReadDossier(member, dossier, { role: 'advisory' })).toBe(true);
  });

  it('keeps members sheets private until scoring closes, then shows them to the council and province', () => {
    expect(canReadAllSheets(member, dossier, { role: 'chair' })).toBe(false);
    expect(canReadAllSheets(nbOfficer, dossier, null)).toBe(false);
    const closed = { ...dossier, state: 'scored' as const };
    expect(canReadAllSheets(member, closed, { role: 'member' })).toBe(true);
    expect(canReadAllSheets(nbOfficer, closed, null)).toBe(true);
    expect(canReadAllSheets(owner, closed, null)).toBe(false);
    expect(canReadAllSheets(communeOfficer, closed, null)).toBe(false);
  });

  it('shows the result to the producer and the commune only once published', () => {
    expect(canReadResult(owner, dossier, null, false)).toBe(false);
    expect(canReadResult(owner, dossier, null, true)).toBe(true);
    expect(canReadResult(otherProducer, dossier, null, true)).toBe(false);
    expect(canReadResult(communeOfficer, dossier, null, false)).toBe(false);
    expect(canReadResult(communeOfficer, dossier, null, true)).toBe(true);
    expect(canReadResult(nbOfficer, dossier, null, false)).toBe(true);
    expect(canReadResult(member, dossier, { role: 'member' }, false)).toBe(true);
    expect(canReadResult(member, dossier, null, true)).toBe(false);
  });

  it('treats a member representing the subject as conflicted', () => {
    expect(isSelfEvaluation(owner, dossier)).toBe(true);
    expect(isSelfEvaluation(member, dossier)).toBe(false);
  });

  it('lists cycles by province for officers and producers, by seat for the others', () => {
    expect(cycleScope(admin, [])).toEqual({ kind: 'all' });
    expect(cycleScope(nbOfficer, [])).toEqual({ kind: 'provinces', provinceCodes: ['37'], orSeated: true });
    expect(cycleScope(communeOfficer, [])).toEqual({
      kind: 'provinces',
      provinceCodes: ['37'],
      orSeated: true,
    });
    expect(cycleScope(owner, ['37', '37', '33'])).toEqual({
      kind: 'provinces',
      provinceCodes: ['37', '33'],
      orSeated: true,
    });
    expect(cycleScope(member, [])).toEqual({ kind: 'seated' });
  });
});

describe('advisory review', () => {
  it('is written by the advisory seat or the province, read by any seat and the province', () => {
    const member = actor('council_member');
    expect(canWriteAdvisoryReview(member, dossier, { role: 'advisory' })).toBe(true);
    expect(canWriteAdvisoryReview(member, dossier, { role: 'member' })).toBe(false);
    expect(canWriteAdvisoryReview(member, dossier, { role: 'chair' })).toBe(false);
    expect(canWriteAdvisoryReview(nbOfficer, dossier, null)).toBe(true);
    expect(canWriteAdvisoryReview(admin, dossier, null)).toBe(true);
    for (const other of [hyOfficer, communeOfficer, owner, member]) {
      expect(canWriteAdvisoryReview(other, dossier, null)).toBe(false);
      expect(canReadAdvisoryReview(other, dossier, null)).toBe(false);
    }
    expect(canReadAdvisoryReview(member, dossier, { role: 'member' })).toBe(true);
    expect(canReadAdvisoryReview(nbOfficer, dossier, null)).toBe(true);
  });
});
