// @vitest-environment jsdom
import { cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { User } from '../../auth';
import { bestAnswers } from '../../components/sheet/testSheet';
import type { ScoringDossier } from '../../data/scoring';
import { type Call, fakeFetch, renderPage, testUser } from '../../test-utils';
import { dossier, dossierId, scoringDocuments } from './fixtures';
import { SelfAssessmentPage } from './SelfAssessmentPage';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

const base = `/api/v1/evaluation/dossiers/${dossierId}`;
const producer = {
  ...testUser,
  role: 'producer' as const,
  provinceCode: null,
  subjectIds: [dossier.subjectId],
};
const draft: ScoringDossier = { ...dossier, state: 'draft' };

type Reply = { status: number; body?: unknown } | ((call: Call) => { status: number; body?: unknown });

function server(record: ScoringDossier | Reply, extra: Record<string, Reply> = {}) {
  const fake = fakeFetch({
    [`GET ${base}`]: 'id' in record ? { status: 200, body: record } : record,
    [`GET /api/v1/evaluation/dossiers/${dossierId}/scoring-documents`]: {
      status: 200,
      body: scoringDocuments,
    },
    ...extra,
  });
  vi.stubGlobal('fetch', fake.fetch);
  return fake;
}

const saved = (call: Call, star: number | null = null): ScoringDossier => {
  const body = call.body as { version: number; answers: Record<string, string> };
  return {
    ...draft,
    version: body.version + 1,
    selfAssessment: { ...draft.selfAssessment, answers: body.answers, star },
  };
};

const open = (user: User = producer) =>
  renderPage(<SelfAssessmentPage />, {
    path: `/evaluation/dossiers/${dossierId}/self-assessment`,
    route: '/evaluation/dossiers/:id/self-assessment',
    user,
  });

const row = (name: RegExp) => screen.getByRole('group', { name });

describe('SelfAssessmentPage', () => {
  it('saves the answers with the dossier version, then with the next one, and shows the star the server gives', async () => {
    const fake = server(
      {
        ...draft,
        selfAssessment: { ...draft.selfAssessment, answers: { ...bestAnswers(), 'A1.1': 'A1.1.a' } },
      },
      { [`PUT ${base}/self-assessment`]: (call) => ({ status: 200, body: saved(call, 5) }) },
    );
    await open();
    await screen.findByRole('heading', { level: 1, name: 'Tự đánh giá: Rau cải Yên Mô' });
    await screen.findAllByRole('radio');
    fireEvent.click(within(row(/A1\.1\. Nguồn nguyên liệu/)).getByRole('radio', { name: /Từ 75%/ }));
    await screen.findByText(/Đã lưu lúc/);
    await waitFor(() => expect(screen.getByTestId('sheet-star').textContent).toContain('5 sao'));
    fireEvent.click(within(row(/A1\.2\. Gia tăng giá trị/)).getByRole('radio', { name: /^Sơ chế/ }));
    await waitFor(() => expect(fake.calls.filter((c) => c.method === 'PUT')).toHaveLength(2));
    const puts = fake.calls.filter((c) => c.method === 'PUT');
    expect(puts.map((c) => (c.body as { version: number }).version)).toEqual([7, 8]);
    expect((puts[1]!.body as { answers: Record<string, string> }).answers['A1.2']).toBe('A1.2.b');
    // The sheet and rule-set come with the dossier's scoring documents, not from the criteria API producers may not read.
    expect(fake.calls.some((c) => c.url.includes('/criteria/'))).toBe(false);
  });

  it('explains a stale version and saves the answers on screen over the new version', async () => {
    let version = 7;
    const fake = server(() => ({ status: 200, body: { ...draft, version } }), {
      [`PUT ${base}/self-assessment`]: (call) =>
        (call.body as { version: number }).version === version
          ? { status: 200, body: saved(call) }
          : {
              status: 409,
              body: { error: { code: 'STALE', message: 'Hồ sơ đã được người khác thay đổi.' } },
            },
    });
    await open();
    await screen.findByRole('heading', { level: 1 });
    await screen.findAllByRole('radio');
    version = 9; // changed in another tab
    fireEvent.click(within(row(/A1\.1\. Nguồn nguyên liệu/)).getByRole('radio', { name: /Từ 75%/ }));
    await screen.findByText('Hồ sơ đã được người khác thay đổi.');
    expect(screen.getByText(/Câu trả lời của bạn vẫn còn trên màn hình này/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Tải bản mới và lưu câu trả lời của tôi' }));
    await screen.findByText(/Đã lưu lúc/);
    const puts = fake.calls.filter((c) => c.method === 'PUT');
    expect(puts.map((c) => c.body)).toEqual([
      { version: 7, answers: { 'A1.1': 'A1.1.d' } },
      { version: 9, answers: { 'A1.1': 'A1.1.d' } },
    ]);
  });

  it('is read-only once the dossier is submitted, with the star it gave', async () => {
    const fake = server({
      ...draft,
      state: 'submitted',
      selfAssessment: { ...draft.selfAssessment, answers: bestAnswers(), complete: true, star: 5 },
    });
    await open();
    await screen.findByText('Hồ sơ đã nộp nên bản tự đánh giá chỉ xem được.');
    await screen.findAllByRole('radio');
    expect((screen.getAllByRole('radio') as HTMLInputElement[]).every((r) => r.disabled)).toBe(true);
    expect(screen.getByTestId('sheet-star').textContent).toContain('5 sao');
    expect(fake.calls.some((c) => c.method === 'PUT')).toBe(false);
  });

  it("lets an officer read it, with the sheet from the criteria API and the engine's star", async () => {
    const officer = { ...testUser, role: 'province_officer' as const };
    server({
      ...dossier,
      state: 'submitted',
      selfAssessment: { ...dossier.selfAssessment, answers: bestAnswers() },
    });
    await open(officer);
    await screen.findByText('Chỉ chủ thể của hồ sơ sửa được bản tự đánh giá.');
    await waitFor(() => expect(screen.getByTestId('sheet-star').textContent).toContain('5 sao'));
    expect((screen.getAllByRole('radio') as HTMLInputElement[]).every((r) => r.disabled)).toBe(true);
  });

  it('says so when the sheet cannot be read', async () => {
    server(
      { ...dossier, state: 'draft' },
      {
        [`GET /api/v1/evaluation/dossiers/${dossierId}/scoring-documents`]: {
          status: 403,
          body: { error: { code: 'FORBIDDEN', message: 'Bạn không có quyền thực hiện thao tác này.' } },
        },
      },
    );
    await open();
    await screen.findByText('Không tải được phiếu chấm');
    expect(screen.getByText('Bạn không có quyền thực hiện thao tác này.')).toBeTruthy();
  });

  it('shows a failure to load the dossier with a retry', async () => {
    server({ status: 500, body: { error: { code: 'INTERNAL', message: 'Lỗi máy chủ.' } } });
    await open();
    await screen.findByText('Lỗi máy chủ.');
    expect(screen.getByRole('button', { name: 'Thử lại' })).toBeTruthy();
  });
});
