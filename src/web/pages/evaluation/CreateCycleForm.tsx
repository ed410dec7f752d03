import {
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  SimpleGrid,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import type { CreateCycleInput } from '../../../modules/evaluation/contract';
import type { CycleLevel } from '../../../modules/evaluation/rules';
import type { FieldErrors } from '../../api';
import { isAdmin, useCurrentUser } from '../../auth';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { useProvinces } from '../../data/adminUnits';
import { useActiveRuleSets, useCreateCycle } from '../../data/evaluation';
import { currentYear } from '../../format';
import { useLanguage } from '../../i18n';
import { localName, useLevelLabel } from './labels';

/** Levels a cycle is opened at; the commune pre-check is a step of a province cycle's dossiers. */
const OPENABLE: readonly CycleLevel[] = ['province', 'central', 'district'];

type Values = {
  level: CycleLevel;
  year: number | string;
  round: number | string;
  ruleSetCode: string | null;
  provinceCode: string | null;
  name: string;
  submissionDeadline: string;
  meetingDate: string;
};

const SHOWN_FIELDS = [
  'level',
  'year',
  'round',
  'ruleSetCode',
  'provinceCode',
  'name',
  'submissionDeadline',
  'meetingDate',
] as const;

/**
 * Opening a cycle (province officers and administrators): level, year, round, the active rule-set
 * it freezes, deadlines. The API's refusals (year outside the rule-set's period, round taken,
 * meeting before the deadline…) show next to their fields.
 */
export function CreateCycleForm({ onCancel }: { onCancel: () => void }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const levelLabel = useLevelLabel();
  const feedback = useFormFeedback();
  const create = useCreateCycle();
  const ruleSets = useActiveRuleSets(true);
  const admin = isAdmin(user.role);
  const provinces = useProvinces();
  const [values, setValues] = useState<Values>({
    level: 'province',
    year: currentYear(),
    round: 1,
    ruleSetCode: null,
    provinceCode: admin ? null : user.provinceCode,
    name: '',
    submissionDeadline: '',
    meetingDate: '',
  });

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    feedback.clearField(key);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const missing: FieldErrors = {};
    if (values.year === '') missing.year = t('errors.required');
    if (values.round === '') missing.round = t('errors.required');
    if (!values.ruleSetCode) missing.ruleSetCode = t('errors.required');
    if (!values.submissionDeadline) missing.submissionDeadline = t('errors.required');
    if (admin && values.level !== 'central' && !values.provinceCode)
      missing.provinceCode = t('errors.required');
    if (Object.keys(missing).length) {
      feedback.setClientErrors(missing);
      return;
    }
    feedback.reset();
    const input: CreateCycleInput = {
      level: values.level,
      year: Number(values.year),
      round: Number(values.round),
      ruleSetCode: values.ruleSetCode ?? '',
      submissionDeadline: values.submissionDeadline,
    };
    if (admin) input.provinceCode = values.level === 'central' ? null : values.provinceCode;
    if (values.name.trim()) input.name = values.name.trim();
    if (values.meetingDate) input.meetingDate = values.meetingDate;
    create.mutate(input, {
      onSuccess: (cycle) =>
        navigate(`/evaluation/cycles/${cycle.id}`, { state: { notice: t('evaluation.cycleForm.created') } }),
      onError: feedback.setError,
    });
  };

  const ruleSetOptions = (ruleSets.data ?? []).map((r) => ({
    value: r.code,
    label: `${localName(r.name, language)} (${r.code}, ${r.revision})`,
  }));

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="new-cycle-title">
      <form onSubmit={onSubmit} noValidate>
        <Stack gap="sm">
          <Title order={2} size="h3" id="new-cycle-title">
            {t('evaluation.cycleForm.title')}
          </Title>
          <Text size="sm" c="dimmed">
            {t('evaluation.cycleForm.intro')}
          </Text>
          <FormAlert feedback={feedback} shownFields={SHOWN_FIELDS} />
          <SimpleGrid cols={{ base: 1, sm: 2, md: 3 }} spacing="sm">
            <Select
              label={t('evaluation.cycles.level')}
              description={t('evaluation.cycleForm.levelHint')}
              data={OPENABLE.filter((l) => l !== 'central' || admin).map((l) => ({
                value: l,
                label: levelLabel(l),
              }))}
              value={values.level}
              onChange={(level) => level && set('level', level as CycleLevel)}
              allowDeselect={false}
              error={feedback.fieldError('level')}
              required
            />
            <NumberInput
              label={t('evaluation.cycles.year')}
              value={values.year}
              onChange={(year) => set('year', year)}
              min={2019}
              max={2100}
              allowDecimal={false}
              error={feedback.fieldError('year')}
              required
            />
            <NumberInput
              label={t('evaluation.cycles.round')}
              value={values.round}
              onChange={(round) => set('round', round)}
              min={1}
              max={12}
              allowDecimal={false}
              error={feedback.fieldError('round')}
              required
            />
            <Select
              label={t('evaluation.cycles.ruleSet')}
              description={
                ruleSets.isSuccess && ruleSetOptions.length === 0
                  ? t('evaluation.cycleForm.noRuleSets')
                  : t('evaluation.cycleForm.ruleSetHint')
              }
              placeholder={ruleSets.isPending ? t('common.loading') : undefined}
              data={ruleSetOptions}
              value={values.ruleSetCode}
              onChange={(code) => set('ruleSetCode', code)}
              error={
                feedback.fieldError('ruleSetCode') ??
                (ruleSets.isError ? (ruleSets.error as Error).message : undefined)
              }
              required
            />
            {admin && (
              <Select
                label={t('evaluation.cycles.province')}
                description={t('evaluation.cycleForm.provinceHint')}
                data={(provinces.data ?? []).map((p) => ({ value: p.code, label: p.name }))}
                value={values.level === 'central' ? null : values.provinceCode}
                onChange={(code) => set('provinceCode', code)}
                disabled={values.level === 'central'}
                searchable
                error={feedback.fieldError('provinceCode')}
                required={values.level !== 'central'}
              />
            )}
            <TextInput
              label={t('evaluation.cycles.name')}
              description={t('evaluation.cycleForm.nameHint')}
              value={values.name}
              onChange={(e) => set('name', e.currentTarget.value)}
              maxLength={300}
              error={feedback.fieldError('name')}
            />
            <TextInput
              type="date"
              label={t('evaluation.cycles.deadline')}
              value={values.submissionDeadline}
              onChange={(e) => set('submissionDeadline', e.currentTarget.value)}
              error={feedback.fieldError('submissionDeadline')}
              required
            />
            <TextInput
              type="date"
              label={t('evaluation.cycles.meeting')}
              value={values.meetingDate}
              onChange={(e) => set('meetingDate', e.currentTarget.value)}
              error={feedback.fieldError('meetingDate')}
            />
          </SimpleGrid>
          {!admin && feedback.fieldError('provinceCode') && (
            <Text c="red" size="sm" role="alert">
              {feedback.fieldError('provinceCode')}
            </Text>
          )}
          <Group justify="flex-end">
            <Button variant="default" onClick={onCancel} disabled={create.isPending}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={create.isPending}>
              {t('evaluation.cycleForm.submit')}
            </Button>
          </Group>
        </Stack>
      </form>
    </Paper>
  );
}
