/**
 * The real server on a random loopback port with its providers pointed at the provider fakes:
 * OpenAI, Anthropic, Gemini, and OpenRouter (served by a second OpenAI fake, as a fallback
 * deployment). Users are funded through the ledger and get an API key.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createApiKey } from '../src/accounts/api-keys.js';
import { startSettlementJournal } from '../src/gateway/metering/settlement-journal-startup.js';
import { checkLedger } from '../src/ledger/check-ledger.js';
import { fundedTestWallet } from '../src/ledger/ledger-test-fixtures.js';
import { readBalance } from '../src/ledger/read-balance.js';
import { startFakeAnthropic } from '../src/providers/anthropic/fake-anthropic.js';
import type { FakeServer } from '../src/providers/fakes/fake-server.js';
import { startFakeGoogle } from '../src/providers/google/fake-google.js';
import { startFakeOpenAi } from '../src/providers/openai/fake-openai.js';
import { createTestApp, type TestApp } from './test-app.js';

export interface GatewayTestApp extends TestApp {
  /** http://127.0.0.1:<port> */
  url: string;
  fakes: { openai: FakeServer; openrouter: FakeServer; anthropic: FakeServer; google: FakeServer };
  /** A user with `amount` micros of credit and an API key. */
  fundedUser(amount: bigint): Promise<{ userId: string; key: string }>;
  balanceOf(userId: string): Promise<{ balance: bigint; held: bigint; available: bigint }>;
  /** Waits for queued settlements, then checks every ledger invariant. */
  assertLedgerConsistent(): Promise<void>;
  close(): Promise<void>;
}

export async function createGatewayTestApp(
  env: Record<string, string> = {},
  options: {
    webRoot?: string | null;
    /** Captures journaled in this folder (SETTLEMENT_JOURNAL=on), as `npm start` has them. */
    settlementJournalDir?: string;
  } = {},
): Promise<GatewayTestApp> {
  const [openai, openrouter, anthropic, google] = await Promise.all([
    startFakeOpenAi(),
    startFakeOpenAi(),
    startFakeAnthropic(),
    startFakeGoogle(),
  ]);
  const test = await createTestApp(
    {
      OPENAI_API_KEY: 'sk-test-openai',
      OPENAI_BASE_URL: openai.baseUrl,
      OPENROUTER_API_KEY: 'sk-test-openrouter',
      OPENROUTER_BASE_URL: openrouter.baseUrl,
      ANTHROPIC_API_KEY: 'sk-test-anthropic',
      // The Anthropic SDKs' convention: the origin, without /v1.
      ANTHROPIC_BASE_URL: anthropic.origin,
      GEMINI_API_KEY: 'test-gemini',
      GEMINI_BASE_URL: google.baseUrl,
      ...env,
    },
    { webRoot: options.webRoot },
  );
  const journalDir =
    options.settlementJournalDir ??
    (settlementJournalInTests() ? await mkdtemp(path.join(tmpdir(), 'mg-test-journal-')) : undefined);
  const journal = journalDir
    ? await startSettlementJournal({
        ...test.ctx,
        config: { ...test.ctx.config, SETTLEMENT_JOURNAL: 'on', dataDir: journalDir },
        log: test.app.log,
      })
    : undefined;
  const url = await test.app.listen({ host: '127.0.0.1', port: 0 });
  return {
    ...test,
    url,
    fakes: { openai, openrouter, anthropic, google },
    async fundedUser(amount) {
      const { userId } = await fundedTestWallet(test.ctx.db, amount);
      const { key } = await createApiKey(test.ctx.db, { userId, name: 'test' }, null, test.ctx.now());
      return { userId, key };
    },
    async balanceOf(userId) {
      // Holds placed ahead are given back once their spender is idle; a balance read at once would
      // count them as held.
      await test.ctx.gateway.holdPool.releaseAll();
      await test.ctx.gateway.settlements.drain();
      return readBalance(test.ctx.db, { userId });
    },
    async assertLedgerConsistent() {
      await test.ctx.gateway.settlements.drain();
      const report = await checkLedger(test.ctx.db);
      if (!report.ok) throw new Error(`ledger check failed: ${JSON.stringify(report.problems)}`);
    },
    async close() {
      test.jobs.close();
      await test.app.close();
      await journal?.close();
      await test.ctx.gateway.close();
      await Promise.all([openai, openrouter, anthropic, google].map((fake) => fake.close()));
    },
  };
}

/**
 * Whether gateway tests journal their captures: as the product decides (SETTLEMENT_JOURNAL=auto),
 * on for the run on the embedded PostgreSQL and off for the run on DATABASE_URL, so that CI's two
 * runs of the suite cover both; MIXGATE_TEST_SETTLEMENT_JOURNAL=1 or 0 chooses.
 */
function settlementJournalInTests(): boolean {
  const chosen = process.env.MIXGATE_TEST_SETTLEMENT_JOURNAL;
  if (chosen === '1' || chosen === '0') return chosen === '1';
  return !process.env.DATABASE_URL;
}
