import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ANY_USER } from '../../server/context';
import { listNotificationsQuery, notificationPage, notificationView } from './contract';
import * as notifications from './service';

const idParams = z.object({ id: z.string().uuid() });

/** Every signed-in user has notices; each sees and marks only their own (the service checks). */
export const notificationRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/notifications',
    {
      config: { access: ANY_USER },
      schema: {
        summary: 'List your notifications',
        querystring: listNotificationsQuery,
        response: { 200: notificationPage },
      },
    },
    async (request) => notifications.listNotifications({ ctx: request.ctx, input: request.query }),
  );

  app.post(
    '/notifications/:id/read',
    {
      config: { access: ANY_USER },
      schema: {
        summary: 'Mark a notification as read',
        params: idParams,
        response: { 200: notificationView },
      },
    },
    async (request) =>
      notifications.markNotificationRead({ ctx: request.ctx, input: { id: request.params.id } }),
  );
};
