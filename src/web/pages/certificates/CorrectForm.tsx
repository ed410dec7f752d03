import { Button, Group, Modal, Select, SimpleGrid, Stack, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { type Certificate, type CorrectInput, useCorrectCertificate } from '../../data/certificates';

type Draft = {
  productName: string;
  subjectName: string;
  star: string;
  issuerName: string;
  decisionNumber: string;
  decisionDate: string;
  validFrom: string;
  validTo: string;
  originalAddress: string;
};

const FIELDS = [
  'reason',
  'changes',
  'changes.productName',
  'changes.subjectName',
  'changes.star',
  'changes.issuer',
  'changes.issuer.name',
  'changes.decisionNumber',
  'changes.decisionDate',
  'changes.validFrom',
  'changes.validTo',
  'changes.originalAddress',
] as const;

function draftOf(c: Certificate): Draft {
  return {
    productName: c.product.name,
    subjectName: c.subject.name,
    star: String(c.star),
    issuerName: c.issuer.name,
    decisionNumber: c.decisionNumber,
    // A year-only record has none yet: giving the decision date completes it.
    decisionDate: c.decisionDate ?? '',
    validFrom: c.validFrom ?? '',
    validTo: c.validTo ?? '',
    originalAddress: c.originalAddress ?? '',
  };
}

/** Only what the officer changed is sent: the API refuses a correction that changes nothing. */
export function changesOf(c: Certificate, d: Draft): CorrectInput['changes'] {
  const before = draftOf(c);
  const changes: CorrectInput['changes'] = {};
  if (d.productName.trim() !== before.productName) changes.productName = d.productName.trim();
  if (d.subjectName.trim() !== before.subjectName) changes.subjectName = d.subjectName.trim();
  if (d.star !== before.star) changes.star = Number(d.star) as 3 | 4 | 5;
  if (d.issuerName.trim() !== before.issuerName)
    changes.issuer = { name: d.issuerName.trim(), level: c.issuer.level };
  if (d.decisionNumber.trim() !== before.decisionNumber) changes.decisionNumber = d.decisionNumber.trim();
  if (d.decisionDate !== before.decisionDate) changes.decisionDate = d.decisionDate;
  if (d.validFrom !== before.validFrom) changes.validFrom = d.validFrom;
  if (d.validTo !== before.validTo) changes.validTo = d.validTo;
  if (d.originalAddress.trim() !== before.originalAddress)
    changes.originalAddress = d.originalAddress.trim() || null;
  return changes;
}

/** A correction makes a new version pointing at this one; the page then shows the new version. */
export function CorrectButton({ certificate }: { certificate: Certificate }) {
  const { t } = useTranslation();
  const [opened, setOpened] = useState(false);
  return (
    <>
      <Button variant="light" onClick={() => setOpened(true)}>
        {t('certificates.correct')}
      </Button>
      {opened && <CorrectModal certificate={certificate} onClose={() => setOpened(false)} />}
    </>
  );
}

function CorrectModal({ certificate, onClose }: { certificate: Certificate; onClose: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const correct = useCorrectCertificate(certificate.id);
  const feedback = useFormFeedback();
  const [draft, setDraft] = useState<Draft>(() => draftOf(certificate));
  const [reason, setReason] = useState('');

  const field = (key: keyof Draft, path: string) => ({
    value: draft[key],
    onChange: (e: { currentTarget: { value: string } }) => {
      const value = e.currentTarget.value;
      setDraft((d) => ({ ...d, [key]: value }));
      feedback.clearField(path);
    },
    error: feedback.fieldError(path),
  });

  const submit = () => {
    const changes = changesOf(certificate, draft);
    const errors: Record<string, string> = {};
    if (!reason.trim()) errors.reason = t('certificates.required');
    if (Object.keys(changes).length === 0) errors.changes = t('certificates.nothingChanged');
    if (Object.keys(errors).length) {
      feedback.setClientErrors(errors);
      return;
    }
    feedback.reset();
    correct.mutate(
      { version: certificate.version, reason: reason.trim(), changes },
      {
        onSuccess: (next) =>
          navigate(`/certificates/${next.id}`, {
            state: { notice: t('certificates.corrected', { version: next.version }) },
          }),
        onError: feedback.setError,
      },
    );
  };

  return (
    <Modal
      opened
      onClose={onClose}
      size="lg"
      title={t('certificates.correctTitle', { number: certificate.number })}
      closeButtonProps={{ 'aria-label': t('common.close') }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
        noValidate
      >
        <Stack gap="sm">
          <FormAlert feedback={feedback} shownFields={FIELDS} />
          {feedback.fieldError('changes') && (
            <Text c="red.7" size="sm" role="alert">
              {feedback.fieldError('changes')}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <TextInput label={t('certificates.product')} {...field('productName', 'changes.productName')} />
            <TextInput label={t('certificates.subject')} {...field('subjectName', 'changes.subjectName')} />
            <Select
              label={t('certificates.star')}
              data={['3', '4', '5'].map((s) => ({ value: s, label: t('certificates.starsText', { n: s }) }))}
              value={draft.star}
              allowDeselect={false}
              onChange={(v) => v && setDraft((d) => ({ ...d, star: v }))}
              error={feedback.fieldError('changes.star')}
            />
            <TextInput
              label={t('certificates.issuer')}
              {...field('issuerName', 'changes.issuer.name')}
              error={feedback.fieldError('changes.issuer.name') ?? feedback.fieldError('changes.issuer')}
            />
            <TextInput
              label={t('certificates.decisionNumber')}
              {...field('decisionNumber', 'changes.decisionNumber')}
            />
            <TextInput
              type="date"
              label={t('certificates.decisionDate')}
              {...field('decisionDate', 'changes.decisionDate')}
            />
            <TextInput
              type="date"
              label={t('certificates.validFrom')}
              {...field('validFrom', 'changes.validFrom')}
            />
            <TextInput
              type="date"
              label={t('certificates.validTo')}
              {...field('validTo', 'changes.validTo')}
            />
          </SimpleGrid>
          <TextInput
            label={t('certificates.originalAddress')}
            {...field('originalAddress', 'changes.originalAddress')}
          />
          <Textarea
            label={t('certificates.correctionReason')}
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
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={correct.isPending}>
              {t('certificates.correctSubmit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
