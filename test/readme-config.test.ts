import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_END,
  CONFIG_START,
  README_PATH,
  readConfigBlock,
  replaceConfigBlock,
} from '../scripts/update-readme-config.js';
import { configurationTable, SETTINGS } from '../src/config.js';

describe('README configuration table', () => {
  it('matches the settings schema (run `npm run docs:config` when it does not)', async () => {
    const readme = await readFile(README_PATH, 'utf8');
    expect(readConfigBlock(readme)).toBe(configurationTable());
  });

  it('lists every setting once', async () => {
    const block = readConfigBlock(await readFile(README_PATH, 'utf8'));
    for (const name of Object.keys(SETTINGS)) {
      expect(block.split('\n').filter((line) => line.startsWith(`| \`${name}\` |`))).toHaveLength(1);
    }
  });

  it('detects a stale block, and the update script rewrites it to the current table', () => {
    const stale = `# Title\n\n${CONFIG_START}\n| variable | default | meaning |\n${CONFIG_END}\n\nAfter.\n`;
    expect(readConfigBlock(stale)).not.toBe(configurationTable());
    const updated = replaceConfigBlock(stale, configurationTable());
    expect(readConfigBlock(updated)).toBe(configurationTable());
    expect(updated.startsWith('# Title\n\n')).toBe(true);
    expect(updated.endsWith(`${CONFIG_END}\n\nAfter.\n`)).toBe(true);
    expect(replaceConfigBlock(updated, configurationTable())).toBe(updated);
  });

  it('refuses a README without the markers', () => {
    expect(() => replaceConfigBlock('# No table here\n', configurationTable())).toThrow(/config:start/);
  });
});
