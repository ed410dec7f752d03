// @vitest-environment jsdom
import { cleanup, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { craftVillage, page, unitsApi } from '../test-fixtures';
import { fakeFetch, renderPage, testUser } from '../test-utils';
import { CraftVillagesPage } from './CraftVillagesPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function server(items = [craftVillage]) {
  const fake = fakeFetch({
    'GET /api/v1/craft-villages': { status: 200, body: page(items) },
    ...unitsApi,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

describe('CraftVillagesPage', () => {
  it('asks the API for the filters in the URL and lists the answer', async () => {
    const fake = server();
    await renderPage(<CraftVillagesPage />, {
      path: '/craft-villages?q=banh+da&province=37&commune=13324&traditional=true&archived=1',
      user: testUser,
    });
    const link = await screen.findByRole('link', { name: craftVillage.name });
    expect(link.getAttribute('href')).toBe(`/craft-villages/${craftVillage.id}`);
    expect(screen.getByRole('cell', { name: 'Phường Duy Tiên, Tỉnh Ninh Bình' })).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'Làng nghề truyền thống' })).toBeTruthy();
    expect(screen.getByRole('cell', { name: '2009' })).toBeTruthy();
    expect(fake.queries('GET /api/v1/craft-villages')[0]).toEqual({
      q: 'banh da',
      provinceCode: '37',
      communeCode: '13324',
      traditional: 'true',
      archived: 'include',
      page: '1',
      pageSize: '20',
    });
    expect(screen.getByRole('link', { name: 'Thêm làng nghề' }).getAttribute('href')).toBe(
      '/craft-villages/new',
    );
  });

  it('tells an empty registry from a search without matches', async () => {
    server([]);
    const first = await renderPage(<CraftVillagesPage />, { path: '/craft-villages', user: testUser });
    await screen.findByText('Chưa có làng nghề nào.');
    first.unmount();
    await renderPage(<CraftVillagesPage />, { path: '/craft-villages?traditional=false', user: testUser });
    await screen.findByText('Không có kết quả phù hợp');
  });

  it('lets producers read the list but not add to it', async () => {
    server();
    await renderPage(<CraftVillagesPage />, {
      path: '/craft-villages',
      user: { ...testUser, role: 'producer', provinceCode: null },
    });
    await screen.findByRole('link', { name: craftVillage.name });
    expect(screen.queryByRole('link', { name: 'Thêm làng nghề' })).toBeNull();
  });
});
