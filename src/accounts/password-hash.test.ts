import { parseOptions, verify } from '@node-rs/argon2';
import { describe, expect, it, vi } from 'vitest';
import { DUMMY_PASSWORD_HASH, hashPassword, verifyAgainstDummy, verifyPassword } from './password-hash.js';

// Wraps the real verify so a test can see which hash the dummy path spends its time on.
vi.mock('@node-rs/argon2', async (importOriginal) => {
  const original = await importOriginal<typeof import('@node-rs/argon2')>();
  return { ...original, verify: vi.fn(original.verify) };
});

describe('password hashing', () => {
  it('verifies the password a hash was made from and refuses another', async () => {
    const stored = await hashPassword('correct horse battery staple');
    expect(await verifyPassword(stored, 'correct horse battery staple')).toBe(true);
    expect(await verifyPassword(stored, 'correct horse battery stapler')).toBe(false);
    expect(await verifyPassword(stored, 'Correct horse battery staple')).toBe(false);
  });

  it('uses argon2id with the OWASP parameters and a fresh salt each time', async () => {
    const first = await hashPassword('same password');
    const second = await hashPassword('same password');
    expect(first).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(first).not.toBe(second);
  });

  it('returns false instead of throwing for a malformed hash', async () => {
    for (const malformed of [
      '',
      'not a hash',
      '$argon2id$v=19$m=19456,t=2,p=1$broken',
      '$2b$10$abcdefghij',
    ]) {
      await expect(verifyPassword(malformed, 'anything')).resolves.toBe(false);
    }
  });

  it('keeps the dummy hash a valid hash with the same cost as real ones, so it takes as long', async () => {
    const real = parseOptions(await hashPassword('x'.repeat(12)));
    const dummy = parseOptions(DUMMY_PASSWORD_HASH);
    expect(dummy).toEqual(real);
  });

  it('never accepts a password against the dummy hash, yet runs a full verification', async () => {
    vi.mocked(verify).mockClear();
    await expect(verifyAgainstDummy('correct horse battery staple')).resolves.toBe(false);
    await expect(verifyAgainstDummy('')).resolves.toBe(false);
    expect(vi.mocked(verify).mock.calls.map(([hash]) => hash)).toEqual([
      DUMMY_PASSWORD_HASH,
      DUMMY_PASSWORD_HASH,
    ]);
  });
});
