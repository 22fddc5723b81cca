/**
 * Two `mixgate serve` processes behind one imaginary load balancer, on one PostgreSQL (and one
 * Redis when the machine has it), as DESIGN.md "One machine, then many" runs them. Spending through
 * both at once must never overdraw a wallet: the ledger in the shared database is the only thing
 * that stands between them. Each instance also keeps its own holds placed ahead (src/ledger/
 * hold-pool.ts), which must all come back when the instances stop.
 */
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../src/accounts/api-keys.js';
import { loadCatalog } from '../src/catalog/load-catalog.js';
import { worstCaseChatCost } from '../src/catalog/prices.js';
import { inputTokensBound } from '../src/gateway/chat/prompt-tokens.js';
import { parseOpenAiChatRequest } from '../src/gateway/protocols/openai/openai-chat-request.js';
import { checkLedger } from '../src/ledger/check-ledger.js';
import { fundedTestWallet } from '../src/ledger/ledger-test-fixtures.js';
import { creditManually } from '../src/ledger/manual-adjustments.js';
import { readBalance } from '../src/ledger/read-balance.js';
import { parseAmount } from '../src/lib/money.js';
import { type RunningServer, startServer, stopServer } from './mixgate-process.js';
import { streamedCost } from './studio-test-app.js';
import { createTestDatabase } from './test-database.js';

const database = await createTestDatabase();
const REQUESTS = 100;
const FUNDED = 30;
const MAX_TOKENS = 200;

const body = (stream: boolean) => ({
  model: 'local/echo',
  messages: [{ role: 'user', content: 'Two instances, one wallet: count to ten, please.' }],
  max_tokens: MAX_TOKENS,
  stream,
  ...(stream && { stream_options: { include_usage: true } }),
});

let dataDir = '';
let instances: RunningServer[] = [];

/** Redis shares the rate limits between the instances; the machine's, when it answers. */
function redisReachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port: 6379 });
    socket.setTimeout(1_000);
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function stopAll(): Promise<void> {
  await Promise.all(
    instances.map((server) =>
      stopServer(server).catch(async () => {
        if (!server.exited) process.kill(server.pid, 'SIGKILL');
        await server.exit;
      }),
    ),
  );
}

beforeAll(async () => {
  // One data directory for both, as one shared volume would be: the same master key.
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'mg-two-e2e-'));
  await chmod(dataDir, 0o755);
  const env: Record<string, string> = {
    DATABASE_URL: database.url,
    // Long enough streams that a hundred requests overlap, on both instances.
    LOCAL_MODEL_CHUNK_DELAY_MS: '40',
    JOBS_ENABLED: 'false',
  };
  if (await redisReachable()) env.REDIS_URL = 'redis://127.0.0.1:6379';
  instances = await Promise.all([startServer(dataDir, { env }), startServer(dataDir, { env })]);
});

afterAll(async () => {
  await stopAll();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function fundedKey(credit: bigint): Promise<{ userId: string; key: string }> {
  const { userId } = await fundedTestWallet(database.db, credit);
  const { key } = await createApiKey(database.db, { userId, name: 'two instances' }, null, new Date());
  return { userId, key };
}

async function post(instance: RunningServer, key: string, stream: boolean) {
  const response = await fetch(`${instance.baseUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body(stream)),
  });
  return { status: response.status, text: await response.text() };
}

describe.sequential('two instances on one database', () => {
  it('fund exactly the thirty requests the credit covers, across both, and never overdraw', async () => {
    const model = loadCatalog({ markupPercent: 0 }).resolve('local/echo')!;
    const hold = worstCaseChatCost(
      model,
      inputTokensBound(parseOpenAiChatRequest(body(true)).chat),
      MAX_TOKENS,
    );
    // Each instance first spends from the wallet alone, which shows that both spend from it (and
    // warms their key caches and connections). Which instance funds which of the thirty in the
    // burst is a race: one instance's group commit may take all thirty in one statement.
    const { userId, key } = await fundedKey(2n * hold);
    const warmUps = [await post(instances[0]!, key, true), await post(instances[1]!, key, true)];
    expect(warmUps.map((outcome) => outcome.status)).toEqual([200, 200]);
    const warmUpCost = warmUps.reduce((sum, outcome) => sum + streamedCost(outcome.text), 0n);
    expect(warmUpCost).toBeGreaterThan(0n);
    // Then exactly thirty worst cases available.
    const credit = BigInt(FUNDED) * hold;
    await creditManually(database.db, {
      owner: { userId },
      amount: credit - (2n * hold - warmUpCost),
      reason: 'two instances test',
      actor: { cli: true },
      now: new Date(),
    });
    expect((await readBalance(database.db, { userId })).available).toBe(credit);

    let running = true;
    let lowestAvailable = credit;
    const poller = (async () => {
      while (running) {
        const balance = await readBalance(database.db, { userId });
        if (balance.available < lowestAvailable) lowestAvailable = balance.available;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const outcomes = await Promise.all(
      Array.from({ length: REQUESTS }, (_, n) => post(instances[n % 2]!, key, true)),
    );
    running = false;
    await poller;

    expect(outcomes.filter((outcome) => outcome.status !== 200 && outcome.status !== 402)).toEqual([]);
    const succeeded = outcomes.filter((outcome) => outcome.status === 200);
    expect(succeeded).toHaveLength(FUNDED);
    expect(lowestAvailable).toBeGreaterThanOrEqual(0n);
    const spent = succeeded.reduce((sum, outcome) => sum + streamedCost(outcome.text), 0n);
    expect(await readBalance(database.db, { userId })).toMatchObject({
      balance: credit - spent,
      held: 0n,
    });
  });

  it('give back every hold they placed ahead when they stop, with the books exact', async () => {
    const { userId, key } = await fundedKey(100_000_000n);
    let spent = 0n;
    // Steady use through both, so that each instance holds ahead for the key.
    for (let n = 0; n < 16; n++) {
      const outcome = await post(instances[n % 2]!, key, false);
      expect(outcome.status).toBe(200);
      spent += parseAmount((JSON.parse(outcome.text) as { usage: { cost: number } }).usage.cost.toFixed(6));
    }
    const pooled = await database.db.execute<{ count: number }>(sql`
      SELECT count(*)::int AS count FROM ledger_holds h JOIN ledger_accounts a ON a.id = h.account_id
       WHERE a.user_id = ${userId} AND h.idempotency_key LIKE 'pool\\_%'`);
    expect(pooled.rows[0]!.count).toBeGreaterThan(0);

    await stopAll();
    expect(await readBalance(database.db, { userId })).toMatchObject({
      balance: 100_000_000n - spent,
      held: 0n,
      available: 100_000_000n - spent,
    });
    expect((await checkLedger(database.db)).problems).toEqual([]);
  });
});
