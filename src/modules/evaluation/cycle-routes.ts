import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ANY_USER } from '../../server/context';
import { createCycleBody, cycleList, cycleView, listCyclesQuery } from './contract';
import { idParams, PROVINCE } from './route-parts';
import * as evaluation from './service';

/** Cycles: open one, read one with its progress, the list. */
export const cycleRoutes: FastifyPluginAsyncZod = async (app) => {
  // ---------- cycles ----------

  app.post(
    '/evaluation/cycles',
    {
      config: { access: PROVINCE },
      schema: {
        summary: 'Open an evaluation cycle (its rule-set is frozen)',
        body: createCycleBody,
        response: { 201: cycleView },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return evaluation.createCycle({ ctx: request.ctx, input: request.body });
    },
  );

  app.get(
    '/evaluation/cycles',
    {
      config: { access: ANY_USER },
      schema: {
        summary: 'List evaluation cycles',
        querystring: listCyclesQuery,
        response: { 200: cycleList },
      },
    },
    async (request) => evaluation.listCycles({ ctx: request.ctx, input: request.query }),
  );

  app.get(
    '/evaluation/cycles/:id',
    {
      config: { access: ANY_USER },
      schema: { summary: 'Get an evaluation cycle', params: idParams, response: { 200: cycleView } },
    },
    async (request) => evaluation.getCycle({ ctx: request.ctx, input: request.params }),
  );
};
