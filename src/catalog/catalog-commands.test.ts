import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { catalogCheckCommand, catalogListCommand } from './catalog-commands.js';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return {
    lines,
    errors,
    out: { log: (line: string) => lines.push(line), error: (line: string) => errors.push(line) },
  };
}

describe('catalog commands', () => {
  it('lists every model with the deployments that serve it', () => {
    const { lines, out } = capture();
    expect(catalogListCommand({ markupPercent: 0, providerEnv: { OPENAI_API_KEY: 'sk-x' } }, out)).toBe(0);
    expect(lines.find((line) => line.startsWith('openai/gpt-4o-mini\t'))).toMatch(
      /\ttext\topenai\tinputPer1M=0\.15/,
    );
    expect(lines.find((line) => line.startsWith('anthropic/claude-haiku-4-5\t'))).toContain(
      '(not configured)',
    );
    expect(lines.find((line) => line.startsWith('local/echo\t'))).toContain('\tlocal\t');
  });

  it('accepts a valid operator file and names the first problem of a bad one', async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'mg-catalog-'));
    const good = path.join(folder, 'good.json');
    await writeFile(good, JSON.stringify({ models: [{ id: 'local/pixels', disabled: true }] }));
    const ok = capture();
    expect(catalogCheckCommand(good, 0, ok.out)).toBe(0);
    expect(ok.lines[0]).toMatch(/valid; the instance would offer \d+ models/);

    const bad = path.join(folder, 'bad.json');
    await writeFile(
      bad,
      JSON.stringify({
        models: [
          {
            id: 'acme/x',
            name: 'X',
            provider: 'acme',
            upstreamId: 'x',
            modality: 'text',
            pricing: { inputPer1M: 'cheap' },
            priceSource: 'me',
          },
        ],
      }),
    );
    const refused = capture();
    expect(catalogCheckCommand(bad, 0, refused.out)).toBe(1);
    expect(refused.errors[0]).toContain('acme/x');
  });
});
