import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { IMPORT_STATUSES, ROW_STATUSES } from '../../../modules/imports/contract';

const jobColors: Record<(typeof IMPORT_STATUSES)[number], string> = {
  uploaded: 'blue',
  checked: 'grape',
  committing: 'yellow',
  committed: 'ocop',
  failed: 'red',
};

const rowColors: Record<(typeof ROW_STATUSES)[number], string> = {
  ok: 'ocop',
  warning: 'orange',
  flagged: 'grape',
  error: 'red',
  duplicate: 'gray',
  empty: 'gray',
};

const badgeStyle = { textTransform: 'none', flexShrink: 0 } as const;

/** An import's status in colour and words. */
export function ImportStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const known = (IMPORT_STATUSES as readonly string[]).includes(status);
  return (
    <Badge
      variant="light"
      color={known ? jobColors[status as keyof typeof jobColors] : 'gray'}
      style={badgeStyle}
    >
      {known ? t(`certificates.imports.statuses.${status as keyof typeof jobColors}`) : status}
    </Badge>
  );
}

/** A report row's status in colour and words. */
export function RowStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const known = (ROW_STATUSES as readonly string[]).includes(status);
  return (
    <Badge
      variant="light"
      color={known ? rowColors[status as keyof typeof rowColors] : 'gray'}
      style={badgeStyle}
    >
      {known ? t(`certificates.imports.rowStatuses.${status as keyof typeof rowColors}`) : status}
    </Badge>
  );
}
