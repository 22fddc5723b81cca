import { describe, expect, it } from 'vitest';
import { checkPasswordPolicy, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './password-policy.js';

const STRONG = 'correct horse battery staple';

function reasonFor(password: string, context: { email?: string; username?: string } = {}): string | null {
  const result = checkPasswordPolicy(password, context);
  return result.ok ? null : result.reason;
}

describe('checkPasswordPolicy', () => {
  it('accepts a long, uncommon password unrelated to the account', () => {
    expect(checkPasswordPolicy(STRONG, { email: 'alice@example.com', username: 'alice' })).toEqual({
      ok: true,
    });
  });

  it('refuses passwords shorter than the minimum and accepts the minimum', () => {
    expect(PASSWORD_MIN_LENGTH).toBe(10);
    expect(reasonFor('password')).toMatch(/at least 10 characters/);
    expect(reasonFor('Xq7#vLp2!')).toMatch(/at least 10 characters/);
    expect(reasonFor('Xq7#vLp2!z')).toBeNull();
  });

  it('counts characters as the user sees them, not UTF-16 units', () => {
    // Nine emoji are 18 UTF-16 units but nine characters.
    expect(reasonFor('🔐'.repeat(9))).toMatch(/at least 10 characters/);
    expect(reasonFor('🔐'.repeat(10))).toBeNull();
  });

  it('refuses passwords longer than the maximum and accepts the maximum', () => {
    expect(PASSWORD_MAX_LENGTH).toBe(256);
    expect(reasonFor('a1'.repeat(128))).toBeNull();
    expect(reasonFor(`${'a1'.repeat(128)}b`)).toMatch(/at most 256 characters/);
  });

  it('refuses common passwords long enough to pass the length rule, whatever their case', () => {
    // Each of these is in common-passwords.txt and has 10+ characters.
    for (const password of [
      '123456789a',
      '1234567890',
      'password123',
      'qwertyuiop',
      'PassWord123',
      'QWERTYUIOP',
    ]) {
      expect(reasonFor(password), password).toMatch(/most commonly used passwords/);
    }
  });

  it('refuses a password containing the username, ignoring case', () => {
    expect(reasonFor('MixMaster-2024!', { username: 'mixmaster' })).toMatch(/username or e-mail/);
    expect(reasonFor('xyzmixmasterxyz', { username: 'MixMaster' })).toMatch(/username or e-mail/);
  });

  it('refuses a password equal to or containing the e-mail local part, ignoring case', () => {
    expect(reasonFor('jonathan.smith', { email: 'Jonathan.Smith@example.com' })).toMatch(
      /username or e-mail/,
    );
    expect(reasonFor('my-JONATHAN.SMITH-pass', { email: 'jonathan.smith@example.com' })).toMatch(
      /username or e-mail/,
    );
  });

  it('ignores identifiers shorter than four characters', () => {
    expect(reasonFor('bobcat-sandwich', { username: 'bob', email: 'bob@example.com' })).toBeNull();
    expect(reasonFor('bobcat-sandwich', { username: 'bobc' })).toMatch(/username or e-mail/);
  });

  it('does not match the e-mail domain', () => {
    expect(reasonFor('example-lighthouse', { email: 'zed@example.com' })).toBeNull();
  });
});
