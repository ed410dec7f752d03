import { Anchor, Checkbox, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { type DossierState, stateLabels } from '../../../modules/evaluation/rules';
import type { Column } from '../../components/DataTable';
import { ListResults } from '../../components/ListPage';
import { useListParams } from '../../components/useListParams';
import { type ReEvaluationQueue, useReEvaluationQueue } from '../../data/certificates';
import { pickLabel, useLanguage } from '../../i18n';
import { usePageTitle } from '../../usePageTitle';
import { formatLegalDate, Stars } from './parts';

type QueueItem = ReEvaluationQueue['items'][number];

const stateLabel = (state: string, language: 'vi' | 'en') =>
  state in stateLabels ? pickLabel(stateLabels[state as DossierState], language) : state;

/**
 * /certificates/re-evaluation: the province's certificates that are expiring, soonest first, with
 * the days left and whether the producer has started a re-evaluation dossier yet.
 */
export function ReEvaluationPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const params = useListParams();
  usePageTitle(t('certificates.queue.title'));
  const withoutDossier = params.get('withoutDossier') === '1';
  const queue = useReEvaluationQueue({ ...params.paging, withoutDossier: withoutDossier || undefined });

  const columns: Column<QueueItem>[] = [
    {
      key: 'number',
      header: t('certificates.number'),
      primary: true,
      render: (i) => (
        <Anchor component={Link} to={`/certificates/${i.id}`} fw={600}>
          {i.number}
        </Anchor>
      ),
    },
    {
      key: 'product',
      header: t('certificates.product'),
      render: (i) => (
        <Stack gap={0}>
          <Anchor component={Link} to={`/products/${i.product.id}`} size="sm">
            {i.product.name}
          </Anchor>
          <Anchor component={Link} to={`/subjects/${i.subject.id}`} size="xs" c="dimmed">
            {i.subject.name}
          </Anchor>
        </Stack>
      ),
    },
    { key: 'star', header: t('certificates.star'), render: (i) => <Stars star={i.star} /> },
    {
      key: 'validTo',
      header: t('certificates.validTo'),
      render: (i) => (
        <Stack gap={0}>
          <Text size="sm">{formatLegalDate(i.validTo)}</Text>
          <Text size="xs" c={i.daysLeft <= 30 ? 'red.7' : 'orange.7'} fw={i.daysLeft <= 30 ? 700 : 400}>
            {i.daysLeft < 0
              ? t('certificates.queue.expiredAgo', { n: -i.daysLeft })
              : t('certificates.queue.daysLeft', { n: i.daysLeft })}
          </Text>
        </Stack>
      ),
    },
    {
      key: 'dossier',
      header: t('certificates.queue.dossier'),
      render: (i) =>
        i.reEvaluationDossier ? (
          <Anchor component={Link} to={`/evaluation/dossiers/${i.reEvaluationDossier.id}`} size="sm">
            {t('certificates.queue.dossierStarted', {
              state: stateLabel(i.reEvaluationDossier.state, language),
            })}
          </Anchor>
        ) : i.successorNumber ? (
          <Text size="sm">{t('certificates.queue.successor', { number: i.successorNumber })}</Text>
        ) : (
          <Text size="sm" fw={600}>
            {t('certificates.queue.noDossier')}
          </Text>
        ),
    },
  ];

  return (
    <Stack gap="md">
      <Title order={1}>{t('certificates.queue.title')}</Title>
      <Paper withBorder p="sm">
        <Group justify="space-between" gap="sm">
          <Text size="sm">{t('certificates.queue.explain', { days: queue.data?.expiringDays ?? 90 })}</Text>
          <Checkbox
            label={t('certificates.queue.withoutDossier')}
            checked={withoutDossier}
            onChange={(e) => params.set({ withoutDossier: e.currentTarget.checked ? '1' : null })}
          />
        </Group>
      </Paper>
      <ListResults
        label={t('certificates.queue.title')}
        list={queue}
        params={params}
        columns={columns}
        emptyTitle={t('certificates.queue.empty')}
      />
    </Stack>
  );
}
