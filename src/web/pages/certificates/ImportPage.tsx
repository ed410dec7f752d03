import {
  Alert,
  Anchor,
  Badge,
  Button,
  Checkbox,
  Group,
  List,
  Paper,
  Progress,
  SegmentedControl,
  Select,
  SimpleGrid,
  Stack,
  Stepper,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { IMPORT_FIELDS, type ImportField, REQUIRED_FIELDS } from '../../../modules/imports/rules';
import { compareVietnamese } from '../../../shared/text';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { EmptyState, ErrorState, errorMessage, LoadingState } from '../../components/PageStates';
import { useCommunes } from '../../data/adminUnits';
import {
  type ImportJob,
  type Question,
  type Report,
  type ReportRow,
  useChooseSheet,
  useCommit,
  useDecideRow,
  useDecideValue,
  useDryRun,
  useImport,
  usePreview,
  useReport,
  useSetMapping,
} from '../../data/imports';
import { useProductMeta } from '../../data/products';
import { categoriesOf, schemeOf } from '../../data/taxonomy';
import { formatDateTime, formatNumber } from '../../format';
import { pickLabel, useLanguage } from '../../i18n';
import { usePageTitle } from '../../usePageTitle';
import { ImportStatusBadge, RowStatusBadge } from './importParts';

type Step = 'mapping' | 'preview' | 'report' | 'result';
const STEPS: readonly Step[] = ['mapping', 'preview', 'report', 'result'];

/** Where an import resumes: the step its record is at. */
export function stepOf(job: Pick<ImportJob, 'status'>): Step {
  if (job.status === 'committed') return 'result';
  if (job.status === 'checked' || job.status === 'failed' || job.status === 'committing') return 'report';
  return 'mapping';
}

/** /imports/:id: one import, step by step — map columns, preview, dry run and decisions, commit, result. */
export function ImportPage() {
  const { id } = useParams();
  const [polling, setPolling] = useState(false);
  const job = useImport(id, polling);
  if (job.isPending) return <LoadingState />;
  if (job.isError) return <ErrorState error={job.error} onRetry={() => void job.refetch()} />;
  return <ImportWizard job={job.data} onWorking={setPolling} />;
}

function ImportWizard({ job, onWorking }: { job: ImportJob; onWorking: (working: boolean) => void }) {
  const { t } = useTranslation();
  usePageTitle(t('certificates.imports.jobTitle', { file: job.fileName }));
  const [step, setStep] = useState<Step>(() => stepOf(job));
  // A commit or dry run done elsewhere (another tab) moves the page on when the record says so.
  useEffect(() => {
    if (job.status === 'committed') setStep('result');
  }, [job.status]);

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <Title order={1} style={{ overflowWrap: 'anywhere' }}>
          {t('certificates.imports.jobTitle', { file: job.fileName })}
        </Title>
        <Group gap="xs">
          <ImportStatusBadge status={job.status} />
          <Text size="sm" c="dimmed">
            {t('certificates.imports.jobFacts', {
              rows: job.totalRows,
              sheet: job.sheetName || '—',
              date: formatDateTime(job.createdAt),
            })}
          </Text>
        </Group>
        <Anchor component={Link} to="/imports" size="sm">
          {t('certificates.imports.backToList')}
        </Anchor>
      </Stack>
      <Stepper
        active={STEPS.indexOf(step) + 1}
        size="sm"
        allowNextStepsSelect={false}
        aria-label={t('certificates.imports.steps')}
      >
        <Stepper.Step label={t('certificates.imports.step.upload')} />
        <Stepper.Step label={t('certificates.imports.step.mapping')} />
        <Stepper.Step label={t('certificates.imports.step.preview')} />
        <Stepper.Step label={t('certificates.imports.step.report')} />
        <Stepper.Step label={t('certificates.imports.step.commit')} />
      </Stepper>
      {step === 'mapping' && (
        // Another sheet brings its own header and mapping: the form starts again from them.
        <MappingStep key={job.sheetName} job={job} onDone={() => setStep('preview')} />
      )}
      {step === 'preview' && (
        <PreviewStep
          job={job}
          onBack={() => setStep('mapping')}
          onChecked={() => setStep('report')}
          onWorking={onWorking}
        />
      )}
      {step === 'report' && (
        <ReportStep job={job} onMapping={() => setStep('mapping')} onWorking={onWorking} />
      )}
      {step === 'result' && <ResultStep job={job} />}
    </Stack>
  );
}

// ---------------------------------------------------------------- mapping

function SheetChoice({ job, disabled }: { job: ImportJob; disabled: boolean }) {
  const { t } = useTranslation();
  const choose = useChooseSheet(job.id);
  const feedback = useFormFeedback();
  return (
    <Stack gap={4} mb="sm">
      <FormAlert feedback={feedback} shownFields={['sheetName']} />
      <Select
        label={t('certificates.imports.sheet')}
        description={t('certificates.imports.sheetHint')}
        data={job.sheetNames}
        value={job.sheetName}
        allowDeselect={false}
        disabled={disabled || choose.isPending}
        onChange={(sheetName) => {
          if (!sheetName || sheetName === job.sheetName) return;
          feedback.reset();
          choose.mutate({ sheetName }, { onError: feedback.setError });
        }}
        error={feedback.fieldError('sheetName')}
        maw={360}
      />
    </Stack>
  );
}

function MappingStep({ job, onDone }: { job: ImportJob; onDone: () => void }) {
  const { t } = useTranslation();
  const save = useSetMapping(job.id);
  const feedback = useFormFeedback();
  const committed = job.status === 'committed';
  const [mapping, setMapping] = useState<Partial<Record<ImportField, number>>>(() => ({ ...job.mapping }));
  const [remember, setRemember] = useState(true);
  const columns = job.headers.map((header, index) => ({
    value: String(index),
    label: `${columnName(index)} · ${header || t('certificates.imports.noHeader')}`,
  }));

  const submit = () => {
    const errors: Record<string, string> = {};
    for (const field of REQUIRED_FIELDS)
      if (mapping[field] === undefined) errors[`mapping.${field}`] = t('certificates.required');
    if (Object.keys(errors).length) {
      feedback.setClientErrors(errors);
      return;
    }
    feedback.reset();
    save.mutate({ mapping, remember }, { onSuccess: onDone, onError: feedback.setError });
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="mapping-title">
      <Title order={2} size="h3" id="mapping-title" mb="xs">
        {t('certificates.imports.step.mapping')}
      </Title>
      {job.sheetNames.length > 1 && <SheetChoice job={job} disabled={committed} />}
      <Text size="sm" mb="sm">
        {job.fromTemplate ? t('certificates.imports.fromTemplate') : t('certificates.imports.suggested')}
      </Text>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack gap="sm">
          <FormAlert feedback={feedback} shownFields={IMPORT_FIELDS.map((f) => `mapping.${f}`)} />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
            {IMPORT_FIELDS.map((field) => (
              <Select
                key={field}
                label={t(`certificates.imports.fields.${field}`)}
                required={REQUIRED_FIELDS.includes(field)}
                placeholder={t('certificates.imports.notImported')}
                data={columns}
                value={mapping[field] === undefined ? null : String(mapping[field])}
                clearable
                disabled={committed}
                onChange={(v) => {
                  setMapping((m) => {
                    const next = { ...m };
                    if (v === null) delete next[field];
                    else next[field] = Number(v);
                    return next;
                  });
                  feedback.clearField(`mapping.${field}`);
                }}
                error={feedback.fieldError(`mapping.${field}`)}
              />
            ))}
          </SimpleGrid>
          <Checkbox
            label={t('certificates.imports.remember')}
            checked={remember}
            disabled={committed}
            onChange={(e) => setRemember(e.currentTarget.checked)}
          />
          <Group>
            <Button type="submit" loading={save.isPending} disabled={committed}>
              {t('certificates.imports.saveMapping')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

/** Spreadsheet column letters: 0 → A, 26 → AA. */
export function columnName(index: number): string {
  let name = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26))
    name = String.fromCharCode(65 + ((n - 1) % 26)) + name;
  return name;
}

// ---------------------------------------------------------------- preview

function PreviewStep({
  job,
  onBack,
  onChecked,
  onWorking,
}: {
  job: ImportJob;
  onBack: () => void;
  onChecked: () => void;
  onWorking: (working: boolean) => void;
}) {
  const { t } = useTranslation();
  const preview = usePreview(job.id, true);
  const dryRun = useDryRun(job.id);

  const run = () => {
    onWorking(true);
    dryRun.mutate(undefined, { onSuccess: onChecked, onSettled: () => onWorking(false) });
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="preview-title">
      <Title order={2} size="h3" id="preview-title" mb="xs">
        {t('certificates.imports.step.preview')}
      </Title>
      <Text size="sm" mb="sm">
        {t('certificates.imports.previewHint', { rows: job.totalRows })}
      </Text>
      {preview.isPending ? (
        <LoadingState />
      ) : preview.isError ? (
        <ErrorState error={preview.error} onRetry={() => void preview.refetch()} />
      ) : preview.data.rows.length === 0 ? (
        <EmptyState title={t('certificates.imports.noRows')} />
      ) : (
        <RowsTable
          label={t('certificates.imports.step.preview')}
          rows={preview.data.rows.map((r) => ({
            ...r,
            status: r.empty ? 'empty' : r.errors.length ? 'error' : r.warnings.length ? 'warning' : 'ok',
          }))}
        />
      )}
      {dryRun.isError && <ErrorState error={dryRun.error} />}
      {dryRun.isPending && <WorkingProgress job={job} label={t('certificates.imports.checking')} />}
      <Group mt="md">
        <Button variant="default" onClick={onBack} disabled={dryRun.isPending}>
          {t('certificates.imports.backToMapping')}
        </Button>
        <Button onClick={run} loading={dryRun.isPending}>
          {t('certificates.imports.runDryRun')}
        </Button>
      </Group>
    </Paper>
  );
}

/**
 * What the server reports while it works: rows done of all (the import record's counts, polled
 * each second). Until the first count arrives it says only that it is working — no invented figure.
 */
function WorkingProgress({ job, label }: { job: ImportJob; label: string }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const done = job.progress?.done ?? job.processedRows;
  const total = job.progress?.total ?? job.totalRows;
  const counting = total > 0 && done > 0 && done < total;
  const percent = counting ? Math.round((done / total) * 100) : 100;
  const left = job.progress?.secondsLeft;
  return (
    <Stack gap={4} mt="sm">
      <Progress value={percent} animated striped={!counting} aria-label={label} />
      <Text size="sm" aria-live="polite">
        {counting
          ? `${t('certificates.imports.rowsDone', {
              done: formatNumber(done, language),
              total: formatNumber(total, language),
            })}${left != null ? ` · ${t('certificates.imports.timeLeft', { seconds: formatNumber(left, language) })}` : ''}`
          : label}
      </Text>
    </Stack>
  );
}

type ShownRow = Pick<ReportRow, 'rowNumber' | 'values' | 'errors' | 'warnings' | 'status'> &
  Partial<Pick<ReportRow, 'action' | 'candidates' | 'decision' | 'communeCode' | 'matches' | 'incomplete'>>;

function RowsTable({
  label,
  rows,
  decide,
}: {
  label: string;
  rows: ShownRow[];
  decide?: (row: ShownRow) => React.ReactNode;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Table.ScrollContainer minWidth={720}>
      <Table aria-label={label} verticalSpacing="xs" striped>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('certificates.imports.row')}</Table.Th>
            <Table.Th scope="col">{t('certificates.imports.status')}</Table.Th>
            <Table.Th scope="col">{t('certificates.imports.fields.productName')}</Table.Th>
            <Table.Th scope="col">{t('certificates.imports.fields.star')}</Table.Th>
            <Table.Th scope="col">{t('certificates.imports.fields.decisionNumber')}</Table.Th>
            <Table.Th scope="col">{t('certificates.imports.fields.address')}</Table.Th>
            <Table.Th scope="col">{t('certificates.imports.problems')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.rowNumber}>
              <Table.Td>{row.rowNumber}</Table.Td>
              <Table.Td>
                <Stack gap={4} align="flex-start">
                  <RowStatusBadge status={row.status} />
                  {row.action && <Text size="xs">{t(`certificates.imports.actions.${row.action}`)}</Text>}
                </Stack>
              </Table.Td>
              <Table.Td>
                <Text size="sm">{row.values.productName}</Text>
                <Text size="xs" c="dimmed">
                  {row.values.subjectName}
                </Text>
              </Table.Td>
              <Table.Td>{row.values.star ?? ''}</Table.Td>
              <Table.Td>
                <Text size="sm">{row.values.decisionNumber}</Text>
                <Text size="xs" c="dimmed">
                  {row.values.decisionDate ?? ''}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm">
                  {[row.values.address, row.values.commune, row.values.district, row.values.province]
                    .filter(Boolean)
                    .join(', ')}
                </Text>
                {decide?.(row)}
              </Table.Td>
              <Table.Td>
                <HowRead row={row} />
                {row.errors.length + row.warnings.length === 0 ? (
                  <Text size="sm" c="dimmed">
                    {t('common.none')}
                  </Text>
                ) : (
                  <List size="sm" spacing={2}>
                    {row.errors.map((p) => (
                      <List.Item key={`e-${p.field}-${p.code}`}>
                        <Text span size="sm" c="red.7" fw={600}>
                          {t('certificates.imports.error')}:
                        </Text>{' '}
                        {pickLabel(p.message, language)}
                      </List.Item>
                    ))}
                    {row.warnings.map((p) => (
                      <List.Item key={`w-${p.field}-${p.code}`}>
                        <Text span size="sm" c="orange.7" fw={600}>
                          {t('certificates.imports.warning')}:
                        </Text>{' '}
                        {pickLabel(p.message, language)}
                      </List.Item>
                    ))}
                  </List>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

// ---------------------------------------------------------------- report, decisions, commit

const FILTERS = ['all', 'error', 'flagged', 'warning'] as const;
type Filter = (typeof FILTERS)[number];

function ReportStep({
  job,
  onMapping,
  onWorking,
}: {
  job: ImportJob;
  onMapping: () => void;
  onWorking: (working: boolean) => void;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const report = useReport(job.id, true);
  const refetchReport = report.refetch;
  // A commit that failed or was interrupted leaves the report as it was: read it again.
  useEffect(() => {
    if (job.status === 'failed') void refetchReport();
  }, [job.status, refetchReport]);
  const dryRun = useDryRun(job.id);
  const commit = useCommit(job.id);
  const [filter, setFilter] = useState<Filter>('all');
  const [skipErrors, setSkipErrors] = useState(false);

  if (report.isPending) return <LoadingState />;
  if (report.isError) return <ErrorState error={report.error} onRetry={() => void report.refetch()} />;
  const counts = report.data.job.counts;
  const rows = report.data.rows.filter(
    (r) => r.status !== 'empty' && (filter === 'all' || r.status === filter),
  );
  const errors = counts?.error ?? 0;
  const flagged = counts?.flagged ?? 0;
  const committing = job.status === 'committing';
  const blocked = flagged > 0 || (errors > 0 && !skipErrors) || committing;
  const busy = dryRun.isPending || commit.isPending || committing;

  // The commit runs as a job: the page follows the job's status (polled) to its end.
  const runCommit = () => commit.mutate({ skipRowsWithErrors: skipErrors });
  const runDryRun = () => {
    onWorking(true);
    dryRun.mutate(undefined, { onSettled: () => onWorking(false) });
  };

  return (
    <Stack gap="md">
      {job.failure && (
        <Alert
          color="red"
          role="alert"
          title={
            job.failure.interrupted
              ? t('certificates.imports.interruptedTitle')
              : t('certificates.imports.failedTitle')
          }
        >
          {job.failure.rowNumber !== null &&
            t('certificates.imports.failedRow', { row: job.failure.rowNumber })}{' '}
          {pickLabel(job.failure.message, language)}
        </Alert>
      )}
      <Paper withBorder p="md" component="section" aria-labelledby="report-title">
        <Title order={2} size="h3" id="report-title" mb="sm">
          {t('certificates.imports.step.report')}
        </Title>
        {counts && <Counts counts={counts} />}
        <Questions job={job} questions={report.data.questions} disabled={busy} />
        {report.data.subjects.length > 0 && (
          <Stack gap={4} mt="sm">
            <Title order={3} size="h5">
              {t('certificates.imports.sameSubjectTitle')}
            </Title>
            <List size="sm">
              {report.data.subjects.map((s) => (
                <List.Item key={`${s.communeCode}-${s.rowNumbers[0]}`}>
                  {t('certificates.imports.sameSubject', {
                    name: s.name,
                    commune: s.communeCode,
                    rows: s.rowNumbers.join(', '),
                  })}
                </List.Item>
              ))}
            </List>
          </Stack>
        )}
        <SegmentedControl
          mt="sm"
          value={filter}
          onChange={(v) => setFilter(v as Filter)}
          data={FILTERS.map((f) => ({ value: f, label: t(`certificates.imports.filter.${f}`) }))}
          aria-label={t('certificates.imports.filterLabel')}
        />
        <Stack mt="sm">
          {rows.length === 0 ? (
            <EmptyState title={t('certificates.imports.noRowsInFilter')} />
          ) : (
            <RowsTable
              label={t('certificates.imports.step.report')}
              rows={rows}
              decide={(row) =>
                row.status === 'flagged' || row.decision ? (
                  <RowDecision job={job} row={row as ReportRow} />
                ) : null
              }
            />
          )}
        </Stack>
      </Paper>
      <Paper withBorder p="md" component="section" aria-labelledby="commit-title">
        <Title order={2} size="h3" id="commit-title" mb="sm">
          {t('certificates.imports.step.commit')}
        </Title>
        <Stack gap="sm">
          {flagged > 0 && (
            <Text size="sm" fw={600} role="note">
              {t('certificates.imports.flaggedLeft', { n: flagged })}
            </Text>
          )}
          {errors > 0 && (
            <Checkbox
              label={t('certificates.imports.skipErrors', { n: errors })}
              checked={skipErrors}
              onChange={(e) => setSkipErrors(e.currentTarget.checked)}
            />
          )}
          {errors > 0 && !skipErrors && (
            <Text size="sm" role="note">
              {t('certificates.imports.errorsBlock')}
            </Text>
          )}
          {commit.isError && <ErrorState error={commit.error} />}
          {dryRun.isError && <ErrorState error={dryRun.error} />}
          {busy && (
            <WorkingProgress
              job={job}
              label={
                commit.isPending || committing
                  ? t('certificates.imports.committing')
                  : t('certificates.imports.checking')
              }
            />
          )}
          <Group>
            <Button variant="default" onClick={onMapping} disabled={busy}>
              {t('certificates.imports.backToMapping')}
            </Button>
            <Button
              variant="light"
              onClick={runDryRun}
              loading={dryRun.isPending}
              disabled={commit.isPending}
            >
              {t('certificates.imports.runAgain')}
            </Button>
            <Button
              onClick={runCommit}
              disabled={blocked || dryRun.isPending}
              loading={commit.isPending || committing}
            >
              {t('certificates.imports.commit')}
            </Button>
          </Group>
        </Stack>
      </Paper>
    </Stack>
  );
}

function Counts({ counts }: { counts: NonNullable<Report['job']['counts']> }) {
  const { t } = useTranslation();
  const items: [string, number][] = [
    [t('certificates.imports.rowStatuses.ok'), counts.ok],
    [t('certificates.imports.rowStatuses.warning'), counts.warning],
    [t('certificates.imports.rowStatuses.flagged'), counts.flagged],
    [t('certificates.imports.rowStatuses.error'), counts.error],
    [t('certificates.imports.rowStatuses.duplicate'), counts.duplicate],
    [t('certificates.imports.rowStatuses.empty'), counts.empty],
    [t('certificates.imports.actions.create'), counts.created],
    [t('certificates.imports.actions.update'), counts.updated],
    [t('certificates.imports.actions.unchanged'), counts.unchanged],
  ];
  return (
    <Group
      gap="xs"
      component="ul"
      p={0}
      m={0}
      style={{ listStyle: 'none' }}
      aria-label={t('certificates.imports.summary')}
    >
      {items.map(([label, n]) => (
        <Badge
          key={label}
          component="li"
          variant="outline"
          color="gray"
          size="lg"
          style={{ textTransform: 'none' }}
        >
          {label}: {n}
        </Badge>
      ))}
    </Group>
  );
}

/**
 * The commune of a row whose old address the conversion table cannot settle: a person chooses
 * among the candidates the API gives, or any commune of the province when it gives none. Never guessed.
 */
function RowDecision({ job, row }: { job: ImportJob; row: ReportRow }) {
  const { t } = useTranslation();
  const decide = useDecideRow(job.id);
  const feedback = useFormFeedback();
  const noCandidates = row.candidates.length === 0;
  const communes = useCommunes(noCandidates ? job.provinceCode : null);
  const options = useMemo(
    () =>
      noCandidates
        ? [...(communes.data ?? [])]
            .sort((a, b) => compareVietnamese(a.name, b.name))
            .map((c) => ({ value: c.code, label: c.name }))
        : row.candidates.map((c) => ({ value: c.communeCode, label: `${c.communeName} (${c.reason})` })),
    [noCandidates, communes.data, row.candidates],
  );
  const [choice, setChoice] = useState<string | null>(row.decision?.communeCode ?? null);
  const label = t('certificates.imports.chooseCommune', { row: row.rowNumber });
  return (
    <Stack gap={4} mt={4}>
      <Select
        label={label}
        description={
          noCandidates ? t('certificates.imports.anyCommune') : t('certificates.imports.candidates')
        }
        data={options}
        value={choice}
        searchable
        onChange={(v) => {
          setChoice(v);
          feedback.reset();
        }}
        error={
          feedback.fieldError('communeCode') ?? (feedback.error ? errorMessage(feedback.error) : undefined)
        }
        size="xs"
      />
      <Group gap="xs">
        <Button
          size="compact-xs"
          disabled={!choice || choice === row.decision?.communeCode}
          loading={decide.isPending}
          onClick={() =>
            choice &&
            decide.mutate({ rowNumber: row.rowNumber, communeCode: choice }, { onError: feedback.setError })
          }
        >
          {t('certificates.imports.saveDecision')}
        </Button>
        {row.decision && (
          <Text size="xs" c="ocop.8">
            {t('certificates.imports.decided')}
          </Text>
        )}
      </Group>
    </Stack>
  );
}

/**
 * How the row's transformed values were read, for those not read exactly (an exact reading needs
 * no words), and what the record will lack.
 */
function HowRead({ row }: { row: ShownRow }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const read = Object.entries(row.matches ?? {}).filter(([, m]) => m && (m.kind !== 'exact' || m.decision));
  if (read.length === 0 && !row.incomplete?.length) return null;
  return (
    <List size="xs" spacing={2} mb={4} aria-label={t('certificates.imports.howRead')}>
      {read.map(([field, m]) => (
        <List.Item key={field}>
          {t('certificates.imports.readAs', {
            field: t(`certificates.imports.questionFields.${field as Question['field']}`),
            written: m!.written,
            value: m!.label ? pickLabel(m!.label, language) : '—',
            kind: [
              t(`certificates.imports.matchKinds.${m!.kind}`),
              ...m!.notes.map((n) => t(`certificates.imports.matchNotes.${n as 'yearOnly'}`, n)),
            ].join(', '),
          })}
        </List.Item>
      ))}
      {row.incomplete && row.incomplete.length > 0 && (
        <List.Item>
          {t('certificates.imports.incomplete', {
            fields: row.incomplete
              .map((f) => t(`certificates.imports.fields.${f as 'taxCode'}`, f))
              .join(', '),
          })}
        </List.Item>
      )}
    </List>
  );
}

/**
 * The values a person decides, each once for all its rows: the written text, how it was read, the
 * hint words, the rows it stands for, and the choice among its candidates (any set or commune when
 * nothing was offered). Remembered for the file's layout unless unticked.
 */
function Questions({
  job,
  questions,
  disabled,
}: {
  job: ImportJob;
  questions: Question[];
  disabled: boolean;
}) {
  const { t } = useTranslation();
  if (questions.length === 0) return null;
  return (
    <Stack gap="xs" mt="md" component="section" aria-labelledby="questions-title">
      <Title order={3} size="h4" id="questions-title">
        {t('certificates.imports.questionsTitle')}
      </Title>
      <Text size="sm">{t('certificates.imports.questionsHint')}</Text>
      {questions.map((q) => (
        <QuestionForm key={q.key} job={job} question={q} disabled={disabled} />
      ))}
    </Stack>
  );
}

function QuestionForm({
  job,
  question,
  disabled,
}: {
  job: ImportJob;
  question: Question;
  disabled: boolean;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const decide = useDecideValue(job.id);
  const feedback = useFormFeedback();
  const [choice, setChoice] = useState<string | null>(question.decision?.value ?? null);
  const [remember, setRemember] = useState(true);
  const openCommunes = useCommunes(question.open && question.field === 'commune' ? job.provinceCode : null);
  const setOptions = useProductSetOptions(question.open && question.field === 'category');
  const options = useMemo(() => {
    if (!question.open)
      return question.candidates.map((c) => ({ value: c.value, label: pickLabel(c.label, language) }));
    if (question.field === 'commune')
      return [...(openCommunes.data ?? [])]
        .sort((a, b) => compareVietnamese(a.name, b.name))
        .map((c) => ({ value: c.code, label: c.name }));
    if (question.field === 'category') return setOptions;
    return ['3', '4', '5'].map((v) => ({ value: v, label: v }));
  }, [question, openCommunes.data, setOptions, language]);
  const fieldName = t(`certificates.imports.questionFields.${question.field}`);
  const rows = question.rowNumbers.slice(0, 12).join(', ') + (question.rowNumbers.length > 12 ? '…' : '');
  return (
    <Paper withBorder p="sm" radius="sm">
      <Stack gap={4}>
        <Group gap="xs">
          <Text fw={600} size="sm">
            {fieldName}
          </Text>
          <Badge
            variant="light"
            color={question.decision ? 'ocop' : 'grape'}
            style={{ textTransform: 'none' }}
          >
            {t(`certificates.imports.matchKinds.${question.kind}`)}
          </Badge>
        </Group>
        <Text size="sm">
          {question.written
            ? t('certificates.imports.written', { text: question.written })
            : t('certificates.imports.writtenEmpty')}
        </Text>
        {question.evidence.length > 0 && (
          <Text size="sm">{t('certificates.imports.evidence', { words: question.evidence.join(', ') })}</Text>
        )}
        <Text size="xs" c="dimmed">
          {t('certificates.imports.rowsOfValue', { count: question.rowNumbers.length, rows })}
        </Text>
        {question.decision && (
          <Text size="xs" c="ocop.8">
            {t(
              question.decision.remembered
                ? 'certificates.imports.rememberedAs'
                : 'certificates.imports.decidedAs',
              {
                value:
                  options.find((o) => o.value === question.decision?.value)?.label ?? question.decision.value,
              },
            )}
          </Text>
        )}
        <Group gap="xs" align="flex-end">
          <Select
            label={`${t('certificates.imports.chooseValue')} — ${fieldName}: ${question.written || '∅'}`}
            description={
              question.open && question.field === 'category' ? t('certificates.imports.anySet') : undefined
            }
            data={options}
            value={choice}
            searchable
            onChange={(v) => {
              setChoice(v);
              feedback.reset();
            }}
            error={
              feedback.fieldError('value') ??
              feedback.fieldError('communeCode') ??
              (feedback.error ? errorMessage(feedback.error) : undefined)
            }
            size="xs"
            style={{ flex: 1, minWidth: 240 }}
          />
          <Checkbox
            size="xs"
            label={t('certificates.imports.rememberDecision')}
            checked={remember}
            onChange={(e) => setRemember(e.currentTarget.checked)}
          />
          <Button
            size="compact-sm"
            disabled={
              disabled || !choice || (choice === question.decision?.value && !question.decision.remembered)
            }
            loading={decide.isPending}
            onClick={() =>
              choice &&
              decide.mutate(
                { field: question.field, key: question.key, value: choice, remember },
                { onError: feedback.setError },
              )
            }
          >
            {t('certificates.imports.saveDecision')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

/** Every product set of the current scheme as choices ("13 · Cà phê, cacao"), when a question offers none. */
function useProductSetOptions(enabled: boolean) {
  const language = useLanguage();
  const meta = useProductMeta();
  return useMemo(() => {
    const scheme = enabled ? schemeOf(meta.data) : undefined;
    if (!scheme) return [];
    return categoriesOf(scheme)
      .filter((c) => !c.isGroup)
      .map((c) => ({
        value: `${scheme.code}:${c.code}`,
        label: `${c.code} · ${pickLabel(c.label, language)}`,
      }));
  }, [enabled, meta.data, language]);
}

// ---------------------------------------------------------------- result

function ResultStep({ job }: { job: ImportJob }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="result-title">
      <Title order={2} size="h3" id="result-title" mb="sm">
        {t('certificates.imports.resultTitle')}
      </Title>
      <Alert color="ocop" role="status" mb="sm">
        {t('certificates.imports.committedAt', { date: formatDateTime(job.committedAt) })}
      </Alert>
      {job.counts && <Counts counts={job.counts} />}
      <Group mt="md">
        <Button component={Link} to="/certificates">
          {t('certificates.imports.seeCertificates')}
        </Button>
        <Button component={Link} to="/imports" variant="default">
          {t('certificates.imports.another')}
        </Button>
      </Group>
    </Paper>
  );
}
