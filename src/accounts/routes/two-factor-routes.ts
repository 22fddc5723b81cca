import { z } from 'zod';
import type { App, AppContext } from '../../app-context.js';
import { securityNoticeMail, sendMailSafely } from '../account-mails.js';
import { ZPassword } from '../account-schemas.js';
import { requireSession, sessionOf } from '../authenticate.js';
import { enforceRateLimit } from '../rate-limit.js';
import { requestMeta } from '../request-meta.js';
import {
  disableTwoFactor,
  enableTwoFactor,
  regenerateRecoveryCodes,
  startTwoFactorSetup,
} from '../two-factor.js';

/** Loose on purpose: a malformed code gets the same answer as a wrong one. */
const ZCode = z.string().min(1, { error: 'Enter a code' }).max(64);
const ZRecoveryCodesReply = z.object({ recoveryCodes: z.array(z.string()), notice: z.string() });
const RECOVERY_NOTICE =
  'Store these recovery codes somewhere safe: each works once, and they are shown only now.';

/** A stolen session alone must not be able to guess codes or passwords here at leisure. */
const ATTEMPTS_PER_WINDOW = 10;
const ATTEMPT_WINDOW_MS = 15 * 60_000;

export function registerTwoFactorRoutes(app: App, ctx: AppContext): void {
  const guard = { preHandler: requireSession(ctx) };
  const limitAttempts = (userId: string) =>
    enforceRateLimit(ctx, `two-factor:user:${userId}`, ATTEMPTS_PER_WINDOW, ATTEMPT_WINDOW_MS);

  app.post(
    '/api/account/2fa/setup',
    {
      ...guard,
      schema: {
        tags: ['account'],
        response: { 200: z.object({ secret: z.string(), otpauthUrl: z.string() }) },
      },
    },
    async (request) => startTwoFactorSetup(ctx, sessionOf(request).userId),
  );

  app.post(
    '/api/account/2fa/enable',
    {
      ...guard,
      schema: {
        tags: ['account'],
        body: z.strictObject({ code: ZCode }),
        response: { 200: ZRecoveryCodesReply },
      },
    },
    async (request) => {
      const { userId } = sessionOf(request);
      await limitAttempts(userId);
      const result = await enableTwoFactor(ctx, userId, request.body.code, requestMeta(request));
      await sendMailSafely(
        ctx,
        securityNoticeMail(ctx, result.email, 'two-factor authentication was turned on'),
        request.log,
      );
      return { recoveryCodes: result.recoveryCodes, notice: RECOVERY_NOTICE };
    },
  );

  app.post(
    '/api/account/2fa/disable',
    {
      ...guard,
      schema: { tags: ['account'], body: z.strictObject({ password: ZPassword, code: ZCode }) },
    },
    async (request) => {
      const { userId } = sessionOf(request);
      await limitAttempts(userId);
      const email = await disableTwoFactor(ctx, userId, request.body, requestMeta(request));
      await sendMailSafely(
        ctx,
        securityNoticeMail(ctx, email, 'two-factor authentication was turned off'),
        request.log,
      );
      return { status: 'disabled' };
    },
  );

  app.post(
    '/api/account/2fa/recovery-codes',
    {
      ...guard,
      schema: {
        tags: ['account'],
        body: z.strictObject({ password: ZPassword }),
        response: { 200: ZRecoveryCodesReply },
      },
    },
    async (request) => {
      const { userId } = sessionOf(request);
      await limitAttempts(userId);
      const result = await regenerateRecoveryCodes(ctx, userId, request.body.password, requestMeta(request));
      await sendMailSafely(
        ctx,
        securityNoticeMail(ctx, result.email, 'new two-factor recovery codes were generated'),
        request.log,
      );
      return { recoveryCodes: result.recoveryCodes, notice: RECOVERY_NOTICE };
    },
  );
}
