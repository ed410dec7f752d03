import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { ANY_USER } from '../../server/context';
import * as advisory from './advisory-service';
import {
  advisoryReviewBody,
  advisoryReviewView,
  closeScoringBody,
  councilClosingView,
  dossierSheetsView,
  mySheetView,
  reopenScoringBody,
  reopenSheetBody,
  resultView,
  saveSheetBody,
} from './contract';
import { idParams, ok } from './route-parts';
import * as scoring from './scoring-service';

/** Scoring: each member's sheet, closing, and the advisory group's review and field visit. */
export const scoringRoutes: FastifyPluginAsyncZod = async (app) => {
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
};
