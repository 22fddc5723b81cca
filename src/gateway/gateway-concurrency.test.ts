/**
 * Spending under concurrency: one wallet, a hundred streaming requests started at once, credit for
 * exactly thirty worst-case holds. The holds are what stands between a burst and a negative
 * balance, so: thirty streams run, seventy are refused with 402 before any provider work, the
 * balance never dips below zero while they run, and what is left at the end is the credit minus
 * the costs the streams reported, to the micro.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import { chatCost, worstCaseChatCost } from '../catalog/prices.js';
import { generations } from '../db/schema/index.js';
import { formatAmount, parseAmount } from '../lib/money.js';
import { inputTokensBound } from './chat/prompt-tokens.js';
import { parseOpenAiChatRequest } from './protocols/openai/openai-chat-request.js';

const REQUESTS = 100;
const FUNDED_HOLDS = 30;
const MAX_TOKENS = 200;
/**
 * The demo model streams about forty words; at this pause each stream lasts seconds, far longer
 * than placing a hundred holds, so no stream settles (and frees credit) before every hold is tried.
 */
const CHUNK_DELAY_MS = 60;

const body = {
  model: 'local/echo',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'Count the words of this sentence, please, and say them backwards.' },
  ],
  max_tokens: MAX_TOKENS,
  stream: true,
  stream_options: { include_usage: true },
};

let gateway: GatewayTestApp;

beforeAll(async () => {
  gateway = await createGatewayTestApp({ LOCAL_MODEL_CHUNK_DELAY_MS: String(CHUNK_DELAY_MS) });
});
afterAll(async () => {
  await gateway.close();
});

interface Outcome {
  status: number;
  text: string;
}

async function post(key: string): Promise<Outcome> {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, text: await response.text() };
}

interface StreamSummary {
  content: string;
  finishReason: string | null;
  usage: { prompt_tokens: number; completion_tokens: number; cost: number };
}

/** The SSE events of a finished stream; fails unless it ended with the usage chunk and [DONE]. */
function readStream(text: string): StreamSummary {
  const events = text
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice('data: '.length));
  expect(events.at(-1)).toBe('[DONE]');
  let content = '';
  let finishReason: string | null = null;
  let usage: StreamSummary['usage'] | undefined;
  for (const event of events.slice(0, -1)) {
    const chunk = JSON.parse(event) as {
      error?: unknown;
      choices: { delta: { content?: string }; finish_reason: string | null }[];
      usage?: StreamSummary['usage'];
    };
    expect(chunk.error).toBeUndefined();
    content += chunk.choices[0]?.delta.content ?? '';
    finishReason = chunk.choices[0]?.finish_reason ?? finishReason;
    if (chunk.usage) usage = chunk.usage;
  }
  if (!usage) throw new Error('the stream carried no usage chunk');
  return { content, finishReason, usage };
}

describe('a hundred parallel streams on credit for thirty', () => {
  it('lets exactly the thirty held requests run, refuses the rest with 402, and never overdraws', async () => {
    const model = gateway.ctx.gateway.catalog.resolve('local/echo')!;
    // The hold exactly as the gateway computes it for this body.
    const parsed = parseOpenAiChatRequest(body);
    const hold = worstCaseChatCost(model, inputTokensBound(parsed.chat), MAX_TOKENS);
    // 96 input tokens at most (80 bytes of prompt, 8 a message) at 0.10 a million and 200 output
    // tokens at 0.40: 89.6 micros, rounded up.
    expect(inputTokensBound(parsed.chat)).toBe(96);
    expect(hold).toBe(90n);
    const credit = BigInt(FUNDED_HOLDS) * hold;
    const { userId, key } = await gateway.fundedUser(credit);

    let running = true;
    let polls = 0;
    let lowestBalance = credit;
    let lowestAvailable = credit;
    let highestHeld = 0n;
    const poller = (async () => {
      while (running) {
        const balance = await gateway.balanceOf(userId);
        polls += 1;
        if (balance.balance < lowestBalance) lowestBalance = balance.balance;
        if (balance.available < lowestAvailable) lowestAvailable = balance.available;
        if (balance.held > highestHeld) highestHeld = balance.held;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
    })();
    const outcomes = await Promise.all(Array.from({ length: REQUESTS }, () => post(key)));
    running = false;
    await poller;

    // Only 200s and 402s: a 500 would mean the ledger's CHECK (no negative balance) fired.
    const statuses = outcomes.map((outcome) => outcome.status);
    expect(statuses.filter((status) => status !== 200 && status !== 402)).toEqual([]);
    const succeeded = outcomes.filter((outcome) => outcome.status === 200);
    const refused = outcomes.filter((outcome) => outcome.status === 402);
    expect(succeeded).toHaveLength(FUNDED_HOLDS);
    expect(refused).toHaveLength(REQUESTS - FUNDED_HOLDS);

    for (const outcome of refused) {
      expect(JSON.parse(outcome.text)).toEqual({
        error: {
          message: 'Not enough credit for this request',
          type: 'insufficient_quota',
          param: null,
          code: 'insufficient_credit',
          needed: formatAmount(hold),
          // Every hold was tried while all thirty were still open.
          available: '0.000000',
        },
      });
    }

    const streams = succeeded.map((outcome) => readStream(outcome.text));
    let spent = 0n;
    for (const stream of streams) {
      expect(stream.content).toContain("This is Mixgate's built-in demo model");
      expect(stream.finishReason).toBe('stop');
      const cost = parseAmount(stream.usage.cost.toFixed(6));
      expect(cost).toBe(
        chatCost(model, {
          inputTokens: stream.usage.prompt_tokens,
          outputTokens: stream.usage.completion_tokens,
        }),
      );
      expect(cost).toBeGreaterThan(0n);
      expect(cost).toBeLessThanOrEqual(hold);
      spent += cost;
    }

    expect(polls).toBeGreaterThan(0);
    expect(lowestBalance).toBeGreaterThanOrEqual(0n);
    expect(lowestAvailable).toBeGreaterThanOrEqual(0n);
    // The poller saw the thirty holds open at once: the streams overlapped, as the test needs.
    expect(highestHeld).toBe(credit);
    expect(await gateway.balanceOf(userId)).toEqual({
      balance: credit - spent,
      held: 0n,
      available: credit - spent,
      openHolds: 0,
    });

    // One generation per hold, each succeeded and captured what its stream reported; the refused
    // requests placed no hold and left no record.
    const rows = await gateway.ctx.db
      .select({ status: generations.status, cost: generations.cost, holdId: generations.holdId })
      .from(generations)
      .where(eq(generations.userId, userId));
    expect(rows).toHaveLength(FUNDED_HOLDS);
    expect(rows.every((row) => row.status === 'succeeded' && row.holdId !== null)).toBe(true);
    expect(rows.reduce((sum, row) => sum + row.cost, 0n)).toBe(spent);

    await gateway.assertLedgerConsistent();
  });
});
