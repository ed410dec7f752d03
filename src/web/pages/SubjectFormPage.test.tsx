// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { subject, subjectMeta, unitsApi } from '../test-fixtures';
import { type Call, fakeFetch, renderPage, testUser } from '../test-utils';
import { SubjectFormPage } from './SubjectFormPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

function server(patch: (call: Call) => { status: number; body?: unknown }) {
  const fake = fakeFetch({
    ...unitsApi,
    'GET /api/v1/subjects/meta': { status: 200, body: subjectMeta },
    [`GET /api/v1/subjects/${subject.id}`]: { status: 200, body: subject },
    [`PATCH /api/v1/subjects/${subject.id}`]: patch,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const editPage = () =>
  renderPage(<SubjectFormPage />, {
    path: `/subjects/${subject.id}/edit`,
    route: '/subjects/:id/edit',
    user: testUser,
  });

describe('SubjectFormPage', () => {
  it('checks required fields before calling the API', async () => {
    const fake = server(() => ({ status: 500 }));
    await renderPage(<SubjectFormPage />, { path: '/subjects/new', user: testUser });
    fireEvent.click(await screen.findByRole('button', { name: 'Lưu' }));
    const name = screen.getByLabelText('Tên chủ thể', { exact: false });
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(screen.getAllByText('Không được để trống.').length).toBeGreaterThanOrEqual(5);
    expect(fake.calls.some((c) => c.method === 'POST')).toBe(false);
    // Typing clears that field's message only.
    fireEvent.change(name, { target: { value: 'HTX Mới' } });
    await waitFor(() => expect(name.getAttribute('aria-invalid')).not.toBe('true'));
  });

  it('saves an edit with the version it was read at, then shows the record', async () => {
    const fake = server((call) => ({
      status: 200,
      body: { ...subject, ...(call.body as object), version: 2 },
    }));
    await editPage();
    const name = await screen.findByDisplayValue(subject.name);
    fireEvent.change(name, { target: { value: 'Công ty TNHH Cơm cháy Hoa Lư Mới' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu' }));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/subjects/${subject.id}`));
    expect(screen.getByTestId('location').dataset.notice).toBe('Đã lưu.');
    const patch = fake.calls.find((c) => c.method === 'PATCH');
    expect(patch?.body).toMatchObject({
      name: 'Công ty TNHH Cơm cháy Hoa Lư Mới',
      version: subject.version,
      communeCode: subject.communeCode,
      type: subject.type,
    });
  });

  it('shows API field messages by their inputs and lists those without one', async () => {
    server(() => ({
      status: 400,
      body: {
        error: {
          code: 'VALIDATION',
          message: 'Dữ liệu không hợp lệ.',
          fields: { name: 'Tên quá dài.', 'salesChannels.1.detail': 'Thiếu địa chỉ.', mystery: 'Lạ.' },
        },
      },
    }));
    await editPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Lưu' }));
    await screen.findByText('Tên quá dài.');
    expect(screen.getByLabelText('Tên chủ thể', { exact: false }).getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText('Thiếu địa chỉ.')).toBeTruthy();
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('Dữ liệu không hợp lệ.');
    expect(alert.textContent).toContain('mystery: Lạ.');
    expect(alert.textContent).not.toContain('Tên quá dài.');
  });

  it('offers to reload when someone else saved first', async () => {
    const fake = server(() => ({
      status: 409,
      body: { error: { code: 'STALE', message: 'Bản ghi đã bị người khác sửa.' } },
    }));
    await editPage();
    fireEvent.click(await screen.findByRole('button', { name: 'Lưu' }));
    const reload = await screen.findByRole('button', { name: 'Tải lại' });
    const reads = () =>
      fake.calls.filter((c) => c.method === 'GET' && c.url.endsWith(`/subjects/${subject.id}`));
    const before = reads().length;
    fireEvent.click(reload);
    await waitFor(() => expect(reads().length).toBe(before + 1));
  });
});
