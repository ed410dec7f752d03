import { Button, Checkbox, Group, Select, type SelectProps, Stack, TextInput, Title } from '@mantine/core';
import type { UseQueryResult } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type Column, DataTable } from './DataTable';
import { FilterPanel } from './FilterPanel';
import { EmptyState, ErrorState, LoadingState } from './PageStates';
import { StatusBadge } from './StatusBadge';
import { UnitPicker } from './UnitPicker';
import { type ListParams, useSearchBox } from './useListParams';

/** One page of a list, as every list route of the API answers. */
export type ListPageData<T> = { items: T[]; total: number; page: number; pageSize: number };

type ResultsProps<T extends { id: string }> = {
  list: UseQueryResult<ListPageData<T>>;
  params: ListParams;
  label: string;
  columns: Column<T>[];
  /** Said when the list is empty without any filter; with filters, "no match" is said instead. */
  emptyTitle: string;
};

/** The rows of a list in its four states: loading, failed, empty (or nothing matching), shown with paging. */
export function ListResults<T extends { id: string }>({
  list,
  params,
  label,
  columns,
  emptyTitle,
}: ResultsProps<T>) {
  const { t } = useTranslation();
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => void list.refetch()} />;
  if (list.data.items.length === 0) {
    return params.hasFilters ? (
      <EmptyState title={t('state.noMatchTitle')} description={t('state.noMatchHint')} />
    ) : (
      <EmptyState title={emptyTitle} />
    );
  }
  return (
    <DataTable
      label={label}
      rows={list.data.items}
      columns={columns}
      rowKey={(row) => row.id}
      total={list.data.total}
      page={list.data.page}
      pageSize={list.data.pageSize}
      onPageChange={(page) => params.set({ page })}
    />
  );
}

/**
 * A list page: its title and "add" link (for those who may add), its filters, its rows (the
 * table is named after the title).
 */
export function ListPage<T extends { id: string }>({
  title,
  create,
  filters,
  ...results
}: Omit<ResultsProps<T>, 'label'> & {
  title: string;
  create?: { to: string; label: string } | false;
  filters: ReactNode;
}) {
  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>{title}</Title>
        {create && (
          <Button component={Link} to={create.to}>
            {create.label}
          </Button>
        )}
      </Group>
      {filters}
      <ListResults label={title} {...results} />
    </Stack>
  );
}

/** The search box of a list: typing is free, the URL's `q` follows after a pause. */
export function SearchBox({ params, withHint = true }: { params: ListParams; withHint?: boolean }) {
  const { t } = useTranslation();
  const [search, setSearch] = useSearchBox(params.get('q'), (q) => params.set({ q }));
  return (
    <TextInput
      type="search"
      label={t('common.search')}
      description={withHint ? t('common.searchHint') : undefined}
      value={search}
      onChange={(e) => setSearch(e.currentTarget.value)}
    />
  );
}

/**
 * Search and filters of a registry list, ending with what they all have: "include archived
 * records" (`extra` goes beside it) and "clear filters" once any is set.
 */
export function ListFilters({
  params,
  children,
  extra,
}: {
  params: ListParams;
  children: ReactNode;
  extra?: ReactNode;
}) {
  const { t } = useTranslation();
  return (
    <FilterPanel active={params.hasFiltersBesidesSearch} search={<SearchBox params={params} />}>
      {children}
      <Group justify="space-between" gap="xs">
        <Group gap="xs">
          <Checkbox
            label={t('common.includeArchived')}
            checked={params.archived}
            onChange={(e) => params.set({ archived: e.currentTarget.checked ? '1' : null })}
          />
          {extra}
        </Group>
        {params.hasFilters && (
          <Button variant="subtle" size="compact-sm" onClick={params.clear}>
            {t('common.clearFilters')}
          </Button>
        )}
      </Group>
    </FilterPanel>
  );
}

/** Province and commune filters kept in the URL as `province` and `commune`. */
export function UnitFilter({ params }: { params: ListParams }) {
  return (
    <UnitPicker
      value={{ provinceCode: params.given('province') ?? null, communeCode: params.given('commune') ?? null }}
      onChange={(unit) => params.set({ province: unit.provinceCode, commune: unit.communeCode })}
    />
  );
}

/** The sort order in the URL's `sort`; the first option is the default and leaves the URL. */
export function SortSelect({
  params,
  options,
}: {
  params: ListParams;
  options: readonly [{ value: string; label: string }, ...{ value: string; label: string }[]];
}) {
  const { t } = useTranslation();
  const current = params.get('sort');
  const fallback = options[0].value;
  return (
    <Select
      label={t('common.sortBy')}
      data={[...options]}
      value={options.some((o) => o.value === current) ? current : fallback}
      onChange={(sort) => params.set({ sort: sort === fallback ? null : sort })}
      allowDeselect={false}
    />
  );
}

/** The status column of records that are either in use or archived. */
export function activeOrArchivedColumn<T extends { archivedAt: string | null }>(header: string): Column<T> {
  return {
    key: 'status',
    header,
    render: (row) => <StatusBadge status={row.archivedAt ? 'archived' : 'active'} />,
  };
}

type Option = { value: string; label: string };

/**
 * A filter kept in the URL's `name`, "all" when unset; `clears` names the filters that depend on
 * this one (a product set belongs to a group). A value that is not among the options shows as "all".
 */
export function FilterSelect({
  params,
  name,
  data,
  clears = [],
  ...select
}: Omit<SelectProps, 'data' | 'value' | 'onChange'> & {
  params: ListParams;
  name: string;
  data: Option[];
  clears?: string[];
}) {
  const { t } = useTranslation();
  const value = params.get(name);
  return (
    <Select
      placeholder={t('common.all')}
      clearable
      {...select}
      data={data}
      value={data.some((o) => o.value === value) ? value : null}
      onChange={(next) => params.set({ [name]: next, ...Object.fromEntries(clears.map((c) => [c, null])) })}
    />
  );
}
