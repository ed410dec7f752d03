/**
 * What other modules and the server may use of criteria (rule-sets, sheets, the scoring engine).
 * The documents' shapes and the pure engine are in `contract.ts`, re-exported here.
 */
export * from './contract';
export { criteriaRoutes } from './routes';
export {
  activateRuleSet,
  activateSheet,
  findActiveRuleSet,
  findActiveSheet,
  getRuleSet,
  getRuleSetsByIds,
  getSheetsByIds,
  listRuleSets,
  listSheets,
  loadShippedCriteria,
  setRuleSetParameters,
} from './service';
export { DEFAULT_CRITERIA_DIR, readShippedCriteria } from './shipped';
export { validateSheet } from './validate';
