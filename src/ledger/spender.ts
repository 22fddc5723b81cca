import { and, eq } from 'drizzle-orm';
import { organisationMembers, organisations } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { MixgateError } from '../lib/errors.js';
import type { HoldInput, SpendLimit } from './holds.js';
import type { SpendLimitPeriod } from './spend-periods.js';
import type { WalletOwner } from './system-accounts.js';

/** Who pays for a request, and which limits apply: everything placeHold needs besides the amount. */
export interface Spender {
  wallet: WalletOwner;
  actor: string;
  apiKeyId: string | null;
  memberUserId: string | null;
  keyLimit: SpendLimit | null;
  memberLimit: SpendLimit | null;
}

export interface SpenderInput {
  userId: string;
  /** Spend from this organisation's shared wallet, as a member of it. */
  organisationId?: string | null;
  /** The API key the request came with, as the key cache holds it. */
  apiKey?: { id: string; spendLimitMicros: bigint | null; spendLimitPeriod: SpendLimitPeriod } | null;
  /**
   * The member's limit when the caller already has it (the key cache loads it with the key): no
   * query then. Absent: looked up, and a non-member is refused.
   */
  member?: { spendLimitMicros: bigint | null; spendLimitPeriod: SpendLimitPeriod } | null;
}

/**
 * A user spends from their own wallet; a member of an organisation (a key made for it, or the web
 * app in its context) spends from the organisation's wallet within their member limit. A key's own
 * limit applies on top of either.
 */
export async function resolveSpender(db: DbOrTransaction, input: SpenderInput): Promise<Spender> {
  const apiKey = input.apiKey ?? null;
  const keyLimit =
    apiKey?.spendLimitMicros != null
      ? { limit: apiKey.spendLimitMicros, period: apiKey.spendLimitPeriod }
      : null;
  const base = { actor: `user:${input.userId}`, apiKeyId: apiKey?.id ?? null, keyLimit };
  if (!input.organisationId) {
    return { ...base, wallet: { userId: input.userId }, memberUserId: null, memberLimit: null };
  }
  if (input.member) {
    const { spendLimitMicros: limit, spendLimitPeriod: period } = input.member;
    return {
      ...base,
      wallet: { organisationId: input.organisationId },
      memberUserId: input.userId,
      memberLimit: limit === null ? null : { limit, period },
    };
  }
  const [member] = await db
    .select({
      limit: organisationMembers.spendLimitMicros,
      period: organisationMembers.spendLimitPeriod,
      organisationStatus: organisations.status,
    })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .where(
      and(
        eq(organisationMembers.organisationId, input.organisationId),
        eq(organisationMembers.userId, input.userId),
      ),
    );
  if (!member) throw new MixgateError('forbidden', 'You are not a member of this organisation');
  if (member.organisationStatus !== 'active') throw organisationClosed();
  return {
    ...base,
    wallet: { organisationId: input.organisationId },
    memberUserId: input.userId,
    memberLimit:
      member.limit === null ? null : { limit: member.limit, period: member.period as SpendLimitPeriod },
  };
}

/**
 * A closed organisation's wallet pays for nothing more (src/accounts/termination/). Its keys are
 * revoked when it closes, so the cached path above never reaches a closed organisation: the key
 * cache refuses them (at once on this instance, within its TTL on others).
 */
export function organisationClosed(): MixgateError {
  return new MixgateError(
    'organisation_closed',
    'This organisation is closed: nothing more can be spent from its balance',
  );
}

/** The hold for one request by this spender. */
export function holdFor(
  spender: Spender,
  request: Pick<HoldInput, 'amount' | 'idempotencyKey' | 'expiresAt' | 'now' | 'model'>,
): HoldInput {
  return { ...spender, ...request };
}
