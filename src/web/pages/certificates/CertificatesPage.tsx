import { Anchor, Badge, Button, CloseButton, Group, SimpleGrid, Stack, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { CERTIFICATE_STATUSES } from '../../../modules/certificates/rules';
import type { Column } from '../../components/DataTable';
import { FilterPanel } from '../../components/FilterPanel';
import { FilterSelect, ListPage, SearchBox } from '../../components/ListPage';
import { useListParams } from '../../components/useListParams';
import { type Certificate, useCertificates } from '../../data/certificates';
import { oneOf } from '../../guards';
import { usePageTitle } from '../../usePageTitle';
import { IssueFromDecision } from './IssueFromDecision';
import { CertificateStatusBadge, formatLegalDate, Stars } from './parts';

const STARS = ['3', '4', '5'] as const;

/**
 * /certificates: the certificates the user may read (officers their area, producers their own),
 * searched by number or product name and filtered by status and star. With `?decision=<id>` it
 * first shows that recognition decision's products, each with "issue certificate" for officers.
 */
export function CertificatesPage() {
  const { t } = useTranslation();
  const params = useListParams();
  usePageTitle(t('certificates.listTitle'));
  const decisionId = params.given('decision');
  const star = oneOf(STARS, params.get('star'));
  const list = useCertificates({
    q: params.given('q'),
    status: oneOf(CERTIFICATE_STATUSES, params.get('status')),
    star: star ? Number(star) : undefined,
    productId: params.given('product'),
    ...params.paging,
  });

  const columns: Column<Certificate>[] = [
    {
      key: 'number',
      header: t('certificates.number'),
      primary: true,
      render: (c) => (
        <Anchor component={Link} to={`/certificates/${c.id}`} fw={600}>
          {c.number}
        </Anchor>
      ),
    },
    {
      key: 'product',
      header: t('certificates.product'),
      render: (c) => (
        <Stack gap={0}>
          <Text size="sm">{c.product.name}</Text>
          <Text size="xs" c="dimmed">
            {c.subject.name}
          </Text>
        </Stack>
      ),
    },
    { key: 'star', header: t('certificates.star'), render: (c) => <Stars star={c.star} /> },
    {
      key: 'validity',
      header: t('certificates.validity'),
      render: (c) =>
        c.validFrom && c.validTo
          ? `${formatLegalDate(c.validFrom)} – ${formatLegalDate(c.validTo)}`
          : t('certificates.validityUnknown'),
    },
    {
      key: 'status',
      header: t('certificates.statusLabel'),
      render: (c) => <CertificateStatusBadge status={c.status} />,
    },
  ];

  return (
    <Stack gap="md">
      {decisionId && (
        <IssueFromDecision decisionId={decisionId} onClose={() => params.set({ decision: null })} />
      )}
      <ListPage
        title={t('certificates.listTitle')}
        filters={
          <FilterPanel
            active={params.hasFiltersBesidesSearch}
            search={<SearchBox params={params} withHint={false} />}
          >
            <Text size="sm" c="dimmed">
              {t('certificates.searchHint')}
            </Text>
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <FilterSelect
                params={params}
                name="status"
                label={t('certificates.statusLabel')}
                data={CERTIFICATE_STATUSES.map((s) => ({ value: s, label: t(`certificates.status.${s}`) }))}
              />
              <FilterSelect
                params={params}
                name="star"
                label={t('certificates.star')}
                data={STARS.map((s) => ({ value: s, label: t('certificates.starsText', { n: s }) }))}
              />
            </SimpleGrid>
            <Group justify="space-between" gap="xs">
              {params.given('product') ? (
                <Badge
                  size="lg"
                  variant="light"
                  style={{ textTransform: 'none', alignSelf: 'flex-start' }}
                  rightSection={
                    <CloseButton
                      size="xs"
                      aria-label={t('certificates.clearProduct')}
                      onClick={() => params.set({ product: null })}
                    />
                  }
                >
                  {t('certificates.oneProduct')}
                </Badge>
              ) : (
                <span />
              )}
              {params.hasFilters && (
                <Button variant="subtle" size="compact-sm" onClick={params.clear}>
                  {t('common.clearFilters')}
                </Button>
              )}
            </Group>
          </FilterPanel>
        }
        params={params}
        list={list}
        columns={columns}
        emptyTitle={t('certificates.empty')}
      />
    </Stack>
  );
}
