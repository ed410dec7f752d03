import { z } from 'zod';
import { rolesAccess } from '../../server/context';
import type * as evaluation from './service';

export const idParams = z.object({ id: z.string().uuid() });
export const ok = z.object({ ok: z.literal(true) });

export const PROVINCE = rolesAccess('system_admin', 'province_officer');
export const PRODUCER = rolesAccess('producer');
export const COMMUNE = rolesAccess('commune_officer');
export const OFFICERS = rolesAccess('system_admin', 'province_officer', 'commune_officer');

/** Steps of the procedure made by a person, with the roles that may ever make them (scope is the service's). */
export const TRANSITION_ROUTES = [
  { path: 'submit', action: 'submit', access: PRODUCER, summary: 'Submit a dossier' },
  { path: 'resubmit', action: 'resubmit', access: PRODUCER, summary: 'Resubmit a returned dossier' },
  { path: 'withdraw', action: 'withdraw', access: PRODUCER, summary: 'Withdraw a dossier' },
  {
    path: 'precheck',
    action: 'precheck',
    access: COMMUNE,
    summary: "Record the commune's pre-check of a dossier",
  },
  {
    path: 'return',
    action: 'return',
    access: OFFICERS,
    summary: 'Return a dossier to its producer for changes',
  },
  { path: 'accept', action: 'accept', access: PROVINCE, summary: 'Accept a dossier for evaluation' },
  { path: 'propose', action: 'propose', access: PROVINCE, summary: 'Propose a dossier for recognition' },
  {
    path: 'not-recognise',
    action: 'not_recognise',
    access: PROVINCE,
    summary: 'Refuse recognition of a dossier',
  },
] as const satisfies readonly {
  path: string;
  action: evaluation.GenericAction;
  access: unknown;
  summary: string;
}[];
