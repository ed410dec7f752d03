import { Center, Loader } from '@mantine/core';
import { Suspense } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Outlet, Route, Routes, useLocation } from 'react-router';
import { ROLES, type Role } from '../modules/accounts/roles';
import { CurrentUserProvider, canWriteCraftVillages, useSession } from './auth';
import { ErrorState, LoadingState } from './components/PageStates';
import { Shell } from './components/Shell';
import { certificateRoutes } from './pages/certificates/routes';
import { councilRoutes } from './pages/council/routes';
import { criteriaRoutes } from './pages/criteria/routes';
import { evaluationRoutes } from './pages/evaluation/routes';
import { NotFoundPage } from './pages/StatusPages';
import { scoringRoutes } from './pages/scoring/routes';
import { ADMIN, only, page, REGISTRY } from './routing';

const LoginPage = page(() => import('./pages/LoginPage'), 'LoginPage');
const HomePage = page(() => import('./pages/HomePage'), 'HomePage');
const ChangePasswordPage = page(() => import('./pages/ChangePasswordPage'), 'ChangePasswordPage');
const SubjectsPage = page(() => import('./pages/SubjectsPage'), 'SubjectsPage');
const SubjectDetailPage = page(() => import('./pages/SubjectDetailPage'), 'SubjectDetailPage');
const SubjectFormPage = page(() => import('./pages/SubjectFormPage'), 'SubjectFormPage');
const ProductsPage = page(() => import('./pages/ProductsPage'), 'ProductsPage');
const ProductDetailPage = page(() => import('./pages/ProductDetailPage'), 'ProductDetailPage');
const ProductFormPage = page(() => import('./pages/ProductFormPage'), 'ProductFormPage');
const CraftVillagesPage = page(() => import('./pages/CraftVillagesPage'), 'CraftVillagesPage');
const CraftVillageDetailPage = page(() => import('./pages/CraftVillageDetailPage'), 'CraftVillageDetailPage');
const CraftVillageFormPage = page(() => import('./pages/CraftVillageFormPage'), 'CraftVillageFormPage');
const UsersPage = page(() => import('./pages/UsersPage'), 'UsersPage');
const UserFormPage = page(() => import('./pages/UserFormPage'), 'UserFormPage');

function FullPageLoader() {
  const { t } = useTranslation();
  return (
    <Center h="100vh">
      <Loader aria-label={t('common.loading')} />
    </Center>
  );
}

/** Pages behind a login; a user who must change their password goes there first. */
function RequireSession() {
  const session = useSession();
  const location = useLocation();
  if (session.isPending) return <FullPageLoader />;
  if (session.isError) return <ErrorState error={session.error} onRetry={() => void session.refetch()} />;
  if (!session.user) {
    const next = `${location.pathname}${location.search}`;
    return <Navigate to={next === '/' ? '/login' : `/login?next=${encodeURIComponent(next)}`} replace />;
  }
  if (session.user.mustChangePassword && location.pathname !== '/change-password') {
    return <Navigate to="/change-password" replace />;
  }
  return (
    <CurrentUserProvider value={session.user}>
      <Shell>
        <Suspense fallback={<LoadingState />}>
          <Outlet />
        </Suspense>
      </Shell>
    </CurrentUserProvider>
  );
}

/** Who keeps the craft-village registry (each officer for their own area). */
const VILLAGE_KEEPERS: readonly Role[] = ROLES.filter(canWriteCraftVillages);

export function App() {
  return (
    <Suspense fallback={<FullPageLoader />}>
      <Routes>
        <Route path="/login" element={<LoginPage />} />
        <Route element={<RequireSession />}>
          <Route index element={<HomePage />} />
          <Route path="change-password" element={<ChangePasswordPage />} />
          <Route path="subjects">
            <Route index element={only(REGISTRY, <SubjectsPage />)} />
            <Route path="new" element={only(REGISTRY, <SubjectFormPage />)} />
            <Route path=":id" element={only(REGISTRY, <SubjectDetailPage />)} />
            <Route path=":id/edit" element={only(REGISTRY, <SubjectFormPage />)} />
          </Route>
          <Route path="products">
            <Route index element={only(REGISTRY, <ProductsPage />)} />
            <Route path="new" element={only(REGISTRY, <ProductFormPage />)} />
            <Route path=":id" element={only(REGISTRY, <ProductDetailPage />)} />
            <Route path=":id/edit" element={only(REGISTRY, <ProductFormPage />)} />
          </Route>
          <Route path="craft-villages">
            <Route index element={only(REGISTRY, <CraftVillagesPage />)} />
            <Route path="new" element={only(VILLAGE_KEEPERS, <CraftVillageFormPage />)} />
            <Route path=":id" element={only(REGISTRY, <CraftVillageDetailPage />)} />
            <Route path=":id/edit" element={only(VILLAGE_KEEPERS, <CraftVillageFormPage />)} />
          </Route>
          <Route path="users">
            <Route index element={only(ADMIN, <UsersPage />)} />
            <Route path="new" element={only(ADMIN, <UserFormPage />)} />
            <Route path=":id" element={only(ADMIN, <UserFormPage />)} />
          </Route>
          {evaluationRoutes()}
          {scoringRoutes()}
          {councilRoutes()}
          {certificateRoutes()}
          {criteriaRoutes()}
          <Route path="*" element={<NotFoundPage />} />
        </Route>
      </Routes>
    </Suspense>
  );
}
