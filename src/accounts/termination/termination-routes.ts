import { clearSessionCookie, requireSession, sessionOf } from '../../accounts/authenticate.js';
import { enforceRateLimit } from '../../accounts/rate-limit.js';
import { requestMeta } from '../../accounts/request-meta.js';
import type { App, AppContext } from '../../app-context.js';
import { requireStaff } from '../../console/require-staff.js';
import { closeAccount, reopenAccount } from './close-account.js';
import { closeOrganisation, reopenOrganisation } from './close-organisation.js';
import { requireOwnPassword } from './termination-actor.js';
import {
  ZCloseBody,
  ZClosureReply,
  ZReopenBody,
  ZReopenReply,
  ZTerminateBody,
  ZTerminationParams,
} from './termination-routes.types.js';

const HOUR = 3600_000;
/** Each closure checks the password: a stolen session must not be able to guess it here at leisure. */
const CLOSURES_PER_USER_HOUR = 5;

const replyOf = (closure: { closedAt: Date; contentDeletedAfter: Date }) => ({
  closedAt: closure.closedAt.toISOString(),
  contentDeletedAfter: closure.contentDeletedAfter.toISOString(),
});

/**
 * Termination (issue 7, point 6): the holder closes their account, the owner their organisation,
 * with the password; the operator terminates either with a statement of reasons, and reopens it
 * during the grace period.
 */
export function registerTerminationRoutes(app: App, ctx: AppContext): void {
  const tags = ['account'];
  const guard = { preHandler: requireSession(ctx) };

  app.post(
    '/api/account/close',
    { ...guard, schema: { tags, body: ZCloseBody, response: { 200: ZClosureReply } } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      await enforceRateLimit(ctx, `account-close:user:${userId}`, CLOSURES_PER_USER_HOUR, HOUR);
      await requireOwnPassword(ctx, userId, request.body.password);
      const closure = await closeAccount(
        ctx,
        userId,
        { id: userId, reason: null, meta: requestMeta(request) },
        request.log,
      );
      // The closure ended every session of the account, this one too.
      clearSessionCookie(reply, ctx);
      return replyOf(closure);
    },
  );

  app.post(
    '/api/organisations/:id/close',
    {
      ...guard,
      schema: {
        tags: ['organisations'],
        params: ZTerminationParams,
        body: ZCloseBody,
        response: { 200: ZClosureReply },
      },
    },
    async (request) => {
      const { userId } = sessionOf(request);
      await enforceRateLimit(ctx, `account-close:user:${userId}`, CLOSURES_PER_USER_HOUR, HOUR);
      await requireOwnPassword(ctx, userId, request.body.password);
      const closure = await closeOrganisation(
        ctx,
        request.params.id,
        { id: userId, reason: null, meta: requestMeta(request) },
        request.log,
      );
      return replyOf(closure);
    },
  );

  registerConsoleTerminationRoutes(app, ctx);
}

function registerConsoleTerminationRoutes(app: App, ctx: AppContext): void {
  const tags = ['console'];
  const staff = { preHandler: requireStaff(ctx, 'accounts.terminate') };
  const targets = [
    ['users', closeAccount, reopenAccount],
    ['organisations', closeOrganisation, reopenOrganisation],
  ] as const;

  for (const [path, close, reopen] of targets) {
    app.post(
      `/api/console/${path}/:id/terminate`,
      {
        ...staff,
        schema: { tags, params: ZTerminationParams, body: ZTerminateBody, response: { 200: ZClosureReply } },
      },
      async (request) => {
        const actor = {
          id: sessionOf(request).userId,
          reason: request.body.reason,
          meta: requestMeta(request),
        };
        return replyOf(await close(ctx, request.params.id, actor, request.log));
      },
    );

    app.post(
      `/api/console/${path}/:id/reopen`,
      {
        ...staff,
        schema: { tags, params: ZTerminationParams, body: ZReopenBody, response: { 200: ZReopenReply } },
      },
      async (request) => {
        const actor = {
          id: sessionOf(request).userId,
          reason: request.body?.reason ?? null,
          meta: requestMeta(request),
        };
        await reopen(ctx, request.params.id, actor, request.log);
        return { status: 'active' as const };
      },
    );
  }
}
