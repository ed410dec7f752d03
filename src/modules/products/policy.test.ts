import { describe, expect, it } from 'vitest';
import type { Actor } from '../../server/context';
import type { Role } from '../accounts';
import {
  canCreateProductFor,
  canEditProduct,
  canReadCraftVillages,
  canReadProduct,
  canWriteCraftVillage,
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

const subject = { id: 'subject-1', communeCode: '13285', provinceCode: '37', archivedAt: null };
const elsewhere = { id: 'subject-2', communeCode: '11953', provinceCode: '33', archivedAt: null };

describe('product policy follows the subject', () => {
  const cases: [string, Actor, boolean][] = [
    ['admin', actor('system_admin'), true],
    ['province officer of the province', actor('province_officer', { provinceCode: '37' }), true],
    ['province officer elsewhere', actor('province_officer', { provinceCode: '33' }), false],
    [
      'commune officer of the commune',
      actor('commune_officer', { provinceCode: '37', communeCode: '13285' }),
      true,
    ],
    [
      'commune officer of another commune',
      actor('commune_officer', { provinceCode: '37', communeCode: '13291' }),
      false,
    ],
    ['producer of the subject', actor('producer', { subjectIds: ['subject-1'] }), true],
    ['producer of another subject', actor('producer', { subjectIds: ['subject-2'] }), false],
    ['council member', actor('council_member'), false],
  ];
  it.each(cases)('%s', (_, who, allowed) => {
    expect(canReadProduct(who, subject)).toBe(allowed);
    expect(canEditProduct(who, subject)).toBe(allowed);
    expect(canCreateProductFor(who, subject)).toBe(allowed);
  });

  it('creates no products for an archived subject', () => {
    expect(canCreateProductFor(actor('system_admin'), { ...subject, archivedAt: new Date() })).toBe(false);
  });
});

describe('craft village policy', () => {
  const place = { communeCode: '13285', provinceCode: '37' };
  it('lets officers write within their area only', () => {
    expect(canWriteCraftVillage(actor('system_admin'), place)).toBe(true);
    expect(canWriteCraftVillage(actor('province_officer', { provinceCode: '37' }), place)).toBe(true);
    expect(canWriteCraftVillage(actor('province_officer', { provinceCode: '33' }), place)).toBe(false);
    expect(canWriteCraftVillage(actor('province_officer'), place)).toBe(false);
    expect(canWriteCraftVillage(actor('commune_officer', { communeCode: '13285' }), place)).toBe(true);
    expect(canWriteCraftVillage(actor('commune_officer', { communeCode: '13291' }), place)).toBe(false);
    expect(canWriteCraftVillage(actor('producer', { subjectIds: ['subject-1'] }), place)).toBe(false);
    expect(canWriteCraftVillage(actor('council_member'), elsewhere)).toBe(false);
  });

  it('lets everyone but council members read', () => {
    expect(canReadCraftVillages(actor('producer'))).toBe(true);
    expect(canReadCraftVillages(actor('commune_officer'))).toBe(true);
    expect(canReadCraftVillages(actor('council_member'))).toBe(false);
  });
});
