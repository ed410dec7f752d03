/**
 * What other modules and the server may use of certificates. Pure shapes, statuses and labels are
 * in `contract.ts`, re-exported here.
 */

export {
  type ImportedCertificateInput,
  type IssuedCertificate,
  issueImportedCertificatesInBulk,
} from './bulk-issue';
export * from './contract';
export { issueCertificatesForDecision } from './decision-service';
export { runExpiryJob } from './expiry';
export { importedFactLacksSql } from './query-service';
export { certificateRoutes } from './routes';
export {
  type CertificateRow,
  correctCertificate,
  findLatestByNumber,
  issueCertificate,
  productIdOfCertificate,
  searchLatestRows,
  statusOfRow,
} from './service';
export { certificateSettings } from './settings';
export { provideVerificationPaths, type VerificationPaths } from './verification-addresses';
