import { Route } from 'react-router';

/**
 * Councils, results and decisions:
 *   /evaluation/cycles/:id/council    the cycle's council: members and roles, conflicts, advisory reviews
 *   /evaluation/cycles/:id/results    results table, publication, forwarded list, minutes, decisions
 *   /evaluation/decisions/:id         one recognition decision
 * Called as a function inside <Routes>, so its <Route>s join the app's route tree.
 */
export function councilRoutes() {
  return <Route path="evaluation-council" />;
}
