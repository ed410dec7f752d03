import { describe, expect, it } from 'vitest';
import type { Actor } from '../../server/context';
import {
  canArchiveSubject,
  canCreateSubjectIn,
  canReadSubject,
  canUpdateSubject,
  registryScope,
  type SubjectLocation,
} from './policy';

const actor = (over: Partial<Actor>): Actor => ({
  userId: 'u',
  email: 'u@test.vn',
  fullName: 'U',
  role: 'system_admin',
  provinceCode: null,
  communeCode: null,
  subjectIds: [],
  sessionId: 's',
  csrfToken: 'c',
  ...over,
});

const subject: SubjectLocation = { id: 's1', communeCode: '13285', provinceCode: '37' };
const admin = actor({});
const province = actor({ role: 'province_officer', provinceCode: '37' });
const otherProvince = actor({ role: 'province_officer', provinceCode: '33' });
const commune = actor({ role: 'commune_officer', provinceCode: '37', communeCode: '13285' });
const otherCommune = actor({ role: 'commune_officer', provinceCode: '37', communeCode: '13291' });
const producer = actor({ role: 'producer', subjectIds: ['s1'] });
const otherProducer = actor({ role: 'producer', subjectIds: ['s2'] });
const council = actor({ role: 'council_member' });

describe('subject policy', () => {
  it('reads and updates within the area or own subjects only', () => {
    for (const a of [admin, province, commune, producer]) {
      expect(canReadSubject(a, subject)).toBe(true);
      expect(canUpdateSubject(a, subject)).toBe(true);
    }
    for (const a of [otherProvince, otherCommune, otherProducer, council]) {
      expect(canReadSubject(a, subject)).toBe(false);
      expect(canUpdateSubject(a, subject)).toBe(false);
    }
  });

  it('leaves creating and archiving to officers of the area', () => {
    for (const a of [admin, province, commune]) {
      expect(canCreateSubjectIn(a, subject)).toBe(true);
      expect(canArchiveSubject(a, subject)).toBe(true);
    }
    for (const a of [otherProvince, otherCommune, producer, council]) {
      expect(canCreateSubjectIn(a, subject)).toBe(false);
      expect(canArchiveSubject(a, subject)).toBe(false);
    }
  });

  it('gives each role its slice of the registry', () => {
    expect(registryScope(admin)).toEqual({ kind: 'all' });
    expect(registryScope(province)).toEqual({ kind: 'province', provinceCode: '37' });
    expect(registryScope(commune)).toEqual({ kind: 'commune', communeCode: '13285' });
    expect(registryScope(producer)).toEqual({ kind: 'subjects', subjectIds: ['s1'] });
    expect(registryScope(council)).toBeNull();
    // An officer without a unit sees nothing rather than everything.
    expect(registryScope(actor({ role: 'province_officer' }))).toBeNull();
  });
});
