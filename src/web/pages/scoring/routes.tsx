import { Route } from 'react-router';

/**
 * Score sheets on screen:
 *   /evaluation/dossiers/:id/self-assessment   the producer's self-assessment on the cycle's sheet
 *   /evaluation/dossiers/:id/score             a council member's sheet (made for a tablet)
 *   /evaluation/dossiers/:id/sheets            the council's view of a dossier's sheets: progress, close, reopen, spread, result
 * Called as a function inside <Routes>, so its <Route>s join the app's route tree.
 */
export function scoringRoutes() {
  return <Route path="evaluation-scoring" />;
}
