import { Alert, Anchor, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { canSeeRegistry, isProvinceStaff, useCurrentUser } from '../../auth';
import { ConfirmButton } from '../../components/ConfirmButton';
import { type Column, DataTable } from '../../components/DataTable';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStates';
import {
  type Cycle,
  cycleMinutesUrl,
  type Decision,
  dossierMinutesUrl,
  type ResultRow,
  useCycle,
  useCycleResults,
  useDecisions,
  useForwarded,
  usePublishResults,
} from '../../data/council';
import { formatDate } from '../../format';
import { usePageTitle } from '../../usePageTitle';
import { DecisionForm } from './DecisionForm';
import { CycleLinks, DossierStateText, FlagBadge, Score, Stars, useLevelName } from './shared';

/** /evaluation/cycles/:id/results — results, publication, forwarded list, minutes and recognition decisions. */
export function ResultsPage() {
  const { id } = useParams();
  const cycle = useCycle(id);
  if (cycle.isPending) return <LoadingState />;
  if (cycle.isError) return <ErrorState error={cycle.error} onRetry={() => void cycle.refetch()} />;
  return <CycleResults cycle={cycle.data} />;
}

function CycleResults({ cycle }: { cycle: Cycle }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  usePageTitle(t('council.results.title'));
  const manager = isProvinceStaff(user.role);
  const results = useCycleResults(cycle.id);

  return (
    <Stack gap="lg">
      <CycleLinks cycleId={cycle.id} current="results" />
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{t('council.results.title')}</Title>
          <Text fw={600}>{cycle.name}</Text>
        </Stack>
        {manager && <PublishButton cycleId={cycle.id} />}
      </Group>
      <Minutes cycleId={cycle.id} />
      <section aria-labelledby="results-table">
        <Title order={2} size="h3" id="results-table" mb="sm">
          {t('council.results.table')}
        </Title>
        {results.isPending ? (
          <LoadingState />
        ) : results.isError ? (
          <ErrorState error={results.error} onRetry={() => void results.refetch()} />
        ) : results.data.items.length === 0 ? (
          <EmptyState title={t('council.results.empty')} />
        ) : (
          <ResultsTable rows={results.data.items} registry={canSeeRegistry(user.role)} />
        )}
      </section>
      <Forwarded cycleId={cycle.id} />
      <Decisions cycleId={cycle.id} />
      {manager && results.data && <DecisionForm cycleId={cycle.id} rows={results.data.items} />}
    </Stack>
  );
}

function PublishButton({ cycleId }: { cycleId: string }) {
  const { t } = useTranslation();
  const publish = usePublishResults(cycleId);
  return (
    <Stack gap="xs" align="flex-end">
      <ConfirmButton
        question={t('council.results.publishConfirm')}
        onConfirm={() => publish.mutate()}
        loading={publish.isPending}
      >
        {t('council.results.publish')}
      </ConfirmButton>
      {publish.isError && <ErrorState error={publish.error} />}
      {publish.data && (
        <Alert color="ocop" role="status">
          {publish.data.published > 0
            ? t('council.results.publishedCount', { count: publish.data.published })
            : t('council.results.publishedNone')}
        </Alert>
      )}
    </Stack>
  );
}

function Minutes({ cycleId }: { cycleId: string }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="minutes">
      <Title order={2} size="h4" id="minutes">
        {t('council.minutes.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('council.minutes.intro')}
      </Text>
      <Group gap="sm">
        <Button component="a" href={cycleMinutesUrl(cycleId, 'xlsx')} download variant="outline">
          {t('council.minutes.cycleXlsx')}
        </Button>
        <Button component="a" href={cycleMinutesUrl(cycleId, 'pdf')} download variant="outline">
          {t('council.minutes.cyclePdf')}
        </Button>
      </Group>
    </Paper>
  );
}

function ResultFlags({ row }: { row: ResultRow }) {
  const { t } = useTranslation();
  const levelName = useLevelName();
  return (
    <Group gap={4}>
      {row.outlierCount > 0 && (
        <FlagBadge color="orange">{t('council.results.outliers', { count: row.outlierCount })}</FlagBadge>
      )}
      {row.levelDecision.forwardsTo && (
        <FlagBadge color="blue">
          {t('council.results.forwardedTo', { level: levelName(row.levelDecision.forwardsTo) })}
        </FlagBadge>
      )}
      <FlagBadge color={row.publishedAt ? 'ocop' : 'gray'}>
        {row.publishedAt ? t('council.results.published') : t('council.results.unpublished')}
      </FlagBadge>
    </Group>
  );
}

function ResultsTable({ rows, registry }: { rows: ResultRow[]; registry: boolean }) {
  const { t } = useTranslation();
  const columns: Column<ResultRow>[] = [
    {
      key: 'product',
      header: t('council.results.product'),
      primary: true,
      render: (r) => (
        <Anchor component={Link} to={`/evaluation/dossiers/${r.dossierId}`} fw={600}>
          {r.productName}
        </Anchor>
      ),
    },
    ...(registry
      ? [
          {
            key: 'subject',
            header: t('council.results.subject'),
            render: (r: ResultRow) => (
              <Anchor component={Link} to={`/subjects/${r.subjectId}`} size="sm">
                {t('council.results.viewSubject')}
              </Anchor>
            ),
          },
        ]
      : []),
    { key: 'score', header: t('council.results.score'), render: (r) => <Score value={r.score} /> },
    { key: 'star', header: t('council.results.star'), render: (r) => <Stars count={r.finalStar} /> },
    { key: 'state', header: t('council.results.state'), render: (r) => <DossierStateText state={r.state} /> },
    {
      key: 'validity',
      header: t('council.results.validity'),
      render: (r) => (
        <Stack gap={0}>
          <Text size="sm" fw={600}>
            {r.valid ? t('council.results.valid') : t('council.results.invalid')}
          </Text>
          <Text size="xs">
            {t(`council.outcome.${r.outcome}` as 'council.outcome.invalid', { defaultValue: r.outcome })} ·{' '}
            {t('council.results.sheets', { count: r.sheetCount })}
          </Text>
        </Stack>
      ),
    },
    { key: 'flags', header: t('council.results.flags'), render: (r) => <ResultFlags row={r} /> },
    {
      key: 'minutes',
      header: t('council.results.minutes'),
      render: (r) => (
        <Group gap="xs" wrap="nowrap">
          <Anchor
            href={dossierMinutesUrl(r.dossierId, 'xlsx')}
            download
            aria-label={t('council.minutes.dossierXlsx', { name: r.productName })}
          >
            {t('council.minutes.xlsx')}
          </Anchor>
          <Anchor
            href={dossierMinutesUrl(r.dossierId, 'pdf')}
            download
            aria-label={t('council.minutes.dossierPdf', { name: r.productName })}
          >
            {t('council.minutes.pdf')}
          </Anchor>
        </Group>
      ),
    },
  ];
  return (
    <DataTable
      label={t('council.results.table')}
      rows={rows}
      columns={columns}
      rowKey={(r) => r.dossierId}
      total={rows.length}
      page={1}
      pageSize={Math.max(1, rows.length)}
      onPageChange={() => {}}
    />
  );
}

function Forwarded({ cycleId }: { cycleId: string }) {
  const { t } = useTranslation();
  const levelName = useLevelName();
  const forwarded = useForwarded(cycleId);
  const columns: Column<ResultRow>[] = [
    {
      key: 'product',
      header: t('council.results.product'),
      primary: true,
      render: (r) => (
        <Anchor component={Link} to={`/evaluation/dossiers/${r.dossierId}`}>
          {r.productName}
        </Anchor>
      ),
    },
    { key: 'score', header: t('council.results.score'), render: (r) => <Score value={r.score} /> },
    { key: 'star', header: t('council.results.star'), render: (r) => <Stars count={r.finalStar} /> },
    {
      key: 'to',
      header: t('council.forwarded.to'),
      render: (r) => (r.levelDecision.forwardsTo ? levelName(r.levelDecision.forwardsTo) : ''),
    },
  ];
  return (
    <section aria-labelledby="forwarded">
      <Title order={2} size="h3" id="forwarded">
        {t('council.forwarded.title')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('council.forwarded.intro')}
      </Text>
      {forwarded.isPending ? (
        <LoadingState />
      ) : forwarded.isError ? (
        <ErrorState error={forwarded.error} onRetry={() => void forwarded.refetch()} />
      ) : forwarded.data.items.length === 0 ? (
        <Text c="dimmed">{t('council.forwarded.empty')}</Text>
      ) : (
        <DataTable
          label={t('council.forwarded.title')}
          rows={forwarded.data.items}
          columns={columns}
          rowKey={(r) => r.dossierId}
          total={forwarded.data.items.length}
          page={1}
          pageSize={Math.max(1, forwarded.data.items.length)}
          onPageChange={() => {}}
        />
      )}
    </section>
  );
}

function Decisions({ cycleId }: { cycleId: string }) {
  const { t } = useTranslation();
  const decisions = useDecisions(cycleId);
  const columns: Column<Decision>[] = [
    {
      key: 'number',
      header: t('council.decisions.number'),
      primary: true,
      render: (d) => (
        <Anchor component={Link} to={`/evaluation/decisions/${d.id}`} fw={600}>
          {d.number}
        </Anchor>
      ),
    },
    { key: 'date', header: t('council.decisions.date'), render: (d) => formatDate(d.decisionDate) },
    {
      key: 'signer',
      header: t('council.decisions.signer'),
      render: (d) => `${d.signerName}, ${d.signerTitle}`,
    },
    { key: 'products', header: t('council.decisions.products'), render: (d) => d.items.length },
  ];
  return (
    <section aria-labelledby="decisions">
      <Title order={2} size="h3" id="decisions" mb="sm">
        {t('council.decisions.title')}
      </Title>
      {decisions.isPending ? (
        <LoadingState />
      ) : decisions.isError ? (
        <ErrorState error={decisions.error} onRetry={() => void decisions.refetch()} />
      ) : decisions.data.items.length === 0 ? (
        <Text c="dimmed">{t('council.decisions.empty')}</Text>
      ) : (
        <DataTable
          label={t('council.decisions.title')}
          rows={decisions.data.items}
          columns={columns}
          rowKey={(d) => d.id}
          total={decisions.data.items.length}
          page={1}
          pageSize={Math.max(1, decisions.data.items.length)}
          onPageChange={() => {}}
        />
      )}
    </section>
  );
}
