import { describe, expect, it } from 'vitest';
import type { Actor } from '../../server/context';
import type { Role } from '../accounts';
import { canManageCertificatesIn, canReadCertificate } from './policy';

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
const subject = { id: 'sub-1', communeCode: '13285', provinceCode: '37' };

describe('certificate policy', () => {
  it('lets administrators and the province officer of the province manage certificates', () => {
    expect(canManageCertificatesIn(actor('system_admin'), '37')).toBe(true);
    expect(canManageCertificatesIn(actor('province_officer', { provinceCode: '37' }), '37')).toBe(true);
    expect(canManageCertificatesIn(actor('province_officer', { provinceCode: '33' }), '37')).toBe(false);
    for (const role of ['commune_officer', 'council_member', 'producer'] as const) {
      expect(canManageCertificatesIn(actor(role, { provinceCode: '37', communeCode: '13285' }), '37')).toBe(
        false,
      );
    }
  });

  it('lets whoever sees the subject read its certificates', () => {
    expect(canReadCertificate(actor('commune_officer', { communeCode: '13285' }), subject)).toBe(true);
    expect(canReadCertificate(actor('commune_officer', { communeCode: '13291' }), subject)).toBe(false);
    expect(canReadCertificate(actor('producer', { subjectIds: ['sub-1'] }), subject)).toBe(true);
    expect(canReadCertificate(actor('producer', { subjectIds: ['sub-2'] }), subject)).toBe(false);
    expect(canReadCertificate(actor('council_member'), subject)).toBe(false);
  });
});
