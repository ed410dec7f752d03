// @vitest-environment jsdom
import { act, cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderPage, testUser } from '../../test-utils';
import { importJob } from './fixtures';
import { ImportsPage } from './ImportsPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const LIST = 'GET /api/v1/imports';

/** A stand-in XMLHttpRequest the test drives: upload progress, then the answer. */
class FakeXhr {
  static last: FakeXhr | null = null;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  body: unknown = null;
  status = 0;
  responseText = '';
  upload: { onprogress: ((e: { lengthComputable: boolean; loaded: number; total: number }) => void) | null } =
    {
      onprogress: null,
    };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  send(body: unknown) {
    this.body = body;
    FakeXhr.last = this;
  }
  answer(status: number, body: unknown) {
    this.status = status;
    this.responseText = JSON.stringify(body);
    this.onload?.();
  }
}

const INCOMPLETE = 'GET /api/v1/imports/incomplete';

describe('ImportsPage', () => {
  it('lists past imports with their status and links to resume them', async () => {
    const fake = fakeFetch({
      [LIST]: { status: 200, body: { items: [importJob], total: 1, page: 1, pageSize: 20 } },
      [INCOMPLETE]: {
        status: 200,
        body: {
          items: [
            {
              importId: importJob.id,
              fileName: importJob.fileName,
              rowNumber: 9,
              productName: 'Mắm tép Kim Sơn',
              subjectName: 'Hộ kinh doanh Trần Văn Dũng',
              certificateId: 'c0000000-0000-4000-8000-000000000001',
              missing: ['decisionNumber'],
              committedAt: '2026-12-01T03:00:00.000Z',
            },
          ],
          total: 1,
          page: 1,
          pageSize: 10,
        },
      },
    });
    vi.stubGlobal('fetch', fake.fetch);
    await renderPage(<ImportsPage />, { path: '/imports', user: testUser });
    const link = await screen.findByRole('link', { name: importJob.fileName });
    expect(link.getAttribute('href')).toBe(`/imports/${importJob.id}`);
    // The records the registry left incomplete, each with what it lacks and its certificate.
    const record = await screen.findByRole('link', { name: 'Mắm tép Kim Sơn' });
    expect(record.getAttribute('href')).toBe('/certificates/c0000000-0000-4000-8000-000000000001');
    expect(screen.getByText('Số quyết định')).toBeTruthy();
    expect(screen.getByText('Đã tải lên')).toBeTruthy();
  });

  it('uploads with real progress and the session’s CSRF token, then opens the import', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({ [LIST]: { status: 200, body: { items: [], total: 0, page: 1, pageSize: 20 } } }).fetch,
    );
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    const { queryClient } = await renderPage(<ImportsPage />, { path: '/imports', user: testUser });
    queryClient.setQueryData(['session'], { user: testUser, csrfToken: 'csrf-123' });
    await screen.findByText('Chưa có lượt nhập nào.');
    expect(screen.queryByRole('combobox', { name: /Tỉnh của sổ đăng ký/ })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Tải lên' }));
    await screen.findByText('Hãy chọn tệp.');
    const file = new File(['Tên sản phẩm;Chủ thể\r\n'], 'so.csv', { type: 'text/csv' });
    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    // Excel's "Unicode text" is offered; .xls and .ods too, so the server can say how to save them.
    const accepted = input.accept.split(',');
    for (const ext of ['.xlsx', '.csv', '.txt', '.xls', '.ods']) expect(accepted).toContain(ext);
    fireEvent.change(input, { target: { files: [file] } });
    fireEvent.click(screen.getByRole('button', { name: 'Tải lên' }));
    await waitFor(() => expect(FakeXhr.last).not.toBeNull());
    const xhr = FakeXhr.last!;
    expect(xhr.method).toBe('POST');
    expect(xhr.url).toBe('/api/v1/imports');
    expect(xhr.headers['x-csrf-token']).toBe('csrf-123');
    expect((xhr.body as FormData).get('file')).toBeTruthy();
    act(() => xhr.upload.onprogress?.({ lengthComputable: true, loaded: 512, total: 2048 }));
    await screen.findByText(/Đã gửi 25%/);
    act(() => xhr.answer(201, importJob));
    await waitFor(() => expect(screen.getByTestId('location').textContent).toBe(`/imports/${importJob.id}`));
  });

  it('shows the API’s refusal of a file', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({ [LIST]: { status: 200, body: { items: [], total: 0, page: 1, pageSize: 20 } } }).fetch,
    );
    vi.stubGlobal('XMLHttpRequest', FakeXhr);
    await renderPage(<ImportsPage />, { path: '/imports', user: testUser });
    const input = document.querySelector('input[type="file"]') as HTMLInputElement;
    fireEvent.change(input, { target: { files: [new File(['x'], 'anh.csv')] } });
    fireEvent.click(screen.getByRole('button', { name: 'Tải lên' }));
    await waitFor(() => expect(FakeXhr.last?.url).toBe('/api/v1/imports'));
    act(() =>
      FakeXhr.last!.answer(415, {
        error: {
          code: 'UNSUPPORTED_MEDIA',
          message: 'Tệp không được hỗ trợ.',
          fields: { file: 'Tệp không phải bảng tính.' },
        },
      }),
    );
    await screen.findByText('Tệp không phải bảng tính.');
  });

  it('asks an administrator for the province, and shows a list error with a retry', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        [LIST]: { status: 500, body: { error: { code: 'INTERNAL', message: 'Lỗi hệ thống.' } } },
        [INCOMPLETE]: { status: 200, body: { items: [], total: 0, page: 1, pageSize: 10 } },
        'GET /api/v1/admin-units/provinces': {
          status: 200,
          body: { items: [{ code: '37', name: 'Tỉnh Ninh Bình' }] },
        },
      }).fetch,
    );
    await renderPage(<ImportsPage />, {
      path: '/imports',
      user: { ...testUser, role: 'system_admin', provinceCode: null },
    });
    await screen.findByText('Lỗi hệ thống.');
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
    expect(screen.getByRole('combobox', { name: /Tỉnh của sổ đăng ký/ })).toBeTruthy();
  });
});
