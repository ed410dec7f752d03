import { Alert, Button, Paper, Stack, Title } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { api } from '../api';
import { SESSION_KEY, useCurrentUser } from '../auth';
import { FormAlert, useFormFeedback } from '../components/FormFeedback';
import { PasswordField } from '../components/PasswordField';
import { usePageTitle } from '../usePageTitle';

const FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'] as const;
type Field = (typeof FIELDS)[number];

export function ChangePasswordPage() {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const feedback = useFormFeedback();
  const [values, setValues] = useState<Record<Field, string>>({
    currentPassword: '',
    newPassword: '',
    confirmPassword: '',
  });
  const [done, setDone] = useState(false);
  const wasForced = user.mustChangePassword;
  usePageTitle(t('auth.changePasswordTitle'));

  const change = useMutation({
    mutationFn: (input: { currentPassword: string; newPassword: string }) =>
      api.post<{ ok: true }>('/auth/password', input),
    onSuccess: async () => {
      setValues({ currentPassword: '', newPassword: '', confirmPassword: '' });
      setDone(true);
      await queryClient.invalidateQueries({ queryKey: SESSION_KEY });
      if (wasForced) navigate('/', { replace: true });
    },
    onError: (error) => feedback.setError(error),
  });

  const set = (field: Field) => (event: React.ChangeEvent<HTMLInputElement>) => {
    const value = event.currentTarget.value;
    setValues((current) => ({ ...current, [field]: value }));
    feedback.clearField(field);
    setDone(false);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Record<string, string> = {};
    for (const field of FIELDS) if (!values[field]) problems[field] = t('errors.required');
    if (values.newPassword && values.confirmPassword && values.newPassword !== values.confirmPassword) {
      problems.confirmPassword = t('auth.passwordMismatch');
    }
    if (Object.keys(problems).length > 0) return feedback.setClientErrors(problems);
    feedback.reset();
    change.mutate({ currentPassword: values.currentPassword, newPassword: values.newPassword });
  };

  return (
    <Stack maw={480}>
      <Title order={1}>{t('auth.changePasswordTitle')}</Title>
      {user.mustChangePassword && (
        <Alert color="orange" role="status">
          {t('auth.mustChangePassword')}
        </Alert>
      )}
      {done && (
        <Alert color="ocop" role="status">
          {t('auth.passwordChanged')}
        </Alert>
      )}
      <Paper withBorder p="md">
        <form onSubmit={onSubmit} noValidate>
          <FormAlert feedback={feedback} shownFields={FIELDS} />
          <Stack gap="sm">
            <PasswordField
              label={t('auth.currentPassword')}
              autoComplete="current-password"
              value={values.currentPassword}
              onChange={set('currentPassword')}
              error={feedback.fieldError('currentPassword')}
              required
            />
            <PasswordField
              label={t('auth.newPassword')}
              description={t('auth.passwordRules')}
              autoComplete="new-password"
              value={values.newPassword}
              onChange={set('newPassword')}
              error={feedback.fieldError('newPassword')}
              required
            />
            <PasswordField
              label={t('auth.confirmPassword')}
              autoComplete="new-password"
              value={values.confirmPassword}
              onChange={set('confirmPassword')}
              error={feedback.fieldError('confirmPassword')}
              required
            />
            <Button type="submit" loading={change.isPending} style={{ alignSelf: 'flex-start' }}>
              {t('common.save')}
            </Button>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}
