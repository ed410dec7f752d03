import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CycleView,
  conflictView,
  DossierView,
  dossierSheetsView,
  MySheetView,
  ResultView,
  SaveSheetInput,
  ScoringDocumentsView,
} from '../../modules/evaluation/contract';
import { API_BASE, api, type Json, request } from '../api';

/**
 * Score sheets: a council member's own sheet (autosaved, then submitted), the producer's
 * self-assessment, and the council's view of one dossier's sheets and result.
 */

export type MySheet = Json<MySheetView>;
export type DossierSheets = Json<z.infer<typeof dossierSheetsView>>;
export type MemberSheet = DossierSheets['members'][number];
export type DossierResult = Json<ResultView>;
export type ScoringDossier = Json<DossierView>;
export type ScoringCycle = Json<CycleView>;
export type Conflict = Json<z.infer<typeof conflictView>>;
export type SheetSave = SaveSheetInput;
/** Sheet and rule-set documents are plain JSON already: no dates to turn into strings. */
export type ScoringDocuments = ScoringDocumentsView;

const keys = {
  mySheet: (id: string) => ['scoring', 'my-sheet', id] as const,
  dossier: (id: string) => ['scoring', 'dossier', id] as const,
  cycle: (id: string) => ['scoring', 'cycle', id] as const,
  documents: (dossierId: string) => ['scoring', 'documents', dossierId] as const,
  sheets: (id: string) => ['scoring', 'sheets', id] as const,
  result: (id: string) => ['scoring', 'result', id] as const,
};

/** Other areas cache dossiers and results under 'evaluation'; a scoring act changes them too. */
function refreshDossier(queryClient: QueryClient, dossierId: string) {
  void queryClient.invalidateQueries({ queryKey: keys.dossier(dossierId) });
  void queryClient.invalidateQueries({ queryKey: keys.sheets(dossierId) });
  void queryClient.invalidateQueries({ queryKey: keys.result(dossierId) });
  void queryClient.invalidateQueries({ queryKey: ['evaluation'] });
}

export function useMySheet(dossierId: string | undefined) {
  return useQuery({
    queryKey: keys.mySheet(dossierId ?? ''),
    queryFn: ({ signal }) =>
      api.get<MySheet>(`/evaluation/dossiers/${dossierId}/my-sheet`, undefined, signal),
    enabled: Boolean(dossierId),
    // The page keeps the answers on screen; a refetch must not replace what is being typed.
    refetchOnWindowFocus: false,
  });
}

export function useScoringDossier(dossierId: string | undefined) {
  return useQuery({
    queryKey: keys.dossier(dossierId ?? ''),
    queryFn: ({ signal }) => api.get<ScoringDossier>(`/evaluation/dossiers/${dossierId}`, undefined, signal),
    enabled: Boolean(dossierId),
    refetchOnWindowFocus: false,
  });
}

export function useScoringCycle(cycleId: string | undefined) {
  return useQuery({
    queryKey: keys.cycle(cycleId ?? ''),
    queryFn: ({ signal }) => api.get<ScoringCycle>(`/evaluation/cycles/${cycleId}`, undefined, signal),
    enabled: Boolean(cycleId),
    staleTime: 5 * 60_000,
  });
}

/** The sheet and rule-set a dossier is scored under, frozen with its cycle (readable by anyone who reads the dossier). */
function useScoringDocuments<T>(dossierId: string | undefined, select: (view: ScoringDocuments) => T) {
  return useQuery({
    queryKey: keys.documents(dossierId ?? ''),
    queryFn: ({ signal }) =>
      api.get<ScoringDocuments>(`/evaluation/dossiers/${dossierId}/scoring-documents`, undefined, signal),
    enabled: Boolean(dossierId),
    staleTime: Number.POSITIVE_INFINITY,
    select,
  });
}

export const useDossierSheetDocument = (dossierId: string | undefined) =>
  useScoringDocuments(dossierId, (view) => view.sheet);

export const useDossierRuleSet = (dossierId: string | undefined) =>
  useScoringDocuments(dossierId, (view) => view.ruleSet);

export function useDossierSheets(dossierId: string | undefined) {
  return useQuery({
    queryKey: keys.sheets(dossierId ?? ''),
    queryFn: ({ signal }) =>
      api.get<DossierSheets>(`/evaluation/dossiers/${dossierId}/sheets`, undefined, signal),
    enabled: Boolean(dossierId),
  });
}

export function useDossierResult(dossierId: string | undefined, enabled: boolean) {
  return useQuery({
    queryKey: keys.result(dossierId ?? ''),
    queryFn: ({ signal }) =>
      api.get<DossierResult>(`/evaluation/dossiers/${dossierId}/result`, undefined, signal),
    enabled: Boolean(dossierId) && enabled,
  });
}

export function documentUrl(dossierId: string, documentId: string) {
  return `${API_BASE}/evaluation/dossiers/${dossierId}/documents/${documentId}`;
}

/** One autosave of the member's draft: the whole answers and comments each time. */
export function useSaveMySheet(dossierId: string) {
  const queryClient = useQueryClient();
  return async (input: SheetSave) => {
    const saved = await request<MySheet>('PUT', `/evaluation/dossiers/${dossierId}/my-sheet`, {
      body: input,
    });
    queryClient.setQueryData(keys.mySheet(dossierId), saved);
    return saved;
  };
}

export function useSubmitMySheet(dossierId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<MySheet>(`/evaluation/dossiers/${dossierId}/my-sheet/submit`),
    onSuccess: (sheet) => {
      queryClient.setQueryData(keys.mySheet(dossierId), sheet);
      refreshDossier(queryClient, dossierId);
    },
  });
}

export function useDeclareConflict(dossierId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      api.post<Conflict>(`/evaluation/dossiers/${dossierId}/conflicts`, { reason }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: keys.mySheet(dossierId) });
      refreshDossier(queryClient, dossierId);
    },
  });
}

export function useCloseScoring(dossierId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (disqualifiers: string[]) =>
      api.post<DossierResult>(`/evaluation/dossiers/${dossierId}/close-scoring`, { disqualifiers }),
    onSuccess: (result) => {
      queryClient.setQueryData(keys.result(dossierId), result);
      refreshDossier(queryClient, dossierId);
    },
  });
}

export function useReopenSheet(dossierId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { memberId: string; reason: string }) =>
      api.post<{ ok: true }>(`/evaluation/dossiers/${dossierId}/reopen-sheet`, input),
    onSuccess: () => refreshDossier(queryClient, dossierId),
  });
}

export function useReopenScoring(dossierId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      api.post<{ ok: true }>(`/evaluation/dossiers/${dossierId}/reopen-scoring`, { reason }),
    onSuccess: () => refreshDossier(queryClient, dossierId),
  });
}

/** One save of the producer's self-assessment, with the dossier version it was based on. */
export function useSaveSelfAssessment(dossierId: string) {
  const queryClient = useQueryClient();
  return async (input: { version: number; answers: Record<string, string> }) => {
    const saved = await request<ScoringDossier>('PUT', `/evaluation/dossiers/${dossierId}/self-assessment`, {
      body: input,
    });
    queryClient.setQueryData(keys.dossier(dossierId), saved);
    void queryClient.invalidateQueries({ queryKey: ['evaluation'] });
    return saved;
  };
}
