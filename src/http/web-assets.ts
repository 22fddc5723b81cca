/**
 * The built web app (dist/web) held in memory with its compressed forms computed once at start:
 * the whole build is a few hundred kilobytes, and serving from memory with a strong ETag and
 * pre-compressed bodies is the fastest first load the server can give.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';

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

/** Every file of the build by its URL path ("/assets/index-abc.js", "/index.html"). */
export async function loadWebAssets(root: string): Promise<Map<string, WebAsset>> {
  const assets = new Map<string, WebAsset>();
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const file = path.join(folder, entry.name);
      // Vite's own folder (.vite/manifest.json) is read by the server, not served.
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) {
        await walk(file);
        continue;
      }
      const urlPath = `/${path.relative(root, file).split(path.sep).join('/')}`;
      assets.set(urlPath, webAsset(await readFile(file), path.extname(entry.name)));
    }
  };
  await walk(root);
  return assets;
}

/** A file's body with its content type, strong ETag and compressed forms. */
export function webAsset(body: Buffer, extension: string): WebAsset {
  const compress = COMPRESSIBLE.has(extension) && body.length >= MIN_COMPRESS_BYTES;
  return {
    body,
    contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream',
    etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`,
    ...(compress && {
      gzip: gzipSync(body, { level: 9 }),
      brotli: brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
    }),
  };
}
