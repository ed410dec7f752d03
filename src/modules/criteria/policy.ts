import type { Role } from '../accounts/contract';

/**
 * Who may do what with rule-sets and sheets. They are the law as data: only system administrators
 * import, set parameters, activate and retire; the people who run evaluations (officers) and
 * score them (council members) read them. Producers see their sheet through their dossier
 * (evaluation module), not here.
 */
export const CRITERIA_WRITERS: readonly Role[] = ['system_admin'];
export const CRITERIA_READERS: readonly Role[] = [
  'system_admin',
  'province_officer',
  'commune_officer',
  'council_member',
];

/** A demonstration sheet becomes usable only on a demo installation, so it never scores a real dossier. */
export function canActivateSheet(sheet: { demo: boolean }, installation: { demo: boolean }): boolean {
  return !sheet.demo || installation.demo;
}
