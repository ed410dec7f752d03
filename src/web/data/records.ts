import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { AuditEntityType } from './audit';

/** The cache roots of the registry's records: `[root, 'one', id]` and `[root, 'list', query]`. */
export type RecordRoot = 'subjects' | 'products' | 'craft-villages';

/**
 * A write that answers with the saved record: the record's cache takes the answer, and what it
 * changes (its lists, its audit trail, the home page counts) is fetched again when next shown.
 */
export function useRecordWrite<V, R extends { id: string }>(
  root: RecordRoot,
  auditType: AuditEntityType,
  write: (input: V) => Promise<R>,
) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: write,
    onSuccess: (record) => {
      queryClient.setQueryData([root, 'one', record.id], record);
      void queryClient.invalidateQueries({ queryKey: [root, 'list'] });
      void queryClient.invalidateQueries({ queryKey: ['audit', auditType, record.id] });
      void queryClient.invalidateQueries({ queryKey: ['home'] });
    },
  });
}
