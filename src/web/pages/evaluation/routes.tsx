import { Route } from 'react-router';
import { EVALUATION_USERS, only, page } from '../../routing';

const CyclesPage = page(() => import('./CyclesPage'), 'CyclesPage');
const CyclePage = page(() => import('./CyclePage'), 'CyclePage');
const DossierPage = page(() => import('./DossierPage'), 'DossierPage');

/**
 * Evaluation cycles and dossiers (the producer's and the officers' side of the procedure):
 *   /evaluation                 cycles
 *   /evaluation/cycles/:id      one cycle: its dossiers and progress
 *   /evaluation/dossiers/:id    one dossier: form, self-assessment, documents, steps, result
 * Called as a function inside <Routes>, so its <Route>s join the app's route tree.
 */
export function evaluationRoutes() {
  return (
    <Route path="evaluation">
      <Route index element={only(EVALUATION_USERS, <CyclesPage />)} />
      <Route path="cycles/:id" element={only(EVALUATION_USERS, <CyclePage />)} />
      <Route path="dossiers/:id" element={only(EVALUATION_USERS, <DossierPage />)} />
    </Route>
  );
}
