import { Badge, Group, Text } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import type { CertificateStatus } from '../../../modules/certificates/rules';
import { CERTIFICATE_STATUSES } from '../../../modules/certificates/rules';
import { today } from '../../../shared/dates';
import { TIME_ZONE } from '../../format';

/** Colours whose shade 7 the theme made AA-compliant; the badge always says the status in words too. */
const statusColors: Record<CertificateStatus, string> = {
  pending: 'blue',
  valid: 'ocop',
  expiring: 'orange',
  expired: 'grape',
  revoked: 'red',
  superseded: 'gray',
  date_unknown: 'yellow',
};

export function isCertificateStatus(value: string): value is CertificateStatus {
  return (CERTIFICATE_STATUSES as readonly string[]).includes(value);
}

export function CertificateStatusBadge({ status }: { status: string }) {
  const { t } = useTranslation();
  const known = isCertificateStatus(status);
  return (
    <Badge
      variant="light"
      color={known ? statusColors[status] : 'gray'}
      style={{ textTransform: 'none', flexShrink: 0 }}
      styles={{ label: { overflow: 'visible' } }}
    >
      {known ? t(`certificates.status.${status}`) : status}
    </Badge>
  );
}

/** Stars drawn (for the eye) and written (for screen readers and anyone counting). */
export function Stars({ star }: { star: number }) {
  const { t } = useTranslation();
  return (
    <Group gap={6} wrap="nowrap" component="span">
      <Text component="span" c="orange.7" aria-hidden style={{ letterSpacing: 1 }}>
        {'★'.repeat(Math.max(0, Math.min(5, star)))}
      </Text>
      <Text component="span" size="sm">
        {t('certificates.starsText', { n: star })}
      </Text>
    </Group>
  );
}

/** "2026-12-31" → "31/12/2026": legal dates are calendar days, shown as written, never shifted by a zone. */
export function formatLegalDate(day: string | null | undefined): string {
  if (!day) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(day);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : day;
}

/** Today in Vietnam as 'YYYY-MM-DD' (the day legal dates are compared with). */
export function todayInVietnam(now: Date = new Date()): string {
  return today(TIME_ZONE, now);
}
