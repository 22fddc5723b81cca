import { z } from 'zod';
import { ZDisplayName, ZEmail, ZPassword, ZPublicUser, ZToken, ZUsername } from '../account-schemas.js';

export const ZUpdateProfileBody = z
  .strictObject({
    username: ZUsername.optional(),
    /** An empty string (after trimming) or null clears it. */
    displayName: ZDisplayName.nullable().optional(),
  })
  .refine((body) => body.username !== undefined || body.displayName !== undefined, {
    error: 'Send a username or a displayName to change',
  });
export type TUpdateProfileBody = z.infer<typeof ZUpdateProfileBody>;

export const ZProfileReply = z.object({ user: ZPublicUser });

export const ZChangeEmailBody = z.strictObject({
  newEmail: ZEmail,
  password: ZPassword,
});

export const ZChangeEmailReply = z.object({ status: z.literal('accepted'), message: z.string() });

export const ZConfirmEmailBody = z.strictObject({ token: ZToken });

export const ZConfirmEmailReply = z.object({ status: z.literal('email_changed'), email: z.string() });
