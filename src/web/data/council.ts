import { keepPreviousData, useMutation, useQueries, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type { CouncilMemberDirectory } from '../../modules/accounts/contract';
import type {
  AdvisoryReviewInput,
  AdvisoryReviewView,
  addMemberBody,
  CouncilClosingView,
  CouncilView,
  CreateDecisionInput,
  CycleView,
  conflictView,
  createCouncilBody,
  cycleResultRow,
  DecisionView,
  DossierListItem,
  dossierSheetsView,
  publishResult,
} from '../../modules/evaluation/contract';
import { API_BASE, api, type Json, request } from '../api';

/**
 * Councils, results and recognition decisions of an evaluation cycle (issue 3), over
 * /api/v1/evaluation. Cache keys start with 'council' so they never meet another area's shapes;
 * writes that change a cycle's dossiers also refresh the evaluation area's caches ('evaluation').
 */

export type Cycle = Json<CycleView>;
export type Council = Json<CouncilView>;
export type CouncilMember = Council['members'][number];
export type CouncilClosing = Json<CouncilClosingView>;
export type CouncilDossier = Json<DossierListItem>;
export type DossierSheets = Json<z.infer<typeof dossierSheetsView>>;
export type Conflict = Json<z.infer<typeof conflictView>>;
export type AdvisoryReview = Json<AdvisoryReviewView>;
export type ResultRow = Json<z.infer<typeof cycleResultRow>>;
export type Decision = Json<DecisionView>;
export type CreateCouncilInput = z.input<typeof createCouncilBody>;
export type AddMemberInput = z.input<typeof addMemberBody>;

const cycleKey = (id: string | undefined) => ['council', 'cycle', id] as const;

/** Another area may show the same records: refresh every evaluation cache of this cycle. */
function useRefreshCycle(cycleId: string) {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: ['council'] });
    void queryClient.invalidateQueries({ queryKey: ['evaluation'] });
    void queryClient.invalidateQueries({ queryKey: cycleKey(cycleId) });
  };
}

export function useCycle(id: string | undefined) {
  return useQuery({
    queryKey: cycleKey(id),
    queryFn: ({ signal }) => api.get<Cycle>(`/evaluation/cycles/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

// ---------------------------------------------------------------- councils

const councilQuery = (id: string) => ({
  queryKey: ['council', 'one', id],
  queryFn: ({ signal }: { signal: AbortSignal }) =>
    api.get<Council>(`/evaluation/councils/${id}`, undefined, signal),
});

/** The cycle's councils, each on its own (a member reads only the council they sit on: the others answer 404). */
export function useCouncils(ids: readonly string[]) {
  return useQueries({ queries: ids.map(councilQuery) });
}

export function useCreateCouncil(cycleId: string) {
  const refresh = useRefreshCycle(cycleId);
  return useMutation({
    mutationFn: (input: CreateCouncilInput) =>
      api.post<Council>(`/evaluation/cycles/${cycleId}/councils`, input),
    onSuccess: refresh,
  });
}

export function useAddMember(councilId: string, cycleId: string) {
  const queryClient = useQueryClient();
  const refresh = useRefreshCycle(cycleId);
  return useMutation({
    mutationFn: (input: AddMemberInput) =>
      api.post<Council>(`/evaluation/councils/${councilId}/members`, input),
    onSuccess: (council) => {
      queryClient.setQueryData(['council', 'one', councilId], council);
      refresh();
    },
  });
}

/** The chair closes scoring of every dossier still with the council; the answer says what closed. */
export function useCloseCouncilScoring(councilId: string, cycleId: string) {
  const refresh = useRefreshCycle(cycleId);
  return useMutation({
    mutationFn: () => api.post<CouncilClosing>(`/evaluation/councils/${councilId}/close-scoring`),
    onSuccess: refresh,
  });
}

/** Council-member accounts to seat, searched by the server by name or e-mail without accents. */
export function useCouncilCandidates(q: string) {
  return useQuery({
    queryKey: ['council', 'candidates', q],
    queryFn: ({ signal }) => api.get<CouncilMemberDirectory>('/council-members', { q }, signal),
    placeholderData: keepPreviousData,
  });
}

/** The dossiers assigned to one council (the API's largest page: a council scores fewer). */
export function useCouncilDossiers(cycleId: string, councilId: string) {
  return useQuery({
    queryKey: ['council', 'dossiers', cycleId, councilId],
    queryFn: ({ signal }) =>
      api.get<{ items: CouncilDossier[]; total: number }>(
        `/evaluation/cycles/${cycleId}/dossiers`,
        { councilId, page: 1, pageSize: 200 },
        signal,
      ),
  });
}

/** Who sits on the dossier's council in a scoring seat, and who declared a conflict of interest. */
export function useDossierSheets(dossierId: string) {
  return useQuery({
    queryKey: ['council', 'sheets', dossierId],
    queryFn: ({ signal }) =>
      api.get<DossierSheets>(`/evaluation/dossiers/${dossierId}/sheets`, undefined, signal),
  });
}

export function useDeclareConflict(dossierId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (reason: string) =>
      api.post<Conflict>(`/evaluation/dossiers/${dossierId}/conflicts`, { reason }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['council', 'sheets', dossierId] });
      void queryClient.invalidateQueries({ queryKey: ['evaluation'] });
    },
  });
}

export function useAdvisoryReview(dossierId: string) {
  return useQuery({
    queryKey: ['council', 'advisory', dossierId],
    queryFn: ({ signal }) =>
      api.get<AdvisoryReview>(`/evaluation/dossiers/${dossierId}/advisory-review`, undefined, signal),
  });
}

export function useSaveAdvisoryReview(dossierId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: AdvisoryReviewInput) =>
      request<AdvisoryReview>('PUT', `/evaluation/dossiers/${dossierId}/advisory-review`, { body: input }),
    onSuccess: (review) => {
      queryClient.setQueryData(['council', 'advisory', dossierId], review);
      void queryClient.invalidateQueries({ queryKey: ['evaluation'] });
    },
  });
}

// ---------------------------------------------------------------- results

export function useCycleResults(cycleId: string) {
  return useQuery({
    queryKey: ['council', 'results', cycleId],
    queryFn: ({ signal }) =>
      api.get<{ items: ResultRow[] }>(`/evaluation/cycles/${cycleId}/results`, undefined, signal),
  });
}

/** Results whose score reaches the rule-set's threshold for a higher level that certifies their star. */
export function useForwarded(cycleId: string) {
  return useQuery({
    queryKey: ['council', 'forwarded', cycleId],
    queryFn: ({ signal }) =>
      api.get<{ items: ResultRow[] }>(`/evaluation/cycles/${cycleId}/forwarded`, undefined, signal),
  });
}

export function usePublishResults(cycleId: string) {
  const refresh = useRefreshCycle(cycleId);
  return useMutation({
    mutationFn: () => api.post<z.infer<typeof publishResult>>(`/evaluation/cycles/${cycleId}/publish`),
    onSuccess: refresh,
  });
}

// ---------------------------------------------------------------- decisions

export function useDecisions(cycleId: string) {
  return useQuery({
    queryKey: ['council', 'decisions', cycleId],
    queryFn: ({ signal }) =>
      api.get<{ items: Decision[] }>(`/evaluation/cycles/${cycleId}/decisions`, undefined, signal),
  });
}

export function useDecision(id: string | undefined) {
  return useQuery({
    queryKey: ['council', 'decision', id],
    queryFn: ({ signal }) => api.get<Decision>(`/evaluation/decisions/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useCreateDecision(cycleId: string) {
  const queryClient = useQueryClient();
  const refresh = useRefreshCycle(cycleId);
  return useMutation({
    mutationFn: (input: CreateDecisionInput) =>
      api.post<Decision>(`/evaluation/cycles/${cycleId}/decisions`, input),
    onSuccess: (decision) => {
      queryClient.setQueryData(['council', 'decision', decision.id], decision);
      refresh();
      // Recognised dossiers become certificates' input.
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
    },
  });
}

// ---------------------------------------------------------------- minutes (biên bản)

export type MinutesFormat = 'xlsx' | 'pdf';

export const cycleMinutesUrl = (cycleId: string, format: MinutesFormat) =>
  `${API_BASE}/evaluation/cycles/${cycleId}/minutes.${format}`;

export const dossierMinutesUrl = (dossierId: string, format: MinutesFormat) =>
  `${API_BASE}/evaluation/dossiers/${dossierId}/minutes.${format}`;
