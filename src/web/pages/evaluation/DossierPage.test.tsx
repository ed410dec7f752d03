// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../auth';
import type { Dossier, DossierResult } from '../../data/evaluation';
import { productMeta, productRow, subject, unitsApi } from '../../test-fixtures';
import { type Call, fakeFetch, renderPage, testUser } from '../../test-utils';
import { DossierPage } from './DossierPage';
import { cycle, dossier, producer } from './fixtures';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

type Reply = { status: number; body?: unknown };
const base = `/api/v1/evaluation/dossiers/${dossier.id}`;

const result: DossierResult = {
  id: 'e5e5e5e5-0000-4000-8000-000000000001',
  dossierId: dossier.id,
  sequence: 1,
  supersedesId: null,
  valid: true,
  outcome: 'recognised',
  sheetCount: 5,
  minimumSheets: 5,
  exactMean: 74.5,
  score: 74.5,
  scoreStar: 4,
  requirementCap: 5,
  finalStar: 4,
  disqualifiers: [],
  partMeans: {},
  requirements: [],
  spread: [],
  members: [],
  levelDecision: { certifies: 4, forwardsTo: null },
  computedAt: '2026-11-25T03:00:00.000Z',
  publishedAt: '2026-11-26T03:00:00.000Z',
};

function server(record: Dossier, routes: Record<string, Reply | ((call: Call) => Reply)> = {}) {
  const fake = fakeFetch({
    [`GET ${base}`]: { status: 200, body: record },
    [`GET /api/v1/evaluation/cycles/${cycle.id}`]: { status: 200, body: cycle },
    [`GET /api/v1/subjects/${productRow.subject.id}`]: {
      status: 200,
      body: { ...subject, id: productRow.subject.id, name: productRow.subject.name },
    },
    'GET /api/v1/admin-units/communes/13324': {
      status: 200,
      body: { code: '13324', name: 'Phường Duy Tiên', divisionType: 'phường', provinceCode: '37' },
    },
    'GET /api/v1/products/meta': { status: 200, body: productMeta },
    ...unitsApi,
    ...routes,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const open = (user: User = producer) =>
  renderPage(<DossierPage />, {
    path: `/evaluation/dossiers/${dossier.id}`,
    route: '/evaluation/dossiers/:id',
    user,
  });

const moved = (record: Dossier, changes: Partial<Dossier>): Reply => ({
  status: 200,
  body: { ...record, ...changes, version: record.version + 1 },
});

describe('DossierPage', () => {
  it('shows the dossier to its producer: header, checklist, self-assessment, history', async () => {
    server(dossier);
    await open();
    await screen.findByRole('heading', { name: productRow.name, level: 1 });
    expect((await screen.findByRole('link', { name: cycle.name })).getAttribute('href')).toBe(
      `/evaluation/cycles/${cycle.id}`,
    );
    expect(screen.getAllByText('Nháp').length).toBeGreaterThan(0);
    const checklist = screen.getByRole('region', { name: 'Tài liệu kèm theo' });
    expect(within(checklist).getByText('Bắt buộc')).toBeTruthy();
    expect(
      within(checklist).getByRole('link', { name: 'Tải về dang-ky-kinh-doanh.pdf' }).getAttribute('href'),
    ).toBe(`${base}/documents/${dossier.documents[0]!.id}`);
    expect(screen.getByText('Đã chấm 12/30 tiêu chí')).toBeTruthy();
    expect(screen.getByRole('link', { name: 'Làm phiếu tự đánh giá' }).getAttribute('href')).toBe(
      `/evaluation/dossiers/${dossier.id}/self-assessment`,
    );
    const history = screen.getByRole('region', { name: 'Lịch sử xử lý hồ sơ' });
    expect(within(history).getByText('21/11/2026 10:00')).toBeTruthy();
    expect(within(history).getByText('Bạn')).toBeTruthy();
  });

  it('names the people who moved the dossier', async () => {
    server(dossier);
    await open(testUser);
    const history = await screen.findByRole('region', { name: 'Lịch sử xử lý hồ sơ' });
    expect(within(history).getByText(producer.fullName)).toBeTruthy();
  });

  it('saves the registration form with the version it shows, and says so when someone changed it', async () => {
    let reply: Reply = {
      status: 409,
      body: { error: { code: 'STALE', message: 'Hồ sơ đã được người khác thay đổi.' } },
    };
    const fake = server(dossier, { [`PUT ${base}/registration-form`]: () => reply });
    await open();
    const form = (await screen.findByRole('heading', { name: 'Phiếu đăng ký sản phẩm (Mẫu 01)' })).closest(
      'section',
    )!;
    fireEvent.click(within(form).getByRole('button', { name: 'Lưu phiếu đăng ký' }));
    // Applicant and phone are required; the product name starts filled in.
    expect(within(form).getAllByText('Không được để trống.').length).toBe(2);
    fireEvent.change(within(form).getByLabelText(/Người đăng ký/), { target: { value: 'Nguyễn Thị Lan' } });
    fireEvent.change(within(form).getByLabelText(/Điện thoại/), { target: { value: '0912 345 678' } });
    fireEvent.click(within(form).getByRole('button', { name: 'Lưu phiếu đăng ký' }));
    await within(form).findByText(/Hồ sơ vừa được người khác thay đổi/);
    expect(within(form).getByRole('button', { name: 'Tải lại' })).toBeTruthy();
    expect(fake.calls.find((c) => c.method === 'PUT')?.body).toEqual({
      version: dossier.version,
      form: { applicantName: 'Nguyễn Thị Lan', phone: '0912 345 678', productName: productRow.name },
    });

    reply = moved(dossier, {
      registrationForm: {
        applicantName: 'Nguyễn Thị Lan',
        phone: '0912 345 678',
        productName: productRow.name,
      },
    });
    fireEvent.click(within(form).getByRole('button', { name: 'Lưu phiếu đăng ký' }));
    await screen.findByText('Đã lưu phiếu đăng ký.');
  });

  it('submits after confirmation and lists what the API says is missing', async () => {
    let reply: Reply = {
      status: 400,
      body: {
        error: {
          code: 'VALIDATION',
          message: 'Hồ sơ chưa đủ để nộp; xem các mục còn thiếu.',
          fields: { selfAssessment: 'Phiếu tự đánh giá (Mẫu 02) chưa chấm đủ các tiêu chí.' },
        },
      },
    };
    const fake = server(dossier, { [`POST ${base}/submit`]: () => reply });
    await open();
    fireEvent.click(await screen.findByRole('button', { name: 'Nộp hồ sơ' }));
    const dialog = await screen.findByRole('dialog');
    // Submitting takes no reason.
    expect(within(dialog).queryByRole('textbox')).toBeNull();
    fireEvent.click(within(dialog).getByRole('button', { name: 'Xác nhận' }));
    await within(dialog).findByText('Phiếu tự đánh giá (Mẫu 02) chưa chấm đủ các tiêu chí.');
    expect(fake.calls.find((c) => c.url.endsWith('/submit'))?.body).toEqual({ version: dossier.version });

    reply = moved(dossier, { state: 'submitted', actions: ['withdraw'] });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Xác nhận' }));
    await screen.findByText('Đã thực hiện: Nộp hồ sơ.');
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Nộp hồ sơ' })).toBeNull());
    // A submitted dossier is no longer editable.
    expect(screen.queryByRole('button', { name: 'Lưu phiếu đăng ký' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Tải lên' })).toBeNull();
  });

  it('asks the commune officer for a reason to return a dossier', async () => {
    const submitted: Dossier = { ...dossier, state: 'submitted', actions: ['precheck', 'return'] };
    const fake = server(submitted, {
      [`POST ${base}/return`]: moved(submitted, {
        state: 'returned',
        actions: [],
        transitions: [
          ...submitted.transitions,
          {
            action: 'return',
            fromState: 'submitted',
            toState: 'returned',
            actorId: testUser.id,
            actorName: testUser.fullName,
            at: '2026-11-22T01:30:00.000Z',
            reason: 'Thiếu giấy chứng nhận an toàn thực phẩm.',
          },
        ],
      }),
    });
    await open({ ...testUser, role: 'commune_officer', communeCode: '13324' });
    expect(await screen.findByRole('button', { name: 'Kiểm tra, đề nghị lên tỉnh' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Trả lại để bổ sung' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: 'Xác nhận' }));
    expect(within(dialog).getByText('Không được để trống.')).toBeTruthy();
    expect(fake.calls.some((c) => c.url.endsWith('/return'))).toBe(false);
    fireEvent.change(within(dialog).getByLabelText(/Lý do/), {
      target: { value: 'Thiếu giấy chứng nhận an toàn thực phẩm.' },
    });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Xác nhận' }));
    await waitFor(() =>
      expect(fake.calls.find((c) => c.url.endsWith('/return'))?.body).toEqual({
        version: submitted.version,
        reason: 'Thiếu giấy chứng nhận an toàn thực phẩm.',
      }),
    );
    const history = screen.getByRole('region', { name: 'Lịch sử xử lý hồ sơ' });
    await within(history).findByText('Lý do: Thiếu giấy chứng nhận an toàn thực phẩm.');
    expect(within(history).getByText('22/11/2026 08:30')).toBeTruthy();
    expect(within(history).getByText('Bạn')).toBeTruthy();
    // Officers read the form and the self-assessment; they never edit them.
    expect(screen.queryByRole('button', { name: 'Lưu phiếu đăng ký' })).toBeNull();
    expect(screen.getByRole('link', { name: 'Xem phiếu tự đánh giá' }).getAttribute('href')).toBe(
      `/evaluation/dossiers/${dossier.id}/self-assessment`,
    );
  });

  it('offers the cycle’s only council as the choice, so assigning is one confirmation', async () => {
    const accepted: Dossier = { ...dossier, state: 'accepted', actions: ['assign'] };
    const fake = server(accepted, {
      [`POST ${base}/assign`]: moved(accepted, {
        state: 'in_council',
        councilId: cycle.councils[0]!.id,
        actions: [],
      }),
    });
    await open(testUser);
    fireEvent.click(await screen.findByRole('button', { name: 'Giao hội đồng chấm' }));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() =>
      expect((within(dialog).getByRole('button', { name: 'Xác nhận' }) as HTMLButtonElement).disabled).toBe(
        false,
      ),
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Xác nhận' }));
    await waitFor(() =>
      expect(fake.calls.find((c) => c.url.endsWith('/assign'))?.body).toEqual({
        version: accepted.version,
        councilId: cycle.councils[0]!.id,
      }),
    );
  });

  it('assigns an accepted dossier to one of the cycle’s councils', async () => {
    const accepted: Dossier = { ...dossier, state: 'accepted', actions: ['assign'] };
    const fake = server(accepted, {
      [`POST ${base}/assign`]: moved(accepted, {
        state: 'in_council',
        councilId: cycle.councils[0]!.id,
        actions: [],
      }),
    });
    await open(testUser);
    fireEvent.click(await screen.findByRole('button', { name: 'Giao hội đồng chấm' }));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('combobox', { name: /Hội đồng/ }));
    fireEvent.click(
      await screen.findByRole('option', { name: /Hội đồng OCOP tỉnh Ninh Bình/, hidden: true }),
    );
    fireEvent.click(within(dialog).getByRole('button', { name: 'Xác nhận' }));
    await waitFor(() =>
      expect(fake.calls.find((c) => c.url.endsWith('/assign'))?.body).toEqual({
        version: accepted.version,
        councilId: cycle.councils[0]!.id,
      }),
    );
    expect(
      (await screen.findByRole('link', { name: 'Các phiếu chấm của hội đồng' })).getAttribute('href'),
    ).toBe(`/evaluation/dossiers/${dossier.id}/sheets`);
  });

  it('uploads a document to a checklist item and removes one', async () => {
    const fake = server(dossier, {
      [`POST ${base}/documents`]: { status: 201, body: dossier.documents[0] },
      [`DELETE ${base}/documents/${dossier.documents[0]!.id}`]: { status: 200, body: { ok: true } },
    });
    await open();
    const input = await screen.findByLabelText('Chọn tệp cho «Giải thưởng»');
    const file = new File(['%PDF-1.4'], 'giai-thuong.pdf', { type: 'application/pdf' });
    fireEvent.change(input.closest('li')!.querySelector('input[type="file"]')!, {
      target: { files: [file] },
    });
    const awards = input.closest('li')!;
    fireEvent.click(within(awards as HTMLElement).getByRole('button', { name: 'Tải lên' }));
    await within(awards as HTMLElement).findByText('Đã tải lên.');
    const call = fake.calls.find((c) => c.method === 'POST')!;
    expect(call.url).toBe(`${base}/documents?item=awards`);
    expect((call.body as FormData).get('file')).toBeInstanceOf(File);

    fireEvent.click(screen.getByRole('button', { name: 'Xóa' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Xác nhận' }));
    await waitFor(() => expect(fake.calls.some((c) => c.method === 'DELETE')).toBe(true));
  });

  it('refuses a file that is not PDF, JPEG or PNG before sending it', async () => {
    const fake = server(dossier);
    await open();
    const input = await screen.findByLabelText('Chọn tệp cho «Giải thưởng»');
    const file = new File(['x'], 'bang-tinh.xlsx', {
      type: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    });
    fireEvent.change(input.closest('li')!.querySelector('input[type="file"]')!, {
      target: { files: [file] },
    });
    await screen.findByText('Chỉ nhận tệp PDF, JPEG hoặc PNG.');
    expect(fake.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('refuses a file over the upload limit before sending it', async () => {
    const fake = server(dossier);
    await open();
    const input = await screen.findByLabelText('Chọn tệp cho «Giải thưởng»');
    await within(input.closest('li')!).findByText('PDF, JPEG hoặc PNG, tối đa 8 MB.');
    const file = new File([new Uint8Array(productMeta.photoLimits.maxBytes + 1)], 'lon.pdf', {
      type: 'application/pdf',
    });
    fireEvent.change(input.closest('li')!.querySelector('input[type="file"]')!, {
      target: { files: [file] },
    });
    await screen.findByText('Tệp lớn hơn giới hạn 8 MB.');
    expect(fake.calls.some((c) => c.method === 'POST')).toBe(false);
  });

  it('shows the producer the published result, and says when it is not published yet', async () => {
    const recognised: Dossier = { ...dossier, state: 'recognised', actions: [] };
    server(recognised, { [`GET ${base}/result`]: { status: 200, body: result } });
    const first = await open();
    await screen.findByText('74,5');
    expect(screen.getByText('4 sao')).toBeTruthy();
    expect(screen.getByText('Hiện bạn không có bước nào để thực hiện với hồ sơ này.')).toBeTruthy();
    first.unmount();

    server(
      { ...dossier, state: 'scored', actions: [] },
      {
        [`GET ${base}/result`]: {
          status: 404,
          body: { error: { code: 'NOT_FOUND', message: 'Chưa công bố.' } },
        },
      },
    );
    await open();
    await screen.findByText('Kết quả chưa được công bố.');
  });

  it('offers a council member their sheet and no step', async () => {
    server({ ...dossier, state: 'in_council', councilId: cycle.councils[0]!.id, actions: [] });
    await open({ ...testUser, role: 'council_member', provinceCode: null });
    expect((await screen.findByRole('link', { name: 'Phiếu chấm của tôi' })).getAttribute('href')).toBe(
      `/evaluation/dossiers/${dossier.id}/score`,
    );
    expect(screen.getByText('Hiện bạn không có bước nào để thực hiện với hồ sơ này.')).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'Làm phiếu tự đánh giá' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Tải lên' })).toBeNull();
  });

  it('shows a dossier that cannot be read', async () => {
    server(dossier, {
      [`GET ${base}`]: {
        status: 404,
        body: { error: { code: 'NOT_FOUND', message: 'Không có hồ sơ này.' } },
      },
    });
    await open();
    await screen.findByText('Không có hồ sơ này.');
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });
});
