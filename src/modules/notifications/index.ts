/** What other modules and the server may use of notifications (in-app notices, e-mail, daily jobs). */
export * from './contract';
export {
  claimJobRun,
  finishJobRun,
  INSTANCE_ID,
  releaseJobRun,
  type ScheduledJob,
  startScheduler,
} from './jobs';
export type { MailMessage } from './mailer';
export { notificationRoutes } from './routes';
export { deliverPendingEmails, dispatchOnce } from './service';
