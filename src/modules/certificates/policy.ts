import type { Actor } from '../../server/context';
import {
  canReadSubject,
  type RegistryScope,
  registryScope,
  type SubjectLocation,
} from '../subjects/contract';

/**
 * Who may do what with certificates:
 * - issue, correct and revoke: system administrators anywhere, province officers for certificates
 *   of their province (the province People's Committee issues and revokes; a 5★ decision of the
 *   ministry is recorded by the province too);
 * - read: whoever may read the certificate's subject (commune officers their commune, producers
 *   their own subjects), as for products;
 * - council members: none (their work is the dossier);
 * - everyone, without login: the public verification page (verification module).
 */
export function canManageCertificatesIn(actor: Actor, provinceCode: string): boolean {
  switch (actor.role) {
    case 'system_admin':
      return true;
    case 'province_officer':
      return actor.provinceCode === provinceCode;
    default:
      return false;
  }
}

export function canReadCertificate(actor: Actor, subject: SubjectLocation): boolean {
  return canReadSubject(actor, subject);
}

export function certificateScope(actor: Actor): RegistryScope {
  return registryScope(actor);
}
