import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../test/test-database.js';
import { MixgateError } from '../lib/errors.js';
import { expireHolds } from './expire-holds.js';
import { placeHold, postHold, settleHolds, voidHold } from './holds.js';
import { InsufficientCreditError, SpendLimitError } from './ledger-errors.js';
import { insertLedgerTestOrganisation, insertLedgerTestUser } from './ledger-test-fixtures.js';
import { SYSTEM_ACCOUNTS, type WalletOwner } from './system-accounts.js';
import { transfer } from './transfer.js';
import { ensureWallet } from './wallets.js';

/**
 * Model-based test of the ledger: random sequences of credits, debits, holds, posts, voids, expiries
 * and replays run against the real SQL functions and an in-memory model of what they should do.
 * After every step the database must equal the model and the ledger's invariants must hold.
 */

const database = await createTestDatabase();
const { db, pool } = database;

const START = Date.parse('2027-03-01T08:00:00Z');
/** Wallets 0 and 1 are users'; wallet 2 is an organisation's, spent by a member with a limit. */
const WALLETS = 3;
const ORGANISATION_WALLET = 2;
const SYSTEM_IDS = [
  SYSTEM_ACCOUNTS.payments_clearing,
  SYSTEM_ACCOUNTS.revenue,
  SYSTEM_ACCOUNTS.manual_adjustments,
];

/** An exact amount, or the wallet's whole available balance, or one micro more than that. */
type AmountChoice = bigint | 'all' | 'all+1';
/** What a post captures: nothing, all, one micro more than held, or `seed mod (held + 1)`. */
type Capture = bigint | 'zero' | 'full' | 'over';

type Command =
  | { type: 'credit'; wallet: number; amount: bigint }
  | { type: 'debit'; wallet: number; amount: AmountChoice }
  | {
      type: 'hold';
      wallet: number;
      amount: AmountChoice;
      ttlMs: number;
      keyLimit: boolean;
      memberLimit: boolean;
    }
  | { type: 'post'; pick: number; capture: Capture }
  | { type: 'void'; pick: number }
  | { type: 'expire'; advanceMs: number | 'next-expiry' }
  /** Re-issues an earlier keyed command, with the same amount (change 0) or a larger one. */
  | { type: 'replay'; pick: number; amountChange: bigint };

interface Scenario {
  /** Credited to each wallet before the commands run. */
  initialCredits: bigint[];
  keyLimits: bigint[];
  memberLimit: bigint;
  commands: Command[];
}

type HoldStatus = 'open' | 'posted' | 'voided' | 'expired';

interface ModelHold {
  id: number;
  wallet: number;
  amount: bigint;
  status: HoldStatus;
  posted: bigint | null;
  expiresAt: number;
  keyLimit: boolean;
  memberLimit: boolean;
}

interface Counter {
  spent: bigint;
  held: bigint;
}

/** A keyed command already issued, which a replay re-issues. */
type Issued =
  | { type: 'credit' | 'debit'; key: string; wallet: number; amount: bigint; transferId?: number }
  | {
      type: 'hold';
      key: string;
      wallet: number;
      amount: bigint;
      ttlMs: number;
      keyLimit: boolean;
      memberLimit: boolean;
      holdId?: number;
    }
  | { type: 'post'; hold: ModelHold; amount: bigint }
  | { type: 'void'; hold: ModelHold };

interface World {
  runId: string;
  owners: WalletOwner[];
  accountIds: number[];
  apiKeyIds: string[];
  memberUserId: string;
  keyScopes: string[];
  memberScope: string;
  keyLimits: bigint[];
  memberLimit: bigint;
}

interface Model {
  now: number;
  balances: bigint[];
  /** Absolute balances of the system accounts this test moves money through. */
  system: Map<number, bigint>;
  holds: ModelHold[];
  keyCounters: Counter[];
  memberCounter: Counter;
  issued: Issued[];
}

type Outcome = Record<string, unknown>;

const show = (value: unknown) =>
  JSON.stringify(value, (_key, item: unknown) => (typeof item === 'bigint' ? `${item}n` : item));

const heldOf = (model: Model, wallet: number) =>
  model.holds
    .filter((h) => h.wallet === wallet && h.status === 'open')
    .reduce((sum, h) => sum + h.amount, 0n);
const availableOf = (model: Model, wallet: number) => model.balances[wallet]! - heldOf(model, wallet);
/** Compares with the model and prints both sides in full, not vitest's abbreviated objects. */
const same = (actual: unknown, expected: unknown) =>
  expect(actual, `got ${show(actual)}, the model expected ${show(expected)}`).toEqual(expected);
const mutates = (outcome: Outcome) =>
  'outcome' in outcome && outcome.outcome !== 'replayed' && outcome.outcome !== 'nothing due';

/** Runs a ledger call and turns its answer or refusal into a plain value to compare. */
async function outcomeOf(action: () => Promise<Outcome>): Promise<Outcome> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof InsufficientCreditError)
      return { refused: 'insufficient', available: error.available };
    if (error instanceof SpendLimitError) {
      return { refused: 'limit', scope: error.scope, remaining: error.remaining };
    }
    if (error instanceof MixgateError) return { refused: error.code, status: error.status };
    throw error;
  }
}

async function createWorld(scenario: Scenario): Promise<World> {
  const first = await insertLedgerTestUser(db);
  const second = await insertLedgerTestUser(db);
  const organisationId = await insertLedgerTestOrganisation(db, first);
  const owners: WalletOwner[] = [{ userId: first }, { userId: second }, { organisationId }];
  const accountIds = [];
  for (const owner of owners) accountIds.push(await ensureWallet(db, owner));
  const apiKeyIds = owners.map(() => randomUUID());
  return {
    runId: randomUUID(),
    owners,
    accountIds,
    apiKeyIds,
    memberUserId: first,
    keyScopes: apiKeyIds.map((id) => `api_key:${id}`),
    memberScope: `member:${organisationId}:${first}`,
    keyLimits: scenario.keyLimits,
    memberLimit: scenario.memberLimit,
  };
}

async function systemBalances(): Promise<Map<number, bigint>> {
  const result = await pool.query<{ id: string; balance: string }>(
    'SELECT id, balance FROM ledger_accounts WHERE id = ANY($1::bigint[])',
    [SYSTEM_IDS],
  );
  return new Map(result.rows.map((row) => [Number(row.id), BigInt(row.balance)]));
}

/** Everything a refused or replayed command must leave exactly as it was. */
async function snapshot(): Promise<string> {
  const result = await pool.query(`
    SELECT (SELECT json_agg(json_build_array(id, balance::text, held::text) ORDER BY id) FROM ledger_accounts) AS accounts,
           (SELECT json_build_array(count(*), max(id)) FROM ledger_transfers) AS transfers,
           (SELECT json_agg(json_build_array(id, status, posted_amount::text) ORDER BY id) FROM ledger_holds) AS holds,
           (SELECT json_agg(json_build_array(id, spent::text, held::text) ORDER BY id)
              FROM ledger_spend_counters WHERE spent <> 0 OR held <> 0) AS counters`);
  return JSON.stringify(result.rows[0]);
}

async function checkInvariants(world: World, model: Model): Promise<void> {
  const ids = [...world.accountIds, ...SYSTEM_IDS];
  const accounts = await pool.query<{
    id: string;
    balance: string;
    held: string;
    open_held: string;
    net: string;
  }>(
    `SELECT a.id, a.balance, a.held,
            (SELECT coalesce(sum(h.amount), 0) FROM ledger_holds h WHERE h.account_id = a.id AND h.status = 'open') AS open_held,
            (SELECT coalesce(sum(t.amount), 0) FROM ledger_transfers t WHERE t.credit_account_id = a.id)
              - (SELECT coalesce(sum(t.amount), 0) FROM ledger_transfers t WHERE t.debit_account_id = a.id) AS net
       FROM ledger_accounts a WHERE a.id = ANY($1::bigint[])`,
    [ids],
  );
  const byId = new Map(accounts.rows.map((row) => [Number(row.id), row]));
  world.accountIds.forEach((accountId, wallet) => {
    const row = byId.get(accountId)!;
    const [balance, held] = [BigInt(row.balance), BigInt(row.held)];
    const expected = { balance: model.balances[wallet]!, held: heldOf(model, wallet) };
    // Held is the sum of the open holds, the balance the sum of the transfers, available never negative.
    same(
      {
        wallet,
        balance,
        held,
        sumOfOpenHolds: BigInt(row.open_held),
        sumOfTransfers: BigInt(row.net),
      },
      {
        wallet,
        ...expected,
        sumOfOpenHolds: expected.held,
        sumOfTransfers: expected.balance,
      },
    );
    expect(balance - held, `wallet ${wallet} available`).toBeGreaterThanOrEqual(0n);
  });
  for (const id of SYSTEM_IDS) {
    const row = byId.get(id)!;
    same(
      {
        system: id,
        balance: BigInt(row.balance),
        net: BigInt(row.net),
        held: BigInt(row.held),
      },
      {
        system: id,
        balance: model.system.get(id),
        net: model.system.get(id),
        held: 0n,
      },
    );
  }
  const total = await pool.query<{ total: string }>('SELECT sum(balance) AS total FROM ledger_accounts');
  same({ sumOfAllBalances: BigInt(total.rows[0]!.total) }, { sumOfAllBalances: 0n });

  const holds = await pool.query<{ id: string; status: string; posted_amount: string | null }>(
    'SELECT id, status, posted_amount FROM ledger_holds WHERE account_id = ANY($1::bigint[]) ORDER BY id',
    [world.accountIds],
  );
  same(
    holds.rows.map((row) => ({
      id: Number(row.id),
      status: row.status,
      posted: row.posted_amount === null ? null : BigInt(row.posted_amount),
    })),
    model.holds.map((hold) => ({ id: hold.id, status: hold.status, posted: hold.posted })),
  );

  const counters = await pool.query<{ scope: string; spent: string; held: string }>(
    'SELECT scope, spent, held FROM ledger_spend_counters WHERE scope = ANY($1::text[])',
    [[...world.keyScopes, world.memberScope]],
  );
  const actual = new Map(
    counters.rows.map((row) => [row.scope, { spent: BigInt(row.spent), held: BigInt(row.held) }]),
  );
  const zero = { spent: 0n, held: 0n };
  world.keyScopes.forEach((scope, wallet) => {
    same({ scope, ...(actual.get(scope) ?? zero) }, { scope, ...model.keyCounters[wallet] });
  });
  same(
    { scope: 'member', ...(actual.get(world.memberScope) ?? zero) },
    {
      scope: 'member',
      ...model.memberCounter,
    },
  );
}

function resolveAmount(choice: AmountChoice, available: bigint): bigint {
  if (choice === 'all') return available > 0n ? available : 1n;
  if (choice === 'all+1') return available + 1n;
  return choice;
}

async function runTransfer(
  world: World,
  model: Model,
  issue: Extract<Issued, { type: 'credit' | 'debit' }>,
  amount: bigint,
): Promise<Outcome> {
  const wallet = world.accountIds[issue.wallet]!;
  const [debit, credit] =
    issue.type === 'credit'
      ? [SYSTEM_ACCOUNTS.payments_clearing, wallet]
      : [wallet, SYSTEM_ACCOUNTS.manual_adjustments];
  const debitAvailable =
    issue.type === 'credit' ? model.system.get(debit)! : availableOf(model, issue.wallet);
  let expected: Outcome;
  if (issue.transferId !== undefined) {
    expected =
      amount === issue.amount
        ? { outcome: 'replayed', transferId: issue.transferId }
        : { refused: 'conflict', status: 409 };
  } else if (issue.type === 'debit' && debitAvailable < amount) {
    expected = { refused: 'insufficient', available: debitAvailable };
  } else {
    expected = { outcome: 'transferred', available: debitAvailable - amount };
  }
  let transferId = 0;
  const actual = await outcomeOf(async () => {
    const result = await transfer(db, {
      debitAccountId: debit,
      creditAccountId: credit,
      amount,
      kind: issue.type === 'credit' ? 'top_up' : 'manual_debit',
      idempotencyKey: issue.key,
      actor: 'system',
      reason: 'property test',
      now: new Date(model.now),
    });
    transferId = result.transferId;
    return result.replayed
      ? { outcome: 'replayed', transferId }
      : { outcome: 'transferred', available: result.debitAvailable };
  });
  same(actual, expected);
  if (actual.outcome === 'transferred') {
    issue.transferId = transferId;
    issue.amount = amount;
    if (issue.type === 'credit') {
      model.balances[issue.wallet]! += amount;
      model.system.set(debit, model.system.get(debit)! - amount);
    } else {
      model.balances[issue.wallet]! -= amount;
      model.system.set(credit, model.system.get(credit)! + amount);
    }
  }
  return actual;
}

function limitRefusal(scope: 'api_key' | 'member', counter: Counter, limit: bigint, amount: bigint) {
  if (counter.spent + counter.held + amount <= limit) return undefined;
  const remaining = limit - counter.spent - counter.held;
  return { refused: 'limit', scope, remaining: remaining > 0n ? remaining : 0n };
}

async function runHold(
  world: World,
  model: Model,
  issue: Extract<Issued, { type: 'hold' }>,
  amount: bigint,
): Promise<Outcome> {
  const available = availableOf(model, issue.wallet);
  const keyCounter = model.keyCounters[issue.wallet]!;
  let expected: Outcome | undefined;
  if (issue.holdId !== undefined) {
    expected =
      amount === issue.amount
        ? { outcome: 'replayed', holdId: issue.holdId }
        : { refused: 'conflict', status: 409 };
  } else if (available < amount) {
    expected = { refused: 'insufficient', available };
  }
  if (!expected && issue.keyLimit) {
    expected = limitRefusal('api_key', keyCounter, world.keyLimits[issue.wallet]!, amount);
  }
  if (!expected && issue.memberLimit) {
    expected = limitRefusal('member', model.memberCounter, world.memberLimit, amount);
  }
  expected ??= { outcome: 'placed', available: available - amount };
  let holdId = 0;
  const expiresAt = model.now + issue.ttlMs;
  const actual = await outcomeOf(async () => {
    const result = await placeHold(db, {
      wallet: world.owners[issue.wallet]!,
      amount,
      idempotencyKey: issue.key,
      expiresAt: new Date(expiresAt),
      now: new Date(model.now),
      actor: 'system',
      apiKeyId: issue.keyLimit ? world.apiKeyIds[issue.wallet] : null,
      keyLimit: issue.keyLimit ? { limit: world.keyLimits[issue.wallet]!, period: 'total' } : null,
      memberUserId: issue.memberLimit ? world.memberUserId : null,
      memberLimit: issue.memberLimit ? { limit: world.memberLimit, period: 'total' } : null,
    });
    holdId = result.holdId;
    return result.replayed
      ? { outcome: 'replayed', holdId }
      : { outcome: 'placed', available: result.available };
  });
  same(actual, expected);
  if (actual.outcome === 'placed') {
    issue.holdId = holdId;
    issue.amount = amount;
    const { keyLimit, memberLimit } = issue;
    model.holds.push({
      id: holdId,
      wallet: issue.wallet,
      amount,
      status: 'open',
      posted: null,
      expiresAt,
      keyLimit,
      memberLimit,
    });
    if (keyLimit) keyCounter.held += amount;
    if (memberLimit) model.memberCounter.held += amount;
  }
  return actual;
}

/** Releases a settled hold from the spend counters it counted against. */
function releaseCounters(model: Model, hold: ModelHold, spent: bigint) {
  for (const [limited, counter] of [
    [hold.keyLimit, model.keyCounters[hold.wallet]!],
    [hold.memberLimit, model.memberCounter],
  ] as const) {
    if (!limited) continue;
    counter.held -= hold.amount;
    counter.spent += spent;
  }
}

async function runPost(model: Model, hold: ModelHold, amount: bigint): Promise<Outcome> {
  let expected: Outcome;
  if (hold.status === 'open') {
    expected =
      amount <= hold.amount
        ? { outcome: 'posted', postedAmount: amount, captured: amount > 0n }
        : { refused: 'invalid_request', status: 400 };
  } else if (hold.status === 'posted' && hold.posted === amount) {
    expected = { outcome: 'replayed', postedAmount: amount, captured: amount > 0n };
  } else {
    expected = { refused: 'conflict', status: 409 };
  }
  const actual = await outcomeOf(async () => {
    const result = await postHold(db, hold.id, amount, new Date(model.now));
    return {
      outcome: result.outcome,
      postedAmount: result.postedAmount,
      captured: result.transferId !== null,
    };
  });
  same(actual, expected);
  if (actual.outcome === 'posted') {
    hold.status = 'posted';
    hold.posted = amount;
    model.balances[hold.wallet]! -= amount;
    model.system.set(SYSTEM_ACCOUNTS.revenue, model.system.get(SYSTEM_ACCOUNTS.revenue)! + amount);
    releaseCounters(model, hold, amount);
  }
  return actual;
}

async function runVoid(model: Model, hold: ModelHold): Promise<Outcome> {
  const expected: Outcome =
    hold.status === 'open'
      ? { outcome: 'voided' }
      : hold.status === 'voided'
        ? { outcome: 'replayed' }
        : { refused: 'conflict', status: 409 };
  const actual = await outcomeOf(async () => ({
    outcome: (await voidHold(db, hold.id, new Date(model.now))).outcome,
  }));
  same(actual, expected);
  if (actual.outcome === 'voided') {
    hold.status = 'voided';
    releaseCounters(model, hold, 0n);
  }
  return actual;
}

async function runExpire(model: Model, advanceMs: number | 'next-expiry'): Promise<Outcome> {
  const open = model.holds.filter((hold) => hold.status === 'open');
  if (advanceMs === 'next-expiry') {
    // Exactly at an expiry: `expires_at <= now` must count it as due.
    if (open.length) model.now = Math.max(model.now, Math.min(...open.map((hold) => hold.expiresAt)));
  } else {
    model.now += advanceMs;
  }
  const due = open.filter((hold) => hold.expiresAt <= model.now);
  const expired = await expireHolds(db, new Date(model.now));
  expect({ expired }).toEqual({ expired: due.length });
  for (const hold of due) {
    hold.status = 'expired';
    releaseCounters(model, hold, 0n);
  }
  return {
    outcome: expired > 0 ? 'expired' : 'nothing due',
    expired,
    now: new Date(model.now).toISOString(),
  };
}

/** Runs one command against the database and the model; returns its outcome and a line for the trace. */
async function runCommand(
  world: World,
  model: Model,
  command: Command,
  step: number,
): Promise<{ line: string; outcome?: Outcome }> {
  const key = `${world.runId}:${step}`;
  const pickHold = (pick: number) => model.holds[pick % model.holds.length];
  switch (command.type) {
    case 'credit': {
      const issue = { type: 'credit' as const, key, wallet: command.wallet, amount: command.amount };
      model.issued.push(issue);
      const outcome = await runTransfer(world, model, issue, command.amount);
      return { line: show(outcome), outcome };
    }
    case 'debit': {
      const amount = resolveAmount(command.amount, availableOf(model, command.wallet));
      const issue = { type: 'debit' as const, key, wallet: command.wallet, amount };
      model.issued.push(issue);
      const outcome = await runTransfer(world, model, issue, amount);
      return { line: `amount ${amount}: ${show(outcome)}`, outcome };
    }
    case 'hold': {
      const amount = resolveAmount(command.amount, availableOf(model, command.wallet));
      const memberLimit = command.memberLimit && command.wallet === ORGANISATION_WALLET;
      const issue = { ...command, memberLimit, key, amount };
      model.issued.push(issue);
      const outcome = await runHold(world, model, issue, amount);
      return { line: `amount ${amount}: ${show(outcome)}`, outcome };
    }
    case 'post': {
      const hold = pickHold(command.pick);
      if (!hold) return { line: 'no hold yet' };
      const { capture } = command;
      const amount =
        capture === 'zero'
          ? 0n
          : capture === 'full'
            ? hold.amount
            : capture === 'over'
              ? hold.amount + 1n
              : capture % (hold.amount + 1n);
      model.issued.push({ type: 'post', hold, amount });
      const subject = `hold ${hold.id} (${hold.status}, ${hold.amount}) amount ${amount}`;
      const outcome = await runPost(model, hold, amount);
      return { line: `${subject}: ${show(outcome)}`, outcome };
    }
    case 'void': {
      const hold = pickHold(command.pick);
      if (!hold) return { line: 'no hold yet' };
      model.issued.push({ type: 'void', hold });
      const subject = `hold ${hold.id} (${hold.status})`;
      const outcome = await runVoid(model, hold);
      return { line: `${subject}: ${show(outcome)}`, outcome };
    }
    case 'expire': {
      const outcome = await runExpire(model, command.advanceMs);
      return { line: show(outcome), outcome };
    }
    case 'replay': {
      const issue = model.issued[command.pick % Math.max(model.issued.length, 1)];
      if (!issue) return { line: 'nothing to replay' };
      let outcome: Outcome;
      let what: string;
      switch (issue.type) {
        case 'credit':
        case 'debit':
          what = `${issue.type} ${issue.key}`;
          outcome = await runTransfer(world, model, issue, issue.amount + command.amountChange);
          break;
        case 'hold':
          what = `hold ${issue.key}`;
          outcome = await runHold(world, model, issue, issue.amount + command.amountChange);
          break;
        case 'post':
          what = `post of hold ${issue.hold.id}`;
          outcome = await runPost(model, issue.hold, issue.amount + command.amountChange);
          break;
        case 'void':
          what = `void of hold ${issue.hold.id}`;
          outcome = await runVoid(model, issue.hold);
          break;
      }
      return { line: `${what}: ${show(outcome)}`, outcome };
    }
  }
}

async function runScenario(scenario: Scenario): Promise<void> {
  const world = await createWorld(scenario);
  const model: Model = {
    now: START,
    balances: world.accountIds.map(() => 0n),
    system: await systemBalances(),
    holds: [],
    keyCounters: world.accountIds.map(() => ({ spent: 0n, held: 0n })),
    memberCounter: { spent: 0n, held: 0n },
    issued: [],
  };
  const trace: string[] = [];
  const initial = scenario.initialCredits.map(
    (amount, wallet): Command => ({ type: 'credit', wallet, amount }),
  );
  try {
    for (const [step, command] of [...initial, ...scenario.commands].entries()) {
      const line = `#${step} ${show(command)}`;
      try {
        const before = await snapshot();
        const result = await runCommand(world, model, command, step);
        trace.push(`${line} -> ${result.line}`);
        if (result.outcome && !mutates(result.outcome)) {
          // A refusal, a replay or an expiry with nothing due leaves every row as it was.
          expect(await snapshot(), 'a refused or replayed command changed the ledger').toBe(before);
        }
        await checkInvariants(world, model);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(`${message}\n\nfailed at ${line}\nafter:\n${trace.join('\n')}`);
      }
    }
  } finally {
    // Later runs expire holds by a clock that starts at START again: leave none of ours open.
    const open = await pool.query<{ id: string }>(
      `SELECT id FROM ledger_holds WHERE account_id = ANY($1::bigint[]) AND status = 'open'`,
      [world.accountIds],
    );
    const items = open.rows.map((row) => ({ holdId: Number(row.id) }));
    await settleHolds(db, 'voided', items, new Date(model.now));
  }
}

const wallet = fc.integer({ min: 0, max: WALLETS - 1 });
const amountChoice: fc.Arbitrary<AmountChoice> = fc.oneof(
  { weight: 8, arbitrary: fc.bigInt({ min: 1n, max: 1_000_000n }) },
  { weight: 1, arbitrary: fc.constantFrom<AmountChoice>('all', 'all+1') },
);
const command: fc.Arbitrary<Command> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      type: fc.constant('credit' as const),
      wallet,
      amount: fc.bigInt({ min: 1n, max: 5_000_000n }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('debit' as const), wallet, amount: amountChoice }) },
  {
    weight: 6,
    arbitrary: fc.record({
      type: fc.constant('hold' as const),
      wallet,
      amount: amountChoice,
      ttlMs: fc.integer({ min: 1_000, max: 120_000 }),
      keyLimit: fc.boolean(),
      memberLimit: fc.boolean(),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      type: fc.constant('post' as const),
      pick: fc.nat(),
      capture: fc.oneof(
        { weight: 4, arbitrary: fc.bigInt({ min: 0n, max: 1n << 40n }) },
        { weight: 1, arbitrary: fc.constantFrom<Capture>('zero', 'full', 'over') },
      ),
    }),
  },
  { weight: 2, arbitrary: fc.record({ type: fc.constant('void' as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      type: fc.constant('expire' as const),
      advanceMs: fc.oneof(fc.integer({ min: 0, max: 90_000 }), fc.constant('next-expiry' as const)),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      type: fc.constant('replay' as const),
      pick: fc.nat(),
      amountChange: fc.oneof({ weight: 3, arbitrary: fc.constant(0n) }, fc.bigInt({ min: 1n, max: 1_000n })),
    }),
  },
);
const scenario: fc.Arbitrary<Scenario> = fc.record({
  initialCredits: fc.array(fc.bigInt({ min: 1n, max: 5_000_000n }), {
    minLength: WALLETS,
    maxLength: WALLETS,
  }),
  keyLimits: fc.array(fc.bigInt({ min: 1n, max: 4_000_000n }), { minLength: WALLETS, maxLength: WALLETS }),
  memberLimit: fc.bigInt({ min: 1n, max: 4_000_000n }),
  commands: fc.array(command, { minLength: 1, maxLength: 40, size: 'max' }),
});

describe('ledger model', () => {
  it('matches the model after every step of random credits, debits, holds, settlements, expiries and replays', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async (generated) => runScenario(generated)),
      { numRuns: 50 },
    );
  }, 180_000);
});
