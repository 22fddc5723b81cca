import { sessionOf } from '../accounts/authenticate.js';
import { requestMeta } from '../accounts/request-meta.js';
import type { App, AppContext } from '../app-context.js';
import { requireStaff } from '../console/require-staff.js';
import {
  changeTicketStatus,
  listTicketsForStaff,
  readTicketAsStaff,
  replyAsStaff,
  type StaffActor,
} from './staff-tickets.js';
import {
  ZMessageBody,
  ZStaffTicketReply,
  ZStaffTicketsQuery,
  ZStaffTicketsReply,
  ZTicketParams,
  ZTicketStatusBody,
} from './support-routes.types.js';

/** Support tickets in the operator console, for admin and support staff. */
export function registerSupportConsoleRoutes(app: App, ctx: AppContext): void {
  const tags = ['console', 'support'];
  const staff = { preHandler: requireStaff(ctx, 'support.tickets') };
  const actor = (request: Parameters<typeof sessionOf>[0]): StaffActor => ({
    id: sessionOf(request).userId,
    meta: requestMeta(request),
  });

  app.get(
    '/api/console/support/tickets',
    { ...staff, schema: { tags, querystring: ZStaffTicketsQuery, response: { 200: ZStaffTicketsReply } } },
    async (request) => ({ tickets: await listTicketsForStaff(ctx, request.query) }),
  );

  app.get(
    '/api/console/support/tickets/:id',
    { ...staff, schema: { tags, params: ZTicketParams, response: { 200: ZStaffTicketReply } } },
    async (request) => ({ ticket: await readTicketAsStaff(ctx, request.params.id, actor(request)) }),
  );

  app.post(
    '/api/console/support/tickets/:id/messages',
    {
      ...staff,
      schema: { tags, params: ZTicketParams, body: ZMessageBody, response: { 201: ZStaffTicketReply } },
    },
    async (request, reply) => {
      const ticket = await replyAsStaff(
        ctx,
        request.params.id,
        request.body.body,
        actor(request),
        request.log,
      );
      return reply.status(201).send({ ticket });
    },
  );

  app.post(
    '/api/console/support/tickets/:id/status',
    {
      ...staff,
      schema: { tags, params: ZTicketParams, body: ZTicketStatusBody, response: { 200: ZStaffTicketReply } },
    },
    async (request) => ({
      ticket: await changeTicketStatus(ctx, request.params.id, request.body, actor(request)),
    }),
  );
}
