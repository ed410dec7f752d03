import { Route } from 'react-router';
import { only, PROVINCE_STAFF, page, REGISTRY } from '../../routing';

const CertificatesPage = page(() => import('./CertificatesPage'), 'CertificatesPage');
const CertificateDetailPage = page(() => import('./CertificateDetailPage'), 'CertificateDetailPage');
const ReEvaluationPage = page(() => import('./ReEvaluationPage'), 'ReEvaluationPage');
const ImportsPage = page(() => import('./ImportsPage'), 'ImportsPage');
const ImportPage = page(() => import('./ImportPage'), 'ImportPage');
const NotificationsPage = page(() => import('./NotificationsPage'), 'NotificationsPage');

/**
 * Certificates, registry imports and notices:
 *   /certificates                   list and search (`?decision=<id>`: issue from a recognition decision)
 *   /certificates/re-evaluation     certificates expiring: the re-evaluation queue (province staff)
 *   /certificates/:id               one certificate: status, versions, PDF, QR codes, revoke, correct
 *   /imports, /imports/:id          registry import, step by step (province staff)
 *   /notifications                  the user's notices
 * Called as a function inside <Routes>, so its <Route>s join the app's route tree.
 */
export function certificateRoutes() {
  return [
    <Route key="certificates" path="certificates">
      <Route index element={only(REGISTRY, <CertificatesPage />)} />
      <Route path="re-evaluation" element={only(PROVINCE_STAFF, <ReEvaluationPage />)} />
      <Route path=":id" element={only(REGISTRY, <CertificateDetailPage />)} />
    </Route>,
    <Route key="imports" path="imports">
      <Route index element={only(PROVINCE_STAFF, <ImportsPage />)} />
      <Route path=":id" element={only(PROVINCE_STAFF, <ImportPage />)} />
    </Route>,
    <Route key="notifications" path="notifications" element={<NotificationsPage />} />,
  ];
}
