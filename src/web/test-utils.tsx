import { configure, render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter, Route, Routes, useLocation } from 'react-router';
import { setCsrfToken } from './api';
import { CurrentUserProvider, type User } from './auth';
import { initI18n } from './i18n';
import { AppProviders, connectApi, createQueryClient } from './providers';

// Pages answer after several fetches and renders; on a busy 2-core machine that can take more than
// testing-library's default second. A wait still ends as soon as the page is there.
configure({ asyncUtilTimeout: 10_000 });

// jsdom has no font loading API; Mantine's autosizing textarea listens to it.
if (typeof document !== 'undefined' && !('fonts' in document)) {
  Object.defineProperty(document, 'fonts', {
    value: { addEventListener: () => {}, removeEventListener: () => {} },
  });
}

/** Where the page sent the user, and the notice it handed over, for tests to read. */
function LocationProbe() {
  const location = useLocation();
  const notice = (location.state as { notice?: string } | null)?.notice;
  return (
    <output data-testid="location" data-notice={notice ?? ''}>
      {`${location.pathname}${location.search}`}
    </output>
  );
}

export const testUser: User = {
  id: '00000000-0000-4000-8000-000000000001',
  email: 'tinh@demo.ocop.vn',
  fullName: 'Cán bộ tỉnh',
  role: 'province_officer',
  provinceCode: '37',
  communeCode: null,
  subjectIds: [],
  active: true,
  mustChangePassword: false,
  createdAt: '2026-01-01T00:00:00.000Z',
  lastLoginAt: null,
};

/**
 * Renders a page inside the app's providers at `path`, with a fresh cache and Vietnamese UI.
 * With `user`, the page runs as that logged-in user (pages behind the session guard need one).
 */
export async function renderPage(
  element: ReactElement,
  { path = '/', route = '*', user }: { path?: string; route?: string; user?: User } = {},
) {
  localStorage.clear();
  setCsrfToken(null);
  await initI18n('vi').changeLanguage('vi');
  const queryClient = createQueryClient();
  queryClient.setDefaultOptions({ queries: { retry: false } });
  connectApi(queryClient);
  const routes = (
    <Routes>
      <Route path={route} element={element} />
    </Routes>
  );
  const result = render(
    <AppProviders queryClient={queryClient}>
      <MemoryRouter initialEntries={[path]}>
        {user ? <CurrentUserProvider value={user}>{routes}</CurrentUserProvider> : routes}
        <LocationProbe />
      </MemoryRouter>
    </AppProviders>,
  );
  return { ...result, queryClient };
}

type Reply = { status: number; body?: unknown };
export type Call = { method: string; url: string; headers: Record<string, string>; body: unknown };

/** A fetch stand-in answering by "METHOD /path" and recording each call. */
export function fakeFetch(routes: Record<string, Reply | ((call: Call) => Reply)>) {
  const calls: Call[] = [];
  const fetch = async (input: RequestInfo | URL, init: RequestInit = {}) => {
    const url = String(input);
    const method = (init.method ?? 'GET').toUpperCase();
    const headers = Object.fromEntries(Object.entries((init.headers ?? {}) as Record<string, string>));
    const body = typeof init.body === 'string' ? JSON.parse(init.body) : init.body;
    const call = { method, url, headers, body };
    calls.push(call);
    const path = url.split('?')[0];
    const route = routes[`${method} ${path}`];
    const reply = typeof route === 'function' ? route(call) : (route ?? { status: 404, body: notFound });
    return new Response(reply.body === undefined ? '' : JSON.stringify(reply.body), {
      status: reply.status,
      headers: { 'content-type': 'application/json' },
    });
  };
  /** The query parameters of the calls to `METHOD /path`, in order. */
  const queries = (key: string) =>
    calls
      .filter((c) => `${c.method} ${c.url.split('?')[0]}` === key)
      .map((c) => Object.fromEntries(new URL(c.url, 'http://test').searchParams));
  return { fetch, calls, queries };
}

const notFound = { error: { code: 'NOT_FOUND', message: 'Không tìm thấy.' } };
