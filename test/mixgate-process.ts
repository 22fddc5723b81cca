/**
 * The real `mixgate` as a process, for the whole-process (e2e) tests: `serve` on a free port with
 * its own data directory and embedded PostgreSQL, the CLI against the same directory, and the
 * clean-up of a postmaster a crashed server left behind.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { findPostgresBinaries } from '../src/db/postgres-binaries.js';
import { postgresIdentity, runCommand } from '../src/db/run-as.js';

export const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin', 'mixgate.js');
export const HEALTHY_WITHIN_MS = 20_000;
const STOPPED_WITHIN_MS = 20_000;

export interface RunningServer {
  pid: number;
  baseUrl: string;
  /** From spawn to the first `/healthz` 200. */
  startMs: number;
  exited: boolean;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  output: () => string;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Only what Mixgate needs: no DATABASE_URL, provider key or other setting leaks in from the runner. */
export function cleanEnvironment(dataDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
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
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function collectOutput(child: ChildProcess): () => string {
  let output = '';
  const append = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout?.on('data', append);
  child.stderr?.on('data', append);
  return () => output;
}

/**
 * Spawns `mixgate serve` on a free port and waits until `/healthz` answers 200. `onSpawn` sees the
 * server before it is healthy, so a test can stop it even when it never becomes healthy.
 */
export async function startServer(
  dataDir: string,
  options: { env?: Record<string, string>; onSpawn?: (server: RunningServer) => void } = {},
): Promise<RunningServer> {
  const port = await freePort();
  const started = performance.now();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    cwd: ROOT,
    env: cleanEnvironment(dataDir, { ...options.env, PORT: String(port) }),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output = collectOutput(child);
  const server: RunningServer = {
    pid: child.pid!,
    baseUrl: `http://127.0.0.1:${port}`,
    startMs: 0,
    exited: false,
    exit: new Promise((resolve) =>
      child.once('exit', (code, signal) => {
        server.exited = true;
        resolve({ code, signal });
      }),
    ),
    output,
  };
  options.onSpawn?.(server);
  while (performance.now() - started < HEALTHY_WITHIN_MS) {
    if (server.exited) throw new Error(`mixgate serve exited before it was healthy:\n${output()}`);
    const response = await fetch(`${server.baseUrl}/healthz`, { signal: AbortSignal.timeout(1_000) }).catch(
      () => undefined,
    );
    if (response?.status === 200) {
      server.startMs = Math.round(performance.now() - started);
      return server;
    }
    await sleep(50);
  }
  throw new Error(`mixgate serve was not healthy within ${HEALTHY_WITHIN_MS} ms:\n${output()}`);
}

/** Signals the server by its PID and waits (bounded) for it to exit. */
export async function stopServer(server: RunningServer, signal: NodeJS.Signals = 'SIGTERM') {
  const started = performance.now();
  if (!server.exited) process.kill(server.pid, signal);
  const result = await Promise.race([server.exit, sleep(STOPPED_WITHIN_MS).then(() => undefined)]);
  if (!result)
    throw new Error(`mixgate serve (pid ${server.pid}) did not exit within ${STOPPED_WITHIN_MS} ms`);
  return { ...result, ms: Math.round(performance.now() - started) };
}

export function runCli(
  dataDir: string,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return runCliWith(cleanEnvironment(dataDir), ...args);
}

/** `node bin/mixgate.js <args>` with exactly this environment; killed after a minute. */
export async function runCliWith(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env,
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

/** Alive and not a zombie: in a container, nobody may ever reap an orphaned postmaster. */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The state letter follows the parenthesised command name, which may contain spaces.
    const state = stat.slice(stat.lastIndexOf(')') + 2)[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}

export async function postmasterPid(dataDir: string): Promise<number | undefined> {
  const text = await readFile(path.join(dataDir, 'pg', 'postmaster.pid'), 'utf8').catch(() => undefined);
  const pid = Number(text?.split('\n')[0]);
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
}

/** A server that died mid-test leaves its embedded PostgreSQL running: stop it by its data dir. */
export async function stopOrphanedPostmaster(dataDir: string): Promise<void> {
  const pid = await postmasterPid(dataDir);
  if (pid === undefined || !isAlive(pid)) return;
  const { pgCtl } = await findPostgresBinaries();
  await runCommand(
    pgCtl,
    ['stop', '-D', path.join(dataDir, 'pg'), '-m', 'fast', '-w', '-t', '30'],
    await postgresIdentity(),
  );
}
