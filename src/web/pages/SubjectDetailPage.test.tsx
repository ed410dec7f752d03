// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Subject } from '../data/subjects';
import { page, subject, subjectMeta } from '../test-fixtures';
import { fakeFetch, renderPage, testUser } from '../test-utils';
import { SubjectDetailPage } from './SubjectDetailPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const archived: Subject = { ...subject, archivedAt: '2026-11-20T03:00:00.000Z', version: 2 };

function server(record: Subject, overrides: Parameters<typeof fakeFetch>[0] = {}) {
  const fake = fakeFetch({
    [`GET /api/v1/subjects/${subject.id}`]: { status: 200, body: record },
    'GET /api/v1/subjects/meta': { status: 200, body: subjectMeta },
    'GET /api/v1/products': { status: 200, body: page([]) },
    [`POST /api/v1/subjects/${subject.id}/archive`]: { status: 200, body: archived },
    [`POST /api/v1/subjects/${subject.id}/restore`]: { status: 200, body: subject },
    [`GET /api/v1/audit/subject/${subject.id}`]: { status: 200, body: { items: [] } },
    ...overrides,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (user = testUser) =>
  renderPage(<SubjectDetailPage />, { path: `/subjects/${subject.id}`, route: '/subjects/:id', user });

describe('SubjectDetailPage', () => {
  it('archives after confirmation, then offers restore instead of edit', async () => {
    const fake = server(subject);
    await open();
    await screen.findByRole('heading', { name: subject.name });
    expect(screen.getByRole('link', { name: 'Sửa' }).getAttribute('href')).toBe(
      `/subjects/${subject.id}/edit`,
    );
    fireEvent.click(screen.getByRole('button', { name: 'Lưu trữ' }));
    expect(await screen.findByText(/Lưu trữ chủ thể "Công ty TNHH Cơm cháy Hoa Lư"\?/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Xác nhận' }));
    await screen.findByText('Chủ thể này đã được lưu trữ.', { exact: false });
    expect(fake.calls.some((c) => c.method === 'POST' && c.url.endsWith('/archive'))).toBe(true);
    expect(screen.queryByRole('link', { name: 'Sửa' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Khôi phục' }));
    await waitFor(() => expect(fake.calls.some((c) => c.url.endsWith('/restore'))).toBe(true));
    await screen.findByRole('link', { name: 'Sửa' });
  });

  it('shows the archive date and the refusal of a failed action', async () => {
    server(archived, {
      [`POST /api/v1/subjects/${subject.id}/restore`]: {
        status: 409,
        body: { error: { code: 'CONFLICT', message: 'Đã có chủ thể cùng tên.' } },
      },
    });
    await open();
    await screen.findByText('Chủ thể này đã được lưu trữ. Lưu trữ ngày 20/11/2026');
    fireEvent.click(screen.getByRole('button', { name: 'Khôi phục' }));
    await screen.findByText('Đã có chủ thể cùng tên.');
  });

  it('shows history to administrators only, and archiving to officers only', async () => {
    server(subject);
    const first = await open({ ...testUser, role: 'system_admin', provinceCode: null });
    await screen.findByRole('heading', { name: subject.name });
    expect(screen.getByRole('button', { name: 'Lịch sử thay đổi' })).toBeTruthy();
    first.unmount();
    await open({ ...testUser, role: 'producer', provinceCode: null });
    await screen.findByRole('heading', { name: subject.name });
    expect(screen.queryByRole('button', { name: 'Lịch sử thay đổi' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Lưu trữ' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Sửa' })).toBeTruthy();
  });
});
