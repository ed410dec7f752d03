import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditLog } from '../../src/modules/audit/schema';
import type { RuleSetView, SheetSummary } from '../../src/modules/criteria/contract';
import type { CycleView, DocumentView, DossierView } from '../../src/modules/evaluation/contract';
import { evaluationDossierDocuments } from '../../src/modules/evaluation/schema';
import { products } from '../../src/modules/products/schema';
import { subjects } from '../../src/modules/subjects/schema';
import { PDF_LIMITS } from '../../src/server/evidence-files';
import { localDate } from '../../src/shared/dates';
import {
  ACTIVE_CONTENT,
  APPENDED_HTML,
  buildPdf,
  cleanPdf,
  escapedEntry,
  jpegWithGps,
  objectStream,
  pdfWith,
  pdfWithObjectStream,
  pngDeclaring,
  smallJpeg,
  smallPng,
} from '../support/evidence-fixtures';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * Dossier evidence through the upload route: PDFs with active content (plain, `#xx`-escaped,
 * inside compressed object streams) or a broken frame refused with 422 and nothing stored (no
 * row, no file, no audit entry); images re-encoded before storage (appended HTML and EXIF GPS
 * gone, a decompression bomb refused from its declared size); good files stored and served as
 * attachments with nosniff; roles that may not upload still get 403 whatever the file holds.
 */
type Headers = Record<string, string>;
const NB = '37';
const NB_A = '13285';
const NEXT_YEAR = Number(localDate(new Date(), 'Asia/Ho_Chi_Minh').slice(0, 4)) + 1;
const MAX_UPLOAD = 2 * 1024 * 1024;

let t: TestContext;
let admin: Headers;
let officer: Headers;
let commune: Headers;
let producer: Headers;
let otherProducer: Headers;
let subjectId: string;
let cycle: CycleView;

const api = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Headers, payload?: unknown) =>
  t.app.inject({
    method,
    url: `/api/v1${url}`,
    headers,
    ...(payload === undefined ? {} : { payload: payload as Record<string, unknown> }),
  });

async function ok<T>(promise: ReturnType<typeof api>, status = 200): Promise<T> {
  const response = await promise;
  expect(response.statusCode, response.body).toBe(status);
  return response.json() as T;
}

function upload(
  headers: Headers,
  dossierId: string,
  content: Buffer,
  filename = 'ho-so.pdf',
  item = 'mau-01',
) {
  const boundary = `----ocop${randomUUID().replace(/-/g, '')}`;
  const payload = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\n` +
        'Content-Type: application/octet-stream\r\n\r\n',
    ),
    content,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return t.app.inject({
    method: 'POST',
    url: `/api/v1/evaluation/dossiers/${dossierId}/documents?item=${item}`,
    headers: { ...headers, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

async function newDossier(): Promise<string> {
  const [product] = await t.database.db
    .insert(products)
    .values({
      subjectId,
      name: `Trà sen ${randomUUID().slice(0, 6)}`,
      taxonomyScheme: '2026',
      categoryCode: '1',
      communeCode: NB_A,
    })
    .returning();
  const dossier = await ok<DossierView>(
    api('POST', `/evaluation/cycles/${cycle.id}/dossiers`, producer, {
      productId: product!.id,
      evaluationType: 'new',
    }),
    201,
  );
  return dossier.id;
}

const dossierDir = (dossierId: string) => path.join(t.dataDir, 'uploads', 'dossiers', dossierId);

/** What the dossier holds in storage: document rows (removed ones too), files, audit entries of additions. */
async function storedFor(dossierId: string) {
  const rows = await t.database.db
    .select()
    .from(evaluationDossierDocuments)
    .where(eq(evaluationDossierDocuments.dossierId, dossierId));
  const files = fs.existsSync(dossierDir(dossierId)) ? fs.readdirSync(dossierDir(dossierId)) : [];
  const audits = await t.database.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.entityId, dossierId), eq(auditLog.action, 'evaluation.dossier.document_added')));
  return { rows: rows.length, files, audits: audits.length };
}

/** The upload is refused with `status` and `code` in the one error shape, on the `file` field. */
async function expectRefused(
  response: Awaited<ReturnType<typeof upload>>,
  status: number,
  code: string,
): Promise<{ message: string }> {
  expect(response.statusCode, response.body).toBe(status);
  const body = response.json() as {
    error: { code: string; message: string; fields?: Record<string, string> };
  };
  expect(Object.keys(body)).toEqual(['error']);
  expect(body.error.code).toBe(code);
  expect(Object.keys(body.error.fields ?? {})).toEqual(['file']);
  expect(body.error.fields!.file).toBe(body.error.message);
  return body.error;
}

async function download(dossierId: string, documentId: string, headers: Headers = commune) {
  const response = await api('GET', `/evaluation/dossiers/${dossierId}/documents/${documentId}`, headers);
  expect(response.statusCode, response.body).toBe(200);
  expect(response.headers['x-content-type-options']).toBe('nosniff');
  expect(String(response.headers['content-disposition'])).toMatch(/^attachment; /);
  return response;
}

beforeAll(async () => {
  t = await createTestContext({ UPLOAD_MAX_BYTES: String(MAX_UPLOAD) });
  const [subject] = await t.database.db
    .insert(subjects)
    .values({
      name: 'HTX Trà sen Tây Hồ',
      type: 'cooperative',
      address: 'Thôn 2',
      communeCode: NB_A,
      legalRepresentative: 'Trần Văn Bình',
      legalRepresentativeGender: 'male',
    })
    .returning();
  subjectId = subject!.id;
  admin = (await t.as({ role: 'system_admin' })).headers;
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
  commune = (await t.as({ role: 'commune_officer', provinceCode: NB, communeCode: NB_A })).headers;
  producer = (await t.as({ role: 'producer', subjectIds: [subjectId] })).headers;
  otherProducer = (await t.as({ role: 'producer', subjectIds: [] })).headers;
  const list = await ok<{ items: { id: string }[] }>(
    api('GET', '/criteria/rule-sets?code=26-2026&status=draft', admin),
  );
  const draft = await ok<RuleSetView>(api('GET', `/criteria/rule-sets/${list.items[0]!.id}`, admin));
  const withSheets = await ok<RuleSetView>(
    api('PATCH', `/criteria/rule-sets/${draft.id}/parameters`, admin, {
      version: draft.version,
      minimumSheets: 3,
    }),
  );
  await ok(api('POST', `/criteria/rule-sets/${draft.id}/activate`, admin, { version: withSheets.version }));
  const sheets = await ok<{ items: SheetSummary[] }>(api('GET', '/criteria/sheets', admin));
  const sheet = sheets.items.find((s) => s.code === '26-2026.demo.1' && s.status === 'draft')!;
  await ok(api('POST', `/criteria/sheets/${sheet.id}/activate`, admin, { version: sheet.version }));
  cycle = await ok<CycleView>(
    api('POST', '/evaluation/cycles', officer, {
      level: 'province',
      year: NEXT_YEAR,
      round: 1,
      ruleSetCode: '26-2026',
      submissionDeadline: `${NEXT_YEAR}-06-30`,
    }),
    201,
  );
});
afterAll(async () => t.close());

describe('PDF evidence', () => {
  it('refuses every kind of active content, plain, hex-escaped and in object streams, storing nothing', async () => {
    const dossierId = await newDossier();
    for (const entry of ACTIVE_CONTENT) {
      const escaped = escapedEntry(entry);
      const variants = [
        { pdf: pdfWith(entry.catalog), name: entry.name },
        { pdf: pdfWith(escaped.catalog), name: escaped.name },
        { pdf: pdfWithObjectStream(entry.catalog), name: entry.name },
        { pdf: pdfWithObjectStream(escaped.catalog), name: escaped.name },
      ];
      for (const { pdf, name } of variants) {
        const error = await expectRefused(await upload(producer, dossierId, pdf), 422, 'UNSAFE_FILE');
        expect(error.message).toContain(`(${name}`);
        expect(error.message).toContain('in lại ra PDF');
      }
    }
    expect(await storedFor(dossierId)).toEqual({ rows: 0, files: [], audits: 0 });
  });

  it('says what was found and how to fix it, in English when asked', async () => {
    const dossierId = await newDossier();
    const response = await upload(
      { ...producer, 'accept-language': 'en' },
      dossierId,
      pdfWithObjectStream('/OpenAction << /S /J#61vaScript /JS (app.alert(1)) >>'),
    );
    const error = await expectRefused(response, 422, 'UNSAFE_FILE');
    expect(error.message).toBe(
      'The PDF holds an action run when the file opens (/OpenAction, inside a compressed object stream) and ' +
        'is not accepted as dossier evidence. Open the original and print it to PDF again (Print → Save as PDF, ' +
        'or Microsoft Print to PDF), then upload the new file.',
    );
  });

  it('refuses a broken frame: HTML after %%EOF, no %%EOF, an unterminated stream, storing nothing', async () => {
    const dossierId = await newDossier();
    const html = await expectRefused(
      await upload(producer, dossierId, pdfWith('', [], { after: APPENDED_HTML })),
      422,
      'UNSAFE_FILE',
    );
    expect(html.message).toContain('HTML');
    const cut = await expectRefused(
      await upload(producer, dossierId, cleanPdf().subarray(0, -7)),
      422,
      'UNSAFE_FILE',
    );
    expect(cut.message).toContain('%%EOF');
    const unterminated = Buffer.from('%PDF-1.7\n1 0 obj\n<< /Length 99 >>\nstream\nabc\n%%EOF\n', 'latin1');
    await expectRefused(await upload(producer, dossierId, unterminated), 422, 'UNSAFE_FILE');
    expect(await storedFor(dossierId)).toEqual({ rows: 0, files: [], audits: 0 });
  });

  it('refuses an object stream that inflates past the bound, and one it cannot read', async () => {
    const dossierId = await newDossier();
    const spaces = Buffer.alloc(PDF_LIMITS.maxInflatedBytes + 1, 0x20).toString('latin1');
    const bomb = buildPdf([['<< /Type /Catalog >>'], objectStream([spaces], 2)]);
    expect(bomb.length).toBeLessThan(MAX_UPLOAD);
    const tooComplex = await expectRefused(await upload(producer, dossierId, bomb), 422, 'UNSAFE_FILE');
    expect(tooComplex.message).toContain('quá phức tạp');
    const encrypted = buildPdf(
      [['<< /Type /Catalog >>'], objectStream(['<< >>'], 2), ['<< /Filter /Standard >>']],
      {
        trailer: '/Encrypt 3 0 R',
      },
    );
    const unreadable = await expectRefused(await upload(producer, dossierId, encrypted), 422, 'UNSAFE_FILE');
    expect(unreadable.message).toContain('mã hóa');
    expect(await storedFor(dossierId)).toEqual({ rows: 0, files: [], audits: 0 });
  });

  it('stores a clean PDF unchanged (with object streams, or opening on a page) and serves it as an attachment', async () => {
    const dossierId = await newDossier();
    const pdfs = [cleanPdf(), pdfWithObjectStream('/OpenAction 6 0 R', ['<< /S /GoTo /D [3 0 R /Fit] >>'])];
    for (const pdf of pdfs) {
      const stored = await ok<DocumentView>(upload(producer, dossierId, pdf, 'Phiếu đăng ký.pdf'), 201);
      expect(stored).toMatchObject({
        mimeType: 'application/pdf',
        bytes: pdf.length,
        sha256: createHash('sha256').update(pdf).digest('hex'),
      });
      expect(fs.readFileSync(path.join(dossierDir(dossierId), `${stored.id}.pdf`))).toEqual(pdf);
      const served = await download(dossierId, stored.id);
      expect(served.headers['content-type']).toBe('application/pdf');
      expect(served.rawPayload).toEqual(pdf);
    }
    expect(await storedFor(dossierId)).toMatchObject({ rows: 2, audits: 2 });
  });
});

describe('image evidence', () => {
  it('refuses a PNG declaring 30000×30000 pixels with 413, storing nothing', async () => {
    const dossierId = await newDossier();
    const bomb = pngDeclaring(30_000, 30_000);
    const error = await expectRefused(
      await upload(producer, dossierId, bomb, 'anh.png'),
      413,
      'PAYLOAD_TOO_LARGE',
    );
    expect(error.message).toContain('50 triệu điểm ảnh');
    expect(await storedFor(dossierId)).toEqual({ rows: 0, files: [], audits: 0 });
  });

  it('refuses an image that does not decode (truncated JPEG, a bare PNG signature) with 415', async () => {
    const dossierId = await newDossier();
    const jpeg = await smallJpeg();
    await expectRefused(
      await upload(producer, dossierId, jpeg.subarray(0, jpeg.length / 2), 'anh.jpg'),
      415,
      'UNSUPPORTED_MEDIA',
    );
    const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x3c, 0x68]);
    await expectRefused(await upload(producer, dossierId, signature, 'anh.png'), 415, 'UNSUPPORTED_MEDIA');
    expect(await storedFor(dossierId)).toEqual({ rows: 0, files: [], audits: 0 });
  });

  it('stores a PNG followed by HTML re-encoded: the HTML is gone from the file and from what is served', async () => {
    const dossierId = await newDossier();
    const png = await smallPng(64, 48);
    const stored = await ok<DocumentView>(
      upload(producer, dossierId, Buffer.concat([png, APPENDED_HTML]), 'anh.png'),
      201,
    );
    expect(stored.mimeType).toBe('image/png');
    const onDisk = fs.readFileSync(path.join(dossierDir(dossierId), `${stored.id}.png`));
    expect(onDisk.includes('<script>')).toBe(false);
    expect(stored).toMatchObject({
      bytes: onDisk.length,
      sha256: createHash('sha256').update(onDisk).digest('hex'),
    });
    const served = await download(dossierId, stored.id);
    expect(served.headers['content-type']).toBe('image/png');
    expect(served.rawPayload).toEqual(onDisk);
    expect(await sharp(served.rawPayload).metadata()).toMatchObject({ format: 'png', width: 64, height: 48 });
  });

  it('stores a JPEG without its EXIF GPS', async () => {
    const dossierId = await newDossier();
    const input = await jpegWithGps();
    expect(input.includes('Exif')).toBe(true);
    const stored = await ok<DocumentView>(upload(producer, dossierId, input, 'anh.jpg'), 201);
    expect(stored.mimeType).toBe('image/jpeg');
    const served = await download(dossierId, stored.id);
    expect(served.headers['content-type']).toBe('image/jpeg');
    expect(served.rawPayload.includes('Exif')).toBe(false);
    expect((await sharp(served.rawPayload).metadata()).exif).toBeUndefined();
    expect(served.rawPayload.equals(input)).toBe(false);
  });
});

describe('who may upload', () => {
  it('answers 403 to officers and 401 to anonymous callers whatever the file holds; 404 to another producer', async () => {
    const dossierId = await newDossier();
    const active = pdfWith('/OpenAction << /S /JavaScript /JS (x) >>');
    for (const file of [cleanPdf(), active, pngDeclaring(30_000, 30_000)]) {
      expect((await upload(commune, dossierId, file)).statusCode).toBe(403);
      expect((await upload(officer, dossierId, file)).statusCode).toBe(403);
      expect((await upload({}, dossierId, file)).statusCode).toBe(401);
      expect((await upload(otherProducer, dossierId, file)).statusCode).toBe(404);
    }
    expect(await storedFor(dossierId)).toEqual({ rows: 0, files: [], audits: 0 });
  });
});
