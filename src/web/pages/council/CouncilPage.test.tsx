// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../auth';
import type { Council } from '../../data/council';
import { type Call, fakeFetch, renderPage, testUser } from '../../test-utils';
import { CouncilPage } from './CouncilPage';
import {
  adminUser,
  advisoryUser,
  chairUser,
  council,
  councilId,
  cycle,
  cycleId,
  dossierId,
  dossiers,
  emptyReview,
  memberUser,
  otherCouncilId,
  recordedReview,
  sheets,
  tourismDossierId,
} from './fixtures';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

type Reply = { status: number; body?: unknown };
const API = '/api/v1/evaluation';

function server(overrides: Record<string, Reply | ((call: Call) => Reply)> = {}) {
  const fake = fakeFetch({
    [`GET ${API}/cycles/${cycleId}`]: { status: 200, body: cycle },
    [`GET ${API}/councils/${councilId}`]: { status: 200, body: council },
    [`GET ${API}/cycles/${cycleId}/dossiers`]: {
      status: 200,
      body: { items: dossiers, total: dossiers.length, page: 1, pageSize: 200 },
    },
    [`GET ${API}/dossiers/${dossierId}/sheets`]: { status: 200, body: sheets },
    [`GET ${API}/dossiers/${tourismDossierId}/sheets`]: { status: 200, body: sheets },
    [`GET ${API}/dossiers/${dossierId}/advisory-review`]: {
      status: 200,
      body: { dossierId, fieldVisitRequired: false, review: null },
    },
    [`GET ${API}/dossiers/${tourismDossierId}/advisory-review`]: { status: 200, body: emptyReview },
    ...overrides,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (user: User) =>
  renderPage(<CouncilPage />, {
    path: `/evaluation/cycles/${cycleId}/council`,
    route: '/evaluation/cycles/:id/council',
    user,
  });

const sent = (fake: ReturnType<typeof fakeFetch>, method: string, path: string) =>
  fake.calls.filter((c) => c.method === method && c.url.split('?')[0] === `${API}${path}`);

describe('CouncilPage', () => {
  it('shows the councils with their members and roles', async () => {
    server();
    await open(testUser);
    expect(await screen.findByRole('heading', { name: 'Hội đồng đánh giá', level: 1 })).toBeTruthy();
    expect(await screen.findByRole('heading', { name: council.name })).toBeTruthy();
    const members = screen.getByRole('table', { name: `Thành viên — ${council.name}` });
    expect(within(members).getByText(chairUser.fullName)).toBeTruthy();
    expect(within(members).getByText('Chủ tịch hội đồng')).toBeTruthy();
    expect(within(members).getByText('Tổ tư vấn, giúp việc')).toBeTruthy();
    expect(screen.getByText('Quyết định thành lập: Quyết định số 12/QĐ-UBND')).toBeTruthy();
    expect(await screen.findByText('Du lịch làng nghề Kim Sơn')).toBeTruthy();
    // The province officer is not the chair: no closing.
    expect(screen.queryByRole('button', { name: 'Kết thúc chấm cả hội đồng' })).toBeNull();
  });

  it('says when the cycle has no council, offering to set one up only to the province', async () => {
    server({ [`GET ${API}/cycles/${cycleId}`]: { status: 200, body: { ...cycle, councils: [] } } });
    const view = await open(testUser);
    expect(await screen.findByText('Kỳ đánh giá này chưa có hội đồng.')).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Lập hội đồng' })).toBeTruthy();
    view.unmount();
    await open(chairUser);
    expect(await screen.findByText('Kỳ đánh giá này chưa có hội đồng.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Lập hội đồng' })).toBeNull();
  });

  it('shows a failed load with a retry', async () => {
    const fake = server({
      [`GET ${API}/cycles/${cycleId}`]: {
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: 'Không tìm thấy kỳ đánh giá.' } },
      },
    });
    await open(testUser);
    expect(await screen.findByText('Không tìm thấy kỳ đánh giá.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Thử lại' }));
    await waitFor(() => expect(sent(fake, 'GET', `/cycles/${cycleId}`).length).toBe(2));
  });

  it('sets up a council and shows the API field errors inline', async () => {
    let first = true;
    const fake = server({
      [`POST ${API}/cycles/${cycleId}/councils`]: () => {
        if (first) {
          first = false;
          return {
            status: 400,
            body: {
              error: {
                code: 'VALIDATION',
                message: 'Dữ liệu không hợp lệ.',
                fields: { establishedBy: 'Tối đa 200 ký tự.' },
              },
            },
          };
        }
        return { status: 201, body: { ...council, id: otherCouncilId, name: 'Hội đồng 2', members: [] } };
      },
    });
    await open(testUser);
    const name = await screen.findByLabelText('Tên hội đồng', { exact: false });
    fireEvent.click(screen.getByRole('button', { name: 'Lập hội đồng' }));
    expect(await screen.findByText('Không được để trống.')).toBeTruthy();
    expect(sent(fake, 'POST', `/cycles/${cycleId}/councils`)).toHaveLength(0);
    fireEvent.change(name, { target: { value: 'Hội đồng 2' } });
    fireEvent.change(screen.getByLabelText('Quyết định thành lập'), { target: { value: 'QĐ 1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Lập hội đồng' }));
    expect(await screen.findByText('Tối đa 200 ký tự.')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Lập hội đồng' }));
    expect(await screen.findByText('Đã lập hội đồng.')).toBeTruthy();
    expect(sent(fake, 'POST', `/cycles/${cycleId}/councils`).map((c) => c.body)).toEqual([
      { name: 'Hội đồng 2', establishedBy: 'QĐ 1' },
      { name: 'Hội đồng 2', establishedBy: 'QĐ 1' },
    ]);
  });

  it('lets the province officer find a council member by an unaccented name, seat them in a role, and shows refusals', async () => {
    const newcomer = {
      id: '66666666-6666-4666-8666-666666666666',
      fullName: 'Phạm Mới',
      email: 'pham.moi@ocop.vn',
    };
    let first = true;
    let stored: Council = council;
    const fake = server({
      'GET /api/v1/council-members': { status: 200, body: { items: [newcomer], more: false } },
      [`GET ${API}/councils/${councilId}`]: () => ({ status: 200, body: stored }),
      [`POST ${API}/councils/${councilId}/members`]: () => {
        if (first) {
          first = false;
          return {
            status: 409,
            body: {
              error: {
                code: 'CONFLICT',
                message: 'Người này đã có trong hội đồng.',
                fields: { userId: 'Người này đã có trong hội đồng.' },
              },
            },
          };
        }
        stored = {
          ...council,
          members: [
            ...council.members,
            {
              id: 'm-new',
              userId: newcomer.id,
              fullName: newcomer.fullName,
              role: 'secretary',
              addedAt: '2026-10-03T00:00:00.000Z',
            },
          ],
        };
        return { status: 200, body: stored };
      },
    });
    await open(testUser);
    const person = await screen.findByRole('combobox', { name: 'Tìm tài khoản thành viên hội đồng' });
    // Nothing chosen yet: the form says so instead of calling the API.
    fireEvent.click(screen.getByRole('button', { name: 'Thêm vào hội đồng' }));
    expect((await screen.findAllByText('Không được để trống.')).length).toBeGreaterThan(0);
    expect(fake.calls.some((c) => c.method === 'POST')).toBe(false);
    fireEvent.click(person);
    fireEvent.change(person, { target: { value: 'pham moi' } });
    await waitFor(() => expect(fake.queries('GET /api/v1/council-members').length).toBeGreaterThan(0));
    fireEvent.click(
      await screen.findByRole('option', { name: `${newcomer.fullName} (${newcomer.email})`, hidden: true }),
    );
    fireEvent.click(screen.getByRole('combobox', { name: 'Vai trò' }));
    fireEvent.click(await screen.findByRole('option', { name: 'Thư ký hội đồng', hidden: true }));
    fireEvent.click(screen.getByRole('button', { name: 'Thêm vào hội đồng' }));
    expect((await screen.findAllByText('Người này đã có trong hội đồng.')).length).toBeGreaterThan(0);
    fireEvent.click(screen.getByRole('button', { name: 'Thêm vào hội đồng' }));
    expect(await screen.findByText('Đã thêm thành viên.')).toBeTruthy();
    expect(await screen.findByText('Phạm Mới')).toBeTruthy();
    expect(sent(fake, 'POST', `/councils/${councilId}/members`).map((c) => c.body)).toEqual([
      { userId: newcomer.id, role: 'secretary' },
      { userId: newcomer.id, role: 'secretary' },
    ]);
  });

  it('offers only people not yet seated, and asks to narrow a search that matches too many', async () => {
    const seatedUserId = council.members[0]!.userId;
    server({
      'GET /api/v1/council-members': {
        status: 200,
        body: {
          items: [
            { id: seatedUserId, fullName: 'Đã Ngồi', email: 'da.ngoi@ocop.vn' },
            {
              id: '77777777-7777-4777-8777-777777777777',
              fullName: 'Đỗ Chuyên Gia',
              email: 'chuyengia@ocop.vn',
            },
          ],
          more: true,
        },
      },
    });
    await open(adminUser);
    fireEvent.click(await screen.findByRole('combobox', { name: 'Tìm tài khoản thành viên hội đồng' }));
    expect(
      await screen.findByRole('option', { name: 'Đỗ Chuyên Gia (chuyengia@ocop.vn)', hidden: true }),
    ).toBeTruthy();
    expect(screen.queryByRole('option', { name: 'Đã Ngồi (da.ngoi@ocop.vn)', hidden: true })).toBeNull();
    expect(screen.getByText('Còn nhiều tài khoản khác: gõ thêm để thu hẹp.')).toBeTruthy();
  });

  it('lets the chair close scoring for the whole council and shows what closed', async () => {
    const fake = server({
      [`POST ${API}/councils/${councilId}/close-scoring`]: {
        status: 200,
        body: {
          closed: 1,
          items: [
            {
              dossierId,
              productName: 'Cơm cháy Hoa Lư',
              resultId: 'res-1',
              valid: true,
              outcome: 'recognisable',
              sheetCount: 3,
              score: 72.5,
              finalStar: 4,
              outlierCount: 1,
            },
          ],
        },
      },
    });
    await open(chairUser);
    fireEvent.click(await screen.findByRole('button', { name: 'Kết thúc chấm cả hội đồng' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    expect(await screen.findByText('Đã kết thúc chấm 1 hồ sơ.')).toBeTruthy();
    const table = screen.getByRole('table', { name: 'Kết quả vừa tính' });
    expect(within(table).getByText('4 sao')).toBeTruthy();
    expect(sent(fake, 'POST', `/councils/${councilId}/close-scoring`)).toHaveLength(1);
    // Seating people is the province's, not the chair's.
    expect(screen.queryByRole('button', { name: 'Thêm vào hội đồng' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Lập hội đồng' })).toBeNull();
  });

  it("shows the chair the API's refusal to close (a field visit missing)", async () => {
    server({
      [`POST ${API}/councils/${councilId}/close-scoring`]: {
        status: 409,
        body: {
          error: {
            code: 'CONFLICT',
            message: 'Tổ tư vấn chưa ghi kết quả khảo sát (Du lịch làng nghề Kim Sơn)',
          },
        },
      },
    });
    await open(chairUser);
    fireEvent.click(await screen.findByRole('button', { name: 'Kết thúc chấm cả hội đồng' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    expect(await screen.findByText(/Tổ tư vấn chưa ghi kết quả khảo sát/)).toBeTruthy();
  });

  it('hides from a member the councils they do not sit on, and offers no chair action', async () => {
    server({
      [`GET ${API}/cycles/${cycleId}`]: {
        status: 200,
        body: {
          ...cycle,
          councils: [...cycle.councils, { id: otherCouncilId, name: 'Hội đồng khác', memberCount: 1 }],
        },
      },
      [`GET ${API}/councils/${otherCouncilId}`]: {
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: 'Không tìm thấy hội đồng.' } },
      },
    });
    await open(memberUser);
    expect(await screen.findByRole('heading', { name: council.name })).toBeTruthy();
    await waitFor(() => expect(screen.queryByText('Không tìm thấy hội đồng.')).toBeNull());
    expect(screen.queryByRole('button', { name: 'Kết thúc chấm cả hội đồng' })).toBeNull();
    expect(screen.getByText(`${memberUser.fullName} (bạn)`)).toBeTruthy();
  });

  it('lets a scoring member declare a conflict of interest with a dossier', async () => {
    const fake = server({
      [`POST ${API}/dossiers/${dossierId}/conflicts`]: {
        status: 201,
        body: {
          id: 'c-1',
          dossierId,
          memberId: 'm-member',
          reason: 'Người thân',
          declaredAt: '2026-11-20T00:00:00.000Z',
        },
      },
    });
    await open(memberUser);
    fireEvent.click(await screen.findByRole('button', { name: /Cơm cháy Hoa Lư/ }));
    expect(await screen.findByText('Chưa thành viên nào khai báo xung đột lợi ích.')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Phiếu chấm của tôi' }).getAttribute('href')).toBe(
      `/evaluation/dossiers/${dossierId}/score`,
    );
    fireEvent.change(screen.getByLabelText('Lý do xung đột lợi ích', { exact: false }), {
      target: { value: 'Người thân của chủ thể' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Khai báo xung đột lợi ích' }));
    expect(await screen.findByText('Đã ghi nhận khai báo xung đột lợi ích.')).toBeTruthy();
    expect(sent(fake, 'POST', `/dossiers/${dossierId}/conflicts`).map((c) => c.body)).toEqual([
      { reason: 'Người thân của chủ thể' },
    ]);
    // The advisory review is the advisory group's and the province's to write, not a scoring member's.
    expect(screen.queryByRole('button', { name: 'Lưu ý kiến tổ tư vấn' })).toBeNull();
  });

  it('tells a conflicted member they do not score the dossier', async () => {
    server({
      [`GET ${API}/dossiers/${dossierId}/sheets`]: {
        status: 200,
        body: {
          ...sheets,
          members: sheets.members.map((m) => ({ ...m, conflicted: m.userId === memberUser.id })),
        },
      },
    });
    await open(memberUser);
    fireEvent.click(await screen.findByRole('button', { name: /Cơm cháy Hoa Lư/ }));
    expect(await screen.findByText(`Đã khai báo: ${memberUser.fullName}`)).toBeTruthy();
    expect(screen.getByText(/Bạn đã khai báo xung đột lợi ích/)).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Khai báo xung đột lợi ích' })).toBeNull();
  });

  it('lets the advisory group record its review and the field visit a tourism dossier needs', async () => {
    const fake = server({
      [`PUT ${API}/dossiers/${tourismDossierId}/advisory-review`]: { status: 200, body: recordedReview },
    });
    await open(advisoryUser);
    fireEvent.click(await screen.findByRole('button', { name: /Du lịch làng nghề Kim Sơn/ }));
    expect(await screen.findByText(/Sản phẩm thuộc bộ phải khảo sát thực tế/)).toBeTruthy();
    expect(screen.getByText('Tổ tư vấn chưa ghi ý kiến.')).toBeTruthy();
    // The advisory group does not score nor declare conflicts.
    expect(screen.queryByRole('link', { name: 'Phiếu chấm của tôi' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Khai báo xung đột lợi ích' })).toBeNull();
    fireEvent.change(screen.getByLabelText('Ý kiến thẩm định của tổ tư vấn', { exact: false }), {
      target: { value: 'Hồ sơ đầy đủ.' },
    });
    // Required for tourism: the field visit is ticked from the start.
    expect((screen.getByLabelText('Đã khảo sát thực tế') as HTMLInputElement).checked).toBe(true);
    fireEvent.change(screen.getByLabelText('Ngày khảo sát', { exact: false }), {
      target: { value: '2026-11-25' },
    });
    fireEvent.change(screen.getByLabelText('Địa điểm khảo sát', { exact: false }), {
      target: { value: 'Làng nghề Kim Sơn' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu ý kiến tổ tư vấn' }));
    expect(await screen.findByText('Không được để trống.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Kết quả khảo sát', { exact: false }), {
      target: { value: 'Cơ sở đón khách đạt yêu cầu.' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu ý kiến tổ tư vấn' }));
    expect(await screen.findByText('Đã lưu ý kiến tổ tư vấn.')).toBeTruthy();
    expect(sent(fake, 'PUT', `/dossiers/${tourismDossierId}/advisory-review`).map((c) => c.body)).toEqual([
      {
        reviewNotes: 'Hồ sơ đầy đủ.',
        fieldVisit: {
          date: '2026-11-25',
          place: 'Làng nghề Kim Sơn',
          findings: 'Cơ sở đón khách đạt yêu cầu.',
        },
        attachmentDocumentIds: [],
      },
    ]);
    // The stored review shows, and the next save carries its version.
    expect(await screen.findByText('25/11/2026 — Làng nghề Kim Sơn')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Lưu ý kiến tổ tư vấn' }));
    await waitFor(() =>
      expect(sent(fake, 'PUT', `/dossiers/${tourismDossierId}/advisory-review`)).toHaveLength(2),
    );
    expect(sent(fake, 'PUT', `/dossiers/${tourismDossierId}/advisory-review`)[1]?.body).toMatchObject({
      version: 2,
      attachmentDocumentIds: ['d-1'],
    });
  });

  it('shows the field errors of a refused advisory review beside their inputs', async () => {
    server({
      [`PUT ${API}/dossiers/${tourismDossierId}/advisory-review`]: {
        status: 400,
        body: {
          error: {
            code: 'VALIDATION',
            message: 'Dữ liệu không hợp lệ.',
            fields: { 'fieldVisit.date': 'Ngày khảo sát thực tế chưa đến.' },
          },
        },
      },
    });
    await open(testUser);
    fireEvent.click(await screen.findByRole('button', { name: /Du lịch làng nghề Kim Sơn/ }));
    fireEvent.change(await screen.findByLabelText('Ý kiến thẩm định của tổ tư vấn', { exact: false }), {
      target: { value: 'Ghi chú' },
    });
    fireEvent.change(screen.getByLabelText('Ngày khảo sát', { exact: false }), {
      target: { value: '2030-01-01' },
    });
    fireEvent.change(screen.getByLabelText('Địa điểm khảo sát', { exact: false }), {
      target: { value: 'Xã' },
    });
    fireEvent.change(screen.getByLabelText('Kết quả khảo sát', { exact: false }), {
      target: { value: 'Tốt' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Lưu ý kiến tổ tư vấn' }));
    expect(await screen.findByText('Ngày khảo sát thực tế chưa đến.')).toBeTruthy();
    expect(screen.getByLabelText('Ngày khảo sát', { exact: false }).getAttribute('aria-invalid')).toBe(
      'true',
    );
  });
});
