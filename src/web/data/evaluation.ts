import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { RuleSetSummary } from '../../modules/criteria/contract';
import type {
  CreateCycleInput,
  CreateDossierInput,
  CycleView,
  DocumentView,
  DossierListItem,
  DossierView,
  ListCyclesQuery,
  listDossiersQuery,
  MyDossierItem,
  RegistrationFormInput,
  ResultView,
} from '../../modules/evaluation/contract';
import type { DossierAction } from '../../modules/evaluation/rules';
import { API_BASE, api, type Json, request } from '../api';

/**
 * Evaluation cycles and dossiers (/api/v1/evaluation): the producer's and the officers' side of
 * the procedure. Cache roots: ['evaluation', 'cycles', …], ['evaluation', 'dossiers', …].
 */

export type Cycle = Json<CycleView>;
export type DossierRow = Json<DossierListItem>;
export type Dossier = Json<DossierView>;
export type DossierDocument = Json<DocumentView>;
export type DossierResult = Json<ResultView>;
export type RuleSetOption = Json<RuleSetSummary>;
export type DossierPage = { items: DossierRow[]; total: number; page: number; pageSize: number };
export type DossierQuery = Omit<z.input<typeof listDossiersQuery>, 'page' | 'pageSize'> & {
  page: number;
  pageSize: number;
};
export type RegistrationForm = RegistrationFormInput;
export type MyDossier = Json<MyDossierItem>;
export type MyDossierPage = { items: MyDossier[]; total: number; page: number; pageSize: number };

const CYCLES = ['evaluation', 'cycles'] as const;
const DOSSIERS = ['evaluation', 'dossiers'] as const;

export function useCycles(query: ListCyclesQuery) {
  return useQuery({
    queryKey: [...CYCLES, 'list', query],
    queryFn: ({ signal }) => api.get<{ items: Cycle[] }>('/evaluation/cycles', query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useCycle(id: string | undefined) {
  return useQuery({
    queryKey: [...CYCLES, 'one', id],
    queryFn: ({ signal }) => api.get<Cycle>(`/evaluation/cycles/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** The rule-sets a cycle may freeze: those with an active revision (the criteria API). */
export function useActiveRuleSets(enabled: boolean) {
  return useQuery({
    queryKey: ['evaluation', 'rule-sets', 'active'],
    queryFn: ({ signal }) =>
      api.get<{ items: RuleSetOption[] }>('/criteria/rule-sets', { status: 'active' }, signal),
    enabled,
    select: (data) => data.items,
  });
}

export function useCreateCycle() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateCycleInput) => api.post<Cycle>('/evaluation/cycles', input),
    onSuccess: (cycle) => {
      queryClient.setQueryData([...CYCLES, 'one', cycle.id], cycle);
      void queryClient.invalidateQueries({ queryKey: [...CYCLES, 'list'] });
    },
  });
}

export function useDossiers(cycleId: string | undefined, query: DossierQuery) {
  return useQuery({
    queryKey: [...DOSSIERS, 'list', cycleId, query],
    queryFn: ({ signal }) => api.get<DossierPage>(`/evaluation/cycles/${cycleId}/dossiers`, query, signal),
    placeholderData: keepPreviousData,
    enabled: Boolean(cycleId),
  });
}

/** A producer's own dossiers across cycles, newest first. */
export function useMyDossiers(query: { page: number; pageSize: number }, enabled: boolean) {
  return useQuery({
    queryKey: [...DOSSIERS, 'mine', query],
    queryFn: ({ signal }) => api.get<MyDossierPage>('/evaluation/my-dossiers', query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useDossier(id: string | undefined) {
  return useQuery({
    queryKey: [...DOSSIERS, 'one', id],
    queryFn: ({ signal }) => api.get<Dossier>(`/evaluation/dossiers/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

/** A write answering with the dossier: its cache takes the answer; its lists and cycle progress refetch. */
function useDossierWrite<V>(write: (input: V) => Promise<Dossier>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (dossier) => {
      queryClient.setQueryData([...DOSSIERS, 'one', dossier.id], dossier);
      void queryClient.invalidateQueries({ queryKey: [...DOSSIERS, 'list'] });
      void queryClient.invalidateQueries({ queryKey: [...DOSSIERS, 'mine'] });
      void queryClient.invalidateQueries({ queryKey: [...DOSSIERS, 'result', dossier.id] });
      void queryClient.invalidateQueries({ queryKey: [...CYCLES] });
    },
  });
}

export const useCreateDossier = (cycleId: string) =>
  useDossierWrite((input: CreateDossierInput) =>
    api.post<Dossier>(`/evaluation/cycles/${cycleId}/dossiers`, input),
  );

export const useSaveRegistrationForm = (id: string) =>
  useDossierWrite((input: { version: number; form: RegistrationForm }) =>
    request<Dossier>('PUT', `/evaluation/dossiers/${id}/registration-form`, { body: input }),
  );

/** The steps made through a generic transition route, by URL segment. */
export const TRANSITION_PATHS = {
  submit: 'submit',
  resubmit: 'resubmit',
  withdraw: 'withdraw',
  precheck: 'precheck',
  return: 'return',
  accept: 'accept',
  propose: 'propose',
  not_recognise: 'not-recognise',
} as const satisfies Partial<Record<DossierAction, string>>;
export type GenericStep = keyof typeof TRANSITION_PATHS;

export type StepInput =
  | { action: GenericStep; version: number; reason?: string }
  | { action: 'assign'; version: number; councilId: string };

/** One step of the procedure, carrying the version the user saw (a changed dossier answers 409). */
export const useDossierStep = (id: string) =>
  useDossierWrite((input: StepInput) => {
    if (input.action === 'assign') {
      return api.post<Dossier>(`/evaluation/dossiers/${id}/assign`, {
        version: input.version,
        councilId: input.councilId,
      });
    }
    const body: { version: number; reason?: string } = { version: input.version };
    if (input.reason?.trim()) body.reason = input.reason.trim();
    return api.post<Dossier>(`/evaluation/dossiers/${id}/${TRANSITION_PATHS[input.action]}`, body);
  });

export function documentUrl(dossierId: string, documentId: string) {
  return `${API_BASE}/evaluation/dossiers/${dossierId}/documents/${documentId}`;
}

export function useUploadDocument(dossierId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ item, file }: { item: string; file: File }) => {
      const form = new FormData();
      form.append('file', file);
      return request<DossierDocument>('POST', `/evaluation/dossiers/${dossierId}/documents`, {
        query: { item },
        body: form,
      });
    },
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [...DOSSIERS, 'one', dossierId] }),
  });
}

export function useRemoveDocument(dossierId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (documentId: string) =>
      api.delete<{ ok: true }>(`/evaluation/dossiers/${dossierId}/documents/${documentId}`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: [...DOSSIERS, 'one', dossierId] }),
  });
}

/** The dossier's result: the council and the province once scored, the producer once published (404 before). */
export function useDossierResult(id: string, enabled: boolean) {
  return useQuery({
    queryKey: [...DOSSIERS, 'result', id],
    queryFn: ({ signal }) => api.get<DossierResult>(`/evaluation/dossiers/${id}/result`, undefined, signal),
    enabled,
  });
}
