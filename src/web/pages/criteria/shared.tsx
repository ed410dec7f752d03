import { Alert, Badge, Group, List, Stack, Text } from '@mantine/core';
import type { UseMutateFunction } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ConfirmButton } from '../../components/ConfirmButton';
import { FormAlert, useFormFeedback } from '../../components/FormFeedback';
import type { Problem } from '../../data/criteria';
import { type Language, useLanguage } from '../../i18n';

/** Official texts are Vietnamese; the English rendering is optional, so English falls back to it. */
export function localText(
  label: { vi: string; en?: string | undefined } | undefined,
  language: Language,
): string {
  if (!label) return '';
  return language === 'en' ? (label.en ?? label.vi) : label.vi;
}

export function useLocalText() {
  const language = useLanguage();
  return (label: { vi: string; en?: string | undefined } | undefined) => localText(label, language);
}

const statusColors = { draft: 'gray', active: 'ocop', retired: 'orange' } as const;

/** Draft, active or retired — in words, never by colour alone. */
export function DocumentStatusBadge({ status }: { status: 'draft' | 'active' | 'retired' }) {
  const { t } = useTranslation();
  return (
    // The label must never be cut to "Đang …" in a narrow table column.
    <Badge
      variant="light"
      color={statusColors[status]}
      style={{ textTransform: 'none', flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {t(`criteria.statuses.${status}`)}
    </Badge>
  );
}

/** Every demo sheet says it is not an official text, wherever it is listed. */
export function DemoBadge() {
  const { t } = useTranslation();
  return (
    <Badge
      variant="outline"
      color="orange"
      style={{ textTransform: 'none' }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {t('criteria.demoLabel')}
    </Badge>
  );
}

/** How sure a value is: stated by law, reported by the press, or open — set by an administrator. */
export function SourceBadge({ source }: { source: 'law' | 'press' | 'open' }) {
  const { t } = useTranslation();
  const color = source === 'open' ? 'orange' : source === 'press' ? 'blue' : 'gray';
  return (
    <Badge variant={source === 'open' ? 'filled' : 'light'} color={color} style={{ textTransform: 'none' }}>
      {t(`criteria.sources.${source}`)}
    </Badge>
  );
}

export function ProblemSummary({ errorCount, warningCount }: { errorCount: number; warningCount: number }) {
  const { t } = useTranslation();
  if (errorCount === 0 && warningCount === 0) return <Text size="sm">{t('criteria.valid')}</Text>;
  return (
    <Text size="sm" c={errorCount ? 'red.8' : undefined}>
      {t('criteria.problemCount', { errors: errorCount, warnings: warningCount })}
    </Text>
  );
}

/** The validator's report: each problem with its severity in words, where it is, and the message. */
export function ProblemList({
  problems,
  locations,
}: {
  problems: readonly Problem[];
  /** The workbook cell of a problem's path, after an Excel import. */
  locations?: Readonly<Record<string, string>>;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  if (!problems.length) {
    return (
      <Alert color="ocop" role="status">
        {t('criteria.noProblems')}
      </Alert>
    );
  }
  return (
    <List spacing="xs" size="sm" aria-label={t('criteria.problemsTitle')}>
      {problems.map((p) => (
        <List.Item key={`${p.path}|${p.code}|${p.vi}`}>
          <Badge
            variant="light"
            color={p.severity === 'error' ? 'red' : 'yellow'}
            mr="xs"
            style={{ textTransform: 'none' }}
          >
            {t(`criteria.severity.${p.severity}`)}
          </Badge>
          <Text span size="sm" ff="monospace">
            {p.ref ?? p.path}
          </Text>
          {locations?.[p.path] && (
            <Text span size="sm" c="dimmed">
              {' '}
              ({t('criteria.atCell', { cell: locations[p.path] })})
            </Text>
          )}
          <Text span size="sm">
            {' — '}
            {language === 'en' ? p.en : p.vi}
          </Text>
        </List.Item>
      ))}
    </List>
  );
}

type LifecycleInput = { action: 'activate' | 'retire'; version: number };

/**
 * Activate a draft or retire an active rule-set or sheet, each after a confirmation, with the
 * validator's refusal shown when the API declines.
 */
export function LifecycleActions<T>({
  status,
  version,
  activateQuestion,
  retireQuestion,
  action,
}: {
  status: 'draft' | 'active' | 'retired';
  version: number;
  activateQuestion: string;
  retireQuestion: string;
  action: { mutate: UseMutateFunction<T, Error, LifecycleInput>; isPending: boolean };
}) {
  const { t } = useTranslation();
  const feedback = useFormFeedback();
  const [done, setDone] = useState<string | null>(null);
  const act = (name: LifecycleInput['action']) => {
    setDone(null);
    feedback.reset();
    action.mutate(
      { action: name, version },
      {
        onSuccess: () => setDone(t(name === 'activate' ? 'criteria.activated' : 'criteria.retiredDone')),
        onError: feedback.setError,
      },
    );
  };
  return (
    <Stack gap="xs">
      <FormAlert feedback={feedback} shownFields={[]} />
      {done && (
        <Alert color="ocop" role="status">
          {done}
        </Alert>
      )}
      <Group gap="xs">
        {status === 'draft' && (
          <ConfirmButton
            loading={action.isPending}
            question={activateQuestion}
            onConfirm={() => act('activate')}
          >
            {t('criteria.activate')}
          </ConfirmButton>
        )}
        {status === 'active' && (
          <ConfirmButton
            color="red"
            variant="outline"
            loading={action.isPending}
            question={retireQuestion}
            onConfirm={() => act('retire')}
          >
            {t('criteria.retire')}
          </ConfirmButton>
        )}
      </Group>
    </Stack>
  );
}
