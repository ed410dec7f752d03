// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../auth';
import { type Call, fakeFetch, renderPage, testUser } from '../../test-utils';
import {
  chairUser,
  cycle,
  cycleId,
  decision,
  decisionId,
  dossierId,
  results,
  tourismDossierId,
} from './fixtures';
import { ResultsPage } from './ResultsPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

type Reply = { status: number; body?: unknown };
const API = '/api/v1/evaluation';

function server(overrides: Record<string, Reply | ((call: Call) => Reply)> = {}) {
  const fake = fakeFetch({
    [`GET ${API}/cycles/${cycleId}`]: { status: 200, body: cycle },
    [`GET ${API}/cycles/${cycleId}/results`]: { status: 200, body: { items: results } },
    [`GET ${API}/cycles/${cycleId}/forwarded`]: { status: 200, body: { items: [results[1]] } },
    [`GET ${API}/cycles/${cycleId}/decisions`]: { status: 200, body: { items: [decision] } },
    ...overrides,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (user: User) =>
  renderPage(<ResultsPage />, {
    path: `/evaluation/cycles/${cycleId}/results`,
    route: '/evaluation/cycles/:id/results',
    user,
  });

const sent = (fake: ReturnType<typeof fakeFetch>, method: string, path: string) =>
  fake.calls.filter((c) => c.method === method && c.url.split('?')[0] === `${API}${path}`);

describe('ResultsPage', () => {
  it('shows the results table, minutes, the forwarded list and the decisions', async () => {
    server();
    await open(testUser);
    expect(await screen.findByRole('heading', { name: 'Kết quả đánh giá', level: 1 })).toBeTruthy();
    const table = await screen.findByRole('table', { name: 'Bảng kết quả của kỳ' });
    const rows = within(table).getAllByRole('row');
    expect(rows).toHaveLength(4);
    const first = rows[1]!;
    expect(within(first).getByRole('link', { name: 'Cơm cháy Hoa Lư' }).getAttribute('href')).toBe(
      `/evaluation/dossiers/${dossierId}`,
    );
    expect(within(first).getByText('72,5')).toBeTruthy();
    expect(within(first).getByText('4 sao')).toBeTruthy();
    expect(within(first).getByText('Đã đề nghị công nhận')).toBeTruthy();
    expect(within(first).getByText('Hợp lệ')).toBeTruthy();
    expect(within(first).getByText('1 phiếu lệch nhiều')).toBeTruthy();
    expect(within(first).getByText('Chưa công bố')).toBeTruthy();
    expect(within(first).getByRole('link', { name: 'Xem chủ thể' }).getAttribute('href')).toBe(
      '/subjects/s-1',
    );
    expect(
      within(first)
        .getByRole('link', { name: 'Biên bản hồ sơ Cơm cháy Hoa Lư (Excel)' })
        .getAttribute('href'),
    ).toBe(`${API}/dossiers/${dossierId}/minutes.xlsx`);
    expect(
      within(first).getByRole('link', { name: 'Biên bản hồ sơ Cơm cháy Hoa Lư (PDF)' }).getAttribute('href'),
    ).toBe(`${API}/dossiers/${dossierId}/minutes.pdf`);
    expect(within(rows[2]!).getByText('Chuyển lên cấp trung ương')).toBeTruthy();
    expect(within(rows[3]!).getByText('Không hợp lệ')).toBeTruthy();
    expect(within(rows[3]!).getByText('Không xếp hạng')).toBeTruthy();
    expect(within(rows[3]!).getByText('Đã công bố')).toBeTruthy();

    expect(screen.getByRole('link', { name: 'Biên bản cả kỳ (Excel)' }).getAttribute('href')).toBe(
      `${API}/cycles/${cycleId}/minutes.xlsx`,
    );
    expect(screen.getByRole('link', { name: 'Biên bản cả kỳ (PDF)' }).getAttribute('href')).toBe(
      `${API}/cycles/${cycleId}/minutes.pdf`,
    );

    const forwarded = await screen.findByRole('table', { name: 'Danh sách đề nghị cấp trên' });
    expect(within(forwarded).getByText('Du lịch làng nghề Kim Sơn')).toBeTruthy();
    expect(within(forwarded).getByText('cấp trung ương')).toBeTruthy();

    const decisions = await screen.findByRole('table', { name: 'Quyết định công nhận' });
    expect(within(decisions).getByRole('link', { name: '123/QĐ-UBND' }).getAttribute('href')).toBe(
      `/evaluation/decisions/${decisionId}`,
    );
    expect(within(decisions).getByText('15/12/2026')).toBeTruthy();
  });

  it('says when nothing is scored yet', async () => {
    server({
      [`GET ${API}/cycles/${cycleId}/results`]: { status: 200, body: { items: [] } },
      [`GET ${API}/cycles/${cycleId}/forwarded`]: { status: 200, body: { items: [] } },
      [`GET ${API}/cycles/${cycleId}/decisions`]: { status: 200, body: { items: [] } },
    });
    await open(testUser);
    expect(await screen.findByText('Chưa có kết quả: hội đồng chưa kết thúc chấm hồ sơ nào.')).toBeTruthy();
    expect(await screen.findByText('Không có hồ sơ nào chuyển lên cấp trên.')).toBeTruthy();
    expect(await screen.findByText('Kỳ này chưa có quyết định công nhận.')).toBeTruthy();
    expect(await screen.findByText(/Chưa có hồ sơ nào đã được đề nghị công nhận/)).toBeTruthy();
  });

  it('shows a failed load with a retry', async () => {
    const fake = server({
      [`GET ${API}/cycles/${cycleId}/results`]: {
        status: 403,
        body: { error: { code: 'FORBIDDEN', message: 'Chỉ cán bộ cấp tỉnh tổ chức kỳ đánh giá.' } },
      },
    });
    await open(testUser);
    expect(await screen.findByText('Chỉ cán bộ cấp tỉnh tổ chức kỳ đánh giá.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(sent(fake, 'GET', `/cycles/${cycleId}/results`).length).toBe(2));
  });

  it('publishes the results after asking', async () => {
    const fake = server({
      [`POST ${API}/cycles/${cycleId}/publish`]: { status: 200, body: { published: 2 } },
    });
    await open(testUser);
    fireEvent.click(await screen.findByRole('button', { name: 'Công bố kết quả' }));
    expect(sent(fake, 'POST', `/cycles/${cycleId}/publish`)).toHaveLength(0);
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    expect(await screen.findByText('Đã công bố 2 kết quả mới.')).toBeTruthy();
    expect(sent(fake, 'POST', `/cycles/${cycleId}/publish`)).toHaveLength(1);
  });

  it("issues a recognition decision for the eligible dossiers and places the API's refusals", async () => {
    let first = true;
    const fake = server({
      [`POST ${API}/cycles/${cycleId}/decisions`]: () => {
        if (first) {
          first = false;
          return {
            status: 400,
            body: {
              error: {
                code: 'VALIDATION',
                message: 'Hạng sao khác với kết quả chấm của hội đồng.',
                fields: { 'items.0.star': 'Hạng sao khác với kết quả chấm của hội đồng.' },
              },
            },
          };
        }
        return { status: 201, body: decision };
      },
    });
    await open(testUser);
    await screen.findByRole('heading', { name: 'Ra quyết định công nhận' });
    const eligible = screen.getByRole('checkbox', { name: 'Đưa «Cơm cháy Hoa Lư» (4 sao) vào quyết định' });
    expect((eligible as HTMLInputElement).checked).toBe(true);
    // A 5★ result is certified centrally: not this level's to decide.
    const central = screen.getByRole('checkbox', {
      name: 'Đưa «Du lịch làng nghề Kim Sơn» (5 sao) vào quyết định',
    }) as HTMLInputElement;
    expect(central.disabled).toBe(true);
    expect(
      screen.getByText('Cấp này không công nhận hạng sao này (chuyển lên cấp trung ương).'),
    ).toBeTruthy();
    // A scored but not yet proposed dossier is not offered.
    expect(screen.queryByRole('checkbox', { name: /Rượu Kim Sơn/ })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Ra quyết định' }));
    expect((await screen.findAllByText('Không được để trống.')).length).toBe(4);
    expect(sent(fake, 'POST', `/cycles/${cycleId}/decisions`)).toHaveLength(0);

    fireEvent.change(screen.getByLabelText('Số quyết định', { exact: false }), {
      target: { value: '123/QĐ-UBND' },
    });
    fireEvent.change(screen.getByLabelText('Ngày quyết định', { exact: false }), {
      target: { value: '2026-12-15' },
    });
    fireEvent.change(screen.getByLabelText('Họ tên người ký', { exact: false }), {
      target: { value: 'Trần Văn Minh' },
    });
    fireEvent.change(screen.getByLabelText('Chức vụ người ký', { exact: false }), {
      target: { value: 'Phó Chủ tịch UBND tỉnh' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Ra quyết định' }));
    expect((await screen.findAllByText('Hạng sao khác với kết quả chấm của hội đồng.')).length).toBe(2);
    fireEvent.click(screen.getByRole('button', { name: 'Ra quyết định' }));
    await waitFor(() =>
      expect(screen.getByTestId('location').textContent).toBe(`/evaluation/decisions/${decisionId}`),
    );
    expect(screen.getByTestId('location').dataset.notice).toBe('Đã ra quyết định công nhận.');
    const bodies = sent(fake, 'POST', `/cycles/${cycleId}/decisions`).map((c) => c.body);
    expect(bodies[1]).toEqual({
      number: '123/QĐ-UBND',
      decisionDate: '2026-12-15',
      signerName: 'Trần Văn Minh',
      signerTitle: 'Phó Chủ tịch UBND tỉnh',
      items: [{ dossierId, star: 4 }],
    });
    expect(bodies.flatMap((b) => (b as { items: { dossierId: string }[] }).items)).not.toContainEqual(
      expect.objectContaining({ dossierId: tourismDossierId }),
    );
  });

  it('asks for at least one dossier', async () => {
    const fake = server();
    await open(testUser);
    const eligible = await screen.findByRole('checkbox', { name: /Cơm cháy Hoa Lư/ });
    fireEvent.click(eligible);
    fireEvent.click(screen.getByRole('button', { name: 'Ra quyết định' }));
    expect(await screen.findByText('Chọn ít nhất một hồ sơ.')).toBeTruthy();
    expect(sent(fake, 'POST', `/cycles/${cycleId}/decisions`)).toHaveLength(0);
  });

  it('shows a council member the results without publishing, deciding or the registry', async () => {
    server();
    await open(chairUser);
    const table = await screen.findByRole('table', { name: 'Bảng kết quả của kỳ' });
    expect(within(table).getAllByRole('row')).toHaveLength(4);
    expect(within(table).queryByRole('link', { name: 'Xem chủ thể' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Công bố kết quả' })).toBeNull();
    expect(screen.queryByRole('heading', { name: 'Ra quyết định công nhận' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Biên bản cả kỳ (Excel)' })).toBeTruthy();
  });
});
