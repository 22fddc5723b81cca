/**
 * `npm start` rebuilds the web app only when its sources are newer than the build (the foundation's
 * start-time budget allows a few seconds of Vite, not a rebuild on every start). A checkout without
 * the sources or without Vite (an install that omitted dev dependencies) serves whatever build it
 * has, or the plain landing page.
 */
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { loadWebAssets } from './web-assets.js';

/** The newest modification time (ms) of any file under `folder`, 0 when it is missing. */
async function newestModification(folder: string): Promise<number> {
  if (!existsSync(folder)) return 0;
  let newest = 0;
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const { mtimeMs } = await stat(path.join(entry.parentPath, entry.name));
    newest = Math.max(newest, mtimeMs);
  }
  return newest;
}

export async function webBuildIsStale(projectRoot: string): Promise<boolean> {
  const web = path.join(projectRoot, 'web');
  if (!existsSync(path.join(web, 'index.html'))) return false;
  const built = path.join(projectRoot, 'dist', 'web', 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(
    await newestModification(path.join(web, 'src')),
    (await stat(path.join(web, 'index.html'))).mtimeMs,
    (await stat(path.join(web, 'vite.config.ts'))).mtimeMs,
  );
  return sources > (await stat(built)).mtimeMs;
}

/** Builds web/ into dist/web when it is stale; says what it did. Never throws: the API still serves. */
export async function ensureWebBuild(projectRoot: string, say: (message: string) => void): Promise<void> {
  try {
    if (!(await webBuildIsStale(projectRoot))) return;
    const started = Date.now();
    say('building the web app (its sources changed since the last build)…');
    const vite = await import('vite');
    // Under Vitest NODE_ENV is "test": Vite and React would bundle React's development build (and
    // its dev JSX runtime). The served app is always the production one, so build with production.
    const previousNodeEnv = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production';
    try {
      await vite.build({ configFile: path.join(projectRoot, 'web', 'vite.config.ts'), logLevel: 'warn' });
    } finally {
      if (previousNodeEnv === undefined) delete process.env.NODE_ENV;
      else process.env.NODE_ENV = previousNodeEnv;
    }
    // Compressed once here, so that no start pays for it (web-assets.ts keeps them by content hash).
    await loadWebAssets(path.join(projectRoot, 'dist', 'web'));
    say(`web app built and compressed in ${Date.now() - started} ms`);
  } catch (error) {
    say(
      `the web app could not be built (${error instanceof Error ? error.message : String(error)}); serving the API`,
    );
  }
}
