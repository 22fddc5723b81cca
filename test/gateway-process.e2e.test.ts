import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { countTokens } from 'gpt-tokenizer';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../src/catalog/load-catalog.js';
import { chatCost } from '../src/catalog/prices.js';
import { formatAmount, parseAmount } from '../src/lib/money.js';
import {
  type RunningServer,
  runCli as runMixgateCli,
  startServer as startMixgate,
  stopOrphanedPostmaster,
  stopServer,
} from './mixgate-process.js';

/**
 * A fresh install as a first-time operator tries it: `mixgate serve` with no provider key at all,
 * a user, a key and one unit of credit made with the CLI, then a streamed chat completion posted
 * the way curl posts it. The built-in demo model must answer, say that it is a demo, and be billed
 * at its catalog price for the tokens it reports. The tests share one server and run in order.
 */

/** A pause between the demo's words, so the test can see the answer arrive in pieces. */
const CHUNK_DELAY_MS = 15;

let dataDir = '';
let server: RunningServer | undefined;

const startServer = () =>
  startMixgate(dataDir, { env: { LOCAL_MODEL_CHUNK_DELAY_MS: String(CHUNK_DELAY_MS) } });
const runCli = (...args: string[]) => runMixgateCli(dataDir, ...args);

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** How many socket reads the body arrived in. */
  reads: number;
}

/** A POST exactly as `curl -H 'Authorization: Bearer …' -H 'Content-Type: application/json' -d …` sends it. */
function curlPost(url: string, key: string, json: string): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      url,
      {
        method: 'POST',
        headers: {
          host: new URL(url).host,
          'user-agent': 'curl/8.5.0',
          accept: '*/*',
          authorization: `Bearer ${key}`,
          'content-type': 'application/json',
          'content-length': String(Buffer.byteLength(json)),
        },
      },
      (response) => {
        let body = '';
        let reads = 0;
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          reads += 1;
          body += chunk;
        });
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body, reads }),
        );
        response.on('error', reject);
      },
    );
    request.on('error', reject);
    request.end(json);
  });
}

async function getJson(
  route: string,
  key: string,
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${server!.baseUrl}${route}`, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

interface StreamChunk {
  id: string;
  model: string;
  choices: { delta: { role?: string; content?: string }; finish_reason: string | null }[];
  usage?: { prompt_tokens: number; completion_tokens: number; total_tokens: number; cost: number };
  error?: unknown;
}

describe.sequential('the built-in demo model on a fresh install without provider keys', () => {
  const account = {
    email: `demo-${randomBytes(4).toString('hex')}@example.com`,
    password: `Lantern-${randomBytes(6).toString('hex')}-Quay`,
  };
  const catalogModel = loadCatalog({ markupPercent: 0 }).resolve('local/echo')!;
  let key = '';
  let generationId = '';
  let cost = 0n;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mg-demo-e2e-'));
    // mkdtemp makes a 0700 folder; when running as root the postgres OS user must traverse it.
    await chmod(dataDir, 0o755);
    server = await startServer();
  });

  afterAll(async () => {
    if (server) {
      await stopServer(server).catch(async () => {
        if (!server!.exited) process.kill(server!.pid, 'SIGKILL');
        await server!.exit;
      });
    }
    await stopOrphanedPostmaster(dataDir);
    if (dataDir && !process.env.KEEP_TEST_DB) await rm(dataDir, { recursive: true, force: true });
  });

  it('creates a user, an API key and one unit of credit with the CLI', async () => {
    const user = await runCli('users', 'create', '--email', account.email, '--password', account.password);
    expect(user.code, user.stderr).toBe(0);

    const created = await runCli('keys', 'create', '--email', account.email, '--name', 'demo');
    expect(created.code, created.stderr).toBe(0);
    key = created.stdout.trim().split('\n').at(-1)!.trim();
    expect(key).toMatch(/^mg-/);

    const credit = await runCli('credit', '--email', account.email, '--amount', '1', '--reason', 'demo');
    expect(credit.code, credit.stderr).toBe(0);
    expect(credit.stdout).toMatch(
      new RegExp(
        `^Credited 1\\.000000 USD to ${account.email.replace('.', '\\.')} \\(transfer \\d+\\)\\.\\n` +
          'Balance: 1\\.000000 USD \\(available 1\\.000000 USD\\)\\.\\n$',
      ),
    );
  });

  it('streams an answer from local/echo that says it is a demo, billed at the demo price', async () => {
    const said = 'Hello gateway, are you a real model?';
    const response = await curlPost(
      `${server!.baseUrl}/v1/chat/completions`,
      key,
      JSON.stringify({
        model: 'local/echo',
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: said }],
      }),
    );
    expect(response.status, response.body).toBe(200);
    expect(response.headers['content-type']).toBe('text/event-stream; charset=utf-8');
    generationId = String(response.headers['x-mixgate-generation-id']);
    expect(generationId).toMatch(/^gen-/);
    // Streamed, not buffered: the words arrived in many reads.
    expect(response.reads).toBeGreaterThanOrEqual(10);

    const events = response.body
      .split('\n\n')
      .filter((block) => block !== '')
      .map((block) => {
        expect(block.startsWith('data: ')).toBe(true);
        return block.slice('data: '.length);
      });
    expect(events.at(-1)).toBe('[DONE]');
    const chunks = events.slice(0, -1).map((event) => JSON.parse(event) as StreamChunk);
    expect(chunks.every((chunk) => chunk.error === undefined && chunk.id === generationId)).toBe(true);
    expect(chunks.every((chunk) => chunk.model === 'local/echo')).toBe(true);
    const content = chunks.map((chunk) => chunk.choices[0]?.delta.content ?? '').join('');
    expect(content).toBe(
      "This is Mixgate's built-in demo model: it calls no AI, works offline and answers by a fixed rule. " +
        `You wrote 7 words, starting “${said}”, and backwards the start reads “ laer a uoy era ,yawetag olleH”. ` +
        'Connect a real provider in the configuration to get real answers.',
    );
    expect(chunks.map((chunk) => chunk.choices[0]?.finish_reason).filter(Boolean)).toEqual(['stop']);

    const usage = chunks.at(-1)!.usage!;
    expect(chunks.at(-1)!.choices).toEqual([]);
    expect(usage.prompt_tokens).toBe(countTokens(said));
    expect(usage.completion_tokens).toBe(countTokens(content));
    expect(usage.total_tokens).toBe(usage.prompt_tokens + usage.completion_tokens);
    cost = chatCost(catalogModel, {
      inputTokens: usage.prompt_tokens,
      outputTokens: usage.completion_tokens,
    });
    expect(cost).toBeGreaterThan(0n);
    expect(parseAmount(usage.cost.toFixed(6))).toBe(cost);
  });

  it('records the generation and takes exactly its cost from the wallet', async () => {
    const { status, json } = await getJson(`/v1/generations/${generationId}`, key);
    expect(status).toBe(200);
    expect(json.data).toMatchObject({
      id: generationId,
      model: 'local/echo',
      provider: 'local',
      status: 'succeeded',
      streamed: true,
      protocol: 'openai',
      cost: formatAmount(cost),
      processed_by: [
        {
          deployment: 'local',
          provider: 'local',
          region: 'local',
          transfer_safeguard: 'none (runs inside Mixgate)',
          zero_retention: true,
          answered: true,
        },
      ],
    });

    // The CLI prints the balance after an adjustment: one more micro shows what is left.
    const check = await runCli(
      'credit',
      '--email',
      account.email,
      '--amount',
      '0.000001',
      '--reason',
      'check',
    );
    expect(check.code, check.stderr).toBe(0);
    const left = formatAmount(1_000_001n - cost);
    expect(check.stdout).toContain(`Balance: ${left} USD (available ${left} USD).`);

    const ledger = await runCli('ledger', 'check');
    expect(ledger.code, `${ledger.stdout}${ledger.stderr}`).toBe(0);
  });

  it('lists the built-in models and no provider model', async () => {
    const { status, json } = await getJson('/v1/models', key);
    expect(status).toBe(200);
    const ids = (json.data as { id: string }[]).map((model) => model.id).sort();
    const localIds = loadCatalog({ markupPercent: 0 })
      .list()
      .filter((model) => model.provider === 'local')
      .map((model) => model.id)
      .sort();
    expect(localIds).toContain('local/echo');
    expect(ids).toEqual(localIds);
    expect(ids.filter((id) => id.startsWith('openai/'))).toEqual([]);
  });

  it('stops cleanly on SIGTERM', async () => {
    const { code, signal } = await stopServer(server!);
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    server = undefined;
  });
});
