import { Anchor, Badge, CloseButton, Group, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PRODUCT_STATUSES } from '../../modules/products/rules';
import { canCreateProducts, useCurrentUser } from '../auth';
import { accentInsensitiveFilter } from '../components/accentFilter';
import type { Column } from '../components/DataTable';
import { FilterSelect, ListFilters, ListPage, SortSelect, UnitFilter } from '../components/ListPage';
import { StatusBadge } from '../components/StatusBadge';
import { useListParams } from '../components/useListParams';
import { type ProductRow, photoUrl, useProductMeta, useProducts } from '../data/products';
import { useSubject } from '../data/subjects';
import { categoriesOf, schemeOf } from '../data/taxonomy';
import { oneOf } from '../guards';
import { pickLabel, useLanguage } from '../i18n';
import { usePageTitle } from '../usePageTitle';

const SORTS = ['name', '-name', '-updatedAt'] as const;

function SubjectFilter({ id, onClear }: { id: string; onClear: () => void }) {
  const { t } = useTranslation();
  const subject = useSubject(id);
  return (
    <Badge
      size="lg"
      variant="light"
      style={{ textTransform: 'none' }}
      rightSection={<CloseButton size="xs" aria-label={t('common.clearFilters')} onClick={onClear} />}
    >
      {t('products.subject')}: {subject.data?.name ?? '…'}
    </Badge>
  );
}

export function ProductsPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  const params = useListParams();
  const meta = useProductMeta();
  usePageTitle(t('products.listTitle'));

  const status = oneOf(PRODUCT_STATUSES, params.get('status'));
  const subjectId = params.given('subject');
  const list = useProducts({
    q: params.given('q'),
    provinceCode: params.given('province'),
    communeCode: params.given('commune'),
    group: params.given('group'),
    productSet: params.given('set'),
    subjectId,
    status,
    archived: params.archived ? 'include' : undefined,
    sort: oneOf(SORTS, params.get('sort')),
    ...params.paging,
  });

  const scheme = schemeOf(meta.data);
  const categories = categoriesOf(scheme).filter((c) => !c.isGroup);
  const groupOptions = (scheme?.groups ?? []).map((g) => ({
    value: g.code,
    label: pickLabel(g.label, language),
  }));
  const group = params.given('group');
  const setOptions = categories
    .filter((c) => !group || c.groupCode === group)
    .map((c) => ({ value: c.code, label: pickLabel(c.label, language) }));

  const columns: Column<ProductRow>[] = [
    {
      key: 'name',
      header: t('products.name'),
      primary: true,
      render: (p) => (
        <Group gap="sm" wrap="nowrap">
          {p.coverPhotoId && (
            <img
              src={photoUrl(p.id, p.coverPhotoId, 'thumb')}
              alt=""
              width={40}
              height={40}
              style={{ objectFit: 'cover', borderRadius: 4, flexShrink: 0 }}
              loading="lazy"
            />
          )}
          <Anchor component={Link} to={`/products/${p.id}`} fw={600}>
            {p.name}
          </Anchor>
        </Group>
      ),
    },
    {
      key: 'subject',
      header: t('products.subject'),
      render: (p) => p.subject.name,
    },
    {
      key: 'category',
      header: t('products.category'),
      render: (p) =>
        pickLabel(p.classification.set?.label ?? p.classification.group?.label, language) ||
        p.classification.code,
    },
    {
      key: 'location',
      header: t('products.location'),
      render: (p) => `${p.commune.name}, ${p.province.name}`,
    },
    {
      key: 'status',
      header: t('products.status'),
      render: (p) => <StatusBadge status={p.archivedAt ? 'archived' : p.status} />,
    },
  ];

  return (
    <ListPage
      title={t('products.listTitle')}
      create={
        canCreateProducts(user.role) && {
          to: subjectId ? `/products/new?subjectId=${subjectId}` : '/products/new',
          label: t('products.create'),
        }
      }
      filters={
        <ListFilters
          params={params}
          extra={subjectId && <SubjectFilter id={subjectId} onClear={() => params.set({ subject: null })} />}
        >
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
            <FilterSelect
              params={params}
              name="status"
              label={t('products.status')}
              data={PRODUCT_STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))}
            />
            <SortSelect
              params={params}
              options={[
                { value: 'name', label: t('products.sortNameAsc') },
                { value: '-name', label: t('products.sortNameDesc') },
                { value: '-updatedAt', label: t('products.sortUpdated') },
              ]}
            />
            <FilterSelect
              params={params}
              name="group"
              clears={['set']}
              label={t('products.group')}
              data={groupOptions}
            />
            <FilterSelect
              params={params}
              name="set"
              label={t('products.category')}
              data={setOptions}
              searchable
              filter={accentInsensitiveFilter}
              nothingFoundMessage={t('units.nothingFound')}
            />
          </SimpleGrid>
          <UnitFilter params={params} />
        </ListFilters>
      }
      params={params}
      list={list}
      columns={columns}
      emptyTitle={t('products.empty')}
    />
  );
}
