// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { bestAnswers } from '../../components/sheet/testSheet';
import type { MySheet } from '../../data/scoring';
import { type Call, fakeFetch, renderPage, testUser } from '../../test-utils';
import { dossier, dossierId, mySheet, scoringDocuments } from './fixtures';
import { ScorePage } from './ScorePage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const member = { ...testUser, role: 'council_member' as const, provinceCode: null, fullName: 'Trần Thị Một' };
const base = `/api/v1/evaluation/dossiers/${dossierId}`;
const savedView = (call: Call): MySheet =>
  mySheet({
    id: 'f0000000-0000-4000-8000-000000000001',
    answers: (call.body as { answers: Record<string, string> }).answers,
  });

function server(
  sheet: MySheet | { reply: { status: number; body: unknown } },
  extra: Record<
    string,
    { status: number; body?: unknown } | ((call: Call) => { status: number; body?: unknown })
  > = {},
) {
  const fake = fakeFetch({
    [`GET ${base}/my-sheet`]: 'reply' in sheet ? sheet.reply : { status: 200, body: sheet },
    [`GET ${base}`]: { status: 200, body: dossier },
    [`GET /api/v1/evaluation/dossiers/${dossierId}/scoring-documents`]: {
      status: 200,
      body: scoringDocuments,
    },
    [`PUT ${base}/my-sheet`]: (call) => ({ status: 200, body: savedView(call) }),
    ...extra,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = () =>
  renderPage(<ScorePage />, {
    path: `/evaluation/dossiers/${dossierId}/score`,
    route: '/evaluation/dossiers/:id/score',
    user: member,
  });

const row = (name: RegExp) => screen.getByRole('group', { name });

describe('ScorePage', () => {
  it('shows the sheet and the evidence, and autosaves the answers after a choice', async () => {
    const fake = server(mySheet());
    await open();
    await screen.findByRole('heading', { level: 1, name: 'Phiếu chấm: Rau cải Yên Mô' });
    const link = screen.getByRole('link', { name: 'vietgap.jpg' });
    expect(link.getAttribute('href')).toBe(`${base}/documents/d0000000-0000-4000-8000-000000000002`);
    expect(screen.getByText('Chứng nhận VietGAP')).toBeTruthy();
    fireEvent.click(within(row(/A1\.1\. Nguồn nguyên liệu/)).getByRole('radio', { name: /Từ 75%/ }));
    expect(screen.getByText('Có thay đổi chưa lưu')).toBeTruthy();
    await screen.findByText(/Đã lưu lúc \d\d:\d\d:\d\d/);
    const puts = fake.calls.filter((c) => c.method === 'PUT');
    expect(puts).toHaveLength(1);
    expect(puts[0]!.body).toEqual({ answers: { 'A1.1': 'A1.1.d' }, comments: {} });
    // The star comes from the rule-set once the cycle is known; running while incomplete.
    await waitFor(() => expect(screen.getByTestId('sheet-star').textContent).toContain('Tạm tính'));
  });

  it('keeps the answers when a save fails and saves them again on retry', async () => {
    let fail = true;
    const fake = server(mySheet(), {
      [`PUT ${base}/my-sheet`]: (call) =>
        fail
          ? { status: 503, body: { error: { code: 'UNAVAILABLE', message: 'Máy chủ đang bận.' } } }
          : { status: 200, body: savedView(call) },
    });
    await open();
    await screen.findByRole('heading', { level: 1 });
    fireEvent.click(within(row(/A1\.2\. Gia tăng giá trị/)).getByRole('radio', { name: /^Sơ chế/ }));
    await screen.findByText('Chưa lưu được: Máy chủ đang bận.');
    expect((within(row(/A1\.2\./)).getByRole('radio', { name: /^Sơ chế/ }) as HTMLInputElement).checked).toBe(
      true,
    );
    fail = false;
    fireEvent.click(screen.getByRole('button', { name: 'Lưu lại' }));
    await screen.findByText(/Đã lưu lúc/);
    const puts = fake.calls.filter((c) => c.method === 'PUT');
    expect(puts).toHaveLength(2);
    expect(puts[1]!.body).toEqual({ answers: { 'A1.2': 'A1.2.b' }, comments: {} });
  });

  it('refuses to submit an incomplete sheet and lists what is missing', async () => {
    const fake = server(
      mySheet({ id: 'f0000000-0000-4000-8000-000000000001', answers: { 'A1.1': 'A1.1.d' } }),
    );
    await open();
    fireEvent.click(await screen.findByRole('button', { name: 'Nộp phiếu chấm' }));
    const dialog = await screen.findByRole('dialog', { name: 'Phiếu chưa chấm đủ' });
    expect(within(dialog).getByText(/Còn 18 tiêu chí chưa chấm/)).toBeTruthy();
    expect(within(dialog).getByRole('button', { name: 'A1.2. Gia tăng giá trị' })).toBeTruthy();
    expect(fake.calls.some((c) => c.url.endsWith('/submit'))).toBe(false);
  });

  it('submits a complete sheet after confirmation, then shows it locked', async () => {
    const answers = bestAnswers();
    const saved = mySheet({ id: 'f0000000-0000-4000-8000-000000000001', answers, total: 100, answered: 19 });
    const fake = server(saved, {
      [`POST ${base}/my-sheet/submit`]: {
        status: 200,
        body: { ...saved, status: 'submitted', submittedAt: '2026-12-05T03:00:00.000Z' },
      },
    });
    await open();
    await waitFor(() => expect(screen.getByTestId('sheet-star').textContent).toContain('5 sao'));
    fireEvent.click(screen.getByRole('button', { name: 'Nộp phiếu chấm' }));
    const dialog = await screen.findByRole('dialog', { name: 'Nộp phiếu chấm' });
    expect(within(dialog).getByText(/tổng 100 điểm/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Xác nhận' }));
    await screen.findByText('Đã nộp phiếu chấm.');
    expect(fake.calls.filter((c) => c.url.endsWith('/my-sheet/submit'))).toHaveLength(1);
    // Nothing changed since the last save, so nothing is saved again.
    expect(fake.calls.filter((c) => c.method === 'PUT')).toHaveLength(0);
    expect(screen.getByText(/Phiếu đã khoá/)).toBeTruthy();
    expect((screen.getAllByRole('radio') as HTMLInputElement[]).every((r) => r.disabled)).toBe(true);
    expect(screen.queryByRole('button', { name: 'Nộp phiếu chấm' })).toBeNull();
  });

  it("explains the API's refusal to a conflicted member", async () => {
    server({
      reply: {
        status: 403,
        body: {
          error: {
            code: 'FORBIDDEN',
            message: 'Bạn đã khai báo xung đột lợi ích với hồ sơ này nên không được chấm.',
          },
        },
      },
    });
    await open();
    await screen.findByText('Bạn không chấm được hồ sơ này');
    expect(
      screen.getByText('Bạn đã khai báo xung đột lợi ích với hồ sơ này nên không được chấm.'),
    ).toBeTruthy();
    expect(screen.queryByRole('radio')).toBeNull();
    expect(screen.getByRole('link', { name: 'Về hồ sơ' }).getAttribute('href')).toBe(
      `/evaluation/dossiers/${dossierId}`,
    );
  });

  it('declares a conflict of interest with a required reason', async () => {
    let declared = false;
    const fake = server(mySheet(), {
      [`GET ${base}/my-sheet`]: () =>
        declared
          ? {
              status: 403,
              body: {
                error: {
                  code: 'FORBIDDEN',
                  message: 'Bạn đã khai báo xung đột lợi ích với hồ sơ này nên không được chấm.',
                },
              },
            }
          : { status: 200, body: mySheet() },
      [`POST ${base}/conflicts`]: () => {
        declared = true;
        return {
          status: 201,
          body: { id: 'x', dossierId, memberId: 'm', reason: 'r', declaredAt: '2026-12-05T03:00:00.000Z' },
        };
      },
    });
    await open();
    fireEvent.click(await screen.findByRole('button', { name: 'Khai báo xung đột lợi ích' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Gửi khai báo' }));
    expect(await within(dialog).findByText('Hãy nhập lý do.')).toBeTruthy();
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Lý do xung đột lợi ích/ }), {
      target: { value: 'Người thân làm việc tại hợp tác xã' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Gửi khai báo' }));
    await screen.findByText('Bạn không chấm được hồ sơ này');
    expect(fake.calls.find((c) => c.url.endsWith('/conflicts'))?.body).toEqual({
      reason: 'Người thân làm việc tại hợp tác xã',
    });
  });

  it('shows a failure to load with a retry', async () => {
    server({ reply: { status: 500, body: { error: { code: 'INTERNAL', message: 'Lỗi máy chủ.' } } } });
    await open();
    await screen.findByText('Lỗi máy chủ.');
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });
});
