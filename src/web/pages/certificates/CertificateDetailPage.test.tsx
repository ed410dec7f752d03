// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { CertificateWithVersions } from '../../data/certificates';
import { fakeFetch, renderPage, testUser } from '../../test-utils';
import { CertificateDetailPage } from './CertificateDetailPage';
import { certificate, certificateDetail, certificateMeta } from './fixtures';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const url = `/api/v1/certificates/${certificate.id}`;

function server(record: CertificateWithVersions = certificateDetail) {
  const fake = fakeFetch({
    [`GET ${url}`]: { status: 200, body: record },
    'GET /api/v1/certificates/meta': { status: 200, body: certificateMeta },
    [`POST ${url}/revocation`]: { status: 200, body: { ...certificate, status: 'revoked' } },
    [`POST ${url}/corrections`]: { status: 201, body: { ...certificate, id: 'next-version', version: 2 } },
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (user = testUser) =>
  renderPage(<CertificateDetailPage />, {
    path: `/certificates/${certificate.id}`,
    route: '/certificates/:id',
    user,
  });

describe('CertificateDetailPage', () => {
  it('shows the certificate, its documents, versions and the public page', async () => {
    server();
    await open();
    await screen.findByRole('heading', { name: `Giấy chứng nhận ${certificate.number}` });
    expect(screen.getAllByText('Còn hiệu lực').length).toBeGreaterThan(0);
    expect(screen.getByText('4 sao')).toBeTruthy();
    expect(screen.getByText('Số 1234/QĐ-UBND ngày 30/06/2026')).toBeTruthy();
    expect(screen.getByText('29/06/2029')).toBeTruthy();
    expect(screen.getByRole('link', { name: /Tải giấy chứng nhận/ }).getAttribute('href')).toBe(`${url}/pdf`);
    expect(screen.getByRole('link', { name: 'Tải mã QR SVG cỡ 50 mm' }).getAttribute('href')).toBe(
      `${url}/qr.svg?mm=50`,
    );
    expect(screen.getByRole('link', { name: 'Mở trang tra cứu công khai' }).getAttribute('href')).toBe(
      '/v/37-14329-0001-2026?s=abc',
    );
    expect(screen.getByText(/Phiên bản 1 \(đang xem\)/)).toBeTruthy();
  });

  it('shows a year-only record as "date unknown", with its year, never a computed end', async () => {
    const yearOnly = {
      ...certificate,
      status: 'date_unknown' as const,
      statusLabel: { vi: 'Không rõ — cần ngày quyết định', en: 'Unknown — needs the decision date' },
      decisionDate: null,
      validFrom: null,
      validTo: null,
      recognitionYear: 2021,
      source: 'import' as const,
    };
    server({ ...certificateDetail, ...yearOnly, versions: certificateDetail.versions });
    await open();
    await screen.findByRole('heading', { name: `Giấy chứng nhận ${certificate.number}` });
    expect(screen.getAllByText('Không rõ — cần ngày quyết định').length).toBeGreaterThan(0);
    expect(screen.getByText('Số 1234/QĐ-UBND, năm 2021 (chưa rõ ngày)')).toBeTruthy();
    expect(screen.getAllByText('không rõ — cần ngày quyết định')).toHaveLength(2);
    expect(screen.queryByText('29/06/2029')).toBeNull();
  });

  it('revokes with reason, decision number and date after confirmation', async () => {
    const fake = server();
    await open();
    fireEvent.click(await screen.findByRole('button', { name: 'Thu hồi' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Thu hồi' }));
    expect(await within(dialog).findAllByText('Bắt buộc nhập.')).toHaveLength(2);
    fireEvent.click(within(dialog).getByRole('combobox', { name: /Lý do thu hồi/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'Vi phạm an toàn thực phẩm', hidden: true }));
    fireEvent.change(within(dialog).getByLabelText(/Số quyết định thu hồi/), {
      target: { value: '77/QĐ-UBND' },
    });
    fireEvent.change(within(dialog).getByLabelText(/Ngày quyết định thu hồi/), {
      target: { value: '2026-11-20' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Thu hồi' }));
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Xác nhận thu hồi' }));
    await waitFor(() => expect(fake.calls.some((c) => c.url.endsWith('/revocation'))).toBe(true));
    expect(fake.calls.find((c) => c.url.endsWith('/revocation'))?.body).toEqual({
      reasonCategory: 'food_safety',
      decisionNumber: '77/QĐ-UBND',
      decisionDate: '2026-11-20',
      note: '',
    });
  });

  it('shows the API’s field error on the revocation form', async () => {
    const fake = fakeFetch({
      [`GET ${url}`]: { status: 200, body: certificateDetail },
      'GET /api/v1/certificates/meta': { status: 200, body: certificateMeta },
      [`POST ${url}/revocation`]: {
        status: 400,
        body: {
          error: {
            code: 'VALIDATION',
            message: 'Dữ liệu không hợp lệ.',
            fields: { decisionDate: 'Ngày thu hồi không được trước ngày quyết định công nhận.' },
          },
        },
      },
    });
    vi.stubGlobal('fetch', fake.fetch);
    await open();
    fireEvent.click(await screen.findByRole('button', { name: 'Thu hồi' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('combobox', { name: /Lý do thu hồi/ }));
    fireEvent.click(await screen.findByRole('option', { name: 'Vi phạm an toàn thực phẩm', hidden: true }));
    fireEvent.change(within(dialog).getByLabelText(/Số quyết định thu hồi/), {
      target: { value: '77/QĐ-UBND' },
    });
    fireEvent.change(within(dialog).getByLabelText(/Ngày quyết định thu hồi/), {
      target: { value: '2020-01-01' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Thu hồi' }));
    fireEvent.click(await within(dialog).findByRole('button', { name: 'Xác nhận thu hồi' }));
    await within(dialog).findByText('Ngày thu hồi không được trước ngày quyết định công nhận.');
  });

  it('corrects by sending only what changed, then opens the new version', async () => {
    const fake = server();
    await open();
    fireEvent.click(await screen.findByRole('button', { name: 'Đính chính' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Hiệu lực đến ngày'), { target: { value: '2029-06-30' } });
    fireEvent.change(within(dialog).getByLabelText(/Lý do đính chính/), {
      target: { value: 'Sai ngày hết hạn' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lưu phiên bản đính chính' }));
    await waitFor(() =>
      expect(screen.getByTestId('location').textContent).toBe('/certificates/next-version'),
    );
    expect(fake.calls.find((c) => c.url.endsWith('/corrections'))?.body).toEqual({
      version: 1,
      reason: 'Sai ngày hết hạn',
      changes: { validTo: '2029-06-30' },
    });
  });

  it('completes a year-only record by sending the decision date alone', async () => {
    const fake = server({
      ...certificateDetail,
      status: 'date_unknown',
      decisionDate: null,
      validFrom: null,
      validTo: null,
      recognitionYear: 2021,
    });
    await open();
    fireEvent.click(await screen.findByRole('button', { name: 'Đính chính' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.change(within(dialog).getByLabelText('Ngày quyết định'), { target: { value: '2021-03-15' } });
    fireEvent.change(within(dialog).getByLabelText(/Lý do đính chính/), {
      target: { value: 'Bổ sung ngày quyết định' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Lưu phiên bản đính chính' }));
    await waitFor(() =>
      expect(screen.getByTestId('location').textContent).toBe('/certificates/next-version'),
    );
    expect(fake.calls.find((c) => c.url.endsWith('/corrections'))?.body).toEqual({
      version: 1,
      reason: 'Bổ sung ngày quyết định',
      changes: { decisionDate: '2021-03-15' },
    });
  });

  it('is read-only for a producer, and shows a revocation', async () => {
    server({
      ...certificateDetail,
      status: 'revoked',
      revocation: {
        reasonCategory: 'food_safety',
        reasonLabel: { vi: 'Vi phạm an toàn thực phẩm', en: 'Food safety violation' },
        decisionNumber: '77/QĐ-UBND',
        decisionDate: '2026-11-20',
        note: '',
      },
    });
    await open({ ...testUser, role: 'producer', provinceCode: null });
    await screen.findByText('Giấy chứng nhận đã bị thu hồi');
    expect(screen.getByText(/Vi phạm an toàn thực phẩm/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Thu hồi' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Đính chính' })).toBeNull();
  });

  it('offers no acts to an officer of another province, and shows errors with a retry', async () => {
    server();
    const first = await open({ ...testUser, provinceCode: '33' });
    await screen.findByRole('heading', { name: `Giấy chứng nhận ${certificate.number}` });
    expect(screen.queryByRole('button', { name: 'Thu hồi' })).toBeNull();
    first.unmount();
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        [`GET ${url}`]: {
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: 'Không tìm thấy giấy chứng nhận.' } },
        },
      }).fetch,
    );
    await open();
    await screen.findByText('Không tìm thấy giấy chứng nhận.');
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });
});
