import { readFileSync } from 'node:fs';

export const PASSWORD_MIN_LENGTH = 10;
/** Bounds the work argon2 does for one request; longer passphrases add nothing in practice. */
export const PASSWORD_MAX_LENGTH = 256;
/** Shorter identifiers ("bob") would forbid too many legitimate passwords for little gain. */
const MIN_IDENTIFIER_LENGTH = 4;

export type TPasswordPolicyResult = { ok: true } | { ok: false; reason: string };

let commonPasswords: Set<string> | undefined;

/** Read on first use, so importing the module costs nothing. */
function loadCommonPasswords(): Set<string> {
  if (!commonPasswords) {
    const text = readFileSync(new URL('./common-passwords.txt', import.meta.url), 'utf8');
    commonPasswords = new Set(
      text
        .split('\n')
        .map((line) => line.trim())
        .filter((line) => line.length > 0),
    );
  }
  return commonPasswords;
}

export function checkPasswordPolicy(
  password: string,
  context: { email?: string; username?: string },
): TPasswordPolicyResult {
  // Count code points, not UTF-16 units, so an emoji counts as one character as the user sees it.
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    return { ok: false, reason: `Your password must be at least ${PASSWORD_MIN_LENGTH} characters long.` };
  }
  if (length > PASSWORD_MAX_LENGTH) {
    return { ok: false, reason: `Your password must be at most ${PASSWORD_MAX_LENGTH} characters long.` };
  }
  const lowered = password.toLowerCase();
  if (loadCommonPasswords().has(lowered)) {
    return {
      ok: false,
      reason: 'This password is one of the most commonly used passwords. Please choose another one.',
    };
  }
  const identifiers = [context.email?.split('@')[0], context.username]
    .map((identifier) => identifier?.trim().toLowerCase() ?? '')
    .filter((identifier) => identifier.length >= MIN_IDENTIFIER_LENGTH);
  if (identifiers.some((identifier) => lowered.includes(identifier))) {
    return { ok: false, reason: 'Your password must not contain your username or e-mail address.' };
  }
  return { ok: true };
}
