import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importJobs } from '../../src/modules/imports/schema';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * Importing a province's registry: a messy workbook built here (title row, merged two-row header,
 * variant spellings of stars and subject types, Excel-serial and text dates, old addresses of
 * Hà Nam now in the new Ninh Bình — one merged whole, one split between two wards — an unknown
 * commune, a duplicate and an empty row), the dry-run report per row, decisions, commit,
 * re-import without duplicates, a failing commit that changes nothing, and who may import.
 */

const NB = '37';
const HY = '33';

let t: TestContext;
let admin: Record<string, string>;
let officer: Record<string, string>;
let hyOfficer: Record<string, string>;

beforeAll(async () => {
  t = await createTestContext();
  admin = (await t.as({ role: 'system_admin' })).headers;
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  hyOfficer = (await t.as({ role: 'province_officer', provinceCode: HY })).headers;
});

afterAll(async () => t.close());

function multipart(filename: string, content: Buffer) {
  const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
  const head = Buffer.from(
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
      'Content-Type: application/octet-stream\r\n\r\n',
  );
  const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
  return {
    payload: Buffer.concat([head, content, tail]),
    contentType: `multipart/form-data; boundary=${boundary}`,
  };
}

async function upload(headers: Record<string, string>, filename: string, content: Buffer, query = '') {
  const body = multipart(filename, content);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/imports${query}`,
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
  });
}

const post = (headers: Record<string, string>, url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers, payload });

/**
 * A commit is a job: the request answers 202 with the job at once; this waits for its end and
 * returns the job and the report (or the refusal when the request itself was refused).
 */
async function commit(headers: Record<string, string>, id: string, payload: object = {}) {
  const res = await post(headers, `/api/v1/imports/${id}/commit`, payload);
  if (res.statusCode !== 202) return { res, job: null, report: null };
  expect(res.json().status).toBe('committing');
  for (let i = 0; i < 600; i++) {
    const job = (await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers })).json();
    if (job.status !== 'committing') {
      const report = (
        await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}/report`, headers })
      ).json();
      return { res, job, report };
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the commit did not end');
}

type Row = (string | number | Date | null)[];

const HEADER_TOP = [
  'STT',
  'Tên sản phẩm',
  'Chủ thể',
  'Loại hình',
  'Nhóm sản phẩm',
  'Hạng sao',
  'Quyết định công nhận',
  'Quyết định công nhận',
  'Ngày hết hạn',
  'Cơ quan cấp',
  'Địa chỉ',
  'Người đại diện',
  'Mã số thuế',
];

const ROWS: Row[] = [
  [
    1,
    'Miến dong Phù Vân',
    'HTX Nông nghiệp Phù Vân',
    'HTX',
    'Chế biến từ rau, củ, quả, hạt',
    '4 sao',
    '12/QĐ-UBND',
    45200,
    '01/10/2026',
    'UBND tỉnh Ninh Bình',
    'Xã Phù Vân, Thành phố Phủ Lý, tỉnh Hà Nam',
    'Nguyễn Thị An',
  ],
  [
    2,
    'Chè xanh Lam Hạ',
    'Công ty TNHH Trà Lam Hạ',
    'Công ty TNHH',
    'Chè tươi, chè chế biến',
    '4★',
    '12/QĐ-UBND',
    '01/10/2023',
    null,
    'UBND tỉnh Ninh Bình',
    'Phường Lam Hạ, thành phố Phủ Lý, Hà Nam',
    'Lê Văn Bình',
    '0600123451',
  ],
  [null, null, null, null, null, null, null, null, null, null, null, null],
  [
    3,
    'Miến dong Phù Vân',
    'HTX Nông nghiệp Phù Vân',
    'HTX',
    'Chế biến từ rau, củ, quả, hạt',
    '4 sao',
    '12/QĐ-UBND',
    '01/10/2023',
    '01/10/2026',
    'UBND tỉnh Ninh Bình',
    'Xã Phù Vân, Thành phố Phủ Lý, tỉnh Hà Nam',
    'Nguyễn Thị An',
  ],
  [
    4,
    'Gạo nếp Hòa Mạc',
    'Hợp tác xã Hòa Mạc',
    'Hợp tác xã',
    'Gạo, ngũ cốc, hạt sơ chế khác',
    'Bốn sao',
    '15/QĐ-UBND',
    new Date(Date.UTC(2023, 10, 2)),
    null,
    'UBND tỉnh Ninh Bình',
    'Phường Hòa Mạc, Thị xã Duy Tiên, tỉnh Hà Nam',
    'Phạm Văn Cường',
  ],
  [
    5,
    'Mắm tép Kim Sơn',
    'Hộ kinh doanh Trần Văn Dũng',
    'Hộ kinh doanh',
    'Tương, nước mắm, gia vị dạng lỏng khác',
    '3*',
    null,
    '15/03/2024',
    null,
    'UBND huyện Kim Sơn',
    'Xã Không Có, huyện Kim Sơn, tỉnh Ninh Bình',
    null,
  ],
  [
    6,
    'Bánh đa',
    'HTX Bánh đa Yên Thành',
    'HTX',
    'Đồ ăn nhanh',
    '2 sao',
    '16/QĐ-UBND',
    '20/03/2024',
    null,
    'UBND tỉnh Ninh Bình',
    'Phường Lam Hạ, thành phố Phủ Lý, Hà Nam',
    'Đỗ Văn Em',
  ],
];

/** Sheet rows: 1 title, 2–3 header, data from 4; the report names sheet rows. */
async function messyWorkbook(rows: Row[] = ROWS): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('Danh sách OCOP');
  sheet.getCell('A1').value = 'DANH SÁCH SẢN PHẨM OCOP TỈNH NINH BÌNH (CŨ VÀ HÀ NAM, NAM ĐỊNH)';
  sheet.mergeCells('A1:M1');
  HEADER_TOP.forEach((label, i) => {
    sheet.getRow(2).getCell(i + 1).value = label;
  });
  for (const col of ['A', 'B', 'C', 'D', 'E', 'F', 'I', 'J', 'K', 'L', 'M'])
    sheet.mergeCells(`${col}2:${col}3`);
  sheet.mergeCells('G2:H2');
  sheet.getCell('G3').value = 'Số';
  sheet.getCell('H3').value = 'Ngày';
  rows.forEach((row, i) => {
    row.forEach((value, j) => {
      if (value !== null) sheet.getRow(4 + i).getCell(j + 1).value = value;
    });
  });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

const rowOf = (report: { rows: { rowNumber: number }[] }, n: number) =>
  report.rows.find((r) => r.rowNumber === n) as {
    rowNumber: number;
    status: string;
    action: string | null;
    errors: { field: string; code: string }[];
    warnings: { field: string; code: string }[];
    candidates: { communeCode: string }[];
    communeCode: string | null;
    originalAddress: string | null;
    matches: Record<string, { kind: string; key: string; value: string | null }>;
    incomplete: string[];
    duplicateOf: number | null;
    values: Record<string, unknown>;
  };

async function countCertificates(): Promise<number> {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/certificates?pageSize=100', headers: admin });
  return res.json().total;
}

async function countSubjects(): Promise<number> {
  const res = await t.app.inject({ method: 'GET', url: '/api/v1/subjects?pageSize=100', headers: admin });
  return res.json().total;
}

describe('a messy registry workbook', () => {
  let jobId: string;

  it('finds the merged two-row header below the title and suggests the mapping', async () => {
    const res = await upload(officer, 'so-ocop-ninh-binh.xlsx', await messyWorkbook());
    expect(res.statusCode, res.body).toBe(201);
    const job = res.json();
    jobId = job.id;
    expect(job).toMatchObject({
      provinceCode: NB,
      fileKind: 'xlsx',
      status: 'uploaded',
      headerRow: 2,
      headerRows: 2,
      fromTemplate: false,
      totalRows: 7,
    });
    expect(job.headers[6]).toBe('Quyết định công nhận Số');
    expect(job.headers[7]).toBe('Quyết định công nhận Ngày');
    expect(job.mapping).toEqual({
      productName: 1,
      subjectName: 2,
      subjectType: 3,
      category: 4,
      star: 5,
      decisionNumber: 6,
      decisionDate: 7,
      validTo: 8,
      issuer: 9,
      address: 10,
      legalRepresentative: 11,
      taxCode: 12,
    });
  });

  it('previews the first rows as read', async () => {
    const res = await t.app.inject({
      method: 'GET',
      url: `/api/v1/imports/${jobId}/preview?limit=2`,
      headers: officer,
    });
    expect(res.statusCode, res.body).toBe(200);
    const { rows } = res.json();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({
      rowNumber: 4,
      values: { star: 4, decisionDate: '2023-10-01', validTo: '2026-10-01' },
    });
    expect(rows[1]).toMatchObject({
      rowNumber: 5,
      values: { star: 4, subjectType: 'sme', decisionDate: '2023-10-01' },
    });
  });

  it('refuses a mapping without a required field or with a column used twice', async () => {
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/imports/${jobId}/mapping`,
      headers: officer,
      payload: { mapping: { productName: 1, subjectName: 1, star: 5 } },
    });
    expect(res.statusCode).toBe(400);
    expect(Object.keys(res.json().error.fields)).toEqual(
      expect.arrayContaining(['mapping.subjectName', 'mapping.decisionDate']),
    );
  });

  it('remembers a confirmed mapping for the province', async () => {
    const job = (
      await t.app.inject({ method: 'GET', url: `/api/v1/imports/${jobId}`, headers: officer })
    ).json();
    const res = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/imports/${jobId}/mapping`,
      headers: officer,
      payload: { mapping: job.suggestedMapping },
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().fromTemplate).toBe(true);
  });

  it('reports every row in a dry run, flagging old addresses it cannot settle', async () => {
    const res = await post(officer, `/api/v1/imports/${jobId}/dry-run`);
    expect(res.statusCode, res.body).toBe(200);
    const report = res.json();
    expect(report.job.status).toBe('checked');
    expect(report.job.counts).toMatchObject({
      rows: 7,
      ok: 2,
      flagged: 2,
      error: 1,
      duplicate: 1,
      empty: 1,
      created: 4,
    });

    // An old commune merged whole into a current ward: resolved, with the address as written kept.
    expect(rowOf(report, 4)).toMatchObject({
      status: 'ok',
      action: 'create',
      communeCode: '13291',
      originalAddress: 'Xã Phù Vân, Thành phố Phủ Lý, tỉnh Hà Nam',
      values: { star: 4, subjectType: 'cooperative', decisionDate: '2023-10-01', validTo: '2026-10-01' },
    });
    expect(rowOf(report, 5)).toMatchObject({
      status: 'ok',
      communeCode: '13366',
      values: { star: 4, subjectType: 'sme' },
    });
    expect(rowOf(report, 6)).toMatchObject({ status: 'empty', action: null });
    // The same row again, its date written as text instead of an Excel serial.
    expect(rowOf(report, 7)).toMatchObject({ status: 'duplicate', duplicateOf: 4, action: null });
    // An old ward split between two current wards: a person decides, nothing is guessed.
    const split = rowOf(report, 8);
    // "Bốn sao" is a star in words: read, but a person confirms it (below), so no star is settled yet.
    expect(split).toMatchObject({
      status: 'flagged',
      communeCode: null,
      values: { star: null, subjectType: 'cooperative' },
      matches: { star: { kind: 'synonym', value: '4' } },
    });
    expect(split.candidates.map((c) => c.communeCode).sort()).toEqual(['13324', '13330']);
    expect(split.warnings).toContainEqual({
      field: 'address',
      code: 'severalCommunes',
      message: expect.anything(),
    });
    const unknown = rowOf(report, 9);
    expect(unknown).toMatchObject({
      status: 'flagged',
      candidates: [],
      values: { star: 3, issuer: { level: 'district' } },
    });
    expect(unknown.warnings.map((w) => `${w.field}.${w.code}`)).toEqual(
      expect.arrayContaining([
        'decisionNumber.incompleteDecisionNumber',
        'legalRepresentative.placeholder',
        'address.unknownCommune',
      ]),
    );
    const notCertified = rowOf(report, 10);
    expect(notCertified.status).toBe('error');
    expect(notCertified.errors).toEqual([
      {
        field: 'star',
        code: 'notCertified',
        message: { vi: expect.stringContaining('3 sao'), en: expect.any(String) },
      },
    ]);
  });

  it('will not commit while a flagged row awaits a person', async () => {
    const res = await post(officer, `/api/v1/imports/${jobId}/commit`, { skipRowsWithErrors: true });
    expect(res.statusCode).toBe(409);
  });

  it('asks once per distinct value, says how each was read, and takes a decision for every row of it', async () => {
    const report = (
      await t.app.inject({ method: 'GET', url: `/api/v1/imports/${jobId}/report`, headers: officer })
    ).json();
    expect(rowOf(report, 4)).toMatchObject({
      matches: {
        category: { kind: 'exact', value: '2026:7', needsDecision: false },
        star: { kind: 'exact', value: '4', written: '4 sao' },
        decisionDate: { kind: 'exact', value: '2023-10-01' },
        commune: { kind: 'exact', value: '13291' },
      },
    });
    const star = report.questions.find((q: { field: string }) => q.field === 'star');
    expect(star).toMatchObject({ kind: 'synonym', written: 'Bốn sao', rowNumbers: [8], decision: null });
    expect(star.candidates).toEqual([{ value: '4', label: { vi: '4 sao', en: '4 stars' } }]);
    const refused = await post(officer, `/api/v1/imports/${jobId}/decisions`, {
      field: 'star',
      key: star.key,
      value: '5',
    });
    expect(refused.statusCode).toBe(400);
    const unknown = await post(officer, `/api/v1/imports/${jobId}/decisions`, {
      field: 'star',
      key: 'star|no such text',
      value: '4',
    });
    expect(unknown.statusCode).toBe(404);
    const decided = await post(officer, `/api/v1/imports/${jobId}/decisions`, {
      field: 'star',
      key: star.key,
      value: '4',
      remember: true,
    });
    expect(decided.statusCode, decided.body).toBe(200);
    expect(rowOf(decided.json(), 8)).toMatchObject({
      status: 'flagged',
      values: { star: 4 },
      matches: { star: { decision: { value: '4', remembered: false }, needsDecision: false } },
    });
    const audit = await t.database.db.execute(
      sql`select after from audit_log where action = 'import.decided' and entity_id = ${jobId}`,
    );
    expect((audit as unknown as { rows: { after: Record<string, unknown> }[] }).rows[0]?.after).toMatchObject(
      {
        field: 'star',
        value: '4',
        written: 'Bốn sao',
        rows: [8],
        remembered: true,
      },
    );
  });

  it('takes a decision among the candidates only, or any commune of the province when none', async () => {
    const wrong = await post(officer, `/api/v1/imports/${jobId}/rows/8/decision`, { communeCode: '13285' });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().error.fields.communeCode).toBeTruthy();
    const outside = await post(officer, `/api/v1/imports/${jobId}/rows/9/decision`, { communeCode: '00004' });
    expect(outside.statusCode).toBe(400);
    const notFlagged = await post(officer, `/api/v1/imports/${jobId}/rows/4/decision`, {
      communeCode: '13291',
    });
    expect(notFlagged.statusCode).toBe(409);
    const chosen = await post(officer, `/api/v1/imports/${jobId}/rows/8/decision`, { communeCode: '13330' });
    expect(chosen.statusCode, chosen.body).toBe(200);
    expect(chosen.json()).toMatchObject({
      status: 'warning',
      communeCode: '13330',
      decision: { communeCode: '13330' },
    });
    const any = await post(officer, `/api/v1/imports/${jobId}/rows/9/decision`, { communeCode: '13285' });
    expect(any.statusCode, any.body).toBe(200);
  });

  it('refuses to commit rows with errors unless told to skip them, then writes the rest', async () => {
    const before = await countCertificates();
    const refused = await post(officer, `/api/v1/imports/${jobId}/commit`, {});
    expect(refused.statusCode).toBe(409);
    expect(await countCertificates()).toBe(before);

    const { res, job, report } = await commit(officer, jobId, { skipRowsWithErrors: true });
    expect(res.statusCode, res.body).toBe(202);
    expect(job, JSON.stringify(job?.failure)).toMatchObject({
      status: 'committed',
      processedRows: 7,
      progress: null,
    });
    expect(report.job.counts).toMatchObject({ created: 4, updated: 0, unchanged: 0 });
    expect(await countCertificates()).toBe(before + 4);

    const certificate = await t.app.inject({
      method: 'GET',
      url: `/api/v1/certificates/${report.rows.find((r: { rowNumber: number }) => r.rowNumber === 4).certificateId}`,
      headers: officer,
    });
    expect(certificate.statusCode, certificate.body).toBe(200);
    expect(certificate.json()).toMatchObject({
      source: 'import',
      star: 4,
      decisionNumber: '12/QĐ-UBND',
      decisionDate: '2023-10-01',
      validTo: '2026-10-01',
      originalAddress: 'Xã Phù Vân, Thành phố Phủ Lý, tỉnh Hà Nam',
    });
    const district = await t.app.inject({
      method: 'GET',
      url: `/api/v1/certificates/${report.rows.find((r: { rowNumber: number }) => r.rowNumber === 9).certificateId}`,
      headers: officer,
    });
    // No decision number in the registry: none invented, the record is incomplete.
    expect(district.json()).toMatchObject({
      star: 3,
      issuer: { name: 'UBND huyện Kim Sơn', level: 'district' },
      decisionNumber: '',
    });
    expect(rowOf(report, 9)).toMatchObject({ incomplete: ['decisionNumber', 'legalRepresentative'] });
    const address: string = district.json().verificationUrl;
    const page = await t.app.inject({
      method: 'GET',
      url: address.replace(/^https?:\/\/[^/]+/, ''),
    });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('chưa có số quyết định');
    expect(page.body).not.toContain('không ghi');

    const again = await post(officer, `/api/v1/imports/${jobId}/commit`, { skipRowsWithErrors: true });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toContain('đã được ghi');
  });

  it('lists the imported records the registry left incomplete, to the province only', async () => {
    const res = await t.app.inject({ method: 'GET', url: '/api/v1/imports/incomplete', headers: officer });
    expect(res.statusCode, res.body).toBe(200);
    const mine = res.json().items.filter((i: { importId: string }) => i.importId === jobId);
    expect(mine).toEqual([
      expect.objectContaining({
        rowNumber: 9,
        productName: 'Mắm tép Kim Sơn',
        missing: expect.arrayContaining(['decisionNumber', 'legalRepresentative']),
        certificateId: expect.any(String),
      }),
    ]);
    const other = await t.app.inject({
      method: 'GET',
      url: `/api/v1/imports/incomplete?provinceCode=${NB}`,
      headers: hyOfficer,
    });
    expect(other.statusCode).toBe(403);
    const own = await t.app.inject({ method: 'GET', url: '/api/v1/imports/incomplete', headers: hyOfficer });
    expect(own.json().total).toBe(0);
    const all = await t.app.inject({
      method: 'GET',
      url: `/api/v1/imports/incomplete?provinceCode=${NB}&pageSize=1`,
      headers: admin,
    });
    expect(all.json()).toMatchObject({ pageSize: 1, items: [expect.anything()] });
    const commune = await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: '13291' });
    expect(
      (await t.app.inject({ method: 'GET', url: '/api/v1/imports/incomplete', headers: commune.headers }))
        .statusCode,
    ).toBe(403);
    const bad = await t.app.inject({
      method: 'GET',
      url: '/api/v1/imports/incomplete?pageSize=1000',
      headers: officer,
    });
    expect(bad.statusCode).toBe(400);
  });

  it('re-imports the same file as unchanged, with the remembered mapping, creating nothing', async () => {
    const certificates = await countCertificates();
    const subjects = await countSubjects();
    const res = await upload(officer, 'so-ocop-ninh-binh (1).xlsx', await messyWorkbook());
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().fromTemplate).toBe(true);
    const id = res.json().id;
    const dry = (await post(officer, `/api/v1/imports/${id}/dry-run`)).json();
    expect(dry.job.counts).toMatchObject({ created: 0, unchanged: 4, flagged: 0 });
    // The star decision was remembered for this layout: shown as remembered, not asked again.
    expect(rowOf(dry, 8)).toMatchObject({
      matches: { star: { kind: 'synonym', decision: { value: '4', remembered: true } } },
    });
    const done = await commit(officer, id, { skipRowsWithErrors: true });
    expect(done.job.counts).toMatchObject({ created: 0, updated: 0, unchanged: 4 });
    expect(await countCertificates()).toBe(certificates);
    expect(await countSubjects()).toBe(subjects);
  });

  it('re-imports a CSV copy with a corrected expiry as an update, never a duplicate', async () => {
    const certificates = await countCertificates();
    const csv =
      '\uFEFFTên sản phẩm;Chủ thể;Loại hình;Nhóm sản phẩm;Hạng sao;Số QĐ;Ngày QĐ;Ngày hết hạn;Cơ quan cấp;Địa chỉ;Người đại diện;MST\r\n' +
      '"Chè xanh Lam Hạ";"Công ty TNHH Trà Lam Hạ";Công ty TNHH;"Chè tươi, chè chế biến";4 sao;12/QĐ-UBND;2023-10-01;31/12/2026;UBND tỉnh Ninh Bình;"Phường Lam Hạ, thành phố Phủ Lý, Hà Nam";Lê Văn Bình;0600123451\r\n';
    const res = await upload(officer, 'cap-nhat.csv', Buffer.from(csv, 'utf8'));
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({ fileKind: 'csv', headerRows: 1, totalRows: 1 });
    const id = res.json().id;
    const dry = (await post(officer, `/api/v1/imports/${id}/dry-run`)).json();
    expect(rowOf(dry, 2)).toMatchObject({
      status: 'ok',
      action: 'update',
      values: { validTo: '2026-12-31' },
    });
    const done = await commit(officer, id, {});
    expect(done.job.counts).toMatchObject({ updated: 1 });
    expect(await countCertificates()).toBe(certificates);
    const certificateId = done.report.rows[0].certificateId;
    const certificate = (
      await t.app.inject({ method: 'GET', url: `/api/v1/certificates/${certificateId}`, headers: officer })
    ).json();
    expect(certificate).toMatchObject({ version: 2, validTo: '2026-12-31' });
  });
});

describe('a commit that fails', () => {
  const HEADER =
    'Tên sản phẩm,Chủ thể,Hạng sao,Số giấy chứng nhận,Số QĐ,Ngày QĐ,Cơ quan cấp,Nhóm sản phẩm,Địa chỉ\n';
  const ADDRESS = '"Phường Lam Hạ, thành phố Phủ Lý, Hà Nam"';

  it('changes nothing and names the row, and the next dry run reports the conflict', async () => {
    expect((await post(admin, '/api/v1/imports/not-a-uuid/dry-run')).statusCode).toBe(400);
    // Row 2 is new and fine; row 3's certificate number is free when checked…
    const csv =
      HEADER +
      `Nước mắm Hải Hậu,HTX Nước mắm Hải Hậu,4 sao,,20/QĐ-UBND,01/02/2024,UBND tỉnh Ninh Bình,"Tương, nước mắm, gia vị dạng lỏng khác",${ADDRESS}\n` +
      `Rượu nếp,HTX Rượu Phủ Lý,4 sao,NB-2024-0099,21/QĐ-UBND,01/02/2024,UBND tỉnh Ninh Bình,Rượu trắng,${ADDRESS}\n`;
    const res = await upload(officer, 'loi.csv', Buffer.from(csv, 'utf8'));
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    const dry = (await post(officer, `/api/v1/imports/${id}/dry-run`)).json();
    expect(dry.job.counts).toMatchObject({ error: 0, created: 2 });

    // …but an officer records a certificate with that number before this import is committed.
    const someone = (
      await t.app.inject({ method: 'GET', url: '/api/v1/certificates?pageSize=1', headers: officer })
    ).json().items[0];
    const issued = await post(officer, '/api/v1/certificates', {
      productId: someone.product.id,
      star: 4,
      ruleSetCode: '148-2023',
      issueKind: 'rerecognition',
      issuer: { name: 'UBND tỉnh Ninh Bình', level: 'province' },
      decisionNumber: '99/QĐ-UBND',
      decisionDate: '2024-02-01',
      number: 'NB-2024-0099',
    });
    expect(issued.statusCode, issued.body).toBe(201);

    const certificates = await countCertificates();
    const subjects = await countSubjects();
    const { job } = await commit(officer, id, {});
    expect(job).toMatchObject({
      status: 'failed',
      failure: { rowNumber: 3, interrupted: false },
      processedRows: 0,
    });
    expect(job.failure.message.vi).toMatch(/^Dòng 3: .*Không có dữ liệu nào được ghi\.$/);
    expect(job.failure.message.en).toMatch(/^Row 3: .*Nothing was written\.$/);
    // Row 2 was written before row 3 failed, and is gone with it.
    expect(await countSubjects()).toBe(subjects);
    expect(await countCertificates()).toBe(certificates);

    const again = (await post(officer, `/api/v1/imports/${id}/dry-run`)).json();
    expect(rowOf(again, 3)).toMatchObject({
      status: 'error',
      errors: [{ field: 'certificateNumber', code: 'taken' }],
    });
    expect(rowOf(again, 2)).toMatchObject({ status: 'warning', action: 'create', errors: [] });
  });
});

describe('a star the registry does not say', () => {
  it('is chosen among 3, 4 and 5, and a choice the issuer could not certify is said on the row', async () => {
    const csv =
      'Tên sản phẩm,Chủ thể,Loại hình,Nhóm sản phẩm,Hạng sao,Số QĐ,Ngày QĐ,Cơ quan cấp,Địa chỉ\n' +
      'Chả Phù Vân,HTX Chả Phù Vân,HTX,"Chế biến từ thịt, thủy sản, trứng, sữa, mật ong",đạt,60/QĐ-UBND,10/01/2025,UBND tỉnh Ninh Bình,"Xã Phù Vân, Thành phố Phủ Lý, tỉnh Hà Nam"\n';
    const id = (await upload(officer, 'sao.csv', Buffer.from(csv, 'utf8'))).json().id;
    const dry = (await post(officer, `/api/v1/imports/${id}/dry-run`)).json();
    expect(rowOf(dry, 2)).toMatchObject({
      status: 'flagged',
      matches: { star: { kind: 'none', value: null } },
    });
    const question = dry.questions.find((q: { field: string }) => q.field === 'star');
    expect(question.candidates.map((c: { value: string }) => c.value)).toEqual(['3', '4', '5']);
    const decide = (value: string) =>
      post(officer, `/api/v1/imports/${id}/decisions`, { field: 'star', key: question.key, value });
    expect((await decide('2')).statusCode).toBe(400);
    // Under 148/QĐ-TTg a province certified 4★, not 3★.
    const three = (await decide('3')).json();
    expect(rowOf(three, 2)).toMatchObject({
      status: 'error',
      errors: [{ field: 'issuer', code: 'starNotCertifiedByLevel' }],
    });
    const four = (await decide('4')).json();
    expect(rowOf(four, 2)).toMatchObject({ status: 'warning', errors: [], values: { star: 4 } });
  });
});

describe('a registry that writes the current commune beside the old address', () => {
  it('checks it against the official conversion: agreeing passes, a conflict is a question with both', async () => {
    const name = async (code: string) =>
      (
        await t.app.inject({ method: 'GET', url: `/api/v1/admin-units/communes/${code}`, headers: officer })
      ).json().name as string;
    const phuVan = await name('13291');
    const other = await name('13285');
    const csv =
      'Tên sản phẩm,Chủ thể,Loại hình,Nhóm sản phẩm,Hạng sao,Số QĐ,Ngày QĐ,Cơ quan cấp,Địa chỉ,Xã sau sáp nhập\n' +
      `Bún Phù Vân,HTX Bún Phù Vân,HTX,"Chế biến từ gạo, ngũ cốc",4 sao,50/QĐ-UBND,10/01/2025,UBND tỉnh Ninh Bình,"Xã Phù Vân, Thành phố Phủ Lý, tỉnh Hà Nam",${phuVan}\n` +
      `Bánh Phù Vân,HTX Bánh Phù Vân,HTX,"Chế biến từ gạo, ngũ cốc",4 sao,51/QĐ-UBND,10/01/2025,UBND tỉnh Ninh Bình,"Xã Phù Vân, Thành phố Phủ Lý, tỉnh Hà Nam",${other}\n`;
    const job = (await upload(officer, 'xa-moi.csv', Buffer.from(csv, 'utf8'))).json();
    const mapping = { ...job.suggestedMapping, currentCommune: 9 };
    delete mapping.commune;
    const mapped = await t.app.inject({
      method: 'PUT',
      url: `/api/v1/imports/${job.id}/mapping`,
      headers: officer,
      payload: { mapping, remember: false },
    });
    expect(mapped.statusCode, mapped.body).toBe(200);
    const report = (await post(officer, `/api/v1/imports/${job.id}/dry-run`)).json();
    // A warning only for the legal representative the registry does not name.
    expect(rowOf(report, 2)).toMatchObject({
      status: 'warning',
      communeCode: '13291',
      matches: { commune: { kind: 'exact', value: '13291', notes: ['currentCommuneAgrees'] } },
    });
    const conflict = rowOf(report, 3);
    expect(conflict).toMatchObject({
      status: 'flagged',
      communeCode: null,
      matches: { commune: { value: null, notes: ['currentCommuneConflict'] } },
    });
    expect(conflict.warnings.map((w) => `${w.field}.${w.code}`)).toContain('address.currentCommuneConflict');
    const question = report.questions.find((q: { field: string }) => q.field === 'commune');
    expect(question.candidates.map((c: { value: string }) => c.value)).toEqual(['13291', '13285']);
    expect(question.evidence).toEqual([other]);
  });
});

describe('a commit whose process stopped', () => {
  it('is recorded as interrupted once no running commit holds it, with nothing written', async () => {
    const csv =
      'Tên sản phẩm,Chủ thể,Hạng sao,Số QĐ,Ngày QĐ,Cơ quan cấp,Nhóm sản phẩm,Địa chỉ\n' +
      'Giò lụa Phù Vân,HTX Giò Phù Vân,4 sao,40/QĐ-UBND,10/01/2025,UBND tỉnh Ninh Bình,"Chế biến từ thịt, thủy sản, trứng, sữa, mật ong","Xã Phù Vân, Thành phố Phủ Lý, tỉnh Hà Nam"\n';
    const id = (await upload(officer, 'dung.csv', Buffer.from(csv, 'utf8'))).json().id;
    expect((await post(officer, `/api/v1/imports/${id}/dry-run`)).statusCode).toBe(200);
    const certificates = await countCertificates();
    // What a process leaves when it stops mid-commit: the job claimed, its transaction rolled back.
    // While another instance still holds the job's lock, the commit counts as running.
    const holder = await t.database.pool.connect();
    try {
      await holder.query('select pg_advisory_lock(hashtextextended($1, 0))', [`import-commit:${id}`]);
      await t.database.db
        .update(importJobs)
        .set({
          status: 'committing',
          commitRequestedAt: new Date(),
          commitClaimedAt: new Date(),
          commitStartedAt: new Date(),
          processedRows: 1,
        })
        .where(eq(importJobs.id, id));
      const running = (
        await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: officer })
      ).json();
      expect(running).toMatchObject({ status: 'committing', progress: { done: 1, total: 1 } });
      expect((await post(officer, `/api/v1/imports/${id}/commit`, {})).statusCode).toBe(409);
      expect((await post(officer, `/api/v1/imports/${id}/dry-run`)).statusCode).toBe(409);
      // The reading the commit works from cannot change under it.
      const remap = await t.app.inject({
        method: 'PUT',
        url: `/api/v1/imports/${id}/mapping`,
        headers: officer,
        payload: { mapping: running.mapping },
      });
      expect(remap.statusCode).toBe(409);
    } finally {
      await holder.query('select pg_advisory_unlock_all()');
      holder.release();
    }
    const job = (
      await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: officer })
    ).json();
    expect(job).toMatchObject({
      status: 'failed',
      processedRows: 0,
      progress: null,
      failure: { rowNumber: null, interrupted: true, message: { vi: expect.stringContaining('gián đoạn') } },
    });
    expect(await countCertificates()).toBe(certificates);
    // It can be committed again, and then is.
    const again = await commit(officer, id, {});
    expect(again.job).toMatchObject({ status: 'committed', failure: null });
    expect(await countCertificates()).toBe(certificates + 1);
  });
});

describe('a product listed twice', () => {
  it('records the later decision as an upgrade of the certificate still in force', async () => {
    const csv =
      'Tên sản phẩm,Chủ thể,Hạng sao,Số QĐ,Ngày QĐ,Cơ quan cấp,Nhóm sản phẩm,Địa chỉ\n' +
      'Nem chua Phù Vân,HTX Nem Phù Vân,4 sao,30/QĐ-UBND,10/01/2025,UBND tỉnh Ninh Bình,"Chế biến từ thịt, thủy sản, trứng, sữa, mật ong","Xã Phù Vân, Thành phố Phủ Lý, tỉnh Hà Nam"\n' +
      'Nem chua Phù Vân,HTX Nem Phù Vân,3 sao,7/QĐ-UBND,10/01/2024,UBND thành phố Phủ Lý,"Chế biến từ thịt, thủy sản, trứng, sữa, mật ong","Xã Phù Vân, Thành phố Phủ Lý, tỉnh Hà Nam"\n';
    const res = await upload(officer, 'nem.csv', Buffer.from(csv, 'utf8'));
    expect(res.statusCode, res.body).toBe(201);
    const id = res.json().id;
    const dry = (await post(officer, `/api/v1/imports/${id}/dry-run`)).json();
    expect(dry.job.counts).toMatchObject({ error: 0, created: 2 });
    const done = await commit(officer, id, {});
    expect(done.job.status).toBe('committed');
    const get = async (rowNumber: number) =>
      (
        await t.app.inject({
          method: 'GET',
          url: `/api/v1/certificates/${done.report.rows.find((r: { rowNumber: number }) => r.rowNumber === rowNumber).certificateId}`,
          headers: officer,
        })
      ).json();
    const later = await get(2);
    const earlier = await get(3);
    expect(earlier).toMatchObject({ star: 3, issuer: { level: 'district' }, status: 'superseded' });
    expect(later).toMatchObject({ star: 4, issueKind: 'upgrade', supersedesId: earlier.id });
  });
});

describe('a workbook with several sheets', () => {
  async function twoYears(): Promise<Buffer> {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Hướng dẫn').getCell('A1').value = 'Điền mỗi sản phẩm một dòng.';
    const years: [string, string[][]][] = [
      ['Năm 2024', [['Miến dong Ba Vì', 'HTX Miến Ba Vì', '3 sao', '12/QĐ-UBND', '03/05/2024']]],
      [
        'Năm 2023',
        [
          ['Chè lam Kim Sơn', 'Cơ sở Chè lam Kim Sơn', '3 sao', '8/QĐ-UBND', '10/04/2023'],
          ['Nem chua Kim Sơn', 'Cơ sở Nem Kim Sơn', '4 sao', '9/QĐ-UBND', '10/04/2023'],
        ],
      ],
    ];
    for (const [name, rows] of years) {
      const sheet = workbook.addWorksheet(name);
      sheet.addRow(['Tên sản phẩm', 'Chủ thể', 'Hạng sao', 'Số QĐ', 'Ngày QĐ', 'Cơ quan cấp', 'Tỉnh']);
      for (const row of rows) sheet.addRow([...row, 'UBND tỉnh Ninh Bình', 'Ninh Bình']);
    }
    return Buffer.from(await workbook.xlsx.writeBuffer());
  }
  const chooseSheet = (headers: Record<string, string>, id: string, sheetName: string) =>
    t.app.inject({ method: 'PUT', url: `/api/v1/imports/${id}/sheet`, headers, payload: { sheetName } });

  it('lists every sheet, reads another on request, and refuses a sheet it does not have', async () => {
    const first = await upload(officer, 'hai-nam.xlsx', await twoYears());
    expect(first.statusCode, first.body).toBe(201);
    const job = first.json();
    expect(job.sheetNames).toEqual(['Hướng dẫn', 'Năm 2024', 'Năm 2023']);
    expect(job).toMatchObject({ sheetName: 'Năm 2024', totalRows: 1 });
    expect((await post(officer, `/api/v1/imports/${job.id}/dry-run`)).statusCode).toBe(200);

    const other = await chooseSheet(officer, job.id, 'Năm 2023');
    expect(other.statusCode, other.body).toBe(200);
    expect(other.json()).toMatchObject({
      sheetName: 'Năm 2023',
      totalRows: 2,
      status: 'uploaded',
      counts: null,
    });
    const report = (await post(officer, `/api/v1/imports/${job.id}/dry-run`)).json();
    expect(report.rows.map((r: { values: { productName: string } }) => r.values.productName)).toEqual([
      'Chè lam Kim Sơn',
      'Nem chua Kim Sơn',
    ]);

    const missing = await chooseSheet(officer, job.id, 'Năm 2022');
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields).toHaveProperty('sheetName');
    // A sheet without a header is refused and the job keeps the sheet it had.
    expect((await chooseSheet(officer, job.id, 'Hướng dẫn')).statusCode).toBe(400);
    const after = (
      await t.app.inject({ method: 'GET', url: `/api/v1/imports/${job.id}`, headers: officer })
    ).json();
    expect(after).toMatchObject({ sheetName: 'Năm 2023', totalRows: 2 });

    // Another province's officer does not see the import at all.
    expect((await chooseSheet(hyOfficer, job.id, 'Năm 2024')).statusCode).toBe(404);
    const audit = await t.database.db.execute(
      sql`select count(*)::int as n from audit_log where action = 'import.sheet_chosen' and entity_id = ${job.id}`,
    );
    expect((audit as unknown as { rows: { n: number }[] }).rows[0]).toEqual({ n: 1 });
  });
});

describe('bad files', () => {
  it('answers 415 for a file that is not a spreadsheet', async () => {
    const pdf = Buffer.from('%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n');
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]);
    const zip = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0, 8, 0, 0x61, 0x2e, 0x74, 0x78, 0x74]);
    const xls = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0]);
    for (const [name, bytes] of [
      ['so.xlsx', pdf],
      ['so.csv', png],
      ['so.xlsx', zip],
      ['so.xls', xls],
      ['so.csv', Buffer.from('chỉ một dòng chữ không có dấu phân cách')],
    ] as const) {
      const res = await upload(officer, name, bytes);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(415);
      expect(res.json().error.code).toBe('UNSUPPORTED_MEDIA');
    }
  });

  it('refuses a workbook that would unpack to gigabytes (a zip bomb) before unpacking it, changing nothing', async () => {
    // A local header and a central directory for "xl/workbook.xml" declaring 3 GB uncompressed.
    const name = Buffer.from('xl/workbook.xml');
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(name.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt32LE(3_000_000_000, 24);
    central.writeUInt16LE(name.length, 28);
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(1, 8);
    end.writeUInt16LE(1, 10);
    end.writeUInt32LE(central.length + name.length, 12);
    end.writeUInt32LE(local.length + name.length, 16);
    const before = await t.database.db.$count(importJobs);
    const res = await upload(officer, 'so.xlsx', Buffer.concat([local, name, central, name, end]));
    expect(res.statusCode, res.body).toBe(413);
    expect(res.json().error.fields.file).toContain('200 MB');
    expect(await t.database.db.$count(importJobs)).toBe(before);
  });

  it('answers 400 for a spreadsheet without a recognisable header, and for an upload without a file', async () => {
    const res = await upload(officer, 'so.csv', Buffer.from('a,b,c\n1,2,3\n'));
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields.file).toBeTruthy();
    const none = await t.app.inject({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { ...officer, 'content-type': 'multipart/form-data; boundary=x' },
      payload: '--x\r\nContent-Disposition: form-data; name="note"\r\n\r\nxin chào\r\n--x--\r\n',
    });
    expect(none.statusCode).toBe(400);
  });
});

describe('who may import', () => {
  it('lets only province officers of the province and administrators', async () => {
    const book = await messyWorkbook(ROWS.slice(0, 2));
    const own = await upload(officer, 'a.xlsx', book);
    expect(own.statusCode).toBe(201);
    const id = own.json().id;

    const otherProvince = await upload(hyOfficer, 'a.xlsx', book, `?provinceCode=${NB}`);
    expect(otherProvince.statusCode).toBe(403);
    const hidden = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: hyOfficer });
    expect(hidden.statusCode).toBe(404);
    expect((await post(hyOfficer, `/api/v1/imports/${id}/dry-run`)).statusCode).toBe(404);
    expect((await post(hyOfficer, `/api/v1/imports/${id}/commit`, {})).statusCode).toBe(404);

    const adminWithout = await upload(admin, 'a.xlsx', book);
    expect(adminWithout.statusCode).toBe(400);
    expect(adminWithout.json().error.fields.provinceCode).toBeTruthy();
    const adminWith = await upload(admin, 'a.xlsx', book, `?provinceCode=${NB}`);
    expect(adminWith.statusCode).toBe(201);
    expect(
      (await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: admin })).statusCode,
    ).toBe(200);

    const commune = await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: '13291' });
    const producer = await t.as({ role: 'producer' });
    const council = await t.as({ role: 'council_member' });
    for (const { headers } of [commune, producer, council]) {
      expect((await upload(headers, 'a.xlsx', book)).statusCode).toBe(403);
      expect((await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers })).statusCode).toBe(
        403,
      );
      expect((await post(headers, `/api/v1/imports/${id}/dry-run`)).statusCode).toBe(403);
    }
    const anonymous = await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}` });
    expect(anonymous.statusCode).toBe(401);
  });
});
