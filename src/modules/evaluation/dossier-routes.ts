import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_USER } from '../../server/context';
import { MEDIA } from '../../server/openapi';
import { readUploadedFile } from '../../server/uploads';
import {
  assignBody,
  createDossierBody,
  documentParams,
  documentUploadQuery,
  documentView,
  dossierPage,
  dossierView,
  listDossiersQuery,
  listMyDossiersQuery,
  myDossierPage,
  registrationFormBody,
  scoringDocumentsView,
  selfAssessmentBody,
  transitionBody,
} from './contract';
import * as documents from './document-service';
import { idParams, ok, PRODUCER, PROVINCE, TRANSITION_ROUTES } from './route-parts';
import { DOCUMENT_EXTENSIONS } from './rules';
import * as evaluation from './service';

/** Dossiers: create, read, the lists, the owner's forms, the procedure's steps, and their documents. */
export const dossierRoutes: FastifyPluginAsyncZod = async (app) => {
  // ---------- dossiers ----------

  app.post(
    '/evaluation/cycles/:id/dossiers',
    {
      config: { access: PRODUCER },
      schema: {
        summary: 'Create a dossier in a cycle',
        params: idParams,
        body: createDossierBody,
        response: { 201: dossierView },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return evaluation.createDossier({
        ctx: request.ctx,
        input: { ...request.body, cycleId: request.params.id },
      });
    },
  );

  app.get(
    '/evaluation/cycles/:id/dossiers',
    {
      config: { access: ANY_USER },
      schema: {
        summary: 'List the dossiers of a cycle',
        params: idParams,
        querystring: listDossiersQuery,
        response: { 200: dossierPage },
      },
    },
    async (request) =>
      evaluation.listDossiers({ ctx: request.ctx, input: { ...request.query, cycleId: request.params.id } }),
  );

  app.get(
    '/evaluation/my-dossiers',
    {
      config: { access: PRODUCER },
      schema: {
        summary: "List the producer's own dossiers",
        querystring: listMyDossiersQuery,
        response: { 200: myDossierPage },
      },
    },
    async (request) => evaluation.listMyDossiers({ ctx: request.ctx, input: request.query }),
  );

  app.get(
    '/evaluation/dossiers/:id',
    {
      config: { access: ANY_USER },
      schema: { summary: 'Get a dossier', params: idParams, response: { 200: dossierView } },
    },
    async (request) => evaluation.getDossier({ ctx: request.ctx, input: request.params }),
  );

  app.get(
    '/evaluation/dossiers/:id/scoring-documents',
    {
      config: { access: ANY_USER },
      schema: {
        summary: 'Get the scoring sheet and rule-set a dossier is scored with',
        params: idParams,
        response: { 200: scoringDocumentsView },
      },
    },
    async (request) => evaluation.getScoringDocuments({ ctx: request.ctx, input: request.params }),
  );

  app.put(
    '/evaluation/dossiers/:id/registration-form',
    {
      config: { access: PRODUCER },
      schema: {
        summary: "Save a dossier's registration form",
        params: idParams,
        body: registrationFormBody,
        response: { 200: dossierView },
      },
    },
    async (request) =>
      evaluation.saveRegistrationForm({
        ctx: request.ctx,
        input: { ...request.body, id: request.params.id },
      }),
  );

  app.put(
    '/evaluation/dossiers/:id/self-assessment',
    {
      config: { access: PRODUCER },
      schema: {
        summary: "Save a dossier's self-assessment",
        params: idParams,
        body: selfAssessmentBody,
        response: { 200: dossierView },
      },
    },
    async (request) =>
      evaluation.saveSelfAssessment({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  for (const route of TRANSITION_ROUTES) {
    app.post(
      `/evaluation/dossiers/:id/${route.path}`,
      {
        config: { access: route.access },
        schema: {
          summary: route.summary,
          params: idParams,
          body: transitionBody,
          response: { 200: dossierView },
        },
      },
      async (request) =>
        evaluation.transitionDossier({
          ctx: request.ctx,
          input: { id: request.params.id, action: route.action, body: request.body },
        }),
    );
  }

  app.post(
    '/evaluation/dossiers/:id/assign',
    {
      config: { access: PROVINCE },
      schema: {
        summary: 'Assign a dossier to a council',
        params: idParams,
        body: assignBody,
        response: { 200: dossierView },
      },
    },
    async (request) =>
      evaluation.assignDossier({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  // ---------- documents ----------

  app.post(
    '/evaluation/dossiers/:id/documents',
    {
      config: { access: PRODUCER },
      schema: {
        summary: 'Upload a document to a dossier',
        errorStatuses: [422],
        params: idParams,
        querystring: documentUploadQuery,
        consumes: [MEDIA.multipart],
        response: { 201: documentView },
      },
    },
    async (request, reply) => {
      const file = await readUploadedFile(request, documents.documentMessages);
      reply.status(201);
      return documents.addDocument({
        ctx: request.ctx,
        input: { dossierId: request.params.id, item: request.query.item, ...file },
      });
    },
  );

  app.get(
    '/evaluation/dossiers/:id/documents',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "List a dossier's documents",
        params: idParams,
        response: { 200: z.object({ items: z.array(documentView) }) },
      },
    },
    async (request) => documents.listDocuments({ ctx: request.ctx, input: { dossierId: request.params.id } }),
  );

  app.get(
    '/evaluation/dossiers/:id/documents/:documentId',
    {
      config: { access: ANY_USER },
      schema: {
        summary: 'Download a dossier document',
        produces: [MEDIA.pdf, MEDIA.jpeg, MEDIA.png],
        params: documentParams,
      },
    },
    async (request, reply) => {
      const file = await documents.getDocumentFile({
        ctx: request.ctx,
        input: { dossierId: request.params.id, documentId: request.params.documentId },
      });
      // Evidence is personal data of the producer: never kept by shared caches.
      reply
        .header('cache-control', 'private, no-store')
        .header('etag', file.etag)
        .header('content-length', file.bytes)
        .header('x-content-type-options', 'nosniff')
        .header(
          'content-disposition',
          `attachment; filename="document.${DOCUMENT_EXTENSIONS[file.mimeType]}"; filename*=UTF-8''${encodeURIComponent(file.fileName)}`,
        )
        .type(file.mimeType);
      return reply.send(fs.createReadStream(file.path));
    },
  );

  app.delete(
    '/evaluation/dossiers/:id/documents/:documentId',
    {
      config: { access: PRODUCER },
      schema: { summary: 'Remove a document from a dossier', params: documentParams, response: { 200: ok } },
    },
    async (request) => {
      await documents.removeDocument({
        ctx: request.ctx,
        input: { dossierId: request.params.id, documentId: request.params.documentId },
      });
      return { ok: true as const };
    },
  );
};
