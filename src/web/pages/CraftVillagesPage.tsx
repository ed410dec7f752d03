import { Anchor, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { canWriteCraftVillages, useCurrentUser } from '../auth';
import type { Column } from '../components/DataTable';
import {
  activeOrArchivedColumn,
  FilterSelect,
  ListFilters,
  ListPage,
  UnitFilter,
} from '../components/ListPage';
import { useListParams } from '../components/useListParams';
import { type CraftVillage, useCraftVillages } from '../data/craftVillages';
import { oneOf } from '../guards';
import { usePageTitle } from '../usePageTitle';

const KINDS = ['true', 'false'] as const;

/** The craft villages ("làng nghề") of the user's area, searchable by name and filtered by unit and kind. */
export function CraftVillagesPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const params = useListParams();
  usePageTitle(t('craftVillages.listTitle'));

  const traditional = oneOf(KINDS, params.get('traditional'));
  const list = useCraftVillages({
    q: params.given('q'),
    provinceCode: params.given('province'),
    communeCode: params.given('commune'),
    traditional,
    archived: params.archived ? 'include' : undefined,
    ...params.paging,
  });

  const columns: Column<CraftVillage>[] = [
    {
      key: 'name',
      header: t('craftVillages.name'),
      primary: true,
      render: (v) => (
        <Anchor component={Link} to={`/craft-villages/${v.id}`} fw={600}>
          {v.name}
        </Anchor>
      ),
    },
    {
      key: 'location',
      header: t('craftVillages.location'),
      render: (v) => `${v.commune.name}, ${v.province.name}`,
    },
    {
      key: 'kind',
      header: t('craftVillages.kind'),
      render: (v) => (v.traditional ? t('craftVillages.kindTraditional') : t('craftVillages.kindOther')),
    },
    {
      key: 'recognitionYear',
      header: t('craftVillages.recognitionYear'),
      render: (v) => v.recognitionYear ?? t('common.none'),
    },
    activeOrArchivedColumn(t('products.status')),
  ];

  return (
    <ListPage
      title={t('craftVillages.listTitle')}
      create={
        canWriteCraftVillages(user.role) && { to: '/craft-villages/new', label: t('craftVillages.create') }
      }
      filters={
        <ListFilters params={params}>
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
            <FilterSelect
              params={params}
              name="traditional"
              label={t('craftVillages.kind')}
              data={[
                { value: 'true', label: t('craftVillages.kindTraditional') },
                { value: 'false', label: t('craftVillages.kindOther') },
              ]}
            />
          </SimpleGrid>
          <UnitFilter params={params} />
        </ListFilters>
      }
      params={params}
      list={list}
      columns={columns}
      emptyTitle={t('craftVillages.empty')}
    />
  );
}
