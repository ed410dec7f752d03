import { Button, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { TIME_ZONE } from '../../format';
import { errorMessage } from '../PageStates';
import type { AutosaveStatus } from './useAutosave';

const timeFormat = new Intl.DateTimeFormat('en-GB', {
  timeZone: TIME_ZONE,
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hourCycle: 'h23',
});

/** "Đã lưu lúc 14:05:12" / "Đang lưu…" / "Chưa lưu được: … [Lưu lại]", announced politely. */
export function AutosaveIndicator({
  status,
  savedAt,
  error,
  onRetry,
}: {
  status: AutosaveStatus;
  savedAt: Date | null;
  error: unknown;
  onRetry: () => void;
}) {
  const { t } = useTranslation();
  return (
    <Group gap="xs" role="status" aria-live="polite" data-testid="autosave">
      {status === 'saving' && <Text size="sm">{t('scoring.autosave.saving')}</Text>}
      {status === 'pending' && <Text size="sm">{t('scoring.autosave.unsaved')}</Text>}
      {status === 'saved' && savedAt && (
        <Text size="sm">{t('scoring.autosave.savedAt', { time: timeFormat.format(savedAt) })}</Text>
      )}
      {status === 'failed' && (
        <>
          <Text size="sm" c="red.7" fw={600}>
            {t('scoring.autosave.failed', { message: errorMessage(error) })}
          </Text>
          <Button size="sm" variant="outline" color="red" onClick={onRetry}>
            {t('scoring.autosave.retry')}
          </Button>
          <Text size="xs" c="dimmed" w="100%">
            {t('scoring.autosave.keptLocally')}
          </Text>
        </>
      )}
    </Group>
  );
}
