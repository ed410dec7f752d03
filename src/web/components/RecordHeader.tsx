import { Alert, Button, Group, Stack, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation } from 'react-router';
import { isAdmin, useCurrentUser } from '../auth';
import type { AuditEntityType } from '../data/audit';
import { formatDate } from '../format';
import { ConfirmButton } from './ConfirmButton';
import { HistoryButton, type ValueLabeller } from './HistoryDrawer';
import { ErrorState } from './PageStates';

/** The message a page handed over when it sent the user here ("Đã lưu."), shown once on arrival. */
export function useLocationNotice(): string | undefined {
  const location = useLocation();
  return (location.state as { notice?: string } | null)?.notice;
}

type Props = {
  title: string;
  /** Under the title: the status badge and a word of context. */
  subtitle: ReactNode;
  archivedAt: string | null;
  /** "This subject has been archived." — the archive date follows it. */
  archivedNotice: string;
  /** The edit page, for those who may edit; an archived record is restored before it is edited. */
  editTo?: string;
  /** Acts of this kind of record, between "edit" and "archive". */
  actions?: ReactNode;
  /** Archive and restore, when this user may; archiving asks first. */
  archive?: { question: string; onArchive: () => void; onRestore: () => void; pending: boolean };
  /** The refusal of the last act, if any. */
  error?: unknown;
  /** The record's audit trail, offered to administrators (the API refuses everyone else). */
  history: { entityType: AuditEntityType; entityId: string; valueLabel?: ValueLabeller };
};

/**
 * The top of a record's page: the notice brought from the previous page, the last act's error,
 * the archived banner, the title with its status, and the acts on the record.
 */
export function RecordHeader({
  title,
  subtitle,
  archivedAt,
  archivedNotice,
  editTo,
  actions,
  archive,
  error,
  history,
}: Props) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const notice = useLocationNotice();
  return (
    <>
      {notice && (
        <Alert color="ocop" role="status">
          {notice}
        </Alert>
      )}
      {error ? <ErrorState error={error} /> : null}
      {archivedAt && (
        <Alert color="gray" role="note">
          {archivedNotice} {t('common.archivedOn', { date: formatDate(archivedAt) })}
        </Alert>
      )}
      <Group justify="space-between" align="flex-start" gap="sm">
        <Stack gap={4}>
          <Title order={1}>{title}</Title>
          <Group gap="xs">{subtitle}</Group>
        </Stack>
        <Group gap="xs">
          {!archivedAt && editTo && (
            <Button component={Link} to={editTo}>
              {t('common.edit')}
            </Button>
          )}
          {actions}
          {archive &&
            (archivedAt ? (
              <Button variant="default" onClick={archive.onRestore} loading={archive.pending}>
                {t('common.restore')}
              </Button>
            ) : (
              <ConfirmButton
                variant="default"
                color="red"
                question={archive.question}
                onConfirm={archive.onArchive}
                loading={archive.pending}
              >
                {t('common.archive')}
              </ConfirmButton>
            ))}
          {isAdmin(user.role) && <HistoryButton {...history} />}
        </Group>
      </Group>
    </>
  );
}
