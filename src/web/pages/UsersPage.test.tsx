// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, users } from '../test-fixtures';
import { fakeFetch, renderPage, testUser } from '../test-utils';
import { UsersPage } from './UsersPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const admin = { ...testUser, role: 'system_admin' as const, provinceCode: null };

function server(items = users) {
  const fake = fakeFetch({ 'GET /api/v1/users': { status: 200, body: page(items) } });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

describe('UsersPage', () => {
  it('asks the API for the role and search in the URL and lists the answer', async () => {
    const fake = server();
    await renderPage(<UsersPage />, { path: '/users?q=demo&role=producer&bogus=1', user: admin });
    const first = users[0]!;
    expect((await screen.findByRole('link', { name: first.fullName })).getAttribute('href')).toBe(
      `/users/${first.id}`,
    );
    expect(screen.getByText(`Hiển thị 1–${users.length} trên ${users.length}`)).toBeTruthy();
    expect(fake.queries('GET /api/v1/users')[0]).toEqual({
      q: 'demo',
      role: 'producer',
      page: '1',
      pageSize: '20',
    });
  });

  it('tells an empty list from a search without matches', async () => {
    server([]);
    const first = await renderPage(<UsersPage />, { path: '/users', user: admin });
    await screen.findByText('Chưa có người dùng nào.');
    first.unmount();
    await renderPage(<UsersPage />, { path: '/users?role=producer', user: admin });
    await screen.findByText('Không có kết quả phù hợp');
  });
});
