// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openCycleFor } from '../../data/notifications';
import { fakeFetch, renderPage, testUser } from '../../test-utils';
import { expiryNotice } from './fixtures';
import { NotificationsPage } from './NotificationsPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const producer = { ...testUser, role: 'producer' as const, provinceCode: null };
const page = (items = [expiryNotice], unread = 1) => ({
  items,
  total: items.length,
  unread,
  page: 1,
  pageSize: 20,
});
const cycle = (id: string, submissionDeadline: string, level = 'province') =>
  ({ id, level, submissionDeadline }) as unknown as Parameters<typeof openCycleFor>[0][number];

describe('NotificationsPage', () => {
  it('shows an unread expiry notice that links to a re-evaluation dossier in the open cycle, and marks it read', async () => {
    const fake = fakeFetch({
      'GET /api/v1/notifications': { status: 200, body: page() },
      'GET /api/v1/evaluation/cycles': {
        status: 200,
        body: { items: [cycle('closed', '2020-01-01'), cycle('open-cycle', '2099-06-30')] },
      },
      [`POST /api/v1/notifications/${expiryNotice.id}/read`]: {
        status: 200,
        body: { ...expiryNotice, readAt: '2026-12-21T02:00:00.000Z' },
      },
    });
    vi.stubGlobal('fetch', fake.fetch);
    await renderPage(<NotificationsPage />, { path: '/notifications', user: producer });
    await screen.findByText('Giấy chứng nhận của “Cơm cháy chà bông” hết hiệu lực ngày 20/01/2027');
    expect(screen.getByText('Chưa đọc')).toBeTruthy();
    await waitFor(() =>
      expect(screen.getByRole('link', { name: 'Bắt đầu hồ sơ đánh giá lại' }).getAttribute('href')).toBe(
        `/evaluation/cycles/open-cycle?product=${expiryNotice.payload.productId}&type=re_evaluation`,
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Đánh dấu đã đọc' }));
    await waitFor(() =>
      expect(fake.calls.some((c) => c.method === 'POST' && c.url.endsWith(`/${expiryNotice.id}/read`))).toBe(
        true,
      ),
    );
  });

  it('links to the cycles list when no cycle is open', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /api/v1/notifications': {
          status: 200,
          body: page([{ ...expiryNotice, readAt: '2026-12-21T02:00:00.000Z' }], 0),
        },
        'GET /api/v1/evaluation/cycles': { status: 200, body: { items: [] } },
      }).fetch,
    );
    await renderPage(<NotificationsPage />, { path: '/notifications', user: producer });
    await screen.findByText('Đã đọc');
    await screen.findByText(/chưa có kỳ đánh giá nào đang nhận hồ sơ/);
    expect(screen.getByRole('link', { name: 'Bắt đầu hồ sơ đánh giá lại' }).getAttribute('href')).toBe(
      '/evaluation',
    );
    expect(screen.queryByRole('button', { name: 'Đánh dấu đã đọc' })).toBeNull();
  });

  it('says when there is nothing, and shows an error with a retry', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({ 'GET /api/v1/notifications': { status: 200, body: page([], 0) } }).fetch,
    );
    const first = await renderPage(<NotificationsPage />, { path: '/notifications', user: producer });
    await screen.findByText('Chưa có thông báo nào.');
    first.unmount();
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        'GET /api/v1/notifications': {
          status: 500,
          body: { error: { code: 'INTERNAL', message: 'Lỗi hệ thống.' } },
        },
      }).fetch,
    );
    await renderPage(<NotificationsPage />, { path: '/notifications', user: producer });
    await screen.findByText('Lỗi hệ thống.');
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });

  it('picks the open cycle below the central level with the soonest deadline', () => {
    const cycles = [
      cycle('central', '2099-01-01', 'central'),
      cycle('later', '2099-12-30'),
      cycle('sooner', '2099-06-30', 'commune_precheck'),
      cycle('past', '2026-01-01'),
    ];
    expect(openCycleFor(cycles, '2026-12-03')?.id).toBe('sooner');
    expect(openCycleFor(cycles.slice(0, 1), '2026-12-03')).toBeNull();
  });
});
