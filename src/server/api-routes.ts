import swagger from '@fastify/swagger';
import Fastify from 'fastify';
import {
  type FastifyPluginAsyncZod,
  serializerCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { accountRoutes } from '../modules/accounts';
import { adminUnitRoutes } from '../modules/admin-units';
import { auditRoutes } from '../modules/audit';
import { certificateRoutes } from '../modules/certificates';
import { criteriaRoutes } from '../modules/criteria';
import { evaluationRoutes } from '../modules/evaluation';
import { importRoutes } from '../modules/imports';
import { notificationRoutes } from '../modules/notifications';
import { openDataRoutes } from '../modules/opendata';
import { productRoutes } from '../modules/products';
import { subjectRoutes } from '../modules/subjects';
import { type ApiTag, swaggerOptions } from './openapi';
import { validatorCompiler } from './validation';

/** Every module's routes under /api/v1, by module name (the name is the routes' OpenAPI tag). */
export const API_MODULES: ReadonlyArray<readonly [ApiTag, FastifyPluginAsyncZod]> = [
  ['accounts', accountRoutes],
  ['admin-units', adminUnitRoutes],
  ['subjects', subjectRoutes],
  ['products', productRoutes],
  ['audit', auditRoutes],
  ['criteria', criteriaRoutes],
  ['certificates', certificateRoutes],
  ['evaluation', evaluationRoutes],
  ['imports', importRoutes],
  ['notifications', notificationRoutes],
  ['opendata', openDataRoutes],
];

/**
 * Registers every module's routes, each in its own context whose `onRoute` hook tags them with
 * the module: the API document groups operations by the module that owns them, with no tag to
 * keep in step beside each route. Used by the app and by the document built without one (openapi.ts).
 */
export const apiRoutes: FastifyPluginAsyncZod = async (api) => {
  for (const [module, routes] of API_MODULES) {
    await api.register(async (scope) => {
      scope.addHook('onRoute', (route) => {
        route.schema = { ...route.schema, tags: [module] };
      });
      await scope.register(routes);
    });
  }
};

/**
 * The API document built from the route declarations alone, without a database: what
 * `npm run api:types` generates the web's types from. The app serves the same document at
 * /api/openapi.json (tests/api/openapi.test.ts compares them).
 */
export async function buildApiDocument(): Promise<Record<string, unknown>> {
  const app = Fastify({ logger: false }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  await app.register(swagger, swaggerOptions());
  await app.register(apiRoutes, { prefix: '/api/v1' });
  await app.ready();
  const document = app.swagger() as unknown as Record<string, unknown>;
  await app.close();
  return document;
}
