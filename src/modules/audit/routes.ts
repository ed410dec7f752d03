import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rolesAccess } from '../../server/context';
import { listEntityHistory } from './service';

const historyParams = z.object({
  entityType: z.string().regex(/^[a-z_]{1,40}$/),
  entityId: z
    .string()
    .min(1)
    .max(100)
    .regex(/^[\w.:/-]+$/),
});
const historyEntry = z.object({
  seq: z.number(),
  at: z.date(),
  actorLabel: z.string(),
  action: z.string(),
  before: z.unknown(),
  after: z.unknown(),
});

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/audit/:entityType/:entityId',
    {
      config: { access: rolesAccess('system_admin') },
      schema: {
        summary: 'List the audit trail of one record',
        params: historyParams,
        response: { 200: z.object({ items: z.array(historyEntry) }) },
      },
    },
    async (request) => ({
      items: await listEntityHistory(
        request.ctx.database.db,
        request.params.entityType,
        request.params.entityId,
      ),
    }),
  );
};
