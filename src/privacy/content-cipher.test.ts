import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Sealed } from '../db/schema/index.js';
import { MixgateError } from '../lib/errors.js';
import {
  contentField,
  isLegacy,
  isSealedBytes,
  openBytes,
  openJson,
  openText,
  resealText,
  SEALED_FILE_OVERHEAD,
  sealBytes,
  sealJson,
  sealText,
} from './content-cipher.js';

const key = randomBytes(32);
const title = contentField('conversations', 'title', '5b0c6a8e-0d3e-4a57-9a55-2f7ad0f4a111');

function integrityFailure(open: () => unknown) {
  expect(open).toThrow(MixgateError);
  expect(open).toThrow(/failed its integrity check/);
}

describe('sealed text', () => {
  it('round-trips any text, never repeats a ciphertext, and shows nothing of the plaintext', () => {
    const text = 'Crème brûlée 🍮 canary-7f3a\u0000 and more';
    const a = sealText(key, text, title);
    const b = sealText(key, text, title);
    expect(a).toMatch(/^c1\.[A-Za-z0-9_-]+$/);
    expect(a).not.toBe(b);
    expect(a).not.toContain('canary');
    expect(openText(key, a, title)).toBe(text);
    expect(openText(key, sealText(key, '', title), title)).toBe('');
  });

  it('opens only where it was sealed: not in another row, column or table, nor with another key', () => {
    const sealed = sealText(key, 'secret', title);
    integrityFailure(() =>
      openText(key, sealed, { ...title, rowId: '5b0c6a8e-0d3e-4a57-9a55-2f7ad0f4a112' }),
    );
    integrityFailure(() => openText(key, sealed, { ...title, column: 'model' }));
    integrityFailure(() => openText(key, sealed, { ...title, table: 'studio_outputs' }));
    integrityFailure(() => openText(randomBytes(32), sealed, title));
  });

  it('refuses a tampered, truncated or unknown value', () => {
    const sealed = sealText(key, 'secret', title);
    // Each byte in turn (IV, tag, ciphertext) flipped by one bit.
    const raw = Buffer.from(sealed.slice(3), 'base64url');
    for (let index = 0; index < raw.length; index++) {
      const flipped = Buffer.from(raw);
      flipped[index] = (flipped[index] ?? 0) ^ 1;
      integrityFailure(() => openText(key, `c1.${flipped.toString('base64url')}` as Sealed<string>, title));
    }
    integrityFailure(() => openText(key, 'c1.AAAA' as Sealed<string>, title));
    integrityFailure(() => openText(key, 'secret' as Sealed<string>, title));
    integrityFailure(() => openText(key, `c2.${sealed.slice(3)}` as Sealed<string>, title));
  });

  it('opens what migration 0011 marked as stored before encryption, with any key', () => {
    const legacy = 'p0.c1.looks sealed but is a title' as Sealed<string>;
    expect(isLegacy(legacy)).toBe(true);
    expect(isLegacy(sealText(key, 'p0.x', title))).toBe(false);
    expect(openText(randomBytes(32), legacy, title)).toBe('c1.looks sealed but is a title');
  });

  it('moves to another key, still bound to its place', () => {
    const next = randomBytes(32);
    const moved = resealText(key, next, sealText(key, 'kept', title), title);
    expect(openText(next, moved, title)).toBe('kept');
    integrityFailure(() => openText(key, moved, title));
  });
});

describe('sealed JSON', () => {
  const field = contentField('gateway_jobs', 'input', 'job-0123456789abcdefghijklmnop');
  const ZInput = z.record(z.string(), z.unknown());

  it('round-trips and checks the shape it opens to', () => {
    const sealed = sealJson(key, { prompt: 'a kite', duration: 6 }, field);
    expect(openJson(key, sealed, field, ZInput)).toEqual({ prompt: 'a kite', duration: 6 });
    integrityFailure(() => openJson(key, sealJson(key, [1, 2], field) as never, field, ZInput));
    const notJson = sealText(key, '{', field) as string as Sealed<Record<string, unknown>>;
    integrityFailure(() => openJson(key, notJson, field, ZInput));
  });
});

describe('sealed files', () => {
  const location = 'studio/5b0c6a8e-0d3e-4a57-9a55-2f7ad0f4a111/5b0c6a8e-0d3e-4a57-9a55-2f7ad0f4a111-0.png';

  it('round-trips a megabyte, adds a fixed header and tag, and is told apart from a plaintext file', () => {
    const data = randomBytes(1024 * 1024);
    const blob = sealBytes(key, data, location);
    expect(blob).toHaveLength(data.length + SEALED_FILE_OVERHEAD);
    expect(blob.subarray(0, 5)).toEqual(Buffer.from('MGCF\u0001', 'latin1'));
    expect(isSealedBytes(blob)).toBe(true);
    expect(isSealedBytes(data)).toBe(false);
    expect(isSealedBytes(Buffer.alloc(0))).toBe(false);
    // Buffer.equals: a deep equality over a megabyte takes seconds.
    expect(openBytes(key, blob, location).equals(data)).toBe(true);
    expect(openBytes(key, sealBytes(key, Buffer.alloc(0), location), location)).toHaveLength(0);
  });

  it('opens only at its location, with its key, untouched', () => {
    const blob = sealBytes(key, Buffer.from('canary bytes'), location);
    expect(blob.includes(Buffer.from('canary'))).toBe(false);
    integrityFailure(() => openBytes(key, blob, location.replace('-0.png', '-1.png')));
    integrityFailure(() => openBytes(randomBytes(32), blob, location));
    const tampered = Buffer.from(blob);
    tampered[30] = (tampered[30] ?? 0) ^ 1;
    integrityFailure(() => openBytes(key, tampered, location));
    integrityFailure(() => openBytes(key, blob.subarray(0, blob.length - 1), location));
    integrityFailure(() =>
      openBytes(key, Buffer.from('not sealed at all, long enough to have a header'), location),
    );
  });
});
