import { remindRequestDeadlines } from '../../privacy/requests/remind-request-deadlines.js';
import type { JobDefinition } from '../job-definition.js';

/**
 * Daily: warns the staff who handle privacy requests when a request's one-month deadline (GDPR
 * Art. 12(3)) is less than a week away or passed.
 */
export const privacyRequestDeadlineReminder: JobDefinition = {
  name: 'privacy-request-deadline-reminder',
  cron: '17 7 * * *',
  async handler(ctx) {
    await remindRequestDeadlines(ctx);
  },
};
