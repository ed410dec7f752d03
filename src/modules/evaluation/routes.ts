import fs from 'node:fs';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_USER, rolesAccess } from '../../server/context';
import { MEDIA } from '../../server/openapi';
import { readUploadedFile } from '../../server/uploads';
import * as advisory from './advisory-service';
import {
  addMemberBody,
  advisoryReviewBody,
  advisoryReviewView,
  assignBody,
  closeScoringBody,
  conflictBody,
  conflictView,
  councilClosingView,
  councilView,
  createCouncilBody,
  createCycleBody,
  createDecisionBody,
  createDossierBody,
  cycleList,
  cycleResults,
  cycleView,
  decisionList,
  decisionView,
  documentParams,
  documentUploadQuery,
  documentView,
  dossierPage,
  dossierSheetsView,
  dossierView,
  listCyclesQuery,
  listDossiersQuery,
  listMyDossiersQuery,
  myDossierPage,
  mySheetView,
  publishResult,
  registrationFormBody,
  reopenScoringBody,
  reopenSheetBody,
  resultView,
  saveSheetBody,
  scoringDocumentsView,
  selfAssessmentBody,
  transitionBody,
} from './contract';
import * as councils from './council-service';
import * as documents from './document-service';
import * as minutes from './minutes-service';
import * as results from './result-service';
import { DOCUMENT_EXTENSIONS } from './rules';
import * as scoring from './scoring-service';
import * as evaluation from './service';

const idParams = z.object({ id: z.string().uuid() });
const ok = z.object({ ok: z.literal(true) });

const PROVINCE = rolesAccess('system_admin', 'province_officer');
const PRODUCER = rolesAccess('producer');
const COMMUNE = rolesAccess('commune_officer');
const OFFICERS = rolesAccess('system_admin', 'province_officer', 'commune_officer');

/** Steps of the procedure made by a person, with the roles that may ever make them (scope is the service's). */
const TRANSITION_ROUTES = [
  { path: 'submit', action: 'submit', access: PRODUCER, summary: 'Submit a dossier' },
  { path: 'resubmit', action: 'resubmit', access: PRODUCER, summary: 'Resubmit a returned dossier' },
  { path: 'withdraw', action: 'withdraw', access: PRODUCER, summary: 'Withdraw a dossier' },
  {
    path: 'precheck',
    action: 'precheck',
    access: COMMUNE,
    summary: "Record the commune's pre-check of a dossier",
  },
  {
    path: 'return',
    action: 'return',
    access: OFFICERS,
    summary: 'Return a dossier to its producer for changes',
  },
  { path: 'accept', action: 'accept', access: PROVINCE, summary: 'Accept a dossier for evaluation' },
  { path: 'propose', action: 'propose', access: PROVINCE, summary: 'Propose a dossier for recognition' },
  {
    path: 'not-recognise',
    action: 'not_recognise',
    access: PROVINCE,
    summary: 'Refuse recognition of a dossier',
  },
] as const satisfies readonly {
  path: string;
  action: evaluation.GenericAction;
  access: unknown;
  summary: string;
}[];

/** /api/v1/evaluation: cycles, dossiers and their documents, councils, scoring, results and decisions. */
export const evaluationRoutes: FastifyPluginAsyncZod = async (app) => {
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

  // ---------- scoring ----------

  app.get(
    '/evaluation/dossiers/:id/my-sheet',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "Get the caller's score sheet for a dossier",
        params: idParams,
        response: { 200: mySheetView },
      },
    },
    async (request) => scoring.getMySheet({ ctx: request.ctx, input: { dossierId: request.params.id } }),
  );

  app.put(
    '/evaluation/dossiers/:id/my-sheet',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "Save the caller's score sheet for a dossier",
        params: idParams,
        body: saveSheetBody,
        response: { 200: mySheetView },
      },
    },
    async (request) =>
      scoring.saveMySheet({ ctx: request.ctx, input: { ...request.body, dossierId: request.params.id } }),
  );

  app.post(
    '/evaluation/dossiers/:id/my-sheet/submit',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "Submit the caller's score sheet for a dossier",
        params: idParams,
        response: { 200: mySheetView },
      },
    },
    async (request) => scoring.submitMySheet({ ctx: request.ctx, input: { dossierId: request.params.id } }),
  );

  app.get(
    '/evaluation/dossiers/:id/sheets',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "List the council members' score sheets of a dossier",
        params: idParams,
        response: { 200: dossierSheetsView },
      },
    },
    async (request) =>
      scoring.listDossierSheets({ ctx: request.ctx, input: { dossierId: request.params.id } }),
  );

  app.post(
    '/evaluation/dossiers/:id/close-scoring',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "Close a dossier's scoring and compute its result",
        params: idParams,
        body: closeScoringBody,
        response: { 200: resultView },
      },
    },
    async (request) =>
      scoring.closeScoring({
        ctx: request.ctx,
        input: { dossierId: request.params.id, disqualifiers: request.body?.disqualifiers ?? [] },
      }),
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

  // ---------- advisory group: review and field visit ----------

  app.get(
    '/evaluation/dossiers/:id/advisory-review',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "Get the advisory group's review of a dossier",
        params: idParams,
        response: { 200: advisoryReviewView },
      },
    },
    async (request) =>
      advisory.getAdvisoryReview({ ctx: request.ctx, input: { dossierId: request.params.id } }),
  );

  app.put(
    '/evaluation/dossiers/:id/advisory-review',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "Save the advisory group's review of a dossier",
        params: idParams,
        body: advisoryReviewBody,
        response: { 200: advisoryReviewView },
      },
    },
    async (request) =>
      advisory.saveAdvisoryReview({
        ctx: request.ctx,
        input: { ...request.body, dossierId: request.params.id },
      }),
  );

  app.post(
    '/evaluation/councils/:id/close-scoring',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "Close the scoring of all a council's dossiers",
        params: idParams,
        response: { 200: councilClosingView },
      },
    },
    async (request) =>
      scoring.closeCouncilScoring({ ctx: request.ctx, input: { councilId: request.params.id } }),
  );

  app.post(
    '/evaluation/dossiers/:id/reopen-sheet',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "Reopen a member's submitted score sheet",
        params: idParams,
        body: reopenSheetBody,
        response: { 200: ok },
      },
    },
    async (request) =>
      scoring.reopenSheet({ ctx: request.ctx, input: { ...request.body, dossierId: request.params.id } }),
  );

  app.post(
    '/evaluation/dossiers/:id/reopen-scoring',
    {
      config: { access: ANY_USER },
      schema: {
        summary: "Reopen a dossier's closed scoring",
        params: idParams,
        body: reopenScoringBody,
        response: { 200: ok },
      },
    },
    async (request) =>
      scoring.reopenScoring({ ctx: request.ctx, input: { ...request.body, dossierId: request.params.id } }),
  );

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
