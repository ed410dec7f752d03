import { Alert, Button, Group, Modal, Select, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { RevocationReason } from '../../../modules/certificates/rules';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { type Certificate, useCertificateMeta, useRevokeCertificate } from '../../data/certificates';
import { pickLabel, useLanguage } from '../../i18n';
import { todayInVietnam } from './parts';

const FIELDS = ['reasonCategory', 'decisionNumber', 'decisionDate', 'note'] as const;

/**
 * Revocation: reason category, the revocation decision's number and date, a note (required for
 * "other"), then a second step that says what will happen — the public page shows it at once.
 */
export function RevokeButton({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button color="red" variant="outline" onClick={() => setOpened(true)}>
        {t('certificates.revoke')}
      </Button>
      {opened && <RevokeModal certificate={certificate} onClose={() => setOpened(false)} />}
    </>
  );
}

function RevokeModal({ certificate, onClose }: { certificate: Certificate; onClose: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const meta = useCertificateMeta();
  const revoke = useRevokeCertificate(certificate.id);
  const feedback = useFormFeedback();
  const [reasonCategory, setReason] = useState<RevocationReason | null>(null);
  const [decisionNumber, setNumber] = useState('');
  const [decisionDate, setDate] = useState(todayInVietnam());
  const [note, setNote] = useState('');
  const [confirming, setConfirming] = useState(false);

  const check = () => {
    const errors: Record<string, string> = {};
    if (!reasonCategory) errors.reasonCategory = t('certificates.required');
    if (!decisionNumber.trim()) errors.decisionNumber = t('certificates.required');
    if (!decisionDate) errors.decisionDate = t('certificates.required');
    if (reasonCategory === 'other' && !note.trim()) errors.note = t('certificates.noteRequired');
    if (Object.keys(errors).length) {
      feedback.setClientErrors(errors);
      return;
    }
    feedback.reset();
    setConfirming(true);
  };

  const submit = () => {
    if (!reasonCategory) return;
    revoke.mutate(
      { reasonCategory, decisionNumber: decisionNumber.trim(), decisionDate, note: note.trim() },
      {
        onSuccess: onClose,
        onError: (error) => {
          setConfirming(false);
          feedback.setError(error);
        },
      },
    );
  };

  return (
    <Modal
      opened
      onClose={onClose}
      title={t('certificates.revokeTitle', { number: certificate.number })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      {confirming ? (
        <Stack gap="sm">
          <Text>
            {t('certificates.revokeQuestion', {
              number: certificate.number,
              product: certificate.product.name,
            })}
          </Text>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setConfirming(false)} disabled={revoke.isPending}>
              {t('common.back')}
            </Button>
            <Button color="red" onClick={submit} loading={revoke.isPending}>
              {t('certificates.revokeConfirm')}
            </Button>
          </Group>
        </Stack>
      ) : (
        <form
          onSubmit={(e) => {
            e.preventDefault();
            check();
          }}
          noValidate
        >
          <Stack gap="sm">
            <FormAlert feedback={feedback} shownFields={FIELDS} />
            <Select
              label={t('certificates.revokeReason')}
              required
              data={(meta.data?.revocationReasons ?? []).map((r) => ({
                value: r.code,
                label: pickLabel(r.label, language),
              }))}
              value={reasonCategory}
              onChange={(v) => {
                setReason(v as RevocationReason | null);
                feedback.clearField('reasonCategory');
              }}
              error={feedback.fieldError('reasonCategory')}
            />
            <TextInput
              label={t('certificates.revokeDecisionNumber')}
              required
              value={decisionNumber}
              onChange={(e) => {
                setNumber(e.currentTarget.value);
                feedback.clearField('decisionNumber');
              }}
              error={feedback.fieldError('decisionNumber')}
            />
            <TextInput
              type="date"
              label={t('certificates.revokeDecisionDate')}
              required
              value={decisionDate}
              max={todayInVietnam()}
              onChange={(e) => {
                setDate(e.currentTarget.value);
                feedback.clearField('decisionDate');
              }}
              error={feedback.fieldError('decisionDate')}
            />
            <Textarea
              label={t('certificates.revokeNote')}
              description={t('certificates.revokeNoteHint')}
              value={note}
              autosize
              minRows={2}
              onChange={(e) => {
                setNote(e.currentTarget.value);
                feedback.clearField('note');
              }}
              error={feedback.fieldError('note')}
            />
            <Alert color="orange" role="note">
              {t('certificates.revokeWarning')}
            </Alert>
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" color="red">
                {t('certificates.revoke')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
