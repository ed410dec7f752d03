import { Card, Group, Pagination, Stack, Table, Text } from '@mantine/core';
import { useMediaQuery } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type Column<T> = {
  key: string;
  header: string;
  render: (row: T) => ReactNode;
  /** The column that names the row: the card title on phones. */
  primary?: boolean;
};

type Props<T> = {
  label: string;
  rows: T[];
  columns: Column<T>[];
  rowKey: (row: T) => string;
  total: number;
  page: number;
  pageSize: number;
  onPageChange: (page: number) => void;
};

/**
 * A paged list: a table on wide screens, a stack of cards on phones (a wide table would need
 * sideways scrolling there). Paging is the server's; this only shows where we are.
 */
export function DataTable<T>({
  label,
  rows,
  columns,
  rowKey,
  total,
  page,
  pageSize,
  onPageChange,
}: Props<T>) {
  const { t } = useTranslation();
  const isPhone = useMediaQuery('(max-width: 40em)', false, { getInitialValueInEffect: false });
  const primary = columns.find((c) => c.primary) ?? columns[0];
  const pages = Math.max(1, Math.ceil(total / pageSize));
  const from = total === 0 ? 0 : (page - 1) * pageSize + 1;
  const to = Math.min(total, page * pageSize);

  return (
    <Stack gap="sm">
      {isPhone ? (
        <Stack gap="xs" component="ul" aria-label={label} p={0} m={0} style={{ listStyle: 'none' }}>
          {rows.map((row) => (
            <Card component="li" key={rowKey(row)} withBorder padding="sm">
              <Text fw={600}>{primary?.render(row)}</Text>
              {columns
                .filter((c) => c !== primary)
                .map((column) => (
                  <Group key={column.key} gap={6} wrap="nowrap" align="baseline">
                    <Text size="sm" c="dimmed" miw={0} style={{ flexShrink: 0 }}>
                      {column.header}:
                    </Text>
                    <Text size="sm" component="div" miw={0}>
                      {column.render(row)}
                    </Text>
                  </Group>
                ))}
            </Card>
          ))}
        </Stack>
      ) : (
        <Table.ScrollContainer minWidth={640}>
          <Table striped highlightOnHover aria-label={label} verticalSpacing="xs">
            <Table.Thead>
              <Table.Tr>
                {columns.map((column) => (
                  <Table.Th key={column.key} scope="col">
                    {column.header}
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {rows.map((row) => (
                <Table.Tr key={rowKey(row)}>
                  {columns.map((column) => (
                    <Table.Td key={column.key}>{column.render(row)}</Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      )}
      <Group justify="space-between" wrap="wrap" gap="xs">
        <Text size="sm" c="dimmed" aria-live="polite">
          {t('table.range', { from, to, total })}
        </Text>
        {pages > 1 && (
          <nav aria-label={t('table.pagination')}>
            <Pagination
              total={pages}
              value={page}
              onChange={onPageChange}
              size="sm"
              siblings={isPhone ? 0 : 1}
              getItemProps={(item) => ({ 'aria-label': t('table.page', { page: item }) })}
              getControlProps={(control) => {
                if (control === 'previous') return { 'aria-label': t('table.previousPage') };
                if (control === 'next') return { 'aria-label': t('table.nextPage') };
                return {};
              }}
            />
          </nav>
        )}
      </Group>
    </Stack>
  );
}
