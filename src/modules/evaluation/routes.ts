import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { councilRoutes } from './council-routes';
import { cycleRoutes } from './cycle-routes';
import { dossierRoutes } from './dossier-routes';
import { resultRoutes } from './result-routes';
import { scoringRoutes } from './scoring-routes';

/**
 * /api/v1/evaluation: cycles, dossiers and their documents, councils, scoring, results and decisions,
 * one route file per concept. Each is called on this same instance (not registered as a child
 * plugin), so every route keeps the hooks and settings of the app exactly as before.
 */
export const evaluationRoutes: FastifyPluginAsyncZod = async (app, options) => {
  for (const routes of [cycleRoutes, dossierRoutes, councilRoutes, scoringRoutes, resultRoutes]) {
    await routes(app, options);
  }
};
