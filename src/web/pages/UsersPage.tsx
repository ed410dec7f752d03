import { Anchor, Badge, Group, Paper, SimpleGrid } from '@mantine/core';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ROLES, roleLabels } from '../../modules/accounts/roles';
import type { Column } from '../components/DataTable';
import { FilterSelect, ListPage, SearchBox } from '../components/ListPage';
import { StatusBadge } from '../components/StatusBadge';
import { UnitName } from '../components/UnitName';
import { useListParams } from '../components/useListParams';
import { type UserRow, useUsers } from '../data/users';
import { formatDateTime } from '../format';
import { oneOf } from '../guards';
import { useLanguage } from '../i18n';
import { usePageTitle } from '../usePageTitle';

export function UserScope({
  user,
}: {
  user: Pick<UserRow, 'role' | 'provinceCode' | 'communeCode' | 'subjectIds'>;
}) {
  const { t } = useTranslation();
  if (user.role === 'producer') return <>{`${t('users.subjects')}: ${user.subjectIds.length}`}</>;
  if (user.provinceCode || user.communeCode) {
    return <UnitName provinceCode={user.provinceCode} communeCode={user.communeCode} />;
  }
  return <>{t('users.noScope')}</>;
}

/** Whether the account may log in, and whether it must change its password first. */
export function UserState({ user }: { user: Pick<UserRow, 'active' | 'mustChangePassword'> }) {
  const { t } = useTranslation();
  return (
    <Group gap={4}>
      <StatusBadge status={user.active ? 'active' : 'inactive'} />
      {user.mustChangePassword && (
        <Badge variant="light" color="orange" style={{ textTransform: 'none' }}>
          {t('users.mustChangePassword')}
        </Badge>
      )}
    </Group>
  );
}

export function UsersPage() {
  const { t } = useTranslation();
  const language = useLanguage();
  const params = useListParams();
  usePageTitle(t('users.listTitle'));
  const role = oneOf(ROLES, params.get('role'));
  const list = useUsers({ q: params.given('q'), role, ...params.paging });

  const columns: Column<UserRow>[] = [
    {
      key: 'name',
      header: t('users.fullName'),
      primary: true,
      render: (u) => (
        <Anchor component={Link} to={`/users/${u.id}`} fw={600}>
          {u.fullName}
        </Anchor>
      ),
    },
    { key: 'email', header: t('users.email'), render: (u) => u.email },
    { key: 'role', header: t('users.role'), render: (u) => roleLabels[u.role][language] },
    { key: 'scope', header: t('users.scope'), render: (u) => <UserScope user={u} /> },
    {
      key: 'state',
      header: t('users.state'),
      render: (u) => <UserState user={u} />,
    },
    {
      key: 'lastLogin',
      header: t('users.lastLogin'),
      render: (u) => (u.lastLoginAt ? formatDateTime(u.lastLoginAt) : t('users.never')),
    },
  ];

  return (
    <ListPage
      title={t('users.listTitle')}
      create={{ to: '/users/new', label: t('users.create') }}
      filters={
        // Two filters only: always in view, even on a phone.
        <Paper withBorder p="sm" component="section" aria-label={t('common.filters')}>
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm">
            <SearchBox params={params} withHint={false} />
            <FilterSelect
              params={params}
              name="role"
              label={t('users.role')}
              placeholder={t('users.allRoles')}
              data={ROLES.map((r) => ({ value: r, label: roleLabels[r][language] }))}
            />
          </SimpleGrid>
        </Paper>
      }
      params={params}
      list={list}
      columns={columns}
      emptyTitle={t('users.empty')}
    />
  );
}
