import { Anchor, AppShell, Box, Burger, Button, Group, NavLink, Stack, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useLocation, useNavigate } from 'react-router';
import { roleLabels } from '../../modules/accounts/roles';
import { canSeeRegistry, isAdmin, isProvinceStaff, useCurrentUser, useLogout } from '../auth';
import { useLanguage } from '../i18n';
import { LanguageSwitch } from './LanguageSwitch';

type NavItem = { to: string; label: string; show: boolean };

/** The frame of every logged-in page: header with language and logout, navigation, main content. */
export function Shell({ children }: { children: ReactNode }) {
  const { t } = useTranslation();
  const user = useCurrentUser();
  const logout = useLogout();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const language = useLanguage();
  const [opened, { toggle, close }] = useDisclosure(false);

  const items: NavItem[] = [
    { to: '/', label: t('nav.home'), show: true },
    { to: '/subjects', label: t('nav.subjects'), show: canSeeRegistry(user.role) },
    { to: '/products', label: t('nav.products'), show: canSeeRegistry(user.role) },
    { to: '/craft-villages', label: t('nav.craftVillages'), show: canSeeRegistry(user.role) },
    { to: '/evaluation', label: t('nav.evaluation'), show: true },
    { to: '/certificates', label: t('nav.certificates'), show: canSeeRegistry(user.role) },
    { to: '/certificates/re-evaluation', label: t('nav.reEvaluation'), show: isProvinceStaff(user.role) },
    { to: '/imports', label: t('nav.imports'), show: isProvinceStaff(user.role) },
    { to: '/criteria', label: t('nav.criteria'), show: isProvinceStaff(user.role) },
    { to: '/notifications', label: t('nav.notifications'), show: true },
    { to: '/users', label: t('nav.users'), show: isAdmin(user.role) },
    { to: '/change-password', label: t('nav.changePassword'), show: true },
  ];
  const visible = items.filter((item) => item.show);
  // The longest matching entry is the active one, so /certificates/re-evaluation does not light up /certificates too.
  const activeTo = visible
    .map((item) => item.to)
    .filter((to) => (to === '/' ? pathname === '/' : pathname === to || pathname.startsWith(`${to}/`)))
    .sort((a, b) => b.length - a.length)[0];
  const isActive = (to: string) => to === activeTo;

  const onLogout = () => {
    logout.mutate(undefined, { onSettled: () => navigate('/login', { replace: true }) });
  };

  return (
    <AppShell
      header={{ height: 56 }}
      navbar={{ width: 230, breakpoint: 'sm', collapsed: { mobile: !opened } }}
      padding={{ base: 'sm', sm: 'md' }}
    >
      <Anchor href="#main" className="skip-link">
        {t('app.skipToContent')}
      </Anchor>
      <AppShell.Header>
        <Group h="100%" px="sm" justify="space-between" wrap="nowrap" gap="xs">
          <Group gap="xs" wrap="nowrap" miw={0}>
            <Burger
              opened={opened}
              onClick={toggle}
              hiddenFrom="sm"
              size="sm"
              aria-label={opened ? t('nav.closeMenu') : t('nav.openMenu')}
            />
            <Anchor component={Link} to="/" fw={700} c="ocop.8" underline="never" truncate="end">
              <Box component="span" visibleFrom="xs">
                {t('app.title')}
              </Box>
              <Box component="span" hiddenFrom="xs">
                {t('app.shortTitle')}
              </Box>
            </Anchor>
          </Group>
          <Group gap={4} wrap="nowrap">
            <LanguageSwitch />
            <Button variant="outline" size="compact-sm" onClick={onLogout} loading={logout.isPending}>
              {t('nav.logout')}
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label={t('nav.main')} component="nav">
        <Stack gap={2} style={{ flex: 1 }}>
          {visible.map((item) => (
            <NavLink
              key={item.to}
              component={Link}
              to={item.to}
              label={item.label}
              active={isActive(item.to)}
              aria-current={isActive(item.to) ? 'page' : undefined}
              onClick={close}
            />
          ))}
        </Stack>
        <Box p="xs">
          <Text size="sm" fw={600} truncate="end">
            {user.fullName}
          </Text>
          <Text size="xs" c="dimmed">
            {roleLabels[user.role][language]}
          </Text>
        </Box>
      </AppShell.Navbar>
      <AppShell.Main id="main" tabIndex={-1}>
        <Box maw={1200} mx="auto">
          {children}
        </Box>
      </AppShell.Main>
    </AppShell>
  );
}
