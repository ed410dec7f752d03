import { useDebouncedValue } from '@mantine/hooks';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useSearchParams } from 'react-router';

/** Rows per page of every list page. */
export const LIST_PAGE_SIZE = 20;

/**
 * List filters live in the URL, so a filtered list can be bookmarked, shared and restored with
 * the back button. Changing any filter goes back to page 1.
 */
export function useListParams() {
  const [params, setParams] = useSearchParams();

  const get = useCallback((key: string) => params.get(key) ?? '', [params]);
  /** The value when one is set; undefined lets the API apply its default. */
  const given = useCallback((key: string) => params.get(key) || undefined, [params]);

  const set = useCallback(
    (changes: Record<string, string | number | boolean | null | undefined>) => {
      setParams(
        (current) => {
          const next = new URLSearchParams(current);
          for (const [key, value] of Object.entries(changes)) {
            if (value === null || value === undefined || value === '' || value === false) next.delete(key);
            else next.set(key, String(value));
          }
          if (!('page' in changes)) next.delete('page');
          return next;
        },
        { replace: true },
      );
    },
    [setParams],
  );

  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);
  const hasFilters = [...params.keys()].some((key) => key !== 'page' && key !== 'sort');
  /** Filters other than the search text: the filter panel starts open when one is set. */
  const hasFiltersBesidesSearch = [...params.keys()].some((key) => !['page', 'sort', 'q'].includes(key));
  /** The registry lists' "include archived records" switch. */
  const archived = params.get('archived') === '1';
  const clear = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams]);

  return {
    get,
    given,
    set,
    page,
    paging: { page, pageSize: LIST_PAGE_SIZE },
    archived,
    hasFilters,
    hasFiltersBesidesSearch,
    clear,
  };
}

export type ListParams = ReturnType<typeof useListParams>;

/** The search box types freely; the URL (and so the query) follows after a short pause. */
export function useSearchBox(value: string, onSettled: (value: string) => void) {
  const [text, setText] = useState(value);
  const [debounced] = useDebouncedValue(text, 300);
  const pushed = useRef(value);
  // Only the settled text triggers a query; the callback's identity changes every render and does not matter.
  // biome-ignore lint/correctness/useExhaustiveDependencies: see above
  useEffect(() => {
    const settled = debounced.trim();
    if (settled !== pushed.current.trim()) {
      pushed.current = settled;
      onSettled(settled);
    }
  }, [debounced]);
  useEffect(() => {
    // The URL changed by other means (back button, "clear filters"): show it in the box.
    if (value !== pushed.current) {
      pushed.current = value;
      setText(value);
    }
  }, [value]);
  return [text, setText] as const;
}
