import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  CertificateDetail,
  CertificateView,
  certificateMeta,
  correctCertificateBody,
  DecisionCertificatesResult,
  ReEvaluationQueuePage,
  revokeCertificateBody,
} from '../../modules/certificates/contract';
import type { DecisionView } from '../../modules/evaluation/contract';
import { API_BASE, api, type Json } from '../api';

export type Certificate = Json<CertificateView>;
export type CertificateWithVersions = Json<CertificateDetail>;
export type CertificateMeta = z.infer<typeof certificateMeta>;
export type CertificatePage = { items: Certificate[]; total: number; page: number; pageSize: number };
export type CertificateQuery = {
  q?: string | undefined;
  status?: string | undefined;
  star?: number | undefined;
  productId?: string | undefined;
  subjectId?: string | undefined;
  page: number;
  pageSize: number;
};
export type ReEvaluationQueue = Json<ReEvaluationQueuePage>;
export type RevokeInput = z.input<typeof revokeCertificateBody>;
export type CorrectInput = z.input<typeof correctCertificateBody>;
export type Decision = Json<DecisionView>;

export function useCertificateMeta() {
  return useQuery({
    queryKey: ['certificates', 'meta'],
    queryFn: () => api.get<CertificateMeta>('/certificates/meta'),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

export function useCertificates(query: CertificateQuery, enabled = true) {
  return useQuery({
    queryKey: ['certificates', 'list', query],
    queryFn: ({ signal }) => api.get<CertificatePage>('/certificates', query, signal),
    placeholderData: keepPreviousData,
    enabled,
  });
}

export function useCertificate(id: string | undefined) {
  return useQuery({
    queryKey: ['certificates', 'one', id],
    queryFn: ({ signal }) => api.get<CertificateWithVersions>(`/certificates/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}

export function useReEvaluationQueue(query: { page: number; pageSize: number; withoutDossier?: boolean }) {
  return useQuery({
    queryKey: ['certificates', 'queue', query],
    queryFn: ({ signal }) => api.get<ReEvaluationQueue>('/certificates/re-evaluation-queue', query, signal),
    placeholderData: keepPreviousData,
  });
}

/** Every write changes the certificate, its lists and the queue: fetch them again when next shown. */
function useCertificateWrite<V>(write: (input: V) => Promise<Certificate>) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
      void queryClient.invalidateQueries({ queryKey: ['products'] });
    },
  });
}

export type DecisionCertificates = Json<DecisionCertificatesResult>;

/**
 * Issues the certificates of a recognition decision, one per recognised product, with the
 * decision's number, date and star and the cycle's rule-set; items issued before are reported,
 * not issued again, so repeating it is safe.
 */
export function useIssueForDecision(decisionId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.post<DecisionCertificates>(`/certificates/from-decision/${decisionId}`),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: ['certificates'] });
      void queryClient.invalidateQueries({ queryKey: ['products'] });
    },
  });
}

export const useRevokeCertificate = (id: string) =>
  useCertificateWrite((input: RevokeInput) => api.post<Certificate>(`/certificates/${id}/revocation`, input));

/** A correction answers with the new version (a new id); the page moves there. */
export const useCorrectCertificate = (id: string) =>
  useCertificateWrite((input: CorrectInput) =>
    api.post<Certificate>(`/certificates/${id}/corrections`, input),
  );

/** The A4 PDF and the QR code files, served with the session cookie (plain links, no script needed). */
export const certificatePdfUrl = (id: string) => `${API_BASE}/certificates/${id}/pdf`;
export const certificateQrUrl = (id: string, format: 'png' | 'svg', mm: number) =>
  `${API_BASE}/certificates/${id}/qr.${format}?mm=${mm}`;

/** The public page's address on this site: the path and signed query of the printed code. */
export function verificationPath(verificationUrl: string): string {
  try {
    const url = new URL(verificationUrl);
    return `${url.pathname}${url.search}`;
  } catch {
    return verificationUrl;
  }
}

/** A recognition decision of the evaluation module, to issue its certificates from. */
export function useDecision(id: string | undefined) {
  return useQuery({
    queryKey: ['evaluation', 'decision', id],
    queryFn: ({ signal }) => api.get<Decision>(`/evaluation/decisions/${id}`, undefined, signal),
    enabled: Boolean(id),
  });
}
