// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../auth';
import { fakeFetch, renderPage, testUser } from '../../test-utils';
import { CriteriaPage } from './CriteriaPage';
import { demoSheet, realSheet, ruleSet, ruleSetRow, sheetRow } from './testData';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const admin: User = { ...testUser, role: 'system_admin', provinceCode: null };

function server(extra: Parameters<typeof fakeFetch>[0] = {}, empty = false) {
  const fake = fakeFetch({
    'GET /api/v1/criteria/rule-sets': { status: 200, body: { items: empty ? [] : [ruleSetRow] } },
    'GET /api/v1/criteria/sheets': {
      status: 200,
      body: { items: empty ? [] : [sheetRow(demoSheet), sheetRow(realSheet)] },
    },
    ...extra,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (user = admin) => renderPage(<CriteriaPage />, { path: '/criteria', user });

function chooseFile(file: File) {
  fireEvent.change(screen.getByLabelText('Tệp JSON hoặc Excel (.xlsx)'), { target: { files: [file] } });
  fireEvent.click(screen.getByRole('button', { name: 'Nhập' }));
}

describe('CriteriaPage', () => {
  it('lists rule-sets and sheets with their status, problems and the demo label', async () => {
    server();
    await open();
    expect(await screen.findByRole('link', { name: ruleSet.name.vi })).toBeTruthy();
    const sheets = screen.getByRole('table', { name: 'Phiếu chấm' });
    expect(within(sheets).getByRole('link', { name: demoSheet.title.vi }).getAttribute('href')).toBe(
      `/criteria/sheets/${demoSheet.id}`,
    );
    expect(within(sheets).getByText('minh hoạ — không phải văn bản chính thức')).toBeTruthy();
    expect(within(sheets).getByText('1 lỗi, 0 lưu ý')).toBeTruthy();
    expect(within(sheets).getByText('Hợp lệ')).toBeTruthy();
    expect(screen.getAllByText('Nháp').length).toBeGreaterThan(0);
  });

  it('shows the empty states', async () => {
    server({}, true);
    await open();
    expect(await screen.findByText('Chưa có bộ tiêu chí nào')).toBeTruthy();
    expect(screen.getByText('Chưa có phiếu chấm nào')).toBeTruthy();
  });

  it('shows an error with a retry', async () => {
    const fake = server({
      'GET /api/v1/criteria/rule-sets': {
        status: 500,
        body: { error: { code: 'INTERNAL', message: 'Lỗi máy chủ.' } },
      },
    });
    await open();
    expect(await screen.findByText('Lỗi máy chủ.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await waitFor(() =>
      expect(fake.calls.filter((c) => c.url.startsWith('/api/v1/criteria/rule-sets')).length).toBe(2),
    );
  });

  it('imports a sheet workbook and shows every validation problem with its cell', async () => {
    const fake = server({
      'POST /api/v1/criteria/sheets/import.xlsx': {
        status: 201,
        body: { created: true, sheet: realSheet, locations: { 'parts.0.maxPoints': 'Phiếu chấm!F20' } },
      },
    });
    await open();
    await screen.findByRole('link', { name: ruleSet.name.vi });
    chooseFile(new File(['xlsx bytes'], 'phieu.xlsx'));
    expect(await screen.findByText('Đã lưu bản mới (nháp):', { exact: false })).toBeTruthy();
    expect(screen.getByText('(ô Phiếu chấm!F20)', { exact: false })).toBeTruthy();
    expect(
      screen.getByText('Phần A: tổng điểm tối đa các lựa chọn là 36, khai báo 35.', { exact: false }),
    ).toBeTruthy();
    const call = fake.calls.find((c) => c.url === '/api/v1/criteria/sheets/import.xlsx')!;
    expect(call.method).toBe('POST');
    expect((call.body as FormData).get('file')).toBeInstanceOf(File);
  });

  it('sends a JSON rule-set to the rule-set import and lists a refused workbook cell by cell', async () => {
    const fake = server({
      'POST /api/v1/criteria/rule-sets': { status: 200, body: { created: false, ruleSet } },
      'POST /api/v1/criteria/sheets/import.xlsx': {
        status: 400,
        body: {
          error: {
            code: 'VALIDATION',
            message: 'Tệp Excel có 2 lỗi; sửa các ô được nêu rồi nhập lại.',
            fields: { 'Phiếu chấm!B3': 'code: Không được để trống.', 'Phiếu chấm!F14': 'Điểm phải là số.' },
          },
        },
      },
    });
    await open();
    await screen.findByRole('link', { name: ruleSet.name.vi });
    chooseFile(
      new File([JSON.stringify(ruleSet.document)], 'bo-tieu-chi.json', { type: 'application/json' }),
    );
    expect(await screen.findByText('Nội dung trùng bản đã lưu', { exact: false })).toBeTruthy();
    expect(
      fake.calls.find((c) => c.url === '/api/v1/criteria/rule-sets' && c.method === 'POST')?.body,
    ).toEqual(ruleSet.document);
    chooseFile(new File(['x'], 'phieu.xlsx'));
    expect(await screen.findByText('Tệp Excel có 2 lỗi; sửa các ô được nêu rồi nhập lại.')).toBeTruthy();
    expect(screen.getByText('Phiếu chấm!B3: code: Không được để trống.')).toBeTruthy();
    expect(screen.getByText('Phiếu chấm!F14: Điểm phải là số.')).toBeTruthy();
  });

  it('refuses a JSON file that is no criteria document, and asks for a file first', async () => {
    server();
    await open();
    await screen.findByRole('link', { name: ruleSet.name.vi });
    fireEvent.click(screen.getByRole('button', { name: 'Nhập' }));
    expect(await screen.findByText('Chưa chọn tệp.')).toBeTruthy();
    chooseFile(new File(['{"hello": 1}'], 'khac.json'));
    expect(
      await screen.findByText('Tệp "khac.json" không phải bộ tiêu chí hay phiếu chấm dạng JSON đọc được.'),
    ).toBeTruthy();
  });

  it('loads the shipped data', async () => {
    const fake = server({
      'POST /api/v1/criteria/shipped': {
        status: 200,
        body: { ruleSets: [{ code: '26-2026', revision: 1, created: true }], sheets: [] },
      },
    });
    await open();
    fireEvent.click(await screen.findByRole('button', { name: 'Nạp dữ liệu có sẵn' }));
    expect(await screen.findByText('Đã nạp: 1 bộ tiêu chí và 0 phiếu chấm mới.')).toBeTruthy();
    expect(fake.calls.find((c) => c.url === '/api/v1/criteria/shipped')?.body).toEqual({});
  });

  it('shows officers the lists without any administration action', async () => {
    server();
    await open(testUser);
    await screen.findByRole('link', { name: ruleSet.name.vi });
    expect(screen.queryByRole('button', { name: 'Nạp dữ liệu có sẵn' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Nhập' })).toBeNull();
  });
});
