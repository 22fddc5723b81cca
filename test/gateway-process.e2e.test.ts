import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm } from 'node:fs/promises';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countTokens } from '../src/catalog/count-tokens.js';
import { loadCatalog } from '../src/catalog/load-catalog.js';
import { chatCost } from '../src/catalog/prices.js';
import { findPostgresBinaries } from '../src/db/postgres-binaries.js';
import { postgresIdentity, runCommand } from '../src/db/run-as.js';
import { formatAmount, parseAmount } from '../src/lib/money.js';

/**
 * A fresh install as a first-time operator tries it: `mixgate serve` with no provider key at all,
 * a user, a key and one unit of credit made with the CLI, then a streamed chat completion posted
 * the way curl posts it. The built-in demo model must answer, say that it is a demo, and be billed
 * at its catalog price for the tokens it reports. The tests share one server and run in order.
 */

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'mixgate.js');
const HEALTHY_WITHIN_MS = 20_000;
const STOPPED_WITHIN_MS = 20_000;
/** A pause between the demo's words, so the test can see the answer arrive in pieces. */
const CHUNK_DELAY_MS = 15;

interface RunningServer {
  pid: number;
  baseUrl: string;
  exited: boolean;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

let dataDir = '';
let server: RunningServer | undefined;

/** Only what Mixgate needs: no provider key or DATABASE_URL leaks in from the test runner. */
function cleanEnvironment(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
    HOME: process.env.HOME ?? os.tmpdir(),
    HOST: '127.0.0.1',
    MIXGATE_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    ...extra,
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => output;
}

async function startServer(): Promise<RunningServer> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: cleanEnvironment({ PORT: String(port), LOCAL_MODEL_CHUNK_DELAY_MS: String(CHUNK_DELAY_MS) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  const running: RunningServer = {
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}`,
    exited: false,
    exit: new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        running.exited = true;
        resolve({ code, signal });
      }),
    ),
    output,
  };
  while (performance.now() - started < HEALTHY_WITHIN_MS) {
    if (running.exited) throw new Error(`mixgate serve exited before it was healthy:\n${output()}`);
    const response = await fetch(`${running.baseUrl}/healthz`, { signal: AbortSignal.timeout(1_000) }).catch(
      () => undefined,
    );
    if (response?.status === 200) return running;
    await sleep(50);
  }
  throw new Error(`mixgate serve was not healthy within ${HEALTHY_WITHIN_MS} ms:\n${output()}`);
}

async function stopServer(running: RunningServer, signal: NodeJS.Signals = 'SIGTERM') {
  if (!running.exited) process.kill(running.pid, signal);
  const result = await Promise.race([running.exit, sleep(STOPPED_WITHIN_MS).then(() => undefined)]);
  if (!result)
    throw new Error(`mixgate serve (pid ${running.pid}) did not exit within ${STOPPED_WITHIN_MS} ms`);
  return result;
}

async function runCli(...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: cleanEnvironment(),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  clearTimeout(timer);
  return { code, stdout, stderr };
}

/** Alive and not a zombie (nobody may reap an orphaned postmaster in a container). */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

/** A server that died mid-test leaves its embedded PostgreSQL running; stop it by its data dir. */
async function stopOrphanedPostmaster(): Promise<void> {
  const clusterDir = path.join(dataDir, 'pg');
  const text = await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(text?.split('\n')[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !isAlive(pid)) return;
  const { pgCtl } = await findPostgresBinaries();
  await runCommand(
    pgCtl,
    ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '30'],
    await postgresIdentity(),
  );
}

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
    await stopOrphanedPostmaster();
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
    const stopped = await stopServer(server!);
    expect(stopped).toEqual({ code: 0, signal: null });
    server = undefined;
  });
});
