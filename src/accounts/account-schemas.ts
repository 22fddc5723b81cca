import { z } from 'zod';
import { LANGUAGES } from './preferences.js';

/** Shared field schemas for account routes (one definition each, reused by every route). */
export const ZEmail = z
  .email({ error: 'Enter a valid e-mail address' })
  .max(254)
  .transform((email) => email.toLowerCase());

export const ZUsername = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$/, {
  error:
    'A username has 3 to 32 letters, digits, dots, dashes or underscores and starts with a letter or digit',
});

/** How the app addresses the user; trimmed, and free of markup characters because staff tools show it. */
export const ZDisplayName = z
  .string()
  .trim()
  .max(100, { error: 'A display name has at most 100 characters' })
  .regex(/^[^<>\p{Cc}]*$/u, { error: 'A display name cannot contain <, > or control characters' });

/** The web app's languages (users.language). */
export const ZLanguage = z.enum(LANGUAGES, { error: `A language is one of ${LANGUAGES.join(', ')}` });

/** The length and list checks happen in checkPasswordPolicy, which gives better messages. */
export const ZPassword = z.string().min(1, { error: 'Enter a password' }).max(256);

export const ZToken = z
  .string()
  .min(16)
  .max(128)
  .regex(/^[A-Za-z0-9_-]+$/, { error: 'Malformed token' });

export const ZPublicUser = z.object({
  id: z.uuid(),
  email: z.string(),
  username: z.string(),
  displayName: z.string().nullable(),
  emailVerified: z.boolean(),
  twoFactorEnabled: z.boolean(),
  staffRole: z.string().nullable(),
  createdAt: z.string(),
});
export type TPublicUser = z.infer<typeof ZPublicUser>;

export function publicUser(user: {
  id: string;
  email: string;
  username: string;
  displayName: string | null;
  emailVerifiedAt: Date | null;
  totpEnabledAt: Date | null;
  staffRole: string | null;
  createdAt: Date;
}): TPublicUser {
  return {
    id: user.id,
    email: user.email,
    username: user.username,
    displayName: user.displayName,
    emailVerified: user.emailVerifiedAt !== null,
    twoFactorEnabled: user.totpEnabledAt !== null,
    staffRole: user.staffRole,
    createdAt: user.createdAt.toISOString(),
  };
}
