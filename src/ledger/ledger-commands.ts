import { findUserByEmail } from '../accounts/find-user.js';
import type { Db } from '../db/database.js';
import { isMixgateError } from '../lib/errors.js';
import { formatAmount, isAmountText, parseAmount } from '../lib/money.js';
import { checkLedger } from './check-ledger.js';
import { InsufficientCreditError } from './ledger-errors.js';
import { creditManually, debitManually } from './manual-adjustments.js';

/** Where a command prints: the process's console, or a capture in tests. */
export interface CommandOutput {
  log(line: string): void;
  error(line: string): void;
}

export interface CreditCommandOptions {
  email: string;
  /** As typed: "12.50". */
  amount: string;
  reason: string;
  debit?: boolean;
}

/**
 * `mixgate credit`: a manual adjustment by the operator. Each run is a new adjustment (no
 * idempotency key), so running it twice credits twice. Returns the exit code; every refusal is
 * one line on stderr.
 */
export async function creditCommand(
  db: Db,
  options: CreditCommandOptions,
  out: CommandOutput,
  context: { currency: string; now: Date },
): Promise<number> {
  const amount = isAmountText(options.amount) ? parseAmount(options.amount) : 0n;
  if (amount <= 0n) {
    out.error(
      `Not a positive amount: "${options.amount}" (expected digits with up to 6 decimals, such as 12.50)`,
    );
    return 1;
  }
  const user = await findUserByEmail(db, options.email);
  if (!user) {
    out.error(`No user with e-mail ${options.email}`);
    return 1;
  }
  const adjust = options.debit ? debitManually : creditManually;
  try {
    const result = await adjust(db, {
      owner: { userId: user.id },
      amount,
      reason: options.reason,
      actor: { cli: true },
      now: context.now,
    });
    const money = (micros: bigint) => `${formatAmount(micros)} ${context.currency}`;
    const moved = options.debit ? `Debited ${money(amount)} from` : `Credited ${money(amount)} to`;
    out.log(`${moved} ${user.email} (transfer ${result.transferId}).`);
    out.log(`Balance: ${money(result.balance.balance)} (available ${money(result.balance.available)}).`);
    return 0;
  } catch (error) {
    if (error instanceof InsufficientCreditError) {
      out.error(
        `Not enough credit: ${user.email} has ${formatAmount(error.available)} available, ${formatAmount(error.needed)} asked`,
      );
      return 1;
    }
    if (isMixgateError(error)) {
      out.error(error.message);
      return 1;
    }
    throw error;
  }
}

/** `mixgate ledger check`: a summary line, then one line per problem; exit 1 when there is any. */
export async function ledgerCheckCommand(db: Db, out: CommandOutput): Promise<number> {
  const report = await checkLedger(db);
  const checked = `${report.accountsChecked} accounts, ${report.transfersChecked} transfers, ${report.holdsChecked} holds`;
  if (report.ok) {
    out.log(`Ledger consistent: ${checked} checked.`);
    return 0;
  }
  out.error(`Ledger INCONSISTENT: ${report.problems.length} problems in ${checked}.`);
  for (const problem of report.problems) out.error(`  - ${problem}`);
  return 1;
}
