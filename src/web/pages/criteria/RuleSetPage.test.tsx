// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../auth';
import type { RuleSet } from '../../data/criteria';
import { fakeFetch, renderPage, testUser } from '../../test-utils';
import { RuleSetPage } from './RuleSetPage';
import { demoSheet, ruleSet, sheetRow } from './testData';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const admin: User = { ...testUser, role: 'system_admin', provinceCode: null };
const url = `/api/v1/criteria/rule-sets/${ruleSet.id}`;

function server(record: RuleSet | null, extra: Parameters<typeof fakeFetch>[0] = {}) {
  const fake = fakeFetch({
    [`GET ${url}`]: record
      ? { status: 200, body: record }
      : { status: 404, body: { error: { code: 'NOT_FOUND', message: 'Không tìm thấy bộ tiêu chí.' } } },
    'GET /api/v1/criteria/sheets': { status: 200, body: { items: [sheetRow(demoSheet)] } },
    ...extra,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (user = admin) =>
  renderPage(<RuleSetPage />, {
    path: `/criteria/rule-sets/${ruleSet.id}`,
    route: '/criteria/rule-sets/:id',
    user,
  });

describe('RuleSetPage', () => {
  it('shows the parameters with the open ones marked as set by the administrator, and the report', async () => {
    server(ruleSet);
    await open();
    expect(await screen.findByRole('heading', { level: 1, name: ruleSet.name.vi })).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Tham số' });
    const minimum = within(table).getByRole('row', { name: /Số phiếu chấm tối thiểu/ });
    expect(within(minimum).getByText('Chưa đặt')).toBeTruthy();
    expect(within(minimum).getByText('Chưa rõ — quản trị viên đặt')).toBeTruthy();
    const validity = within(table).getByRole('row', { name: /Hiệu lực giấy chứng nhận/ });
    expect(within(validity).queryByText('Chưa rõ — quản trị viên đặt')).toBeNull();
    expect(screen.getByText(ruleSet.problems[0]!.vi, { exact: false })).toBeTruthy();
    expect(await screen.findByRole('link', { name: demoSheet.title.vi })).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Tải về JSON' }).getAttribute('href')).toBe(`${url}/export`);
    expect(screen.getByRole('link', { name: 'Tải về Excel' }).getAttribute('href')).toBe(
      `${url}/export.xlsx`,
    );
  });

  it('sets the open parameters with the version it shows', async () => {
    const fake = server(ruleSet, {
      [`PATCH ${url}/parameters`]: {
        status: 200,
        body: {
          ...ruleSet,
          version: 2,
          problems: [],
          errorCount: 0,
          document: { ...ruleSet.document, minimumSheets: { value: 5, source: 'open' } },
        },
      },
    });
    await open();
    const minimum = await screen.findByLabelText('Số phiếu chấm tối thiểu để kết quả hợp lệ', {
      exact: false,
    });
    fireEvent.change(minimum, { target: { value: '5' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu tham số' }));
    expect(await screen.findByText('Đã lưu tham số.')).toBeTruthy();
    expect(fake.calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      version: ruleSet.version,
      rounding: { decimals: 2, mode: 'truncate' },
      minimumSheets: 5,
      requirementJudgement: 'majority',
      outlierDistance: 15,
    });
  });

  it('asks for the minimum before sending, and shows the API field error inline', async () => {
    const fake = server(ruleSet, {
      [`PATCH ${url}/parameters`]: {
        status: 400,
        body: {
          error: {
            code: 'VALIDATION',
            message: 'Dữ liệu không hợp lệ.',
            fields: { minimumSheets: 'Tối đa 50.' },
          },
        },
      },
    });
    await open();
    fireEvent.click(await screen.findByRole('button', { name: 'Lưu tham số' }));
    expect(await screen.findByText('Không được để trống.')).toBeTruthy();
    expect(fake.calls.some((c) => c.method === 'PATCH')).toBe(false);
    fireEvent.change(screen.getByLabelText('Số phiếu chấm tối thiểu để kết quả hợp lệ', { exact: false }), {
      target: { value: '7' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu tham số' }));
    expect(await screen.findByText('Tối đa 50.')).toBeTruthy();
  });

  it("shows the validator's refusal of an activation", async () => {
    const fake = server(ruleSet, {
      [`POST ${url}/activate`]: {
        status: 409,
        body: {
          error: {
            code: 'CONFLICT',
            message: 'Bộ tiêu chí còn 1 lỗi, không thể kích hoạt: Chưa đặt số phiếu chấm tối thiểu.',
            fields: { 'minimumSheets.value': 'Chưa đặt số phiếu chấm tối thiểu.' },
          },
        },
      },
    });
    await open();
    fireEvent.click(await screen.findByRole('button', { name: 'Kích hoạt' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    expect(
      await screen.findByText('Bộ tiêu chí còn 1 lỗi, không thể kích hoạt', { exact: false }),
    ).toBeTruthy();
    expect(screen.getByText('minimumSheets.value: Chưa đặt số phiếu chấm tối thiểu.')).toBeTruthy();
    expect(fake.calls.find((c) => c.url.endsWith('/activate'))?.body).toEqual({ version: ruleSet.version });
  });

  it('retires an active rule-set', async () => {
    const active: RuleSet = { ...ruleSet, status: 'active', problems: [], errorCount: 0 };
    const fake = server(active, {
      [`POST ${url}/retire`]: { status: 200, body: { ...active, status: 'retired', version: 2 } },
    });
    await open();
    expect(screen.queryByRole('button', { name: 'Lưu tham số' })).toBeNull();
    fireEvent.click(await screen.findByRole('button', { name: 'Ngừng áp dụng' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    await waitFor(() =>
      expect(fake.calls.find((c) => c.url.endsWith('/retire'))?.body).toEqual({ version: 1 }),
    );
  });

  it('shows officers no form and no action', async () => {
    server(ruleSet);
    await open(testUser);
    await screen.findByRole('heading', { level: 1, name: ruleSet.name.vi });
    expect(screen.queryByRole('button', { name: 'Lưu tham số' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Kích hoạt' })).toBeNull();
  });

  it('says when the rule-set does not exist, and offers a retry on other errors', async () => {
    server(null);
    const first = await open();
    expect(await screen.findByText('Không tìm thấy bản ghi này.')).toBeTruthy();
    first.unmount();
    server(null, {
      [`GET ${url}`]: { status: 500, body: { error: { code: 'INTERNAL', message: 'Lỗi máy chủ.' } } },
    });
    await open();
    expect(await screen.findByText('Lỗi máy chủ.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });
});
