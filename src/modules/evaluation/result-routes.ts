import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ANY_USER } from '../../server/context';
import {
  createDecisionBody,
  cycleResults,
  decisionList,
  decisionView,
  publishResult,
  resultView,
} from './contract';
import * as results from './result-service';
import { idParams, PROVINCE } from './route-parts';

/** Results, their publication and the recognition decisions. */
export const resultRoutes: FastifyPluginAsyncZod = async (app) => {
  // ---------- results and decisions ----------

  app.get(
    '/evaluation/dossiers/:id/result',
    {
      config: { access: ANY_USER },
      schema: { summary: "Get a dossier's result", params: idParams, response: { 200: resultView } },
    },
    async (request) =>
      results.getDossierResult({ ctx: request.ctx, input: { dossierId: request.params.id } }),
  );

  app.get(
    '/evaluation/cycles/:id/results',
    {
      config: { access: ANY_USER },
      schema: { summary: "List a cycle's results", params: idParams, response: { 200: cycleResults } },
    },
    async (request) => results.listCycleResults({ ctx: request.ctx, input: { cycleId: request.params.id } }),
  );

  app.get(
    '/evaluation/cycles/:id/forwarded',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "List a cycle's dossiers forwarded to the next level",
        params: idParams,
        response: { 200: cycleResults },
      },
    },
    async (request) => results.listForwarded({ ctx: request.ctx, input: { cycleId: request.params.id } }),
  );

  app.post(
    '/evaluation/cycles/:id/publish',
    {
      config: { access: PROVINCE },
      schema: { summary: "Publish a cycle's results", params: idParams, response: { 200: publishResult } },
    },
    async (request) => results.publishResults({ ctx: request.ctx, input: { cycleId: request.params.id } }),
  );

  app.post(
    '/evaluation/cycles/:id/decisions',
    {
      config: { access: PROVINCE },
      schema: {
        summary: 'Record a recognition decision',
        params: idParams,
        body: createDecisionBody,
        response: { 201: decisionView },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return results.createDecision({
        ctx: request.ctx,
        input: { ...request.body, cycleId: request.params.id },
      });
    },
  );

  app.get(
    '/evaluation/cycles/:id/decisions',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "List a cycle's recognition decisions",
        params: idParams,
        response: { 200: decisionList },
      },
    },
    async (request) => results.listDecisions({ ctx: request.ctx, input: { cycleId: request.params.id } }),
  );

  app.get(
    '/evaluation/decisions/:id',
    {
      config: { access: ANY_USER },
      schema: { summary: 'Get a recognition decision', params: idParams, response: { 200: decisionView } },
    },
    async (request) => results.getDecision({ ctx: request.ctx, input: request.params }),
  );
};
