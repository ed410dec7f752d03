import { Anchor, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { PRODUCT_STATUSES } from '../../modules/products/rules';
import { canSeeRegistry, useCurrentUser } from '../auth';
import { ErrorState, LoadingState } from '../components/PageStates';
import { StatusBadge } from '../components/StatusBadge';
import { useProductCounts } from '../data/products';
import { useSubjectCounts, useSubjectMeta } from '../data/subjects';
import { formatNumber } from '../format';
import { pickLabel, useLanguage } from '../i18n';
import { usePageTitle } from '../usePageTitle';

function CountCard({ label, value, to }: { label: string; value: number; to: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Card withBorder padding="lg">
      <Text size="sm" c="dimmed">
        {label}
      </Text>
      <Text fz={36} fw={700} lh={1.2}>
        {formatNumber(value, language)}
      </Text>
      <Anchor component={Link} to={to} size="sm">
        {t('home.viewAll')}: {label}
      </Anchor>
    </Card>
  );
}

function FigureList({ title, id, children }: { title: string; id: string; children: ReactNode }) {
  return (
    <Card withBorder padding="lg" component="section" aria-labelledby={id}>
      <Title order={2} size="h4" id={id} mb="sm">
        {title}
      </Title>
      <Stack gap="xs" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
        {children}
      </Stack>
    </Card>
  );
}

function Figure({ label, value, of }: { label: ReactNode; value: number; of?: number }) {
  const language = useLanguage();
  const share = of ? ` (${formatNumber(Math.round((value / of) * 100), language)}%)` : '';
  return (
    <Group component="li" justify="space-between" wrap="nowrap" gap="sm">
      <Text component="div" size="sm">
        {label}
      </Text>
      <Text fw={600} style={{ whiteSpace: 'nowrap' }}>
        {formatNumber(value, language)}
        {share}
      </Text>
    </Group>
  );
}

/** The overview: every figure is counted by the API within the user's scope, none is typed in. */
export function HomePage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  usePageTitle(t('home.title'));
  const registry = canSeeRegistry(user.role);
  const subjects = useSubjectCounts(registry);
  const products = useProductCounts(registry);
  const meta = useSubjectMeta();

  let body: ReactNode;
  if (!registry) body = <Text>{t('home.noAccess')}</Text>;
  else if (subjects.isPending || products.isPending) body = <LoadingState />;
  else if (subjects.isError || products.isError) {
    body = (
      <ErrorState
        error={subjects.error ?? products.error}
        onRetry={() => {
          void subjects.refetch();
          void products.refetch();
        }}
      />
    );
  } else {
    const s = subjects.data;
    const types = Object.entries(s.byType).sort(([, a], [, b]) => b - a);
    body = (
      <>
        <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="md">
          <CountCard label={t('home.subjects')} value={s.active} to="/subjects" />
          <CountCard label={t('home.products')} value={products.data.total} to="/products" />
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, md: 2 }} spacing="md">
          <FigureList title={t('home.productsByStatus')} id="products-by-status">
            {PRODUCT_STATUSES.map((status) => (
              <Figure
                key={status}
                label={
                  <Anchor component={Link} to={`/products?status=${status}`} underline="hover">
                    <StatusBadge status={status} />
                  </Anchor>
                }
                value={products.data.byStatus[status]}
              />
            ))}
          </FigureList>
          <FigureList title={t('home.subjectsByType')} id="subjects-by-type">
            {types.map(([code, count]) => (
              <Figure
                key={code}
                label={
                  <Anchor component={Link} to={`/subjects?type=${code}`} underline="hover">
                    {pickLabel(
                      meta.data?.types.find((x) => x.code === code),
                      language,
                    ) || code}
                  </Anchor>
                }
                value={count}
                of={s.active}
              />
            ))}
            <Figure label={t('home.womanLed')} value={s.womanLed} of={s.active} />
            <Figure label={t('home.modernChannels')} value={s.modernChannels} of={s.active} />
            <Figure label={t('home.archivedSubjects')} value={s.archived} />
          </FigureList>
        </SimpleGrid>
        <Text size="sm" c="dimmed">
          {t('home.fromData')}
        </Text>
      </>
    );
  }

  return (
    <Stack gap="md">
      <Title order={1}>{t('home.title')}</Title>
      <Text>{t('home.welcome', { name: user.fullName })}</Text>
      {body}
    </Stack>
  );
}
