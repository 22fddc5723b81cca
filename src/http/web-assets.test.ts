import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { COMPRESSED_CACHE, loadWebAssets } from './web-assets.js';

const root = await mkdtemp(path.join(os.tmpdir(), 'mixgate-web-assets-'));
afterAll(() => rm(root, { recursive: true, force: true }));

const script = (word: string) => Buffer.from(`console.log(${JSON.stringify(word.repeat(400))});\n`);

describe('web assets', () => {
  it('serves compressed forms made once and kept by content hash, never a stale one', async () => {
    await writeFile(path.join(root, 'app.js'), script('first'));
    await writeFile(path.join(root, 'tiny.txt'), 'too small to compress');
    const first = await loadWebAssets(root);
    const app = first.get('/app.js')!;
    expect(gunzipSync(app.gzip!)).toEqual(script('first'));
    expect(brotliDecompressSync(app.brotli!)).toEqual(script('first'));
    expect(first.get('/tiny.txt')!.brotli).toBeUndefined();
    expect([...first.keys()].sort()).toEqual(['/app.js', '/tiny.txt']);
    const cached = (await readdir(path.join(root, COMPRESSED_CACHE))).sort();
    expect(cached).toHaveLength(2);
    expect(cached.every((name) => /^[0-9a-f]{64}\.(br|gz)$/.test(name))).toBe(true);

    // The next start reads the cache: a cached form it did not make itself shows that it did.
    const brotliName = cached.find((name) => name.endsWith('.br'))!;
    const marker = brotliCompressSync(Buffer.from('from the cache'));
    await writeFile(path.join(root, COMPRESSED_CACHE, brotliName), marker);
    expect((await loadWebAssets(root)).get('/app.js')!.brotli).toEqual(marker);

    // A changed file has another hash, so it gets its own forms, not the old ones.
    await writeFile(path.join(root, 'app.js'), script('second'));
    const changed = (await loadWebAssets(root)).get('/app.js')!;
    expect(brotliDecompressSync(changed.brotli!)).toEqual(script('second'));
    expect(changed.etag).not.toBe(app.etag);
    expect(await readdir(path.join(root, COMPRESSED_CACHE))).toHaveLength(4);
  });
});
