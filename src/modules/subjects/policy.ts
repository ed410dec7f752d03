import type { Actor } from '../../server/context';

/**
 * Who may see and change a subject, and so its products:
 * - system administrators: every subject;
 * - province officers: subjects whose current commune is in their province;
 * - commune officers: subjects in their commune;
 * - producers: the subjects they represent (they cannot create or archive subjects);
 * - council members: none through the registry (they see dossiers assigned to them).
 */
export type SubjectLocation = { id: string; communeCode: string; provinceCode: string };

export function canReadSubject(actor: Actor, subject: SubjectLocation): boolean {
  switch (actor.role) {
    case 'system_admin':
      return true;
    case 'province_officer':
      return actor.provinceCode === subject.provinceCode;
    case 'commune_officer':
      return actor.communeCode === subject.communeCode;
    case 'producer':
      return actor.subjectIds.includes(subject.id);
    case 'council_member':
      return false;
  }
}

export const canUpdateSubject = canReadSubject;

/** Creating or archiving a subject is an officer's act, within their area. */
export function canCreateSubjectIn(
  actor: Actor,
  location: { communeCode: string; provinceCode: string },
): boolean {
  switch (actor.role) {
    case 'system_admin':
      return true;
    case 'province_officer':
      return actor.provinceCode === location.provinceCode;
    case 'commune_officer':
      return actor.communeCode === location.communeCode;
    case 'producer':
    case 'council_member':
      return false;
  }
}

export function canArchiveSubject(actor: Actor, subject: SubjectLocation): boolean {
  return canCreateSubjectIn(actor, subject);
}

/** The filter a list applies: which slice of the registry this actor sees. `null` means nothing. */
export type RegistryScope =
  | { kind: 'all' }
  | { kind: 'province'; provinceCode: string }
  | { kind: 'commune'; communeCode: string }
  | { kind: 'subjects'; subjectIds: string[] }
  | null;

export function registryScope(actor: Actor): RegistryScope {
  switch (actor.role) {
    case 'system_admin':
      return { kind: 'all' };
    case 'province_officer':
      return actor.provinceCode ? { kind: 'province', provinceCode: actor.provinceCode } : null;
    case 'commune_officer':
      return actor.communeCode ? { kind: 'commune', communeCode: actor.communeCode } : null;
    case 'producer':
      return { kind: 'subjects', subjectIds: actor.subjectIds };
    case 'council_member':
      return null;
  }
}
