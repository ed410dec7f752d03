// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../auth';
import type { Sheet } from '../../data/criteria';
import { fakeFetch, renderPage, testUser } from '../../test-utils';
import { SheetPage } from './SheetPage';
import { demoSheet, realSheet } from './testData';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const admin: User = { ...testUser, role: 'system_admin', provinceCode: null };

function server(record: Sheet, extra: Parameters<typeof fakeFetch>[0] = {}) {
  const fake = fakeFetch({
    [`GET /api/v1/criteria/sheets/${record.id}`]: { status: 200, body: record },
    ...extra,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (record: Sheet, user = admin) =>
  renderPage(<SheetPage />, { path: `/criteria/sheets/${record.id}`, route: '/criteria/sheets/:id', user });

describe('SheetPage', () => {
  it('shows the tree with points, star requirements, guidance and disqualifiers, labelled as a demo', async () => {
    server(demoSheet);
    await open(demoSheet);
    expect(await screen.findByRole('heading', { level: 1, name: demoSheet.title.vi })).toBeTruthy();
    expect(screen.getByText('minh hoạ — không phải văn bản chính thức')).toBeTruthy();
    expect(
      screen.getByRole('heading', {
        level: 3,
        name: 'Phần A — Sản xuất và sức mạnh cộng đồng (minh hoạ) (tối đa 40 điểm)',
      }),
    ).toBeTruthy();
    const options = screen.getByRole('table', { name: 'Các lựa chọn của tiêu chí A1.1' });
    const best = within(options).getByRole('row', { name: /A1\.1\.d/ });
    expect(within(best).getByText('5')).toBeTruthy();
    expect(screen.getByText('Bắt buộc cho hạng 4 sao')).toBeTruthy();
    expect(screen.getByText('Bắt buộc cho hạng 5 sao')).toBeTruthy();
    expect(screen.getByText(demoSheet.document.disqualifiers[0]!.text.vi)).toBeTruthy();
    expect(screen.getByText('Không có lỗi hay lưu ý nào.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Tải về Excel' }).getAttribute('href')).toBe(
      `/api/v1/criteria/sheets/${demoSheet.id}/export.xlsx`,
    );
    expect(screen.getByRole('link', { name: 'Tải về JSON' }).getAttribute('href')).toBe(
      `/api/v1/criteria/sheets/${demoSheet.id}/export`,
    );
  });

  it("shows the validation problems and the validator's refusal to activate", async () => {
    const fake = server(realSheet, {
      [`POST /api/v1/criteria/sheets/${realSheet.id}/activate`]: {
        status: 409,
        body: {
          error: {
            code: 'CONFLICT',
            message:
              'Phiếu chấm còn 1 lỗi, không thể kích hoạt: Phần A: tổng điểm tối đa các lựa chọn là 36, khai báo 35.',
            fields: { 'parts.0.maxPoints': 'Phần A: tổng điểm tối đa các lựa chọn là 36, khai báo 35.' },
          },
        },
      },
    });
    await open(realSheet);
    expect(
      await screen.findByText('Phần A: tổng điểm tối đa các lựa chọn là 36, khai báo 35.', { exact: false }),
    ).toBeTruthy();
    expect(screen.queryByText('minh hoạ — không phải văn bản chính thức')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Kích hoạt' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    expect(
      await screen.findByText('Phiếu chấm còn 1 lỗi, không thể kích hoạt', { exact: false }),
    ).toBeTruthy();
    expect(fake.calls.find((c) => c.url.endsWith('/activate'))?.body).toEqual({ version: realSheet.version });
  });

  it('activates a valid draft and retires an active sheet', async () => {
    const fake = server(demoSheet, {
      [`POST /api/v1/criteria/sheets/${demoSheet.id}/activate`]: {
        status: 200,
        body: { ...demoSheet, status: 'active', version: 2 },
      },
    });
    await open(demoSheet);
    fireEvent.click(await screen.findByRole('button', { name: 'Kích hoạt' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    expect(await screen.findByText('Đã kích hoạt.')).toBeTruthy();
    expect(fake.calls.find((c) => c.url.endsWith('/activate'))?.body).toEqual({ version: 1 });
    cleanup();
    const active: Sheet = { ...demoSheet, status: 'active', version: 2 };
    const retire = server(active, {
      [`POST /api/v1/criteria/sheets/${demoSheet.id}/retire`]: {
        status: 200,
        body: { ...active, status: 'retired' },
      },
    });
    await open(active);
    fireEvent.click(await screen.findByRole('button', { name: 'Ngừng áp dụng' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    await waitFor(() =>
      expect(retire.calls.find((c) => c.url.endsWith('/retire'))?.body).toEqual({ version: 2 }),
    );
  });

  it('shows officers the sheet without actions', async () => {
    server(demoSheet);
    await open(demoSheet, testUser);
    await screen.findByRole('heading', { level: 1, name: demoSheet.title.vi });
    expect(screen.queryByRole('button', { name: 'Kích hoạt' })).toBeNull();
  });

  it('shows an empty tree, a missing sheet and an error with a retry', async () => {
    const empty: Sheet = { ...demoSheet, document: { ...demoSheet.document, parts: [], disqualifiers: [] } };
    server(empty);
    const first = await open(empty);
    expect(await screen.findByText('Phiếu chưa có phần nào.')).toBeTruthy();
    expect(screen.getByText('Phiếu không có điều kiện loại.')).toBeTruthy();
    first.unmount();
    vi.stubGlobal('fetch', fakeFetch({}).fetch);
    const second = await open(demoSheet);
    expect(await screen.findByText('Không tìm thấy bản ghi này.')).toBeTruthy();
    second.unmount();
    const failing = fakeFetch({
      [`GET /api/v1/criteria/sheets/${demoSheet.id}`]: {
        status: 500,
        body: { error: { code: 'INTERNAL', message: 'Lỗi máy chủ.' } },
      },
    });
    vi.stubGlobal('fetch', failing.fetch);
    await open(demoSheet);
    expect(await screen.findByText('Lỗi máy chủ.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(failing.calls.length).toBe(2));
  });
});
