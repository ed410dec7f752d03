import {
  Alert,
  Anchor,
  Button,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ISSUE_KINDS, type IssueKind } from '../../../modules/certificates/rules';
import { isProvinceStaff, useCurrentUser } from '../../auth';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { useProvince } from '../../data/adminUnits';
import {
  type Decision,
  useCertificateMeta,
  useCertificates,
  useCycle,
  useDecision,
  useIssueCertificate,
} from '../../data/certificates';
import { pickLabel, useLanguage } from '../../i18n';
import { formatLegalDate, Stars } from './parts';

type Item = Decision['items'][number];

/**
 * A recognition decision's products, for issuing their certificates: each row says whether a
 * certificate under this decision exists already (with a link) or, for province staff, offers to
 * issue it with the decision's number, date, star and the cycle's rule-set filled in.
 */
export function IssueFromDecision({ decisionId, onClose }: { decisionId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const decision = useDecision(decisionId);
  const cycle = useCycle(decision.data?.cycleId);
  if (decision.isPending) return <LoadingState />;
  if (decision.isError) return <ErrorState error={decision.error} onRetry={() => void decision.refetch()} />;
  const d = decision.data;
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
      {cycle.isError && <ErrorState error={cycle.error} onRetry={() => void cycle.refetch()} />}
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
              <DecisionItemRow
                key={item.dossierId}
                decision={d}
                item={item}
                ruleSetCode={cycle.data?.ruleSet.code}
              />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Paper>
  );
}

function DecisionItemRow({
  decision,
  item,
  ruleSetCode,
}: {
  decision: Decision;
  item: Item;
  ruleSetCode: string | undefined;
}) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const existing = useCertificates({ productId: item.productId, page: 1, pageSize: 20 });
  const issued = existing.data?.items.find((c) => c.decisionNumber === decision.number);
  const [opened, setOpened] = useState(false);
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
          <Anchor component={Link} to={`/certificates/${issued.id}`}>
            {issued.number}
          </Anchor>
        ) : isProvinceStaff(user.role) && ruleSetCode ? (
          <>
            <Button size="compact-sm" onClick={() => setOpened(true)}>
              {t('certificates.decision.issue')}
            </Button>
            {opened && (
              <IssueModal
                decision={decision}
                item={item}
                ruleSetCode={ruleSetCode}
                onClose={() => setOpened(false)}
              />
            )}
          </>
        ) : (
          <Text size="sm" c="dimmed">
            {t('certificates.decision.notIssued')}
          </Text>
        )}
      </Table.Td>
    </Table.Tr>
  );
}

const FIELDS = ['issueKind', 'issuer.name', 'issuer.level', 'number', 'validFrom', 'validTo'] as const;

function IssueModal({
  decision,
  item,
  ruleSetCode,
  onClose,
}: {
  decision: Decision;
  item: Item;
  ruleSetCode: string;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const meta = useCertificateMeta();
  const central = decision.issuerCode === 'central';
  const province = useProvince(central ? null : decision.issuerCode);
  const issue = useIssueCertificate();
  const feedback = useFormFeedback();
  const defaultIssuer = central
    ? t('certificates.decision.centralIssuer')
    : province.data
      ? `${t('certificates.decision.provinceIssuerPrefix')} ${province.data.name.charAt(0).toLowerCase()}${province.data.name.slice(1)}`
      : '';
  const [issuerName, setIssuerName] = useState<string | null>(null);
  const [issueKind, setIssueKind] = useState<IssueKind>('new');
  const [number, setNumber] = useState('');

  const submit = () => {
    const name = (issuerName ?? defaultIssuer).trim();
    if (!name) {
      feedback.setClientErrors({ 'issuer.name': t('certificates.required') });
      return;
    }
    feedback.reset();
    issue.mutate(
      {
        productId: item.productId,
        star: item.star as 3 | 4 | 5,
        ruleSetCode,
        issueKind,
        issuer: { name, level: central ? 'central' : 'province' },
        decisionNumber: decision.number,
        decisionDate: decision.decisionDate,
        ...(number.trim() ? { number: number.trim() } : {}),
      },
      { onSuccess: onClose, onError: feedback.setError },
    );
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('certificates.decision.issueTitle', { name: item.productName })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <Stack gap="sm">
          <FormAlert feedback={feedback} shownFields={FIELDS} />
          <Alert color="blue" role="note">
            {t('certificates.decision.prefilled', {
              number: decision.number,
              date: formatLegalDate(decision.decisionDate),
              star: item.star,
              ruleSet: ruleSetCode,
            })}
          </Alert>
          <Select
            label={t('certificates.issueKind')}
            data={ISSUE_KINDS.map((k) => ({
              value: k,
              label: pickLabel(meta.data?.issueKinds.find((x) => x.code === k)?.label, language) || k,
            }))}
            value={issueKind}
            onChange={(v) => v && setIssueKind(v as IssueKind)}
            allowDeselect={false}
            error={feedback.fieldError('issueKind')}
          />
          <TextInput
            label={t('certificates.issuer')}
            required
            value={issuerName ?? defaultIssuer}
            onChange={(e) => {
              setIssuerName(e.currentTarget.value);
              feedback.clearField('issuer.name');
            }}
            error={feedback.fieldError('issuer.name') ?? feedback.fieldError('issuer.level')}
          />
          <TextInput
            label={t('certificates.numberOnPaper')}
            description={t('certificates.numberOnPaperHint')}
            value={number}
            onChange={(e) => {
              setNumber(e.currentTarget.value);
              feedback.clearField('number');
            }}
            error={feedback.fieldError('number')}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={issue.isPending}>
              {t('certificates.decision.issue')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
