import { MixgateError } from '../lib/errors.js';
import { formatAmount } from '../lib/money.js';

/** A hold or debit larger than the wallet's available balance. Nothing was reserved or moved. */
export class InsufficientCreditError extends MixgateError {
  constructor(
    readonly needed: bigint,
    readonly available: bigint,
  ) {
    super('insufficient_credit', 'Not enough credit for this request', 402, {
      needed: formatAmount(needed),
      available: formatAmount(available),
    });
    this.name = 'InsufficientCreditError';
  }
}

/** A hold that would take an API key or an organisation member past its spend limit. */
export class SpendLimitError extends MixgateError {
  constructor(
    readonly scope: 'api_key' | 'member',
    readonly needed: bigint,
    readonly remaining: bigint,
  ) {
    const who = scope === 'api_key' ? 'this API key' : 'your membership of this organisation';
    super('spend_limit_reached', `The spend limit of ${who} does not allow this request`, 402, {
      scope,
      needed: formatAmount(needed),
      remaining: formatAmount(remaining),
    });
    this.name = 'SpendLimitError';
  }
}

/** The same idempotency key was used for a different operation. */
export function idempotencyConflict(what: string): MixgateError {
  return new MixgateError('conflict', `This idempotency key was already used for a different ${what}`, 409);
}
