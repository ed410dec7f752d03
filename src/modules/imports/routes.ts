import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rolesAccess } from '../../server/context';
import { MEDIA } from '../../server/openapi';
import { readUploadedFile } from '../../server/uploads';
import {
  chooseSheetBody,
  commitBody,
  decideBody,
  decideValueBody,
  importJobPage,
  importJobView,
  importReport,
  importRowView,
  incompleteRecordPage,
  listImportsQuery,
  listIncompleteQuery,
  previewQuery,
  previewView,
  rowParams,
  setMappingBody,
} from './contract';
import { uploadMessages } from './messages';
import * as imports from './service';

const IMPORTERS = rolesAccess('system_admin', 'province_officer');
const idParams = z.object({ id: z.string().uuid() });
const uploadQuery = z.object({
  /** Required for administrators; a province officer imports for their own province. */
  provinceCode: z
    .string()
    .regex(/^\d{2}$/, { message: 'adminUnits.provinceCode' })
    .optional(),
});

export const importRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/imports',
    {
      config: { access: IMPORTERS },
      schema: {
        summary: 'Upload a registry file (Excel or CSV) to import',
        querystring: uploadQuery,
        consumes: [MEDIA.multipart],
        response: { 201: importJobView },
      },
    },
    async (request, reply) => {
      const upload = await readUploadedFile(request, uploadMessages);
      reply.status(201);
      return imports.uploadImport({
        ctx: request.ctx,
        input: {
          data: upload.data,
          fileName: upload.fileName ?? '',
          provinceCode: request.query.provinceCode,
        },
      });
    },
  );

  app.get(
    '/imports',
    {
      config: { access: IMPORTERS },
      schema: {
        summary: 'List registry imports',
        querystring: listImportsQuery,
        response: { 200: importJobPage },
      },
    },
    async (request) => imports.listImports({ ctx: request.ctx, input: request.query }),
  );

  app.get(
    '/imports/incomplete',
    {
      config: { access: IMPORTERS },
      schema: {
        summary: 'List imported records the registry left incomplete',
        querystring: listIncompleteQuery,
        response: { 200: incompleteRecordPage },
      },
    },
    async (request) => imports.listIncompleteRecords({ ctx: request.ctx, input: request.query }),
  );

  app.get(
    '/imports/:id',
    {
      config: { access: IMPORTERS },
      schema: { summary: 'Get a registry import', params: idParams, response: { 200: importJobView } },
    },
    async (request) => imports.getImport({ ctx: request.ctx, input: request.params }),
  );

  app.put(
    '/imports/:id/mapping',
    {
      config: { access: IMPORTERS },
      schema: {
        summary: "Set how an import's columns map to the registry's fields",
        params: idParams,
        body: setMappingBody,
        response: { 200: importJobView },
      },
    },
    async (request) =>
      imports.setImportMapping({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  app.put(
    '/imports/:id/sheet',
    {
      config: { access: IMPORTERS },
      schema: {
        summary: 'Read another sheet of an uploaded workbook',
        params: idParams,
        body: chooseSheetBody,
        response: { 200: importJobView },
      },
    },
    async (request) =>
      imports.chooseImportSheet({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  app.get(
    '/imports/:id/preview',
    {
      config: { access: IMPORTERS },
      schema: {
        summary: "Preview an import's first rows as read",
        params: idParams,
        querystring: previewQuery,
        response: { 200: previewView },
      },
    },
    async (request) =>
      imports.previewImport({
        ctx: request.ctx,
        input: { id: request.params.id, limit: request.query.limit },
      }),
  );

  app.post(
    '/imports/:id/dry-run',
    {
      config: { access: IMPORTERS },
      schema: {
        summary: 'Check an import without writing anything (dry run)',
        params: idParams,
        response: { 200: importReport },
      },
    },
    async (request) => imports.dryRunImport({ ctx: request.ctx, input: request.params }),
  );

  app.get(
    '/imports/:id/report',
    {
      config: { access: IMPORTERS },
      schema: {
        summary: "Get an import's dry-run report",
        params: idParams,
        response: { 200: importReport },
      },
    },
    async (request) => imports.getImportReport({ ctx: request.ctx, input: request.params }),
  );

  app.post(
    '/imports/:id/rows/:rowNumber/decision',
    {
      config: { access: IMPORTERS },
      schema: {
        summary: 'Decide what to do with one row of an import',
        params: rowParams,
        body: decideBody,
        response: { 200: importRowView },
      },
    },
    async (request) =>
      imports.decideImportRow({
        ctx: request.ctx,
        input: { ...request.body, id: request.params.id, rowNumber: request.params.rowNumber },
      }),
  );

  app.post(
    '/imports/:id/decisions',
    {
      config: { access: IMPORTERS },
      schema: {
        summary: 'Answer a question of an import once for every row with that value',
        params: idParams,
        body: decideValueBody,
        response: { 200: importReport },
      },
    },
    async (request) =>
      imports.decideImportValue({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  app.post(
    '/imports/:id/commit',
    {
      config: { access: IMPORTERS },
      schema: {
        summary: 'Commit an import (runs as a job)',
        params: idParams,
        body: commitBody,
        response: { 202: importJobView },
      },
    },
    async (request, reply) => {
      reply.status(202);
      return imports.requestCommit({ ctx: request.ctx, input: { ...request.body, id: request.params.id } });
    },
  );
};
