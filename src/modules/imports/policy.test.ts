import { describe, expect, it } from 'vitest';
import type { Actor } from '../../server/context';
import { canManageImportsIn } from './policy';

const actor = (role: Actor['role'], provinceCode: string | null = null): Actor => ({
  userId: 'u',
  email: 'u@test.vn',
  fullName: 'U',
  role,
  provinceCode,
  communeCode: null,
  subjectIds: [],
  sessionId: 's',
  csrfToken: 'c',
});

describe('canManageImportsIn', () => {
  it('lets province officers import for their own province and administrators for any', () => {
    expect(canManageImportsIn(actor('province_officer', '37'), '37')).toBe(true);
    expect(canManageImportsIn(actor('province_officer', '33'), '37')).toBe(false);
    expect(canManageImportsIn(actor('system_admin'), '37')).toBe(true);
  });
  it('refuses everyone else', () => {
    for (const role of ['commune_officer', 'producer', 'council_member'] as const)
      expect(canManageImportsIn(actor(role, '37'), '37')).toBe(false);
  });
});
