import { type SQL, sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import type { RequestContext } from '../../server/context';
import { localDate } from '../../shared/dates';
import {
  type CertificateStatus,
  certificateSettings,
  certificateStatus,
  certificateStatusLabels,
} from '../certificates';
import { classify } from '../products';
import { signingKeys, verificationPath } from '../verification';
import type { OpenDataQuery, OpenDataRecord } from './contract';

/**
 * Certified products as open data: the latest version of each certificate with public fields only
 * (contract.ts says which and why), filtered, read in batches by number so an export of the whole
 * country streams in constant memory and never holds the embedded database's one connection long.
 *
 * It reads the certificates' tables directly: the certificates service has no unscoped public
 * listing, and this read model is what the public may see of every certificate anyway.
 */
type Ctx = { ctx: RequestContext };

const BATCH = 1000;

type Row = {
  number: string;
  star: number;
  product_name: string;
  subject_name: string;
  taxonomy_scheme: string;
  category_code: string;
  commune_code: string | null;
  commune_name: string | null;
  province_code: string;
  province_name: string;
  issuer_name: string;
  issuer_level: string;
  decision_number: string;
  /** Null (with the validity) for a year-only record, `recognition_year` then set. */
  decision_date: string | null;
  valid_from: string | null;
  valid_to: string | null;
  recognition_year: number | null;
  revoked_on: string | null;
  successor_valid_from: string | null;
};

function batchQuery(input: OpenDataQuery, after: string): SQL {
  const conditions: SQL[] = [
    sql`NOT EXISTS (SELECT 1 FROM certificates n WHERE n.corrects_id = c.id)`,
    sql`c.number > ${after}`,
  ];
  if (input.provinceCode) conditions.push(sql`c.province_code = ${input.provinceCode}`);
  if (input.productSet) conditions.push(sql`c.category_code = ${input.productSet}`);
  if (input.star) conditions.push(sql`c.star = ${input.star}`);
  return sql`SELECT c.number, c.star, c.product_name, c.subject_name, c.taxonomy_scheme, c.category_code,
      c.commune_code, cm.name AS commune_name, c.province_code, pv.name AS province_name, c.issuer_name,
      c.issuer_level, c.decision_number, c.decision_date::text AS decision_date,
      c.valid_from::text AS valid_from, c.valid_to::text AS valid_to, c.recognition_year,
      r.decision_date::text AS revoked_on,
      succ.valid_from::text AS successor_valid_from
    FROM certificates c
    JOIN provinces pv ON pv.code = c.province_code
    LEFT JOIN communes cm ON cm.code = c.commune_code
    LEFT JOIN certificate_revocations r ON r.number = c.number
    LEFT JOIN LATERAL (
      SELECT s2.valid_from FROM certificates s1 JOIN certificates s2 ON s2.number = s1.number
      WHERE s1.corrects_id IS NULL
        AND s1.supersedes_id IN (SELECT v.id FROM certificates v WHERE v.number = c.number)
        AND NOT EXISTS (SELECT 1 FROM certificates n2 WHERE n2.corrects_id = s2.id)
      LIMIT 1
    ) succ ON true
    WHERE ${sql.join(conditions, sql` AND `)}
    ORDER BY c.number
    LIMIT ${BATCH}`;
}

function wanted(status: CertificateStatus, filter: OpenDataQuery['status']): boolean {
  if (filter === 'all') return true;
  if (filter === 'in_force') return status === 'valid' || status === 'expiring';
  return status === filter;
}

/** The records of the export, batch by batch (each batch one short query). */
export async function* certifiedProducts({
  ctx,
  input,
}: Ctx & { input: OpenDataQuery & { origin: string } }): AsyncGenerator<OpenDataRecord[]> {
  const { db } = ctx.database;
  const day = localDate(new Date(), ctx.config.timeZone);
  const { expiringDays } = certificateSettings();
  const keys = await signingKeys(db);
  let after = '';
  for (;;) {
    const rows = await queryRows<Row>(db, batchQuery(input, after));
    if (rows.length === 0) return;
    after = rows[rows.length - 1]!.number;
    const records: OpenDataRecord[] = [];
    for (const row of rows) {
      const status = certificateStatus(
        {
          validFrom: row.valid_from,
          validTo: row.valid_to,
          revokedOn: row.revoked_on,
          supersededOn: row.successor_valid_from,
        },
        day,
        expiringDays,
      );
      if (!wanted(status, input.status)) continue;
      const set = classify(row.taxonomy_scheme, row.category_code);
      records.push({
        certificateNumber: row.number,
        status,
        statusLabel: certificateStatusLabels[status].vi,
        star: Number(row.star),
        productName: row.product_name,
        productSetScheme: row.taxonomy_scheme,
        productSet: row.category_code,
        productSetName: set ? (set.set ?? set.group).label.vi : null,
        subjectName: row.subject_name,
        communeCode: row.commune_code,
        communeName: row.commune_name,
        provinceCode: row.province_code,
        provinceName: row.province_name,
        issuerName: row.issuer_name,
        issuerLevel: row.issuer_level,
        decisionNumber: row.decision_number,
        decisionDate: row.decision_date,
        recognitionYear: row.recognition_year === null ? null : Number(row.recognition_year),
        validFrom: row.valid_from,
        validTo: row.valid_to,
        revokedOn: row.revoked_on,
        verificationUrl: `${input.origin}${verificationPath(keys, row.number)}`,
      });
    }
    if (records.length) yield records;
    if (rows.length < BATCH) return;
  }
}

/** The download's file name: what, from where, as of which day. */
export function exportFileName(ctx: RequestContext, input: OpenDataQuery): string {
  const parts = ['ocop-certified-products'];
  if (input.provinceCode) parts.push(input.provinceCode);
  if (input.productSet) parts.push(`set-${input.productSet.replace(/[^A-Za-z0-9-]/g, '_')}`);
  if (input.star) parts.push(`${input.star}-star`);
  if (input.status !== 'in_force') parts.push(input.status);
  parts.push(localDate(new Date(), ctx.config.timeZone));
  return `${parts.join('-')}.${input.format}`;
}
