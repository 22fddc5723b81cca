import { Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import {
  createTotpSecret,
  generateRecoveryCodes,
  hashRecoveryCode,
  normaliseRecoveryCode,
  totpUri,
  verifyTotp,
} from './totp.js';

const PERIOD_MS = 30_000;
// Mid-step, so ±1 step arithmetic below never straddles a boundary.
const NOW = 1_750_000_000_000 + 15_000;
const STEP = Math.floor(NOW / PERIOD_MS);

function codeAt(secret: string, timestamp: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), digits: 6, period: 30, algorithm: 'SHA1' }).generate({
    timestamp,
  });
}

describe('TOTP secrets and URIs', () => {
  it('creates a distinct 20-byte base32 secret each time', () => {
    const secret = createTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(Secret.fromBase32(secret).bytes).toHaveLength(20);
    expect(createTotpSecret()).not.toBe(secret);
  });

  it('builds an otpauth URI an authenticator app reads back as the same account and secret', () => {
    const secret = createTotpSecret();
    const parsed = URI.parse(totpUri(secret, 'alice@example.com'));
    expect(parsed).toBeInstanceOf(TOTP);
    expect(parsed.issuer).toBe('Mixgate');
    expect(parsed.label).toBe('alice@example.com');
    expect(parsed.secret.base32).toBe(secret);
    expect(parsed).toMatchObject({ digits: 6, period: 30, algorithm: 'SHA1' });
    expect(URI.parse(totpUri(secret, 'bob', 'Other')).issuer).toBe('Other');
  });
});

describe('verifyTotp', () => {
  const secret = createTotpSecret();

  it('accepts the current code and returns its time step', () => {
    expect(verifyTotp(secret, codeAt(secret, NOW), NOW)).toBe(STEP);
  });

  it('uses the real clock by default', () => {
    const now = Date.now();
    const result = verifyTotp(secret, codeAt(secret, now));
    // The clock may tick into the next step between the two calls; the window still accepts it.
    expect(result).toBe(Math.floor(now / PERIOD_MS));
  });

  it('accepts codes one step either side and returns their own step, so reuse can be detected', () => {
    expect(verifyTotp(secret, codeAt(secret, NOW - PERIOD_MS), NOW)).toBe(STEP - 1);
    expect(verifyTotp(secret, codeAt(secret, NOW + PERIOD_MS), NOW)).toBe(STEP + 1);
  });

  it('refuses codes two or three steps away', () => {
    for (const steps of [-3, -2, 2, 3]) {
      expect(verifyTotp(secret, codeAt(secret, NOW + steps * PERIOD_MS), NOW), `${steps} steps`).toBeNull();
    }
  });

  it('refuses a code made with another secret', () => {
    expect(verifyTotp(secret, codeAt(createTotpSecret(), NOW), NOW)).toBeNull();
  });

  it('refuses anything that is not six digits, and tolerates spaces', () => {
    const code = codeAt(secret, NOW);
    expect(verifyTotp(secret, `${code.slice(0, 3)} ${code.slice(3)}`, NOW)).toBe(STEP);
    for (const malformed of ['', code.slice(0, 5), `${code}0`, 'abcdef', `${code.slice(0, 5)}x`]) {
      expect(verifyTotp(secret, malformed, NOW), malformed).toBeNull();
    }
  });
});

describe('recovery codes', () => {
  it('generates the requested number of distinct codes in three groups of four', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}-[0-9a-hjkmnp-tv-z]{4}$/);
    }
    expect(generateRecoveryCodes(3)).toHaveLength(3);
  });

  it('draws from all 32 symbols, so each of the 12 carries 5 bits (60 bits in all)', () => {
    const symbols = new Set(generateRecoveryCodes(200).join('').replace(/-/g, ''));
    expect(symbols.size).toBe(32);
  });

  it('leaves a generated code unchanged when normalised', () => {
    for (const code of generateRecoveryCodes()) {
      expect(normaliseRecoveryCode(code)).toBe(code);
    }
  });

  it('normalises case, spaces, missing dashes and look-alike letters to the same code', () => {
    const code = '0a1b-2c3d-4e5f';
    for (const typed of [
      '0A1B-2C3D-4E5F',
      '0a1b2c3d4e5f',
      ' 0a1b 2c3d 4e5f ',
      'oa1b-2c3d-4e5f',
      '0aLb-2c3d-4e5f',
      '0aib2c3d4e5f',
    ]) {
      expect(normaliseRecoveryCode(typed), typed).toBe(code);
    }
  });

  it('hashes the normalised code as SHA-256 hex, so any typed form matches the stored hash', () => {
    const code = '0a1b-2c3d-4e5f';
    // sha256("0a1b-2c3d-4e5f"), computed independently.
    expect(hashRecoveryCode(code)).toBe('de69cd3a5b2392d640af9110c7c049ee808daadae806b995e4dd7a7eee001a09');
    expect(hashRecoveryCode('0A1B 2C3D 4E5F')).toBe(
      'de69cd3a5b2392d640af9110c7c049ee808daadae806b995e4dd7a7eee001a09',
    );
    expect(hashRecoveryCode('0a1b-2c3d-4e5g')).not.toBe(
      'de69cd3a5b2392d640af9110c7c049ee808daadae806b995e4dd7a7eee001a09',
    );
  });
});
