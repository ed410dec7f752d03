import { Alert, Anchor, Button, Group, Paper, Stack, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { canSeeRegistry, isOfficer, useCurrentUser } from '../../auth';
import { type Column, DataTable } from '../../components/DataTable';
import { Details } from '../../components/Details';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStates';
import { useLocationNotice } from '../../components/RecordHeader';
import { UnitCodeName } from '../../components/UnitName';
import { type Decision, useCycle, useDecision } from '../../data/council';
import { formatDate, formatDateTime } from '../../format';
import { usePageTitle } from '../../usePageTitle';
import { Stars } from './shared';

type Item = Decision['items'][number];

/** /evaluation/decisions/:id — one recognition decision, the input of its products' certificates. */
export function DecisionPage() {
  const { id } = useParams();
  const decision = useDecision(id);
  if (decision.isPending) return <LoadingState />;
  if (decision.isError) return <ErrorState error={decision.error} onRetry={() => void decision.refetch()} />;
  return <DecisionView decision={decision.data} />;
}

function DecisionView({ decision }: { decision: Decision }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const notice = useLocationNotice();
  const cycle = useCycle(decision.cycleId);
  const title = t('council.decision.title', { number: decision.number });
  usePageTitle(title);
  const registry = canSeeRegistry(user.role);

  const columns: Column<Item>[] = [
    {
      key: 'product',
      header: t('council.decision.product'),
      primary: true,
      render: (item) =>
        registry ? (
          <Anchor component={Link} to={`/products/${item.productId}`} fw={600}>
            {item.productName}
          </Anchor>
        ) : (
          item.productName
        ),
    },
    { key: 'star', header: t('council.decision.star'), render: (item) => <Stars count={item.star} /> },
    {
      key: 'dossier',
      header: t('council.decision.dossier'),
      render: (item) => (
        <Anchor
          component={Link}
          to={`/evaluation/dossiers/${item.dossierId}`}
          aria-label={`${t('council.decision.openDossier')}: ${item.productName}`}
        >
          {t('council.decision.openDossier')}
        </Anchor>
      ),
    },
  ];

  return (
    <Stack gap="md">
      {notice && (
        <Alert color="ocop" role="status">
          {notice}
        </Alert>
      )}
      <Group justify="space-between" align="flex-start">
        <Title order={1}>{title}</Title>
        {isOfficer(user.role) && (
          <Button component={Link} to={`/certificates?decision=${decision.id}`} variant="outline">
            {t('council.decision.certificates')}
          </Button>
        )}
      </Group>
      <Paper withBorder p="md">
        <Details
          items={[
            { label: t('council.decisions.number'), value: decision.number },
            { label: t('council.decisions.date'), value: formatDate(decision.decisionDate) },
            {
              label: t('council.decisions.signer'),
              value: `${decision.signerName}, ${decision.signerTitle}`,
            },
            {
              label: t('council.decision.issuer'),
              value:
                decision.issuerCode === 'central' ? (
                  t('council.decision.central')
                ) : (
                  <UnitCodeName level="province" code={decision.issuerCode} />
                ),
            },
            {
              label: t('council.decision.cycle'),
              value: (
                <Anchor component={Link} to={`/evaluation/cycles/${decision.cycleId}`}>
                  {cycle.data?.name ?? t('council.decision.openCycle')}
                </Anchor>
              ),
            },
            { label: t('council.decision.createdAt'), value: formatDateTime(decision.createdAt) },
          ]}
        />
      </Paper>
      <section aria-labelledby="decision-items">
        <Title order={2} size="h3" id="decision-items" mb="sm">
          {t('council.decision.items')}
        </Title>
        {decision.items.length === 0 ? (
          <EmptyState title={t('state.emptyTitle')} />
        ) : (
          <DataTable
            label={t('council.decision.items')}
            rows={decision.items}
            columns={columns}
            rowKey={(item) => item.dossierId}
            total={decision.items.length}
            page={1}
            pageSize={Math.max(1, decision.items.length)}
            onPageChange={() => {}}
          />
        )}
      </section>
    </Stack>
  );
}
