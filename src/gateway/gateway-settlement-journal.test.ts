/**
 * The gateway with the settlement journal on (as `npm start` runs it on the embedded database): a
 * response no longer waits for its capture's database commit, yet the cost it reports is durable,
 * and anything read afterwards includes it.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { eq, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import { streamedCost } from '../../test/studio-test-app.js';
import { generations, ledgerHolds } from '../db/schema/index.js';
import { formatAmount, parseAmount } from '../lib/money.js';
import { SETTLEMENT_JOURNAL_FILE } from './metering/settlement-journal-startup.js';

let gateway: GatewayTestApp;
let journalDir = '';

beforeAll(async () => {
  journalDir = await mkdtemp(path.join(tmpdir(), 'mg-gateway-journal-'));
  gateway = await createGatewayTestApp({}, { settlementJournalDir: journalDir });
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await gateway.close();
  // Closing commits everything and empties the journal.
  expect(await readFile(path.join(journalDir, SETTLEMENT_JOURNAL_FILE), 'utf8')).toBe('');
});

function chat(key: string, stream: boolean): Promise<Response> {
  return fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
    body: JSON.stringify({
      model: 'local/echo',
      messages: [{ role: 'user', content: 'Journal this, please.' }],
      max_tokens: 50,
      stream,
      ...(stream && { stream_options: { include_usage: true } }),
    }),
  });
}

/** The cost a response reported: usage.cost, from the body or from the stream's usage chunk. */
async function reportedCost(response: Response, stream: boolean): Promise<bigint> {
  if (!stream)
    return parseAmount(String(((await response.json()) as { usage: { cost: number } }).usage.cost));
  return streamedCost(await response.text());
}

async function generation(key: string, id: string) {
  const response = await fetch(`${gateway.url}/v1/generations/${id}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return {
    status: response.status,
    body: (await response.json()) as { data: { cost: string; status: string } },
  };
}

describe('the gateway with the settlement journal', () => {
  it.each([false, true])(
    'answers before the database commits, and a read waits for the commit (stream %s)',
    async (stream) => {
      const { userId, key } = await gateway.fundedUser(10_000_000n);
      // Another session holds the usage table: the capture's statement, which writes the usage row,
      // cannot commit until it lets go. Reads of the table are not blocked.
      const blocker = new pg.Client(gateway.ctx.pool.options);
      await blocker.connect();
      try {
        await blocker.query('BEGIN');
        await blocker.query('LOCK TABLE generations IN SHARE ROW EXCLUSIVE MODE');

        const response = await chat(key, stream);
        expect(response.status).toBe(200);
        const id = response.headers.get('x-mixgate-generation-id')!;
        const cost = await reportedCost(response, stream);
        expect(cost).toBeGreaterThan(0n);
        // Answered, with its cost, while the capture is still only in the journal.
        const journal = await readFile(path.join(journalDir, SETTLEMENT_JOURNAL_FILE), 'utf8');
        expect(journal).toContain(id);
        expect(await gateway.ctx.db.select().from(generations).where(eq(generations.id, id))).toEqual([]);
        expect(gateway.ctx.gateway.settlements.pending).toBeGreaterThan(0);

        let answered = false;
        const read = generation(key, id).then((result) => {
          answered = true;
          return result;
        });
        await new Promise((resolve) => setTimeout(resolve, 200));
        expect(answered).toBe(false);
        await blocker.query('COMMIT');
        const { status, body } = await read;
        expect(status).toBe(200);
        expect(body.data).toMatchObject({ status: 'succeeded', cost: formatAmount(cost) });
        const [hold] = await gateway.ctx.db
          .select({ status: ledgerHolds.status, postedAmount: ledgerHolds.postedAmount })
          .from(ledgerHolds)
          .where(eq(ledgerHolds.idempotencyKey, id));
        expect(hold).toEqual({ status: 'posted', postedAmount: cost });
        expect((await gateway.balanceOf(userId)).balance).toBe(10_000_000n - cost);
      } finally {
        await blocker.query('ROLLBACK').catch(() => {});
        await blocker.end();
      }
    },
  );

  it('captures to the micro what 60 concurrent responses reported', async () => {
    const { userId, key } = await gateway.fundedUser(50_000_000n);
    const answers = await Promise.all(
      Array.from({ length: 60 }, async (_, n) => {
        const stream = n % 2 === 1;
        const response = await chat(key, stream);
        expect(response.status).toBe(200);
        return {
          id: response.headers.get('x-mixgate-generation-id')!,
          cost: await reportedCost(response, stream),
        };
      }),
    );
    const reported = answers.reduce((sum, answer) => sum + answer.cost, 0n);
    // Straight after the last response: the balance read waits for nothing but what it must.
    const { data } = (await (
      await fetch(`${gateway.url}/v1/generations/${answers.at(-1)!.id}`, {
        headers: { authorization: `Bearer ${key}` },
      })
    ).json()) as { data: { cost: string } };
    expect(data.cost).toBe(formatAmount(answers.at(-1)!.cost));
    const [row] = await gateway.ctx.db
      .select({
        count: sql<number>`count(*)::int`,
        total: sql<string>`coalesce(sum(${generations.cost}), 0)::text`,
      })
      .from(generations)
      .where(eq(generations.userId, userId));
    expect(row).toEqual({ count: 60, total: reported.toString() });
    expect((await gateway.balanceOf(userId)).balance).toBe(50_000_000n - reported);
  });
});
