import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../src/db/client';
import { setBulkWrites } from '../../src/modules/imports/commit-job';
import { startSecondInstance } from '../support/second-instance';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * The import commit writes new rows in bulk (multi-row INSERTs of subjects, products and
 * certificates, numbers allocated as a block, audit entries in one batch). The same registry file
 * committed row by row (through the services, as before) and in bulk writes the same records;
 * two commits running at once on two instances never share or skip a certificate number.
 */

const NB = '37';
type App = TestContext['app'];

/** A registry of `rows` rows: two products a subject, and one product listed again (re-recognised). */
function registryCsv(rows: number, batch: string): Buffer {
  const communes = [
    'Xã Gia Viễn, tỉnh Ninh Bình',
    'Phường Hoa Lư, tỉnh Ninh Bình',
    'Xã Kim Sơn, tỉnh Ninh Bình',
  ];
  const lines = [
    'STT,Tên sản phẩm,Chủ thể,Loại hình,Nhóm sản phẩm,Hạng sao,Số quyết định,Ngày quyết định,Cơ quan cấp,Địa chỉ',
  ];
  const line = (cells: (string | number)[]) => cells.map((c) => `"${c}"`).join(',');
  for (let i = 1; i <= rows; i++) {
    const subject = Math.ceil(i / 2);
    lines.push(
      line([
        i,
        `Gạo nếp cái hoa vàng ${batch} số ${i}`,
        `Hợp tác xã Nông nghiệp ${batch} số ${subject}`,
        'Hợp tác xã',
        'Gạo, ngũ cốc, hạt sơ chế khác',
        '4 sao',
        `${100 + i}/QĐ-UBND`,
        `${String(1 + (i % 28)).padStart(2, '0')}/03/2024`,
        'UBND tỉnh Ninh Bình',
        communes[subject % communes.length]!,
      ]),
    );
  }
  // The first product again, re-recognised later the same year: a second certificate of a product the file made.
  lines.push(
    line([
      rows + 1,
      `Gạo nếp cái hoa vàng ${batch} số 1`,
      `Hợp tác xã Nông nghiệp ${batch} số 1`,
      'Hợp tác xã',
      'Gạo, ngũ cốc, hạt sơ chế khác',
      '4 sao',
      '999/QĐ-UBND',
      '20/11/2024',
      'UBND tỉnh Ninh Bình',
      communes[1]!,
    ]),
  );
  return Buffer.from(`${lines.join('\n')}\n`);
}

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

/** Upload and dry run; returns the job id (every row is to be created). */
async function prepare(app: App, headers: Record<string, string>, content: Buffer, rows: number) {
  const body = multipart('so-dang-ky.csv', content);
  const uploaded = await app.inject({
    method: 'POST',
    url: '/api/v1/imports',
    headers: { ...headers, 'content-type': body.contentType },
    payload: body.payload,
  });
  expect(uploaded.statusCode, uploaded.body).toBe(201);
  const id = uploaded.json().id as string;
  const dry = await app.inject({
    method: 'POST',
    url: `/api/v1/imports/${id}/dry-run`,
    headers,
    payload: {},
  });
  expect(dry.statusCode, dry.body).toBe(200);
  expect(dry.json().job.counts).toMatchObject({ rows, error: 0, flagged: 0 });
  return id;
}

async function startCommit(app: App, headers: Record<string, string>, id: string) {
  const res = await app.inject({ method: 'POST', url: `/api/v1/imports/${id}/commit`, headers, payload: {} });
  expect(res.statusCode, res.body).toBe(202);
}

async function waitCommitted(app: App, headers: Record<string, string>, id: string) {
  for (let i = 0; i < 1200; i++) {
    const job = (await app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers })).json();
    if (job.status !== 'committing') return job;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('the commit did not end');
}

/** What the commit wrote, without ids and times: what must be the same both ways. */
async function written(database: Database) {
  const rows = async (query: ReturnType<typeof sql>) =>
    ((await database.db.execute(query)) as unknown as { rows: Record<string, unknown>[] }).rows;
  return {
    subjects: await rows(sql`select name, type, tax_code, address, commune_code, legal_representative,
      legal_representative_gender, woman_led, version, archived_at is null as live from subjects order by name`),
    products:
      await rows(sql`select s.name as subject, p.name, p.taxonomy_scheme, p.category_code, p.commune_code,
      p.description, p.version from products p join subjects s on s.id = p.subject_id order by p.name`),
    certificates: await rows(sql`select c.number, c.version, c.product_name, c.subject_name, c.province_code,
      c.commune_code, c.original_address, c.taxonomy_scheme, c.category_code, c.star, c.rule_set_code,
      c.issue_kind, c.issuer_name, c.issuer_level, c.decision_number, c.decision_date::text, c.valid_from::text,
      c.valid_to::text, c.recognition_year, s.number as supersedes, c.source, c.source_ref
      from certificates c left join certificates s on s.id = c.supersedes_id order by c.number`),
    rows: await rows(sql`select row_number, status, action, certificate_id is not null as has_certificate
      from import_rows order by row_number`),
    links: await rows(sql`select l.source_ref, l.certificate_number, l.fingerprint, p.name as product
      from import_links l join products p on p.id = l.product_id order by l.source_ref`),
    audits: await rows(sql`select action, entity_type, count(*)::int as n from audit_log
      where action not like 'user.%' and action not like 'session.%' and action not like 'auth.%'
      group by action, entity_type order by action, entity_type`),
  };
}

describe('the bulk commit', () => {
  let bulk: TestContext;
  let single: TestContext;

  beforeAll(async () => {
    [bulk, single] = await Promise.all([createTestContext(), createTestContext()]);
  });
  afterAll(async () => {
    setBulkWrites(true);
    await Promise.all([bulk.close(), single.close()]);
  });

  it('writes the same subjects, products, certificates, row outcomes and audit entries as the row-by-row commit', async () => {
    const content = registryCsv(24, 'Yên Mô');
    const results = [];
    for (const [t, bulkOn] of [
      [single, false],
      [bulk, true],
    ] as const) {
      const headers = (await t.as({ role: 'province_officer', provinceCode: NB, email: 'officer@ocop.test' }))
        .headers;
      const id = await prepare(t.app, headers, content, 25);
      setBulkWrites(bulkOn);
      await startCommit(t.app, headers, id);
      const job = await waitCommitted(t.app, headers, id);
      setBulkWrites(true);
      expect(job).toMatchObject({ status: 'committed', failure: null });
      results.push(await written(t.database));
    }
    const [byRow, inBulk] = results;
    expect(inBulk!.subjects).toHaveLength(12);
    expect(inBulk!.products).toHaveLength(24);
    expect(inBulk!.certificates).toHaveLength(25);
    expect(inBulk!.certificates.filter((c) => c.issue_kind === 'rerecognition')).toHaveLength(1);
    expect(inBulk).toEqual(byRow);
    // One audit entry per record, as before.
    const count = (action: string) => inBulk!.audits.find((a) => a.action === action)?.n;
    expect(count('subject.created')).toBe(12);
    expect(count('product.created')).toBe(24);
    expect(count('certificate.issued')).toBe(25);
    expect(count('import.row.created')).toBe(25);
  });
});

describe('two commits at once', () => {
  let t: TestContext;
  beforeAll(async () => {
    t = await createTestContext();
  });
  afterAll(async () => t.close());

  it('on two instances, number their certificates of the same province and year without gap or duplicate', async () => {
    const other = await startSecondInstance(t);
    try {
      const headers = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
      const [a, b] = [
        await prepare(t.app, headers, registryCsv(60, 'Nho Quan'), 61),
        await prepare(t.app, headers, registryCsv(60, 'Tam Điệp'), 61),
      ];
      await Promise.all([startCommit(t.app, headers, a), startCommit(other.app, headers, b)]);
      const jobs = await Promise.all([
        waitCommitted(t.app, headers, a),
        waitCommitted(other.app, headers, b),
      ]);
      for (const job of jobs) expect(job).toMatchObject({ status: 'committed', failure: null });
      const { rows } = (await t.database.db.execute(
        sql`select number from certificates where province_code = ${NB}`,
      )) as unknown as { rows: { number: string }[] };
      expect(rows).toHaveLength(122);
      expect(new Set(rows.map((r) => r.number)).size).toBe(122);
      // The sequence numbers (the last digits group of the pattern) run 1..122 with no hole.
      const { rows: seq } = (await t.database.db.execute(
        sql`select last_value from certificate_number_sequences where province_code = ${NB} and year = 2024`,
      )) as unknown as { rows: { last_value: number }[] };
      expect(seq[0]?.last_value).toBe(122);
    } finally {
      await other.close();
    }
  });
});
