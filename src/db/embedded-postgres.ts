import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { withFileLock } from '../lib/file-lock.js';
import { findPostgresBinaries } from './postgres-binaries.js';
import { type OsIdentity, postgresIdentity, runCommand } from './run-as.js';

export const EMBEDDED_DATABASE = 'mixgate';
const SUPERUSER = 'postgres';
const PORT = 5432;
// A Unix socket path is limited to 107 bytes; ".s.PGSQL.5432" takes 14 of them.
const MAX_SOCKET_DIR_LENGTH = 90;

export interface EmbeddedPostgres {
  /** Connection settings for `pg` (a Unix socket inside the data directory). */
  connection: pg.ClientConfig;
  connectionString: string;
  clusterDir: string;
  /** True when this process started the server (false when it found one already running). */
  startedHere: boolean;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  dataDir: string;
  log?: (message: string) => void;
}

/**
 * Starts (or finds) the embedded PostgreSQL cluster under `<dataDir>/pg`: initialises it on first
 * use, and reuses a server that is already running on it — the CLI while `serve` runs, or an
 * orphaned postmaster left by a SIGKILLed Mixgate. The server runs detached (pg_ctl), with its
 * output in `<dataDir>/pg/server.log`, so it never dies of a broken pipe when Mixgate does.
 */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => {});
  const dataDir = path.resolve(options.dataDir);
  const clusterDir = path.join(dataDir, 'pg');
  const socketDir = clusterDir;
  if (`${socketDir}/.s.PGSQL.${PORT}`.length > MAX_SOCKET_DIR_LENGTH + 14) {
    throw new Error(
      `MIXGATE_DATA_DIR is too long for PostgreSQL's Unix socket (${socketDir}); use a path under ${MAX_SOCKET_DIR_LENGTH - 3} characters.`,
    );
  }
  const binaries = await findPostgresBinaries();
  const identity = await postgresIdentity();
  await prepareDataDir(dataDir, identity);

  const connection: pg.ClientConfig = {
    host: socketDir,
    port: PORT,
    user: SUPERUSER,
    database: EMBEDDED_DATABASE,
  };
  // The socket path in ?host= overrides the URL host for pg and pg-boss.
  const connectionString = `postgresql://${SUPERUSER}@localhost/${EMBEDDED_DATABASE}?host=${encodeURIComponent(socketDir)}&port=${PORT}`;

  const startedHere = await withFileLock(path.join(dataDir, 'pg.lock'), async () => {
    if (!existsSync(path.join(clusterDir, 'PG_VERSION'))) {
      await initialiseCluster(binaries.initdb, clusterDir, identity, log);
    }
    if (await isRunning(clusterDir)) {
      log(`embedded PostgreSQL already running on ${clusterDir}; reusing it`);
      return false;
    }
    const started = await runCommand(
      binaries.pgCtl,
      [
        'start',
        '-D',
        clusterDir,
        '-w',
        '-t',
        '60',
        '-l',
        path.join(clusterDir, 'server.log'),
        '-o',
        `-c listen_addresses='' -k '${socketDir}' -p ${PORT}`,
      ],
      identity,
    );
    if (started.code !== 0) {
      throw new Error(
        `Embedded PostgreSQL did not start: ${lastLines(started.output)} (see ${clusterDir}/server.log)`,
      );
    }
    return true;
  });
  await ensureDatabase({ ...connection, database: 'postgres' }, EMBEDDED_DATABASE);
  log(`embedded PostgreSQL ready (${startedHere ? 'started' : 'reused'}) on ${socketDir}`);

  let stopped = false;
  return {
    connection,
    connectionString,
    clusterDir,
    startedHere,
    async stop() {
      if (stopped) return;
      stopped = true;
      const result = await runCommand(
        binaries.pgCtl,
        ['stop', '-D', clusterDir, '-m', 'fast', '-w', '-t', '30'],
        identity,
      );
      if (result.code !== 0 && (await isRunning(clusterDir))) {
        throw new Error(`Embedded PostgreSQL did not stop: ${lastLines(result.output)}`);
      }
    },
  };
}

/**
 * The data directory is Mixgate's own: make it (and the cluster folder) usable by the postgres
 * user. A parent folder that the postgres user cannot traverse is not ours to change: say which.
 */
async function prepareDataDir(dataDir: string, identity: OsIdentity | undefined): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o711 });
  if (!identity) return;
  const mode = (await stat(dataDir)).mode;
  if ((mode & 0o001) === 0) await chmod(dataDir, (mode & 0o777) | 0o711);
  for (let folder = path.dirname(dataDir); ; folder = path.dirname(folder)) {
    if (!canTraverse(await stat(folder), identity)) {
      throw new Error(
        `The postgres OS user cannot enter ${folder}, a parent of MIXGATE_DATA_DIR; run "chmod o+x ${folder}" or choose another MIXGATE_DATA_DIR.`,
      );
    }
    if (folder === path.dirname(folder)) break;
  }
}

function canTraverse(info: { mode: number; uid: number; gid: number }, identity: OsIdentity): boolean {
  if (info.uid === identity.uid) return (info.mode & 0o100) !== 0;
  if (info.gid === identity.gid) return (info.mode & 0o010) !== 0;
  return (info.mode & 0o001) !== 0;
}

async function initialiseCluster(
  initdb: string,
  clusterDir: string,
  identity: OsIdentity | undefined,
  log: (message: string) => void,
): Promise<void> {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  if ((await readdir(clusterDir)).length > 0) {
    throw new Error(
      `${clusterDir} is not empty but holds no PostgreSQL cluster; move it away and start again.`,
    );
  }
  if (identity) await chown(clusterDir, identity.uid, identity.gid);
  log(`initialising embedded PostgreSQL in ${clusterDir}`);
  const result = await runCommand(
    initdb,
    [
      '-D',
      clusterDir,
      '-U',
      SUPERUSER,
      '--auth=trust',
      '--encoding=UTF8',
      '--no-locale',
      '--no-instructions',
    ],
    identity,
  );
  if (result.code !== 0) throw new Error(`initdb failed: ${lastLines(result.output)}`);
}

/** A postmaster.pid naming a live postgres process means the cluster is up (or coming up). */
async function isRunning(clusterDir: string): Promise<boolean> {
  let pid: number;
  try {
    pid = Number((await readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
  } catch {
    return false;
  }
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  const command = await readFile(`/proc/${pid}/comm`, 'utf8').catch(() => 'postgres');
  return command.trim() === 'postgres';
}

async function ensureDatabase(connection: pg.ClientConfig, database: string): Promise<void> {
  const client = await connectWithRetry(connection);
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) {
      await client.query(`CREATE DATABASE "${database}"`).catch((error: { code?: string }) => {
        if (error.code !== '42P04') throw error; // created meanwhile by another process
      });
    }
  } finally {
    await client.end();
  }
}

/** A reused server may still be recovering after a crash; give it a few seconds. */
async function connectWithRetry(connection: pg.ClientConfig, attempts = 60): Promise<pg.Client> {
  for (let attempt = 1; ; attempt++) {
    const client = new pg.Client(connection);
    try {
      await client.connect();
      return client;
    } catch (error) {
      await client.end().catch(() => undefined);
      const code = (error as { code?: string }).code;
      const retryable = code === '57P03' || code === 'ENOENT' || code === 'ECONNREFUSED';
      if (!retryable || attempt >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
}

function lastLines(output: string): string {
  return output.trim().split('\n').slice(-3).join(' | ');
}
