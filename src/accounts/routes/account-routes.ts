import { z } from 'zod';
import type { App, AppContext } from '../../app-context.js';
import { ownAccountEvent, recordSecurityEvent } from '../../audit/record-security-event.js';
import { MixgateError } from '../../lib/errors.js';
import { securityNoticeMail, sendMailSafely } from '../account-mails.js';
import { ZPassword } from '../account-schemas.js';
import { requireSession, sessionOf } from '../authenticate.js';
import { changePassword } from '../credentials.js';
import { requestMeta } from '../request-meta.js';
import { listSessions, revokeOtherSessions, revokeSession } from '../sessions.js';

/** The signed-in user's own account: sessions ("log out other devices") and password. */
export function registerAccountSettingsRoutes(app: App, ctx: AppContext): void {
  const guard = { preHandler: requireSession(ctx) };

  app.get('/api/account/sessions', { ...guard, schema: { tags: ['account'] } }, async (request) => {
    const principal = sessionOf(request);
    const rows = await listSessions(ctx.db, principal.userId, ctx.now());
    return {
      data: rows.map((row) => ({
        id: row.id,
        current: row.id === principal.sessionId,
        ip: row.ip,
        userAgent: row.userAgent,
        country: row.country,
        createdAt: row.createdAt.toISOString(),
        lastSeenAt: row.lastSeenAt.toISOString(),
        expiresAt: row.expiresAt.toISOString(),
      })),
    };
  });

  app.delete(
    '/api/account/sessions/:id',
    { ...guard, schema: { tags: ['account'], params: z.object({ id: z.uuid() }) } },
    async (request) => {
      const principal = sessionOf(request);
      const now = ctx.now();
      if (!(await revokeSession(ctx.db, principal.userId, request.params.id, now))) {
        throw new MixgateError('not_found', 'No such active session');
      }
      await recordSecurityEvent(
        ctx.db,
        ownAccountEvent('session_revoked', principal.userId, requestMeta(request), now, {
          sessionId: request.params.id,
        }),
      );
      return { status: 'revoked' };
    },
  );

  app.post(
    '/api/account/sessions/revoke-others',
    { ...guard, schema: { tags: ['account'] } },
    async (request) => {
      const principal = sessionOf(request);
      const now = ctx.now();
      const revoked = await revokeOtherSessions(ctx.db, principal.userId, now, principal.sessionId);
      await recordSecurityEvent(
        ctx.db,
        ownAccountEvent('session_revoked', principal.userId, requestMeta(request), now, {
          others: true,
          count: revoked,
        }),
      );
      return { status: 'revoked', count: revoked };
    },
  );

  app.post(
    '/api/account/password',
    {
      ...guard,
      schema: {
        tags: ['account'],
        body: z.strictObject({ currentPassword: ZPassword, newPassword: ZPassword }),
      },
    },
    async (request) => {
      const principal = sessionOf(request);
      const email = await changePassword(
        ctx,
        principal.userId,
        principal.sessionId,
        request.body,
        requestMeta(request),
      );
      await sendMailSafely(ctx, securityNoticeMail(ctx, email, 'your password was changed'), request.log);
      return { status: 'password_changed' };
    },
  );
}
