import type { App, AppContext } from '../../app-context.js';
import {
  emailChangeMail,
  emailChangeRequestedMail,
  securityNoticeMail,
  sendMailSafely,
} from '../account-mails.js';
import { publicUser } from '../account-schemas.js';
import { requireSession, sessionOf } from '../authenticate.js';
import { confirmEmailChange, requestEmailChange } from '../change-email.js';
import { updateProfile } from '../profile.js';
import { enforceRateLimit } from '../rate-limit.js';
import { requestMeta } from '../request-meta.js';
import {
  ZChangeEmailBody,
  ZChangeEmailReply,
  ZConfirmEmailBody,
  ZConfirmEmailReply,
  ZProfileReply,
  ZUpdateProfileBody,
} from './profile-routes.types.js';

const HOUR = 3600_000;
/** A stolen session alone must not be able to guess the password here at leisure, nor flood mailboxes. */
const EMAIL_CHANGES_PER_USER_HOUR = 5;

/** The signed-in user's profile: username, display name and e-mail address. */
export function registerProfileRoutes(app: App, ctx: AppContext): void {
  const guard = { preHandler: requireSession(ctx) };

  app.patch(
    '/api/account/profile',
    { ...guard, schema: { tags: ['account'], body: ZUpdateProfileBody, response: { 200: ZProfileReply } } },
    async (request) => {
      const { userId } = sessionOf(request);
      const user = await updateProfile(ctx, userId, request.body, requestMeta(request));
      return { user: publicUser(user) };
    },
  );

  app.post(
    '/api/account/email',
    { ...guard, schema: { tags: ['account'], body: ZChangeEmailBody, response: { 202: ZChangeEmailReply } } },
    async (request, reply) => {
      const { userId } = sessionOf(request);
      const meta = requestMeta(request);
      const { newEmail } = request.body;
      await enforceRateLimit(ctx, `email-change:user:${userId}`, EMAIL_CHANGES_PER_USER_HOUR, HOUR);
      await enforceRateLimit(ctx, `mail:ip:${meta.ip}`, ctx.config.RESET_LIMIT_PER_IP_HOUR, HOUR);
      await enforceRateLimit(ctx, `mail:email:${newEmail}`, 5, HOUR);
      const { currentEmail, token } = await requestEmailChange(ctx, userId, request.body, meta);
      await sendMailSafely(ctx, emailChangeMail(ctx, newEmail, token), request.log);
      await sendMailSafely(ctx, emailChangeRequestedMail(ctx, currentEmail, newEmail), request.log);
      return reply.status(202).send({
        status: 'accepted',
        message: `We sent a confirmation link to ${newEmail}. Your address changes when you open it.`,
      });
    },
  );

  app.post(
    '/api/account/email/confirm',
    { schema: { tags: ['account'], body: ZConfirmEmailBody, response: { 200: ZConfirmEmailReply } } },
    async (request) => {
      const meta = requestMeta(request);
      await enforceRateLimit(ctx, `email-confirm:ip:${meta.ip}`, ctx.config.RESET_LIMIT_PER_IP_HOUR, HOUR);
      const { previousEmail, email } = await confirmEmailChange(ctx, request.body.token, meta);
      await sendMailSafely(
        ctx,
        securityNoticeMail(ctx, previousEmail, `your e-mail address was changed to ${email}`),
        request.log,
      );
      return { status: 'email_changed' as const, email };
    },
  );
}
