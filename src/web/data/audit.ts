import { useQuery } from '@tanstack/react-query';
import { api } from '../api';

/** Entity types the audit API answers for (the `entityType` recorded by each module). */
export type AuditEntityType = 'user' | 'subject' | 'product' | 'craft_village';

export type AuditEntry = {
  seq: number;
  at: string;
  actorLabel: string;
  action: string;
  before: unknown;
  after: unknown;
};

export function useHistory(entityType: AuditEntityType, entityId: string, enabled: boolean) {
  return useQuery({
    queryKey: ['audit', entityType, entityId],
    queryFn: ({ signal }) =>
      api.get<{ items: AuditEntry[] }>(
        `/audit/${entityType}/${encodeURIComponent(entityId)}`,
        undefined,
        signal,
      ),
    enabled,
    select: (data) => [...data.items].reverse(),
  });
}
