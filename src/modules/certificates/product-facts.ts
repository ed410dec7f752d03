/**
 * The certificate facts a product's derived status is built from, provided to the products module
 * (which cannot import certificates: certificates import products) when this module loads.
 */
import { type SQL, sql } from 'drizzle-orm';
import { type DbOrTx, queryRows } from '../../db/client';
import type { CertificateFacts } from '../products';
import { provideCertificateFacts } from '../products';
import { certificateFactsOf } from './rules';

/**
 * Every certificate version of the given products in the shape the products module's
 * `deriveProductStatus` reads, so it can show certified / expired / revoked (to be wired there).
 */
export async function listCertificateFactsForProducts(
  db: DbOrTx,
  productIds: readonly string[],
): Promise<Map<string, CertificateFacts[]>> {
  if (productIds.length === 0) return new Map();
  const rows = await queryRows<{
    id: string;
    number: string;
    version: number;
    product_id: string;
    star: number;
    valid_from: string;
    valid_to: string;
    supersedes_id: string | null;
    corrects_id: string | null;
    revoked_on: string | null;
  }>(
    db,
    sql`SELECT c.id, c.number, c.version, c.product_id, c.star, c.valid_from::text AS valid_from,
          c.valid_to::text AS valid_to, c.supersedes_id, c.corrects_id, r.decision_date::text AS revoked_on
        FROM certificates c LEFT JOIN certificate_revocations r ON r.number = c.number
        WHERE c.product_id IN (${sql.join(
          productIds.map((id) => sql`${id}::uuid`),
          sql`, `,
        )})
          -- A year-only record (no dates) has not started as far as anyone can tell: it makes the
          -- product neither certified nor expired, as in productCertificateStatusSql.
          AND c.valid_from IS NOT NULL
        ORDER BY c.number, c.version`,
  );
  return certificateFactsOf(
    rows.map((r) => ({
      id: r.id,
      number: r.number,
      version: Number(r.version),
      productId: r.product_id,
      star: Number(r.star),
      validFrom: r.valid_from,
      validTo: r.valid_to,
      supersedesId: r.supersedes_id,
      correctsId: r.corrects_id,
      revokedOn: r.revoked_on,
    })),
  );
}

/**
 * The certificate part of a product's status on `today` as one SQL expression over the product
 * id column given: 'certified' | 'expired' | 'revoked', or NULL when no certificate has started.
 * It states in SQL what `certificateFactsOf` + products' `deriveProductStatus` state in code (a
 * corrected version says nothing on its own; a revocation counts from its decision date; the
 * latest certificate started decides between revoked and expired), so lists can filter and count
 * by status without loading every certificate; tests/api/product-status.test.ts holds them equal.
 */
export function productCertificateStatusSql(productId: SQL, today: string): SQL {
  return sql`(SELECT CASE
      WHEN bool_or(c.valid_to >= ${today}::date AND NOT coalesce(rv.revoked_on <= ${today}::date, false)) THEN 'certified'
      WHEN count(*) = 0 THEN NULL
      ELSE (array_agg(CASE WHEN rv.revoked_on <= ${today}::date THEN 'revoked' ELSE 'expired' END
             ORDER BY c.valid_from DESC, c.valid_to DESC))[1]
    END
    FROM certificates c
    LEFT JOIN LATERAL (SELECT min(r.decision_date) AS revoked_on FROM certificate_revocations r
      WHERE r.number = c.number) rv ON true
    WHERE c.product_id = ${productId} AND c.valid_from <= ${today}::date
      AND NOT EXISTS (SELECT 1 FROM certificates k WHERE k.corrects_id = c.id))`;
}

provideCertificateFacts({
  factsForProducts: listCertificateFactsForProducts,
  statusSql: productCertificateStatusSql,
});
