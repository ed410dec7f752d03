// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Product } from '../data/products';
import { product, productMeta } from '../test-fixtures';
import { fakeFetch, renderPage, testUser } from '../test-utils';
import { ProductDetailPage } from './ProductDetailPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const draft: Product = { ...product, status: 'draft', registeredAt: null };

function server(record: Product) {
  const fake = fakeFetch({
    [`GET /api/v1/products/${product.id}`]: { status: 200, body: record },
    'GET /api/v1/products/meta': { status: 200, body: productMeta },
    [`POST /api/v1/products/${product.id}/archive`]: {
      status: 200,
      body: { ...record, archivedAt: '2026-11-20T03:00:00.000Z', version: record.version + 1 },
    },
    [`POST /api/v1/products/${product.id}/register`]: {
      status: 200,
      body: { ...record, status: 'registered', version: record.version + 1 },
    },
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (user = testUser) =>
  renderPage(<ProductDetailPage />, { path: `/products/${product.id}`, route: '/products/:id', user });

describe('ProductDetailPage', () => {
  it('archives with the version it shows, after confirmation', async () => {
    const fake = server(product);
    await open();
    await screen.findByRole('heading', { name: product.name });
    expect(screen.getByRole('link', { name: product.subject.name }).getAttribute('href')).toBe(
      `/subjects/${product.subject.id}`,
    );
    expect(screen.queryByRole('button', { name: 'Đăng ký tham gia OCOP' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Lưu trữ' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    await screen.findByText('Sản phẩm này đã được lưu trữ.', { exact: false });
    expect(fake.calls.find((c) => c.url.endsWith('/archive'))?.body).toEqual({ version: product.version });
    expect(screen.getByRole('button', { name: 'Khôi phục' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Sửa' })).toBeNull();
  });

  it('registers a draft product', async () => {
    const fake = server(draft);
    await open();
    fireEvent.click(await screen.findByRole('button', { name: 'Đăng ký tham gia OCOP' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    await waitFor(() =>
      expect(fake.calls.find((c) => c.url.endsWith('/register'))?.body).toEqual({ version: draft.version }),
    );
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Đăng ký tham gia OCOP' })).toBeNull());
  });

  it('shows history to administrators only', async () => {
    server(product);
    const first = await open({ ...testUser, role: 'system_admin', provinceCode: null });
    await screen.findByRole('heading', { name: product.name });
    expect(screen.getByRole('button', { name: 'Lịch sử thay đổi' })).toBeTruthy();
    first.unmount();
    await open();
    await screen.findByRole('heading', { name: product.name });
    expect(screen.queryByRole('button', { name: 'Lịch sử thay đổi' })).toBeNull();
  });
});
