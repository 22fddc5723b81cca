import { randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import { sha256Hex } from '../lib/crypto.js';

// RFC 6238 defaults, the only ones every authenticator app supports.
const TOTP_SETTINGS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
/** RFC 4226 recommends at least 160 bits for an HMAC-SHA1 key. */
const SECRET_BYTES = 20;
/** One step either side absorbs clock drift between the server and the phone. */
const DRIFT_WINDOW = 1;

/** A fresh shared secret, base32 (RFC 4648, upper-case, 32 characters) as authenticator apps expect. */
export function createTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The otpauth:// URI that a QR code carries to the authenticator app. */
export function totpUri(secret: string, accountLabel: string, issuer = 'Mixgate'): string {
  return new TOTP({
    ...TOTP_SETTINGS,
    issuer,
    label: accountLabel,
    secret: Secret.fromBase32(secret),
  }).toString();
}

/**
 * Checks a 6-digit code against the current time step and one step either side. Returns the time
 * step (counter) the code belongs to, or null when it matches none.
 *
 * A code stays valid for up to 90 seconds, so a matching code alone does not stop replay: the caller
 * must store the returned step for the account and refuse any code whose step is not greater than
 * the stored one (accept only when `step > lastUsedStep`, then save `step`).
 *
 * Throws if `secret` is not base32: secrets come from `createTotpSecret`, so that is a bug, not input.
 */
export function verifyTotp(secret: string, code: string, now = Date.now()): number | null {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const totp = new TOTP({ ...TOTP_SETTINGS, secret: Secret.fromBase32(secret) });
  const delta = totp.validate({ token, timestamp: now, window: DRIFT_WINDOW });
  if (delta === null) return null;
  return totp.counter({ timestamp: now }) + delta;
}

/**
 * Crockford's base32 alphabet, lower-case: no i, l, o or u, so nothing reads as 1, 0 or another
 * letter. 32 symbols, so each is 5 bits and a byte masked to 5 bits picks one without bias.
 */
const RECOVERY_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** 12 symbols × 5 bits = 60 bits, shown as three groups of four: "abcd-efgh-jkmn". */
const RECOVERY_CODE_SYMBOLS = 12;
const RECOVERY_GROUP_SIZE = 4;

function groupRecoveryCode(symbols: string): string {
  const groups: string[] = [];
  for (let index = 0; index < symbols.length; index += RECOVERY_GROUP_SIZE) {
    groups.push(symbols.slice(index, index + RECOVERY_GROUP_SIZE));
  }
  return groups.join('-');
}

/** Single-use codes for signing in without the authenticator; store only `hashRecoveryCode` of each. */
export function generateRecoveryCodes(count = 10): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    const symbols = [...randomBytes(RECOVERY_CODE_SYMBOLS)]
      .map((byte) => RECOVERY_ALPHABET[byte & 31])
      .join('');
    codes.add(groupRecoveryCode(symbols));
  }
  return [...codes];
}

/**
 * The canonical form of a typed recovery code: lower-case, whitespace and dashes dropped then the
 * dashes put back every four symbols. Letters people type for digits (i and l for 1, o for 0) are
 * read as the digits, as Crockford's base32 decoding does. A generated code is already canonical.
 */
export function normaliseRecoveryCode(input: string): string {
  const symbols = input.toLowerCase().replace(/[\s-]/g, '').replace(/[il]/g, '1').replace(/o/g, '0');
  return groupRecoveryCode(symbols);
}

/**
 * SHA-256 hex of the canonical form. A recovery code is 60 random bits, not a chosen password, so a
 * stolen hash still takes about 2^59 guesses per code on average; a slow hash would add little.
 */
export function hashRecoveryCode(code: string): string {
  return sha256Hex(normaliseRecoveryCode(code));
}
