// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../auth';
import type { DossierRow } from '../../data/evaluation';
import { page, productRow, subject, unitsApi } from '../../test-fixtures';
import { type Call, fakeFetch, renderPage, testUser } from '../../test-utils';
import { CyclePage } from './CyclePage';
import { cycle, dossier, dossierRow, producer } from './fixtures';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

type Reply = { status: number; body?: unknown };

function server({
  one = { status: 200, body: cycle },
  rows = [dossierRow],
  create = () => ({ status: 201, body: dossier }),
}: {
  one?: Reply;
  rows?: DossierRow[];
  create?: (call: Call) => Reply;
} = {}) {
  const fake = fakeFetch({
    [`GET /api/v1/evaluation/cycles/${cycle.id}`]: one,
    [`GET /api/v1/evaluation/cycles/${cycle.id}/dossiers`]: { status: 200, body: page(rows) },
    [`POST /api/v1/evaluation/cycles/${cycle.id}/dossiers`]: create,
    'GET /api/v1/products': { status: 200, body: page([productRow]) },
    [`GET /api/v1/subjects/${productRow.subject.id}`]: {
      status: 200,
      body: { ...subject, id: productRow.subject.id, name: productRow.subject.name },
    },
    'GET /api/v1/admin-units/communes/13324': {
      status: 200,
      body: { code: '13324', name: 'Phường Duy Tiên', divisionType: 'phường', provinceCode: '37' },
    },
    ...unitsApi,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (path = `/evaluation/cycles/${cycle.id}`, user: User = testUser) =>
  renderPage(<CyclePage />, { path, route: '/evaluation/cycles/:id', user });

describe('CyclePage', () => {
  it('shows the frozen rule-set, progress by state and the dossiers, with officer links', async () => {
    const fake = server();
    await open(`/evaluation/cycles/${cycle.id}?state=draft&q=banh`);
    await screen.findByRole('heading', { name: cycle.name });
    expect(screen.getByText(/26-2026, phiên bản 1\), giữ cố định cho kỳ này/)).toBeTruthy();
    const byState = screen.getByRole('region', { name: 'Hồ sơ theo trạng thái' });
    expect(within(byState).getByText('Được công nhận')).toBeTruthy();
    const link = await screen.findByRole('link', { name: productRow.name });
    expect(link.getAttribute('href')).toBe(`/evaluation/dossiers/${dossierRow.id}`);
    expect(await screen.findByRole('link', { name: productRow.subject.name })).toBeTruthy();
    expect(await screen.findByText('Phường Duy Tiên (13324)')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Hội đồng và tổ tư vấn' }).getAttribute('href')).toBe(
      `/evaluation/cycles/${cycle.id}/council`,
    );
    expect(screen.getByRole('link', { name: 'Kết quả, công bố, quyết định' }).getAttribute('href')).toBe(
      `/evaluation/cycles/${cycle.id}/results`,
    );
    expect(fake.queries(`GET /api/v1/evaluation/cycles/${cycle.id}/dossiers`)[0]).toEqual({
      state: 'draft',
      q: 'banh',
      page: '1',
      pageSize: '20',
    });
    // An officer does not file dossiers.
    expect(screen.queryByRole('heading', { name: 'Lập hồ sơ đánh giá' })).toBeNull();
  });

  it('lets a producer file a dossier, preselected by the expiry notice’s link', async () => {
    const fake = server();
    await open(`/evaluation/cycles/${cycle.id}?product=${productRow.id}&type=re_evaluation`, producer);
    await screen.findByRole('heading', { name: 'Lập hồ sơ đánh giá' });
    await waitFor(() =>
      expect((screen.getByRole('combobox', { name: /^Sản phẩm/ }) as HTMLInputElement).value).toBe(
        productRow.name,
      ),
    );
    expect((screen.getByRole('combobox', { name: /Loại đánh giá/ }) as HTMLInputElement).value).toBe(
      'Đánh giá lại (hết hạn)',
    );
    expect(screen.queryByRole('link', { name: 'Hội đồng và tổ tư vấn' })).toBeNull();
    // The preselection is not a filter of the dossier list.
    expect(fake.queries(`GET /api/v1/evaluation/cycles/${cycle.id}/dossiers`)[0]).toEqual({
      page: '1',
      pageSize: '20',
    });
    fireEvent.click(screen.getByRole('button', { name: 'Lập hồ sơ' }));
    await waitFor(() =>
      expect(screen.getByTestId('location').textContent).toBe(`/evaluation/dossiers/${dossier.id}`),
    );
    expect(fake.calls.find((c) => c.method === 'POST')?.body).toEqual({
      productId: productRow.id,
      evaluationType: 're_evaluation',
    });
  });

  it('shows the API’s refusal of a new dossier', async () => {
    server({
      create: () => ({
        status: 409,
        body: {
          error: {
            code: 'CONFLICT',
            message: 'Dữ liệu xung đột.',
            fields: { productId: 'Sản phẩm này đã có hồ sơ trong kỳ đánh giá.' },
          },
        },
      }),
    });
    await open(`/evaluation/cycles/${cycle.id}?product=${productRow.id}`, producer);
    await screen.findByRole('heading', { name: 'Lập hồ sơ đánh giá' });
    await waitFor(() =>
      expect((screen.getByRole('combobox', { name: /^Sản phẩm/ }) as HTMLInputElement).value).toBe(
        productRow.name,
      ),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Lập hồ sơ' }));
    await screen.findByText('Sản phẩm này đã có hồ sơ trong kỳ đánh giá.');
  });

  it('says when the cycle has no dossiers', async () => {
    server({ rows: [], one: { status: 200, body: { ...cycle, progress: { total: 0, byState: {} } } } });
    await open(`/evaluation/cycles/${cycle.id}`, {
      ...testUser,
      role: 'commune_officer',
      communeCode: '13324',
    });
    await screen.findByText('Chưa có hồ sơ nào trong kỳ này');
    expect(screen.getByText('Chưa có hồ sơ')).toBeTruthy();
    // A commune officer neither files dossiers nor runs the council.
    expect(screen.queryByRole('heading', { name: 'Lập hồ sơ đánh giá' })).toBeNull();
    expect(screen.queryByRole('link', { name: 'Hội đồng và tổ tư vấn' })).toBeNull();
  });

  it('shows a cycle that cannot be read', async () => {
    server({
      one: { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Không có kỳ đánh giá này.' } } },
    });
    await open();
    await screen.findByText('Không có kỳ đánh giá này.');
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });
});
