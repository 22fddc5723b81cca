import { countTokens as countInThisThread, encode } from 'gpt-tokenizer';
import { afterAll, describe, expect, it } from 'vitest';
import { countTokens, decodeTokens, encodeTokens, stopTokenizer } from './count-tokens.js';

afterAll(stopTokenizer);

describe('counting tokens in the tokenizer thread', () => {
  it('counts with the o200k tokenizer', async () => {
    expect(await countTokens('')).toBe(0);
    expect(await countTokens('Hello, world!')).toBe(4);
    const long = 'word '.repeat(1_000);
    expect(await countTokens(long)).toBe(countInThisThread(long));
  });

  it('counts text that spells a special token as plain text, where the library would throw', async () => {
    const typed = 'a user typed <|endoftext|> here';
    expect(() => countInThisThread(typed)).toThrow(/special token/);
    expect(await countTokens(typed)).toBe(encode(typed, { disallowedSpecial: new Set() }).length);
    expect(await countTokens(typed)).toBeGreaterThan(await countTokens('a user typed  here'));
  });

  it('encodes and decodes, and answers concurrent calls each with its own result', async () => {
    const texts = Array.from({ length: 50 }, (_, i) => `text number ${i} ${'é'.repeat(i)}`);
    const encoded = await Promise.all(texts.map(encodeTokens));
    expect(encoded).toEqual(texts.map((text) => encode(text)));
    expect(await Promise.all(encoded.map(decodeTokens))).toEqual(texts);
  });

  it('starts a new thread after the last one stopped, failing nothing that was asked after', async () => {
    expect(await countTokens('before')).toBe(1);
    await stopTokenizer();
    expect(await countTokens('after the stop')).toBe(3);
  });

  it('fails only what the stopped thread owed, not what its successor was asked meanwhile', async () => {
    await countTokens('warm');
    const owed = countTokens('owed by the first').catch(() => undefined);
    const stopping = stopTokenizer();
    const asked = countTokens('asked of the second');
    await stopping;
    expect(await asked).toBe(4);
    await owed;
  });

  it('rejects a call the tokenizer cannot do, and goes on with the next', async () => {
    await expect(decodeTokens(['not a token'] as unknown as number[])).rejects.toThrow(/tokenizer/);
    expect(await countTokens('still here')).toBe(2);
  });
});
