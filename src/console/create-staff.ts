import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { ZEmail, ZUsername } from '../accounts/account-schemas.js';
import { hashPassword } from '../accounts/password-hash.js';
import { checkPasswordPolicy } from '../accounts/password-policy.js';
import type { AppContext } from '../app-context.js';
import { recordSecurityEvent } from '../audit/record-security-event.js';
import { users } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { MixgateError } from '../lib/errors.js';
import { escapeLike } from './search-users.js';
import { isStaffRole, STAFF_ROLES, type StaffRole } from './staff-roles.js';

export interface OperatorUserInput {
  email: string;
  password: string;
  /** Defaults to the e-mail's local part, made valid and unique. */
  username?: string;
}

export interface StaffUserInput extends OperatorUserInput {
  /** Checked here: it comes from the command line. */
  role: string;
}

export interface OperatorCreatedUser {
  userId: string;
  email: string;
  username: string;
  staffRole: StaffRole | null;
  /** False when an existing account was given the role (its password is left as it was). */
  created: boolean;
}

/** Room for a numeric suffix within the 32 characters a username may have. */
const USERNAME_BASE_LENGTH = 24;

/**
 * `mixgate users create`: a verified account without a staff role. The operator vouches for the
 * address and for the holder being 18 or older, as the CLI is run by the operator only.
 */
export async function createUserByOperator(
  ctx: AppContext,
  input: OperatorUserInput,
): Promise<OperatorCreatedUser> {
  const email = parseEmail(input.email);
  if (await findByEmail(ctx.db, email)) {
    throw new MixgateError('conflict', `An account with the e-mail ${email} already exists`);
  }
  return insertVerifiedUser(ctx, { ...input, email }, null);
}

/**
 * `mixgate admin create`: a verified account with a staff role, or the role given to an existing
 * account with that e-mail (whose password is not changed).
 */
export async function createStaffUser(ctx: AppContext, input: StaffUserInput): Promise<OperatorCreatedUser> {
  if (!isStaffRole(input.role)) {
    throw new MixgateError('invalid_request', `role must be one of ${STAFF_ROLES.join(', ')}`);
  }
  const role = input.role;
  const email = parseEmail(input.email);
  const existing = await findByEmail(ctx.db, email);
  if (!existing) return insertVerifiedUser(ctx, { ...input, email }, role);

  const result = { userId: existing.id, email, username: existing.username, staffRole: role, created: false };
  if (existing.staffRole === role) return result;
  const now = ctx.now();
  await ctx.db.transaction(async (tx) => {
    await tx.update(users).set({ staffRole: role, updatedAt: now }).where(eq(users.id, existing.id));
    await recordSecurityEvent(tx, {
      type: 'staff_created',
      userId: existing.id,
      occurredAt: now,
      details: { role, from: existing.staffRole, existingAccount: true, via: 'cli' },
    });
  });
  return result;
}

async function insertVerifiedUser(
  ctx: AppContext,
  input: OperatorUserInput & { email: string },
  role: StaffRole | null,
): Promise<OperatorCreatedUser> {
  const username =
    input.username === undefined
      ? await availableUsername(ctx.db, input.email)
      : parseUsername(input.username);
  const policy = checkPasswordPolicy(input.password, { email: input.email, username });
  if (!policy.ok) throw new MixgateError('invalid_request', `password: ${policy.reason}`);
  const passwordHash = await hashPassword(input.password);
  const userId = randomUUID();
  const now = ctx.now();
  try {
    await ctx.db.transaction(async (tx) => {
      await tx.insert(users).values({
        id: userId,
        email: input.email,
        emailVerifiedAt: now,
        username,
        passwordHash,
        ageConfirmed: true,
        ageConfirmedAt: now,
        staffRole: role,
        createdAt: now,
        updatedAt: now,
      });
      await recordSecurityEvent(tx, {
        type: role === null ? 'signed_up' : 'staff_created',
        userId,
        occurredAt: now,
        details:
          role === null
            ? { createdBy: 'operator', via: 'cli' }
            : { role, existingAccount: false, via: 'cli' },
      });
    });
  } catch (error) {
    const constraint = constraintOf(error);
    if (constraint === 'users_email_key') {
      throw new MixgateError('conflict', `An account with the e-mail ${input.email} already exists`);
    }
    if (constraint === 'users_username_key') {
      throw new MixgateError('conflict', `The username ${username} is taken; choose another one`);
    }
    throw error;
  }
  return { userId, email: input.email, username, staffRole: role, created: true };
}

/** The e-mail's local part reduced to username characters, then suffixed 2, 3… until it is free. */
export async function availableUsername(db: DbOrTransaction, email: string): Promise<string> {
  const base = usernameBase(email);
  const rows = await db
    .select({ name: sql<string>`lower(${users.username})` })
    .from(users)
    .where(sql`lower(${users.username}) like ${`${escapeLike(base.toLowerCase())}%`}`);
  const taken = new Set(rows.map((row) => row.name));
  if (!taken.has(base.toLowerCase())) return base;
  for (let suffix = 2; ; suffix++) {
    const candidate = `${base}${suffix}`;
    if (!taken.has(candidate.toLowerCase())) return candidate;
  }
}

export function usernameBase(email: string): string {
  const local = (email.split('@')[0] ?? '')
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .replace(/^[^A-Za-z0-9]+/, '')
    .slice(0, USERNAME_BASE_LENGTH);
  return local.length >= 3 ? local : `user${local}`;
}

function parseEmail(value: string): string {
  const parsed = ZEmail.safeParse(value);
  if (!parsed.success) throw new MixgateError('invalid_request', `email: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

function parseUsername(value: string): string {
  const parsed = ZUsername.safeParse(value);
  if (!parsed.success)
    throw new MixgateError('invalid_request', `username: ${parsed.error.issues[0]?.message}`);
  return parsed.data;
}

async function findByEmail(db: DbOrTransaction, email: string) {
  const [row] = await db
    .select({ id: users.id, username: users.username, staffRole: users.staffRole })
    .from(users)
    .where(eq(users.email, email))
    .limit(1);
  return row;
}

/** The unique index a failed insert ran into (drizzle wraps the driver error in `cause`). */
function constraintOf(error: unknown): string | undefined {
  const wrapped = error as { cause?: { constraint?: string }; constraint?: string };
  return wrapped.cause?.constraint ?? wrapped.constraint;
}
