/**
 * The certificates use cases, one file per concept: issuing (`issue-service.ts`, numbers in
 * `numbering.ts`), revoking and correcting (`correction-service.ts`), reading and lists
 * (`query-service.ts`), printed documents (`document-service.ts`), the facts a product's status
 * needs (`product-facts.ts`); rows and views in `rows.ts`. Other modules use `index.ts`.
 */
export * from './correction-service';
export * from './document-service';
export * from './issue-service';
export * from './product-facts';
export * from './query-service';
export type { CertificateRow, Origin } from './rows';
export { findLatestByNumber, statusOfRow, verificationUrlOf } from './rows';
