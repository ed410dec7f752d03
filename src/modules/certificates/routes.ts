import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_USER, rolesAccess } from '../../server/context';
import { MEDIA } from '../../server/openapi';
import { publicOrigin } from '../../server/public-origin';
import {
  certificateDetail,
  certificateMeta,
  certificatePage,
  certificateView,
  correctCertificateBody,
  decisionCertificatesParams,
  decisionCertificatesResult,
  issueCertificateBody,
  listCertificatesQuery,
  qrQuery,
  reEvaluationQueuePage,
  reEvaluationQueueQuery,
  revokeCertificateBody,
} from './contract';
import { issueCertificatesForDecision } from './decision-service';
import * as certificates from './service';

const idParams = z.object({ id: z.string().uuid() });
const MANAGE = rolesAccess('system_admin', 'province_officer');
const READ = rolesAccess('system_admin', 'province_officer', 'commune_officer', 'producer');

export const certificateRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/certificates/meta',
    {
      config: { access: ANY_USER },
      schema: {
        summary: 'Get the certificate lists and settings the forms need',
        response: { 200: certificateMeta },
      },
    },
    async () => certificates.getCertificateMeta(),
  );

  app.get(
    '/certificates',
    {
      config: { access: READ },
      schema: {
        summary: 'List certificates',
        querystring: listCertificatesQuery,
        response: { 200: certificatePage },
      },
    },
    async (request) =>
      certificates.listCertificates({
        ctx: request.ctx,
        input: { ...request.query, origin: publicOrigin(request) },
      }),
  );

  app.post(
    '/certificates',
    {
      config: { access: MANAGE },
      schema: {
        summary: 'Record a certificate',
        body: issueCertificateBody,
        response: { 201: certificateView },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return certificates.issueCertificate({
        ctx: request.ctx,
        input: { ...request.body, source: 'decision', origin: publicOrigin(request) },
      });
    },
  );

  app.post(
    '/certificates/from-decision/:decisionId',
    {
      config: { access: MANAGE },
      schema: {
        summary: 'Issue the certificates of a recognition decision',
        params: decisionCertificatesParams,
        response: { 200: decisionCertificatesResult },
      },
    },
    async (request) =>
      issueCertificatesForDecision({
        ctx: request.ctx,
        input: { decisionId: request.params.decisionId, origin: publicOrigin(request) },
      }),
  );

  app.get(
    '/certificates/re-evaluation-queue',
    {
      config: { access: MANAGE },
      schema: {
        summary: 'List certificates due for re-evaluation',
        querystring: reEvaluationQueueQuery,
        response: { 200: reEvaluationQueuePage },
      },
    },
    async (request) => certificates.listReEvaluationQueue({ ctx: request.ctx, input: request.query }),
  );

  app.get(
    '/certificates/:id',
    {
      config: { access: READ },
      schema: { summary: 'Get a certificate', params: idParams, response: { 200: certificateDetail } },
    },
    async (request) =>
      certificates.getCertificate({
        ctx: request.ctx,
        input: { id: request.params.id, origin: publicOrigin(request) },
      }),
  );

  app.post(
    '/certificates/:id/revocation',
    {
      config: { access: MANAGE },
      schema: {
        summary: 'Revoke a certificate',
        params: idParams,
        body: revokeCertificateBody,
        response: { 200: certificateView },
      },
    },
    async (request) =>
      certificates.revokeCertificate({
        ctx: request.ctx,
        input: { ...request.body, id: request.params.id, origin: publicOrigin(request) },
      }),
  );

  app.post(
    '/certificates/:id/corrections',
    {
      config: { access: MANAGE },
      schema: {
        summary: 'Correct a certificate',
        params: idParams,
        body: correctCertificateBody,
        response: { 201: certificateView },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return certificates.correctCertificate({
        ctx: request.ctx,
        input: { ...request.body, id: request.params.id, origin: publicOrigin(request) },
      });
    },
  );

  app.get(
    '/certificates/:id/pdf',
    {
      config: { access: READ },
      schema: { summary: 'Download a certificate as PDF', produces: [MEDIA.pdf], params: idParams },
    },
    async (request, reply) => {
      const { fileName, pdf } = await certificates.getCertificatePdf({
        ctx: request.ctx,
        input: { id: request.params.id, origin: publicOrigin(request) },
      });
      reply
        .header('content-disposition', `inline; filename="${fileName}"`)
        .header('cache-control', 'no-store');
      return reply.type('application/pdf').send(pdf);
    },
  );

  for (const format of ['png', 'svg'] as const) {
    app.get(
      `/certificates/:id/qr.${format}`,
      {
        config: { access: READ },
        schema: {
          summary: `Download a certificate's QR code (${format.toUpperCase()})`,
          produces: [format === 'png' ? MEDIA.png : MEDIA.svg],
          params: idParams,
          querystring: qrQuery,
        },
      },
      async (request, reply) => {
        const { fileName, body } = await certificates.getCertificateQr({
          ctx: request.ctx,
          input: { id: request.params.id, mm: request.query.mm, format, origin: publicOrigin(request) },
        });
        reply.header('content-disposition', `attachment; filename="${fileName}"`);
        return reply.type(format === 'png' ? 'image/png' : 'image/svg+xml').send(body);
      },
    );
  }
};
