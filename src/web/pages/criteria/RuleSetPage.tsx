import {
  Alert,
  Anchor,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { REQUIREMENT_JUDGEMENTS, ROUNDING_MODES } from '../../../modules/criteria/documents';
import { ApiError } from '../../api';
import { isAdmin, useCurrentUser } from '../../auth';
import { Details } from '../../components/Details';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStates';
import {
  criteriaUrls,
  type ParametersInput,
  type RuleSet,
  useRuleSet,
  useRuleSetAction,
  useSetParameters,
  useSheets,
} from '../../data/criteria';
import { usePageTitle } from '../../usePageTitle';
import {
  DemoBadge,
  DocumentStatusBadge,
  LifecycleActions,
  ProblemList,
  SourceBadge,
  useLocalText,
} from './shared';

type Document = RuleSet['document'];
type Source = 'law' | 'press' | 'open';

/** The parameters an evaluation depends on, with where each value comes from. */
function ParameterTable({ document }: { document: Document }) {
  const { t } = useTranslation();
  const rows: {
    key:
      | 'rounding'
      | 'minimumSheets'
      | 'requirementJudgement'
      | 'outlierDistance'
      | 'certificateValidityMonths'
      | 'expiryNoticeDays';
    value: string;
    source: Source;
  }[] = [
    {
      key: 'rounding',
      value: t('criteria.parameters.roundingValue', {
        decimals: document.rounding.decimals,
        mode: t(`criteria.modes.${document.rounding.mode}`),
      }),
      source: document.rounding.source,
    },
    {
      key: 'minimumSheets',
      value:
        document.minimumSheets.value === null
          ? t('criteria.parameters.unset')
          : String(document.minimumSheets.value),
      source: document.minimumSheets.source,
    },
    {
      key: 'requirementJudgement',
      value: t(`criteria.judgements.${document.requirementJudgement.mode}`),
      source: document.requirementJudgement.source,
    },
    {
      key: 'outlierDistance',
      value: String(document.outlierDistance.value),
      source: document.outlierDistance.source,
    },
    {
      key: 'certificateValidityMonths',
      value: String(document.certificateValidityMonths.value),
      source: document.certificateValidityMonths.source,
    },
    {
      key: 'expiryNoticeDays',
      value: String(document.expiryNoticeDays.value),
      source: document.expiryNoticeDays.source,
    },
  ];
  return (
    <Table.ScrollContainer minWidth={480}>
      <Table aria-label={t('criteria.parameters.title')} verticalSpacing="xs">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">{t('criteria.parameters.name')}</Table.Th>
            <Table.Th scope="col">{t('criteria.parameters.value')}</Table.Th>
            <Table.Th scope="col">{t('criteria.parameters.source')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {rows.map((row) => (
            <Table.Tr key={row.key}>
              <Table.Th scope="row" fw={400}>
                {t(`criteria.parameters.${row.key}`)}
              </Table.Th>
              <Table.Td>{row.value}</Table.Td>
              <Table.Td>
                <SourceBadge source={row.source} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** The form for the [open] parameters of a draft: the values the law does not fix. */
function ParametersForm({ ruleSet }: { ruleSet: RuleSet }) {
  const { t } = useTranslation();
  const d = ruleSet.document;
  const feedback = useFormFeedback();
  const save = useSetParameters(ruleSet.id);
  const [saved, setSaved] = useState(false);
  const [decimals, setDecimals] = useState<number | string>(d.rounding.decimals);
  const [mode, setMode] = useState<string>(d.rounding.mode);
  const [minimumSheets, setMinimumSheets] = useState<number | string>(d.minimumSheets.value ?? '');
  const [judgement, setJudgement] = useState<string>(d.requirementJudgement.mode);
  const [outlier, setOutlier] = useState<number | string>(d.outlierDistance.value);
  const open = {
    rounding: d.rounding.source === 'open',
    minimumSheets: d.minimumSheets.source === 'open',
    requirementJudgement: d.requirementJudgement.source === 'open',
    outlierDistance: d.outlierDistance.source === 'open',
  };
  if (!Object.values(open).some(Boolean)) return null;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    const errors: Record<string, string> = {};
    const input: ParametersInput = {};
    if (open.rounding) {
      if (typeof decimals !== 'number') errors['rounding.decimals'] = t('errors.required');
      else input.rounding = { decimals, mode: mode as (typeof ROUNDING_MODES)[number] };
    }
    if (open.minimumSheets) {
      if (typeof minimumSheets !== 'number') errors.minimumSheets = t('errors.required');
      else input.minimumSheets = minimumSheets;
    }
    if (open.requirementJudgement) {
      input.requirementJudgement = judgement as (typeof REQUIREMENT_JUDGEMENTS)[number];
    }
    if (open.outlierDistance) {
      if (typeof outlier !== 'number') errors.outlierDistance = t('errors.required');
      else input.outlierDistance = outlier;
    }
    if (Object.keys(errors).length) {
      feedback.setClientErrors(errors);
      return;
    }
    feedback.reset();
    save.mutate(
      { ...input, version: ruleSet.version },
      { onSuccess: () => setSaved(true), onError: feedback.setError },
    );
  };
  const shown = [
    'rounding',
    'rounding.decimals',
    'rounding.mode',
    'minimumSheets',
    'requirementJudgement',
    'outlierDistance',
  ];

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="criteria-parameters-form">
      <Title order={2} size="h3" id="criteria-parameters-form" mb={4}>
        {t('criteria.parameters.formTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('criteria.parameters.formIntro')}
      </Text>
      <form onSubmit={submit} noValidate>
        <FormAlert feedback={feedback} shownFields={shown} />
        {saved && (
          <Alert color="ocop" role="status" mb="sm">
            {t('criteria.parameters.saved')}
          </Alert>
        )}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
          {open.rounding && (
            <>
              <NumberInput
                label={t('criteria.parameters.decimals')}
                min={0}
                max={4}
                allowDecimal={false}
                value={decimals}
                onChange={(v) => {
                  setDecimals(v);
                  feedback.clearField('rounding.decimals');
                }}
                error={feedback.fieldError('rounding.decimals') ?? feedback.fieldError('rounding')}
              />
              <Select
                label={t('criteria.parameters.mode')}
                data={ROUNDING_MODES.map((m) => ({ value: m, label: t(`criteria.modes.${m}`) }))}
                value={mode}
                onChange={(v) => v && setMode(v)}
                allowDeselect={false}
                error={feedback.fieldError('rounding.mode')}
              />
            </>
          )}
          {open.minimumSheets && (
            <NumberInput
              label={t('criteria.parameters.minimumSheets')}
              description={t('criteria.parameters.minimumSheetsHint')}
              min={1}
              max={50}
              allowDecimal={false}
              value={minimumSheets}
              onChange={(v) => {
                setMinimumSheets(v);
                feedback.clearField('minimumSheets');
              }}
              error={feedback.fieldError('minimumSheets')}
            />
          )}
          {open.requirementJudgement && (
            <Select
              label={t('criteria.parameters.requirementJudgement')}
              data={REQUIREMENT_JUDGEMENTS.map((j) => ({ value: j, label: t(`criteria.judgements.${j}`) }))}
              value={judgement}
              onChange={(v) => v && setJudgement(v)}
              allowDeselect={false}
              error={feedback.fieldError('requirementJudgement')}
            />
          )}
          {open.outlierDistance && (
            <NumberInput
              label={t('criteria.parameters.outlierDistance')}
              min={0}
              max={100}
              decimalScale={2}
              value={outlier}
              onChange={(v) => {
                setOutlier(v);
                feedback.clearField('outlierDistance');
              }}
              error={feedback.fieldError('outlierDistance')}
            />
          )}
        </SimpleGrid>
        <Button type="submit" mt="md" loading={save.isPending}>
          {t('criteria.parameters.save')}
        </Button>
      </form>
    </Paper>
  );
}

function Lifecycle({ ruleSet }: { ruleSet: RuleSet }) {
  const { t } = useTranslation();
  const text = useLocalText();
  const action = useRuleSetAction(ruleSet.id);
  return (
    <LifecycleActions
      status={ruleSet.status}
      version={ruleSet.version}
      activateQuestion={t('criteria.activateQuestion', { name: text(ruleSet.name) })}
      retireQuestion={t('criteria.retireQuestion', { name: text(ruleSet.name) })}
      action={action}
    />
  );
}

function RuleSetSheets({ code }: { code: string }) {
  const { t } = useTranslation();
  const text = useLocalText();
  const sheets = useSheets({ ruleSetCode: code });
  if (sheets.isPending) return <LoadingState />;
  if (sheets.isError) return <ErrorState error={sheets.error} onRetry={() => sheets.refetch()} />;
  if (!sheets.data.items.length) return <Text size="sm">{t('criteria.noSheetsForRuleSet')}</Text>;
  return (
    <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
      {sheets.data.items.map((s) => (
        <Group key={s.id} component="li" gap="xs">
          <Anchor component={Link} to={`/criteria/sheets/${s.id}`}>
            {text(s.title)}
          </Anchor>
          <Text size="sm" c="dimmed">
            {t('criteria.revisionValue', { revision: s.revision })}
          </Text>
          <DocumentStatusBadge status={s.status} />
          {s.demo && <DemoBadge />}
        </Group>
      ))}
    </Stack>
  );
}

/** /criteria/rule-sets/:id — a rule-set version: its rules, parameters (open ones marked), report, lifecycle. */
export function RuleSetPage() {
  const { t } = useTranslation();
  const text = useLocalText();
  const { id } = useParams();
  const user = useCurrentUser();
  const query = useRuleSet(id);
  usePageTitle(query.data ? text(query.data.name) : t('criteria.ruleSet'));
  if (query.isPending) return <LoadingState />;
  if (query.isError) {
    if (query.error instanceof ApiError && query.error.status === 404) {
      return (
        <EmptyState
          title={t('criteria.notFound')}
          action={
            <Anchor component={Link} to="/criteria">
              {t('criteria.backToList')}
            </Anchor>
          }
        />
      );
    }
    return <ErrorState error={query.error} onRetry={() => query.refetch()} />;
  }
  const ruleSet = query.data;
  const d = ruleSet.document;
  const admin = isAdmin(user.role);
  return (
    <Stack gap="lg">
      <Anchor component={Link} to="/criteria" size="sm">
        {t('criteria.backToList')}
      </Anchor>
      <Group justify="space-between" align="flex-start">
        <Stack gap={4}>
          <Title order={1}>{text(ruleSet.name)}</Title>
          <Group gap="xs">
            <DocumentStatusBadge status={ruleSet.status} />
            <Text size="sm" c="dimmed">
              {ruleSet.code} · {t('criteria.revisionValue', { revision: ruleSet.revision })}
            </Text>
          </Group>
        </Stack>
        <Group gap="md">
          <Anchor href={criteriaUrls.ruleSetJson(ruleSet.id)} download>
            {t('criteria.exportJson')}
          </Anchor>
          <Anchor href={criteriaUrls.ruleSetXlsx(ruleSet.id)} download>
            {t('criteria.exportXlsx')}
          </Anchor>
        </Group>
      </Group>
      {admin && <Lifecycle ruleSet={ruleSet} />}

      <Details
        items={[
          {
            label: t('criteria.legalBasis'),
            value: d.legalBasis.map((l) => `${l.document}${l.date ? ` (${l.date})` : ''}`).join('; '),
            wide: true,
          },
          {
            label: t('criteria.inForce'),
            value: d.inForce.to
              ? t('criteria.inForceValue', { from: d.inForce.from, to: d.inForce.to })
              : t('criteria.inForceOpen', { from: d.inForce.from }),
          },
          { label: t('criteria.taxonomy'), value: d.taxonomyScheme },
          {
            label: t('criteria.recognisedFrom'),
            value: t('criteria.starValue', { star: d.recognisedFromStar }),
          },
          {
            label: t('criteria.partMaxima'),
            value: d.parts
              .map((p) => t('criteria.partValue', { code: p.code, points: p.maxPoints }))
              .join('; '),
          },
          {
            label: t('criteria.bands'),
            value: [...d.starBands]
              .sort((a, b) => a.min - b.min)
              .map((b) => t('criteria.bandValue', { star: b.star, min: b.min, max: b.max }))
              .join('; '),
            wide: true,
          },
          {
            label: t('criteria.levels'),
            value: d.levels
              .map(
                (l) =>
                  `${text(l.authority)}${l.certifiesStars.length ? ` — ${t('criteria.certifies', { stars: l.certifiesStars.join(', ') })}` : ''}`,
              )
              .join('; '),
            wide: true,
          },
        ]}
      />

      <Stack gap="xs" component="section" aria-labelledby="criteria-parameters">
        <Title order={2} size="h3" id="criteria-parameters">
          {t('criteria.parameters.title')}
        </Title>
        <Text size="sm">{t('criteria.parameters.openNote')}</Text>
        <ParameterTable document={d} />
      </Stack>
      {admin && ruleSet.status === 'draft' && <ParametersForm key={ruleSet.version} ruleSet={ruleSet} />}

      <Stack gap="xs" component="section" aria-labelledby="criteria-problems">
        <Title order={2} size="h3" id="criteria-problems">
          {t('criteria.problemsTitle')}
        </Title>
        <ProblemList problems={ruleSet.problems} />
      </Stack>

      <Stack gap="xs" component="section" aria-labelledby="criteria-rule-set-sheets">
        <Title order={2} size="h3" id="criteria-rule-set-sheets">
          {t('criteria.sheets')}
        </Title>
        <RuleSetSheets code={ruleSet.code} />
      </Stack>
    </Stack>
  );
}
