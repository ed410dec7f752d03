import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type {
  RuleSetParametersInput,
  RuleSetSummary,
  RuleSetView,
  RuleSetWorkbookImportResult,
  SheetSummary,
  SheetView,
  SheetWorkbookImportResult,
  ShippedLoadResult,
} from '../../modules/criteria/contract';
import { API_BASE, api, type Json } from '../api';

/**
 * Rule-sets and scoring sheets (criteria administration): lists, one record, imports (JSON
 * documents, the sheet and rule-set workbooks), the open parameters, activation and retirement. Every write
 * refreshes everything under ['criteria'], since activating one revision retires another.
 */

export type RuleSetRow = Json<RuleSetSummary>;
export type RuleSet = Json<RuleSetView>;
export type SheetRow = Json<SheetSummary>;
export type Sheet = Json<SheetView>;
export type Problem = RuleSet['problems'][number];
export type ParametersInput = Omit<RuleSetParametersInput, 'version'>;
export type ShippedResult = ShippedLoadResult;

type SheetImport = { created: boolean; sheet: Sheet };
type RuleSetImport = { created: boolean; ruleSet: RuleSet };

/** What an import stored, whatever its kind, so the page can show it and its problems. */
export type ImportOutcome =
  | { kind: 'sheet'; created: boolean; sheet: Sheet; locations?: Record<string, string> }
  | { kind: 'ruleSet'; created: boolean; ruleSet: RuleSet; locations?: Record<string, string> }
  | { kind: 'bundle'; ruleSet: RuleSetImport; sheets: SheetImport[] };

export const criteriaUrls = {
  sheetTemplate: `${API_BASE}/criteria/sheets/template.xlsx`,
  sheetJson: (id: string) => `${API_BASE}/criteria/sheets/${id}/export`,
  sheetXlsx: (id: string) => `${API_BASE}/criteria/sheets/${id}/export.xlsx`,
  ruleSetTemplate: `${API_BASE}/criteria/rule-sets/template.xlsx`,
  ruleSetJson: (id: string) => `${API_BASE}/criteria/rule-sets/${id}/export`,
  ruleSetXlsx: (id: string) => `${API_BASE}/criteria/rule-sets/${id}/export.xlsx`,
};

/** What an Excel file holds: a scoring sheet or a rule-set; the person says which (the worksheets differ). */
export type WorkbookKind = 'sheet' | 'ruleSet';

export const isWorkbookFile = (file: File) => /\.xlsx$/i.test(file.name);

export function useRuleSets() {
  return useQuery({
    queryKey: ['criteria', 'rule-sets'],
    queryFn: ({ signal }) => api.get<{ items: RuleSetRow[] }>('/criteria/rule-sets', undefined, signal),
  });
}

export function useSheets(query: { ruleSetCode?: string } = {}) {
  return useQuery({
    queryKey: ['criteria', 'sheets', query],
    queryFn: ({ signal }) => api.get<{ items: SheetRow[] }>('/criteria/sheets', query, signal),
  });
}

export function useRuleSet(id: string | undefined) {
  return useQuery({
    queryKey: ['criteria', 'rule-set', id],
    queryFn: ({ signal }) => api.get<RuleSet>(`/criteria/rule-sets/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useSheet(id: string | undefined) {
  return useQuery({
    queryKey: ['criteria', 'sheet', id],
    queryFn: ({ signal }) => api.get<Sheet>(`/criteria/sheets/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

function useCriteriaWrite<V, R>(write: (input: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['criteria'] }),
  });
}

export const useLoadShipped = () =>
  useCriteriaWrite((_: undefined) => api.post<ShippedResult>('/criteria/shipped', {}));

/** Which document a JSON file holds: a bundle (rule-set with sheets), a rule-set or a sheet. */
export function documentKind(value: unknown): 'bundle' | 'ruleSet' | 'sheet' | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  if ('ruleSet' in value && typeof value.ruleSet === 'object' && 'sheets' in value) return 'bundle';
  if ('starBands' in value || 'levels' in value) return 'ruleSet';
  if ('productSet' in value || 'parts' in value) return 'sheet';
  return null;
}

export class UnreadableFileError extends Error {}

/**
 * Imports a file: a workbook (.xlsx) of the kind chosen (a sheet or a rule-set) or a JSON document,
 * sent to the endpoint of its kind.
 */
export const useImportCriteria = () =>
  useCriteriaWrite(
    async ({ file, workbookKind }: { file: File; workbookKind: WorkbookKind }): Promise<ImportOutcome> => {
      if (isWorkbookFile(file)) {
        if (workbookKind === 'ruleSet') {
          const result = await api.upload<Json<RuleSetWorkbookImportResult>>(
            '/criteria/rule-sets/import.xlsx',
            file,
          );
          return { kind: 'ruleSet', ...result };
        }
        const result = await api.upload<Json<SheetWorkbookImportResult>>(
          '/criteria/sheets/import.xlsx',
          file,
        );
        return { kind: 'sheet', ...result };
      }
      let parsed: unknown;
      try {
        parsed = JSON.parse(await file.text());
      } catch {
        throw new UnreadableFileError(file.name);
      }
      const kind = documentKind(parsed);
      if (kind === 'bundle') {
        const result = await api.post<{ ruleSet: RuleSetImport; sheets: SheetImport[] }>(
          '/criteria/bundles',
          parsed,
        );
        return { kind, ...result };
      }
      if (kind === 'ruleSet')
        return { kind, ...(await api.post<RuleSetImport>('/criteria/rule-sets', parsed)) };
      if (kind === 'sheet') return { kind, ...(await api.post<SheetImport>('/criteria/sheets', parsed)) };
      throw new UnreadableFileError(file.name);
    },
  );

export const useSetParameters = (id: string) =>
  useCriteriaWrite((input: ParametersInput & { version: number }) =>
    api.patch<RuleSet>(`/criteria/rule-sets/${id}/parameters`, input),
  );

export const useRuleSetAction = (id: string) =>
  useCriteriaWrite(({ action, version }: { action: 'activate' | 'retire'; version: number }) =>
    api.post<RuleSet>(`/criteria/rule-sets/${id}/${action}`, { version }),
  );

export const useSheetAction = (id: string) =>
  useCriteriaWrite(({ action, version }: { action: 'activate' | 'retire'; version: number }) =>
    api.post<Sheet>(`/criteria/sheets/${id}/${action}`, { version }),
  );
