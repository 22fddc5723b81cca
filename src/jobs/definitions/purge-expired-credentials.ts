import { activeHolds } from '../../privacy/retention/legal-holds.js';
import { cutoffFor, ENDED_CREDENTIALS_RULE } from '../../privacy/retention/retention-rules.js';
import type { JobDefinition } from '../job-definition.js';

/**
 * Deletes sessions and e-mailed tokens RETENTION_ENDED_CREDENTIALS_DAYS (a week) after they expired
 * or were used: they are dead credentials and hold an IP address and user agent we have no reason
 * to keep. Hourly, ahead of the daily retention sweep that runs the same rule; legal holds apply.
 */
export const purgeExpiredCredentials: JobDefinition = {
  name: 'purge-expired-credentials',
  cron: '17 * * * *',
  async handler(ctx) {
    const context = { pool: ctx.pool, config: ctx.config, now: ctx.now(), holds: await activeHolds(ctx.db) };
    await ENDED_CREDENTIALS_RULE.sweep(context, cutoffFor(ENDED_CREDENTIALS_RULE, context));
  },
};
