import {
  Alert,
  Anchor,
  Button,
  Checkbox,
  Group,
  Stack,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import {
  ADVISORY_STATES,
  canDeclareConflict,
  type DossierState,
  isScoringRole,
} from '../../../modules/evaluation/rules';
import type { User } from '../../auth';
import { Details } from '../../components/Details';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { ErrorState, LoadingState } from '../../components/PageStates';
import {
  type AdvisoryReview,
  type CouncilDossier,
  type CouncilMember,
  useAdvisoryReview,
  useDeclareConflict,
  useDossierSheets,
  useSaveAdvisoryReview,
} from '../../data/council';
import { formatDate, formatDateTime } from '../../format';
import { FlagBadge } from './shared';

/**
 * One dossier of a council, opened from the council page: links to it and to the sheets, the
 * members' declared conflicts of interest (and the caller's own declaration), and the advisory
 * group's review and field visit (mandatory for the product sets the frozen rule-set lists).
 */
export function DossierPanel({
  dossier,
  seat,
  manager,
  user,
}: {
  dossier: CouncilDossier;
  seat: CouncilMember | null;
  manager: boolean;
  user: User;
}) {
  const { t } = useTranslation();
  const scoring = seat !== null && isScoringRole(seat.role);
  return (
    <Stack gap="md">
      <Group gap="md">
        <Anchor component={Link} to={`/evaluation/dossiers/${dossier.id}`}>
          {t('council.dossiers.open')}
        </Anchor>
        {scoring && (
          <Anchor component={Link} to={`/evaluation/dossiers/${dossier.id}/score`}>
            {t('council.dossiers.score')}
          </Anchor>
        )}
        <Anchor component={Link} to={`/evaluation/dossiers/${dossier.id}/sheets`}>
          {t('council.dossiers.sheets')}
        </Anchor>
      </Group>
      <Conflicts dossier={dossier} scoring={scoring} user={user} />
      <AdvisoryReviewBlock dossier={dossier} mayWrite={seat?.role === 'advisory' || manager} />
    </Stack>
  );
}

function Conflicts({ dossier, scoring, user }: { dossier: CouncilDossier; scoring: boolean; user: User }) {
  const { t } = useTranslation();
  const sheets = useDossierSheets(dossier.id);
  const declare = useDeclareConflict(dossier.id);
  const feedback = useFormFeedback();
  const [reason, setReason] = useState('');
  const headingId = `conflicts-${dossier.id}`;

  if (sheets.isPending) return <LoadingState />;
  if (sheets.isError) return <ErrorState error={sheets.error} onRetry={() => void sheets.refetch()} />;
  const conflicted = sheets.data.members.filter((m) => m.conflicted);
  const mine = sheets.data.members.find((m) => m.userId === user.id);
  const open = canDeclareConflict(dossier.state as DossierState);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!reason.trim()) {
      feedback.setClientErrors({ reason: t('errors.required') });
      return;
    }
    feedback.reset();
    declare.mutate(reason.trim(), { onSuccess: () => setReason(''), onError: feedback.setError });
  };

  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Title order={4} size="h5" id={headingId}>
        {t('council.conflicts.title')}
      </Title>
      <Text size="sm">
        {conflicted.length === 0
          ? t('council.conflicts.none')
          : t('council.conflicts.declared', { names: conflicted.map((m) => m.fullName).join(', ') })}
      </Text>
      {declare.isSuccess && (
        <Alert color="ocop" role="status">
          {t('council.conflicts.done')}
        </Alert>
      )}
      {scoring &&
        (mine?.conflicted ? (
          <Text size="sm" fw={600}>
            {t('council.conflicts.mine')}
          </Text>
        ) : open ? (
          <form onSubmit={submit} noValidate>
            <FormAlert feedback={feedback} shownFields={['reason']} />
            <Stack gap="xs">
              <Textarea
                label={t('council.conflicts.reason')}
                description={t('council.conflicts.reasonHint')}
                required
                autosize
                minRows={2}
                value={reason}
                onChange={(e) => {
                  setReason(e.currentTarget.value);
                  feedback.clearField('reason');
                }}
                error={feedback.fieldError('reason')}
              />
              <Group>
                <Button type="submit" variant="outline" color="orange" loading={declare.isPending}>
                  {t('council.conflicts.declare')}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : (
          <Text size="sm" c="dimmed">
            {t('council.conflicts.closed')}
          </Text>
        ))}
    </Stack>
  );
}

type VisitValues = { date: string; place: string; findings: string };

function AdvisoryReviewBlock({ dossier, mayWrite }: { dossier: CouncilDossier; mayWrite: boolean }) {
  const { t } = useTranslation();
  const review = useAdvisoryReview(dossier.id);
  const save = useSaveAdvisoryReview(dossier.id);
  const headingId = `advisory-${dossier.id}`;
  if (review.isPending) return <LoadingState />;
  if (review.isError) return <ErrorState error={review.error} onRetry={() => void review.refetch()} />;
  const { fieldVisitRequired, review: current } = review.data;
  const writable = mayWrite && ADVISORY_STATES.includes(dossier.state as DossierState);

  return (
    <Stack gap="xs" component="section" aria-labelledby={headingId}>
      <Group gap="xs">
        <Title order={4} size="h5" id={headingId}>
          {t('council.advisory.title')}
        </Title>
        {fieldVisitRequired && <FlagBadge color="orange">{t('council.dossiers.tourism')}</FlagBadge>}
      </Group>
      <Text size="sm">
        {fieldVisitRequired ? t('council.advisory.required') : t('council.advisory.optional')}
      </Text>
      {current ? (
        <>
          <Details
            items={[
              { label: t('council.advisory.notes'), value: current.reviewNotes, wide: true },
              {
                label: t('council.advisory.fieldVisit'),
                value: current.fieldVisit
                  ? `${formatDate(current.fieldVisit.date)} — ${current.fieldVisit.place}`
                  : t('council.advisory.noVisit'),
              },
              ...(current.fieldVisit
                ? [
                    {
                      label: t('council.advisory.visitFindings'),
                      value: current.fieldVisit.findings,
                      wide: true,
                    },
                  ]
                : []),
            ]}
          />
          <Text size="xs" c="dimmed">
            {t('council.advisory.recordedAt', {
              date: formatDateTime(current.updatedAt),
              version: current.version,
            })}
          </Text>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          {t('council.advisory.none')}
        </Text>
      )}
      {save.isSuccess && (
        <Alert color="ocop" role="status">
          {t('council.advisory.saved')}
        </Alert>
      )}
      {writable ? (
        <AdvisoryForm
          save={save}
          review={review.data}
          onReload={() => void review.refetch()}
          key={current?.version ?? 0}
        />
      ) : (
        mayWrite && (
          <Text size="sm" c="dimmed">
            {t('council.advisory.readOnly')}
          </Text>
        )
      )}
    </Stack>
  );
}

/** The review's form; it starts again from the stored review whenever a new version arrives. */
function AdvisoryForm({
  save,
  review,
  onReload,
}: {
  save: ReturnType<typeof useSaveAdvisoryReview>;
  review: AdvisoryReview;
  onReload: () => void;
}) {
  const { t } = useTranslation();
  const feedback = useFormFeedback();
  const current = review.review;
  const [notes, setNotes] = useState(current?.reviewNotes ?? '');
  const [visited, setVisited] = useState(Boolean(current?.fieldVisit) || review.fieldVisitRequired);
  const [visit, setVisit] = useState<VisitValues>(
    current?.fieldVisit ?? { date: '', place: '', findings: '' },
  );

  const setVisitField = (key: keyof VisitValues, value: string) => {
    setVisit((v) => ({ ...v, [key]: value }));
    feedback.clearField(`fieldVisit.${key}`);
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.reset();
    const problems: Record<string, string> = {};
    if (!notes.trim()) problems.reviewNotes = t('errors.required');
    if (visited) {
      for (const key of ['date', 'place', 'findings'] as const) {
        if (!visit[key].trim()) problems[`fieldVisit.${key}`] = t('errors.required');
      }
    }
    if (Object.keys(problems).length > 0) {
      feedback.setClientErrors(problems);
      return;
    }
    feedback.reset();
    save.mutate(
      {
        ...(current ? { version: current.version } : {}),
        reviewNotes: notes.trim(),
        fieldVisit: visited
          ? { date: visit.date, place: visit.place.trim(), findings: visit.findings.trim() }
          : null,
        // The whole review is sent each time: keep the documents it already relies on.
        attachmentDocumentIds: current?.attachmentDocumentIds ?? [],
      },
      { onError: feedback.setError },
    );
  };

  return (
    <form onSubmit={submit} noValidate>
      <FormAlert
        feedback={feedback}
        shownFields={['reviewNotes', 'fieldVisit.date', 'fieldVisit.place', 'fieldVisit.findings']}
        onReload={onReload}
      />
      <Stack gap="sm">
        <Textarea
          label={t('council.advisory.notes')}
          required
          autosize
          minRows={3}
          value={notes}
          onChange={(e) => {
            setNotes(e.currentTarget.value);
            feedback.clearField('reviewNotes');
          }}
          error={feedback.fieldError('reviewNotes')}
        />
        <Checkbox
          label={t('council.advisory.hasVisit')}
          checked={visited}
          onChange={(e) => setVisited(e.currentTarget.checked)}
        />
        {visited && (
          <>
            <TextInput
              type="date"
              label={t('council.advisory.visitDate')}
              required
              value={visit.date}
              onChange={(e) => setVisitField('date', e.currentTarget.value)}
              error={feedback.fieldError('fieldVisit.date')}
              maw={240}
            />
            <TextInput
              label={t('council.advisory.visitPlace')}
              required
              value={visit.place}
              onChange={(e) => setVisitField('place', e.currentTarget.value)}
              error={feedback.fieldError('fieldVisit.place')}
            />
            <Textarea
              label={t('council.advisory.visitFindings')}
              required
              autosize
              minRows={3}
              value={visit.findings}
              onChange={(e) => setVisitField('findings', e.currentTarget.value)}
              error={feedback.fieldError('fieldVisit.findings')}
            />
          </>
        )}
        <Group>
          <Button type="submit" loading={save.isPending}>
            {t('council.advisory.save')}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
