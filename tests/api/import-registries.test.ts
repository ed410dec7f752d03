import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestContext, type TestContext } from '../support/test-app';

/**
 * Every registry of tests/fixtures/registries through upload and dry run, its report kept as a
 * snapshot: how each value was read (exact, synonym, context, none), the questions a person must
 * answer, the rows that become one subject, and the refusals of the files that cannot be read.
 * Then the messy workbook committed with its questions answered once per value, checked row by row.
 */

const NB = '37';
const DIR = path.join(import.meta.dirname, '..', 'fixtures', 'registries');
const FILES = fs
  .readdirSync(DIR)
  .filter((f) => /^\d\d-/.test(f))
  .sort();

let t: TestContext;
let officer: Record<string, string>;

beforeAll(async () => {
  t = await createTestContext();
  officer = (await t.as({ role: 'province_officer', provinceCode: NB })).headers;
});

afterAll(async () => t.close());

async function upload(filename: string, content: Buffer) {
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
    url: '/api/v1/imports',
    headers: { ...officer, 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload,
  });
}

const post = (url: string, payload: object = {}) =>
  t.app.inject({ method: 'POST', url, headers: officer, payload });

type Match = {
  candidates: { value: string; label: { vi: string; en: string } }[];
  kind: string;
  value: string | null;
  written: string;
  notes: string[];
  decision: { value: string; remembered: boolean } | null;
  needsDecision: boolean;
};
type Row = {
  rowNumber: number;
  status: string;
  action: string | null;
  certificateId: string | null;
  values: Record<string, unknown>;
  errors: { field: string; code: string }[];
  warnings: { field: string; code: string }[];
  matches: Record<string, Match>;
  incomplete: string[];
};
type Question = {
  field: string;
  key: string;
  kind: string;
  written: string;
  evidence: string[];
  notes: string[];
  open: boolean;
  candidates: { value: string; label: { vi: string; en: string } }[];
  rowNumbers: number[];
  decision: { value: string } | null;
};
type Report = {
  job: { counts: Record<string, number>; headerRow: number; headerRows: number; sheetName: string };
  rows: Row[];
  questions: Question[];
  subjects: { name: string; communeCode: string; rowNumbers: number[]; spellings: string[] }[];
};

/** The report in the words that matter, without ids and times. */
function summary(report: Report) {
  return {
    header: { row: report.job.headerRow, rows: report.job.headerRows, sheet: report.job.sheetName },
    counts: report.job.counts,
    rows: report.rows
      .filter((r) => r.status !== 'empty')
      .map((r) => ({
        row: r.rowNumber,
        status: r.status,
        action: r.action,
        read: Object.fromEntries(
          Object.entries(r.matches).map(([field, m]) => [
            field,
            `${m.kind} «${m.written}» → ${m.decision?.value ?? m.value ?? '?'}${m.needsDecision ? ' (asks)' : ''}${m.notes.length ? ` [${m.notes.join(', ')}]` : ''}`,
          ]),
        ),
        errors: r.errors.map((p) => `${p.field}.${p.code}`),
        warnings: r.warnings.map((p) => `${p.field}.${p.code}`),
        incomplete: r.incomplete,
      })),
    questions: report.questions.map((q) => ({
      field: q.field,
      written: q.written,
      kind: q.kind,
      evidence: q.evidence,
      notes: q.notes,
      candidates: q.open ? 'any' : q.candidates.map((c) => c.value),
      rows: q.rowNumbers,
    })),
    subjects: report.subjects.map((s) => ({ name: s.name, commune: s.communeCode, rows: s.rowNumbers })),
  };
}

describe('registry fixtures: the dry-run report of each', () => {
  for (const file of FILES) {
    it(file, async () => {
      const res = await upload(file, fs.readFileSync(path.join(DIR, file)));
      if (res.statusCode !== 201) {
        const { error } = res.json();
        expect({ status: res.statusCode, code: error.code, fields: error.fields }).toMatchSnapshot();
        return;
      }
      const dry = await post(`/api/v1/imports/${res.json().id}/dry-run`);
      expect(dry.statusCode, dry.body).toBe(200);
      expect(summary(dry.json())).toMatchSnapshot();
    });
  }
});

describe('the messy registry committed with decisions made once per value', () => {
  it('takes each decision for every row of its value, and writes each row as decided', async () => {
    const file = FILES.find((f) => f.startsWith('01-'))!;
    const id = (await upload(`commit-${file}`, fs.readFileSync(path.join(DIR, file)))).json().id;
    let report: Report = (await post(`/api/v1/imports/${id}/dry-run`)).json();
    // Rows refused (an issuer who could not certify the star…) ask nothing.
    expect(report.questions.length).toBeGreaterThan(0);
    for (const q of report.questions)
      for (const n of q.rowNumbers)
        expect(report.rows.find((r) => r.rowNumber === n)?.status).not.toBe('error');
    // A commune two old provinces had, written without a district: both offered, each named by where it was.
    const yenMy = report.rows.find((r) => r.matches.commune?.written === 'Xã Yên Mỹ')!.matches.commune!;
    const labels = yenMy.candidates.map((c) => c.label.vi);
    expect(labels).toHaveLength(2);
    expect(labels.some((l) => l.includes('Nam Định'))).toBe(true);
    expect(labels.some((l) => l.includes('Ninh Bình'))).toBe(true);

    // The officer's answers: the first candidate, the coffee set when asked about coffee, and any
    // commune of the province when nothing was offered. Each once, whatever its number of rows.
    const chosen = new Map<string, string>();
    for (const question of report.questions) {
      if (question.decision) continue;
      let value = question.candidates[0]?.value;
      if (question.field === 'category' && question.evidence.includes('cà phê')) value = '2026:13';
      if (!value && question.field === 'category') value = '2026:7';
      if (!value && question.field === 'star') value = '3';
      if (!value && question.field === 'commune') value = '13291';
      const res = await post(`/api/v1/imports/${id}/decisions`, {
        field: question.field,
        key: question.key,
        value,
        remember: false,
      });
      expect(res.statusCode, res.body).toBe(200);
      report = res.json();
      chosen.set(question.key, value!);
      // Every row of the value carries the decision at once.
      for (const rowNumber of question.rowNumbers) {
        const row = report.rows.find((r) => r.rowNumber === rowNumber)!;
        expect(row.matches[question.field]?.decision?.value).toBe(value);
      }
    }
    expect(report.questions.every((q) => q.decision !== null)).toBe(true);
    expect(report.rows.some((r) => r.status === 'flagged')).toBe(false);

    const commit = await post(`/api/v1/imports/${id}/commit`, { skipRowsWithErrors: true });
    expect(commit.statusCode, commit.body).toBe(202);
    let job = commit.json();
    for (let i = 0; i < 600 && job.status === 'committing'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      job = (await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}`, headers: officer })).json();
    }
    expect(job.status, JSON.stringify(job.failure)).toBe('committed');
    const after: Report = (
      await t.app.inject({ method: 'GET', url: `/api/v1/imports/${id}/report`, headers: officer })
    ).json();

    // Row by row: a written row has a certificate with the class, star and commune decided or read.
    for (const row of after.rows) {
      if (row.status === 'ok' || row.status === 'warning') {
        expect(row.action, `row ${row.rowNumber}`).toBe('create');
        const certificate = (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/certificates/${row.certificateId}`,
            headers: officer,
          })
        ).json();
        const setOf = (m: Match | undefined) => m?.decision?.value ?? m?.value;
        const [scheme, code] = setOf(row.matches.category)!.split(':');
        expect(certificate, `row ${row.rowNumber}`).toMatchObject({
          star: Number(setOf(row.matches.star)),
          decisionNumber: row.values.decisionNumber,
          product: { name: row.values.productName },
        });
        const product = (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/products/${certificate.product.id}`,
            headers: officer,
          })
        ).json();
        expect(product.classification, `row ${row.rowNumber}`).toMatchObject({ scheme, code });
        expect(product.commune.code, `row ${row.rowNumber}`).toBe(setOf(row.matches.commune));
        // Nothing is ever the alcoholic set unless the row is a wine.
        if (code === '15') expect(String(row.values.productName)).toMatch(/rượu|vang|bia/i);
        // A year-only recognition came in with its year and no invented day: validity unknown.
        if (row.incomplete.includes('decisionDate')) {
          expect(certificate, `row ${row.rowNumber}`).toMatchObject({
            decisionDate: null,
            validTo: null,
            recognitionYear: row.values.recognitionYear,
            status: 'date_unknown',
          });
        } else expect(certificate.decisionDate, `row ${row.rowNumber}`).toBe(row.values.decisionDate);
        // An enterprise the registry names without a tax code came in without one.
        if (row.incomplete.includes('taxCode')) {
          const subject = (
            await t.app.inject({
              method: 'GET',
              url: `/api/v1/subjects/${certificate.subject.id}`,
              headers: officer,
            })
          ).json();
          expect(subject.taxCode, `row ${row.rowNumber}`).toBeNull();
        }
      } else {
        expect(row.certificateId, `row ${row.rowNumber}`).toBeNull();
      }
    }
    // The rows a registry leaves incomplete are written, not refused.
    const incompleteRows = after.rows.filter((r) => r.incomplete.length > 0 && r.errors.length === 0);
    expect(incompleteRows.some((r) => r.incomplete.includes('decisionDate'))).toBe(true);
    expect(incompleteRows.some((r) => r.incomplete.includes('taxCode'))).toBe(true);
    for (const row of incompleteRows) expect(row.action, `row ${row.rowNumber}`).toBe('create');
    // One producer with several products became one subject.
    for (const group of after.subjects) {
      const subjects = new Set<string>();
      for (const rowNumber of group.rowNumbers) {
        const row = after.rows.find((r) => r.rowNumber === rowNumber)!;
        if (!row.certificateId) continue;
        const certificate = (
          await t.app.inject({
            method: 'GET',
            url: `/api/v1/certificates/${row.certificateId}`,
            headers: officer,
          })
        ).json();
        subjects.add(certificate.subject.id);
      }
      expect(subjects.size, group.name).toBeLessThanOrEqual(1);
    }
  });
});
