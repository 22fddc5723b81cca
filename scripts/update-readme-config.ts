import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { configurationTable } from '../src/config.js';

/**
 * `npm run docs:config`: rewrites the README's configuration table from the settings schema in
 * src/config.ts, so the documentation cannot drift from the code (test/readme-config.test.ts).
 */

const ROOT = path.resolve(import.meta.dirname, '..');
export const README_PATH = path.join(ROOT, 'README.md');
export const CONFIG_START = '<!-- config:start -->';
export const CONFIG_END = '<!-- config:end -->';

/** The text between the markers, without the line breaks that frame it. */
export function readConfigBlock(readme: string): string {
  const start = readme.indexOf(CONFIG_START);
  const end = readme.indexOf(CONFIG_END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`README.md has no ${CONFIG_START} … ${CONFIG_END} block`);
  }
  return readme.slice(start + CONFIG_START.length, end).trim();
}

/** The README with the block between the markers replaced by `table`. */
export function replaceConfigBlock(readme: string, table: string): string {
  readConfigBlock(readme);
  const start = readme.indexOf(CONFIG_START) + CONFIG_START.length;
  const end = readme.indexOf(CONFIG_END);
  return `${readme.slice(0, start)}\n${table}\n${readme.slice(end)}`;
}

/**
 * A Markdown table reduced to its content: Biome (`npm run lint`) pads the columns of the README's
 * tables, which changes the text but not the table.
 */
export function normaliseTable(table: string): string {
  return table
    .trim()
    .split('\n')
    .map((line) => {
      const cells = line
        .trim()
        .replace(/^\||\|$/g, '')
        .split(/(?<!\\)\|/)
        .map((cell) => cell.trim());
      return cells.every((cell) => /^:?-+:?$/.test(cell))
        ? cells.map(() => '---').join('|')
        : cells.join('|');
    })
    .join('\n');
}

async function main(): Promise<void> {
  const readme = await readFile(README_PATH, 'utf8');
  const table = configurationTable();
  if (normaliseTable(readConfigBlock(readme)) === normaliseTable(table)) {
    console.log('README.md configuration table is up to date.');
    return;
  }
  await writeFile(README_PATH, replaceConfigBlock(readme, table));
  // Lay the table out the way `npm run lint` expects.
  await promisify(execFile)(
    path.join(ROOT, 'node_modules', '.bin', 'biome'),
    ['format', '--write', README_PATH],
    {
      cwd: ROOT,
    },
  );
  console.log('README.md configuration table rewritten from src/config.ts.');
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await main();
}
