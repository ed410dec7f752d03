import { type ComponentType, lazy, type ReactNode } from 'react';
import type { Role } from '../modules/accounts/roles';
import { useCurrentUser } from './auth';
import { ForbiddenPage } from './pages/StatusPages';

/** Pages load on demand, so the login screen does not wait for the whole app. */
export function page<K extends string>(load: () => Promise<Record<K, ComponentType>>, name: K) {
  return lazy(async () => ({ default: (await load())[name] }));
}

function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const user = useCurrentUser();
  if (!roles.includes(user.role)) return <ForbiddenPage />;
  return <>{children}</>;
}

/** A page only some roles may open; the others get the "forbidden" page (the API refuses them anyway). */
export const only = (roles: readonly Role[], element: ReactNode) => (
  <RequireRole roles={roles}>{element}</RequireRole>
);

export const ADMIN: readonly Role[] = ['system_admin'];
export const OFFICERS: readonly Role[] = ['system_admin', 'province_officer', 'commune_officer'];
export const PROVINCE_STAFF: readonly Role[] = ['system_admin', 'province_officer'];
export const EVALUATION_USERS: readonly Role[] = [
  'system_admin',
  'province_officer',
  'commune_officer',
  'council_member',
  'producer',
];
export const REGISTRY: readonly Role[] = ['system_admin', 'province_officer', 'commune_officer', 'producer'];
