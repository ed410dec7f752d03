// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, subject, subjectMeta, unitsApi } from '../test-fixtures';
import { fakeFetch, renderPage, testUser } from '../test-utils';
import { SubjectsPage } from './SubjectsPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function server(items = [subject]) {
  const fake = fakeFetch({
    'GET /api/v1/subjects': { status: 200, body: page(items) },
    'GET /api/v1/subjects/meta': { status: 200, body: subjectMeta },
    ...unitsApi,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

describe('SubjectsPage', () => {
  it('asks the API for the filters in the URL and lists the answer', async () => {
    const fake = server();
    await renderPage(<SubjectsPage />, {
      path: '/subjects?q=hoa&province=37&type=sme&archived=1&sort=-name&page=2',
      user: testUser,
    });
    const link = await screen.findByRole('link', { name: subject.name });
    expect(link.getAttribute('href')).toBe(`/subjects/${subject.id}`);
    expect(screen.getByText('Hiển thị 1–1 trên 1')).toBeTruthy();
    expect(screen.getByRole('cell', { name: 'Doanh nghiệp nhỏ và vừa' })).toBeTruthy();
    expect(fake.queries('GET /api/v1/subjects')[0]).toEqual({
      q: 'hoa',
      provinceCode: '37',
      type: 'sme',
      includeArchived: 'true',
      sort: '-name',
      page: '2',
      pageSize: '20',
    });
    expect(screen.getByRole('link', { name: 'Thêm chủ thể' }).getAttribute('href')).toBe('/subjects/new');
  });

  it('tells an empty registry from a search without matches', async () => {
    server([]);
    const first = await renderPage(<SubjectsPage />, { path: '/subjects', user: testUser });
    await screen.findByText('Chưa có chủ thể nào.');
    first.unmount();
    await renderPage(<SubjectsPage />, { path: '/subjects?q=khong-co', user: testUser });
    await screen.findByText('Không có kết quả phù hợp');
  });

  it('keeps filters in the URL, back to page 1, and clears them', async () => {
    const fake = server();
    await renderPage(<SubjectsPage />, { path: '/subjects?page=3', user: testUser });
    await screen.findByRole('link', { name: subject.name });
    expect(screen.queryByRole('button', { name: 'Xóa bộ lọc' })).toBeNull();
    fireEvent.click(screen.getByLabelText('Hiện cả bản ghi đã lưu trữ'));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/subjects?archived=1'));
    await waitFor(() =>
      expect(fake.queries('GET /api/v1/subjects').at(-1)).toMatchObject({
        includeArchived: 'true',
        page: '1',
      }),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Xóa bộ lọc' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/subjects'));
  });

  it('the search box reaches the URL after a pause', async () => {
    server();
    await renderPage(<SubjectsPage />, { path: '/subjects', user: testUser });
    fireEvent.change(screen.getByLabelText('Tìm kiếm', { exact: false }), { target: { value: 'com chay ' } });
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/subjects?q=com+chay'));
  });

  it('offers no "add" button to a producer', async () => {
    server();
    await renderPage(<SubjectsPage />, { path: '/subjects', user: { ...testUser, role: 'producer' } });
    await screen.findByRole('link', { name: subject.name });
    expect(screen.queryByRole('link', { name: 'Thêm chủ thể' })).toBeNull();
  });
});
