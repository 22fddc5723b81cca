import { runRetention } from '../../privacy/retention/run-retention.js';
import type { JobDefinition } from '../job-definition.js';

/** The daily retention sweep (src/privacy/retention): deletes what is past its period, around legal holds. */
export const retentionSweep: JobDefinition = {
  name: 'retention-sweep',
  cron: '43 3 * * *',
  async handler(ctx) {
    await runRetention(ctx);
  },
};
