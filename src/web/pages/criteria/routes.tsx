import { Route } from 'react-router';

/**
 * Criteria rule-sets and scoring sheets (administration):
 *   /criteria                 rule-sets and sheets, import
 *   /criteria/rule-sets/:id   one rule-set: parameters (open ones marked), activation, export
 *   /criteria/sheets/:id      one sheet: its tree, validation problems, activation, export
 * Called as a function inside <Routes>, so its <Route>s join the app's route tree.
 */
export function criteriaRoutes() {
  return <Route path="criteria" />;
}
