import { Badge } from '@mantine/core';
import { useTranslation } from 'react-i18next';

export type Status =
  | 'draft'
  | 'registered'
  | 'certified'
  | 'expired'
  | 'revoked'
  | 'archived'
  | 'active'
  | 'inactive';

// Colours whose shade 7 the theme has made AA-compliant; the text always says the status too.
const colors: Record<Status, string> = {
  draft: 'gray',
  registered: 'blue',
  certified: 'ocop',
  expired: 'orange',
  revoked: 'red',
  archived: 'gray',
  active: 'ocop',
  inactive: 'red',
};

export function isStatus(value: string): value is Status {
  return value in colors;
}

export function StatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  if (!isStatus(status)) return <Badge variant="light">{status}</Badge>;
  return (
    // The label must never be cut to "Đã đă…" in a narrow table column.
    <Badge
      variant="light"
      color={colors[status]}
      style={{ textTransform: 'none', flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {t(`status.${status}`)}
    </Badge>
  );
}
