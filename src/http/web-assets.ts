/**
 * The built web app (dist/web) held in memory with its compressed forms: the whole build is a few
 * hundred kilobytes, and serving from memory with a strong ETag and pre-compressed bodies is the
 * fastest first load the server can give. Brotli at its best quality costs seconds of CPU for the
 * whole build, so the compressed forms are kept on disk by content hash (dist/web/.compressed/,
 * filled when the app is built and on any start that finds one missing) and a start only reads them.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, brotliCompressSync, constants, gzip, gzipSync } from 'node:zlib';

export interface WebAsset {
  body: Buffer;
  gzip?: Buffer;
  brotli?: Buffer;
  contentType: string;
  etag: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt']);
/** Below this, compression saves less than the header costs. */
const MIN_COMPRESS_BYTES = 1024;

/** The build's folder: dist/web beside src/ (run from the sources) or beside dist/http (built). */
export function findWebBuild(moduleDir: string): string | null {
  for (const candidate of [path.resolve(moduleDir, '../../dist/web'), path.resolve(moduleDir, '../web')]) {
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
  }
  return null;
}

/** Compressed forms by content hash, inside the build (a dot folder, so never served). */
export const COMPRESSED_CACHE = '.compressed';
const GZIP_OPTIONS = { level: 9 };
const BROTLI_OPTIONS = { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } };
const gzipAsync = promisify(gzip);
const brotliAsync = promisify(brotliCompress);

/**
 * Every file of the build by its URL path ("/assets/index-abc.js", "/index.html"), with compressed
 * forms read from the build's cache, or made (off the main thread, in parallel) and cached.
 */
export async function loadWebAssets(root: string): Promise<Map<string, WebAsset>> {
  const files: Array<{ urlPath: string; file: string; extension: string }> = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      // Vite's own folder (.vite/manifest.json) is read by the server, not served; so is the cache.
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) {
        await walk(file);
        continue;
      }
      const urlPath = `/${path.relative(root, file).split(path.sep).join('/')}`;
      files.push({ urlPath, file, extension: path.extname(entry.name) });
    }
  };
  await walk(root);
  const cache = path.join(root, COMPRESSED_CACHE);
  const loaded = await Promise.all(
    files.map(async ({ urlPath, file, extension }) => {
      const body = await readFile(file);
      const hash = createHash('sha256').update(body).digest();
      const asset = plainAsset(body, extension, hash);
      if (compressible(body, extension)) Object.assign(asset, await cachedCompression(cache, body, hash));
      return [urlPath, asset] as const;
    }),
  );
  return new Map(loaded);
}

/** A file's body with its content type, strong ETag and compressed forms (made here, at once). */
export function webAsset(body: Buffer, extension: string): WebAsset {
  const asset = plainAsset(body, extension, createHash('sha256').update(body).digest());
  if (!compressible(body, extension)) return asset;
  return { ...asset, gzip: gzipSync(body, GZIP_OPTIONS), brotli: brotliCompressSync(body, BROTLI_OPTIONS) };
}

function plainAsset(body: Buffer, extension: string, hash: Buffer): WebAsset {
  return {
    body,
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    etag: `"${hash.toString('base64url').slice(0, 27)}"`,
  };
}

function compressible(body: Buffer, extension: string): boolean {
  return COMPRESSIBLE.has(extension) && body.length >= MIN_COMPRESS_BYTES;
}

/**
 * The body's gzip and brotli forms from the cache, named by the body's SHA-256 so that a changed
 * file can never be answered with another's bytes. Missing ones are made and written (atomically,
 * by rename); a read-only build just makes them on every start.
 */
async function cachedCompression(
  cache: string,
  body: Buffer,
  hash: Buffer,
): Promise<Pick<WebAsset, 'gzip' | 'brotli'>> {
  const name = hash.toString('hex');
  const gzipFile = path.join(cache, `${name}.gz`);
  const brotliFile = path.join(cache, `${name}.br`);
  try {
    const [gzipped, brotlied] = await Promise.all([readFile(gzipFile), readFile(brotliFile)]);
    return { gzip: gzipped, brotli: brotlied };
  } catch {
    // Not cached yet: make them below.
  }
  const [gzipped, brotlied] = await Promise.all([
    gzipAsync(body, GZIP_OPTIONS),
    brotliAsync(body, BROTLI_OPTIONS),
  ]);
  try {
    await mkdir(cache, { recursive: true });
    for (const [file, bytes] of [
      [gzipFile, gzipped],
      [brotliFile, brotlied],
    ] as const) {
      const partial = `${file}.${process.pid}.tmp`;
      await writeFile(partial, bytes);
      await rename(partial, file);
    }
  } catch {
    // A read-only installation: serve what was made, make it again next start.
  }
  return { gzip: gzipped, brotli: brotlied };
}
