import { z } from 'zod';
import type { App, AppContext } from '../../app-context.js';
import { ownAccountEvent, recordSecurityEvent } from '../../audit/record-security-event.js';
import {
  existingAccountMail,
  passwordResetMail,
  securityNoticeMail,
  sendMailSafely,
  verificationMail,
} from '../account-mails.js';
import {
  publicUser,
  ZDisplayName,
  ZEmail,
  ZLanguage,
  ZPassword,
  ZPublicUser,
  ZToken,
  ZUsername,
} from '../account-schemas.js';
import { clearSessionCookie, requireSession, sessionOf, setSessionCookie } from '../authenticate.js';
import { newVerificationToken, requestPasswordReset, resetPassword, verifyEmail } from '../credentials.js';
import { logIn } from '../log-in.js';
import { enforceRateLimit } from '../rate-limit.js';
import { requestMeta } from '../request-meta.js';
import { revokeSession } from '../sessions.js';
import { signUp } from '../sign-up.js';

const HOUR = 3600_000;
const ZAccepted = z.object({ status: z.literal('accepted'), message: z.string() });

const ZSignUpBody = z.strictObject({
  email: ZEmail,
  username: ZUsername,
  password: ZPassword,
  displayName: ZDisplayName.min(1).optional(),
  /** The language the visitor used the app in while signing up; without it, the default (English). */
  language: ZLanguage.optional(),
  ageConfirmed: z.literal(true, { error: 'You must confirm that you are 18 or older' }),
  acceptedDocuments: z.strictObject(
    {
      terms: z.string({ error: 'You must accept the Terms of Service (send its version)' }).max(32),
      privacy: z.string({ error: 'You must accept the Privacy Policy (send its version)' }).max(32),
    },
    { error: 'You must accept the Terms of Service and the Privacy Policy' },
  ),
});

const ZLogInBody = z.strictObject({
  email: ZEmail,
  password: ZPassword,
  totpCode: z
    .string()
    .regex(/^\d{6}$/, { error: 'A code has 6 digits' })
    .optional(),
  recoveryCode: z.string().min(8).max(32).optional(),
});

const ZSessionReply = z.object({ user: ZPublicUser, csrfToken: z.string() });

export function registerAuthRoutes(app: App, ctx: AppContext): void {
  const limits = ctx.config;

  app.post(
    '/api/auth/signup',
    { schema: { tags: ['auth'], body: ZSignUpBody, response: { 201: ZAccepted } } },
    async (request, reply) => {
      const meta = requestMeta(request);
      await enforceRateLimit(ctx, `signup:ip:${meta.ip}`, limits.SIGNUP_LIMIT_PER_IP_HOUR, HOUR);
      const result = await signUp(ctx, request.body, meta);
      if (result.outcome === 'created') {
        await sendMailSafely(
          ctx,
          verificationMail(ctx, request.body.email, result.verificationToken),
          request.log,
        );
      } else {
        await sendMailSafely(ctx, existingAccountMail(ctx, request.body.email), request.log);
      }
      // Identical answer whether or not the address had an account.
      return reply
        .status(201)
        .send({ status: 'accepted', message: 'Check your e-mail to confirm your address' });
    },
  );

  app.post(
    '/api/auth/verify-email',
    { schema: { tags: ['auth'], body: z.strictObject({ token: ZToken }) } },
    async (request) => {
      await verifyEmail(ctx, request.body.token, requestMeta(request));
      return { status: 'verified' };
    },
  );

  app.post(
    '/api/auth/verify-email/resend',
    { schema: { tags: ['auth'], body: z.strictObject({ email: ZEmail }), response: { 202: ZAccepted } } },
    async (request, reply) => {
      const meta = requestMeta(request);
      await enforceRateLimit(ctx, `mail:ip:${meta.ip}`, limits.RESET_LIMIT_PER_IP_HOUR, HOUR);
      await enforceRateLimit(ctx, `mail:email:${request.body.email}`, 5, HOUR);
      const token = await newVerificationToken(ctx, request.body.email);
      if (token) await sendMailSafely(ctx, verificationMail(ctx, request.body.email, token), request.log);
      return reply
        .status(202)
        .send({ status: 'accepted', message: 'If the address needs confirming, a link is on its way' });
    },
  );

  app.post(
    '/api/auth/login',
    { schema: { tags: ['auth'], body: ZLogInBody, response: { 200: ZSessionReply } } },
    async (request, reply) => {
      const meta = requestMeta(request);
      await enforceRateLimit(ctx, `login:ip:${meta.ip}`, limits.LOGIN_LIMIT_PER_IP_10MIN, 10 * 60_000);
      const { session, user } = await logIn(ctx, request.body, meta);
      setSessionCookie(reply, ctx, session.token, session.expiresAt);
      return { user: publicUser(user), csrfToken: session.csrfToken };
    },
  );

  app.post(
    '/api/auth/logout',
    { schema: { tags: ['auth'] }, preHandler: requireSession(ctx) },
    async (request, reply) => {
      const principal = sessionOf(request);
      const now = ctx.now();
      await revokeSession(ctx.db, principal.userId, principal.sessionId, now);
      await recordSecurityEvent(
        ctx.db,
        ownAccountEvent('sign_out', principal.userId, requestMeta(request), now),
      );
      clearSessionCookie(reply, ctx);
      return { status: 'signed_out' };
    },
  );

  app.get(
    '/api/auth/session',
    { schema: { tags: ['auth'], response: { 200: ZSessionReply } }, preHandler: requireSession(ctx) },
    async (request) => {
      const principal = sessionOf(request);
      return { user: publicUser(principal.user), csrfToken: principal.csrfToken };
    },
  );

  app.post(
    '/api/auth/password-reset',
    { schema: { tags: ['auth'], body: z.strictObject({ email: ZEmail }), response: { 202: ZAccepted } } },
    async (request, reply) => {
      const meta = requestMeta(request);
      await enforceRateLimit(ctx, `mail:ip:${meta.ip}`, limits.RESET_LIMIT_PER_IP_HOUR, HOUR);
      await enforceRateLimit(ctx, `mail:email:${request.body.email}`, 5, HOUR);
      const token = await requestPasswordReset(ctx, request.body.email, meta);
      if (token) await sendMailSafely(ctx, passwordResetMail(ctx, request.body.email, token), request.log);
      return reply
        .status(202)
        .send({ status: 'accepted', message: 'If the address has an account, a reset link is on its way' });
    },
  );

  app.post(
    '/api/auth/password-reset/confirm',
    { schema: { tags: ['auth'], body: z.strictObject({ token: ZToken, password: ZPassword }) } },
    async (request) => {
      const meta = requestMeta(request);
      await enforceRateLimit(ctx, `reset-confirm:ip:${meta.ip}`, limits.RESET_LIMIT_PER_IP_HOUR, HOUR);
      const email = await resetPassword(ctx, request.body.token, request.body.password, meta);
      await sendMailSafely(ctx, securityNoticeMail(ctx, email, 'your password was reset'), request.log);
      return { status: 'password_reset' };
    },
  );
}
