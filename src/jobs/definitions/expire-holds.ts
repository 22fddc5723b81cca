import { expireHolds } from '../../ledger/expire-holds.js';
import type { JobDefinition } from '../job-definition.js';

/** Every minute: credit reserved by requests that never settled is released to the wallet. */
export const expireHoldsJob: JobDefinition = {
  name: 'expire-holds',
  cron: '* * * * *',
  async handler(ctx) {
    await expireHolds(ctx.db, ctx.now());
  },
};
