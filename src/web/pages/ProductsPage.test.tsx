// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, productMeta, productRow, subject, unitsApi } from '../test-fixtures';
import { fakeFetch, renderPage, testUser } from '../test-utils';
import { ProductsPage } from './ProductsPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function server(items = [productRow]) {
  const fake = fakeFetch({
    'GET /api/v1/products': { status: 200, body: page(items) },
    'GET /api/v1/products/meta': { status: 200, body: productMeta },
    [`GET /api/v1/subjects/${subject.id}`]: { status: 200, body: subject },
    ...unitsApi,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

describe('ProductsPage', () => {
  it('asks the API for the filters in the URL and lists the answer', async () => {
    const fake = server();
    await renderPage(<ProductsPage />, {
      path: '/products?q=banh&status=registered&group=I&set=6&archived=1&sort=-updatedAt&commune=13324&province=37',
      user: testUser,
    });
    const link = await screen.findByRole('link', { name: productRow.name });
    expect(link.getAttribute('href')).toBe(`/products/${productRow.id}`);
    expect(screen.getByRole('cell', { name: 'Phường Duy Tiên, Tỉnh Ninh Bình' })).toBeTruthy();
    expect(fake.queries('GET /api/v1/products')[0]).toEqual({
      q: 'banh',
      provinceCode: '37',
      communeCode: '13324',
      group: 'I',
      productSet: '6',
      status: 'registered',
      archived: 'include',
      sort: '-updatedAt',
      page: '1',
      pageSize: '20',
    });
  });

  it('ignores values the API would refuse', async () => {
    const fake = server();
    await renderPage(<ProductsPage />, { path: '/products?status=nonsense&sort=price', user: testUser });
    await screen.findByRole('link', { name: productRow.name });
    expect(fake.queries('GET /api/v1/products')[0]).toEqual({ page: '1', pageSize: '20' });
  });

  it('shows the subject filter by name, and the add button keeps it', async () => {
    const fake = server();
    await renderPage(<ProductsPage />, { path: `/products?subject=${subject.id}`, user: testUser });
    await screen.findByText(`Chủ thể: ${subject.name}`);
    expect(fake.queries('GET /api/v1/products')[0]).toMatchObject({ subjectId: subject.id });
    expect(screen.getByRole('link', { name: 'Thêm sản phẩm' }).getAttribute('href')).toBe(
      `/products/new?subjectId=${subject.id}`,
    );
    fireEvent.click(screen.getAllByRole('button', { name: 'Xóa bộ lọc' })[0]!);
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/products'));
  });

  it('a new group drops the product set chosen under the old one', async () => {
    server();
    await renderPage(<ProductsPage />, { path: '/products?group=I&set=6&sort=-name', user: testUser });
    const group = await screen.findByRole('combobox', { name: 'Nhóm sản phẩm' });
    await waitFor(() => expect((group as HTMLInputElement).value).toBe('Thực phẩm'));
    expect((screen.getByRole('combobox', { name: 'Bộ sản phẩm' }) as HTMLInputElement).value).toBe(
      'Chế biến từ gạo, ngũ cốc',
    );
    fireEvent.click(group);
    // The dropdown is still in its opening transition in jsdom, so its options count as hidden.
    fireEvent.click(await screen.findByRole('option', { name: 'Đồ uống', hidden: true }));
    await waitFor(() =>
      expect(screen.getByTestId('location').textContent).toBe('/products?group=II&sort=-name'),
    );
  });

  it('tells an empty registry from a search without matches', async () => {
    server([]);
    const first = await renderPage(<ProductsPage />, { path: '/products', user: testUser });
    await screen.findByText('Chưa có sản phẩm nào.');
    first.unmount();
    await renderPage(<ProductsPage />, { path: '/products?archived=1', user: testUser });
    await screen.findByText('Không có kết quả phù hợp');
  });
});
