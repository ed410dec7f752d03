/**
 * What other modules and the server may use of accounts (users, roles, sessions). Pure shapes and
 * rules (roles, the password policy) are in `contract.ts`, re-exported here.
 */
export * from './contract';
export { accountRoutes } from './routes';
export { DEMO_PASSWORD } from './rules';
export { createUser, getUser } from './service';
export { type ResolvedSession, resolveSession, SESSION_COOKIE } from './session';
