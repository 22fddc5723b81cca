import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import { ownAccountEvent, recordSecurityEvent } from '../audit/record-security-event.js';
import { users } from '../db/schema/index.js';
import { MixgateError } from '../lib/errors.js';
import { getCurrentVersions, recordAcceptances } from '../privacy/legal/current-documents.js';
import { issueToken } from './email-tokens.js';
import { hashPassword } from './password-hash.js';
import { checkPasswordPolicy } from './password-policy.js';
import type { Language } from './preferences.js';
import type { RequestMeta } from './request-meta.js';

export interface SignUpInput {
  email: string;
  username: string;
  password: string;
  displayName?: string;
  /** The web app's language for the new account, so it stays the one the visitor signed up in. */
  language?: Language;
  ageConfirmed: true;
  acceptedDocuments: { terms: string; privacy: string };
}

export type SignUpResult =
  | { outcome: 'created'; userId: string; verificationToken: string }
  /** The address already has an account: the caller answers exactly as for "created". */
  | { outcome: 'email_taken' };

const LEGAL_NAMES = { terms: 'Terms of Service', privacy: 'Privacy Policy' } as const;

/**
 * Creates an unverified account with its evidence: the 18+ attestation (a yes/no and when) and
 * the acceptance of the exact Terms and Privacy Policy versions shown, with IP and user agent.
 */
export async function signUp(ctx: AppContext, input: SignUpInput, meta: RequestMeta): Promise<SignUpResult> {
  const now = ctx.now();
  const policy = checkPasswordPolicy(input.password, { email: input.email, username: input.username });
  if (!policy.ok) throw new MixgateError('invalid_request', `password: ${policy.reason}`);

  const current = await getCurrentVersions(ctx.db, now);
  for (const type of ['terms', 'privacy'] as const) {
    if (input.acceptedDocuments[type] !== current[type].version) {
      throw new MixgateError(
        'conflict',
        `The ${LEGAL_NAMES[type]} changed: read and accept version ${current[type].version}`,
        409,
        { document: type, currentVersion: current[type].version },
      );
    }
  }

  const [emailOwner] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(eq(users.email, input.email))
    .limit(1);
  if (emailOwner) return { outcome: 'email_taken' };
  const [usernameOwner] = await ctx.db
    .select({ id: users.id })
    .from(users)
    .where(sql`lower(${users.username}) = lower(${input.username})`)
    .limit(1);
  if (usernameOwner) throw new MixgateError('conflict', 'That username is taken', 409, { field: 'username' });

  const passwordHash = await hashPassword(input.password);
  const userId = randomUUID();
  try {
    const verificationToken = await ctx.db.transaction(async (tx) => {
      await tx.insert(users).values({
        id: userId,
        email: input.email,
        username: input.username,
        displayName: input.displayName ?? null,
        ...(input.language && { language: input.language }),
        passwordHash,
        ageConfirmed: true,
        ageConfirmedAt: now,
        createdAt: now,
        updatedAt: now,
      });
      await recordAcceptances(tx, {
        userId,
        documents: [
          { id: current.terms.id, type: 'terms', version: current.terms.version },
          { id: current.privacy.id, type: 'privacy', version: current.privacy.version },
        ],
        ip: meta.ip,
        userAgent: meta.userAgent,
        at: now,
      });
      await recordSecurityEvent(tx, ownAccountEvent('signed_up', userId, meta, now));
      return issueToken(tx, userId, 'verify_email', now);
    });
    return { outcome: 'created', userId, verificationToken };
  } catch (error) {
    // Two sign-ups raced for the same address or username: the unique index decides.
    const constraint =
      (error as { cause?: { constraint?: string }; constraint?: string }).cause?.constraint ??
      (error as { constraint?: string }).constraint;
    if (constraint === 'users_email_key') return { outcome: 'email_taken' };
    if (constraint === 'users_username_key') {
      throw new MixgateError('conflict', 'That username is taken', 409, { field: 'username' });
    }
    throw error;
  }
}
