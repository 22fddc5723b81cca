import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadMasterKey } from './master-key.js';

describe('master key', () => {
  it('is generated once into the data directory with mode 0600 and read back after', async () => {
    const dataDir = path.join(await mkdtemp(path.join(os.tmpdir(), 'mg-key-')), 'data');
    const first = await loadMasterKey({ dataDir });
    expect(first).toHaveLength(32);
    expect((await stat(path.join(dataDir, 'master.key'))).mode & 0o777).toBe(0o600);
    expect(await loadMasterKey({ dataDir })).toEqual(first);
    // Two processes racing on first start end up with the same key.
    const racingDir = path.join(path.dirname(dataDir), 'race');
    const keys = await Promise.all([
      loadMasterKey({ dataDir: racingDir }),
      loadMasterKey({ dataDir: racingDir }),
    ]);
    expect(keys[0]).toEqual(keys[1]);
    expect((await readFile(path.join(racingDir, 'master.key'), 'utf8')).trim()).toBe(
      keys[0]!.toString('base64'),
    );
  });

  it('prefers MIXGATE_MASTER_KEY and rejects a key of the wrong size', async () => {
    const key = randomBytes(32);
    expect(await loadMasterKey({ configured: key.toString('base64'), dataDir: '/nonexistent' })).toEqual(key);
    await expect(
      loadMasterKey({ configured: randomBytes(16).toString('base64'), dataDir: '/nonexistent' }),
    ).rejects.toThrow(/32 bytes/);
  });
});
