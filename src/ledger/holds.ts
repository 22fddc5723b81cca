import { type SQL, sql } from 'drizzle-orm';
import { executePrepared } from '../db/prepared-statement.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { MixgateError } from '../lib/errors.js';
import { InsufficientCreditError, idempotencyConflict, SpendLimitError } from './ledger-errors.js';
import { periodStart, type SpendLimitPeriod } from './spend-periods.js';
import { SYSTEM_ACCOUNTS, type WalletOwner } from './system-accounts.js';

export interface SpendLimit {
  /** Micros the key or member may spend per period. */
  limit: bigint;
  period: SpendLimitPeriod;
}

export interface HoldInput {
  wallet: WalletOwner;
  /** Worst-case cost in micros, > 0. */
  amount: bigint;
  /** Unique per hold (the generation id, say). A replay returns the first hold and reserves nothing. */
  idempotencyKey: string;
  expiresAt: Date;
  now: Date;
  actor: string;
  /** Where the money goes when posted; revenue unless said otherwise. */
  creditAccountId?: number;
  model?: string | null;
  apiKeyId?: string | null;
  /** The member spending from an organisation wallet. */
  memberUserId?: string | null;
  keyLimit?: SpendLimit | null;
  memberLimit?: SpendLimit | null;
  /**
   * Wait for the WAL flush before answering. Off by default: a hold lost in a database crash was
   * never charged (its settlement finds no hold), so only settlements must be durable.
   */
  durable?: boolean;
}

export interface PlacedHold {
  holdId: number;
  replayed: boolean;
  /** The wallet's available balance after this hold (undefined on replay). */
  available?: bigint;
}

interface PlaceHoldRow {
  outcome: string;
  hold_id: string | null;
  available: string | null;
  limit_scope: 'api_key' | 'member' | null;
  limit_remaining: string | null;
}

/** Refuses inputs no hold can be placed from, before anything is sent. */
function assertHoldInput(input: HoldInput): void {
  if (input.amount <= 0n) throw new RangeError('A hold amount must be positive');
  if (input.memberLimit && !(input.wallet.organisationId && input.memberUserId)) {
    throw new RangeError('A member limit needs an organisation wallet and a member');
  }
  if (input.keyLimit && !input.apiKeyId) throw new RangeError('A key limit needs the key id');
}

/** ledger_place_hold's answer as the hold placed, or the error the caller should see. */
function placedHold(input: HoldInput, row: PlaceHoldRow): PlacedHold {
  switch (row.outcome) {
    case 'placed':
      return { holdId: Number(row.hold_id), replayed: false, available: BigInt(row.available!) };
    case 'replayed':
      return { holdId: Number(row.hold_id), replayed: true };
    case 'insufficient':
      throw new InsufficientCreditError(input.amount, BigInt(row.available!));
    case 'limit':
      throw new SpendLimitError(row.limit_scope!, input.amount, BigInt(row.limit_remaining!));
    default:
      throw idempotencyConflict('hold');
  }
}

/**
 * Reserves credit for a generation in one round trip. Throws InsufficientCreditError when the
 * wallet's available balance (balance minus open holds) is short, SpendLimitError when a key or
 * member limit is, and a 409 conflict when the key was used for a different hold.
 */
export async function placeHold(db: DbOrTransaction, input: HoldInput): Promise<PlacedHold> {
  assertHoldInput(input);
  const a = holdArguments(input);
  const result = await executePrepared<PlaceHoldRow>(
    db,
    sql`
    SELECT * FROM ledger_place_hold(
      ${a.user_id}::uuid, ${a.organisation_id}::uuid, ${a.credit}, ${a.amount}::bigint, ${a.key},
      ${a.actor}, ${a.expires_at}::timestamptz, ${a.now}::timestamptz, ${a.model},
      ${a.api_key_id}::uuid, ${a.member_user_id}::uuid,
      ${a.key_limit}::bigint, ${a.key_period_start}::timestamptz,
      ${a.member_limit}::bigint, ${a.member_period_start}::timestamptz,
      ${!input.durable})`,
  );
  return placedHold(input, result.rows[0]!);
}

/**
 * ledger_place_hold's parameters for `input`, by name, as placeHold sends them and as the items of
 * ledger_place_holds' JSON carry them: micros and instants as strings (a JSON number loses
 * precision past 2^53), and each limit's period start worked out from the request's time.
 */
function holdArguments(input: HoldInput) {
  const { keyLimit, memberLimit } = input;
  return {
    user_id: input.wallet.userId ?? null,
    organisation_id: input.wallet.organisationId ?? null,
    credit: input.creditAccountId ?? SYSTEM_ACCOUNTS.revenue,
    amount: input.amount.toString(),
    key: input.idempotencyKey,
    actor: input.actor,
    expires_at: input.expiresAt.toISOString(),
    now: input.now.toISOString(),
    model: input.model ?? null,
    api_key_id: input.apiKeyId ?? null,
    member_user_id: input.memberUserId ?? null,
    key_limit: keyLimit ? keyLimit.limit.toString() : null,
    key_period_start: keyLimit ? periodStart(keyLimit.period, input.now).toISOString() : null,
    member_limit: memberLimit ? memberLimit.limit.toString() : null,
    member_period_start: memberLimit ? periodStart(memberLimit.period, input.now).toISOString() : null,
  };
}

/**
 * Places many holds in one statement and one transaction (group commit; see hold-queue.ts), each
 * under exactly placeHold's rules. Returns one settled result per input, in order: a hold refused
 * for credit, a limit or a conflict rejects that input only. Throws when the statement itself
 * fails, which places none of them. The batch waits for the WAL flush if any input asks for it.
 */
export async function placeHolds(
  db: DbOrTransaction,
  inputs: readonly HoldInput[],
): Promise<PromiseSettledResult<PlacedHold>[]> {
  const results: PromiseSettledResult<PlacedHold>[] = new Array(inputs.length);
  const items: Array<{ ordinal: number } & ReturnType<typeof holdArguments>> = [];
  inputs.forEach((input, ordinal) => {
    try {
      assertHoldInput(input);
    } catch (error) {
      results[ordinal] = { status: 'rejected', reason: error };
      return;
    }
    items.push({ ordinal, ...holdArguments(input) });
  });
  if (items.length > 0) {
    const fast = items.every((item) => !inputs[item.ordinal]!.durable);
    const result = await executePrepared<PlaceHoldRow & { ordinal: number }>(
      db,
      sql`SELECT * FROM ledger_place_holds(${JSON.stringify(items)}::jsonb, ${fast})`,
    );
    for (const row of result.rows) {
      const input = inputs[row.ordinal]!;
      try {
        results[row.ordinal] = { status: 'fulfilled', value: placedHold(input, row) };
      } catch (error) {
        results[row.ordinal] = { status: 'rejected', reason: error };
      }
    }
  }
  return results;
}

export type Settlement = 'posted' | 'voided' | 'expired';

export type SettleOutcome =
  | Settlement
  | 'replayed'
  | 'already_posted'
  | 'already_voided'
  | 'already_expired'
  | 'not_found'
  | 'invalid_amount'
  | 'not_expired';

export interface SettleResult {
  holdId: number;
  outcome: SettleOutcome;
  /** The usage transfer, when something was captured. */
  transferId: number | null;
  postedAmount: bigint | null;
}

/**
 * Settles many holds in one transaction (group commit): `posted` captures each amount (0 up to the
 * held amount) and releases the rest; `voided` and `expired` release everything. Returns one result
 * per distinct hold; a hold already settled the same way reports `replayed` and changes nothing.
 */
export async function settleHolds(
  db: DbOrTransaction,
  settlement: Settlement,
  items: ReadonlyArray<{ holdId: number; amount?: bigint }>,
  now: Date,
  options: {
    durable?: boolean;
    /**
     * More common table expressions run in the same statement, after the settlement, which they
     * see as `settled` (hold_id, outcome, transfer_id, posted_amount): callers write their own
     * records of the settled holds atomically with them, in one round trip.
     */
    alsoWrite?: SQL;
  } = {},
): Promise<SettleResult[]> {
  if (items.length === 0) return [];
  const ids = items.map((item) => item.holdId);
  const amounts = items.map((item) => (settlement === 'posted' ? (item.amount ?? -1n) : 0n));
  // Captures are reported to clients as their cost, so they always wait for the WAL flush.
  const fast = settlement !== 'posted' && options.durable === false;
  const result = await executePrepared<{
    hold_id: string;
    outcome: SettleOutcome;
    transfer_id: string | null;
    posted_amount: string | null;
  }>(
    db,
    options.alsoWrite
      ? sql`WITH settled AS MATERIALIZED (SELECT * FROM ledger_settle_holds(${bigintArray(ids)}::bigint[],
          ${bigintArray(amounts)}::bigint[], ${settlement}, ${now}, ${fast})), ${options.alsoWrite}
          SELECT * FROM settled`
      : sql`SELECT * FROM ledger_settle_holds(${bigintArray(ids)}::bigint[], ${bigintArray(amounts)}::bigint[],
    ${settlement}, ${now}, ${fast})`,
  );
  return result.rows.map((row) => ({
    holdId: Number(row.hold_id),
    outcome: row.outcome,
    transferId: row.transfer_id === null ? null : Number(row.transfer_id),
    postedAmount: row.posted_amount === null ? null : BigInt(row.posted_amount),
  }));
}

/** A PostgreSQL array literal; the elements are integers, so nothing needs quoting. */
function bigintArray(values: ReadonlyArray<number | bigint>): string {
  return `{${values.join(',')}}`;
}

/** Turns a settlement outcome other than success or replay into the error a caller should see. */
export function settlementError(result: SettleResult): MixgateError | undefined {
  switch (result.outcome) {
    case 'posted':
    case 'voided':
    case 'expired':
    case 'replayed':
      return undefined;
    case 'not_found':
      return new MixgateError('not_found', `Hold ${result.holdId} does not exist`);
    case 'invalid_amount':
      return new MixgateError('invalid_request', `Hold ${result.holdId} cannot capture that amount`);
    case 'not_expired':
      return new MixgateError('conflict', `Hold ${result.holdId} has not expired`);
    default:
      return new MixgateError(
        'conflict',
        `Hold ${result.holdId} is ${result.outcome.replace('already_', '')}`,
      );
  }
}

async function settleOne(
  db: DbOrTransaction,
  settlement: Settlement,
  holdId: number,
  amount: bigint | undefined,
  now: Date,
): Promise<SettleResult> {
  const [result] = await settleHolds(db, settlement, [{ holdId, amount }], now);
  const error = settlementError(result!);
  if (error) throw error;
  return result!;
}

/** Captures `amount` (0 up to the held amount) and releases the rest, exactly once. */
export function postHold(
  db: DbOrTransaction,
  holdId: number,
  amount: bigint,
  now: Date,
): Promise<SettleResult> {
  if (amount < 0n) throw new RangeError('A posted amount cannot be negative');
  return settleOne(db, 'posted', holdId, amount, now);
}

/** Releases the whole hold, exactly once. */
export function voidHold(db: DbOrTransaction, holdId: number, now: Date): Promise<SettleResult> {
  return settleOne(db, 'voided', holdId, undefined, now);
}
