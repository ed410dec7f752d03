import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_USER, rolesAccess } from '../../server/context';
import { MEDIA } from '../../server/openapi';
import { readUploadedFile } from '../../server/uploads';
import {
  craftVillagePage,
  craftVillageView,
  createCraftVillageBody,
  createProductBody,
  listCraftVillagesQuery,
  listProductsQuery,
  photoParams,
  photoQuery,
  photoView,
  productCounts,
  productMeta,
  productPage,
  productView,
  reorderPhotosBody,
  updateCraftVillageBody,
  updateProductBody,
} from './contract';
import * as villages from './craft-village-service';
import * as photos from './photo-service';
import * as products from './service';

const idParams = z.object({ id: z.string().uuid() });
const ok = z.object({ ok: z.literal(true) });
/** Optional: a client that sends the version it saw gets 409 STALE instead of acting on a changed record. */
const stateChangeBody = z.strictObject({ version: z.number().int().min(1).optional() }).nullish();

/** Roles that work with the registry; council members see only the dossiers assigned to them. */
const REGISTRY = rolesAccess('system_admin', 'province_officer', 'commune_officer', 'producer');
const VILLAGE_WRITERS = rolesAccess('system_admin', 'province_officer', 'commune_officer');

export const productRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/products/meta',
    {
      config: { access: ANY_USER },
      schema: {
        summary: 'Get the product taxonomy and lists the forms need',
        response: { 200: productMeta },
      },
    },
    async (request) => products.getProductMeta({ ctx: request.ctx }),
  );

  app.get(
    '/products/counts',
    {
      config: { access: REGISTRY },
      schema: { summary: 'Count products by status', response: { 200: productCounts } },
    },
    async (request) => products.countProducts(request.ctx),
  );

  app.get(
    '/products',
    {
      config: { access: REGISTRY },
      schema: { summary: 'List products', querystring: listProductsQuery, response: { 200: productPage } },
    },
    async (request) => products.listProducts({ ctx: request.ctx, input: request.query }),
  );

  app.post(
    '/products',
    {
      config: { access: REGISTRY },
      schema: { summary: 'Create a product', body: createProductBody, response: { 201: productView } },
    },
    async (request, reply) => {
      reply.status(201);
      return products.createProduct({ ctx: request.ctx, input: request.body });
    },
  );

  app.get(
    '/products/:id',
    {
      config: { access: REGISTRY },
      schema: { summary: 'Get a product', params: idParams, response: { 200: productView } },
    },
    async (request) => products.getProduct({ ctx: request.ctx, input: request.params }),
  );

  app.patch(
    '/products/:id',
    {
      config: { access: REGISTRY },
      schema: {
        summary: 'Update a product',
        params: idParams,
        body: updateProductBody,
        response: { 200: productView },
      },
    },
    async (request) =>
      products.updateProduct({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  for (const [path, action, summary] of [
    ['archive', products.archiveProduct, 'Archive a product'],
    ['restore', products.restoreProduct, 'Restore an archived product'],
    ['register', products.registerProduct, 'Register a product in the registry'],
  ] as const) {
    app.post(
      `/products/:id/${path}`,
      {
        config: { access: REGISTRY },
        schema: { summary: summary, params: idParams, body: stateChangeBody, response: { 200: productView } },
      },
      async (request) =>
        action({ ctx: request.ctx, input: { id: request.params.id, version: request.body?.version } }),
    );
  }

  // ---------- photos ----------

  app.post(
    '/products/:id/photos',
    {
      config: { access: REGISTRY },
      schema: {
        summary: 'Upload a product photo',
        params: idParams,
        consumes: [MEDIA.multipart],
        response: { 201: photoView },
      },
    },
    async (request, reply) => {
      const { data } = await readUploadedFile(request, photos.photoMessages);
      reply.status(201);
      return photos.addPhoto({ ctx: request.ctx, input: { productId: request.params.id, data } });
    },
  );

  app.get(
    '/products/:id/photos/:photoId',
    {
      config: { access: REGISTRY },
      schema: {
        summary: 'Download a product photo',
        produces: [MEDIA.jpeg],
        params: photoParams,
        querystring: photoQuery,
      },
    },
    async (request, reply) => {
      const file = await photos.getPhotoFile({
        ctx: request.ctx,
        input: { productId: request.params.id, photoId: request.params.photoId, size: request.query.size },
      });
      // A photo id never changes content, so browsers may keep it; private while photos need a login.
      reply
        .header('cache-control', 'private, max-age=31536000, immutable')
        .header('etag', file.etag)
        .header('content-length', file.bytes)
        .type(file.mimeType);
      if (request.headers['if-none-match'] === file.etag) return reply.status(304).send();
      return reply.send(fs.createReadStream(file.path));
    },
  );

  app.delete(
    '/products/:id/photos/:photoId',
    {
      config: { access: REGISTRY },
      schema: { summary: 'Remove a product photo', params: photoParams, response: { 200: ok } },
    },
    async (request) => {
      await photos.removePhoto({
        ctx: request.ctx,
        input: { productId: request.params.id, photoId: request.params.photoId },
      });
      return { ok: true as const };
    },
  );

  app.put(
    '/products/:id/photos/order',
    {
      config: { access: REGISTRY },
      schema: {
        summary: "Reorder a product's photos",
        params: idParams,
        body: reorderPhotosBody,
        response: { 200: z.array(photoView) },
      },
    },
    async (request) =>
      photos.reorderPhotos({
        ctx: request.ctx,
        input: { productId: request.params.id, photoIds: request.body.photoIds },
      }),
  );

  // ---------- craft villages ----------

  app.get(
    '/craft-villages',
    {
      config: { access: REGISTRY },
      schema: {
        summary: 'List craft villages',
        querystring: listCraftVillagesQuery,
        response: { 200: craftVillagePage },
      },
    },
    async (request) => villages.listCraftVillages({ ctx: request.ctx, input: request.query }),
  );

  app.post(
    '/craft-villages',
    {
      config: { access: VILLAGE_WRITERS },
      schema: {
        summary: 'Create a craft village',
        body: createCraftVillageBody,
        response: { 201: craftVillageView },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return villages.createCraftVillage({ ctx: request.ctx, input: request.body });
    },
  );

  app.get(
    '/craft-villages/:id',
    {
      config: { access: REGISTRY },
      schema: { summary: 'Get a craft village', params: idParams, response: { 200: craftVillageView } },
    },
    async (request) => villages.getCraftVillage({ ctx: request.ctx, input: request.params }),
  );

  app.patch(
    '/craft-villages/:id',
    {
      config: { access: VILLAGE_WRITERS },
      schema: {
        summary: 'Update a craft village',
        params: idParams,
        body: updateCraftVillageBody,
        response: { 200: craftVillageView },
      },
    },
    async (request) =>
      villages.updateCraftVillage({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  for (const [path, action, summary] of [
    ['archive', villages.archiveCraftVillage, 'Archive a craft village'],
    ['restore', villages.restoreCraftVillage, 'Restore an archived craft village'],
  ] as const) {
    app.post(
      `/craft-villages/:id/${path}`,
      {
        config: { access: VILLAGE_WRITERS },
        schema: {
          summary: summary,
          params: idParams,
          body: stateChangeBody,
          response: { 200: craftVillageView },
        },
      },
      async (request) =>
        action({ ctx: request.ctx, input: { id: request.params.id, version: request.body?.version } }),
    );
  }
};
