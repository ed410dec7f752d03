import { Alert, Anchor, Button, Group, Progress, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  CYCLE_LEVELS,
  EVALUATION_TYPES,
  FINAL_STATES,
  FIRST_CYCLE_YEAR,
} from '../../../modules/evaluation/rules';
import { isProvinceStaff, useCurrentUser } from '../../auth';
import { type Column, DataTable } from '../../components/DataTable';
import { FilterSelect } from '../../components/ListPage';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStates';
import { UnitName } from '../../components/UnitName';
import { LIST_PAGE_SIZE, useListParams } from '../../components/useListParams';
import { type Cycle, type MyDossier, useCycles, useMyDossiers } from '../../data/evaluation';
import { currentYear, formatDate, formatDateTime } from '../../format';
import { oneOf } from '../../guards';
import { useLanguage } from '../../i18n';
import { usePageTitle } from '../../usePageTitle';
import { CreateCycleForm } from './CreateCycleForm';
import { localName, useDossierStatusColumns, useLevelLabel } from './labels';

/** Years a cycle may have, newest first: next year down to the first year the platform holds. */
export function cycleYears(): number[] {
  const years: number[] = [];
  for (let y = currentYear() + 1; y >= FIRST_CYCLE_YEAR; y--) years.push(y);
  return years;
}

/** Dossiers that reached an end (recognised, not recognised, withdrawn) out of all. */
export function finishedCount(cycle: Pick<Cycle, 'progress'>): number {
  return FINAL_STATES.reduce((sum, state) => sum + (cycle.progress.byState[state] ?? 0), 0);
}

function CycleProgress({ cycle }: { cycle: Cycle }) {
  const { t } = useTranslation();
  const { total } = cycle.progress;
  if (total === 0) return <Text size="sm">{t('evaluation.cycles.noDossiers')}</Text>;
  const done = finishedCount(cycle);
  return (
    <Stack gap={4} miw={140}>
      <Text size="sm">{t('evaluation.cycles.dossierCount', { count: total })}</Text>
      <Progress value={(done / total) * 100} size="sm" aria-hidden />
      <Text size="xs" c="dimmed">
        {t('evaluation.cycles.finished', { done, total })}
      </Text>
    </Stack>
  );
}

/**
 * The query string a cycle link carries: the expiry notice's `product` and `type`, so the cycle
 * page opens with them preselected.
 */
export function applyQuery(product: string | undefined, type: string | undefined): string {
  const params = new URLSearchParams();
  if (product) params.set('product', product);
  if (type) params.set('type', type);
  const text = params.toString();
  return text ? `?${text}` : '';
}

export function CyclesPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  const params = useListParams();
  const levelLabel = useLevelLabel();
  const [creating, setCreating] = useState(false);
  usePageTitle(t('evaluation.cycles.title'));

  const yearText = params.given('year');
  const year = yearText && /^\d{4}$/.test(yearText) ? Number(yearText) : undefined;
  const level = oneOf(CYCLE_LEVELS, params.get('level'));
  const cycles = useCycles({ year, level });

  const product = params.given('product');
  const type = oneOf(EVALUATION_TYPES, params.get('type'));
  const carried = applyQuery(product, type);
  const mayOpen = isProvinceStaff(user.role);

  const columns: Column<Cycle>[] = [
    {
      key: 'name',
      header: t('evaluation.cycles.name'),
      primary: true,
      render: (c) => (
        <Anchor component={Link} to={`/evaluation/cycles/${c.id}${carried}`} fw={600}>
          {c.name}
        </Anchor>
      ),
    },
    { key: 'level', header: t('evaluation.cycles.level'), render: (c) => levelLabel(c.level) },
    {
      key: 'year',
      header: t('evaluation.cycles.year'),
      render: (c) => t('evaluation.cycles.yearRound', { year: c.year, round: c.round }),
    },
    {
      key: 'province',
      header: t('evaluation.cycles.province'),
      render: (c) => (c.provinceCode ? <UnitName provinceCode={c.provinceCode} /> : levelLabel('central')),
    },
    {
      key: 'ruleSet',
      header: t('evaluation.cycles.ruleSet'),
      render: (c) => `${localName(c.ruleSet.name, language)} (${c.ruleSet.code}·${c.ruleSet.revision})`,
    },
    {
      key: 'deadline',
      header: t('evaluation.cycles.deadline'),
      render: (c) => formatDate(c.submissionDeadline),
    },
    { key: 'meeting', header: t('evaluation.cycles.meeting'), render: (c) => formatDate(c.meetingDate) },
    { key: 'progress', header: t('evaluation.cycles.progress'), render: (c) => <CycleProgress cycle={c} /> },
  ];

  const items = cycles.data?.items ?? [];
  const page = Math.min(params.page, Math.max(1, Math.ceil(items.length / LIST_PAGE_SIZE)));
  const shown = items.slice((page - 1) * LIST_PAGE_SIZE, page * LIST_PAGE_SIZE);
  const filtered = year !== undefined || level !== undefined;

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>{t('evaluation.cycles.title')}</Title>
        {mayOpen && !creating && (
          <Button onClick={() => setCreating(true)}>{t('evaluation.cycles.open')}</Button>
        )}
      </Group>
      {product && (
        <Alert color="ocop" role="note">
          {t('evaluation.cycles.reEvaluationNotice')}
        </Alert>
      )}
      {creating && <CreateCycleForm onCancel={() => setCreating(false)} />}
      {user.role === 'producer' && <MyDossiers />}
      {user.role === 'producer' && (
        <Title order={2} size="h3">
          {t('evaluation.cycles.all')}
        </Title>
      )}
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" maw={640}>
        <FilterSelect
          params={params}
          name="year"
          label={t('evaluation.cycles.year')}
          data={cycleYears().map((y) => ({ value: String(y), label: String(y) }))}
        />
        <FilterSelect
          params={params}
          name="level"
          label={t('evaluation.cycles.level')}
          data={CYCLE_LEVELS.filter((l) => l !== 'commune_precheck').map((l) => ({
            value: l,
            label: levelLabel(l),
          }))}
        />
      </SimpleGrid>
      {cycles.isPending ? (
        <LoadingState />
      ) : cycles.isError ? (
        <ErrorState error={cycles.error} onRetry={() => void cycles.refetch()} />
      ) : items.length === 0 ? (
        filtered ? (
          <EmptyState title={t('state.noMatchTitle')} description={t('state.noMatchHint')} />
        ) : (
          <EmptyState
            title={t('evaluation.cycles.emptyTitle')}
            description={
              user.role === 'producer'
                ? t('evaluation.cycles.emptyHintProducer')
                : t('evaluation.cycles.emptyHint')
            }
            action={
              mayOpen && !creating ? (
                <Button onClick={() => setCreating(true)}>{t('evaluation.cycles.open')}</Button>
              ) : undefined
            }
          />
        )
      ) : (
        <DataTable
          label={t('evaluation.cycles.title')}
          rows={shown}
          columns={columns}
          rowKey={(c) => c.id}
          total={items.length}
          page={page}
          pageSize={LIST_PAGE_SIZE}
          onPageChange={(next) => params.set({ page: next })}
        />
      )}
    </Stack>
  );
}

/** A producer's own dossiers in every cycle: where they follow them and find published results. */
function MyDossiers() {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const mine = useMyDossiers({ page, pageSize: LIST_PAGE_SIZE }, true);
  const statusColumns = useDossierStatusColumns<MyDossier>();
  const columns: Column<MyDossier>[] = [
    {
      key: 'product',
      header: t('evaluation.columns.product'),
      primary: true,
      render: (d) => (
        <Anchor component={Link} to={`/evaluation/dossiers/${d.id}`} fw={600}>
          {d.product.name}
        </Anchor>
      ),
    },
    {
      key: 'cycle',
      header: t('evaluation.dossier.cycle'),
      render: (d) => (
        <Anchor component={Link} to={`/evaluation/cycles/${d.cycle.id}`}>
          {d.cycle.name}
        </Anchor>
      ),
    },
    ...statusColumns,
    { key: 'updated', header: t('common.updatedAt'), render: (d) => formatDateTime(d.updatedAt) },
  ];
  return (
    <Stack gap="sm" component="section" aria-labelledby="my-dossiers-title">
      <Title order={2} size="h3" id="my-dossiers-title">
        {t('evaluation.cycles.mine')}
      </Title>
      {mine.isPending ? (
        <LoadingState />
      ) : mine.isError ? (
        <ErrorState error={mine.error} onRetry={() => void mine.refetch()} />
      ) : mine.data.items.length === 0 ? (
        <Text c="dimmed">{t('evaluation.cycles.mineEmpty')}</Text>
      ) : (
        <DataTable
          label={t('evaluation.cycles.mine')}
          rows={mine.data.items}
          columns={columns}
          rowKey={(d) => d.id}
          total={mine.data.total}
          page={mine.data.page}
          pageSize={mine.data.pageSize}
          onPageChange={setPage}
        />
      )}
    </Stack>
  );
}
