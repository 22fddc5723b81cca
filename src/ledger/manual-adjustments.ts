import { randomUUID } from 'node:crypto';
import { recordSecurityEvent, type SecurityEventType } from '../audit/record-security-event.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { MixgateError } from '../lib/errors.js';
import { formatAmount } from '../lib/money.js';
import { type Balance, readBalance } from './read-balance.js';
import { SYSTEM_ACCOUNTS, type WalletOwner } from './system-accounts.js';
import { type TransferKind, transfer } from './transfer.js';
import { ensureWallet } from './wallets.js';

export const MAX_ADJUSTMENT_REASON_LENGTH = 500;

/** Who moved the money: a member of staff (console) or the operator at the command line. */
export type AdjustmentActor =
  | { staffUserId: string; cli?: undefined }
  | { cli: true; staffUserId?: undefined };

export interface ManualAdjustmentInput {
  owner: WalletOwner;
  /** Micros, > 0. */
  amount: bigint;
  /** Why, for the transaction history and the security log; required. */
  reason: string;
  actor: AdjustmentActor;
  /** Default: a random UUID, so running the same CLI command twice adjusts twice, as asked. */
  idempotencyKey?: string;
  ip?: string | null;
  userAgent?: string | null;
  now: Date;
}

export interface PromotionInput {
  owner: WalletOwner;
  amount: bigint;
  reason: string;
  /** The campaign or promotion code, when there is one. */
  campaign?: string;
  /** Required: a grant is normally triggered by an event (sign-up, a code) that may be retried. */
  idempotencyKey: string;
  /** Staff granting by hand; a system grant (sign-up bonus, code) has none. */
  actor?: AdjustmentActor;
  now: Date;
}

export interface AdjustmentResult {
  transferId: number;
  /** The key had been used for this same adjustment: nothing moved and nothing was logged. */
  replayed: boolean;
  walletId: number;
  /** The wallet after the adjustment. */
  balance: Balance;
}

/** Adds credit to a wallet from the manual-adjustments account (a staff correction). */
export function creditManually(db: DbOrTransaction, input: ManualAdjustmentInput): Promise<AdjustmentResult> {
  return adjust(db, { ...input, kind: 'manual_credit', direction: 'credit', eventType: 'credit_adjusted' });
}

/**
 * Takes credit out of a wallet into the manual-adjustments account. Only the available balance
 * (balance minus open holds) can be taken: beyond it, InsufficientCreditError and nothing moves.
 */
export function debitManually(db: DbOrTransaction, input: ManualAdjustmentInput): Promise<AdjustmentResult> {
  return adjust(db, { ...input, kind: 'manual_debit', direction: 'debit', eventType: 'credit_adjusted' });
}

/** Gives credit away from the promotions account (a sign-up bonus, a promotion code). */
export function grantPromotion(db: DbOrTransaction, input: PromotionInput): Promise<AdjustmentResult> {
  return adjust(db, {
    ...input,
    kind: 'promotion',
    direction: 'credit',
    eventType: 'promotion_granted',
    source: SYSTEM_ACCOUNTS.promotions,
  });
}

interface Adjustment {
  owner: WalletOwner;
  amount: bigint;
  reason: string;
  campaign?: string;
  actor?: AdjustmentActor;
  idempotencyKey?: string;
  ip?: string | null;
  userAgent?: string | null;
  now: Date;
  kind: TransferKind;
  direction: 'credit' | 'debit';
  eventType: SecurityEventType;
  /** The system account on the other side; manual adjustments unless said otherwise. */
  source?: number;
}

/** The transfer and its security event commit together or not at all; a replay logs nothing. */
async function adjust(db: DbOrTransaction, input: Adjustment): Promise<AdjustmentResult> {
  if (input.amount <= 0n) throw new MixgateError('invalid_request', 'The amount must be positive');
  const reason = checkedText(input.reason, 'reason');
  const campaign = input.campaign === undefined ? undefined : checkedText(input.campaign, 'campaign');
  const source = input.source ?? SYSTEM_ACCOUNTS.manual_adjustments;
  return db.transaction(async (tx) => {
    const walletId = await ensureWallet(tx, input.owner);
    const [debitAccountId, creditAccountId] =
      input.direction === 'credit' ? [source, walletId] : [walletId, source];
    const moved = await transfer(tx, {
      debitAccountId,
      creditAccountId,
      amount: input.amount,
      kind: input.kind,
      idempotencyKey: input.idempotencyKey ?? randomUUID(),
      reason,
      actor: actorLabel(input.actor),
      now: input.now,
    });
    if (!moved.replayed) {
      // Transfer first, event second: the accounts are locked before the security log's advisory
      // lock, the order every ledger writer uses, so the two never wait on each other in a cycle.
      await recordSecurityEvent(tx, {
        type: input.eventType,
        userId: input.owner.userId ?? null,
        actorId: input.actor?.staffUserId ?? null,
        ip: input.ip,
        userAgent: input.userAgent,
        occurredAt: input.now,
        details: {
          amount: formatAmount(input.amount),
          direction: input.direction,
          reason,
          campaign,
          transferId: moved.transferId,
          organisationId: input.owner.organisationId,
          via: input.actor?.cli ? 'cli' : input.actor ? 'console' : 'system',
        },
      });
    }
    return {
      transferId: moved.transferId,
      replayed: moved.replayed,
      walletId,
      balance: await readBalance(tx, input.owner),
    };
  });
}

function checkedText(value: string, name: string): string {
  const text = value.trim();
  if (text.length === 0) throw new MixgateError('invalid_request', `A ${name} is required`);
  if (text.length > MAX_ADJUSTMENT_REASON_LENGTH) {
    throw new MixgateError(
      'invalid_request',
      `The ${name} must be at most ${MAX_ADJUSTMENT_REASON_LENGTH} characters`,
    );
  }
  return text;
}

function actorLabel(actor: AdjustmentActor | undefined): string {
  if (!actor) return 'system';
  return actor.cli ? 'cli' : `staff:${actor.staffUserId}`;
}
