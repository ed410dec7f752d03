// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../auth';
import { fakeFetch, renderPage, testUser } from '../../test-utils';
import { DecisionPage } from './DecisionPage';
import { chairUser, cycle, cycleId, decision, decisionId, dossierId, producerUser } from './fixtures';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const API = '/api/v1/evaluation';

function server(reply: { status: number; body: unknown } = { status: 200, body: decision }) {
  const fake = fakeFetch({
    [`GET ${API}/decisions/${decisionId}`]: reply,
    [`GET ${API}/cycles/${cycleId}`]: { status: 200, body: cycle },
    'GET /api/v1/admin-units/provinces': {
      status: 200,
      body: { items: [{ code: '37', name: 'Tỉnh Ninh Bình' }] },
    },
    'GET /api/v1/admin-units/provinces/37': { status: 200, body: { code: '37', name: 'Tỉnh Ninh Bình' } },
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (user: User) =>
  renderPage(<DecisionPage />, {
    path: `/evaluation/decisions/${decisionId}`,
    route: '/evaluation/decisions/:id',
    user,
  });

describe('DecisionPage', () => {
  it('shows the decision, its products and stars, and the certificates link to officers', async () => {
    server();
    await open(testUser);
    expect(await screen.findByRole('heading', { name: 'Quyết định số 123/QĐ-UBND', level: 1 })).toBeTruthy();
    expect(screen.getByText('15/12/2026')).toBeTruthy();
    expect(screen.getByText('Trần Văn Minh, Phó Chủ tịch UBND tỉnh')).toBeTruthy();
    expect((await screen.findByRole('link', { name: cycle.name })).getAttribute('href')).toBe(
      `/evaluation/cycles/${cycleId}`,
    );
    const items = screen.getByRole('table', { name: 'Sản phẩm được công nhận' });
    expect(within(items).getByRole('link', { name: 'Cơm cháy Hoa Lư' }).getAttribute('href')).toBe(
      '/products/p-1',
    );
    expect(within(items).getByText('4 sao')).toBeTruthy();
    expect(within(items).getByRole('link', { name: 'Xem hồ sơ: Cơm cháy Hoa Lư' }).getAttribute('href')).toBe(
      `/evaluation/dossiers/${dossierId}`,
    );
    expect(screen.getByRole('link', { name: 'Giấy chứng nhận của quyết định' }).getAttribute('href')).toBe(
      `/certificates?decision=${decisionId}`,
    );
  });

  it('names a central decision by its level', async () => {
    server({ status: 200, body: { ...decision, issuerCode: 'central' } });
    await open(testUser);
    expect(await screen.findByText('Cấp trung ương')).toBeTruthy();
  });

  it('shows the decision without officer links to a producer and a council member', async () => {
    server();
    const view = await open(producerUser);
    await screen.findByRole('heading', { name: 'Quyết định số 123/QĐ-UBND' });
    expect(screen.queryByRole('link', { name: 'Giấy chứng nhận của quyết định' })).toBeNull();
    view.unmount();
    await open(chairUser);
    await screen.findByRole('heading', { name: 'Quyết định số 123/QĐ-UBND' });
    expect(screen.queryByRole('link', { name: 'Giấy chứng nhận của quyết định' })).toBeNull();
    // Council members have no registry: the product is named, not linked.
    expect(screen.queryByRole('link', { name: 'Cơm cháy Hoa Lư' })).toBeNull();
    expect(screen.getByText('Cơm cháy Hoa Lư')).toBeTruthy();
  });

  it('shows a failed load with a retry', async () => {
    const fake = server({
      status: 404,
      body: { error: { code: 'NOT_FOUND', message: 'Không tìm thấy quyết định công nhận.' } },
    });
    await open(testUser);
    expect(await screen.findByText('Không tìm thấy quyết định công nhận.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await waitFor(() =>
      expect(fake.calls.filter((c) => c.url === `${API}/decisions/${decisionId}`).length).toBe(2),
    );
  });

  it('says when a decision lists no product', async () => {
    server({ status: 200, body: { ...decision, items: [] } });
    await open(testUser);
    expect(await screen.findByText('Chưa có dữ liệu')).toBeTruthy();
  });
});
