import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CraftVillageView,
  createCraftVillageBody,
  listCraftVillagesQuery,
  updateCraftVillageBody,
} from '../../modules/products/contract';
import { api, type Json } from '../api';
import type { ListPageData } from '../components/ListPage';
import { useRecordWrite } from './records';

/** Craft villages ("làng nghề"): a registry kept by officers, which products may point to. */
export type CraftVillage = Json<CraftVillageView>;
export type CraftVillageInput = z.input<typeof createCraftVillageBody>;
export type CraftVillageUpdate = z.input<typeof updateCraftVillageBody>;
export type CraftVillageQuery = Omit<z.input<typeof listCraftVillagesQuery>, 'page' | 'pageSize'> & {
  page: number;
  pageSize: number;
};

export function useCraftVillages(query: CraftVillageQuery, enabled = true) {
  return useQuery({
    queryKey: ['craft-villages', 'list', query],
    queryFn: ({ signal }) => api.get<ListPageData<CraftVillage>>('/craft-villages', query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

/** The villages of one commune, for the product form's choice (a product belongs to at most one). */
export function useCommuneCraftVillages(communeCode: string | null) {
  const query = { communeCode: communeCode ?? undefined, page: 1, pageSize: 100 };
  return useQuery({
    // Under the list key, so a village saved elsewhere shows here too; no previous commune's villages meanwhile.
    queryKey: ['craft-villages', 'list', query],
    queryFn: ({ signal }) => api.get<ListPageData<CraftVillage>>('/craft-villages', query, signal),
    enabled: Boolean(communeCode),
    select: (data) => data.items,
  });
}

export function useCraftVillage(id: string | undefined) {
  return useQuery({
    queryKey: ['craft-villages', 'one', id],
    queryFn: ({ signal }) => api.get<CraftVillage>(`/craft-villages/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

const useVillageWrite = <V>(write: (input: V) => Promise<CraftVillage>) =>
  useRecordWrite('craft-villages', 'craft_village', write);

export const useCreateCraftVillage = () =>
  useVillageWrite((input: CraftVillageInput) => api.post<CraftVillage>('/craft-villages', input));

export const useUpdateCraftVillage = (id: string) =>
  useVillageWrite((input: CraftVillageUpdate) => api.patch<CraftVillage>(`/craft-villages/${id}`, input));

/** Archive and restore carry the version the user saw, so acting on a stale page is refused (409). */
export const useCraftVillageAction = (id: string) =>
  useVillageWrite(({ action, version }: { action: 'archive' | 'restore'; version: number }) =>
    api.post<CraftVillage>(`/craft-villages/${id}/${action}`, { version }),
  );
