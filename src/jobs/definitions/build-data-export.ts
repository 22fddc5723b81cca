import { buildPendingExports, sweepExpiredExports } from '../../privacy/requests/build-export.js';
import type { JobDefinition } from '../job-definition.js';

/**
 * Access requests (src/privacy/requests): deletes the export archives past their 7 days, then
 * builds the archive of every verified access request still waiting. The request rows are the
 * queue, so a run that stopped midway is simply picked up by the next one.
 */
export const buildDataExport: JobDefinition = {
  name: 'build-data-export',
  cron: '* * * * *',
  async handler(ctx) {
    await sweepExpiredExports(ctx);
    await buildPendingExports(ctx);
  },
};
