import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleParser } from 'mailparser';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  HEALTHY_WITHIN_MS,
  isAlive,
  postmasterPid as postmasterPidOf,
  type RunningServer,
  runCli as runMixgateCli,
  sleep,
  startServer as startMixgate,
  stopServer as stopMixgate,
  stopOrphanedPostmaster as stopOrphanedPostmasterOf,
} from './mixgate-process.js';

/**
 * The product as an operator runs it: `node bin/mixgate.js serve` in its own process with its own
 * embedded PostgreSQL, driven over HTTP and through the CLI, stopped with SIGTERM and with SIGKILL.
 * The tests share one data directory and run in order: each builds on what the previous left.
 */

interface Account {
  email: string;
  password: string;
}

let dataDir = '';
const running = new Set<RunningServer>();

// The harness with this file's data directory; every server started is tracked until stopped, so
// the clean-up can stop one that never became healthy.
const startServer = () => startMixgate(dataDir, { onSpawn: (server) => running.add(server) });
async function stopServer(server: RunningServer, signal?: NodeJS.Signals) {
  const result = await stopMixgate(server, signal);
  running.delete(server);
  return result;
}
const runCli = (...args: string[]) => runMixgateCli(dataDir, ...args);
const postmasterPid = () => postmasterPidOf(dataDir);
const stopOrphanedPostmaster = () => stopOrphanedPostmasterOf(dataDir);

function clusterDir(): string {
  return path.join(dataDir, 'pg');
}

async function waitUntil(condition: () => boolean | Promise<boolean>, withinMs: number): Promise<boolean> {
  const deadline = performance.now() + withinMs;
  for (;;) {
    if (await condition()) return true;
    if (performance.now() > deadline) return false;
    await sleep(25);
  }
}

// --- the API as a client sees it -------------------------------------------------------------

async function api(
  server: RunningServer,
  method: string,
  route: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<{ status: number; json: Record<string, unknown>; response: Response }> {
  const headers: Record<string, string> = { accept: 'application/json', ...options.headers };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const response = await fetch(`${server.baseUrl}${route}`, {
    method,
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: response.status, json, response };
}

function newAccount(label: string): Account & { username: string } {
  const suffix = randomBytes(4).toString('hex');
  return {
    email: `${label}-${suffix}@example.com`,
    username: `${label}_${suffix}`,
    password: `Lantern-${randomBytes(6).toString('hex')}-Quay`,
  };
}

async function logIn(server: RunningServer, account: Account): Promise<Record<string, string>> {
  const { status, json, response } = await api(server, 'POST', '/api/auth/login', {
    body: { email: account.email, password: account.password },
  });
  expect(status, JSON.stringify(json)).toBe(200);
  const session = response.headers
    .getSetCookie()
    .map((cookie) => /^mg_session=([^;]+)/.exec(cookie)?.[1])
    .find(Boolean);
  expect(session).toBeTruthy();
  expect(typeof json.csrfToken).toBe('string');
  return { cookie: `mg_session=${session}`, 'x-csrf-token': String(json.csrfToken) };
}

async function listModels(server: RunningServer, key: string): Promise<number> {
  const { status } = await api(server, 'GET', '/v1/models', { headers: { authorization: `Bearer ${key}` } });
  return status;
}

/** The verification token from the newest mail sent to `email` (decoded: quoted-printable may wrap it). */
async function verificationToken(email: string): Promise<string> {
  const mailDir = path.join(dataDir, 'mail');
  const files = (await readdir(mailDir))
    .filter((name) => name.endsWith('.eml'))
    .sort()
    .reverse();
  for (const name of files) {
    const mail = await simpleParser(await readFile(path.join(mailDir, name)));
    const recipients = [mail.to ?? []]
      .flat()
      .flatMap((address) => address.value.map((entry) => entry.address));
    if (!recipients.includes(email)) continue;
    const token = /[?&]token=([A-Za-z0-9_-]+)/.exec(mail.text ?? '')?.[1];
    if (token) return token;
  }
  throw new Error(`No verification mail to ${email} in ${mailDir}`);
}

// --- the tests -------------------------------------------------------------------------------

describe.sequential('mixgate serve as a process', () => {
  const signedUp = newAccount('web');
  const cliUser = newAccount('cli');
  let cliKey = '';
  let server: RunningServer | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'mg-e2e-'));
    // mkdtemp makes a 0700 folder; when running as root the postgres OS user must traverse it.
    await chmod(dataDir, 0o755);
  });

  afterAll(async () => {
    for (const leftover of [...running]) {
      await stopServer(leftover).catch(async () => {
        if (!leftover.exited) process.kill(leftover.pid, 'SIGKILL');
        await leftover.exit;
      });
    }
    await stopOrphanedPostmaster();
    if (dataDir && !process.env.KEEP_TEST_DB) await rm(dataDir, { recursive: true, force: true });
  });

  it('starts healthy on a fresh data directory and serves the whole sign-up-to-API-key flow', async () => {
    server = await startServer();
    console.info(`fresh start to healthy: ${server.startMs} ms`);
    expect(server.startMs).toBeLessThan(HEALTHY_WITHIN_MS);
    expect(existsSync(path.join(clusterDir(), 'PG_VERSION'))).toBe(true);
    const listening = new RegExp(`\\[mixgate\\] listening on ${server.baseUrl} \\(ready in \\d+ ms\\)`);
    expect(server.output()).toMatch(listening);

    const legal = await api(server, 'GET', '/api/legal/current');
    expect(legal.status).toBe(200);
    const version = (type: string) => String((legal.json[type] as { version: string }).version);
    const signUp = await api(server, 'POST', '/api/auth/signup', {
      body: {
        ...signedUp,
        ageConfirmed: true,
        acceptedDocuments: { terms: version('terms'), privacy: version('privacy') },
      },
    });
    expect(signUp.status, JSON.stringify(signUp.json)).toBe(201);

    const verify = await api(server, 'POST', '/api/auth/verify-email', {
      body: { token: await verificationToken(signedUp.email) },
    });
    expect(verify.status, JSON.stringify(verify.json)).toBe(200);

    const session = await logIn(server, signedUp);
    const created = await api(server, 'POST', '/api/keys', { headers: session, body: { name: 'e2e' } });
    expect(created.status, JSON.stringify(created.json)).toBe(201);
    const key = String(created.json.key);
    expect(key).toMatch(/^mg-/);

    const models = await api(server, 'GET', '/v1/models', { headers: { authorization: `Bearer ${key}` } });
    expect(models.status).toBe(200);
    expect(models.json.object).toBe('list');
    expect(Array.isArray(models.json.data)).toBe(true);

    const revoked = await api(server, 'DELETE', `/api/keys/${String(created.json.id)}`, { headers: session });
    expect(revoked.status, JSON.stringify(revoked.json)).toBe(200);
    const current = server;
    expect(await waitUntil(async () => (await listModels(current, key)) === 401, 1_000)).toBe(true);

    expect(await listModels(server, `mg-${randomBytes(24).toString('hex')}`)).toBe(401);
  });

  it('lets the CLI create a user and a key that the running server accepts, and verifies the log', async () => {
    const current = server!;
    const user = await runCli('users', 'create', '--email', cliUser.email, '--password', cliUser.password);
    expect(user.code, user.stderr).toBe(0);

    const key = await runCli('keys', 'create', '--email', cliUser.email, '--name', 'from the CLI');
    expect(key.code, key.stderr).toBe(0);
    cliKey = key.stdout.trim().split('\n').at(-1)!.trim();
    expect(cliKey).toMatch(/^mg-/);
    expect(await waitUntil(async () => (await listModels(current, cliKey)) === 200, 1_000)).toBe(true);

    const audit = await runCli('audit', 'verify');
    expect(audit.code, `${audit.stdout}${audit.stderr}`).toBe(0);
    // The CLI used the server's PostgreSQL and must not have stopped it.
    expect((await api(current, 'GET', '/readyz')).status).toBe(200);
  });

  it('stops cleanly on SIGTERM, taking the embedded PostgreSQL with it, and starts again with its data', async () => {
    const postmaster = await postmasterPid();
    expect(postmaster).toBeDefined();
    const stopped = await stopServer(server!);
    console.info(`SIGTERM to exit: ${stopped.ms} ms`);
    expect(stopped.code).toBe(0);
    expect(await waitUntil(() => !isAlive(postmaster!), 2_000)).toBe(true);

    server = await startServer();
    console.info(`restart to healthy: ${server.startMs} ms`);
    await logIn(server, signedUp);
    await logIn(server, cliUser);
    expect(await listModels(server, cliKey)).toBe(200);
  });

  it('recovers after SIGKILL: the orphaned PostgreSQL is found again and nothing is lost', async () => {
    const postmaster = await postmasterPid();
    expect(postmaster).toBeDefined();
    const killed = await stopServer(server!, 'SIGKILL');
    expect(killed.signal).toBe('SIGKILL');
    expect(isAlive(postmaster!)).toBe(true);

    server = await startServer();
    console.info(`start after SIGKILL to healthy: ${server.startMs} ms`);
    expect(server.startMs).toBeLessThan(HEALTHY_WITHIN_MS);
    const current = await postmasterPid();
    expect(current).toBeDefined();
    expect(isAlive(current!)).toBe(true);
    console.info(`postmaster after SIGKILL: ${current === postmaster ? 'reused' : 'restarted'}`);
    await logIn(server, signedUp);
    await logIn(server, cliUser);
    expect(await listModels(server, cliKey)).toBe(200);

    const stopped = await stopServer(server);
    expect(stopped.code).toBe(0);
    expect(await waitUntil(() => !isAlive(current!) && !isAlive(postmaster!), 2_000)).toBe(true);
    server = undefined;
  });

  it('reports a security log altered by hand: audit verify exits 1', async () => {
    server = await startServer();
    const client = new pg.Client({ host: clusterDir(), port: 5432, user: 'postgres', database: 'mixgate' });
    await client.connect();
    try {
      const events = await client.query<{ count: string }>('SELECT count(*) AS count FROM security_events');
      expect(Number(events.rows[0]!.count)).toBeGreaterThan(0);
      await client.query('ALTER TABLE security_events DISABLE TRIGGER USER');
      await client.query(
        `UPDATE security_events SET details = '{"tampered": true}'::jsonb
          WHERE id = (SELECT min(id) FROM security_events)`,
      );
      await client.query('ALTER TABLE security_events ENABLE TRIGGER USER');
    } finally {
      await client.end();
    }
    const audit = await runCli('audit', 'verify');
    expect(audit.code, `${audit.stdout}${audit.stderr}`).toBe(1);
    expect(audit.stderr).toMatch(/tampered/i);

    expect((await stopServer(server)).code).toBe(0);
    server = undefined;
  });
});
