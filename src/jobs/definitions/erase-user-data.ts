import { processPendingErasures } from '../../privacy/requests/erase-user.js';
import type { JobDefinition } from '../job-definition.js';

/**
 * Erasure requests (src/privacy/requests/erase-user.ts): carries out every verified erasure still
 * waiting, and resumes one that stopped midway (each step can run again). One that a legal hold
 * or an owned organisation blocks waits, untouched, and is tried again on the next run.
 */
export const eraseUserData: JobDefinition = {
  name: 'erase-user-data',
  cron: '* * * * *',
  async handler(ctx) {
    await processPendingErasures(ctx);
  },
};
