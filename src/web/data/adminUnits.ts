import { useQuery } from '@tanstack/react-query';
import type { CommuneView, ProvinceView } from '../../modules/admin-units/contract';
import { api } from '../api';

export type Province = ProvinceView;
export type Commune = CommuneView;

/** Units change only with a reform: cache them for the whole visit. */
const FOREVER = Number.POSITIVE_INFINITY;

export function useProvinces() {
  return useQuery({
    queryKey: ['admin-units', 'provinces'],
    queryFn: () => api.get<{ items: Province[] }>('/admin-units/provinces'),
    staleTime: FOREVER,
    select: (data) => data.items,
  });
}

export function useCommunes(provinceCode: string | null | undefined) {
  return useQuery({
    queryKey: ['admin-units', 'communes', provinceCode],
    queryFn: () =>
      api.get<{ items: Commune[] }>('/admin-units/communes', {
        provinceCode: provinceCode ?? '',
        pageSize: 1000,
      }),
    enabled: Boolean(provinceCode),
    staleTime: FOREVER,
    select: (data) => data.items,
  });
}

/** One commune by code, fetched when first shown (audit entries hold codes only). */
export function useCommune(code: string | null) {
  return useQuery({
    queryKey: ['admin-units', 'commune', code],
    queryFn: ({ signal }) =>
      api.get<Commune>(`/admin-units/communes/${encodeURIComponent(code ?? '')}`, undefined, signal),
    enabled: Boolean(code),
    staleTime: FOREVER,
    // A code the current units do not know (a unit merged away) will not appear by retrying.
    retry: false,
  });
}

/** One province by code, fetched when first shown. */
export function useProvince(code: string | null) {
  return useQuery({
    queryKey: ['admin-units', 'province', code],
    queryFn: ({ signal }) =>
      api.get<Province>(`/admin-units/provinces/${encodeURIComponent(code ?? '')}`, undefined, signal),
    enabled: Boolean(code),
    staleTime: FOREVER,
    retry: false,
  });
}
