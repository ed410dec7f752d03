import { Button, Stack, Text, Title } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { usePageTitle } from '../usePageTitle';

function StatusPage({ title, text }: { title: string; text: string }) {
  const { t } = useTranslation();
  usePageTitle(title);
  return (
    <Stack gap="sm" align="flex-start" py="xl">
      <Title order={1}>{title}</Title>
      <Text>{text}</Text>
      <Button component={Link} to="/">
        {t('errors.goHome')}
      </Button>
    </Stack>
  );
}

export function NotFoundPage() {
  const { t } = useTranslation();
  return <StatusPage title={t('errors.notFoundTitle')} text={t('errors.notFoundText')} />;
}

export function ForbiddenPage() {
  const { t } = useTranslation();
  return <StatusPage title={t('errors.forbiddenTitle')} text={t('errors.forbiddenText')} />;
}
