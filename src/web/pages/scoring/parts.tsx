import {
  Alert,
  Anchor,
  Button,
  Group,
  List,
  Modal,
  Paper,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { stateLabels } from '../../../modules/evaluation/rules';
import { ApiError } from '../../api';
import { useFormFeedback } from '../../components/FormFeedback';
import { ErrorState, errorMessage } from '../../components/PageStates';
import { documentUrl, type ScoringDossier } from '../../data/scoring';
import { pickLabel, useLanguage } from '../../i18n';

/** Pieces shared by the scoring pages. */

/** A refusal the API explains (not a member, conflict of interest…) rather than a failure to retry. */
export function isRefusal(error: unknown): error is ApiError {
  return error instanceof ApiError && [403, 404, 409].includes(error.status);
}

/** The page when the API refuses it: its reason in the UI language, and where to go instead. */
export function RefusalPanel({
  title,
  refusedTitle,
  error,
  dossierId,
  onRetry,
}: {
  title: string;
  /** What could not be done; "you cannot score this dossier" unless said otherwise. */
  refusedTitle?: string;
  error: unknown;
  dossierId?: string;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  if (!isRefusal(error)) return <ErrorState error={error} onRetry={onRetry} />;
  return (
    <Stack gap="md">
      <Title order={1}>{title}</Title>
      <Alert color="orange" role="alert" title={refusedTitle ?? t('scoring.score.refusedTitle')}>
        <Stack gap="xs">
          <Text>{error.message}</Text>
          <Text size="sm">{t('scoring.score.refusedHelp')}</Text>
        </Stack>
      </Alert>
      {dossierId && error.status !== 404 && (
        <Group>
          <Button component={Link} to={`/evaluation/dossiers/${dossierId}`} variant="default">
            {t('scoring.common.backToDossier')}
          </Button>
        </Group>
      )}
    </Stack>
  );
}

/** "Trạng thái hồ sơ: Hội đồng đang chấm" */
export function DossierStateText({ dossier }: { dossier: ScoringDossier | undefined }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (!dossier) return null;
  return (
    <Text size="sm" c="dimmed">
      {t('scoring.common.state', { state: pickLabel(stateLabels[dossier.state], language) })}
    </Text>
  );
}

/** The dossier's evidence, by checklist item, each document a download link. */
export function EvidenceList({ dossier, error }: { dossier: ScoringDossier | undefined; error: unknown }) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (error) {
    return (
      <Text size="sm" c="red.7">
        {t('scoring.common.evidenceUnavailable', { message: errorMessage(error) })}
      </Text>
    );
  }
  if (!dossier) return null;
  if (!dossier.documents.length) return <Text size="sm">{t('scoring.common.noEvidence')}</Text>;
  const labelOf = (code: string) => {
    const item = dossier.checklist.find((c) => c.code === code);
    return item ? pickLabel(item.label, language) : code;
  };
  const codes = [...new Set(dossier.documents.map((d) => d.checklistCode))];
  return (
    <List spacing="xs" size="sm">
      {codes.map((code) => (
        <List.Item key={code}>
          <Text size="sm" fw={600}>
            {labelOf(code)}
          </Text>
          <List withPadding size="sm">
            {dossier.documents
              .filter((d) => d.checklistCode === code)
              .map((d) => (
                <List.Item key={d.id}>
                  <Anchor href={documentUrl(dossier.id, d.id)} target="_blank" rel="noopener">
                    {d.fileName}
                  </Anchor>
                </List.Item>
              ))}
          </List>
        </List.Item>
      ))}
    </List>
  );
}

export function EvidencePanel({ dossier, error }: { dossier: ScoringDossier | undefined; error: unknown }) {
  const { t } = useTranslation();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="scoring-evidence">
      <Title order={2} size="h4" id="scoring-evidence" mb="xs">
        {t('scoring.common.evidence')}
      </Title>
      <EvidenceList dossier={dossier} error={error} />
    </Paper>
  );
}

/**
 * A button opening a dialog that asks for a reason (required) before acting; the API's refusal
 * shows in the dialog, next to the reason when it names it.
 */
export function ReasonDialogButton({
  label,
  title,
  intro,
  reasonLabel,
  submitLabel,
  pending,
  onSubmit,
  color,
  variant = 'default',
  size,
}: {
  label: string;
  title: string;
  intro: string;
  reasonLabel?: string;
  submitLabel?: string;
  pending: boolean;
  /** Resolves when done; rejects with the API's error. */
  onSubmit: (reason: string) => Promise<unknown>;
  color?: string;
  variant?: string;
  size?: string;
}) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  const [reason, setReason] = useState('');
  const feedback = useFormFeedback();
  const close = () => {
    setOpened(false);
    setReason('');
    feedback.reset();
  };
  const send = async () => {
    if (!reason.trim()) {
      feedback.setClientErrors({ reason: t('scoring.common.reasonRequired') });
      return;
    }
    try {
      await onSubmit(reason.trim());
      close();
    } catch (error) {
      feedback.setError(error);
    }
  };
  const fieldMessage = feedback.fieldError('reason');
  const otherError = feedback.error && !fieldMessage ? errorMessage(feedback.error) : null;
  return (
    <>
      <Button variant={variant} color={color} size={size} onClick={() => setOpened(true)}>
        {label}
      </Button>
      <Modal
        opened={opened}
        onClose={close}
        title={title}
        centered
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <Stack gap="sm">
          <Text size="sm">{intro}</Text>
          {otherError && (
            <Alert color="red" role="alert">
              {otherError}
            </Alert>
          )}
          <Textarea
            label={reasonLabel ?? t('scoring.common.reason')}
            required
            autosize
            minRows={3}
            maxLength={2000}
            value={reason}
            error={fieldMessage}
            onChange={(e) => {
              setReason(e.currentTarget.value);
              feedback.clearField('reason');
            }}
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              {t('common.cancel')}
            </Button>
            <Button color={color} loading={pending} onClick={() => void send()}>
              {submitLabel ?? t('scoring.sheets.send')}
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
