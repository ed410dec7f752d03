import type { Actor } from '../../server/context';

/**
 * Who may import a registry: the province keeps it, so its officers import for their own province;
 * system administrators for any. Commune officers, producers and council members may not: an import
 * writes subjects, products and certificates across a whole province.
 */
export function canManageImportsIn(actor: Actor, provinceCode: string): boolean {
  switch (actor.role) {
    case 'system_admin':
      return true;
    case 'province_officer':
      return actor.provinceCode === provinceCode;
    default:
      return false;
  }
}
