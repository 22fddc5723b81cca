import { z } from 'zod';
import { sessionOf } from '../../accounts/authenticate.js';
import type { App, AppContext } from '../../app-context.js';
import { requireStaff } from '../../console/require-staff.js';
import {
  LEGAL_HOLD_SCOPES,
  type LegalHold,
  listLegalHolds,
  placeLegalHold,
  releaseLegalHold,
} from './legal-holds.js';
import { runRetention } from './run-retention.js';

const ZPlaceHold = z.strictObject({
  scope: z.enum(LEGAL_HOLD_SCOPES),
  subjectId: z.string().trim().min(1).max(200),
  reason: z.string().trim().min(1, { error: 'State the reason for the hold' }).max(2000),
});
const ZHoldParams = z.object({ id: z.uuid() });
const ZHoldsQuery = z.object({ active: z.enum(['true', 'false']).default('true') });

function holdJson(hold: LegalHold) {
  return {
    id: hold.id,
    scope: hold.scope,
    subjectId: hold.subjectId,
    reason: hold.reason,
    ownerId: hold.ownerId,
    createdAt: hold.createdAt.toISOString(),
    releasedAt: hold.releasedAt?.toISOString() ?? null,
    releasedBy: hold.releasedBy,
  };
}

/** Legal holds and the retention sweep, for the operator's admin and privacy staff. */
export function registerLegalHoldRoutes(app: App, ctx: AppContext): void {
  const tags = ['console', 'privacy'];
  const staff = { preHandler: requireStaff(ctx, 'retention.manage') };

  app.get(
    '/api/console/legal-holds',
    { ...staff, schema: { tags, querystring: ZHoldsQuery } },
    async (request) => ({
      holds: (await listLegalHolds(ctx.db, { active: request.query.active === 'true' })).map(holdJson),
    }),
  );

  app.post(
    '/api/console/legal-holds',
    { ...staff, schema: { tags, body: ZPlaceHold } },
    async (request, reply) => {
      const hold = await placeLegalHold(ctx.db, {
        ...request.body,
        ownerId: sessionOf(request).user.id,
        now: ctx.now(),
      });
      return reply.status(201).send({ hold: holdJson(hold) });
    },
  );

  app.post(
    '/api/console/legal-holds/:id/release',
    { ...staff, schema: { tags, params: ZHoldParams } },
    async (request) => ({
      hold: holdJson(
        await releaseLegalHold(ctx.db, {
          id: request.params.id,
          actorId: sessionOf(request).user.id,
          now: ctx.now(),
        }),
      ),
    }),
  );

  app.post('/api/console/retention/run', { ...staff, schema: { tags } }, async () => runRetention(ctx));
}
