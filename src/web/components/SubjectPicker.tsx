import { MultiSelect, type OptionsFilter, Select } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueries } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api';
import { type Subject, useSubjects } from '../data/subjects';

/** The server already searched (accent-insensitively); the dropdown shows its answer as is. */
const serverFiltered: OptionsFilter = ({ options }) => options;

function useSubjectOptions(search: string, selectedIds: string[]) {
  // Chosen subjects stay listed (with their names) whatever the current search shows.
  const selected = useQueries({
    queries: selectedIds.map((id) => ({
      queryKey: ['subjects', 'one', id],
      queryFn: () => api.get<Subject>(`/subjects/${id}`),
      staleTime: 60_000,
    })),
  });
  // A single select shows the chosen name in its box: that text is not a search.
  const isChosenName = selected.some((q) => q.data?.name === search);
  const [debounced] = useDebouncedValue(isChosenName ? '' : search.trim(), 250);
  const found = useSubjects({ q: debounced || undefined, page: 1, pageSize: 20 });
  const options = useMemo(() => {
    const byId = new Map<string, string>();
    for (const q of selected) if (q.data) byId.set(q.data.id, q.data.name);
    for (const s of found.data?.items ?? []) byId.set(s.id, s.name);
    return [...byId].map(([value, label]) => ({ value, label }));
  }, [found.data, selected]);
  return { options, loading: found.isFetching, error: found.error };
}

type SingleProps = {
  label: string;
  value: string | null;
  onChange: (id: string | null) => void;
  error?: string;
  required?: boolean;
  disabled?: boolean;
};

export function SubjectSelect({ label, value, onChange, error, required, disabled }: SingleProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const { options, error: loadError } = useSubjectOptions(search, value ? [value] : []);
  return (
    <Select
      label={label}
      placeholder={t('products.chooseSubject')}
      data={options}
      value={value}
      onChange={(id) => onChange(id)}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={serverFiltered}
      nothingFoundMessage={t('units.nothingFound')}
      error={error ?? loadError?.message}
      required={required}
      disabled={disabled}
      clearable={!required}
    />
  );
}

type MultiProps = {
  label: string;
  value: string[];
  onChange: (ids: string[]) => void;
  error?: string;
  description?: string;
};

export function SubjectMultiSelect({ label, value, onChange, error, description }: MultiProps) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const { options, error: loadError } = useSubjectOptions(search, value);
  return (
    <MultiSelect
      label={label}
      description={description}
      data={options}
      value={value}
      onChange={onChange}
      searchable
      searchValue={search}
      onSearchChange={setSearch}
      filter={serverFiltered}
      nothingFoundMessage={t('units.nothingFound')}
      error={error ?? loadError?.message}
      hidePickedOptions
    />
  );
}
