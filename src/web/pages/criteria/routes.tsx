import { Route } from 'react-router';
import { CRITERIA_READERS } from '../../../modules/criteria/policy';
import { only, page } from '../../routing';

const CriteriaPage = page(() => import('./CriteriaPage'), 'CriteriaPage');
const RuleSetPage = page(() => import('./RuleSetPage'), 'RuleSetPage');
const SheetPage = page(() => import('./SheetPage'), 'SheetPage');

/**
 * Criteria rule-sets and scoring sheets (administration):
 *   /criteria                 rule-sets and sheets, loading the shipped data, import (JSON or Excel)
 *   /criteria/rule-sets/:id   one rule-set: parameters (open ones marked), activation, export
 *   /criteria/sheets/:id      one sheet: its tree, validation problems, activation, export
 * Readers are the API's (officers and council members read; only administrators write, and only
 * they see the actions). Called as a function inside <Routes>, so its <Route>s join the app's tree.
 */
export function criteriaRoutes() {
  return [
    <Route key="criteria" path="criteria" element={only(CRITERIA_READERS, <CriteriaPage />)} />,
    <Route
      key="criteria-rule-set"
      path="criteria/rule-sets/:id"
      element={only(CRITERIA_READERS, <RuleSetPage />)}
    />,
    <Route key="criteria-sheet" path="criteria/sheets/:id" element={only(CRITERIA_READERS, <SheetPage />)} />,
  ];
}
