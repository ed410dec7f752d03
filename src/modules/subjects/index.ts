/**
 * What other modules, the server and the demo may use of the subjects registry. Pure shapes, rules
 * and the scope policy shared with products are in `contract.ts`, re-exported here.
 */

export {
  createSubjectsInBulk,
  type ExistingSubject,
  findSubjectsForImport,
  getSubjectLocations,
} from './bulk';
export * from './contract';
export { subjectRoutes } from './routes';
export {
  createSubject,
  findExistingSubjectIds,
  getSubject,
  getSubjectLocation,
  listSubjects,
  type SubjectLocationWithStatus,
  updateSubject,
} from './service';
