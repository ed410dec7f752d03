import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { CycleView } from '../../modules/evaluation/contract';
import type {
  CertificateExpiringPayload,
  NotificationPage,
  NotificationView,
} from '../../modules/notifications/contract';
import { api, type Json } from '../api';

export type Notice = Json<NotificationView>;
export type NoticePage = Json<NotificationPage>;
export type ExpiringPayload = CertificateExpiringPayload;
export type Cycle = Json<CycleView>;

export function useNotifications(query: { page: number; pageSize: number; unread?: boolean }) {
  return useQuery({
    queryKey: ['notifications', 'list', query],
    queryFn: ({ signal }) => api.get<NoticePage>('/notifications', query, signal),
    placeholderData: keepPreviousData,
  });
}

export function useMarkRead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.post<Notice>(`/notifications/${id}/read`),
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['notifications'] }),
  });
}

/** The evaluation cycles the user can see, to find one still open for a re-evaluation dossier. */
export function useCycles(enabled: boolean) {
  return useQuery({
    queryKey: ['evaluation', 'cycles', 'for-notices'],
    queryFn: ({ signal }) => api.get<{ items: Cycle[] }>('/evaluation/cycles', undefined, signal),
    enabled,
  });
}

/** The payload of an expiry notice when it has the expected shape (payloads are stored JSON). */
export function expiringPayload(notice: Notice): ExpiringPayload | null {
  if (notice.kind !== 'certificate.expiring') return null;
  const p = notice.payload as Partial<ExpiringPayload>;
  if (typeof p.productId !== 'string' || typeof p.number !== 'string' || typeof p.validTo !== 'string')
    return null;
  return p as ExpiringPayload;
}

/**
 * A cycle a producer can still file a dossier in: below the central level (the province or its
 * commune pre-check receives them) and its submission deadline not passed, the soonest first.
 */
export function openCycleFor(cycles: readonly Cycle[], today: string): Cycle | null {
  const open = cycles
    .filter((c) => c.level !== 'central' && c.level !== 'district' && c.submissionDeadline >= today)
    .sort((a, b) => a.submissionDeadline.localeCompare(b.submissionDeadline));
  return open[0] ?? null;
}
