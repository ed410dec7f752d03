import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_USER, PUBLIC, rolesAccess } from '../../server/context';
import {
  changePasswordBody,
  councilMemberDirectory,
  councilMembersQuery,
  createUserBody,
  listUsersQuery,
  loginBody,
  resetPasswordBody,
  sessionView,
  updateUserBody,
  userPage,
  userView,
} from './contract';
import * as accounts from './service';
import { SESSION_COOKIE } from './session';

const idParams = z.object({ id: z.string().uuid() });
const ok = z.object({ ok: z.literal(true) });
const ADMIN = rolesAccess('system_admin');
/** Who seats evaluation councils. */
const COUNCIL_KEEPERS = rolesAccess('system_admin', 'province_officer');

export const accountRoutes: FastifyPluginAsyncZod = async (app) => {
  app.post(
    '/auth/login',
    {
      config: { access: PUBLIC },
      schema: {
        summary: 'Log in: sets the session cookie and returns the CSRF token',
        errorStatuses: [401, 429],
        body: loginBody,
        response: { 200: sessionView },
      },
    },
    async (request, reply) => {
      const result = await accounts.login({
        ctx: request.ctx,
        input: { ...request.body, userAgent: request.headers['user-agent'] },
      });
      reply.setCookie(SESSION_COOKIE, result.token, {
        path: '/',
        httpOnly: true,
        sameSite: 'strict',
        secure: request.ctx.config.cookieSecure,
        signed: true,
        expires: result.expiresAt,
      });
      return { user: result.user, csrfToken: result.csrfToken };
    },
  );

  app.post(
    '/auth/logout',
    {
      config: { access: ANY_USER },
      schema: { summary: 'Log out (ends the session)', response: { 200: ok } },
    },
    async (request, reply) => {
      await accounts.logout({ ctx: request.ctx });
      reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return { ok: true as const };
    },
  );

  app.get(
    '/auth/me',
    {
      config: { access: ANY_USER },
      schema: { summary: 'Get the logged-in user and the CSRF token', response: { 200: sessionView } },
    },
    async (request) => {
      const user = await accounts.currentUser({ ctx: request.ctx });
      return { user, csrfToken: request.ctx.actor!.csrfToken };
    },
  );

  app.post(
    '/auth/password',
    {
      config: { access: ANY_USER },
      schema: { summary: 'Change your own password', body: changePasswordBody, response: { 200: ok } },
    },
    async (request) => {
      await accounts.changeOwnPassword({ ctx: request.ctx, input: request.body });
      return { ok: true as const };
    },
  );

  app.get(
    '/users',
    {
      config: { access: ADMIN },
      schema: { summary: 'List users', querystring: listUsersQuery, response: { 200: userPage } },
    },
    async (request) => accounts.listUsers({ ctx: request.ctx, input: request.query }),
  );

  app.get(
    '/council-members',
    {
      config: { access: COUNCIL_KEEPERS },
      schema: {
        summary: 'List the people who may sit on an evaluation council',
        querystring: councilMembersQuery,
        response: { 200: councilMemberDirectory },
      },
    },
    async (request) => accounts.listCouncilMembers({ ctx: request.ctx, input: request.query }),
  );

  app.post(
    '/users',
    {
      config: { access: ADMIN },
      schema: { summary: 'Create a user', body: createUserBody, response: { 201: userView } },
    },
    async (request, reply) => {
      reply.status(201);
      return accounts.createUser({ ctx: request.ctx, input: request.body });
    },
  );

  app.get(
    '/users/:id',
    {
      config: { access: ADMIN },
      schema: { summary: 'Get a user', params: idParams, response: { 200: userView } },
    },
    async (request) => accounts.getUser({ ctx: request.ctx, input: request.params }),
  );

  app.patch(
    '/users/:id',
    {
      config: { access: ADMIN },
      schema: {
        summary: 'Update a user (name, role, scope, active)',
        params: idParams,
        body: updateUserBody,
        response: { 200: userView },
      },
    },
    async (request) =>
      accounts.updateUser({ ctx: request.ctx, input: { ...request.body, id: request.params.id } }),
  );

  app.post(
    '/users/:id/password-reset',
    {
      config: { access: ADMIN },
      schema: {
        summary: "Reset a user's password",
        params: idParams,
        body: resetPasswordBody,
        response: { 200: ok },
      },
    },
    async (request) => {
      await accounts.resetPassword({
        ctx: request.ctx,
        input: { id: request.params.id, newPassword: request.body.newPassword },
      });
      return { ok: true as const };
    },
  );
};
