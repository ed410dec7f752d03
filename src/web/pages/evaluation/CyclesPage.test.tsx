// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { page, unitsApi } from '../../test-fixtures';
import { type Call, fakeFetch, renderPage, testUser } from '../../test-utils';
import { CyclesPage } from './CyclesPage';
import { cycle, dossierRow, producer, ruleSetOption } from './fixtures';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

type Reply = { status: number; body?: unknown };

function server(list: Reply, create: (call: Call) => Reply = () => ({ status: 201, body: cycle })) {
  const fake = fakeFetch({
    'GET /api/v1/evaluation/cycles': list,
    'POST /api/v1/evaluation/cycles': create,
    'GET /api/v1/criteria/rule-sets': { status: 200, body: { items: [ruleSetOption] } },
    'GET /api/v1/evaluation/my-dossiers': {
      status: 200,
      body: page([
        {
          ...dossierRow,
          cycle: {
            id: cycle.id,
            name: cycle.name,
            level: cycle.level,
            year: cycle.year,
            round: cycle.round,
            submissionDeadline: cycle.submissionDeadline,
          },
        },
      ]),
    },
    ...unitsApi,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const ok = (items = [cycle]) => ({ status: 200, body: { items } });

describe('CyclesPage', () => {
  it('lists the cycles with their progress, filtered by the URL', async () => {
    const fake = server(ok());
    await renderPage(<CyclesPage />, { path: '/evaluation?year=2026&level=province', user: testUser });
    const link = await screen.findByRole('link', { name: cycle.name });
    expect(link.getAttribute('href')).toBe(`/evaluation/cycles/${cycle.id}`);
    expect(screen.getByText('3 hồ sơ')).toBeTruthy();
    expect(screen.getByText('1/3 hồ sơ đã có kết quả cuối cùng')).toBeTruthy();
    expect(screen.getByText('30/06/2099')).toBeTruthy();
    expect(fake.queries('GET /api/v1/evaluation/cycles')[0]).toEqual({ year: '2026', level: 'province' });
  });

  it('carries the expiry notice’s product and type into the cycle links', async () => {
    server(ok());
    await renderPage(<CyclesPage />, {
      path: '/evaluation?product=abc&type=re_evaluation',
      user: producer,
    });
    const table = await screen.findByRole('table', { name: 'Kỳ đánh giá, phân hạng' });
    const link = within(table).getByRole('link', { name: cycle.name });
    expect(link.getAttribute('href')).toBe(`/evaluation/cycles/${cycle.id}?product=abc&type=re_evaluation`);
    expect(screen.getByRole('note').textContent).toContain('Chọn một kỳ đánh giá');
    expect(screen.queryByRole('button', { name: 'Mở kỳ đánh giá' })).toBeNull();
  });

  it('shows a producer their own dossiers across cycles; officers do not ask for them', async () => {
    const fake = server(ok());
    const first = await renderPage(<CyclesPage />, { path: '/evaluation', user: producer });
    const mine = await screen.findByRole('region', { name: 'Hồ sơ của tôi' });
    const link = await within(mine).findByRole('link', { name: dossierRow.product.name });
    expect(link.getAttribute('href')).toBe(`/evaluation/dossiers/${dossierRow.id}`);
    expect(within(mine).getByRole('link', { name: cycle.name }).getAttribute('href')).toBe(
      `/evaluation/cycles/${cycle.id}`,
    );
    expect(within(mine).getByText('Nháp')).toBeTruthy();
    first.unmount();
    const asked = fake.queries('GET /api/v1/evaluation/my-dossiers').length;
    await renderPage(<CyclesPage />, { path: '/evaluation', user: testUser });
    await screen.findByRole('link', { name: cycle.name });
    expect(screen.queryByRole('region', { name: 'Hồ sơ của tôi' })).toBeNull();
    expect(fake.queries('GET /api/v1/evaluation/my-dossiers').length).toBe(asked);
  });

  it('explains what a cycle is when there is none', async () => {
    server(ok([]));
    await renderPage(<CyclesPage />, { path: '/evaluation', user: testUser });
    await screen.findByText('Chưa có kỳ đánh giá nào');
    expect(screen.getByText(/Kỳ đánh giá là một đợt đánh giá/)).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Mở kỳ đánh giá' }).length).toBeGreaterThan(0);
  });

  it('shows a failed load with a retry', async () => {
    const fake = server({ status: 500, body: { error: { code: 'INTERNAL', message: 'Lỗi máy chủ.' } } });
    await renderPage(<CyclesPage />, { path: '/evaluation', user: testUser });
    await screen.findByText('Lỗi máy chủ.');
    fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(fake.queries('GET /api/v1/evaluation/cycles').length).toBe(2));
  });

  it('opens a cycle with the chosen rule-set and shows the API’s refusal by its field', async () => {
    let answer: Reply = {
      status: 400,
      body: {
        error: {
          code: 'VALIDATION',
          message: 'Dữ liệu không hợp lệ.',
          fields: { meetingDate: 'Ngày họp hội đồng phải sau hạn nộp hồ sơ.' },
        },
      },
    };
    const fake = server(ok([]), () => answer);
    await renderPage(<CyclesPage />, { path: '/evaluation', user: testUser });
    fireEvent.click((await screen.findAllByRole('button', { name: 'Mở kỳ đánh giá' }))[0]!);
    await screen.findByRole('heading', { name: 'Mở kỳ đánh giá mới' });

    // Required fields are checked before anything is sent.
    const form = screen.getByRole('heading', { name: 'Mở kỳ đánh giá mới' }).closest('form')!;
    fireEvent.submit(form);
    expect(screen.getAllByText('Không được để trống.').length).toBe(2);

    fireEvent.click(screen.getByRole('combobox', { name: /Bộ tiêu chí/ }));
    fireEvent.click(
      await screen.findByRole('option', { name: /Bộ tiêu chí theo Quyết định 26\/2026/, hidden: true }),
    );
    fireEvent.change(screen.getByLabelText(/Hạn nộp hồ sơ/), { target: { value: '2026-12-20' } });
    fireEvent.change(screen.getByLabelText(/Ngày họp hội đồng/), { target: { value: '2026-12-01' } });
    fireEvent.change(screen.getByLabelText(/Đợt/), { target: { value: '2' } });
    fireEvent.submit(form);
    await screen.findByText('Ngày họp hội đồng phải sau hạn nộp hồ sơ.');
    expect(screen.getByLabelText(/Ngày họp hội đồng/).getAttribute('aria-invalid')).toBe('true');
    const body = fake.calls.find((c) => c.method === 'POST')?.body as Record<string, unknown>;
    expect(body).toMatchObject({
      level: 'province',
      round: 2,
      ruleSetCode: '26-2026',
      submissionDeadline: '2026-12-20',
      meetingDate: '2026-12-01',
    });
    // A province officer's own province is the API's default: not sent.
    expect(body).not.toHaveProperty('provinceCode');

    answer = { status: 201, body: cycle };
    fireEvent.change(screen.getByLabelText(/Ngày họp hội đồng/), { target: { value: '2027-01-10' } });
    fireEvent.submit(form);
    await waitFor(() =>
      expect(screen.getByTestId('location').textContent).toBe(`/evaluation/cycles/${cycle.id}`),
    );
    expect(screen.getByTestId('location').dataset.notice).toBe('Đã mở kỳ đánh giá.');
  });
});
