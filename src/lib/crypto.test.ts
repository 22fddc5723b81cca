import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decrypt, encrypt } from './crypto.js';

describe('sealing secrets', () => {
  const key = randomBytes(32);

  it('round-trips and never repeats a ciphertext', () => {
    const a = encrypt(key, 'JBSWY3DPEHPK3PXP', 'totp:user-1');
    const b = encrypt(key, 'JBSWY3DPEHPK3PXP', 'totp:user-1');
    expect(a).not.toBe(b);
    expect(a).not.toContain('JBSWY3DPEHPK3PXP');
    expect(decrypt(key, a, 'totp:user-1').toString()).toBe('JBSWY3DPEHPK3PXP');
  });

  it('refuses another context, another key and a tampered ciphertext', () => {
    const sealed = encrypt(key, 'secret', 'totp:user-1');
    expect(() => decrypt(key, sealed, 'totp:user-2')).toThrow();
    expect(() => decrypt(randomBytes(32), sealed, 'totp:user-1')).toThrow();
    const tampered = `${sealed.slice(0, -2)}${sealed.endsWith('A') ? 'B' : 'A'}A`;
    expect(() => decrypt(key, tampered, 'totp:user-1')).toThrow();
  });
});
