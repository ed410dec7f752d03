import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_USER, rolesAccess } from '../../server/context';
import {
  archiveSubjectBody,
  createSubjectBody,
  listSubjectsQuery,
  subjectCounts,
  subjectMeta,
  subjectPage,
  subjectView,
  updateSubjectBody,
} from './contract';
import * as subjects from './service';

const idParams = z.object({ id: z.string().uuid() });

/** Everyone who works with the registry; council members see dossiers, not the registry. */
const REGISTRY = rolesAccess('system_admin', 'province_officer', 'commune_officer', 'producer');
/** Placing subjects in an area, archiving and restoring them are officers' acts (policy.ts). */
const OFFICERS = rolesAccess('system_admin', 'province_officer', 'commune_officer');

export const subjectRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/subjects/meta',
    {
      config: { access: ANY_USER },
      schema: { summary: 'Get the subject types and lists the forms need', response: { 200: subjectMeta } },
    },
    async () => subjects.getSubjectMeta(),
  );

  app.get(
    '/subjects/counts',
    {
      config: { access: REGISTRY },
      schema: { summary: 'Count subjects by status', response: { 200: subjectCounts } },
    },
    async (request) => subjects.countSubjects(request.ctx),
  );

  app.get(
    '/subjects',
    {
      config: { access: REGISTRY },
      schema: {
        summary: 'List subjects (producers)',
        querystring: listSubjectsQuery,
        response: { 200: subjectPage },
      },
    },
    async (request) => subjects.listSubjects({ ctx: request.ctx, input: request.query }),
  );

  app.post(
    '/subjects',
    {
      config: { access: OFFICERS },
      schema: {
        summary: 'Register a subject (producer)',
        body: createSubjectBody,
        response: { 201: subjectView },
      },
    },
    async (request, reply) => {
      reply.status(201);
      return subjects.createSubject({ ctx: request.ctx, input: request.body });
    },
  );

  app.get(
    '/subjects/:id',
    {
      config: { access: REGISTRY },
      schema: { summary: 'Get a subject', params: idParams, response: { 200: subjectView } },
    },
    async (request) => subjects.getSubject({ ctx: request.ctx, input: request.params }),
  );

  app.patch(
    '/subjects/:id',
    {
      config: { access: REGISTRY },
      schema: {
        summary: 'Update a subject',
        params: idParams,
        body: updateSubjectBody,
        response: { 200: subjectView },
      },
    },
    async (request) =>
      subjects.updateSubject({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  app.post(
    '/subjects/:id/archive',
    {
      config: { access: OFFICERS },
      schema: {
        summary: 'Archive a subject',
        params: idParams,
        body: archiveSubjectBody,
        response: { 200: subjectView },
      },
    },
    async (request) =>
      subjects.archiveSubject({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  app.post(
    '/subjects/:id/restore',
    {
      config: { access: OFFICERS },
      schema: {
        summary: 'Restore an archived subject',
        params: idParams,
        body: archiveSubjectBody,
        response: { 200: subjectView },
      },
    },
    async (request) =>
      subjects.restoreSubject({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );
};
