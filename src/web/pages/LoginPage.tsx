import { Box, Button, Center, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, useNavigate, useSearchParams } from 'react-router';
import { useLogin, useSession } from '../auth';
import { FormAlert, useFormFeedback } from '../components/FormFeedback';
import { LanguageSwitch } from '../components/LanguageSwitch';
import { PasswordField } from '../components/PasswordField';
import { usePageTitle } from '../usePageTitle';

/** Only paths inside the app are followed after login, never another site. */
function safeNext(next: string | null): string {
  return next?.startsWith('/') && !next.startsWith('//') ? next : '/';
}

export function LoginPage() {
  const { t } = useTranslation();
  const session = useSession();
  const login = useLogin();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const feedback = useFormFeedback();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const next = safeNext(params.get('next'));
  usePageTitle(t('auth.loginTitle'));

  if (session.user) return <Navigate to={next} replace />;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!email.trim()) missing.email = t('errors.required');
    if (!password) missing.password = t('errors.required');
    if (Object.keys(missing).length > 0) return feedback.setClientErrors(missing);
    feedback.reset();
    login.mutate(
      { email, password },
      {
        onSuccess: () => navigate(next, { replace: true }),
        onError: (error) => feedback.setError(error),
      },
    );
  };

  return (
    <Box component="main" id="main" mih="100vh" bg="gray.0">
      <Group justify="flex-end" p="sm">
        <LanguageSwitch />
      </Group>
      <Center px="sm" pb="xl">
        <Paper withBorder shadow="sm" p={{ base: 'md', sm: 'xl' }} w="100%" maw={420}>
          <Stack gap="xs" mb="md">
            <Text fw={700} c="ocop.8">
              {t('app.title')}
            </Text>
            <Title order={1} size="h2">
              {t('auth.loginTitle')}
            </Title>
            <Text size="sm" c="dimmed">
              {t('auth.loginIntro')}
            </Text>
          </Stack>
          <form onSubmit={onSubmit} noValidate>
            <FormAlert feedback={feedback} shownFields={['email', 'password']} />
            <Stack gap="sm">
              <TextInput
                label={t('auth.email')}
                type="email"
                autoComplete="username"
                value={email}
                onChange={(e) => {
                  setEmail(e.currentTarget.value);
                  feedback.clearField('email');
                }}
                error={feedback.fieldError('email')}
                required
                data-autofocus
              />
              <PasswordField
                label={t('auth.password')}
                autoComplete="current-password"
                value={password}
                onChange={(e) => {
                  setPassword(e.currentTarget.value);
                  feedback.clearField('password');
                }}
                error={feedback.fieldError('password')}
                required
              />
              <Button type="submit" loading={login.isPending} mt="xs" fullWidth>
                {t('auth.submit')}
              </Button>
            </Stack>
          </form>
        </Paper>
      </Center>
    </Box>
  );
}
