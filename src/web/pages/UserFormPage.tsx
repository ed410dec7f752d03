import { Alert, Button, Group, Modal, Paper, Select, Stack, TextInput, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { ROLES, type Role, roleLabels } from '../../modules/accounts/roles';
import { ConfirmButton } from '../components/ConfirmButton';
import { Details } from '../components/Details';
import { FormAlert, useFormFeedback } from '../components/FormFeedback';
import { HistoryButton } from '../components/HistoryDrawer';
import { ErrorState, LoadingState } from '../components/PageStates';
import { PasswordField } from '../components/PasswordField';
import { useLocationNotice } from '../components/RecordHeader';
import { SubjectMultiSelect } from '../components/SubjectPicker';
import { UnitPicker } from '../components/UnitPicker';
import { type UserRow, useCreateUser, useResetPassword, useUpdateUser, useUser } from '../data/users';
import { formatDateTime } from '../format';
import { useLanguage } from '../i18n';
import { usePageTitle } from '../usePageTitle';
import { UserState } from './UsersPage';

type Values = {
  email: string;
  fullName: string;
  password: string;
  role: Role | null;
  provinceCode: string | null;
  communeCode: string | null;
  subjectIds: string[];
};

const SHOWN_FIELDS = ['email', 'fullName', 'password', 'role', 'provinceCode', 'communeCode', 'subjectIds'];

/** Only the scope the role uses is sent: the API refuses a scope on roles that have none. */
function scopeFor(values: Values) {
  return {
    provinceCode: values.role === 'province_officer' ? values.provinceCode : null,
    communeCode: values.role === 'commune_officer' ? values.communeCode : null,
    subjectIds: values.role === 'producer' ? values.subjectIds : [],
  };
}

export function UserFormPage() {
  const { id } = useParams();
  const user = useUser(id);
  if (id && user.isPending) return <LoadingState />;
  if (user.isError) return <ErrorState error={user.error} onRetry={() => void user.refetch()} />;
  return <UserForm key={user.data?.id ?? 'new'} user={user.data} />;
}

function UserForm({ user }: { user: UserRow | undefined }) {
  const { t } = useTranslation();
  const language = useLanguage();
  const navigate = useNavigate();
  const notice = useLocationNotice();
  const feedback = useFormFeedback();
  const create = useCreateUser();
  usePageTitle(user ? user.fullName : t('users.createTitle'));
  const update = useUpdateUser(user?.id ?? '');
  const [saved, setSaved] = useState(false);
  const [values, setValues] = useState<Values>({
    email: user?.email ?? '',
    fullName: user?.fullName ?? '',
    password: '',
    role: user?.role ?? null,
    provinceCode: user?.provinceCode ?? null,
    communeCode: user?.communeCode ?? null,
    subjectIds: user?.subjectIds ?? [],
  });

  const set = <K extends keyof Values>(key: K, value: Values[K]) => {
    setValues((current) => ({ ...current, [key]: value }));
    feedback.clearField(key);
    setSaved(false);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    const missing: Record<string, string> = {};
    if (!values.fullName.trim()) missing.fullName = t('errors.required');
    if (!values.role) missing.role = t('errors.required');
    if (!user && !values.email.trim()) missing.email = t('errors.required');
    if (!user && !values.password) missing.password = t('errors.required');
    if (Object.keys(missing).length > 0 || !values.role) return feedback.setClientErrors(missing);
    feedback.reset();
    if (user) {
      update.mutate(
        { fullName: values.fullName, role: values.role, ...scopeFor(values) },
        { onSuccess: () => setSaved(true), onError: feedback.setError },
      );
    } else {
      create.mutate(
        {
          email: values.email,
          fullName: values.fullName,
          password: values.password,
          role: values.role,
          ...scopeFor(values),
        },
        {
          onSuccess: (created) => navigate(`/users/${created.id}`, { state: { notice: t('users.created') } }),
          onError: feedback.setError,
        },
      );
    }
  };

  return (
    <Stack gap="md" maw={760}>
      {notice && !saved && (
        <Alert color="ocop" role="status">
          {notice}
        </Alert>
      )}
      {saved && (
        <Alert color="ocop" role="status">
          {t('common.saved')}
        </Alert>
      )}
      <Stack gap="sm">
        <Stack gap={4}>
          <Title order={1}>{user ? user.fullName : t('users.createTitle')}</Title>
          {user && <UserState user={user} />}
        </Stack>
        {user && <UserActions user={user} />}
      </Stack>

      {user && (
        <Paper withBorder p="md">
          <Details
            items={[
              { label: t('users.email'), value: user.email },
              { label: t('common.createdAt'), value: formatDateTime(user.createdAt) },
              {
                label: t('users.lastLogin'),
                value: user.lastLoginAt ? formatDateTime(user.lastLoginAt) : t('users.never'),
              },
            ]}
          />
        </Paper>
      )}

      <Paper withBorder p="md">
        <form onSubmit={onSubmit} noValidate>
          <FormAlert feedback={feedback} shownFields={SHOWN_FIELDS} />
          <Stack gap="sm">
            {!user && (
              <TextInput
                label={t('users.email')}
                type="email"
                autoComplete="off"
                value={values.email}
                onChange={(e) => set('email', e.currentTarget.value)}
                error={feedback.fieldError('email')}
                required
              />
            )}
            <TextInput
              label={t('users.fullName')}
              value={values.fullName}
              onChange={(e) => set('fullName', e.currentTarget.value)}
              error={feedback.fieldError('fullName')}
              required
            />
            <Select
              label={t('users.role')}
              data={ROLES.map((r) => ({ value: r, label: roleLabels[r][language] }))}
              value={values.role}
              onChange={(role) => set('role', role as Role | null)}
              error={feedback.fieldError('role')}
              required
              allowDeselect={false}
            />
            {(values.role === 'province_officer' || values.role === 'commune_officer') && (
              <UnitPicker
                value={{ provinceCode: values.provinceCode, communeCode: values.communeCode }}
                onChange={(unit) => {
                  setValues((current) => ({ ...current, ...unit }));
                  feedback.clearField('provinceCode');
                  feedback.clearField('communeCode');
                }}
                withCommune={values.role === 'commune_officer'}
                provinceError={feedback.fieldError('provinceCode')}
                communeError={feedback.fieldError('communeCode')}
                required
              />
            )}
            {values.role === 'producer' && (
              <SubjectMultiSelect
                label={t('users.subjects')}
                description={t('users.subjectsHint')}
                value={values.subjectIds}
                onChange={(ids) => set('subjectIds', ids)}
                error={feedback.fieldError('subjectIds')}
              />
            )}
            {!user && (
              <PasswordField
                label={t('users.initialPassword')}
                description={`${t('auth.passwordRules')} ${t('users.initialPasswordHint')}`}
                autoComplete="new-password"
                value={values.password}
                onChange={(e) => set('password', e.currentTarget.value)}
                error={feedback.fieldError('password')}
                required
              />
            )}
            <Group>
              <Button type="submit" loading={create.isPending || update.isPending}>
                {t('common.save')}
              </Button>
              <Button variant="default" onClick={() => navigate('/users')}>
                {t('common.back')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Paper>
    </Stack>
  );
}

function UserActions({ user }: { user: UserRow }) {
  const { t } = useTranslation();
  const update = useUpdateUser(user.id);
  const [passwordReset, setPasswordReset] = useState(false);
  return (
    <Stack gap="xs">
      <Group gap="xs">
        <ResetPasswordButton user={user} onDone={() => setPasswordReset(true)} />
        {user.active ? (
          <ConfirmButton
            variant="default"
            color="red"
            question={t('users.deactivateConfirm', { email: user.email })}
            onConfirm={() => update.mutate({ active: false })}
            loading={update.isPending}
          >
            {t('users.deactivate')}
          </ConfirmButton>
        ) : (
          <Button
            variant="default"
            onClick={() => update.mutate({ active: true })}
            loading={update.isPending}
          >
            {t('users.activate')}
          </Button>
        )}
        <HistoryButton entityType="user" entityId={user.id} />
      </Group>
      {passwordReset && (
        <Alert
          color="ocop"
          role="status"
          withCloseButton
          onClose={() => setPasswordReset(false)}
          closeButtonLabel={t('common.close')}
        >
          {t('users.passwordReset')}
        </Alert>
      )}
      {update.isError && <ErrorState error={update.error} />}
    </Stack>
  );
}

function ResetPasswordButton({ user, onDone }: { user: UserRow; onDone: () => void }) {
  const { t } = useTranslation();
  const [opened, { open, close }] = useDisclosure(false);
  const [password, setPassword] = useState('');
  const feedback = useFormFeedback();
  const reset = useResetPassword(user.id);

  const onClose = () => {
    close();
    setPassword('');
    feedback.reset();
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!password) return feedback.setClientErrors({ newPassword: t('errors.required') });
    reset.mutate(password, {
      onSuccess: () => {
        onDone();
        onClose();
      },
      onError: feedback.setError,
    });
  };

  return (
    <>
      <Button variant="default" onClick={open}>
        {t('users.resetPassword')}
      </Button>
      <Modal
        opened={opened}
        onClose={onClose}
        title={t('users.resetPasswordTitle', { email: user.email })}
        closeButtonProps={{ 'aria-label': t('common.close') }}
      >
        <form onSubmit={onSubmit} noValidate>
          <FormAlert feedback={feedback} shownFields={['newPassword']} />
          <Stack gap="sm">
            <PasswordField
              label={t('auth.newPassword')}
              description={t('auth.passwordRules')}
              autoComplete="new-password"
              value={password}
              onChange={(e) => {
                setPassword(e.currentTarget.value);
                feedback.clearField('newPassword');
              }}
              error={feedback.fieldError('newPassword')}
              required
              data-autofocus
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={onClose}>
                {t('common.cancel')}
              </Button>
              <Button type="submit" loading={reset.isPending}>
                {t('users.resetPassword')}
              </Button>
            </Group>
          </Stack>
        </form>
      </Modal>
    </>
  );
}
