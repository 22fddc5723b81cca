/**
 * `mixgate keys rotate-master` as an operator runs it: `node bin/mixgate.js` in its own process,
 * against a database given by DATABASE_URL, with the key in DATA_DIR/master.key or configured.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanEnvironment, runCliWith } from '../../test/mixgate-process.js';
import { createTestDatabase } from '../../test/test-database.js';
import { users } from '../db/schema/index.js';
import { clearDataKeyCache, dataKeyFor, masterKeyId } from './content-keys.js';

const database = await createTestDatabase();
const oldKey = randomBytes(32);
const userId = randomUUID();
let dataDir = '';
let dataKey: Buffer;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'mg-rotate-'));
  await writeFile(path.join(dataDir, 'master.key'), `${oldKey.toString('base64')}\n`, { mode: 0o600 });
  await database.db.insert(users).values({
    id: userId,
    email: `${userId}@example.com`,
    username: `r${userId.slice(0, 8)}`,
    passwordHash: 'x',
    ageConfirmed: true,
    ageConfirmedAt: new Date(),
  });
  dataKey = await dataKeyFor({ db: database.db, masterKey: oldKey }, userId);
});

afterAll(async () => {
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function dataKeyUnder(masterKey: Buffer): Promise<Buffer> {
  clearDataKeyCache();
  return dataKeyFor({ db: database.db, masterKey }, userId);
}

describe('mixgate keys rotate-master', () => {
  it('rotates the key of DATA_DIR/master.key, keeping the previous file beside it', async () => {
    const result = await runCliWith(
      cleanEnvironment(dataDir, { DATABASE_URL: database.url }),
      'keys',
      'rotate-master',
    );
    expect(result.code, result.stderr).toBe(0);
    const newKey = Buffer.from((await readFile(path.join(dataDir, 'master.key'), 'utf8')).trim(), 'base64');
    expect(result.stdout).toContain(
      `Master key rotated from ${masterKeyId(oldKey)} to ${masterKeyId(newKey)}: 1 user data key(s)`,
    );
    expect((await readdir(dataDir)).filter((file) => file.startsWith('master.key.previous-'))).toHaveLength(
      1,
    );
    expect(await dataKeyUnder(newKey)).toEqual(dataKey);
    await expect(dataKeyUnder(oldKey)).rejects.toThrow(/sealed by master key/);
  });

  it('prints the MIXGATE_MASTER_KEY to set when the key is configured, and writes no file', async () => {
    const current = Buffer.from((await readFile(path.join(dataDir, 'master.key'), 'utf8')).trim(), 'base64');
    const next = randomBytes(32);
    const before = (await readdir(dataDir)).sort();
    const result = await runCliWith(
      cleanEnvironment(dataDir, {
        DATABASE_URL: database.url,
        MIXGATE_MASTER_KEY: current.toString('base64'),
        MIXGATE_NEW_MASTER_KEY: next.toString('base64'),
      }),
      'keys',
      'rotate-master',
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.split('\n')).toContain(`MIXGATE_MASTER_KEY=${next.toString('base64')}`);
    expect((await readdir(dataDir)).sort()).toEqual(before);
    expect(await dataKeyUnder(next)).toEqual(dataKey);
  });
});
