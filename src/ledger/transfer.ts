import { sql } from 'drizzle-orm';
import type { DbOrTransaction } from '../db/transaction.js';
import { InsufficientCreditError, idempotencyConflict } from './ledger-errors.js';

export const TRANSFER_KINDS = [
  'usage',
  'top_up',
  'manual_credit',
  'manual_debit',
  'promotion',
  'refund',
  'chargeback',
] as const;
export type TransferKind = (typeof TRANSFER_KINDS)[number];

export interface TransferInput {
  debitAccountId: number;
  creditAccountId: number;
  /** Micros, > 0. */
  amount: bigint;
  kind: TransferKind;
  /** Unique per kind. A replay with the same key returns the first transfer and moves nothing. */
  idempotencyKey: string;
  reason?: string | null;
  /** `user:<id>`, `staff:<id>`, `cli` or `system`. */
  actor: string;
  now: Date;
}

export interface TransferResult {
  transferId: number;
  /** True when this key had already been used for the same transfer: nothing moved this time. */
  replayed: boolean;
  /** The debit account's available balance after the transfer (undefined on replay). */
  debitAvailable?: bigint;
}

/**
 * Moves money between two ledger accounts in one transaction, keeping both balances in step.
 * A wallet can never be overdrawn: a debit beyond its available balance throws
 * InsufficientCreditError. The same key with a different transfer throws a 409 conflict.
 */
export async function transfer(db: DbOrTransaction, input: TransferInput): Promise<TransferResult> {
  if (input.amount <= 0n) throw new RangeError('A transfer amount must be positive');
  if (input.debitAccountId === input.creditAccountId) throw new RangeError('A transfer needs two accounts');
  const result = await db.execute<{ outcome: string; transfer_id: string | null; available: string | null }>(
    sql`SELECT * FROM ledger_transfer(${input.debitAccountId}, ${input.creditAccountId}, ${input.amount},
      ${input.kind}, ${input.idempotencyKey}, ${input.reason ?? null}, ${input.actor}, ${input.now})`,
  );
  const row = result.rows[0]!;
  switch (row.outcome) {
    case 'transferred':
      return { transferId: Number(row.transfer_id), replayed: false, debitAvailable: BigInt(row.available!) };
    case 'replayed':
      return { transferId: Number(row.transfer_id), replayed: true };
    case 'insufficient':
      throw new InsufficientCreditError(input.amount, BigInt(row.available!));
    default:
      throw idempotencyConflict('transfer');
  }
}
