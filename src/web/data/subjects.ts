import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  createSubjectBody,
  listSubjectsQuery,
  SubjectMeta as SubjectMetaView,
  SubjectPage as SubjectPageView,
  SubjectView,
  subjectCounts,
  updateSubjectBody,
} from '../../modules/subjects/contract';
import { api, type Json } from '../api';
import { useRecordWrite } from './records';

export type SubjectPage = Json<SubjectPageView>;

export type Subject = Json<SubjectView>;
export type SubjectMeta = SubjectMetaView;
export type SubjectInput = z.input<typeof createSubjectBody>;
export type SubjectUpdate = z.input<typeof updateSubjectBody>;
export type SubjectListQuery = Omit<z.input<typeof listSubjectsQuery>, 'page' | 'pageSize'> & {
  page: number;
  pageSize: number;
};

export function useSubjectMeta() {
  return useQuery({
    queryKey: ['subjects', 'meta'],
    queryFn: () => api.get<SubjectMeta>('/subjects/meta'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useSubjects(query: SubjectListQuery, enabled = true) {
  return useQuery({
    queryKey: ['subjects', 'list', query],
    queryFn: ({ signal }) => api.get<SubjectPage>('/subjects', query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useSubject(id: string | undefined | null) {
  return useQuery({
    queryKey: ['subjects', 'one', id],
    queryFn: ({ signal }) => api.get<Subject>(`/subjects/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

const useSubjectWrite = <V>(write: (input: V) => Promise<Subject>) =>
  useRecordWrite('subjects', 'subject', write);

export const useCreateSubject = () =>
  useSubjectWrite((input: SubjectInput) => api.post<Subject>('/subjects', input));

export const useUpdateSubject = (id: string) =>
  useSubjectWrite((input: SubjectInput & { version: number }) =>
    api.patch<Subject>(`/subjects/${id}`, input),
  );

export const useArchiveSubject = (id: string) =>
  useSubjectWrite((action: 'archive' | 'restore') => api.post<Subject>(`/subjects/${id}/${action}`));

export function useSubjectCounts(enabled: boolean) {
  return useQuery({
    queryKey: ['home', 'subject-counts'],
    queryFn: ({ signal }) => api.get<z.infer<typeof subjectCounts>>('/subjects/counts', undefined, signal),
    enabled,
  });
}
