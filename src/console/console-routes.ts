import { z } from 'zod';
import { sessionOf } from '../accounts/authenticate.js';
import { requestMeta } from '../accounts/request-meta.js';
import type { App, AppContext } from '../app-context.js';
import { registerIncidentRoutes } from '../audit/incidents/incident-routes.js';
import { listSecurityEvents } from '../audit/list-security-events.js';
import { SECURITY_EVENT_TYPES } from '../audit/record-security-event.js';
import { MAX_ADJUSTMENT_REASON_LENGTH } from '../ledger/manual-adjustments.js';
import { formatAmount, isAmountText, parseAmount } from '../lib/money.js';
import { registerSupportConsoleRoutes } from '../support/support-console-routes.js';
import { adjustCredit } from './adjust-credit.js';
import { changeStaffRole } from './change-staff-role.js';
import { requireStaff } from './require-staff.js';
import { searchUsers } from './search-users.js';
import { STAFF_ROLES } from './staff-roles.js';
import { suspendUser, unsuspendUser } from './suspend-user.js';

const ZLimit = z.coerce.number().int().min(1).max(200).default(50);
const ZUserParams = z.object({ id: z.uuid() });
/** Every staff action on an account states why: it goes into the security log. */
const ZReasonBody = z.strictObject({
  reason: z.string().trim().min(1, { error: 'State a reason' }).max(1000),
});

const ZUsersQuery = z.object({
  query: z.string().max(254).optional(),
  limit: ZLimit,
  cursor: z.string().max(254).optional(),
});

const ZStaffRoleBody = z.strictObject({
  role: z.enum(STAFF_ROLES).nullable(),
  reason: ZReasonBody.shape.reason,
});

const ZCreditAdjustmentBody = z.strictObject({
  direction: z.enum(['credit', 'debit']),
  amount: z
    .string()
    // One refinement: zod runs them all, and parseAmount must not see text that is not an amount.
    .refine((text) => isAmountText(text) && parseAmount(text) > 0n, {
      error: 'A positive amount like "25" or "12.50"',
    }),
  reason: z.string().trim().min(1, { error: 'State a reason' }).max(MAX_ADJUSTMENT_REASON_LENGTH),
  /** Send the same key again to retry safely: the adjustment is made once. */
  idempotencyKey: z.string().min(1).max(200).optional(),
});

const ZSecurityEventsQuery = z.object({
  userId: z.uuid().optional(),
  type: z.enum(SECURITY_EVENT_TYPES).optional(),
  limit: ZLimit,
  beforeId: z
    .string()
    .regex(/^\d{1,19}$/, { error: 'A security event id' })
    .optional(),
});

/** The operator console's API: every route checks one staff permission (see staff-roles.ts). */
export function registerConsoleRoutes(app: App, ctx: AppContext): void {
  const tags = ['console'];
  registerIncidentRoutes(app, ctx);
  registerSupportConsoleRoutes(app, ctx);

  app.get(
    '/api/console/users',
    { preHandler: requireStaff(ctx, 'users.read'), schema: { tags, querystring: ZUsersQuery } },
    async (request) =>
      searchUsers(ctx.db, {
        query: request.query.query,
        limit: request.query.limit,
        after: request.query.cursor,
      }),
  );

  app.post(
    '/api/console/users/:id/suspend',
    {
      preHandler: requireStaff(ctx, 'users.suspend'),
      schema: { tags, params: ZUserParams, body: ZReasonBody },
    },
    async (request) => {
      const { user } = sessionOf(request);
      const { sessionsRevoked } = await suspendUser(ctx, {
        targetId: request.params.id,
        actor: { id: user.id, staffRole: user.staffRole },
        reason: request.body.reason,
        meta: requestMeta(request),
      });
      return { status: 'suspended', sessionsRevoked };
    },
  );

  app.post(
    '/api/console/users/:id/unsuspend',
    {
      preHandler: requireStaff(ctx, 'users.suspend'),
      schema: { tags, params: ZUserParams, body: ZReasonBody },
    },
    async (request) => {
      const { user } = sessionOf(request);
      await unsuspendUser(ctx, {
        targetId: request.params.id,
        actor: { id: user.id, staffRole: user.staffRole },
        reason: request.body.reason,
        meta: requestMeta(request),
      });
      return { status: 'active' };
    },
  );

  app.put(
    '/api/console/users/:id/staff-role',
    {
      preHandler: requireStaff(ctx, 'staff.manage'),
      schema: { tags, params: ZUserParams, body: ZStaffRoleBody },
    },
    async (request) => {
      const change = await changeStaffRole(ctx, {
        targetId: request.params.id,
        actorId: sessionOf(request).userId,
        role: request.body.role,
        reason: request.body.reason,
        meta: requestMeta(request),
      });
      return { userId: request.params.id, ...change };
    },
  );

  app.post(
    '/api/console/users/:id/credit-adjustments',
    {
      preHandler: requireStaff(ctx, 'credit.adjust'),
      schema: { tags, params: ZUserParams, body: ZCreditAdjustmentBody },
    },
    async (request, reply) => {
      const { direction, reason, idempotencyKey } = request.body;
      const amount = parseAmount(request.body.amount);
      const result = await adjustCredit(ctx, {
        targetId: request.params.id,
        actorId: sessionOf(request).userId,
        direction,
        amount,
        reason,
        idempotencyKey,
        meta: requestMeta(request),
      });
      return reply.status(result.replayed ? 200 : 201).send({
        transfer: {
          id: result.transferId,
          kind: direction === 'credit' ? 'manual_credit' : 'manual_debit',
          direction,
          amount: formatAmount(amount),
          reason,
          replayed: result.replayed,
        },
        balance: {
          balance: formatAmount(result.balance.balance),
          held: formatAmount(result.balance.held),
          available: formatAmount(result.balance.available),
        },
      });
    },
  );

  app.get(
    '/api/console/security-events',
    {
      preHandler: requireStaff(ctx, 'security_log.read'),
      schema: { tags, querystring: ZSecurityEventsQuery },
    },
    async (request) => {
      const events = await listSecurityEvents(ctx.db, request.query);
      return {
        data: events.map((event) => ({ ...event, occurredAt: event.occurredAt.toISOString() })),
        nextBeforeId: events.length === request.query.limit ? (events.at(-1)?.id ?? null) : null,
      };
    },
  );
}
