import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ANY_USER, PUBLIC } from '../../server/context';
import {
  communeDetail,
  communePage,
  communeParams,
  listCommunesQuery,
  listOldCommunesQuery,
  listOldDistrictsQuery,
  oldCommunePage,
  oldCommuneView,
  oldDistrictList,
  oldProvinceList,
  provinceList,
  provinceParams,
  provinceView,
  resolveAddressBody,
  resolveBatchBody,
  resolveBatchResult,
  resolveResult,
} from './contract';
import * as units from './service';

// Unit lists are public reference data (the public catalogue and verification pages use them);
// resolving addresses serves data entry and imports, so it needs a signed-in user.
export const adminUnitRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/admin-units/provinces',
    {
      config: { access: PUBLIC },
      schema: { summary: 'List the provinces (since 2025-07-01)', response: { 200: provinceList } },
    },
    async (request) => units.listProvinces({ ctx: request.ctx }),
  );

  app.get(
    '/admin-units/provinces/:code',
    {
      config: { access: PUBLIC },
      schema: { summary: 'Get a province', params: provinceParams, response: { 200: provinceView } },
    },
    async (request) => units.getProvinceView({ ctx: request.ctx, input: request.params }),
  );

  app.get(
    '/admin-units/communes',
    {
      config: { access: PUBLIC },
      schema: {
        summary: 'List communes (since 2025-07-01)',
        querystring: listCommunesQuery,
        response: { 200: communePage },
      },
    },
    async (request) => units.listCommunes({ ctx: request.ctx, input: request.query }),
  );

  app.get(
    '/admin-units/communes/:code',
    {
      config: { access: PUBLIC },
      schema: { summary: 'Get a commune', params: communeParams, response: { 200: communeDetail } },
    },
    async (request) => units.getCommuneDetail({ ctx: request.ctx, input: request.params }),
  );

  app.get(
    '/admin-units/old/provinces',
    {
      config: { access: PUBLIC },
      schema: { summary: 'List the 63 provinces before 2025-07-01', response: { 200: oldProvinceList } },
    },
    async (request) => units.listOldProvinces({ ctx: request.ctx }),
  );

  app.get(
    '/admin-units/old/districts',
    {
      config: { access: PUBLIC },
      schema: {
        summary: 'List the districts before 2025-07-01',
        querystring: listOldDistrictsQuery,
        response: { 200: oldDistrictList },
      },
    },
    async (request) => units.listOldDistricts({ ctx: request.ctx, input: request.query }),
  );

  app.get(
    '/admin-units/old/communes',
    {
      config: { access: PUBLIC },
      schema: {
        summary: 'List the communes before 2025-07-01',
        querystring: listOldCommunesQuery,
        response: { 200: oldCommunePage },
      },
    },
    async (request) => units.listOldCommunes({ ctx: request.ctx, input: request.query }),
  );

  app.get(
    '/admin-units/old/communes/:code',
    {
      config: { access: PUBLIC },
      schema: {
        summary: 'Get a commune before 2025-07-01 with the units it became',
        params: communeParams,
        response: { 200: oldCommuneView },
      },
    },
    async (request) => units.getOldCommune({ ctx: request.ctx, input: request.params }),
  );

  app.post(
    '/admin-units/resolve',
    {
      config: { access: ANY_USER },
      schema: {
        summary: 'Resolve an old address to the current province and commune',
        body: resolveAddressBody,
        response: { 200: resolveResult },
      },
    },
    async (request) => units.resolveAddress({ ctx: request.ctx, input: request.body }),
  );

  app.post(
    '/admin-units/resolve-batch',
    {
      config: { access: ANY_USER },
      schema: {
        summary: 'Resolve many old addresses to the current units',
        body: resolveBatchBody,
        response: { 200: resolveBatchResult },
      },
    },
    async (request) => units.resolveAddresses({ ctx: request.ctx, input: request.body }),
  );
};
