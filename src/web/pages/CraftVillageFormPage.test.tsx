// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../auth';
import { craftVillage, unitsApi } from '../test-fixtures';
import { type Call, fakeFetch, renderPage, testUser } from '../test-utils';
import { CraftVillageFormPage } from './CraftVillageFormPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const communeOfficer: User = {
  ...testUser,
  role: 'commune_officer',
  provinceCode: '37',
  communeCode: craftVillage.commune.code,
};

type Reply = (call: Call) => { status: number; body?: unknown };

function server({ post, patch }: { post?: Reply; patch?: Reply }) {
  const fake = fakeFetch({
    ...unitsApi,
    [`GET /api/v1/craft-villages/${craftVillage.id}`]: { status: 200, body: craftVillage },
    'POST /api/v1/craft-villages': post ?? (() => ({ status: 500 })),
    [`PATCH /api/v1/craft-villages/${craftVillage.id}`]: patch ?? (() => ({ status: 500 })),
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

describe('CraftVillageFormPage', () => {
  it('checks required fields before calling the API', async () => {
    const fake = server({});
    await renderPage(<CraftVillageFormPage />, { path: '/craft-villages/new', user: testUser });
    fireEvent.click(await screen.findByRole('button', { name: 'Lưu' }));
    expect(screen.getByLabelText('Tên làng nghề', { exact: false }).getAttribute('aria-invalid')).toBe(
      'true',
    );
    expect(screen.getAllByText('Không được để trống.')).toHaveLength(2);
    expect(fake.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('creates a village in the officer’s own commune, then opens it', async () => {
    const fake = server({
      post: (call) => ({ status: 201, body: { ...craftVillage, ...(call.body as object), id: 'new-id' } }),
    });
    await renderPage(<CraftVillageFormPage />, { path: '/craft-villages/new', user: communeOfficer });
    fireEvent.change(await screen.findByLabelText('Tên làng nghề', { exact: false }), {
      target: { value: '  Làng nghề chiếu cói Kim Sơn ' },
    });
    fireEvent.change(screen.getByLabelText('Năm công nhận'), { target: { value: '2015' } });
    fireEvent.click(screen.getByLabelText('Làng nghề truyền thống'));
    fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe('/craft-villages/new-id'));
    expect(screen.getByTestId('location').dataset.notice).toBe('Đã thêm làng nghề.');
    expect(fake.calls.find((c) => c.method === 'POST')?.body).toEqual({
      name: 'Làng nghề chiếu cói Kim Sơn',
      communeCode: craftVillage.commune.code,
      recognitionYear: 2015,
      traditional: true,
    });
  });

  it('edits with the version it was read at, and shows the API’s field messages inline', async () => {
    let answer: { status: number; body?: unknown } = {
      status: 400,
      body: {
        error: {
          code: 'VALIDATION',
          message: 'Dữ liệu không hợp lệ.',
          fields: { recognitionYear: 'Năm công nhận phải từ 1950 đến năm nay.' },
        },
      },
    };
    const fake = server({ patch: () => answer });
    await renderPage(<CraftVillageFormPage />, {
      path: `/craft-villages/${craftVillage.id}/edit`,
      route: '/craft-villages/:id/edit',
      user: testUser,
    });
    await screen.findByDisplayValue(craftVillage.name);
    fireEvent.change(screen.getByLabelText('Năm công nhận'), { target: { value: '' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));
    await screen.findByText('Năm công nhận phải từ 1950 đến năm nay.');
    expect(screen.getByLabelText('Năm công nhận').getAttribute('aria-invalid')).toBe('true');
    expect(fake.calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      name: craftVillage.name,
      communeCode: craftVillage.commune.code,
      recognitionYear: null,
      traditional: craftVillage.traditional,
      version: craftVillage.version,
    });

    answer = { status: 200, body: { ...craftVillage, version: 2 } };
    fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));
    await waitFor(() =>
      expect(screen.getByTestId('location').textContent).toBe(`/craft-villages/${craftVillage.id}`),
    );
    expect(screen.getByTestId('location').dataset.notice).toBe('Đã lưu.');
  });
});
