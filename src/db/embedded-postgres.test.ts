import { chmod, mkdir, mkdtemp, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { type EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres.js';
import { hydrateSymlinks } from './postgres-binaries.js';

const started: EmbeddedPostgres[] = [];
const folders: string[] = [];
afterAll(async () => {
  for (const server of started) await server.stop().catch(() => undefined);
  for (const folder of folders) await rm(folder, { recursive: true, force: true });
});

async function tempFolder(mode = 0o755): Promise<string> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'mg-pg-'));
  await chmod(folder, mode);
  folders.push(folder);
  return folder;
}

async function query(server: EmbeddedPostgres, text: string) {
  const client = new pg.Client(server.connection);
  await client.connect();
  try {
    return (await client.query(text)).rows;
  } finally {
    await client.end();
  }
}

describe('embedded PostgreSQL', () => {
  it('initialises a cluster on first start, reuses a running one, and keeps data across stop and start', async () => {
    const dataDir = path.join(await tempFolder(), 'data');
    const first = await startEmbeddedPostgres({ dataDir });
    started.push(first);
    expect(first.startedHere).toBe(true);
    await query(first, 'CREATE TABLE kept (value text); INSERT INTO kept VALUES ($$still here$$)');

    // A second process (the CLI next to the server) finds the running server instead of fighting it.
    const second = await startEmbeddedPostgres({ dataDir });
    expect(second.startedHere).toBe(false);
    expect(await query(second, 'SELECT value FROM kept')).toEqual([{ value: 'still here' }]);

    await first.stop();
    const third = await startEmbeddedPostgres({ dataDir });
    started.push(third);
    expect(third.startedHere).toBe(true);
    expect(await query(third, 'SELECT value FROM kept')).toEqual([{ value: 'still here' }]);
    // Only a Unix socket: no TCP port to collide between instances.
    expect(await query(third, "SELECT current_setting('listen_addresses') AS listen")).toEqual([
      { listen: '' },
    ]);
    await third.stop();
  });

  it.runIf(process.getuid?.() === 0)('names a parent folder the postgres user cannot enter', async () => {
    const closed = await tempFolder(0o700);
    await expect(startEmbeddedPostgres({ dataDir: path.join(closed, 'data') })).rejects.toThrow(
      new RegExp(`cannot enter ${closed}`),
    );
  });

  it('refuses a data directory path too long for a Unix socket', async () => {
    const dataDir = path.join(await tempFolder(), 'x'.repeat(100));
    await expect(startEmbeddedPostgres({ dataDir })).rejects.toThrow(/too long/);
  });

  it('recreates the shared-library links that a skipped postinstall would have made', async () => {
    const root = await tempFolder();
    await mkdir(path.join(root, 'native', 'lib'), { recursive: true });
    await writeFile(path.join(root, 'native', 'lib', 'libpq.so.5.18'), '');
    await writeFile(
      path.join(root, 'native', 'pg-symlinks.json'),
      JSON.stringify([{ source: 'native/lib/libpq.so.5.18', target: 'native/lib/libpq.so.5' }]),
    );
    await hydrateSymlinks(root);
    await hydrateSymlinks(root);
    expect(await readlink(path.join(root, 'native', 'lib', 'libpq.so.5'))).toBe('libpq.so.5.18');
  });
});
