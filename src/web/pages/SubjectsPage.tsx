import { Anchor, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import type { SubjectSort } from '../../modules/subjects/contract';
import { SUBJECT_TYPE_CODES } from '../../modules/subjects/rules';
import { canCreateSubjects, useCurrentUser } from '../auth';
import type { Column } from '../components/DataTable';
import {
  activeOrArchivedColumn,
  FilterSelect,
  ListFilters,
  ListPage,
  SortSelect,
  UnitFilter,
} from '../components/ListPage';
import { useListParams } from '../components/useListParams';
import { type Subject, useSubjectMeta, useSubjects } from '../data/subjects';
import { oneOf } from '../guards';
import { pickLabel, useLanguage } from '../i18n';
import { usePageTitle } from '../usePageTitle';

const SUBJECT_SORTS: readonly SubjectSort[] = ['name', '-name', '-updatedAt', '-createdAt'];

export function SubjectsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  const params = useListParams();
  const meta = useSubjectMeta();
  usePageTitle(t('subjects.listTitle'));

  const list = useSubjects({
    q: params.given('q'),
    provinceCode: params.given('province'),
    communeCode: params.given('commune'),
    type: oneOf(SUBJECT_TYPE_CODES, params.get('type')),
    includeArchived: params.archived ? 'true' : undefined,
    sort: oneOf(SUBJECT_SORTS, params.get('sort')),
    ...params.paging,
  });

  const typeLabel = (code: string) =>
    pickLabel(
      meta.data?.types.find((x) => x.code === code),
      language,
    ) || code;

  const columns: Column<Subject>[] = [
    {
      key: 'name',
      header: t('subjects.name'),
      primary: true,
      render: (s) => (
        <Anchor component={Link} to={`/subjects/${s.id}`} fw={600}>
          {s.name}
        </Anchor>
      ),
    },
    { key: 'type', header: t('subjects.type'), render: (s) => typeLabel(s.type) },
    {
      key: 'location',
      header: t('subjects.location'),
      render: (s) => [s.communeName, s.provinceName].filter(Boolean).join(', ') || s.communeCode,
    },
    {
      key: 'representative',
      header: t('subjects.legalRepresentative'),
      render: (s) => s.legalRepresentative,
    },
    activeOrArchivedColumn(t('products.status')),
  ];

  return (
    <ListPage
      title={t('subjects.listTitle')}
      create={canCreateSubjects(user.role) && { to: '/subjects/new', label: t('subjects.create') }}
      filters={
        <ListFilters params={params}>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
            <FilterSelect
              params={params}
              name="type"
              label={t('subjects.type')}
              data={(meta.data?.types ?? []).map((x) => ({ value: x.code, label: pickLabel(x, language) }))}
            />
            <SortSelect
              params={params}
              options={[
                { value: 'name', label: t('subjects.sortNameAsc') },
                { value: '-name', label: t('subjects.sortNameDesc') },
                { value: '-updatedAt', label: t('subjects.sortUpdated') },
                { value: '-createdAt', label: t('subjects.sortCreated') },
              ]}
            />
          </SimpleGrid>
          <UnitFilter params={params} />
        </ListFilters>
      }
      params={params}
      list={list}
      columns={columns}
      emptyTitle={t('subjects.empty')}
    />
  );
}
