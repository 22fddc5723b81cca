import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import {
  CONFIG_END,
  CONFIG_START,
  normaliseTable,
  README_PATH,
  readConfigBlock,
  replaceConfigBlock,
} from '../scripts/update-readme-config.js';
import { configurationTable, SETTINGS } from '../src/config.js';

describe('README configuration table', () => {
  it('matches the settings schema (run `npm run docs:config` when it does not)', async () => {
    const readme = await readFile(README_PATH, 'utf8');
    expect(normaliseTable(readConfigBlock(readme))).toBe(normaliseTable(configurationTable()));
  });

  it('lists every setting once', async () => {
    const rows = normaliseTable(readConfigBlock(await readFile(README_PATH, 'utf8'))).split('\n');
    for (const name of Object.keys(SETTINGS)) {
      expect(rows.filter((row) => row.startsWith(`\`${name}\`|`))).toHaveLength(1);
    }
  });

  it('sees through column padding but not through a changed default or description', () => {
    const table = configurationTable();
    const padded = table.replace(/ \| /g, '    |   ').replace(/\| --- \| --- \| --- \|/, '|-----|:---|---:|');
    expect(normaliseTable(padded)).toBe(normaliseTable(table));
    expect(normaliseTable(table.replace('`3000`', '`3001`'))).not.toBe(normaliseTable(table));
    expect(normaliseTable(table.replace('HTTP port', 'The HTTP port'))).not.toBe(normaliseTable(table));
  });

  it('rewrites a stale block to the current table and leaves the rest of the README alone', () => {
    const stale = `# Title\n\n${CONFIG_START}\n| variable | default | meaning |\n${CONFIG_END}\n\nAfter.\n`;
    expect(normaliseTable(readConfigBlock(stale))).not.toBe(normaliseTable(configurationTable()));
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
