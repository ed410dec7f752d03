import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { z } from 'zod';
import type {
  decideValueBody,
  ImportJobPage,
  ImportJobView,
  ImportReport,
  ImportRowView,
  IncompleteRecordPage,
  PreviewView,
  setMappingBody,
} from '../../modules/imports/contract';
import { API_BASE, ApiError, api, type Json, parseApiError, request, toQueryString } from '../api';
import { SESSION_KEY, type Session } from '../auth';
import { currentLanguage } from '../i18n';

export type ImportJob = Json<ImportJobView>;
export type ImportJobList = Json<ImportJobPage>;
export type Report = Json<ImportReport>;
export type ReportRow = Json<ImportRowView>;
export type Preview = Json<PreviewView>;
export type MappingInput = z.input<typeof setMappingBody>;

export type IncompleteRecords = Json<IncompleteRecordPage>;

/** Imported records the registry left incomplete, for officers to complete. */
export function useIncompleteRecords(query: { page: number; pageSize: number }) {
  return useQuery({
    queryKey: ['imports', 'incomplete', query],
    queryFn: ({ signal }) => api.get<IncompleteRecords>('/imports/incomplete', query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useImports(query: { page: number; pageSize: number }) {
  return useQuery({
    queryKey: ['imports', 'list', query],
    queryFn: ({ signal }) => api.get<ImportJobList>('/imports', query, signal),
    placeholderData: keepPreviousData,
  });
}

/** The import record; re-read every second while the server works (`poll`, or a commit running). */
export function useImport(id: string | undefined, poll = false) {
  return useQuery({
    queryKey: ['imports', 'one', id],
    queryFn: ({ signal }) => api.get<ImportJob>(`/imports/${id}`, undefined, signal),
    enabled: Boolean(id),
    // A commit runs as a job on the server: its progress is read every second until it ends.
    refetchInterval: (query) => (poll || query.state.data?.status === 'committing' ? 1000 : false),
  });
}

export function usePreview(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['imports', 'preview', id],
    queryFn: ({ signal }) => api.get<Preview>(`/imports/${id}/preview`, { limit: 20 }, signal),
    enabled,
  });
}

/** The last dry run's report; an import that was never checked has none to show. */
export function useReport(id: string, enabled: boolean) {
  return useQuery({
    queryKey: ['imports', 'report', id],
    queryFn: ({ signal }) => api.get<Report>(`/imports/${id}/report`, undefined, signal),
    enabled,
  });
}

function useImportWrite<V, R>(id: string, write: (input: V) => Promise<R>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (result) => {
      const report = result as Partial<Report>;
      if (report.job && report.rows) {
        queryClient.setQueryData(['imports', 'report', id], result);
        queryClient.setQueryData(['imports', 'one', id], report.job);
      } else if ((result as Partial<ImportJob>).headers) {
        queryClient.setQueryData(['imports', 'one', id], result);
      }
      void queryClient.invalidateQueries({ queryKey: ['imports', 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['imports', 'preview', id] });
    },
  });
}

// The shared client has no PUT helper; the mapping goes through its request function.
export const useSetMapping = (id: string) =>
  useImportWrite(id, (input: MappingInput) =>
    request<ImportJob>('PUT', `/imports/${id}/mapping`, { body: input }),
  );

/** Reads another sheet of the workbook: the job comes back with that sheet's header and mapping. */
export const useChooseSheet = (id: string) =>
  useImportWrite(id, (input: { sheetName: string }) =>
    request<ImportJob>('PUT', `/imports/${id}/sheet`, { body: input }),
  );

export const useDryRun = (id: string) => useImportWrite(id, () => api.post<Report>(`/imports/${id}/dry-run`));

/** Starts the commit: the server answers at once with the job ('committing'), whose progress is then polled. */
export const useCommit = (id: string) =>
  useImportWrite(id, (input: { skipRowsWithErrors: boolean }) =>
    api.post<ImportJob>(`/imports/${id}/commit`, input),
  );

export type Question = Report['questions'][number];
export type DecideValueInput = z.input<typeof decideValueBody>;

/** One decision for every row of a distinct value (a question of the dry run). */
export const useDecideValue = (id: string) =>
  useImportWrite(id, (input: DecideValueInput) => api.post<Report>(`/imports/${id}/decisions`, input));

/** A person's choice of current commune for a row whose old address the conversion could not settle. */
export function useDecideRow(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ rowNumber, communeCode }: { rowNumber: number; communeCode: string }) =>
      api.post<ReportRow>(`/imports/${id}/rows/${rowNumber}/decision`, { communeCode }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['imports', 'report', id] });
      void queryClient.invalidateQueries({ queryKey: ['imports', 'one', id] });
    },
  });
}

/** Bytes sent of the file being uploaded, from the browser's own upload events. */
export type UploadProgress = { loaded: number; total: number };

/**
 * Uploads the registry file with XMLHttpRequest, whose upload events give real progress (fetch
 * has none): same headers as the shared client (language, the session's CSRF token), same errors.
 */
export function useUploadImport() {
  const queryClient = useQueryClient();
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const mutation = useMutation({
    mutationFn: ({ file, provinceCode }: { file: File; provinceCode?: string | undefined }) => {
      setProgress({ loaded: 0, total: file.size });
      const csrf = queryClient.getQueryData<Session | null>(SESSION_KEY)?.csrfToken ?? null;
      return uploadWithProgress(file, provinceCode, csrf, setProgress);
    },
    onSuccess: (job) => {
      queryClient.setQueryData(['imports', 'one', job.id], job);
      void queryClient.invalidateQueries({ queryKey: ['imports', 'list'] });
    },
    onSettled: () => setProgress(null),
  });
  return { ...mutation, progress };
}

function uploadWithProgress(
  file: File,
  provinceCode: string | undefined,
  csrf: string | null,
  onProgress: (progress: UploadProgress) => void,
): Promise<ImportJob> {
  const language = currentLanguage();
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', `${API_BASE}/imports${toQueryString({ provinceCode })}`);
    xhr.setRequestHeader('Accept', 'application/json');
    xhr.setRequestHeader('Accept-Language', language);
    if (csrf) xhr.setRequestHeader('x-csrf-token', csrf);
    xhr.upload.onprogress = (event) => {
      if (event.lengthComputable) onProgress({ loaded: event.loaded, total: event.total });
    };
    xhr.onerror = () =>
      reject(
        new ApiError(
          0,
          'NETWORK',
          language === 'en' ? 'Could not reach the server.' : 'Không kết nối được máy chủ.',
        ),
      );
    xhr.onload = () => {
      let body: unknown = null;
      try {
        body = xhr.responseText ? JSON.parse(xhr.responseText) : null;
      } catch {
        body = null;
      }
      if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body as ImportJob);
      else
        reject(
          parseApiError(
            xhr.status,
            body,
            language === 'en' ? 'The server gave an invalid answer.' : 'Máy chủ trả lời không hợp lệ.',
          ),
        );
    };
    const form = new FormData();
    form.append('file', file);
    xhr.send(form);
  });
}
