/** The public open-data export; nothing else depends on it. */
export * from './contract';
export { openDataRoutes } from './routes';
