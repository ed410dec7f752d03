import { Badge, Button, Drawer, Group, Paper, Stack, Table, Text } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ROLES, type Role, roleLabels } from '../../modules/accounts/roles';
import { type AuditEntityType, type AuditEntry, useHistory } from '../data/audit';
import { formatDateTime } from '../format';
import { useLanguage } from '../i18n';
import { en } from '../i18n/en';
import { vi } from '../i18n/vi';
import { changedFields, formatAuditValue } from './historyDiff';
import { EmptyState, ErrorState, LoadingState } from './PageStates';
import { UnitCodeName } from './UnitName';

type ActionKey = keyof typeof vi.history.actions;

const isRole = (value: unknown): value is Role =>
  typeof value === 'string' && (ROLES as readonly string[]).includes(value);
type FieldNamespace = 'subjects' | 'products' | 'users' | 'craftVillages';

const namespaceOf: Record<AuditEntityType, FieldNamespace | null> = {
  subject: 'subjects',
  product: 'products',
  user: 'users',
  craft_village: 'craftVillages',
};

/** Records store units by code; the drawer names them (fetched lazily, cached for the visit). */
const UNIT_FIELDS = new Map<string, 'province' | 'commune'>([
  ['provinceCode', 'province'],
  ['communeCode', 'commune'],
]);

/** Turns stored codes into the words people know ("cooperative" → "Hợp tác xã"); undefined keeps the value. */
export type ValueLabeller = (field: string, value: unknown) => string | undefined;

function EntryCard({
  entry,
  entityType,
  valueLabel,
}: {
  entry: AuditEntry;
  entityType: AuditEntityType;
  valueLabel?: ValueLabeller;
}) {
  const { t } = useTranslation();
  const language = useLanguage();
  // Actions are recorded as "<entity>.<verb>"; known verbs get a label, others show as recorded.
  const verb = entry.action.split('.').pop() ?? entry.action;
  const actionLabel = verb in vi.history.actions ? t(`history.actions.${verb as ActionKey}`) : entry.action;
  const changes = changedFields(entry.before, entry.after);
  const namespace = namespaceOf[entityType];
  // Field names of the record are the keys of its form labels where one exists.
  const messages = language === 'en' ? en : vi;
  const labels: Record<string, unknown> = {
    ...(namespace ? messages[namespace] : {}),
    ...messages.history.fields,
  };
  const fieldLabel = (field: string) => {
    const label = labels[field];
    return typeof label === 'string' ? label : field;
  };
  const show = (field: string, value: unknown): ReactNode => {
    if (field === 'role' && isRole(value)) return roleLabels[value][language];
    const unit = UNIT_FIELDS.get(field);
    if (unit && typeof value === 'string' && value) return <UnitCodeName level={unit} code={value} />;
    return valueLabel?.(field, value) ?? formatAuditValue(value, t('common.yes'), t('common.no'));
  };

  return (
    <Paper withBorder p="sm" component="li">
      <Group justify="space-between" gap="xs" mb={changes.length ? 'xs' : 0}>
        <Badge variant="light" style={{ textTransform: 'none' }}>
          {actionLabel}
        </Badge>
        <Text size="sm">
          <time dateTime={entry.at}>{formatDateTime(entry.at)}</time> · {entry.actorLabel}
        </Text>
      </Group>
      {changes.length > 0 ? (
        <Table.ScrollContainer minWidth={280}>
          <Table fz="sm" verticalSpacing={4} withRowBorders>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">{t('history.field')}</Table.Th>
                <Table.Th scope="col">{t('history.before')}</Table.Th>
                <Table.Th scope="col">{t('history.after')}</Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {changes.map((change) => (
                <Table.Tr key={change.field}>
                  <Table.Td>{fieldLabel(change.field)}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-word' }}>{show(change.field, change.before)}</Table.Td>
                  <Table.Td style={{ wordBreak: 'break-word' }}>{show(change.field, change.after)}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      ) : (
        <Text size="sm" c="dimmed">
          {t('history.noFieldChanges')}
        </Text>
      )}
    </Paper>
  );
}

/** The audit trail of one record, for administrators (the API refuses everyone else). */
export function HistoryButton({
  entityType,
  entityId,
  valueLabel,
}: {
  entityType: AuditEntityType;
  entityId: string;
  valueLabel?: ValueLabeller;
}) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const isPhone = useMediaQuery('(max-width: 40em)', false, { getInitialValueInEffect: false });
  const history = useHistory(entityType, entityId, opened);

  return (
    <>
      <Button variant="default" onClick={open}>
        {t('history.open')}
      </Button>
      <Drawer
        opened={opened}
        onClose={close}
        title={t('history.title')}
        position="right"
        size={isPhone ? '100%' : 'xl'}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        {history.isPending ? (
          <LoadingState />
        ) : history.isError ? (
          <ErrorState error={history.error} onRetry={() => void history.refetch()} />
        ) : history.data.length === 0 ? (
          <EmptyState title={t('history.empty')} />
        ) : (
          <Stack component="ol" gap="sm" p={0} m={0} style={{ listStyle: 'none' }}>
            {history.data.map((entry) => (
              <EntryCard key={entry.seq} entry={entry} entityType={entityType} valueLabel={valueLabel} />
            ))}
          </Stack>
        )}
      </Drawer>
    </>
  );
}
