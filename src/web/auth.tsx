import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useContext } from 'react';
import type { UserView } from '../modules/accounts/contract';
import type { Role } from '../modules/accounts/roles';
import { ApiError, api, type Json, setCsrfToken } from './api';

/**
 * The session lives in react-query under one key: `null` means "not logged in". The CSRF token
 * that comes with it is handed to the API client, which sends it on every write.
 */
export type User = Json<UserView>;
export type Session = { user: User; csrfToken: string };

export const SESSION_KEY = ['session'] as const;

async function fetchSession(): Promise<Session | null> {
  try {
    const session = await api.get<Session>('/auth/me');
    setCsrfToken(session.csrfToken);
    return session;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      setCsrfToken(null);
      return null;
    }
    throw error;
  }
}

export function useSession() {
  const query = useQuery({
    queryKey: SESSION_KEY,
    queryFn: fetchSession,
    staleTime: Number.POSITIVE_INFINITY,
    retry: false,
  });
  return { ...query, user: query.data?.user ?? null };
}

/**
 * The logged-in user, handed down by the route guard. A context (not the session query) so that
 * pages never see the user vanish mid-render when a logout or an expired session clears it:
 * the guard re-renders first and replaces them.
 */
const CurrentUserContext = createContext<User | null>(null);
export const CurrentUserProvider = CurrentUserContext.Provider;

export function useCurrentUser(): User {
  const user = useContext(CurrentUserContext);
  if (!user) throw new Error('useCurrentUser is only available below a route that requires a session');
  return user;
}

/** Everything cached except the session itself: another user's data must never show. */
function forgetUserData(queryClient: QueryClient) {
  queryClient.removeQueries({ predicate: (query) => query.queryKey[0] !== SESSION_KEY[0] });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { email: string; password: string }) => api.post<Session>('/auth/login', input),
    onSuccess: (session) => {
      setCsrfToken(session.csrfToken);
      forgetUserData(queryClient);
      queryClient.setQueryData(SESSION_KEY, session);
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<{ ok: true }>('/auth/logout'),
    onSettled: () => {
      setCsrfToken(null);
      queryClient.setQueryData(SESSION_KEY, null);
      forgetUserData(queryClient);
    },
  });
}

/** What the UI offers; the server decides again on every call. */
export const isAdmin = (role: Role) => role === 'system_admin';
export const isProvinceStaff = (role: Role) => role === 'system_admin' || role === 'province_officer';
export const isOfficer = (role: Role) => isProvinceStaff(role) || role === 'commune_officer';
export const canCreateSubjects = (role: Role) =>
  role === 'system_admin' || role === 'province_officer' || role === 'commune_officer';
export const canSeeRegistry = (role: Role) => role !== 'council_member';
export const canCreateProducts = (role: Role) => canSeeRegistry(role);
/** Officers keep the craft-village registry of their own area, administrators everywhere. */
export const canWriteCraftVillages = (role: Role) =>
  role === 'system_admin' || role === 'province_officer' || role === 'commune_officer';
/** Mirrors canWriteCraftVillage in modules/products/policy.ts for one village. */
export function canWriteCraftVillage(
  user: Pick<User, 'role' | 'provinceCode' | 'communeCode'>,
  village: { province: { code: string }; commune: { code: string } },
): boolean {
  if (user.role === 'system_admin') return true;
  if (user.role === 'province_officer') return user.provinceCode === village.province.code;
  if (user.role === 'commune_officer') return user.communeCode === village.commune.code;
  return false;
}
