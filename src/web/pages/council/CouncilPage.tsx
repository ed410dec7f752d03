import {
  Accordion,
  Alert,
  Button,
  Group,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';

import type { UseQueryResult } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { COUNCIL_ROLES, type CouncilRole, councilRoleLabels } from '../../../modules/evaluation/rules';
import { ApiError } from '../../api';
import { isProvinceStaff, type User, useCurrentUser } from '../../auth';
import { ConfirmButton } from '../../components/ConfirmButton';
import { type Column, DataTable } from '../../components/DataTable';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStates';
import {
  type Council,
  type CouncilClosing,
  type CouncilMember,
  type Cycle,
  useAddMember,
  useCloseCouncilScoring,
  useCouncilCandidates,
  useCouncilDossiers,
  useCouncils,
  useCreateCouncil,
  useCycle,
} from '../../data/council';
import { formatDate } from '../../format';
import { oneOf } from '../../guards';
import { pickLabel, useLanguage } from '../../i18n';
import { usePageTitle } from '../../usePageTitle';
import { DossierPanel } from './DossierPanel';
import { CycleLinks, DossierStateText, Score, Stars } from './shared';

function useRoleLabel() {
  const language = useLanguage();
  return (role: CouncilRole) =>
    pickLabel({ vi: councilRoleLabels[role].vi, en: councilRoleLabels[role].en }, language);
}

/** /evaluation/cycles/:id/council — the cycle's councils, their members, conflicts and the advisory group's work. */
export function CouncilPage() {
  const { id } = useParams();
  const cycle = useCycle(id);
  if (cycle.isPending) return <LoadingState />;
  if (cycle.isError) return <ErrorState error={cycle.error} onRetry={() => void cycle.refetch()} />;
  return <CycleCouncils cycle={cycle.data} />;
}

function CycleCouncils({ cycle }: { cycle: Cycle }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  usePageTitle(t('council.councils.title'));
  const manager = isProvinceStaff(user.role);
  const councils = useCouncils(cycle.councils.map((c) => c.id));

  return (
    <Stack gap="md">
      <CycleLinks cycleId={cycle.id} current="council" />
      <Stack gap={4}>
        <Title order={1}>{t('council.councils.title')}</Title>
        <Text fw={600}>{cycle.name}</Text>
        <Text size="sm" c="dimmed">
          {t('council.councils.intro')}
        </Text>
      </Stack>
      {manager && <CreateCouncilForm cycleId={cycle.id} />}
      {cycle.councils.length === 0 ? (
        <EmptyState title={t('council.councils.empty')} description={t('council.councils.emptyHint')} />
      ) : (
        cycle.councils.map((summary, index) => (
          <CouncilSection
            key={summary.id}
            cycleId={cycle.id}
            query={councils[index]!}
            user={user}
            manager={manager}
          />
        ))
      )}
    </Stack>
  );
}

function CreateCouncilForm({ cycleId }: { cycleId: string }) {
  const { t } = useTranslation();
  const create = useCreateCouncil(cycleId);
  const feedback = useFormFeedback();
  const [name, setName] = useState('');
  const [establishedBy, setEstablishedBy] = useState('');
  const [done, setDone] = useState(false);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    if (!name.trim()) {
      feedback.setClientErrors({ name: t('errors.required') });
      return;
    }
    feedback.reset();
    create.mutate(
      { name: name.trim(), ...(establishedBy.trim() ? { establishedBy: establishedBy.trim() } : {}) },
      {
        onSuccess: () => {
          setName('');
          setEstablishedBy('');
          setDone(true);
        },
        onError: feedback.setError,
      },
    );
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="create-council">
      <Title order={2} size="h4" id="create-council" mb="sm">
        {t('council.councils.createTitle')}
      </Title>
      <form onSubmit={submit} noValidate>
        <FormAlert feedback={feedback} shownFields={['name', 'establishedBy']} />
        {done && (
          <Alert color="ocop" role="status" mb="sm">
            {t('council.councils.created')}
          </Alert>
        )}
        <Stack gap="sm">
          <TextInput
            label={t('council.councils.name')}
            placeholder={t('council.councils.namePlaceholder')}
            required
            value={name}
            onChange={(e) => {
              setName(e.currentTarget.value);
              feedback.clearField('name');
            }}
            error={feedback.fieldError('name')}
          />
          <TextInput
            label={t('council.councils.establishedBy')}
            placeholder={t('council.councils.establishedByPlaceholder')}
            value={establishedBy}
            onChange={(e) => {
              setEstablishedBy(e.currentTarget.value);
              feedback.clearField('establishedBy');
            }}
            error={feedback.fieldError('establishedBy')}
          />
          <Group>
            <Button type="submit" loading={create.isPending}>
              {t('council.councils.create')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}

function CouncilSection({
  cycleId,
  query,
  user,
  manager,
}: {
  cycleId: string;
  query: UseQueryResult<Council>;
  user: User;
  manager: boolean;
}) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  if (query.isPending) return <LoadingState />;
  if (query.isError) {
    // A member reads only the council they sit on; the cycle's other councils are not theirs to see.
    if (!manager && query.error instanceof ApiError && query.error.status === 404) return null;
    return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  }
  const council = query.data;
  const seat = council.members.find((m) => m.userId === user.id) ?? null;
  const headingId = `council-${council.id}`;
  const columns: Column<CouncilMember>[] = [
    {
      key: 'name',
      header: t('council.members.fullName'),
      primary: true,
      render: (m) => (m.userId === user.id ? `${m.fullName} (${t('council.you')})` : m.fullName),
    },
    { key: 'role', header: t('council.members.role'), render: (m) => roleLabel(m.role) },
    { key: 'added', header: t('council.members.addedAt'), render: (m) => formatDate(m.addedAt) },
  ];

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={headingId}>
      <Stack gap="md">
        <Group justify="space-between" align="flex-start">
          <Stack gap={2}>
            <Title order={2} size="h3" id={headingId}>
              {council.name}
            </Title>
            {council.establishedBy && (
              <Text size="sm">
                {t('council.councils.establishedBy')}: {council.establishedBy}
              </Text>
            )}
          </Stack>
          {seat?.role === 'chair' && <CloseCouncilButton councilId={council.id} cycleId={cycleId} />}
        </Group>
        <Title order={3} size="h4">
          {t('council.members.title')}
        </Title>
        {council.members.length === 0 ? (
          <Text c="dimmed">{t('council.members.empty')}</Text>
        ) : (
          <DataTable
            label={`${t('council.members.title')} — ${council.name}`}
            rows={council.members}
            columns={columns}
            rowKey={(m) => m.id}
            total={council.members.length}
            page={1}
            pageSize={Math.max(1, council.members.length)}
            onPageChange={() => {}}
          />
        )}
        {manager && <AddMemberForm council={council} cycleId={cycleId} />}
        <CouncilDossiers cycleId={cycleId} council={council} seat={seat} manager={manager} user={user} />
      </Stack>
    </Paper>
  );
}

function AddMemberForm({ council, cycleId }: { council: Council; cycleId: string }) {
  const { t } = useTranslation();
  const roleLabel = useRoleLabel();
  const add = useAddMember(council.id, cycleId);
  const feedback = useFormFeedback();
  const [search, setSearch] = useState('');
  const [debouncedSearch] = useDebouncedValue(search, 250);
  const candidates = useCouncilCandidates(debouncedSearch);
  const [userId, setUserId] = useState('');
  const [role, setRole] = useState<CouncilRole | null>(null);
  const [done, setDone] = useState(false);
  const seated = new Set(council.members.map((m) => m.userId));
  const hasChair = council.members.some((m) => m.role === 'chair');
  const prefix = `add-member-${council.id}`;

  const people = (candidates.data?.items ?? [])
    .filter((u) => !seated.has(u.id))
    .map((u) => ({ value: u.id, label: `${u.fullName} (${u.email})` }));

  const submit = (event: FormEvent) => {
    event.preventDefault();
    setDone(false);
    const problems: Record<string, string> = {};
    const id = userId;
    if (!id) problems.userId = t('errors.required');
    if (!role) problems.role = t('errors.required');
    if (Object.keys(problems).length > 0 || !role) {
      feedback.setClientErrors(problems);
      return;
    }
    feedback.reset();
    add.mutate(
      { userId: id, role },
      {
        onSuccess: () => {
          setUserId('');
          setRole(null);
          setDone(true);
        },
        onError: feedback.setError,
      },
    );
  };

  const choose = (value: string | null) => {
    setUserId(value ?? '');
    feedback.clearField('userId');
  };

  return (
    <form onSubmit={submit} noValidate aria-labelledby={prefix}>
      <Title order={3} size="h4" id={prefix} mb="xs">
        {t('council.members.addTitle')}
      </Title>
      <FormAlert feedback={feedback} shownFields={['userId', 'role']} />
      {done && (
        <Alert color="ocop" role="status" mb="sm">
          {t('council.members.added')}
        </Alert>
      )}
      <Stack gap="sm">
        <Select
          label={t('council.members.personSearch')}
          placeholder={t('council.members.personPlaceholder')}
          searchable
          required
          // The server searches without accents; the list shows what it found as is.
          filter={({ options }) => options}
          searchValue={search}
          onSearchChange={setSearch}
          nothingFoundMessage={
            candidates.isFetching ? t('common.loading') : t('council.members.noCandidates')
          }
          data={people}
          value={userId || null}
          onChange={choose}
          error={feedback.fieldError('userId')}
        />
        {candidates.data?.more && (
          <Text size="sm" c="dimmed">
            {t('council.members.narrowSearch')}
          </Text>
        )}
        {candidates.isError && (
          <ErrorState error={candidates.error} onRetry={() => void candidates.refetch()} />
        )}
        <Select
          label={t('council.members.role')}
          required
          data={COUNCIL_ROLES.map((r) => ({
            value: r,
            label: roleLabel(r),
            disabled: r === 'chair' && hasChair,
          }))}
          value={role}
          onChange={(value) => {
            setRole(oneOf(COUNCIL_ROLES, value) ?? null);
            feedback.clearField('role');
          }}
          error={feedback.fieldError('role')}
          allowDeselect={false}
        />
        <Group>
          <Button type="submit" loading={add.isPending}>
            {t('council.members.add')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

function CloseCouncilButton({ councilId, cycleId }: { councilId: string; cycleId: string }) {
  const { t } = useTranslation();
  const close = useCloseCouncilScoring(councilId, cycleId);
  return (
    <Stack gap="xs" align="flex-end" maw="100%">
      <ConfirmButton
        question={t('council.closing.confirm')}
        onConfirm={() => close.mutate()}
        loading={close.isPending}
      >
        {t('council.closing.action')}
      </ConfirmButton>
      {close.isError && <ErrorState error={close.error} />}
      {close.data && <ClosingSummary closing={close.data} />}
    </Stack>
  );
}

function ClosingSummary({ closing }: { closing: CouncilClosing }) {
  const { t } = useTranslation();
  if (closing.closed === 0) {
    return (
      <Alert color="gray" role="status">
        {t('council.closing.nothing')}
      </Alert>
    );
  }
  return (
    <Alert color="ocop" role="status" title={t('council.closing.done', { count: closing.closed })} w="100%">
      <Table.ScrollContainer minWidth={420}>
        <Table aria-label={t('council.closing.resultsTitle')}>
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">{t('council.results.product')}</Table.Th>
              <Table.Th scope="col">{t('council.results.score')}</Table.Th>
              <Table.Th scope="col">{t('council.results.star')}</Table.Th>
              <Table.Th scope="col">{t('council.results.validity')}</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {closing.items.map((item) => (
              <Table.Tr key={item.dossierId}>
                <Table.Td>{item.productName}</Table.Td>
                <Table.Td>
                  <Score value={item.score} />
                </Table.Td>
                <Table.Td>
                  <Stars count={item.finalStar} />
                </Table.Td>
                <Table.Td>
                  {item.valid ? t('council.results.valid') : t('council.results.invalid')}
                  {item.outlierCount > 0 &&
                    ` · ${t('council.results.outliers', { count: item.outlierCount })}`}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
    </Alert>
  );
}

type Seat = CouncilMember | null;

function CouncilDossiers({
  cycleId,
  council,
  seat,
  manager,
  user,
}: {
  cycleId: string;
  council: Council;
  seat: Seat;
  manager: boolean;
  user: User;
}) {
  const { t } = useTranslation();
  const dossiers = useCouncilDossiers(cycleId, council.id);
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Stack gap="xs">
      <Title order={3} size="h4">
        {t('council.dossiers.title')}
      </Title>
      {dossiers.isPending ? (
        <LoadingState />
      ) : dossiers.isError ? (
        <ErrorState error={dossiers.error} onRetry={() => void dossiers.refetch()} />
      ) : dossiers.data.items.length === 0 ? (
        <Text c="dimmed">{t('council.dossiers.empty')}</Text>
      ) : (
        <Accordion variant="separated" value={open} onChange={setOpen}>
          {dossiers.data.items.map((dossier) => (
            <Accordion.Item key={dossier.id} value={dossier.id}>
              <Accordion.Control>
                <Group gap="xs" wrap="wrap">
                  <Text fw={600}>{dossier.product.name}</Text>
                  <Text size="sm" c="dimmed">
                    <DossierStateText state={dossier.state} />
                  </Text>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                {open === dossier.id && (
                  <DossierPanel dossier={dossier} seat={seat} manager={manager} user={user} />
                )}
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Stack>
  );
}
