import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { DOSSIER_STATES, EVALUATION_TYPES, type EvaluationType } from '../../../modules/evaluation/rules';
import { localDate } from '../../../shared/dates';
import { isProvinceStaff, useCurrentUser } from '../../auth';
import type { Column } from '../../components/DataTable';
import { Details } from '../../components/Details';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { FilterSelect, ListResults, SearchBox } from '../../components/ListPage';
import { ErrorState, LoadingState } from '../../components/PageStates';
import { useLocationNotice } from '../../components/RecordHeader';
import { UnitCodeName, UnitName } from '../../components/UnitName';
import { useListParams } from '../../components/useListParams';
import { type Cycle, type DossierRow, useCreateDossier, useCycle, useDossiers } from '../../data/evaluation';
import { useProducts } from '../../data/products';
import { formatDate, TIME_ZONE } from '../../format';
import { oneOf } from '../../guards';
import { useLanguage } from '../../i18n';
import { usePageTitle } from '../../usePageTitle';
import {
  DossierStateBadge,
  localName,
  SubjectLink,
  useDossierStatusColumns,
  useLevelLabel,
  useStateLabel,
} from './labels';

export function CyclePage() {
  const { id } = useParams();
  const cycle = useCycle(id);
  if (cycle.isPending) return <LoadingState />;
  if (cycle.isError) return <ErrorState error={cycle.error} onRetry={() => void cycle.refetch()} />;
  return <CycleDetail cycle={cycle.data} />;
}

function CycleDetail({ cycle }: { cycle: Cycle }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  const notice = useLocationNotice();
  const levelLabel = useLevelLabel();
  usePageTitle(cycle.name);

  const officerOrCouncil = isProvinceStaff(user.role) || user.role === 'council_member';
  const states = DOSSIER_STATES.filter((s) => (cycle.progress.byState[s] ?? 0) > 0);

  return (
    <Stack gap="md">
      {notice && (
        <Alert color="ocop" role="status">
          {notice}
        </Alert>
      )}
      <Stack gap={4}>
        <Anchor component={Link} to="/evaluation" size="sm">
          {t('evaluation.cycles.title')}
        </Anchor>
        <Title order={1}>{cycle.name}</Title>
        <Group gap="xs">
          <Badge variant="light" style={{ textTransform: 'none' }}>
            {levelLabel(cycle.level)}
          </Badge>
          <Text size="sm">{t('evaluation.cycles.yearRound', { year: cycle.year, round: cycle.round })}</Text>
        </Group>
      </Stack>

      <Paper withBorder p="md">
        <Details
          items={[
            {
              label: t('evaluation.cycles.ruleSet'),
              value: t('evaluation.cycles.ruleSetFrozen', {
                name: localName(cycle.ruleSet.name, language),
                code: cycle.ruleSet.code,
                revision: cycle.ruleSet.revision,
              }),
              wide: true,
            },
            {
              label: t('evaluation.cycles.province'),
              value: cycle.provinceCode ? (
                <UnitName provinceCode={cycle.provinceCode} />
              ) : (
                levelLabel('central')
              ),
            },
            { label: t('evaluation.cycles.deadline'), value: formatDate(cycle.submissionDeadline) },
            { label: t('evaluation.cycles.meeting'), value: formatDate(cycle.meetingDate) },
            {
              label: t('evaluation.cycle.precheck'),
              value: cycle.precheckRequired
                ? t('evaluation.cycle.precheckYes')
                : t('evaluation.cycle.precheckNo'),
            },
            {
              label: t('evaluation.cycle.councils'),
              value: cycle.councils.length
                ? cycle.councils
                    .map((c) => t('evaluation.councilMembers', { name: c.name, count: c.memberCount }))
                    .join('; ')
                : t('evaluation.cycle.noCouncils'),
            },
          ]}
        />
        {officerOrCouncil && (
          <Group gap="sm" mt="md">
            <Button component={Link} to={`/evaluation/cycles/${cycle.id}/council`} variant="light">
              {t('evaluation.cycle.councilLink')}
            </Button>
            <Button component={Link} to={`/evaluation/cycles/${cycle.id}/results`} variant="light">
              {t('evaluation.cycle.resultsLink')}
            </Button>
          </Group>
        )}
      </Paper>

      <Paper withBorder p="md" component="section" aria-labelledby="by-state-title">
        <Title order={2} size="h3" id="by-state-title" mb="sm">
          {t('evaluation.cycle.byState')}
        </Title>
        {states.length === 0 ? (
          <Text c="dimmed">{t('evaluation.cycles.noDossiers')}</Text>
        ) : (
          <Group gap="sm" component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
            {states.map((s) => (
              <Group component="li" key={s} gap={4} wrap="nowrap">
                <DossierStateBadge state={s} />
                <Text size="sm" fw={600}>
                  {cycle.progress.byState[s]}
                </Text>
              </Group>
            ))}
            <Text component="li" size="sm">
              {t('evaluation.cycles.dossierCount', { count: cycle.progress.total })}
            </Text>
          </Group>
        )}
      </Paper>

      {user.role === 'producer' && <NewDossier cycle={cycle} />}

      <CycleDossiers cycle={cycle} />
    </Stack>
  );
}

/** A producer files a dossier here; `?product=…&type=…` (the expiry notice's link) preselects both. */
function NewDossier({ cycle }: { cycle: Cycle }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [search] = useSearchParams();
  const feedback = useFormFeedback();
  const create = useCreateDossier(cycle.id);
  const central = cycle.level === 'central';
  const products = useProducts({ page: 1, pageSize: 100, sort: 'name' }, !central);
  const [productId, setProductId] = useState<string | null>(search.get('product'));
  const [type, setType] = useState<EvaluationType>(oneOf(EVALUATION_TYPES, search.get('type')) ?? 'new');
  const today = localDate(new Date(), TIME_ZONE);
  const pastDeadline = today > cycle.submissionDeadline;

  if (central) {
    return (
      <Alert color="gray" role="note">
        {t('evaluation.cycle.centralNoApply')}
      </Alert>
    );
  }

  const options = (products.data?.items ?? [])
    .filter((p) => !p.archivedAt)
    .map((p) => ({ value: p.id, label: p.name }));

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!productId) {
      feedback.setClientErrors({ productId: t('errors.required') });
      return;
    }
    feedback.reset();
    create.mutate(
      { productId, evaluationType: type },
      {
        onSuccess: (dossier) =>
          navigate(`/evaluation/dossiers/${dossier.id}`, {
            state: { notice: t('evaluation.dossierForm.created') },
          }),
        onError: feedback.setError,
      },
    );
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="new-dossier-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h3" id="new-dossier-title">
            {t('evaluation.dossierForm.title')}
          </Title>
          {pastDeadline && (
            <Alert color="orange" role="note">
              {t('evaluation.cycle.pastDeadline', { date: formatDate(cycle.submissionDeadline) })}
            </Alert>
          )}
          <FormAlert feedback={feedback} shownFields={['productId', 'evaluationType']} />
          {products.isError ? (
            <ErrorState error={products.error} onRetry={() => void products.refetch()} />
          ) : (
            <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
              <Select
                label={t('evaluation.dossierForm.product')}
                description={
                  products.isSuccess && options.length === 0
                    ? t('evaluation.dossierForm.noProducts')
                    : t('evaluation.dossierForm.productHint')
                }
                placeholder={products.isPending ? t('common.loading') : undefined}
                data={options}
                value={options.some((o) => o.value === productId) ? productId : null}
                onChange={(value) => {
                  setProductId(value);
                  feedback.clearField('productId');
                }}
                searchable
                error={feedback.fieldError('productId')}
                required
              />
              <Select
                label={t('evaluation.dossierForm.type')}
                data={EVALUATION_TYPES.map((v) => ({ value: v, label: t(`evaluation.type.${v}`) }))}
                value={type}
                onChange={(value) => {
                  const next = oneOf(EVALUATION_TYPES, value);
                  if (next) setType(next);
                  feedback.clearField('evaluationType');
                }}
                allowDeselect={false}
                error={feedback.fieldError('evaluationType')}
                required
              />
            </SimpleGrid>
          )}
          <Group>
            <Button type="submit" loading={create.isPending} disabled={!products.isSuccess}>
              {t('evaluation.dossierForm.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function CycleDossiers({ cycle }: { cycle: Cycle }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const params = useListParams();
  const stateLabel = useStateLabel();
  const state = oneOf(DOSSIER_STATES, params.get('state'));
  const list = useDossiers(cycle.id, { state, q: params.given('q'), ...params.paging });
  // The preselection of the expiry notice is not a filter of this list.
  const listParams = {
    ...params,
    hasFilters: state !== undefined || Boolean(params.given('q')),
  };

  const statusColumns = useDossierStatusColumns<DossierRow>();
  const columns: Column<DossierRow>[] = [
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
      key: 'subject',
      header: t('evaluation.columns.subject'),
      render: (d) => <SubjectLink id={d.subjectId} />,
    },
    {
      key: 'commune',
      header: t('evaluation.columns.commune'),
      render: (d) => <UnitCodeName level="commune" code={d.communeCode} />,
    },
    ...statusColumns,
    {
      key: 'submitted',
      header: t('evaluation.columns.submittedAt'),
      render: (d) => formatDate(d.submittedAt),
    },
  ];

  return (
    <Stack gap="sm" component="section" aria-labelledby="dossiers-title">
      <Title order={2} size="h3" id="dossiers-title">
        {t('evaluation.cycle.dossiers')}
      </Title>
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
        <SearchBox params={params} />
        <FilterSelect
          params={params}
          name="state"
          label={t('evaluation.columns.state')}
          data={DOSSIER_STATES.map((s) => ({ value: s, label: stateLabel(s) }))}
        />
      </SimpleGrid>
      <ListResults
        list={list}
        params={listParams}
        label={t('evaluation.cycle.dossiers')}
        columns={columns}
        emptyTitle={
          user.role === 'producer'
            ? t('evaluation.cycle.dossiersEmptyProducer')
            : t('evaluation.cycle.dossiersEmpty')
        }
      />
    </Stack>
  );
}
