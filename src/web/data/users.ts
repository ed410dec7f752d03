import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CreateUserInput, UpdateUserInput, UserView } from '../../modules/accounts/contract';
import type { Role } from '../../modules/accounts/roles';
import { api, type Json } from '../api';

export type UserRow = Json<UserView>;
export type UserPage = { items: UserRow[]; total: number; page: number; pageSize: number };
export type UserListQuery = { q?: string; role?: Role | ''; page: number; pageSize: number };

export function useUsers(query: UserListQuery) {
  return useQuery({
    queryKey: ['users', 'list', query],
    queryFn: ({ signal }) => api.get<UserPage>('/users', query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useUser(id: string | undefined) {
  return useQuery({
    queryKey: ['users', 'one', id],
    queryFn: ({ signal }) => api.get<UserRow>(`/users/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateUserInput) => api.post<UserRow>('/users', input),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}

export function useUpdateUser(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UpdateUserInput) => api.patch<UserRow>(`/users/${id}`, input),
    onSuccess: (user) => {
      queryClient.setQueryData(['users', 'one', id], user);
      void queryClient.invalidateQueries({ queryKey: ['users', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', 'user', id] });
    },
  });
}

export function useResetPassword(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (newPassword: string) =>
      api.post<{ ok: true }>(`/users/${id}/password-reset`, { newPassword }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });
}
