/** The audit log: every module writes its entries through `recordAudit(s)` in its own transaction. */
export { AUDIT_ACTIONS, type AuditAction, isAuditAction } from './actions';
export { auditRoutes } from './routes';
export { type AuditWrite, recordAudit, recordAudits, verifyAuditChain } from './service';
