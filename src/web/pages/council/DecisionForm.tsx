import { Button, Checkbox, Group, Paper, SimpleGrid, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import { type ResultRow, useCreateDecision } from '../../data/council';
import { useLevelName } from './shared';

type Values = { number: string; decisionDate: string; signerName: string; signerTitle: string };
const FIELDS = ['number', 'decisionDate', 'signerName', 'signerTitle'] as const;

/** A dossier this level may recognise now: proposed, with the star its result gives and this level certifies. */
export const isEligible = (row: ResultRow) =>
  row.state === 'proposed' && row.finalStar !== null && row.levelDecision.certifies === row.finalStar;

/**
 * The recognition decision ("quyết định công nhận"): number, date, signer and the proposed
 * dossiers with their result's star. The API checks each dossier again and names the refused
 * ones by position (`items.N.star`), shown beside the dossier it refers to.
 */
export function DecisionForm({ cycleId, rows }: { cycleId: string; rows: ResultRow[] }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const levelName = useLevelName();
  const create = useCreateDecision(cycleId);
  const feedback = useFormFeedback();
  const proposed = rows.filter((r) => r.state === 'proposed');
  const [values, setValues] = useState<Values>({
    number: '',
    decisionDate: '',
    signerName: '',
    signerTitle: '',
  });
  const [picked, setPicked] = useState<Set<string>>(
    () => new Set(proposed.filter(isEligible).map((r) => r.dossierId)),
  );
  // The dossiers in the order they were sent, to place the API's `items.N…` messages.
  const [sent, setSent] = useState<string[]>([]);

  const set = (key: keyof Values, value: string) => {
    setValues((v) => ({ ...v, [key]: value }));
    feedback.clearField(key);
  };

  const itemErrors = (dossierId: string) => {
    const index = sent.indexOf(dossierId);
    if (index < 0) return [];
    return [
      feedback.fieldError(`items.${index}.dossierId`),
      feedback.fieldError(`items.${index}.star`),
    ].filter((m): m is string => Boolean(m));
  };

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    for (const key of FIELDS) if (!values[key].trim()) problems[key] = t('errors.required');
    const items = proposed
      .filter((r) => picked.has(r.dossierId) && r.finalStar !== null)
      .map((r) => ({ dossierId: r.dossierId, star: r.finalStar as number }));
    if (items.length === 0) problems.items = t('council.decisions.pickAtLeastOne');
    if (Object.keys(problems).length > 0) {
      feedback.setClientErrors(problems);
      return;
    }
    feedback.reset();
    setSent(items.map((i) => i.dossierId));
    create.mutate(
      {
        number: values.number.trim(),
        decisionDate: values.decisionDate,
        signerName: values.signerName.trim(),
        signerTitle: values.signerTitle.trim(),
        items,
      },
      {
        onSuccess: (decision) =>
          navigate(`/evaluation/decisions/${decision.id}`, {
            state: { notice: t('council.decisions.created') },
          }),
        onError: feedback.setError,
      },
    );
  };

  const shown = [...FIELDS, 'items', ...sent.flatMap((_, i) => [`items.${i}.dossierId`, `items.${i}.star`])];

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="create-decision">
      <Title order={2} size="h3" id="create-decision">
        {t('council.decisions.createTitle')}
      </Title>
      <Text size="sm" c="dimmed" mb="sm">
        {t('council.decisions.createIntro')}
      </Text>
      {proposed.length === 0 ? (
        <Text>{t('council.decisions.noEligible')}</Text>
      ) : (
        <form onSubmit={submit} noValidate>
          <FormAlert feedback={feedback} shownFields={shown} />
          <Stack gap="sm">
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput
                label={t('council.decisions.number')}
                placeholder={t('council.decisions.numberPlaceholder')}
                required
                value={values.number}
                onChange={(e) => set('number', e.currentTarget.value)}
                error={feedback.fieldError('number')}
              />
              <TextInput
                type="date"
                label={t('council.decisions.date')}
                required
                value={values.decisionDate}
                onChange={(e) => set('decisionDate', e.currentTarget.value)}
                error={feedback.fieldError('decisionDate')}
              />
              <TextInput
                label={t('council.decisions.signerName')}
                required
                value={values.signerName}
                onChange={(e) => set('signerName', e.currentTarget.value)}
                error={feedback.fieldError('signerName')}
              />
              <TextInput
                label={t('council.decisions.signerTitle')}
                required
                value={values.signerTitle}
                onChange={(e) => set('signerTitle', e.currentTarget.value)}
                error={feedback.fieldError('signerTitle')}
              />
            </SimpleGrid>
            <Checkbox.Group
              label={t('council.decisions.products')}
              required
              error={feedback.fieldError('items')}
              value={[...picked]}
              onChange={(next) => {
                setPicked(new Set(next));
                feedback.clearField('items');
              }}
            >
              <Stack gap="xs" mt="xs">
                {proposed.map((row) => {
                  const eligible = isEligible(row);
                  const stars = t('council.stars', { count: row.finalStar ?? 0 });
                  const errors = itemErrors(row.dossierId);
                  return (
                    <Checkbox
                      key={row.dossierId}
                      value={row.dossierId}
                      disabled={!eligible}
                      label={t('council.decisions.pick', { name: row.productName, stars })}
                      description={
                        eligible
                          ? undefined
                          : t('council.decisions.notHere', {
                              level: levelName(row.levelDecision.forwardsTo ?? ''),
                            })
                      }
                      error={errors.length ? errors.join(' ') : undefined}
                    />
                  );
                })}
              </Stack>
            </Checkbox.Group>
            <Group>
              <Button type="submit" loading={create.isPending}>
                {t('council.decisions.create')}
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Paper>
  );
}
