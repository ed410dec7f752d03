/**
 * The registry import: its routes, and the commit jobs the app starts with each instance and
 * settles when it closes. Nothing else depends on it.
 */

export { settleCommits, startCommits } from './commit-job';
export * from './contract';
export { importRoutes } from './routes';
