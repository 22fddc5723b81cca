import { remindIncidentDeadlines } from '../../audit/incidents/remind-incident-deadlines.js';
import type { JobDefinition } from '../job-definition.js';

/**
 * Hourly: warns the staff who manage incidents when a breach's 72-hour notification deadline
 * (GDPR Art. 33(1)) is less than a day away or passed, with no notification decided.
 */
export const incidentDeadlineReminder: JobDefinition = {
  name: 'incident-deadline-reminder',
  cron: '7 * * * *',
  async handler(ctx) {
    await remindIncidentDeadlines(ctx);
  },
};
