import { Alert, Anchor, Button, Group, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useCurrentUser } from '../../auth';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { type Decision, useCertificates, useDecision, useIssueForDecision } from '../../data/certificates';
import { CertificateStatusBadge, formatLegalDate, Stars } from './parts';

type Item = Decision['items'][number];

/** Mirrors the rule of POST /certificates/from-decision: the ministry's decisions by administrators only. */
function canIssue(user: { role: string; provinceCode: string | null }, decision: Decision): boolean {
  if (user.role === 'system_admin') return true;
  return (
    user.role === 'province_officer' &&
    decision.issuerCode !== 'central' &&
    user.provinceCode === decision.issuerCode
  );
}

/**
 * A recognition decision's products and their certificates: each row shows the certificate issued
 * under this decision (with a link), and province staff issue the missing ones in one step — with
 * the decision's number, date and star and the cycle's rule-set; repeating it issues nothing twice.
 */
export function IssueFromDecision({ decisionId, onClose }: { decisionId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const decision = useDecision(decisionId);
  const issue = useIssueForDecision(decisionId);
  if (decision.isPending) return <LoadingState />;
  if (decision.isError) return <ErrorState error={decision.error} onRetry={() => void decision.refetch()} />;
  const d = decision.data;
  const created = issue.data?.items.filter((i) => i.created).length ?? 0;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="decision-title">
      <Group justify="space-between" align="flex-start" mb="sm">
        <Stack gap={2}>
          <Title order={2} size="h3" id="decision-title">
            {t('certificates.decision.title', { number: d.number })}
          </Title>
          <Text size="sm" c="dimmed">
            {t('certificates.decision.subtitle', {
              date: formatLegalDate(d.decisionDate),
              signer: `${d.signerTitle} ${d.signerName}`,
            })}
          </Text>
          <Anchor component={Link} to={`/evaluation/decisions/${d.id}`} size="sm">
            {t('certificates.decision.open')}
          </Anchor>
        </Stack>
        <Button variant="subtle" size="compact-sm" onClick={onClose}>
          {t('certificates.decision.hide')}
        </Button>
      </Group>
      {issue.isSuccess && (
        <Alert color="ocop" role="status" mb="sm">
          {t('certificates.decision.issued', {
            created,
            existing: (issue.data?.items.length ?? 0) - created,
          })}
        </Alert>
      )}
      {issue.isError && <ErrorState error={issue.error} />}
      <Table.ScrollContainer minWidth={480}>
        <Table aria-labelledby="decision-title" verticalSpacing="xs">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('certificates.product')}</Table.Th>
              <Table.Th scope="col">{t('certificates.star')}</Table.Th>
              <Table.Th scope="col">{t('certificates.decision.certificate')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {d.items.map((item) => (
              <DecisionItemRow key={item.dossierId} decision={d} item={item} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      {canIssue(user, d) && (
        <Group mt="sm">
          <Button onClick={() => issue.mutate()} loading={issue.isPending}>
            {t('certificates.decision.issueAll')}
          </Button>
          <Text size="sm" c="dimmed">
            {t('certificates.decision.issueAllHint')}
          </Text>
        </Group>
      )}
    </Paper>
  );
}

function DecisionItemRow({ decision, item }: { decision: Decision; item: Item }) {
  const { t } = useTranslation();
  const existing = useCertificates({ productId: item.productId, page: 1, pageSize: 20 });
  const issued = existing.data?.items.find((c) => c.decisionNumber === decision.number);
  return (
    <Table.Tr>
      <Table.Td>
        <Anchor component={Link} to={`/products/${item.productId}`}>
          {item.productName}
        </Anchor>
      </Table.Td>
      <Table.Td>
        <Stars star={item.star} />
      </Table.Td>
      <Table.Td>
        {existing.isPending ? (
          <Text size="sm">{t('common.loading')}</Text>
        ) : issued ? (
          <Group gap="xs">
            <Anchor component={Link} to={`/certificates/${issued.id}`}>
              {issued.number}
            </Anchor>
            <CertificateStatusBadge status={issued.status} />
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('certificates.decision.notIssued')}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}
