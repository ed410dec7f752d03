import { Box, SimpleGrid, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export type DetailItem = { label: string; value: ReactNode; wide?: boolean };

function isEmpty(value: ReactNode): boolean {
  return (
    value === null || value === undefined || value === '' || (Array.isArray(value) && value.length === 0)
  );
}

/** Label/value pairs of a detail page, as a description list (read as pairs by screen readers). */
export function Details({ items }: { items: DetailItem[] }) {
  const { t } = useTranslation();
  return (
    <SimpleGrid component="dl" cols={{ base: 1, sm: 2, md: 3 }} spacing="sm" verticalSpacing="sm" m={0}>
      {items.map((item) => (
        <Box key={item.label} style={item.wide ? { gridColumn: '1 / -1' } : undefined}>
          <Text component="dt" size="sm" c="dimmed">
            {item.label}
          </Text>
          <Text component="dd" m={0} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
            {isEmpty(item.value) ? t('common.none') : item.value}
          </Text>
        </Box>
      ))}
    </SimpleGrid>
  );
}
