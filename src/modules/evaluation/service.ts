/**
 * The cycle and dossier use cases, one file per concept: cycles (`cycle-service.ts`), dossiers and
 * their lists (`dossier-service.ts`), forms, transitions and assignment (`dossier-workflow-service.ts`).
 * Councils, scoring, advisory reviews, results and decisions have their own `*-service.ts`.
 */
export * from './cycle-service';
export * from './dossier-service';
export * from './dossier-workflow-service';
