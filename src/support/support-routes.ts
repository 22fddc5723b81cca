import { requireSession, sessionOf } from '../accounts/authenticate.js';
import { enforceRateLimit } from '../accounts/rate-limit.js';
import type { App, AppContext } from '../app-context.js';
import {
  ZMessageBody,
  ZOpenTicketBody,
  ZTicketParams,
  ZTicketReply,
  ZTicketsReply,
} from './support-routes.types.js';
import { ticketDetail } from './ticket-store.js';
import { closeOwnTicket, listOwnTickets, openTicket, ownTicket, replyAsUser } from './user-tickets.js';

const HOUR = 3600_000;
/** Enough for anyone with a real question; a script filling the staff's queue stops here. */
const TICKETS_PER_USER_HOUR = 10;
const MESSAGES_PER_USER_HOUR = 60;

/** Support tickets of the signed-in user (the web app's /support pages). */
export function registerSupportRoutes(app: App, ctx: AppContext): void {
  const tags = ['support'];
  const guard = { preHandler: requireSession(ctx) };

  app.post(
    '/api/support/tickets',
    { ...guard, schema: { tags, body: ZOpenTicketBody, response: { 201: ZTicketReply } } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      await enforceRateLimit(ctx, `support-ticket:user:${userId}`, TICKETS_PER_USER_HOUR, HOUR);
      const ticket = await openTicket(ctx, userId, request.body, ctx.now());
      return reply.status(201).send({ ticket });
    },
  );

  app.get(
    '/api/support/tickets',
    { ...guard, schema: { tags, response: { 200: ZTicketsReply } } },
    async (request) => ({ tickets: await listOwnTickets(ctx, sessionOf(request).userId) }),
  );

  app.get(
    '/api/support/tickets/:id',
    { ...guard, schema: { tags, params: ZTicketParams, response: { 200: ZTicketReply } } },
    async (request) => {
      const ticket = await ownTicket(ctx, sessionOf(request).userId, request.params.id);
      return { ticket: await ticketDetail(ctx, ticket) };
    },
  );

  app.post(
    '/api/support/tickets/:id/messages',
    {
      ...guard,
      schema: { tags, params: ZTicketParams, body: ZMessageBody, response: { 201: ZTicketReply } },
    },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      await enforceRateLimit(ctx, `support-message:user:${userId}`, MESSAGES_PER_USER_HOUR, HOUR);
      const ticket = await replyAsUser(ctx, userId, request.params.id, request.body.body, ctx.now());
      return reply.status(201).send({ ticket });
    },
  );

  app.post(
    '/api/support/tickets/:id/close',
    { ...guard, schema: { tags, params: ZTicketParams, response: { 200: ZTicketReply } } },
    async (request) => ({
      ticket: await closeOwnTicket(ctx, sessionOf(request).userId, request.params.id, ctx.now()),
    }),
  );
}
