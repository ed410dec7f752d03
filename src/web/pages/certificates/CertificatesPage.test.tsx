// @vitest-environment jsdom
import { cleanup, fireEvent, screen, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Decision } from '../../data/certificates';
import { fakeFetch, renderPage, testUser } from '../../test-utils';
import { CertificatesPage } from './CertificatesPage';
import { certificate, certificateMeta } from './fixtures';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const revoked = {
  ...certificate,
  id: 'b3c0e7a4-3a43-4c0a-9b63-2d5a7a1f0e01',
  number: '37-14329-0009-2025',
  status: 'revoked' as const,
};

const decision: Decision = {
  id: 'd1c0e7a4-3a43-4c0a-9b63-2d5a7a1f0e02',
  cycleId: 'c1c0e7a4-3a43-4c0a-9b63-2d5a7a1f0e03',
  issuerCode: '37',
  number: '88/QĐ-UBND',
  decisionDate: '2026-11-02',
  signerName: 'Nguyễn Văn Ký',
  signerTitle: 'Phó Chủ tịch',
  createdAt: '2026-11-02T03:00:00.000Z',
  items: [
    {
      dossierId: 'e1c0e7a4-3a43-4c0a-9b63-2d5a7a1f0e04',
      productId: 'f1c0e7a4-3a43-4c0a-9b63-2d5a7a1f0e05',
      productName: 'Mắm tép Gia Viễn',
      resultId: 'a2c0e7a4-3a43-4c0a-9b63-2d5a7a1f0e06',
      star: 3,
    },
  ],
};

function server(items = [certificate, revoked]) {
  const fake = fakeFetch({
    'GET /api/v1/certificates': (call) =>
      call.url.includes('productId=')
        ? { status: 200, body: { items: [], total: 0, page: 1, pageSize: 20 } }
        : { status: 200, body: { items, total: items.length, page: 1, pageSize: 20 } },
    'GET /api/v1/certificates/meta': { status: 200, body: certificateMeta },
    [`GET /api/v1/evaluation/decisions/${decision.id}`]: { status: 200, body: decision },
    [`GET /api/v1/evaluation/cycles/${decision.cycleId}`]: {
      status: 200,
      body: {
        id: decision.cycleId,
        ruleSet: { id: 'x', code: '26-2026', revision: 1, name: { vi: '', en: '' } },
      },
    },
    'GET /api/v1/admin-units/provinces/37': { status: 200, body: { code: '37', name: 'Tỉnh Ninh Bình' } },
    [`POST /api/v1/certificates/from-decision/${decision.id}`]: {
      status: 200,
      body: {
        decisionId: decision.id,
        items: [
          {
            dossierId: decision.items[0]!.dossierId,
            created: true,
            certificate: { ...certificate, id: 'new' },
          },
        ],
      },
    },
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

describe('CertificatesPage', () => {
  it('lists certificates with their status in words, and filters through the URL', async () => {
    const fake = server();
    await renderPage(<CertificatesPage />, { path: '/certificates?status=revoked&star=4', user: testUser });
    const link = await screen.findByRole('link', { name: certificate.number });
    expect(link.getAttribute('href')).toBe(`/certificates/${certificate.id}`);
    const table = screen.getByRole('table', { name: 'Giấy chứng nhận OCOP' });
    expect(within(table).getByText('Còn hiệu lực')).toBeTruthy();
    expect(within(table).getByText('Đã bị thu hồi')).toBeTruthy();
    expect(within(table).getAllByText('4 sao').length).toBe(2);
    expect(fake.queries('GET /api/v1/certificates').at(-1)).toMatchObject({ status: 'revoked', star: '4' });
  });

  it('says so when there is none, and offers a retry after an error', async () => {
    server([]);
    const first = await renderPage(<CertificatesPage />, { path: '/certificates', user: testUser });
    await screen.findByText('Chưa có giấy chứng nhận nào.');
    first.unmount();
    let fail = true;
    const fake = fakeFetch({
      'GET /api/v1/certificates': () =>
        fail
          ? { status: 500, body: { error: { code: 'INTERNAL', message: 'Lỗi hệ thống.' } } }
          : { status: 200, body: { items: [certificate], total: 1, page: 1, pageSize: 20 } },
    });
    vi.stubGlobal('fetch', fake.fetch);
    await renderPage(<CertificatesPage />, { path: '/certificates', user: testUser });
    await screen.findByText('Lỗi hệ thống.');
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await screen.findByRole('link', { name: certificate.number });
  });

  it('issues the certificates of a recognition decision in one step', async () => {
    const fake = server();
    await renderPage(<CertificatesPage />, { path: `/certificates?decision=${decision.id}`, user: testUser });
    await screen.findByRole('heading', { name: 'Quyết định công nhận số 88/QĐ-UBND' });
    await screen.findByText('Chưa cấp');
    fireEvent.click(screen.getByRole('button', { name: 'Cấp giấy chứng nhận theo quyết định' }));
    await screen.findByText('Đã cấp 1 giấy chứng nhận mới; 0 giấy đã cấp trước đó.');
    const post = fake.calls.find((c) => c.method === 'POST');
    expect(post?.url).toBe(`/api/v1/certificates/from-decision/${decision.id}`);
  });

  it('offers no issuing to a producer', async () => {
    server();
    await renderPage(<CertificatesPage />, {
      path: `/certificates?decision=${decision.id}`,
      user: { ...testUser, role: 'producer', provinceCode: null },
    });
    await screen.findByRole('heading', { name: 'Quyết định công nhận số 88/QĐ-UBND' });
    await screen.findByText('Chưa cấp');
    expect(screen.queryByRole('button', { name: 'Cấp giấy chứng nhận theo quyết định' })).toBeNull();
  });
});
