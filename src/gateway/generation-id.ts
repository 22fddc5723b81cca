import { randomBytes } from 'node:crypto';

/**
 * `gen-` + 10 characters of time (so ids sort by creation, which keeps the primary key's index
 * appending) + 16 random ones, in Crockford's base32.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

export function newGenerationId(now = Date.now()): string {
  let time = '';
  let value = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[value % 32]! + time;
    value = Math.floor(value / 32);
  }
  const random = randomBytes(16);
  let tail = '';
  for (const byte of random) tail += ALPHABET[byte % 32]!;
  return `gen-${time}${tail}`;
}
