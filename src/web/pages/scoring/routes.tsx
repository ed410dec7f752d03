import { Route } from 'react-router';

/**
 * Councils, scoring, results and decisions:
 *   /evaluation/cycles/:id/council    the cycle's council: members, roles, conflicts, close scoring
 *   /evaluation/dossiers/:id/score    a member's score sheet (made for a tablet)
 *   /evaluation/dossiers/:id/sheets   the council's view of a dossier's sheets: progress, spread, reopen, result
 *   /evaluation/cycles/:id/results    results table, publication, forwarded list, minutes, decisions
 *   /evaluation/decisions/:id         one recognition decision
 * Called as a function inside <Routes>, so its <Route>s join the app's route tree.
 */
export function scoringRoutes() {
  return <Route path="evaluation-scoring" />;
}
