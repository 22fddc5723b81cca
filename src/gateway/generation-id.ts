import { randomFillSync } from 'node:crypto';

/**
 * `gen-` + 10 characters of time (so ids sort by creation, which keeps the primary key's index
 * appending) + 16 random ones, in Crockford's base32.
 */
const ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';

// Random bytes drawn 4 KiB at a time: one call into the CSPRNG per 256 ids rather than one per id,
// which showed in the gateway's profile.
const pool = Buffer.alloc(4096);
let poolOffset = pool.length;

export function newGenerationId(now = Date.now()): string {
  let time = '';
  let value = now;
  for (let i = 0; i < 10; i++) {
    time = ALPHABET[value % 32]! + time;
    value = Math.floor(value / 32);
  }
  if (poolOffset + 16 > pool.length) {
    randomFillSync(pool);
    poolOffset = 0;
  }
  let tail = '';
  // 256 is a multiple of 32, so `byte % 32` picks every character equally often.
  for (let i = poolOffset; i < poolOffset + 16; i++) tail += ALPHABET[pool[i]! % 32]!;
  poolOffset += 16;
  return `gen-${time}${tail}`;
}
