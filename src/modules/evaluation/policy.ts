import type { Actor } from '../../server/context';
import { type Capacity, type CouncilRole, type DossierState, isScoringClosed } from './rules';

/**
 * Who may see and act on evaluation records, pure. Scope follows the registry (subjects/policy.ts):
 * a producer their own subjects' dossiers, a commune officer their commune's, a province officer
 * their province's cycles; system administrators act as a province officer anywhere (and alone
 * open central cycles). Council seats are per person, whatever their role: a member sees the
 * dossiers assigned to their council, nothing else.
 */

export type DossierFacts = {
  subjectId: string;
  /** The subject's commune when the dossier was created. */
  communeCode: string;
  /** The cycle's province; null for a central cycle. */
  cycleProvinceCode: string | null;
  state: DossierState;
};

/** The caller's seat on the council the dossier is assigned to, if any. */
export type Seat = { role: CouncilRole } | null;

export function canManageCycle(actor: Actor, cycleProvinceCode: string | null): boolean {
  if (actor.role === 'system_admin') return true;
  return (
    actor.role === 'province_officer' &&
    cycleProvinceCode !== null &&
    actor.provinceCode === cycleProvinceCode
  );
}

/** The capacities in which this actor may act on this dossier (rules.ts says which transitions each allows). */
export function capacitiesOf(actor: Actor, dossier: DossierFacts, seat: Seat): Capacity[] {
  const capacities: Capacity[] = [];
  if (actor.role === 'producer' && actor.subjectIds.includes(dossier.subjectId)) capacities.push('owner');
  if (actor.role === 'commune_officer' && actor.communeCode === dossier.communeCode) {
    capacities.push('commune_officer');
  }
  if (canManageCycle(actor, dossier.cycleProvinceCode)) capacities.push('province_officer');
  if (seat?.role === 'chair') capacities.push('council_chair');
  return capacities;
}

export function canReadDossier(actor: Actor, dossier: DossierFacts, seat: Seat): boolean {
  return seat !== null || capacitiesOf(actor, dossier, seat).length > 0;
}

/**
 * Members' sheets stay private while the council scores, so no member is swayed by another's
 * marks; once the chair closes scoring the council and the province read them all.
 * The producer and the commune see the result, not the members' sheets.
 */
export function canReadAllSheets(actor: Actor, dossier: DossierFacts, seat: Seat): boolean {
  if (!isScoringClosed(dossier.state)) return false;
  return seat !== null || canManageCycle(actor, dossier.cycleProvinceCode);
}

/** Who follows scoring progress (who has submitted, not what): the council and the province. */
export function canFollowScoring(actor: Actor, dossier: DossierFacts, seat: Seat): boolean {
  return seat !== null || canManageCycle(actor, dossier.cycleProvinceCode);
}

/**
 * A dossier's result: the council and the province from the moment scoring closes; the producer
 * and the commune only once the province has published it.
 */
export function canReadResult(actor: Actor, dossier: DossierFacts, seat: Seat, published: boolean): boolean {
  if (seat !== null || canManageCycle(actor, dossier.cycleProvinceCode)) return true;
  return published && capacitiesOf(actor, dossier, seat).length > 0;
}

/**
 * A conflict of interest the platform knows without a declaration: a council member who represents
 * the dossier's subject.
 */
export function isSelfEvaluation(actor: Actor, dossier: Pick<DossierFacts, 'subjectId'>): boolean {
  return actor.subjectIds.includes(dossier.subjectId);
}

/** Cycles a list shows: all, one province's, those of some provinces, or those whose councils seat the caller. */
export type CycleScope =
  | { kind: 'all' }
  | { kind: 'provinces'; provinceCodes: string[]; orSeated: boolean }
  | { kind: 'seated' };

/**
 * Officers see their province's cycles, producers those of their subjects' provinces (to apply),
 * and anyone sees the cycles whose councils seat them.
 */
export function cycleScope(actor: Actor, subjectProvinceCodes: readonly string[]): CycleScope {
  switch (actor.role) {
    case 'system_admin':
      return { kind: 'all' };
    case 'province_officer':
    case 'commune_officer':
      return actor.provinceCode
        ? { kind: 'provinces', provinceCodes: [actor.provinceCode], orSeated: true }
        : { kind: 'seated' };
    case 'producer':
      return { kind: 'provinces', provinceCodes: [...new Set(subjectProvinceCodes)], orSeated: true };
    case 'council_member':
      return { kind: 'seated' };
  }
}

/**
 * The advisory group's review of a dossier is recorded by an advisory member of the council the
 * dossier is assigned to, or by an officer of the cycle's province (who sets the group up and may
 * record for it); scoring members do not write it, they read it.
 */
export function canWriteAdvisoryReview(actor: Actor, dossier: DossierFacts, seat: Seat): boolean {
  return seat?.role === 'advisory' || canManageCycle(actor, dossier.cycleProvinceCode);
}

/** The review is the council's working material: the council and the province read it, not the producer. */
export function canReadAdvisoryReview(actor: Actor, dossier: DossierFacts, seat: Seat): boolean {
  return seat !== null || canManageCycle(actor, dossier.cycleProvinceCode);
}
