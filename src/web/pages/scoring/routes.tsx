import { Route } from 'react-router';
import type { Role } from '../../../modules/accounts/roles';
import { EVALUATION_USERS, only, page } from '../../routing';

const ScorePage = page(() => import('./ScorePage'), 'ScorePage');
const SelfAssessmentPage = page(() => import('./SelfAssessmentPage'), 'SelfAssessmentPage');
const SheetsPage = page(() => import('./SheetsPage'), 'SheetsPage');

/** Council members score; the province follows the council's progress and result (the API decides the rest). */
const SCORERS: readonly Role[] = ['council_member'];
const FOLLOWERS: readonly Role[] = ['system_admin', 'province_officer', 'council_member'];

/**
 * Score sheets on screen:
 *   /evaluation/dossiers/:id/self-assessment   the producer's self-assessment on the cycle's sheet
 *   /evaluation/dossiers/:id/score             a council member's sheet (made for a tablet)
 *   /evaluation/dossiers/:id/sheets            the council's view of a dossier's sheets: progress, close, reopen, spread, result
 * Called as a function inside <Routes>, so its <Route>s join the app's route tree.
 */
export function scoringRoutes() {
  return [
    <Route
      key="self-assessment"
      path="evaluation/dossiers/:id/self-assessment"
      element={only(EVALUATION_USERS, <SelfAssessmentPage />)}
    />,
    <Route key="score" path="evaluation/dossiers/:id/score" element={only(SCORERS, <ScorePage />)} />,
    <Route key="sheets" path="evaluation/dossiers/:id/sheets" element={only(FOLLOWERS, <SheetsPage />)} />,
  ];
}
