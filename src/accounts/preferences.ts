/**
 * The signed-in user's web app preferences: whether the studio keeps conversations, and the
 * language of the web app. Read and written here because the accounts module owns `users`.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { users } from '../db/schema/index.js';

export const LANGUAGES = ['en', 'de', 'fr', 'es'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface Preferences {
  historyEnabled: boolean;
  language: Language;
}

export function preferencesOf(user: { historyEnabled: boolean; language: string }): Preferences {
  return {
    historyEnabled: user.historyEnabled,
    language: (LANGUAGES as readonly string[]).includes(user.language) ? (user.language as Language) : 'en',
  };
}

/** Applies the given fields and returns the preferences as stored. */
export async function updatePreferences(
  db: Db,
  userId: string,
  changes: Partial<Preferences>,
  now: Date,
): Promise<Preferences> {
  const [row] = await db
    .update(users)
    .set({ ...changes, updatedAt: now })
    .where(eq(users.id, userId))
    .returning({ historyEnabled: users.historyEnabled, language: users.language });
  if (!row) throw new Error(`no user ${userId}`);
  return preferencesOf(row);
}
