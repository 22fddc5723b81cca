import { and, isNotNull, lt, or } from 'drizzle-orm';
import { sessions, userTokens } from '../../db/schema/index.js';
import type { JobDefinition } from '../job-definition.js';

const KEEP_AFTER_EXPIRY_MS = 7 * 24 * 3600_000;

/**
 * Deletes sessions and e-mailed tokens a week after they expired or were used: they are dead
 * credentials and hold an IP address and user agent we have no reason to keep.
 */
export const purgeExpiredCredentials: JobDefinition = {
  name: 'purge-expired-credentials',
  cron: '17 * * * *',
  async handler(ctx) {
    const cutoff = new Date(ctx.now().getTime() - KEEP_AFTER_EXPIRY_MS);
    await ctx.db
      .delete(sessions)
      .where(
        or(
          lt(sessions.expiresAt, cutoff),
          and(isNotNull(sessions.revokedAt), lt(sessions.revokedAt, cutoff)),
        ),
      );
    await ctx.db
      .delete(userTokens)
      .where(or(lt(userTokens.expiresAt, cutoff), lt(userTokens.usedAt, cutoff)));
  },
};
