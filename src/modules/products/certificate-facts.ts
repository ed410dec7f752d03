import type { SQL } from 'drizzle-orm';
import type { DbOrTx } from '../../db/client';
import type { CertificateFacts } from './rules';

/**
 * What a product's derived status needs from its certificates. Certificates are issued for products,
 * so the certificates module imports this one and this one cannot import it back; instead the
 * certificates module provides these two reads when it loads (`certificates/product-facts.ts`, loaded
 * by its index, service and routes). A process that uses products without ever loading certificates
 * gets a plain error on the first status it asks for, not a silently wrong one.
 */
export type CertificateFactsSource = {
  /** Every certificate version of the given products, in the shape `deriveProductStatus` reads. */
  factsForProducts(db: DbOrTx, productIds: readonly string[]): Promise<Map<string, CertificateFacts[]>>;
  /** The certificate part of the status on `today` as one SQL expression over a product id: NULL without a started certificate. */
  statusSql(productId: SQL, today: string): SQL;
};

let source: CertificateFactsSource | null = null;

export function provideCertificateFacts(provided: CertificateFactsSource): void {
  source = provided;
}

export function certificateFacts(): CertificateFactsSource {
  if (!source) {
    throw new Error(
      'Product status needs the certificates module: import src/modules/certificates before using products.',
    );
  }
  return source;
}
