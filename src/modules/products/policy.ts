import type { Actor } from '../../server/context';
import { canReadSubject, canUpdateSubject, type SubjectLocation } from '../subjects/contract';

/**
 * Who may do what with products and craft villages.
 * A product belongs to its subject: whoever may read the subject reads its products, whoever may
 * update the subject edits, registers, archives them and manages their photos (subjects/policy.ts).
 */
export const canReadProduct = (actor: Actor, subject: SubjectLocation): boolean =>
  canReadSubject(actor, subject);

export const canEditProduct = (actor: Actor, subject: SubjectLocation): boolean =>
  canUpdateSubject(actor, subject);

/** New products only for subjects that are still active. */
export function canCreateProductFor(
  actor: Actor,
  subject: SubjectLocation & { archivedAt: Date | null },
): boolean {
  return subject.archivedAt === null && canUpdateSubject(actor, subject);
}

/** Everyone with a registry role reads the craft-village list: it is public knowledge, not personal data. */
export function canReadCraftVillages(actor: Actor): boolean {
  return actor.role !== 'council_member';
}

/** Officers keep the registry of craft villages of their own area; administrators everywhere. */
export function canWriteCraftVillage(
  actor: Actor,
  location: { communeCode: string; provinceCode: string },
): boolean {
  switch (actor.role) {
    case 'system_admin':
      return true;
    case 'province_officer':
      return actor.provinceCode !== null && actor.provinceCode === location.provinceCode;
    case 'commune_officer':
      return actor.communeCode !== null && actor.communeCode === location.communeCode;
    case 'producer':
    case 'council_member':
      return false;
  }
}
