import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runExpiryJob } from '../../src/modules/certificates/expiry';
import { today } from '../../src/shared/dates';
import { injectCaller, unique } from '../support/factories';
import { createTestContext, type TestContext } from '../support/test-app';
import { pdfText } from './certificates-support';

/**
 * Registries as provinces keep them: a recognition known only by its year and an enterprise
 * without a tax code come in, marked incomplete, never invented. The year-only certificate keeps
 * null dates and the status 'date_unknown' everywhere it shows (officer's list and detail, PDF,
 * public page, open data), is neither expiring nor lapsed (expiry job, re-evaluation queue), is in
 * the import's incomplete list, and a correction giving the decision's date completes it. A subject
 * entered at the form still needs an enterprise's tax code.
 */

const NB = '37';
let t: TestContext;
let officer: Record<string, string>;

const CSV = [
  'STT;Tên sản phẩm;Tên chủ thể;Loại hình;Nhóm sản phẩm;Hạng sao;Số QĐ;Năm công nhận;Cơ quan cấp;Xã/phường/thị trấn;Quận/huyện;Tỉnh (cũ);Mã số thuế;Người đại diện',
  '1;Miến dong Kim Sơn;HTX Nông nghiệp Kim Chính;HTX;Thực phẩm;3 sao;125/QĐ-UBND;2021;UBND tỉnh Ninh Bình;Xã Kim Chính;Huyện Kim Sơn;Ninh Bình;;Phạm Văn An',
  '2;Trà sen Nam Định;Công ty TNHH Trà Sen Nam;Doanh nghiệp;Đồ uống;4 sao;2245/QĐ-UBND;20/10/2023;UBND tỉnh Nam Định;Phường Lộc Hòa;Thành phố Nam Định;Nam Định;;Trần Thị Bích',
].join('\r\n');

type Row = {
  rowNumber: number;
  status: string;
  action: string | null;
  certificateId: string | null;
  errors: { field: string; code: string; message: { vi: string; en: string } }[];
  warnings: { field: string; code: string; message: { vi: string; en: string } }[];
  incomplete: string[];
};
type Report = {
  rows: Row[];
  questions: { field: string; key: string; candidates: { value: string }[]; decision: unknown }[];
};

beforeAll(async () => {
  t = await createTestContext();
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
});
afterAll(async () => t.close());

const get = (url: string, headers: Record<string, string> = officer) =>
  t.app.inject({ method: 'GET', url, headers });
const post = (url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: officer, payload });

async function upload(filename: string, content: Buffer) {
  const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: { ...officer, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
          'Content-Type: application/octet-stream\r\n\r\n',
      ),
      content,
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  });
}

/** Uploads, dry-runs, answers every question with its first candidate, commits; the report after. */
async function importRegistry(): Promise<{ dry: Report; after: Report }> {
  const res = await upload('so-ocop.csv', Buffer.from(CSV, 'utf8'));
  expect(res.statusCode, res.body).toBe(201);
  const id = res.json().id;
  let report: Report = (await post(`/api/v1/imports/${id}/dry-run`)).json();
  const dry = report;
  for (const q of report.questions) {
    if (q.decision) continue;
    const answer = await post(`/api/v1/imports/${id}/decisions`, {
      field: q.field,
      key: q.key,
      value: q.candidates[0]!.value,
      remember: false,
    });
    expect(answer.statusCode, answer.body).toBe(200);
    report = answer.json();
  }
  const commit = await post(`/api/v1/imports/${id}/commit`, { skipRowsWithErrors: false });
  expect(commit.statusCode, commit.body).toBe(202);
  let job = commit.json();
  for (let i = 0; i < 600 && job.status === 'committing'; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    job = (await get(`/api/v1/imports/${id}`)).json();
  }
  expect(job.status, JSON.stringify(job.failure)).toBe('committed');
  return { dry, after: (await get(`/api/v1/imports/${id}/report`)).json() };
}

describe('a year-only recognition and an enterprise without a tax code', () => {
  let yearOnly: string;
  let noTaxCode: string;

  it('are "will be imported, incomplete" in the dry run, never errors, and come in', async () => {
    const { dry, after } = await importRegistry();
    const [first, second] = dry.rows;
    expect(first).toMatchObject({ errors: [], incomplete: ['decisionDate'] });
    expect(first!.warnings.find((w) => w.code === 'incompleteDecisionDate')?.message.vi).toContain(
      'sẽ nhập, chưa đủ',
    );
    expect(second).toMatchObject({ errors: [], incomplete: ['taxCode'] });
    expect(second!.warnings.find((w) => w.code === 'incompleteTaxCode')?.message.en).toContain(
      'will be imported, incomplete',
    );
    for (const row of after.rows) expect(row.action, `row ${row.rowNumber}`).toBe('create');
    yearOnly = after.rows[0]!.certificateId!;
    noTaxCode = after.rows[1]!.certificateId!;
  });

  it('keeps the year, invents no day, and says "date unknown" to the officer (list filter, detail, PDF)', async () => {
    const certificate = (await get(`/api/v1/certificates/${yearOnly}`)).json();
    expect(certificate).toMatchObject({
      decisionDate: null,
      validFrom: null,
      validTo: null,
      recognitionYear: 2021,
      status: 'date_unknown',
      statusLabel: { vi: 'Không rõ — cần ngày quyết định', en: 'Unknown — needs the decision date' },
    });
    const list = (await get('/api/v1/certificates?status=date_unknown')).json();
    expect(list.items.map((c: { id: string }) => c.id)).toEqual([yearOnly]);
    const valid = (await get('/api/v1/certificates?status=valid')).json();
    expect(valid.items.map((c: { id: string }) => c.id)).not.toContain(yearOnly);

    const pdf = await get(`/api/v1/certificates/${yearOnly}/pdf`);
    expect(pdf.statusCode).toBe(200);
    const text = pdfText(pdf.rawPayload).replace(/\s+/g, ' ');
    expect(text).toContain('không rõ — cần ngày quyết định');
    expect(text).toContain('năm 2021');
    expect(text).not.toContain('đến hết ngày');
  });

  it('tells the public it was recognised in that year, the date being confirmed — neither "valid until" nor expired', async () => {
    const { verificationUrl } = (await get(`/api/v1/certificates/${yearOnly}`)).json();
    const path = new URL(verificationUrl, 'http://x').pathname + new URL(verificationUrl, 'http://x').search;
    const vi = await get(path, {});
    expect(vi.statusCode).toBe(200);
    expect(vi.body).toContain('Sản phẩm được công nhận OCOP năm 2021; ngày quyết định đang được xác nhận.');
    expect(vi.body).toContain('không rõ — cần ngày quyết định');
    expect(vi.body).not.toContain('đến hết');
    expect(vi.body).not.toContain('Hết hiệu lực');
    const en = (await get(`${path}&lang=en`, {})).body;
    expect(en).toContain('recognised under OCOP in 2021; the decision date is being confirmed');
    expect(en).not.toMatch(/Expired/);
  });

  it('is published in open data with null dates and its year, not among those in force', async () => {
    const url = '/api/v1/open-data/certified-products?format=json';
    const unknown = (await get(`${url}&status=date_unknown`, {})).json();
    expect(unknown.items).toHaveLength(1);
    expect(unknown.items[0]).toMatchObject({
      status: 'date_unknown',
      decisionDate: null,
      validFrom: null,
      validTo: null,
      recognitionYear: 2021,
    });
    const inForce = (await get(url, {})).json();
    expect(inForce.items.map((i: { status: string }) => i.status)).not.toContain('date_unknown');
  });

  it('is neither expiring nor lapsed: not in the expiry job nor the re-evaluation queue, but in the incomplete list', async () => {
    const { loadConfig } = await import('../../src/config');
    const config = loadConfig({ DATA_DIR: t.dataDir, LOG_LEVEL: 'silent' });
    const run = await runExpiryJob({ ctx: { database: t.database, config, actor: null }, today: today() });
    expect(run.candidates).toBe(0);
    const queue = (await get('/api/v1/certificates/re-evaluation-queue')).json();
    expect(queue.items.map((i: { id: string }) => i.id)).not.toContain(yearOnly);
    const incomplete = (await get('/api/v1/imports/incomplete')).json();
    const missing = Object.fromEntries(
      incomplete.items.map((i: { certificateId: string; missing: string[] }) => [i.certificateId, i.missing]),
    );
    expect(missing[yearOnly]).toContain('decisionDate');
    expect(missing[noTaxCode]).toContain('taxCode');
    // The enterprise was written without a tax code rather than refused or given an invented one.
    const certificate = (await get(`/api/v1/certificates/${noTaxCode}`)).json();
    const subject = (await get(`/api/v1/subjects/${certificate.subject.id}`)).json();
    expect(subject).toMatchObject({ type: 'sme', taxCode: null });
  });

  it('is completed by a correction giving the decision date, after which its status is computed', async () => {
    const current = (await get(`/api/v1/certificates/${yearOnly}`)).json();
    // Validity dates alone would be a guess: refused with what is needed.
    const guess = await post(`/api/v1/certificates/${yearOnly}/corrections`, {
      version: current.version,
      reason: 'Bổ sung thời hạn',
      changes: { validTo: '2024-03-14' },
    });
    expect(guess.statusCode, guess.body).toBe(400);
    expect(guess.json().error.fields['changes.decisionDate']).toContain('ngày quyết định');

    const res = await post(`/api/v1/certificates/${yearOnly}/corrections`, {
      version: current.version,
      reason: 'Bổ sung ngày quyết định theo bản gốc',
      changes: { decisionDate: '2021-03-15' },
    });
    expect(res.statusCode, res.body).toBe(201);
    const completed = res.json();
    expect(completed).toMatchObject({ decisionDate: '2021-03-15', validFrom: '2021-03-15', version: 2 });
    expect(completed.validTo > completed.validFrom).toBe(true);
    expect(completed.status).toBe(completed.validTo < today() ? 'expired' : 'valid');
    const list = (await get('/api/v1/certificates?status=date_unknown')).json();
    expect(list.items).toHaveLength(0);
    // Completed, it leaves the incomplete list; the enterprise still without its tax code stays.
    const incomplete = (await get('/api/v1/imports/incomplete')).json();
    const ids = incomplete.items.map((i: { certificateId: string }) => i.certificateId);
    expect(ids).not.toContain(yearOnly);
    expect(ids).toContain(noTaxCode);
  });
});

describe('a subject entered at the form', () => {
  it('still needs an enterprise tax code', async () => {
    const api = injectCaller(t.app, officer);
    const body = {
      name: unique('Công ty TNHH Không mã'),
      type: 'sme',
      address: 'Số 1',
      communeCode: '13285',
      legalRepresentative: 'Nguyễn Văn B',
      legalRepresentativeGender: 'male',
    };
    const refused = await api<{ error: { fields: Record<string, string> } }>('POST', '/subjects', body);
    expect(refused.status).toBe(400);
    expect(Object.keys(refused.body.error.fields)).toEqual(['taxCode']);
    // The same subject with its tax code is accepted.
    const accepted = await api('POST', '/subjects', { ...body, taxCode: '0100109106' });
    expect(accepted.status).toBe(201);
  });
});
