import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  List,
  Modal,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { canDeclareConflict } from '../../../modules/evaluation/rules';
import { ApiError } from '../../api';
import { errorMessage, LoadingState } from '../../components/PageStates';
import { AutosaveIndicator } from '../../components/sheet/AutosaveIndicator';
import { pickText, SheetForm } from '../../components/sheet/SheetForm';
import { criteriaInFields, sheetOutlook } from '../../components/sheet/sheetModel';
import { useAutosave } from '../../components/sheet/useAutosave';
import {
  type MySheet,
  type ScoringDossier,
  useDeclareConflict,
  useDossierRuleSet,
  useMySheet,
  useSaveMySheet,
  useScoringDossier,
  useSubmitMySheet,
} from '../../data/scoring';
import { formatDateTime, formatNumber } from '../../format';
import { useLanguage } from '../../i18n';
import { usePageTitle } from '../../usePageTitle';
import { DossierStateText, EvidencePanel, ReasonDialogButton, RefusalPanel } from './parts';

/** /evaluation/dossiers/:id/score — a council member's own sheet, made for a tablet. */
export function ScorePage() {
  const { t } = useTranslation();
  const { id } = useParams();
  const mySheet = useMySheet(id);
  const dossier = useScoringDossier(id);
  const title = dossier.data
    ? t('scoring.score.title', { product: dossier.data.product.name })
    : t('scoring.score.titleFallback');
  usePageTitle(title);
  if (mySheet.isPending) return <LoadingState />;
  if (mySheet.isError)
    return (
      <RefusalPanel
        title={title}
        error={mySheet.error}
        dossierId={id}
        onRetry={() => void mySheet.refetch()}
      />
    );
  return (
    <ScoreSheet
      key={`${mySheet.data.dossierId}:${mySheet.data.revision}`}
      view={mySheet.data}
      title={title}
      dossier={dossier.data}
      dossierError={dossier.error}
    />
  );
}

function ScoreSheet({
  view,
  title,
  dossier,
  dossierError,
}: {
  view: MySheet;
  title: string;
  dossier: ScoringDossier | undefined;
  dossierError: unknown;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  const sheet = view.sheet.document;
  const ruleSet = useDossierRuleSet(view.dossierId);
  const [answers, setAnswers] = useState<Record<string, string>>(() => ({ ...view.answers }));
  const [comments, setComments] = useState<Record<string, string>>(() => ({
    ...(view.comments.criteria ?? {}),
  }));
  const [general, setGeneral] = useState(view.comments.general ?? '');
  const inCouncil = !dossier || dossier.state === 'in_council';
  const editable = view.status === 'draft' && inCouncil;
  const save = useSaveMySheet(view.dossierId);
  const submit = useSubmitMySheet(view.dossierId);
  const declare = useDeclareConflict(view.dossierId);
  const [missingOpen, setMissingOpen] = useState(false);
  const [confirmOpen, setConfirmOpen] = useState(false);
  const [submitError, setSubmitError] = useState<unknown>(null);
  const [submitted, setSubmitted] = useState(false);

  const body = useMemo(() => {
    const criteria = Object.fromEntries(Object.entries(comments).filter(([, text]) => text.trim() !== ''));
    return {
      answers,
      comments: {
        ...(general.trim() ? { general } : {}),
        ...(Object.keys(criteria).length ? { criteria } : {}),
      },
    };
  }, [answers, comments, general]);
  const autosave = useAutosave({ value: body, save, enabled: editable });
  const outlook = useMemo(() => sheetOutlook(sheet, answers, ruleSet.data), [sheet, answers, ruleSet.data]);
  const refusedFields = submitError instanceof ApiError ? criteriaInFields(submitError.fields) : {};

  const onSubmitClick = () => {
    setSubmitError(null);
    if (!outlook.complete) setMissingOpen(true);
    else setConfirmOpen(true);
  };
  const doSubmit = async () => {
    setConfirmOpen(false);
    setSubmitError(null);
    // Whatever is on screen is saved first: the server submits what it has.
    const saved = await autosave.flush();
    if (!saved) {
      setSubmitError(autosave.lastError());
      return;
    }
    submit.mutate(undefined, {
      onSuccess: () => setSubmitted(true),
      onError: (error) => setSubmitError(error),
    });
  };
  /** Closes the list and puts the member on the criterion's first choice (after the dialog lets go of focus). */
  const goTo = (code: string) => {
    setMissingOpen(false);
    setTimeout(() => {
      const row = document.getElementById(`criterion-my-${code}`);
      row?.scrollIntoView({ block: 'center' });
      row?.querySelector<HTMLInputElement>('input:not(:disabled)')?.focus();
    }, 50);
  };

  return (
    <Stack gap="md" maw={1100}>
      <Stack gap={4}>
        <Title order={1}>{title}</Title>
        <Group gap="xs">
          <Badge
            variant="light"
            color={view.status === 'submitted' ? 'ocop' : 'gray'}
            style={{ textTransform: 'none' }}
          >
            {view.status === 'submitted' ? t('scoring.score.submitted') : t('scoring.score.draft')}
          </Badge>
          {view.revision > 1 && (
            <Text size="sm" c="dimmed">
              {t('scoring.score.revision', { revision: view.revision })}
            </Text>
          )}
          <DossierStateText dossier={dossier} />
        </Group>
        <Group gap="md">
          <Anchor component={Link} to={`/evaluation/dossiers/${view.dossierId}`} size="sm">
            {t('scoring.common.backToDossier')}
          </Anchor>
          <Anchor component={Link} to={`/evaluation/dossiers/${view.dossierId}/sheets`} size="sm">
            {t('scoring.score.sheetsLink')}
          </Anchor>
        </Group>
      </Stack>

      {submitted && (
        <Alert color="ocop" role="status">
          {t('scoring.score.submittedNotice')}
        </Alert>
      )}
      {view.status === 'submitted' ? (
        <Alert color="blue" role="note">
          {t('scoring.score.submittedAt', { time: formatDateTime(view.submittedAt) })}
        </Alert>
      ) : !inCouncil ? (
        <Alert color="gray" role="note">
          {t('scoring.score.notInCouncil')}
        </Alert>
      ) : (
        <Text size="sm">{t('scoring.score.intro')}</Text>
      )}
      {view.reopenReason && view.status === 'draft' && (
        <Alert color="orange" role="note">
          {t('scoring.score.reopened', { reason: view.reopenReason })}
        </Alert>
      )}
      <Text size="sm" c="dimmed">
        {pickText(sheet.title, language)}
      </Text>

      <EvidencePanel dossier={dossier} error={dossierError} />

      {ruleSet.isError && (
        <Text size="sm" c="dimmed">
          {t('scoring.common.ruleSetUnavailable')}
        </Text>
      )}

      <SheetForm
        sheet={sheet}
        answers={answers}
        onAnswer={(code, option) => setAnswers((current) => ({ ...current, [code]: option }))}
        readOnly={!editable}
        comments={comments}
        onComment={(code, text) => setComments((current) => ({ ...current, [code]: text }))}
        showComments
        ruleSet={ruleSet.data}
        errors={refusedFields}
        idPrefix="my"
        status={
          editable ? (
            <AutosaveIndicator
              status={autosave.status}
              savedAt={autosave.savedAt}
              error={autosave.error}
              onRetry={() => void autosave.retry()}
            />
          ) : undefined
        }
      />

      {editable ? (
        <Textarea
          label={t('scoring.score.generalComment')}
          autosize
          minRows={2}
          maxLength={4000}
          value={general}
          onChange={(e) => setGeneral(e.currentTarget.value)}
        />
      ) : (
        view.comments.general && (
          <Text style={{ whiteSpace: 'pre-wrap' }}>
            <Text span fw={600}>
              {t('scoring.score.generalComment')}:
            </Text>{' '}
            {view.comments.general}
          </Text>
        )
      )}

      {submitError ? (
        <Alert color="red" role="alert" title={t('scoring.score.submitFailed')}>
          <Text size="sm">{errorMessage(submitError)}</Text>
          {Object.keys(refusedFields).length > 0 && (
            <List size="sm" mt="xs">
              {Object.entries(refusedFields).map(([code, message]) => (
                <List.Item key={code}>
                  <Anchor component="button" type="button" size="sm" onClick={() => goTo(code)}>
                    {message}
                  </Anchor>
                </List.Item>
              ))}
            </List>
          )}
        </Alert>
      ) : null}

      <Group justify="space-between" gap="sm">
        {dossier && canDeclareConflict(dossier.state) ? (
          <ReasonDialogButton
            label={t('scoring.score.conflict')}
            title={t('scoring.score.conflict')}
            intro={t('scoring.score.conflictIntro')}
            reasonLabel={t('scoring.score.conflictReason')}
            submitLabel={t('scoring.score.conflictSend')}
            pending={declare.isPending}
            onSubmit={(reason) => declare.mutateAsync(reason)}
            color="orange"
          />
        ) : (
          <span />
        )}
        {editable && (
          <Button size="lg" onClick={onSubmitClick} loading={submit.isPending}>
            {t('scoring.score.submit')}
          </Button>
        )}
      </Group>

      <Modal
        opened={missingOpen}
        onClose={() => setMissingOpen(false)}
        returnFocus={false}
        title={t('scoring.score.incompleteTitle')}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Text size="sm" mb="xs">
          {t('scoring.score.incomplete', { count: outlook.missing.length })}
        </Text>
        <List size="sm" spacing={4}>
          {outlook.missing.map((leaf) => (
            <List.Item key={leaf.code}>
              <Anchor component="button" type="button" size="sm" onClick={() => goTo(leaf.code)}>
                {leaf.code}. {pickText(leaf.name, language)}
              </Anchor>
            </List.Item>
          ))}
        </List>
      </Modal>

      <Modal
        opened={confirmOpen}
        onClose={() => setConfirmOpen(false)}
        title={t('scoring.score.submit')}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Text mb="md">
          {t('scoring.score.submitConfirm', { total: formatNumber(outlook.total, language) })}
        </Text>
        <Group justify="flex-end">
          <Button variant="default" onClick={() => setConfirmOpen(false)}>
            {t('common.cancel')}
          </Button>
          <Button onClick={() => void doSubmit()}>{t('common.confirm')}</Button>
        </Group>
      </Modal>
    </Stack>
  );
}
