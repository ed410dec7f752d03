import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ANY_USER } from '../../server/context';
import { MEDIA } from '../../server/openapi';
import { addMemberBody, conflictBody, conflictView, councilView, createCouncilBody } from './contract';
import * as councils from './council-service';
import * as minutes from './minutes-service';
import { idParams, PROVINCE } from './route-parts';

/** Councils: members, conflicts of interest, and the minutes (biên bản) as Excel and PDF. */
export const councilRoutes: FastifyPluginAsyncZod = async (app) => {
  // ---------- councils ----------

  app.post(
    '/evaluation/cycles/:id/councils',
    {
      config: { access: PROVINCE },
      schema: {
        summary: 'Seat a council for a cycle',
        params: idParams,
        body: createCouncilBody,
        response: { 201: councilView },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return councils.createCouncil({
        ctx: request.ctx,
        input: { ...request.body, cycleId: request.params.id },
      });
    },
  );

  app.get(
    '/evaluation/councils/:id',
    {
      config: { access: ANY_USER },
      schema: { summary: 'Get a council with its members', params: idParams, response: { 200: councilView } },
    },
    async (request) => councils.getCouncil({ ctx: request.ctx, input: request.params }),
  );

  app.post(
    '/evaluation/councils/:id/members',
    {
      config: { access: PROVINCE },
      schema: {
        summary: 'Add a member to a council',
        params: idParams,
        body: addMemberBody,
        response: { 200: councilView },
      },
    },
    async (request) =>
      councils.addMember({ ctx: request.ctx, input: { ...request.body, councilId: request.params.id } }),
  );

  app.post(
    '/evaluation/dossiers/:id/conflicts',
    {
      config: { access: ANY_USER },
      schema: {
        summary: 'Declare a conflict of interest with a dossier',
        params: idParams,
        body: conflictBody,
        response: { 201: conflictView },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return councils.declareConflict({
        ctx: request.ctx,
        input: { dossierId: request.params.id, reason: request.body.reason },
      });
    },
  );

  // ---------- council minutes (biên bản), as Excel and as PDF ----------

  for (const format of ['xlsx', 'pdf'] as const) {
    app.get(
      `/evaluation/dossiers/:id/minutes.${format}`,
      {
        config: { access: ANY_USER },
        schema: {
          summary: `Download a dossier's council minutes (${format.toUpperCase()})`,
          produces: [format === 'pdf' ? MEDIA.pdf : MEDIA.xlsx],
          params: idParams,
        },
      },
      async (request, reply) => {
        const file = await minutes.getDossierMinutes({
          ctx: request.ctx,
          input: { dossierId: request.params.id, format },
        });
        reply
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .header('cache-control', 'private, no-store');
        return reply.type(file.contentType).send(file.bytes);
      },
    );

    app.get(
      `/evaluation/cycles/:id/minutes.${format}`,
      {
        config: { access: ANY_USER },
        schema: {
          summary: `Download a cycle's council minutes (${format.toUpperCase()})`,
          produces: [format === 'pdf' ? MEDIA.pdf : MEDIA.xlsx],
          params: idParams,
        },
      },
      async (request, reply) => {
        const file = await minutes.getCycleMinutes({
          ctx: request.ctx,
          input: { cycleId: request.params.id, format },
        });
        reply
          .header('content-disposition', `attachment; filename="${file.fileName}"`)
          .header('cache-control', 'private, no-store');
        return reply.type(file.contentType).send(file.bytes);
      },
    );
  }
};
