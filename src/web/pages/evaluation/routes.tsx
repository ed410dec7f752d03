import { Route } from 'react-router';

/**
 * Evaluation cycles and dossiers (the producer's and the officers' side of the procedure):
 *   /evaluation                 cycles
 *   /evaluation/cycles/:id      one cycle: its dossiers and progress
 *   /evaluation/dossiers/:id    one dossier: form, self-assessment, documents, steps, result
 * Called as a function inside <Routes>, so its <Route>s join the app's route tree.
 */
export function evaluationRoutes() {
  return <Route path="evaluation" />;
}
