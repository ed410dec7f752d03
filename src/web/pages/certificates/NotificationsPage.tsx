import { Anchor, Badge, Button, Card, Checkbox, Group, Pagination, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { EmptyState, ErrorState, LoadingState } from '../../components/PageStates';
import { useListParams } from '../../components/useListParams';
import {
  type Cycle,
  expiringPayload,
  type Notice,
  openCycleFor,
  useCycles,
  useMarkRead,
  useNotifications,
} from '../../data/notifications';
import { formatDateTime } from '../../format';
import { usePageTitle } from '../../usePageTitle';
import { formatLegalDate, todayInVietnam } from './parts';

/** The evaluation type of a re-evaluation dossier (src/modules/evaluation/rules.ts EVALUATION_TYPES). */
const RE_EVALUATION = 're_evaluation';

/** Where "start a re-evaluation" goes: the open cycle's page with the product and type chosen, else the cycles list. */
export function reEvaluationLink(productId: string, cycle: Cycle | null): string {
  if (!cycle) return '/evaluation';
  const query = new URLSearchParams({ product: productId, type: RE_EVALUATION });
  return `/evaluation/cycles/${cycle.id}?${query.toString()}`;
}

/** /notifications: the user's own notices, newest first; unread ones are marked in words and weight. */
export function NotificationsPage() {
  const { t } = useTranslation();
  const params = useListParams();
  usePageTitle(t('certificates.notices.title'));
  const unreadOnly = params.get('unread') === '1';
  const notices = useNotifications({ ...params.paging, unread: unreadOnly || undefined });
  const hasExpiry = notices.data?.items.some((n) => n.kind === 'certificate.expiring') ?? false;
  const cycles = useCycles(hasExpiry);
  const openCycle = cycles.data ? openCycleFor(cycles.data.items, todayInVietnam()) : null;

  let body: React.ReactNode;
  if (notices.isPending) body = <LoadingState />;
  else if (notices.isError)
    body = <ErrorState error={notices.error} onRetry={() => void notices.refetch()} />;
  else if (notices.data.items.length === 0)
    body = (
      <EmptyState
        title={unreadOnly ? t('certificates.notices.noneUnread') : t('certificates.notices.empty')}
      />
    );
  else {
    const pages = Math.max(1, Math.ceil(notices.data.total / notices.data.pageSize));
    body = (
      <Stack gap="sm">
        <Stack
          component="ul"
          gap="sm"
          p={0}
          m={0}
          style={{ listStyle: 'none' }}
          aria-label={t('certificates.notices.title')}
        >
          {notices.data.items.map((notice) => (
            <NoticeCard key={notice.id} notice={notice} openCycle={openCycle} />
          ))}
        </Stack>
        {pages > 1 && (
          <nav aria-label={t('table.pagination')}>
            <Pagination
              total={pages}
              value={notices.data.page}
              onChange={(page) => params.set({ page })}
              size="sm"
            />
          </nav>
        )}
      </Stack>
    );
  }

  return (
    <Stack gap="md">
      <Group justify="space-between" align="center">
        <Title order={1}>{t('certificates.notices.title')}</Title>
        {notices.data && (
          <Text size="sm" aria-live="polite">
            {t('certificates.notices.unreadCount', { n: notices.data.unread })}
          </Text>
        )}
      </Group>
      <Checkbox
        label={t('certificates.notices.unreadOnly')}
        checked={unreadOnly}
        onChange={(e) => params.set({ unread: e.currentTarget.checked ? '1' : null })}
      />
      {body}
    </Stack>
  );
}

function NoticeCard({ notice, openCycle }: { notice: Notice; openCycle: Cycle | null }) {
  const { t } = useTranslation();
  const markRead = useMarkRead();
  const unread = notice.readAt === null;
  const expiring = expiringPayload(notice);
  return (
    <Card
      component="li"
      withBorder
      padding="sm"
      style={unread ? { borderLeft: '4px solid var(--mantine-color-ocop-7)' } : undefined}
    >
      <Stack gap={6}>
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap="xs">
            {unread ? (
              <Badge color="ocop" variant="filled" style={{ textTransform: 'none' }}>
                {t('certificates.notices.unread')}
              </Badge>
            ) : (
              <Badge color="gray" variant="light" style={{ textTransform: 'none' }}>
                {t('certificates.notices.read')}
              </Badge>
            )}
            <Text size="sm" c="dimmed">
              {formatDateTime(notice.createdAt)}
            </Text>
          </Group>
          {unread && (
            <Button
              size="compact-sm"
              variant="subtle"
              onClick={() => markRead.mutate(notice.id)}
              loading={markRead.isPending}
            >
              {t('certificates.notices.markRead')}
            </Button>
          )}
        </Group>
        {expiring ? (
          <>
            <Text fw={unread ? 700 : 400}>
              {t('certificates.notices.expiringTitle', {
                product: expiring.productName,
                date: formatLegalDate(expiring.validTo),
              })}
            </Text>
            <Text size="sm">
              {t('certificates.notices.expiringBody', {
                number: expiring.number,
                subject: expiring.subjectName,
                days: expiring.daysLeft,
              })}
            </Text>
            <Group gap="sm">
              <Button component={Link} to={reEvaluationLink(expiring.productId, openCycle)} size="compact-sm">
                {t('certificates.notices.startReEvaluation')}
              </Button>
              <Anchor component={Link} to={`/certificates/${expiring.certificateId}`} size="sm">
                {t('certificates.notices.openCertificate')}
              </Anchor>
            </Group>
            {!openCycle && (
              <Text size="xs" c="dimmed">
                {t('certificates.notices.noOpenCycle')}
              </Text>
            )}
          </>
        ) : (
          <Text fw={unread ? 700 : 400}>{t('certificates.notices.other', { kind: notice.kind })}</Text>
        )}
        {markRead.isError && <ErrorState error={markRead.error} />}
      </Stack>
    </Card>
  );
}
