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

  it("imports a rule-set workbook when the person says the Excel file is a rule-set, with each problem's cell", async () => {
    const fake = server({
      'POST /api/v1/criteria/rule-sets/import.xlsx': {
        status: 201,
        body: { created: true, ruleSet, locations: { [ruleSet.problems[0]!.path]: 'Tham số!B4' } },
      },
    });
    await open();
    await screen.findByRole('link', { name: ruleSet.name.vi });
    expect(screen.queryByRole('radio', { name: 'Bộ tiêu chí' })).toBeNull();
    fireEvent.change(screen.getByLabelText('Tệp JSON hoặc Excel (.xlsx)'), {
      target: { files: [new File(['xlsx bytes'], 'bo-tieu-chi.xlsx')] },
    });
    expect(screen.getByRole('radiogroup', { name: 'Tệp Excel này là' })).toBeTruthy();
    expect((screen.getByRole('radio', { name: 'Phiếu chấm' }) as HTMLInputElement).checked).toBe(true);
    fireEvent.click(screen.getByRole('radio', { name: 'Bộ tiêu chí' }));
    fireEvent.click(screen.getByRole('button', { name: 'Nhập' }));
    expect(await screen.findByText('Đã lưu bản mới (nháp):', { exact: false })).toBeTruthy();
    expect(screen.getByText('(ô Tham số!B4)', { exact: false })).toBeTruthy();
    const call = fake.calls.find((c) => c.url === '/api/v1/criteria/rule-sets/import.xlsx')!;
    expect(call.method).toBe('POST');
    expect((call.body as FormData).get('file')).toBeInstanceOf(File);
    expect(fake.calls.some((c) => c.url === '/api/v1/criteria/sheets/import.xlsx')).toBe(false);
    expect(
      screen
        .getByRole('link', { name: 'Tải mẫu bộ tiêu chí (Excel, điền sẵn bộ 26/2026)' })
        .getAttribute('href'),
    ).toBe('/api/v1/criteria/rule-sets/template.xlsx');
  });

  it('lists a refused rule-set workbook cell by cell', async () => {
    server({
      'POST /api/v1/criteria/rule-sets/import.xlsx': {
        status: 400,
        body: {
          error: {
            code: 'VALIDATION',
            message: 'Tệp Excel có 2 lỗi; sửa các ô được nêu rồi nhập lại.',
            fields: {
              'Cấp đánh giá!A1': 'Thiếu trang "Cấp đánh giá".',
              'Hạng sao!C3': 'starBands.1.max: Phải là số.',
            },
          },
        },
      },
    });
    await open();
    await screen.findByRole('link', { name: ruleSet.name.vi });
    fireEvent.change(screen.getByLabelText('Tệp JSON hoặc Excel (.xlsx)'), {
      target: { files: [new File(['x'], 'bo-tieu-chi.xlsx')] },
    });
    fireEvent.click(screen.getByRole('radio', { name: 'Bộ tiêu chí' }));
    fireEvent.click(screen.getByRole('button', { name: 'Nhập' }));
    expect(await screen.findByText('Tệp Excel có 2 lỗi; sửa các ô được nêu rồi nhập lại.')).toBeTruthy();
    expect(screen.getByText('Cấp đánh giá!A1: Thiếu trang "Cấp đánh giá".')).toBeTruthy();
    expect(screen.getByText('Hạng sao!C3: starBands.1.max: Phải là số.')).toBeTruthy();
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
