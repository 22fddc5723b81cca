import { sendLegalNotices } from '../../privacy/legal/notice-mail.js';
import type { JobDefinition } from '../job-definition.js';

/**
 * Notices of new legal document versions (src/privacy/legal/notice-mail.ts): publishing queues a
 * run at once; the schedule resumes a run that stopped midway, from the cursor on the document row.
 */
export const legalNoticeMail: JobDefinition = {
  name: 'legal-notice-mail',
  cron: '*/5 * * * *',
  async handler(ctx) {
    await sendLegalNotices(ctx);
  },
};
