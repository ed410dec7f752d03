import { Alert, Anchor, Button, Group, Input, List, Paper, Radio, Stack, Text, Title } from '@mantine/core';
import { type FormEvent, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isAdmin, useCurrentUser } from '../../auth';
import { type Column, DataTable } from '../../components/DataTable';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStates';
import {
  criteriaUrls,
  type ImportOutcome,
  isWorkbookFile,
  type RuleSetRow,
  type SheetRow,
  UnreadableFileError,
  useImportCriteria,
  useLoadShipped,
  useRuleSets,
  useSheets,
  type WorkbookKind,
} from '../../data/criteria';
import { usePageTitle } from '../../usePageTitle';
import { DemoBadge, DocumentStatusBadge, ProblemList, ProblemSummary, useLocalText } from './shared';

function ImportResult({ outcome }: { outcome: ImportOutcome }) {
  const { t } = useTranslation();
  const text = useLocalText();
  const stored = (created: boolean) =>
    created ? t('criteria.import.created') : t('criteria.import.unchanged');
  if (outcome.kind === 'sheet') {
    return (
      <Stack gap="xs" role="status">
        <Text>
          {stored(outcome.created)}{' '}
          <Anchor component={Link} to={`/criteria/sheets/${outcome.sheet.id}`}>
            {text(outcome.sheet.title)} ({t('criteria.revisionValue', { revision: outcome.sheet.revision })})
          </Anchor>
        </Text>
        <ProblemList problems={outcome.sheet.problems} locations={outcome.locations} />
      </Stack>
    );
  }
  if (outcome.kind === 'ruleSet') {
    return (
      <Stack gap="xs" role="status">
        <Text>
          {stored(outcome.created)}{' '}
          <Anchor component={Link} to={`/criteria/rule-sets/${outcome.ruleSet.id}`}>
            {text(outcome.ruleSet.name)} (
            {t('criteria.revisionValue', { revision: outcome.ruleSet.revision })})
          </Anchor>
        </Text>
        <ProblemList problems={outcome.ruleSet.problems} locations={outcome.locations} />
      </Stack>
    );
  }
  return (
    <Stack gap="xs" role="status">
      {[
        {
          key: outcome.ruleSet.ruleSet.id,
          created: outcome.ruleSet.created,
          record: outcome.ruleSet.ruleSet,
          to: `/criteria/rule-sets/${outcome.ruleSet.ruleSet.id}`,
          label: text(outcome.ruleSet.ruleSet.name),
        },
        ...outcome.sheets.map((s) => ({
          key: s.sheet.id,
          created: s.created,
          record: s.sheet,
          to: `/criteria/sheets/${s.sheet.id}`,
          label: text(s.sheet.title),
        })),
      ].map((item) => (
        <Stack key={item.key} gap={4}>
          <Text>
            {stored(item.created)}{' '}
            <Anchor component={Link} to={item.to}>
              {item.label}
            </Anchor>
          </Text>
          <ProblemList problems={item.record.problems} />
        </Stack>
      ))}
    </Stack>
  );
}

/** Import of a JSON document (rule-set, sheet or bundle) or a sheet or rule-set workbook, with every problem shown. */
function ImportPanel() {
  const { t } = useTranslation();
  const inputId = useId();
  const [file, setFile] = useState<File | null>(null);
  const [workbookKind, setWorkbookKind] = useState<WorkbookKind>('sheet');
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const feedback = useFormFeedback();
  const importing = useImportCriteria();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setOutcome(null);
    if (!file) {
      feedback.setClientErrors({ file: t('criteria.import.noFile') });
      return;
    }
    feedback.reset();
    importing.mutate(
      { file, workbookKind },
      {
        onSuccess: setOutcome,
        onError: (error) =>
          feedback.setError(
            error instanceof UnreadableFileError
              ? new Error(t('criteria.import.unreadable', { name: error.message }))
              : error,
          ),
      },
    );
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`${inputId}-title`}>
      <Title order={2} size="h3" id={`${inputId}-title`} mb="xs">
        {t('criteria.import.title')}
      </Title>
      <form onSubmit={submit} noValidate>
        <Stack gap="sm">
          <FormAlert feedback={feedback} shownFields={['file']} />
          <Input.Wrapper
            label={t('criteria.import.file')}
            description={t('criteria.import.hint')}
            error={feedback.fieldError('file')}
            id={inputId}
          >
            <input
              id={inputId}
              type="file"
              accept=".json,.xlsx,application/json"
              onChange={(event) => {
                setFile(event.currentTarget.files?.[0] ?? null);
                feedback.clearField('file');
              }}
              style={{ display: 'block', marginTop: 4, maxWidth: '100%' }}
            />
          </Input.Wrapper>
          {file && isWorkbookFile(file) && (
            <Radio.Group
              label={t('criteria.import.workbookKind')}
              value={workbookKind}
              onChange={(value) => setWorkbookKind(value === 'ruleSet' ? 'ruleSet' : 'sheet')}
            >
              <Group gap="md" mt={4}>
                <Radio value="sheet" label={t('criteria.import.workbookKinds.sheet')} />
                <Radio value="ruleSet" label={t('criteria.import.workbookKinds.ruleSet')} />
              </Group>
            </Radio.Group>
          )}
          <Group gap="sm">
            <Button type="submit" loading={importing.isPending}>
              {t('criteria.import.submit')}
            </Button>
            <Anchor href={criteriaUrls.sheetTemplate} download>
              {t('criteria.import.template')}
            </Anchor>
            <Anchor href={criteriaUrls.ruleSetTemplate} download>
              {t('criteria.import.ruleSetTemplate')}
            </Anchor>
          </Group>
          {outcome && <ImportResult outcome={outcome} />}
        </Stack>
      </form>
    </Paper>
  );
}

function LoadShipped() {
  const { t } = useTranslation();
  const load = useLoadShipped();
  return (
    <Stack gap="xs" align="flex-start">
      <Button variant="outline" loading={load.isPending} onClick={() => load.mutate(undefined)}>
        {t('criteria.loadShipped')}
      </Button>
      <Text size="sm" c="dimmed">
        {t('criteria.loadShippedHint')}
      </Text>
      {load.isSuccess && (
        <Alert color="ocop" role="status">
          {t('criteria.loadShippedDone', {
            ruleSets: load.data.ruleSets.filter((r) => r.created).length,
            sheets: load.data.sheets.filter((s) => s.created).length,
          })}
        </Alert>
      )}
      {load.isError && <ErrorState error={load.error} />}
    </Stack>
  );
}

function RuleSetList() {
  const { t } = useTranslation();
  const text = useLocalText();
  const list = useRuleSets();
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  const items = list.data.items;
  if (!items.length) return <EmptyState title={t('criteria.emptyRuleSets')} />;
  const columns: Column<RuleSetRow>[] = [
    {
      key: 'name',
      header: t('criteria.name'),
      primary: true,
      render: (r) => (
        <Anchor component={Link} to={`/criteria/rule-sets/${r.id}`} fw={600}>
          {text(r.name)}
        </Anchor>
      ),
    },
    {
      key: 'code',
      header: t('criteria.code'),
      render: (r) => `${r.code} · ${t('criteria.revisionValue', { revision: r.revision })}`,
    },
    { key: 'basis', header: t('criteria.legalBasis'), render: (r) => r.legalBasis.join('; ') },
    {
      key: 'inForce',
      header: t('criteria.inForce'),
      render: (r) =>
        r.inForce.to
          ? t('criteria.inForceValue', { from: r.inForce.from, to: r.inForce.to })
          : t('criteria.inForceOpen', { from: r.inForce.from }),
    },
    { key: 'status', header: t('criteria.status'), render: (r) => <DocumentStatusBadge status={r.status} /> },
    {
      key: 'problems',
      header: t('criteria.problems'),
      render: (r) => <ProblemSummary errorCount={r.errorCount} warningCount={r.warningCount} />,
    },
  ];
  return (
    <DataTable
      label={t('criteria.ruleSets')}
      rows={items}
      columns={columns}
      rowKey={(r) => r.id}
      total={items.length}
      page={1}
      pageSize={Math.max(1, items.length)}
      onPageChange={() => {}}
    />
  );
}

function SheetList() {
  const { t } = useTranslation();
  const text = useLocalText();
  const list = useSheets();
  if (list.isPending) return <LoadingState />;
  if (list.isError) return <ErrorState error={list.error} onRetry={() => list.refetch()} />;
  const items = list.data.items;
  if (!items.length) return <EmptyState title={t('criteria.emptySheets')} />;
  const columns: Column<SheetRow>[] = [
    {
      key: 'title',
      header: t('criteria.sheetTitle'),
      primary: true,
      render: (s) => (
        <Stack gap={4} align="flex-start">
          <Anchor component={Link} to={`/criteria/sheets/${s.id}`} fw={600}>
            {text(s.title)}
          </Anchor>
          {s.demo && <DemoBadge />}
        </Stack>
      ),
    },
    {
      key: 'code',
      header: t('criteria.code'),
      render: (s) => `${s.code} · ${t('criteria.revisionValue', { revision: s.revision })}`,
    },
    { key: 'ruleSet', header: t('criteria.ruleSet'), render: (s) => s.ruleSetCode },
    {
      key: 'productSet',
      header: t('criteria.productSet'),
      render: (s) => `${s.productSet.code} — ${text(s.productSet.name)}`,
    },
    { key: 'status', header: t('criteria.status'), render: (s) => <DocumentStatusBadge status={s.status} /> },
    {
      key: 'problems',
      header: t('criteria.problems'),
      render: (s) => <ProblemSummary errorCount={s.errorCount} warningCount={s.warningCount} />,
    },
  ];
  return (
    <DataTable
      label={t('criteria.sheets')}
      rows={items}
      columns={columns}
      rowKey={(s) => s.id}
      total={items.length}
      page={1}
      pageSize={Math.max(1, items.length)}
      onPageChange={() => {}}
    />
  );
}

/** /criteria: the rule-set versions and scoring sheets; administrators load and import them. */
export function CriteriaPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  usePageTitle(t('criteria.title'));
  const admin = isAdmin(user.role);
  return (
    <Stack gap="lg">
      <Stack gap={4}>
        <Title order={1}>{t('criteria.title')}</Title>
        <Text c="dimmed">{t('criteria.intro')}</Text>
      </Stack>
      {admin && (
        <Stack gap="md">
          <LoadShipped />
          <ImportPanel />
        </Stack>
      )}
      <Stack gap="xs" component="section" aria-labelledby="criteria-rule-sets">
        <Title order={2} size="h3" id="criteria-rule-sets">
          {t('criteria.ruleSets')}
        </Title>
        <RuleSetList />
      </Stack>
      <Stack gap="xs" component="section" aria-labelledby="criteria-sheets">
        <Title order={2} size="h3" id="criteria-sheets">
          {t('criteria.sheets')}
        </Title>
        <SheetList />
        <List size="sm" c="dimmed">
          <List.Item>{t('criteria.demoNote')}</List.Item>
        </List>
      </Stack>
    </Stack>
  );
}
