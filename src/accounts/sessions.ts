import { randomUUID } from 'node:crypto';
import { and, desc, eq, gt, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/database.js';
import { sessions, users } from '../db/schema/index.js';
import type { DbOrTransaction } from '../db/transaction.js';
import { randomToken, sha256Hex } from '../lib/crypto.js';
import { approximateCountry } from '../privacy/approximate-location.js';
import type { RequestMeta } from './request-meta.js';

export interface NewSession {
  id: string;
  token: string;
  csrfToken: string;
  expiresAt: Date;
}

export async function createSession(
  db: DbOrTransaction,
  userId: string,
  meta: RequestMeta,
  now: Date,
  ttlHours: number,
): Promise<NewSession> {
  const session = {
    id: randomUUID(),
    token: randomToken(32),
    csrfToken: randomToken(24),
    expiresAt: new Date(now.getTime() + ttlHours * 3600_000),
  };
  await db.insert(sessions).values({
    id: session.id,
    userId,
    tokenHash: sha256Hex(session.token),
    csrfToken: session.csrfToken,
    ip: meta.ip,
    userAgent: meta.userAgent,
    country: approximateCountry(meta.ip),
    createdAt: now,
    lastSeenAt: now,
    expiresAt: session.expiresAt,
  });
  return session;
}

export interface ActiveSession {
  sessionId: string;
  csrfToken: string;
  lastSeenAt: Date;
  user: typeof users.$inferSelect;
}

/** The live session behind a cookie token, with its user; null when unknown, expired or revoked. */
export async function findActiveSession(db: Db, token: string, now: Date): Promise<ActiveSession | null> {
  const [row] = await db
    .select({ session: sessions, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(
      and(eq(sessions.tokenHash, sha256Hex(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)),
    )
    .limit(1);
  if (!row) return null;
  return {
    sessionId: row.session.id,
    csrfToken: row.session.csrfToken,
    lastSeenAt: row.session.lastSeenAt,
    user: row.user,
  };
}

/** Sliding expiry, written at most every five minutes per session to keep reads cheap. */
export async function touchSession(
  db: Db,
  session: ActiveSession,
  now: Date,
  ttlHours: number,
): Promise<void> {
  if (now.getTime() - session.lastSeenAt.getTime() < 5 * 60_000) return;
  await db
    .update(sessions)
    .set({ lastSeenAt: now, expiresAt: new Date(now.getTime() + ttlHours * 3600_000) })
    .where(eq(sessions.id, session.sessionId));
}

export async function listSessions(db: Db, userId: string, now: Date) {
  return db
    .select({
      id: sessions.id,
      ip: sessions.ip,
      userAgent: sessions.userAgent,
      country: sessions.country,
      createdAt: sessions.createdAt,
      lastSeenAt: sessions.lastSeenAt,
      expiresAt: sessions.expiresAt,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, now)))
    .orderBy(desc(sessions.lastSeenAt));
}

/** Revokes one of the user's sessions; false when it is not theirs or already gone. */
export async function revokeSession(
  db: DbOrTransaction,
  userId: string,
  sessionId: string,
  now: Date,
): Promise<boolean> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return revoked.length > 0;
}

/** "Log out other devices": every session of the user except `keepSessionId` (all when omitted). */
export async function revokeOtherSessions(
  db: DbOrTransaction,
  userId: string,
  now: Date,
  keepSessionId?: string,
): Promise<number> {
  const revoked = await db
    .update(sessions)
    .set({ revokedAt: now })
    .where(
      and(
        eq(sessions.userId, userId),
        isNull(sessions.revokedAt),
        keepSessionId ? ne(sessions.id, keepSessionId) : undefined,
      ),
    )
    .returning({ id: sessions.id });
  return revoked.length;
}
