/**
 * What other modules, the server and the demo may use of evaluation (cycles, dossiers, councils,
 * scoring, results and decisions). Pure shapes and rules are in `contract.ts`, re-exported here.
 */
export * from './contract';
export { addMember, createCouncil } from './council-service';
export { addDocument } from './document-service';
export { latestReEvaluationDossiers } from './re-evaluation-service';
export { createDecision, getDecision, publishResults } from './result-service';
export { evaluationRoutes } from './routes';
export { closeScoring, saveMySheet, submitMySheet } from './scoring-service';
export {
  assignDossier,
  createCycle,
  createDossier,
  getCycle,
  getDossier,
  saveRegistrationForm,
  saveSelfAssessment,
  transitionDossier,
} from './service';
