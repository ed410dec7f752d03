// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { craftVillage, page, product, productMeta, subject, unitsApi } from '../test-fixtures';
import { type Call, fakeFetch, renderPage, testUser } from '../test-utils';
import { ProductFormPage } from './ProductFormPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function server(patch: (call: Call) => { status: number; body?: unknown }) {
  const fake = fakeFetch({
    'GET /api/v1/products/meta': { status: 200, body: productMeta },
    [`GET /api/v1/products/${product.id}`]: { status: 200, body: product },
    [`PATCH /api/v1/products/${product.id}`]: patch,
    [`GET /api/v1/subjects/${product.subject.id}`]: {
      status: 200,
      body: { ...subject, id: product.subject.id, name: product.subject.name },
    },
    'GET /api/v1/subjects': { status: 200, body: page([]) },
    'GET /api/v1/craft-villages': { status: 200, body: page([craftVillage]) },
    ...unitsApi,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const editPage = () =>
  renderPage(<ProductFormPage />, {
    path: `/products/${product.id}/edit`,
    route: '/products/:id/edit',
    user: testUser,
  });

describe('ProductFormPage', () => {
  it('checks required fields before calling the API', async () => {
    const fake = server(() => ({ status: 500 }));
    await renderPage(<ProductFormPage />, { path: '/products/new', user: testUser });
    fireEvent.click(await screen.findByRole('button', { name: 'Lưu' }));
    expect(screen.getByLabelText('Tên sản phẩm', { exact: false }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getAllByText('Không được để trống.').length).toBe(4);
    expect(fake.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('saves an edit with the version it was read at, then shows the record', async () => {
    const fake = server((call) => ({ status: 200, body: { ...product, ...(call.body as object) } }));
    await editPage();
    const name = await screen.findByDisplayValue(product.name);
    fireEvent.change(name, { target: { value: 'Bánh đa nem làng Chều loại 1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/products/${product.id}`));
    expect(screen.getByTestId('location').dataset.notice).toBe('Đã lưu.');
    expect(fake.calls.find((c) => c.method === 'PATCH')?.body).toMatchObject({
      name: 'Bánh đa nem làng Chều loại 1',
      version: product.version,
      categoryCode: product.classification.code,
      communeCode: product.commune.code,
      craftVillageId: craftVillage.id,
      gtin: null,
    });
  });

  it('shows API field messages by their inputs and lists those without one', async () => {
    server(() => ({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION',
          message: 'Dữ liệu không hợp lệ.',
          fields: { gtin: 'Sai số kiểm tra.', photoIds: 'Lạ.' },
        },
      },
    }));
    await editPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Lưu' }));
    await screen.findByText('Sai số kiểm tra.');
    expect(screen.getByLabelText('Mã GTIN (mã vạch)').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByRole('alert').textContent).toContain('photoIds: Lạ.');
  });
});
