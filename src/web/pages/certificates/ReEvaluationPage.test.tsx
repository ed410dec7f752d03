// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderPage, testUser } from '../../test-utils';
import { queue } from './fixtures';
import { ReEvaluationPage } from './ReEvaluationPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const QUEUE = 'GET /api/v1/certificates/re-evaluation-queue';

describe('ReEvaluationPage', () => {
  it('lists expiring certificates with days left and their re-evaluation dossier, and narrows to those without', async () => {
    const fake = fakeFetch({ [QUEUE]: { status: 200, body: queue } });
    vi.stubGlobal('fetch', fake.fetch);
    await renderPage(<ReEvaluationPage />, { path: '/certificates/re-evaluation', user: testUser });
    await screen.findByRole('link', { name: queue.items[0]!.number });
    expect(screen.getByText('còn 25 ngày')).toBeTruthy();
    expect(screen.getByText('Chưa có hồ sơ')).toBeTruthy();
    const dossier = screen.getByRole('link', { name: /Đã có hồ sơ/ });
    expect(dossier.getAttribute('href')).toBe(
      `/evaluation/dossiers/${queue.items[1]!.reEvaluationDossier!.id}`,
    );
    fireEvent.click(screen.getByRole('checkbox', { name: /chưa có hồ sơ đánh giá lại/ }));
    await waitFor(() => expect(fake.queries(QUEUE).at(-1)).toMatchObject({ withoutDossier: 'true' }));
  });

  it('says so when nothing is expiring, and shows an error with a retry', async () => {
    vi.stubGlobal(
      'fetch',
      fakeFetch({ [QUEUE]: { status: 200, body: { ...queue, items: [], total: 0 } } }).fetch,
    );
    const first = await renderPage(<ReEvaluationPage />, {
      path: '/certificates/re-evaluation',
      user: testUser,
    });
    await screen.findByText('Không có giấy chứng nhận nào sắp hết hạn.');
    first.unmount();
    vi.stubGlobal(
      'fetch',
      fakeFetch({
        [QUEUE]: { status: 403, body: { error: { code: 'FORBIDDEN', message: 'Không có quyền.' } } },
      }).fetch,
    );
    await renderPage(<ReEvaluationPage />, { path: '/certificates/re-evaluation', user: testUser });
    await screen.findByText('Không có quyền.');
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });
});
