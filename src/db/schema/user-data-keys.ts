import { sql } from 'drizzle-orm';
import { check, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { users } from './accounts.js';

declare const sealedContent: unique symbol;

/**
 * What a content column holds (src/privacy/content-cipher.ts): text sealed with the owner's data
 * key, or content stored before encryption, marked as such until the startup pass seals it. `T` is
 * what it opens to. Only the cipher makes one, so plaintext cannot be written by mistake.
 */
export type Sealed<T> = string & { readonly [sealedContent]: T };

/**
 * One data key per user (src/privacy/content-keys.ts): 32 random bytes that seal the user's
 * content, themselves sealed with the instance master key. Destroying the key (crypto-shredding)
 * keeps the row as a tombstone without key material, so no new key is made for an erased user.
 */
export const userDataKeys = pgTable(
  'user_data_keys',
  {
    userId: uuid('user_id')
      .primaryKey()
      .references(() => users.id, { onDelete: 'cascade' }),
    /** The data key sealed with the master key (AES-256-GCM, bound to the user id); null once destroyed. */
    keySealed: text('key_sealed'),
    /** Fingerprint of the master key that sealed it (not the key), so a mismatch is named, not guessed. */
    masterKeyId: text('master_key_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    /** Last re-sealed under a new master key, or replaced by a fresh data key. */
    rotatedAt: timestamp('rotated_at', { withTimezone: true }),
    /** When the key was destroyed (the user's content became unreadable). */
    destroyedAt: timestamp('destroyed_at', { withTimezone: true }),
  },
  () => [
    check(
      'user_data_keys_key_or_tombstone',
      sql`(key_sealed IS NULL) = (destroyed_at IS NOT NULL) AND (key_sealed IS NULL) = (master_key_id IS NULL)`,
    ),
  ],
);
