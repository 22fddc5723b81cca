import { randomBytes } from 'node:crypto';
import type { HoldInput, PlacedHold } from './holds.js';
import { InsufficientCreditError, SpendLimitError } from './ledger-errors.js';
import { periodStart } from './spend-periods.js';

/**
 * Holds placed ahead (DESIGN.md "Hot path budget"): for a spender who is sending requests for a
 * model, a few holds of a rounded-up size are placed in the background, and the next requests
 * each take one instead of waiting for a hold of their own. The hold's round trip (0.6 ms of a lone
 * request's 2.4 ms overhead here) leaves the critical path; the ledger does not change: each pooled
 * hold is an ordinary hold, posted once by the one request that took it, or voided.
 *
 * What it costs, and the limits that keep it honest:
 * - a pooled hold reserves up to twice a request's worst case (sizes are powers of two), so pooling
 *   only starts for a wallet known to have `headroom` times the pool's whole size available:
 *   near the end of a balance every request holds exactly its worst case, as without the pool;
 * - a hold refused for credit or a limit while this wallet has pooled holds releases them and is
 *   tried once more, so the pool never makes a request fail that would have passed without it;
 * - pooled holds are released once their spender and model have been idle for `idleMs`, and never
 *   handed out past `maxAgeMs`, so the credit they reserve comes back within seconds;
 * - a hold counts against the spend limits' periods it was placed in, so one placed before a
 *   period began (midnight, for a daily limit) is never handed out after;
 * - a crash leaves them open until they expire, like any hold, and the expiry job frees them.
 */
export interface HoldPool {
  /** A hold of at least `input.amount` for input's spender and model: a pooled one when ready. */
  hold(input: HoldInput): Promise<PlacedHold>;
  /** Releases every pooled hold, once those being placed have been placed. */
  releaseAll(): Promise<void>;
  /** Stops pooling and releases every pooled hold. */
  close(): Promise<void>;
}

export interface HoldPoolOptions {
  /**
   * Places holds (the hold queue's placeAll): a pool's refill goes as one batch, so keeping holds
   * ready costs PostgreSQL one statement per refill rather than one per request.
   */
  place(inputs: readonly HoldInput[]): Promise<PlacedHold>[];
  /** Voids holds (the settlement queue); resolves once committed. */
  release(holdIds: number[]): Promise<void>;
  /** The ledger's clock, for the holds' times. */
  now(): Date;
  /**
   * How long a pooled hold must stay valid once handed out: the longest request it may serve, with
   * the margin before expiry. A request whose hold must outlive that gets its own.
   */
  holdLifeMs: number;
  /** Holds kept ready per spender, model and size; 0 turns pooling off. */
  ready?: number;
  /** A spender and model idle this long gives its pooled holds back. */
  idleMs?: number;
  /** A pooled hold older than this is given back, not handed out. */
  maxAgeMs?: number;
  /** Pooling needs at least this many times the pool's whole size available in the wallet. */
  headroom?: number;
  /** After a background hold is refused, this long without placing more for that pool. */
  coolDownMs?: number;
  /** Monotonic milliseconds (tests). */
  clock?: () => number;
}

interface ReadyHold {
  holdId: number;
  expiresAt: number;
  placedAt: number;
  /** The spend limits' periods it counts against (limitPeriods). */
  periods: string;
}

interface Pool {
  key: string;
  wallet: string;
  template: HoldInput;
  size: bigint;
  ready: ReadyHold[];
  placing: number;
  lastUsedAt: number;
  coolUntil: number;
}

export function createHoldPool(options: HoldPoolOptions): HoldPool {
  const target = options.ready ?? 4;
  const idleMs = options.idleMs ?? 2_000;
  const maxAgeMs = options.maxAgeMs ?? 30_000;
  const headroom = BigInt(options.headroom ?? 16);
  const coolDownMs = options.coolDownMs ?? 5_000;
  const clock = options.clock ?? (() => performance.now());
  const pools = new Map<string, Pool>();
  /** Each wallet's available balance as the last hold placed on it reported. */
  const available = new Map<string, bigint>();
  const placements = new Set<Promise<unknown>>();
  // Idempotency keys of pooled holds: random per pool object, then counted, as randomBytes for
  // each hold cost about 2% of the gateway's thread when saturated.
  const keyPrefix = `pool_${randomBytes(12).toString('base64url')}_`;
  let keysUsed = 0;
  let closed = target <= 0;

  const sweeper = setInterval(() => sweep(clock()), Math.max(100, idleMs / 2));
  sweeper.unref();

  function sweep(now: number): void {
    for (const pool of pools.values()) {
      if (now - pool.lastUsedAt >= idleMs) giveBack(pool.ready.splice(0));
      else giveBack(takeWhere(pool, (held) => now - held.placedAt > maxAgeMs));
      if (pool.ready.length === 0 && pool.placing === 0 && now - pool.lastUsedAt >= idleMs) {
        pools.delete(pool.key);
      }
    }
    // A wallet's balance is only read to refill its pools; forget it with the last of them (its
    // next pool starts with requests that place their own holds, which report it again).
    const inUse = new Set([...pools.values()].map((pool) => pool.wallet));
    for (const wallet of available.keys()) if (!inUse.has(wallet)) available.delete(wallet);
  }

  function takeWhere(pool: Pool, test: (held: ReadyHold) => boolean): ReadyHold[] {
    const taken = pool.ready.filter(test);
    if (taken.length > 0) pool.ready = pool.ready.filter((held) => !test(held));
    return taken;
  }

  function giveBack(holds: ReadyHold[]): Promise<void> {
    if (holds.length === 0) return Promise.resolve();
    // A failed release leaves the holds to the expiry job; nothing was charged.
    return options.release(holds.map((held) => held.holdId)).catch(() => undefined);
  }

  function noteAvailable(wallet: string, placed: PlacedHold): void {
    if (placed.available !== undefined) available.set(wallet, placed.available);
  }

  /** Tops the pool up to `target` once it is half empty, if the wallet can clearly afford it. */
  function refill(pool: Pool, now: number): void {
    const missing = target - pool.ready.length - pool.placing;
    if (closed || now < pool.coolUntil || missing * 2 < target) return;
    const known = available.get(pool.wallet);
    if (known === undefined || known < headroom * BigInt(target) * pool.size) return;
    const placedAt = clock();
    const at = options.now();
    const expiresAt = at.getTime() + maxAgeMs + options.holdLifeMs;
    const periods = limitPeriods(pool.template, at);
    const inputs = Array.from({ length: missing }, () => ({
      ...pool.template,
      amount: pool.size,
      idempotencyKey: `${keyPrefix}${(keysUsed++).toString(36)}`,
      now: at,
      expiresAt: new Date(expiresAt),
      durable: false,
    }));
    pool.placing += missing;
    for (const placing of options.place(inputs)) {
      const placement = placing
        .then(
          (placed) => {
            pool.placing--;
            noteAvailable(pool.wallet, placed);
            const held = { holdId: placed.holdId, expiresAt, placedAt, periods };
            // A pool no longer in the map (swept, or closed) hands nothing out any more.
            if (closed || pools.get(pool.key) !== pool || clock() - pool.lastUsedAt >= idleMs) {
              return giveBack([held]);
            }
            pool.ready.push(held);
          },
          () => {
            pool.placing--;
            pool.coolUntil = clock() + coolDownMs;
          },
        )
        .finally(() => placements.delete(placement));
      placements.add(placement);
    }
  }

  /**
   * A ready hold of this pool that outlives the request, dropping (and releasing) the ones too old
   * or placed in an earlier period of a spend limit.
   */
  function take(pool: Pool, input: HoldInput, now: number): ReadyHold | undefined {
    const periods = limitPeriods(input, input.now);
    giveBack(takeWhere(pool, (held) => now - held.placedAt > maxAgeMs || held.periods !== periods));
    const needed = input.expiresAt.getTime();
    const index = pool.ready.findIndex((held) => held.expiresAt >= needed);
    return index < 0 ? undefined : pool.ready.splice(index, 1)[0];
  }

  async function releaseWallet(wallet: string): Promise<boolean> {
    const released: Promise<void>[] = [];
    for (const pool of pools.values()) {
      if (pool.wallet === wallet && pool.ready.length > 0) released.push(giveBack(pool.ready.splice(0)));
    }
    await Promise.all(released);
    return released.length > 0;
  }

  async function placeOwn(input: HoldInput, wallet: string): Promise<PlacedHold> {
    const place = async () => {
      const placed = await options.place([input])[0]!;
      noteAvailable(wallet, placed);
      return placed;
    };
    try {
      return await place();
    } catch (error) {
      const refused = error instanceof InsufficientCreditError || error instanceof SpendLimitError;
      if (!refused || !(await releaseWallet(wallet))) throw error;
      return place();
    }
  }

  async function releaseAll(): Promise<void> {
    while (placements.size > 0) await Promise.all([...placements]);
    await Promise.all([...pools.values()].map((pool) => giveBack(pool.ready.splice(0))));
  }

  return {
    hold(input) {
      const wallet = walletKey(input);
      if (input.durable) return placeOwn(input, wallet);
      const size = poolSize(input.amount);
      const key = poolKey(input, size);
      const now = clock();
      let pool = pools.get(key);
      if (!pool) {
        pool = {
          key,
          wallet,
          template: input,
          size,
          ready: [],
          placing: 0,
          lastUsedAt: Number.NEGATIVE_INFINITY,
          coolUntil: 0,
        };
        if (!closed) pools.set(key, pool);
      }
      // Pooling starts with a spender's second request for a model within idleMs: a lone request
      // would only leave holds behind to release.
      const warm = now - pool.lastUsedAt < idleMs;
      pool.lastUsedAt = now;
      const held = take(pool, input, now);
      // The request's own hold, when it needs one, is queued before the pool's, which can wait.
      const placed = held
        ? Promise.resolve({ holdId: held.holdId, replayed: false })
        : placeOwn(input, wallet);
      if (warm) refill(pool, now);
      return placed;
    },
    releaseAll,
    async close() {
      closed = true;
      clearInterval(sweeper);
      await releaseAll();
    },
  };
}

/** The smallest power of two micros at least `amount`: few pool sizes, at most twice the need. */
export function poolSize(amount: bigint): bigint {
  let size = 1n;
  while (size < amount) size <<= 1n;
  return size;
}

/** The start of each spend limit's current period at `at`, as one comparable string. */
function limitPeriods(input: HoldInput, at: Date): string {
  if (!input.keyLimit && !input.memberLimit) return '';
  const start = (limit: HoldInput['keyLimit']) => (limit ? periodStart(limit.period, at).getTime() : '');
  return `${start(input.keyLimit)}/${start(input.memberLimit)}`;
}

function walletKey(input: HoldInput): string {
  return input.wallet.organisationId ? `o:${input.wallet.organisationId}` : `u:${input.wallet.userId}`;
}

/** Holds are interchangeable only when every column they carry but the amount's need is equal. */
function poolKey(input: HoldInput, size: bigint): string {
  return JSON.stringify([
    walletKey(input),
    input.creditAccountId ?? null,
    input.actor,
    input.model ?? null,
    input.apiKeyId ?? null,
    input.memberUserId ?? null,
    input.keyLimit ? [input.keyLimit.limit.toString(), input.keyLimit.period] : null,
    input.memberLimit ? [input.memberLimit.limit.toString(), input.memberLimit.period] : null,
    size.toString(),
  ]);
}
