import { Route } from 'react-router';
import type { Role } from '../../../modules/accounts/roles';
import { EVALUATION_USERS, only, PROVINCE_STAFF, page } from '../../routing';

const CouncilPage = page(() => import('./CouncilPage'), 'CouncilPage');
const ResultsPage = page(() => import('./ResultsPage'), 'ResultsPage');
const DecisionPage = page(() => import('./DecisionPage'), 'DecisionPage');

/** The province runs councils and results; council members read those of the councils they sit on. */
const COUNCIL_READERS: readonly Role[] = [...PROVINCE_STAFF, 'council_member'];

/**
 * Councils, results and decisions:
 *   /evaluation/cycles/:id/council    the cycle's council: members and roles, conflicts, advisory reviews
 *   /evaluation/cycles/:id/results    results table, publication, forwarded list, minutes, decisions
 *   /evaluation/decisions/:id         one recognition decision
 * Called as a function inside <Routes>, so its <Route>s join the app's route tree. The paths are
 * flat (the evaluation area owns the `evaluation` route); the more specific path wins the match.
 */
export function councilRoutes() {
  return [
    <Route
      key="council"
      path="evaluation/cycles/:id/council"
      element={only(COUNCIL_READERS, <CouncilPage />)}
    />,
    <Route
      key="results"
      path="evaluation/cycles/:id/results"
      element={only(COUNCIL_READERS, <ResultsPage />)}
    />,
    <Route
      key="decision"
      path="evaluation/decisions/:id"
      element={only(EVALUATION_USERS, <DecisionPage />)}
    />,
  ];
}
