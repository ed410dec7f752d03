import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PUBLIC } from '../../server/context';
import { answerPreflight, openToAnyOrigin } from '../../server/cors';
import { publicOrigin } from '../../server/public-origin';
import { openDataQuery } from './contract';
import { contentTypes, exportStream } from './formats';
import { certifiedProducts, exportFileName } from './service';

/**
 * Public open data, no login. Responses may be cached by any proxy for five minutes: the same
 * query gives the same file, so a busy portal or a rate-limiting proxy in front serves repeats
 * without reaching the app. Scripts on any origin may fetch it (CORS, no credentials), reading the
 * file name from Content-Disposition.
 */
export const openDataRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/open-data/certified-products',
    {
      config: { access: PUBLIC },
      onRequest: openToAnyOrigin(['content-disposition']),
      schema: {
        summary: 'Export the certified products (CSV, JSON or XLSX)',
        produces: Object.values(contentTypes),
        querystring: openDataQuery,
      },
    },
    async (request, reply) => {
      const input = request.query;
      const fileName = exportFileName(request.ctx, input);
      const batches = certifiedProducts({
        ctx: request.ctx,
        input: { ...input, origin: publicOrigin(request) },
      });
      const { format: _format, ...filters } = input;
      reply
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'public, max-age=300')
        .type(contentTypes[input.format]);
      return reply.send(
        exportStream(input.format, batches, { generatedAt: new Date().toISOString(), filters }),
      );
    },
  );

  app.options(
    '/open-data/certified-products',
    { config: { access: PUBLIC }, schema: { hide: true } },
    answerPreflight,
  );
};
