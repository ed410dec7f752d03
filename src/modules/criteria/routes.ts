import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { rolesAccess } from '../../server/context';
import { MEDIA } from '../../server/openapi';
import { readUploadedFile } from '../../server/uploads';
import {
  listRuleSetsQuery,
  listSheetsQuery,
  ruleSetExport,
  ruleSetImportResult,
  ruleSetList,
  ruleSetParametersBody,
  ruleSetView,
  ruleSetWorkbookImportResult,
  sheetImportResult,
  sheetList,
  sheetView,
  sheetWorkbookImportResult,
  shippedLoadBody,
  shippedLoadResult,
  versionBody,
} from './contract';
import { ruleSetBundleSchema, ruleSetSchema, sheetSchema } from './documents';
import { CRITERIA_READERS, CRITERIA_WRITERS } from './policy';
import * as criteria from './service';
import { XLSX_TYPE } from './workbook';
import * as workbooks from './workbook-service';

const idParams = z.object({ id: z.string().uuid() });
const READ = rolesAccess(...CRITERIA_READERS);
const WRITE = rolesAccess(...CRITERIA_WRITERS);

/** /api/v1/criteria: rule-set versions and scoring sheets as validated, versioned documents. */
export const criteriaRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/criteria/rule-sets',
    {
      config: { access: READ },
      schema: { summary: 'List rule-sets', querystring: listRuleSetsQuery, response: { 200: ruleSetList } },
    },
    async (request) => criteria.listRuleSets({ ctx: request.ctx, input: request.query }),
  );

  app.post(
    '/criteria/rule-sets',
    {
      config: { access: WRITE },
      schema: {
        summary: 'Import a rule-set (JSON document)',
        body: ruleSetSchema,
        response: { 200: ruleSetImportResult, 201: ruleSetImportResult },
      },
    },
    async (request, reply) => {
      const result = await criteria.importRuleSet({ ctx: request.ctx, input: request.body });
      reply.status(result.created ? 201 : 200);
      return result;
    },
  );

  app.get(
    '/criteria/rule-sets/:id',
    {
      config: { access: READ },
      schema: {
        summary: 'Get a rule-set with its validation problems',
        params: idParams,
        response: { 200: ruleSetView },
      },
    },
    async (request) => criteria.getRuleSet({ ctx: request.ctx, input: request.params }),
  );

  app.get(
    '/criteria/rule-sets/:id/export',
    {
      config: { access: READ },
      schema: {
        summary: 'Export a rule-set with its sheets (JSON document)',
        params: idParams,
        response: { 200: ruleSetExport },
      },
    },
    async (request, reply) => {
      const bundle = await criteria.exportRuleSet({ ctx: request.ctx, input: request.params });
      reply.header('content-disposition', `attachment; filename="criteria-${bundle.ruleSet.code}.json"`);
      return bundle;
    },
  );

  app.patch(
    '/criteria/rule-sets/:id/parameters',
    {
      config: { access: WRITE },
      schema: {
        summary: "Set a draft rule-set's open parameters",
        params: idParams,
        body: ruleSetParametersBody,
        response: { 200: ruleSetView },
      },
    },
    async (request) =>
      criteria.setRuleSetParameters({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  app.post(
    '/criteria/rule-sets/:id/activate',
    {
      config: { access: WRITE },
      schema: {
        summary: 'Activate a rule-set',
        params: idParams,
        body: versionBody,
        response: { 200: ruleSetView },
      },
    },
    async (request) =>
      criteria.activateRuleSet({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  app.post(
    '/criteria/rule-sets/:id/retire',
    {
      config: { access: WRITE },
      schema: {
        summary: 'Retire a rule-set',
        params: idParams,
        body: versionBody,
        response: { 200: ruleSetView },
      },
    },
    async (request) =>
      criteria.retireRuleSet({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  app.post(
    '/criteria/bundles',
    {
      config: { access: WRITE },
      schema: {
        summary: 'Import a rule-set with its sheets (JSON document)',
        body: ruleSetBundleSchema,
        response: {
          200: z.object({ ruleSet: ruleSetImportResult, sheets: z.array(sheetImportResult) }),
        },
      },
    },
    async (request) => criteria.importBundle({ ctx: request.ctx, input: request.body }),
  );

  app.post(
    '/criteria/shipped',
    {
      config: { access: WRITE },
      schema: {
        summary: 'Load the rule-sets and sheets shipped with the platform',
        body: shippedLoadBody,
        response: { 200: shippedLoadResult },
      },
    },
    async (request) => criteria.loadShippedCriteria({ ctx: request.ctx }),
  );

  app.get(
    '/criteria/sheets',
    {
      config: { access: READ },
      schema: { summary: 'List scoring sheets', querystring: listSheetsQuery, response: { 200: sheetList } },
    },
    async (request) => criteria.listSheets({ ctx: request.ctx, input: request.query }),
  );

  app.post(
    '/criteria/sheets',
    {
      config: { access: WRITE },
      schema: {
        summary: 'Import a scoring sheet (JSON document)',
        body: sheetSchema,
        response: { 200: sheetImportResult, 201: sheetImportResult },
      },
    },
    async (request, reply) => {
      const result = await criteria.importSheet({ ctx: request.ctx, input: request.body });
      reply.status(result.created ? 201 : 200);
      return result;
    },
  );

  app.get(
    '/criteria/sheets/:id',
    {
      config: { access: READ },
      schema: {
        summary: 'Get a scoring sheet with its validation problems',
        params: idParams,
        response: { 200: sheetView },
      },
    },
    async (request) => criteria.getSheet({ ctx: request.ctx, input: request.params }),
  );

  app.get(
    '/criteria/sheets/:id/export',
    {
      config: { access: READ },
      schema: {
        summary: 'Export a scoring sheet (JSON document)',
        params: idParams,
        response: { 200: z.custom() },
      },
    },
    async (request, reply) => {
      const sheet = await criteria.exportSheet({ ctx: request.ctx, input: request.params });
      reply.header('content-disposition', `attachment; filename="sheet-${sheet.code}.json"`);
      return sheet;
    },
  );

  app.post(
    '/criteria/sheets/:id/activate',
    {
      config: { access: WRITE },
      schema: {
        summary: 'Activate a scoring sheet',
        params: idParams,
        body: versionBody,
        response: { 200: sheetView },
      },
    },
    async (request) =>
      criteria.activateSheet({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  app.post(
    '/criteria/sheets/:id/retire',
    {
      config: { access: WRITE },
      schema: {
        summary: 'Retire a scoring sheet',
        params: idParams,
        body: versionBody,
        response: { 200: sheetView },
      },
    },
    async (request) =>
      criteria.retireSheet({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  // ---------- scoring sheets as Excel workbooks ----------

  app.get(
    '/criteria/sheets/template.xlsx',
    {
      config: { access: READ },
      schema: { summary: 'Download the scoring-sheet workbook template', produces: [MEDIA.xlsx] },
    },
    async (_request, reply) => {
      const xlsx = await workbooks.sheetTemplateWorkbook();
      reply.header('content-disposition', 'attachment; filename="mau-phieu-cham.xlsx"');
      return reply.type(XLSX_TYPE).send(xlsx);
    },
  );

  app.get(
    '/criteria/sheets/:id/export.xlsx',
    {
      config: { access: READ },
      schema: { summary: 'Export a scoring sheet as a workbook', produces: [MEDIA.xlsx], params: idParams },
    },
    async (request, reply) => {
      const { fileName, xlsx } = await workbooks.exportSheetWorkbook({
        ctx: request.ctx,
        input: request.params,
      });
      reply.header('content-disposition', `attachment; filename="${fileName}"`);
      return reply.type(XLSX_TYPE).send(xlsx);
    },
  );

  app.post(
    '/criteria/sheets/import.xlsx',
    {
      config: { access: WRITE },
      schema: {
        summary: 'Import a scoring sheet from a workbook',
        consumes: [MEDIA.multipart],
        response: { 200: sheetWorkbookImportResult, 201: sheetWorkbookImportResult },
      },
    },
    async (request, reply) => {
      const { data } = await readUploadedFile(request, workbooks.workbookMessages);
      const result = await workbooks.importSheetWorkbook({ ctx: request.ctx, input: { data } });
      reply.status(result.created ? 201 : 200);
      return result;
    },
  );

  // ---------- rule-sets as Excel workbooks ----------

  app.get(
    '/criteria/rule-sets/template.xlsx',
    {
      config: { access: READ },
      schema: { summary: 'Download the rule-set workbook template', produces: [MEDIA.xlsx] },
    },
    async (_request, reply) => {
      const xlsx = await workbooks.ruleSetTemplateWorkbook();
      reply.header('content-disposition', 'attachment; filename="mau-bo-tieu-chi.xlsx"');
      return reply.type(XLSX_TYPE).send(xlsx);
    },
  );

  app.get(
    '/criteria/rule-sets/:id/export.xlsx',
    {
      config: { access: READ },
      schema: { summary: 'Export a rule-set as a workbook', produces: [MEDIA.xlsx], params: idParams },
    },
    async (request, reply) => {
      const { fileName, xlsx } = await workbooks.exportRuleSetWorkbook({
        ctx: request.ctx,
        input: request.params,
      });
      reply.header('content-disposition', `attachment; filename="${fileName}"`);
      return reply.type(XLSX_TYPE).send(xlsx);
    },
  );

  app.post(
    '/criteria/rule-sets/import.xlsx',
    {
      config: { access: WRITE },
      schema: {
        summary: 'Import a rule-set from a workbook',
        consumes: [MEDIA.multipart],
        response: { 200: ruleSetWorkbookImportResult, 201: ruleSetWorkbookImportResult },
      },
    },
    async (request, reply) => {
      const { data } = await readUploadedFile(request, workbooks.workbookMessages);
      const result = await workbooks.importRuleSetWorkbook({ ctx: request.ctx, input: { data } });
      reply.status(result.created ? 201 : 200);
      return result;
    },
  );
};
