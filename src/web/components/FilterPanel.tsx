import { Button, Collapse, Paper, Stack } from '@mantine/core';
import { useDisclosure, useMediaQuery } from '@mantine/hooks';
import { type ReactNode, useId } from 'react';
import { useTranslation } from 'react-i18next';

/**
 * Search and filters of a list. On a phone only the search box shows until "Bộ lọc" is pressed,
 * so the results are not pushed below the fold by a column of selects.
 */
export function FilterPanel({
  search,
  children,
  active,
}: {
  search: ReactNode;
  children: ReactNode;
  active: boolean;
}) {
  const { t } = useTranslation();
  const isPhone = useMediaQuery('(max-width: 40em)', false, { getInitialValueInEffect: false });
  const [opened, { toggle }] = useDisclosure(active);
  const id = useId();
  return (
    <Paper withBorder p="sm" component="section" aria-label={t('common.filters')}>
      <Stack gap="sm">
        {search}
        {isPhone ? (
          <>
            <Button
              variant="light"
              size="compact-sm"
              style={{ alignSelf: 'flex-start' }}
              aria-expanded={opened}
              aria-controls={id}
              onClick={toggle}
            >
              {t('common.filters')}
            </Button>
            <Collapse expanded={opened} id={id}>
              <Stack gap="sm">{children}</Stack>
            </Collapse>
          </>
        ) : (
          children
        )}
      </Stack>
    </Paper>
  );
}
