// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DossierSheets, ScoringDossier } from '../../data/scoring';
import { type Call, fakeFetch, renderPage, testUser } from '../../test-utils';
import {
  dossier,
  dossierId,
  memberIds,
  result,
  scoringDocuments,
  sheetsClosed,
  sheetsOpen,
  userIds,
} from './fixtures';
import { SheetsPage } from './SheetsPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const base = `/api/v1/evaluation/dossiers/${dossierId}`;
const asUser = (id: string) => ({ ...testUser, id, role: 'council_member' as const, provinceCode: null });
const chair = asUser(userIds.chair);
const m1 = asUser(userIds.m1);

type Reply = { status: number; body?: unknown } | ((call: Call) => { status: number; body?: unknown });

function server(
  sheets: DossierSheets | Reply,
  record: ScoringDossier = dossier,
  extra: Record<string, Reply> = {},
) {
  const fake = fakeFetch({
    [`GET ${base}/sheets`]: 'members' in sheets ? { status: 200, body: sheets } : sheets,
    [`GET ${base}`]: { status: 200, body: record },
    [`GET ${base}/result`]: { status: 200, body: result },
    [`GET /api/v1/evaluation/dossiers/${dossierId}/scoring-documents`]: {
      status: 200,
      body: scoringDocuments,
    },
    ...extra,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (user = m1) =>
  renderPage(<SheetsPage />, {
    path: `/evaluation/dossiers/${dossierId}/sheets`,
    route: '/evaluation/dossiers/:id/sheets',
    user,
  });

const table = () => screen.getByRole('table', { name: 'Thành viên chấm điểm' });
const rowOf = (name: string) => within(table()).getByText(name, { exact: false }).closest('tr')!;

describe('SheetsPage', () => {
  it("shows each member's sheet status before closing, explains why no points show, and hides the chair's acts", async () => {
    const fake = server(sheetsOpen());
    await open();
    await screen.findByRole('heading', { level: 1, name: 'Phiếu chấm của hội đồng: Rau cải Yên Mô' });
    expect(within(rowOf('Nguyễn Văn Chủ')).getByText('Đã nộp')).toBeTruthy();
    expect(within(rowOf('Trần Thị Một')).getByText('Đang chấm (nháp)')).toBeTruthy();
    expect(within(rowOf('Trần Thị Một')).getByText(/\(bạn\)/)).toBeTruthy();
    expect(within(rowOf('Phạm Thị Ba')).getByText('Chưa chấm')).toBeTruthy();
    expect(within(rowOf('Phạm Thị Ba')).getByText('Xung đột lợi ích, không tính')).toBeTruthy();
    expect(screen.getByText(/mỗi thành viên chỉ xem được phiếu của mình/)).toBeTruthy();
    expect(screen.queryByRole('columnheader', { name: 'Tổng điểm' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Kết thúc chấm điểm' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Mở lại phiếu' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Mở phiếu chấm của tôi' }).getAttribute('href')).toBe(
      `/evaluation/dossiers/${dossierId}/score`,
    );
    expect(fake.calls.some((c) => c.url.endsWith('/result'))).toBe(false);
  });

  it("lets the chair close scoring with the council's disqualifiers, showing the API's refusal first", async () => {
    let attempts = 0;
    const fake = server(sheetsOpen(), dossier, {
      [`POST ${base}/close-scoring`]: () => {
        attempts += 1;
        return attempts === 1
          ? {
              status: 409,
              body: {
                error: {
                  code: 'CONFLICT',
                  message: 'Không tính được kết quả: Bộ tiêu chí chưa đặt số phiếu chấm tối thiểu.',
                },
              },
            }
          : { status: 200, body: result };
      },
    });
    await open(chair);
    fireEvent.click(await screen.findByRole('button', { name: 'Kết thúc chấm điểm' }));
    const dialog = await screen.findByRole('dialog', { name: 'Kết thúc chấm điểm hồ sơ' });
    fireEvent.click(
      await within(dialog).findByRole('checkbox', { name: /sản phẩm bị xử phạt về an toàn thực phẩm/ }),
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Kết thúc và tính kết quả' }));
    expect(await within(dialog).findByText(/Bộ tiêu chí chưa đặt số phiếu chấm tối thiểu/)).toBeTruthy();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Kết thúc và tính kết quả' }));
    await screen.findByText('Đã kết thúc chấm điểm và tính kết quả.');
    const posts = fake.calls.filter((c) => c.url.endsWith('/close-scoring'));
    expect(posts.map((c) => c.body)).toEqual([{ disqualifiers: ['DQ1'] }, { disqualifiers: ['DQ1'] }]);
  });

  it("lets the chair reopen one member's submitted sheet with a reason", async () => {
    const fake = server(sheetsOpen(), dossier, {
      [`POST ${base}/reopen-sheet`]: { status: 200, body: { ok: true } },
    });
    await open(chair);
    await screen.findByRole('heading', { level: 1 });
    // Only submitted sheets can be reopened: the chair's and the vice-chair's.
    expect(screen.getAllByRole('button', { name: 'Mở lại phiếu' })).toHaveLength(2);
    fireEvent.click(within(rowOf('Lê Văn Hai')).getByRole('button', { name: 'Mở lại phiếu' }));
    const dialog = await screen.findByRole('dialog', { name: 'Mở lại phiếu của Lê Văn Hai' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Xác nhận' }));
    expect(await within(dialog).findByText('Hãy nhập lý do.')).toBeTruthy();
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Lý do/ }), {
      target: { value: 'Điểm phần C chênh lệch lớn' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Xác nhận' }));
    await screen.findByText('Đã mở lại phiếu của Lê Văn Hai.');
    expect(fake.calls.find((c) => c.url.endsWith('/reopen-sheet'))?.body).toEqual({
      memberId: memberIds.m2,
      reason: 'Điểm phần C chênh lệch lớn',
    });
  });

  it('after closing shows totals, the result, outliers and the spread; the chair may reopen scoring', async () => {
    const fake = server(
      sheetsClosed(),
      { ...dossier, state: 'scored' },
      {
        [`POST ${base}/reopen-scoring`]: { status: 200, body: { ok: true } },
      },
    );
    await open(chair);
    await screen.findByRole('heading', { level: 2, name: 'Kết quả' });
    expect(within(rowOf('Nguyễn Văn Chủ')).getByText('95')).toBeTruthy();
    expect(within(rowOf('Nguyễn Văn Chủ')).getByText('A 40 · B 25 · C 30')).toBeTruthy();
    expect(within(table()).getAllByText(/Lệch nhiều so với trung bình, cần thảo luận/)).toHaveLength(2);
    expect(within(rowOf('Trần Thị Một')).queryByText(/Lệch nhiều/)).toBeNull();
    expect(screen.getByText('Đủ điều kiện đề nghị công nhận')).toBeTruthy();
    expect(screen.getByText('Số phiếu tính: 3 (tối thiểu 3)')).toBeTruthy();
    expect(await screen.findByText('cắt bỏ, giữ 2 chữ số thập phân')).toBeTruthy();
    expect(screen.getByText(/lệch quá 15 điểm/)).toBeTruthy();
    const spread = screen.getByRole('table', { name: 'Độ chênh theo tiêu chí' });
    const rows = within(spread).getAllByRole('row');
    expect(rows[1]!.textContent).toContain('C3.2. Khả năng xuất khẩu');
    expect(screen.queryByText(/mỗi thành viên chỉ xem được phiếu của mình/)).toBeNull();
    // A member's whole sheet, read-only.
    fireEvent.click(within(rowOf('Nguyễn Văn Chủ')).getByRole('button', { name: 'Xem phiếu' }));
    await screen.findByRole('heading', { name: 'Xem phiếu: Nguyễn Văn Chủ' });
    expect(screen.getByText('Vùng trồng ổn định')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Mở lại chấm điểm' }));
    const dialog = await screen.findByRole('dialog', { name: 'Mở lại chấm điểm hồ sơ' });
    fireEvent.change(within(dialog).getByRole('textbox', { name: /Lý do/ }), {
      target: { value: 'Thiếu phiếu' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Xác nhận' }));
    await waitFor(() =>
      expect(fake.calls.find((c) => c.url.endsWith('/reopen-scoring'))?.body).toEqual({
        reason: 'Thiếu phiếu',
      }),
    );
  });

  it('says when no council has the dossier yet', async () => {
    server({ closed: false, members: [] });
    await open();
    await screen.findByText('Hồ sơ chưa được giao cho hội đồng nào.');
  });

  it("explains the API's refusal to someone who does not follow the scoring", async () => {
    server({
      status: 403,
      body: {
        error: {
          code: 'FORBIDDEN',
          message: 'Chỉ hội đồng được giao hồ sơ và cấp tỉnh theo dõi việc chấm điểm.',
        },
      },
    });
    await open();
    await screen.findByText('Chỉ hội đồng được giao hồ sơ và cấp tỉnh theo dõi việc chấm điểm.');
  });
});
