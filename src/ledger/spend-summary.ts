import { sql } from 'drizzle-orm';
import type { DbOrTransaction } from '../db/transaction.js';
import type { WalletOwner } from './system-accounts.js';
import { findWallet } from './wallets.js';

const DAY_MS = 86_400_000;
/** Any year, even one starting mid-day in a leap year; longer ranges belong to the CSV export. */
export const MAX_SPEND_RANGE_DAYS = 367;

export interface Spend {
  /** Micros. */
  amount: bigint;
  /** Charged requests (a request that cost nothing left no transfer). */
  requests: number;
}

export interface ModelSpend extends Spend {
  model: string | null;
}

export interface ApiKeySpend extends Spend {
  /** Null for usage not made with an API key (the web app). */
  apiKeyId: string | null;
}

export interface NamedApiKeySpend extends ApiKeySpend {
  /** Kept once the key is revoked; null for the web app, or a key deleted with its user. */
  name: string | null;
  /** The key's first characters, which tell apart two keys of the same name. */
  prefix: string | null;
  revoked: boolean;
}

export interface DaySpend extends Spend {
  /** UTC day, YYYY-MM-DD. */
  date: string;
  /** Most expensive first. */
  models: ModelSpend[];
  /** Most expensive first; the web app's usage under a null key. */
  apiKeys: ApiKeySpend[];
}

export interface SpendSummary {
  from: Date;
  to: Date;
  total: Spend;
  /** Every UTC day the range touches, oldest first, zero when nothing was spent. */
  days: DaySpend[];
  /** Over the whole range, most expensive first. */
  models: ModelSpend[];
  apiKeys: NamedApiKeySpend[];
}

/** Which grouping set a row adds up. */
type Breakdown = 'day_model' | 'day_key' | 'key';

interface SpendRow extends Record<string, unknown> {
  breakdown: Breakdown;
  date: string | null;
  model: string | null;
  api_key_id: string | null;
  api_key_name: string | null;
  api_key_prefix: string | null;
  api_key_revoked: boolean;
  amount: string;
  requests: number;
}

/**
 * What a wallet spent on generations (its posted usage debits) in [from, to), per UTC day and
 * model, per UTC day and API key, and per API key with its name, in one query.
 */
export async function spendSummary(
  db: DbOrTransaction,
  owner: WalletOwner,
  range: { from: Date; to: Date },
): Promise<SpendSummary> {
  const { from, to } = range;
  if (to.getTime() <= from.getTime()) throw new RangeError('"from" must be before "to"');
  const dates = utcDates(from, to);
  if (dates.length > MAX_SPEND_RANGE_DAYS) {
    throw new RangeError(`A spend summary covers at most ${MAX_SPEND_RANGE_DAYS} days`);
  }
  const walletId = await findWallet(db, owner);
  const rows = walletId === undefined ? [] : await readSpendRows(db, walletId, from, to);

  const modelsByDate = new Map<string, ModelSpend[]>(dates.map((date) => [date, []]));
  const keysByDate = new Map<string, ApiKeySpend[]>(dates.map((date) => [date, []]));
  const modelTotals = new Map<string | null, ModelSpend>();
  const apiKeys: NamedApiKeySpend[] = [];
  for (const row of rows) {
    const spend = { amount: BigInt(row.amount), requests: row.requests };
    if (row.breakdown === 'key') {
      apiKeys.push({
        apiKeyId: row.api_key_id,
        name: row.api_key_name,
        prefix: row.api_key_prefix,
        revoked: row.api_key_revoked,
        ...spend,
      });
    } else if (row.breakdown === 'day_key') {
      keysByDate.get(row.date!)?.push({ apiKeyId: row.api_key_id, ...spend });
    } else {
      modelsByDate.get(row.date!)?.push({ model: row.model, ...spend });
      const total = modelTotals.get(row.model) ?? { model: row.model, amount: 0n, requests: 0 };
      modelTotals.set(row.model, add(total, spend));
    }
  }
  const days = dates.map((date) => {
    const models = modelsByDate.get(date)!.sort(mostExpensiveFirst);
    const dayKeys = keysByDate.get(date)!.sort(mostExpensiveFirst);
    return { date, ...models.reduce(add, { amount: 0n, requests: 0 }), models, apiKeys: dayKeys };
  });
  return {
    from,
    to,
    total: days.reduce(add, { amount: 0n, requests: 0 }),
    days,
    models: [...modelTotals.values()].sort(mostExpensiveFirst),
    apiKeys: apiKeys.sort(mostExpensiveFirst),
  };
}

/**
 * grouping() tells the sets apart, so a null model or key (the web app) is not mistaken for a
 * subtotal. Only the whole-range key rows look up the key's name: one row per key, not per day.
 */
async function readSpendRows(
  db: DbOrTransaction,
  walletId: number,
  from: Date,
  to: Date,
): Promise<SpendRow[]> {
  const result = await db.execute<SpendRow>(sql`
    SELECT spend.*, api_keys.name AS api_key_name, api_keys.prefix AS api_key_prefix,
           api_keys.revoked_at IS NOT NULL AS api_key_revoked
      FROM (SELECT CASE WHEN grouping(model) = 0 THEN 'day_model'
                        WHEN grouping(date) = 0 THEN 'day_key'
                        ELSE 'key' END AS breakdown,
                   date, model, api_key_id, sum(amount)::text AS amount, count(*)::int AS requests
              FROM (SELECT to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS date, model, api_key_id,
                           amount
                      FROM ledger_transfers
                     WHERE debit_account_id = ${walletId} AND kind = 'usage'
                       AND created_at >= ${from} AND created_at < ${to}) usage
             GROUP BY GROUPING SETS ((date, model), (date, api_key_id), (api_key_id))) spend
      LEFT JOIN api_keys ON spend.breakdown = 'key' AND api_keys.id = spend.api_key_id`);
  return result.rows;
}

/** The UTC calendar days that [from, to) touches (counting stops past the maximum). */
export function utcDates(from: Date, to: Date): string[] {
  const dates: string[] = [];
  const first = Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate());
  for (let day = first; day < to.getTime(); day += DAY_MS) {
    dates.push(new Date(day).toISOString().slice(0, 10));
    if (dates.length > MAX_SPEND_RANGE_DAYS) break;
  }
  return dates;
}

function add<T extends Spend>(total: T, spend: Spend): T {
  return { ...total, amount: total.amount + spend.amount, requests: total.requests + spend.requests };
}

function mostExpensiveFirst(
  a: Spend & { model?: string | null; apiKeyId?: string | null },
  b: typeof a,
): number {
  if (a.amount !== b.amount) return a.amount > b.amount ? -1 : 1;
  return String(a.model ?? a.apiKeyId ?? '').localeCompare(String(b.model ?? b.apiKeyId ?? ''));
}
