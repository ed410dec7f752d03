// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ImportJob, Report } from '../../data/imports';
import { fakeFetch, renderPage, testUser } from '../../test-utils';
import { importJob, report } from './fixtures';
import { columnName, ImportPage, stepOf } from './ImportPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const base = `/api/v1/imports/${importJob.id}`;
const open = () =>
  renderPage(<ImportPage />, { path: `/imports/${importJob.id}`, route: '/imports/:id', user: testUser });

const noFlags: Report = {
  ...report,
  job: { ...report.job, counts: { ...report.job.counts!, flagged: 0, warning: 1 } },
  rows: report.rows.map((r) =>
    r.status === 'flagged'
      ? {
          ...r,
          status: 'warning',
          communeCode: '13291',
          decision: { communeCode: '13291', userId: 'u', at: '' },
        }
      : r,
  ),
};

describe('ImportPage', () => {
  it('maps columns, previews, and runs the dry run', async () => {
    const fake = fakeFetch({
      [`GET ${base}`]: { status: 200, body: importJob },
      [`PUT ${base}/mapping`]: { status: 200, body: importJob },
      [`GET ${base}/preview`]: {
        status: 200,
        body: { headers: importJob.headers, rows: report.rows.map((r) => ({ ...r, empty: false })) },
      },
      [`POST ${base}/dry-run`]: { status: 200, body: report },
      [`GET ${base}/report`]: { status: 200, body: report },
    });
    vi.stubGlobal('fetch', fake.fetch);
    await open();
    await screen.findByRole('heading', { name: `Nhập tệp ${importJob.fileName}` });
    const product = screen.getByRole('combobox', { name: /Tên sản phẩm/ }) as HTMLInputElement;
    expect(product.value).toBe('B · Tên sản phẩm');
    fireEvent.click(screen.getByRole('button', { name: 'Lưu cách ghép và xem trước' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(fake.calls.find((c) => c.method === 'PUT')?.body).toEqual({
      mapping: importJob.mapping,
      remember: true,
    });
    await screen.findByRole('table', { name: 'Xem trước' });
    expect(screen.getByText('Thiếu hạng sao.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Kiểm tra thử' }));
    await screen.findByRole('table', { name: 'Kiểm tra thử' });
    expect(fake.calls.some((c) => c.method === 'POST' && c.url.endsWith('/dry-run'))).toBe(true);
  });

  it('reads another sheet of the workbook and starts the mapping again from its header', async () => {
    const workbook: ImportJob = { ...importJob, sheetNames: ['Hướng dẫn', 'Danh sách', 'Năm 2023'] };
    const other: ImportJob = {
      ...workbook,
      sheetName: 'Năm 2023',
      headers: ['Tên SP', 'Cơ sở', 'Xếp hạng', 'Ngày QĐ'],
      mapping: { productName: 0, subjectName: 1, star: 2, decisionDate: 3 },
    };
    const fake = fakeFetch({
      [`GET ${base}`]: { status: 200, body: workbook },
      [`PUT ${base}/sheet`]: { status: 200, body: other },
    });
    vi.stubGlobal('fetch', fake.fetch);
    await open();
    const sheet = (await screen.findByRole('combobox', { name: /Trang tính/ })) as HTMLInputElement;
    expect(sheet.value).toBe('Danh sách');
    fireEvent.click(sheet);
    fireEvent.click(await screen.findByRole('option', { name: 'Năm 2023', hidden: true }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'PUT')).toBe(true));
    expect(fake.calls.find((c) => c.method === 'PUT')?.body).toEqual({ sheetName: 'Năm 2023' });
    await waitFor(() =>
      expect((screen.getByRole('combobox', { name: /Tên sản phẩm/ }) as HTMLInputElement).value).toBe(
        'A · Tên SP',
      ),
    );
  });

  it('refuses to commit while a row awaits a decision, and records the person’s choice among the candidates', async () => {
    const fake = fakeFetch({
      [`GET ${base}`]: { status: 200, body: report.job },
      [`GET ${base}/report`]: { status: 200, body: report },
      [`POST ${base}/rows/5/decision`]: { status: 200, body: noFlags.rows[1] },
      [`POST ${base}/decisions`]: { status: 200, body: report },
    });
    vi.stubGlobal('fetch', fake.fetch);
    await open();
    await screen.findByText(
      'Còn 1 dòng cần người quyết định (bộ sản phẩm, hạng sao, xã/phường) trước khi ghi.',
    );
    // The class of row 5 is asked once for its value, with how it was read and the hint words.
    await screen.findByText('Sổ ghi: «Đồ uống»');
    expect(screen.getByText('Gợi ý từ tên sản phẩm: cà phê')).toBeTruthy();
    expect(screen.getByText('Bộ sản phẩm: «Đồ uống» → 13 · Cà phê, cacao (theo ngữ cảnh)')).toBeTruthy();
    expect(screen.getByText('Chưa đủ thông tin: Số quyết định')).toBeTruthy();
    fireEvent.click(screen.getByRole('combobox', { name: 'Chọn giá trị — Bộ sản phẩm: Đồ uống' }));
    fireEvent.click(await screen.findByRole('option', { name: '13 · Cà phê, cacao', hidden: true }));
    fireEvent.click(screen.getAllByRole('button', { name: 'Lưu lựa chọn' })[0]!);
    await waitFor(() => expect(fake.calls.some((c) => c.url.endsWith('/decisions'))).toBe(true));
    expect(fake.calls.find((c) => c.url.endsWith('/decisions'))?.body).toEqual({
      field: 'category',
      key: 'category||do uong|cà phê',
      value: '2026:13',
      remember: true,
    });
    const commit = screen.getByRole('button', { name: 'Ghi vào hệ thống' }) as HTMLButtonElement;
    expect(commit.disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: /Bỏ qua 1 dòng có lỗi/ }));
    expect(commit.disabled).toBe(true);
    const choose = screen.getByRole('combobox', { name: 'Xã/phường hiện nay của dòng 5' });
    fireEvent.click(choose);
    fireEvent.click(await screen.findByRole('option', { name: /Phường Châu Sơn/, hidden: true }));
    const saves = screen.getAllByRole('button', { name: 'Lưu lựa chọn' });
    fireEvent.click(saves[saves.length - 1]!);
    await waitFor(() => expect(fake.calls.some((c) => c.url.endsWith('/rows/5/decision'))).toBe(true));
    expect(fake.calls.find((c) => c.url.endsWith('/rows/5/decision'))?.body).toEqual({
      communeCode: '13292',
    });
  });

  it('commits skipping rows with errors only when asked, then shows the result', async () => {
    const committed: Report = {
      ...noFlags,
      job: {
        ...noFlags.job,
        status: 'committed',
        committedAt: '2026-12-01T03:00:00.000Z',
        counts: { ...noFlags.job.counts!, created: 2 },
      },
    };
    // The commit answers 202 with the job running; the page reads the job until it ends.
    let started = false;
    let reads = 0;
    const fake = fakeFetch({
      [`GET ${base}`]: () => {
        if (!started) return { status: 200, body: noFlags.job };
        reads++;
        return reads < 2
          ? {
              status: 200,
              body: {
                ...noFlags.job,
                status: 'committing',
                progress: { done: 1, total: 3, secondsLeft: 2, startedAt: '2026-12-01T03:00:00.000Z' },
              },
            }
          : { status: 200, body: committed.job };
      },
      [`GET ${base}/report`]: { status: 200, body: noFlags },
      [`POST ${base}/commit`]: () => {
        started = true;
        return { status: 202, body: { ...noFlags.job, status: 'committing', processedRows: 0 } };
      },
    });
    vi.stubGlobal('fetch', fake.fetch);
    await open();
    await screen.findByText('Không thể ghi khi còn dòng có lỗi, trừ khi chọn bỏ qua các dòng đó.');
    const commit = screen.getByRole('button', { name: 'Ghi vào hệ thống' }) as HTMLButtonElement;
    expect(commit.disabled).toBe(true);
    fireEvent.click(screen.getByRole('checkbox', { name: /Bỏ qua 1 dòng có lỗi/ }));
    expect(commit.disabled).toBe(false);
    fireEvent.click(commit);
    await screen.findByText('Đang ghi vào hệ thống…');
    await screen.findByRole('heading', { name: 'Kết quả nhập' }, { timeout: 5000 });
    expect(fake.calls.find((c) => c.url.endsWith('/commit'))?.body).toEqual({ skipRowsWithErrors: true });
    const summary = screen.getByRole('list', { name: 'Tóm tắt kết quả' });
    expect(within(summary).getByText('Tạo mới: 2')).toBeTruthy();
  });

  it('resumes an import at its step, and shows an error with a retry', async () => {
    expect(stepOf({ status: 'uploaded' } as ImportJob)).toBe('mapping');
    expect(stepOf({ status: 'failed' } as ImportJob)).toBe('report');
    expect(stepOf({ status: 'committing' } as ImportJob)).toBe('report');
    expect(stepOf({ status: 'committed' } as ImportJob)).toBe('result');
    expect([columnName(0), columnName(25), columnName(26)]).toEqual(['A', 'Z', 'AA']);
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        [`GET ${base}`]: {
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: 'Không tìm thấy lượt nhập.' } },
        },
      }).fetch,
    );
    await open();
    await screen.findByText('Không tìm thấy lượt nhập.');
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });
});
