import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, logInAs, signUpAndLogIn } from '../../../test/test-app.js';
import { createStaffUser } from '../../console/create-staff.js';
import { privacyRequestDeadlineReminder } from '../../jobs/definitions/privacy-request-deadline-reminder.js';

const DAY = 86_400_000;
const PASSWORD = 'correct horse battery staple';

describe('the privacy request deadline reminder', () => {
  it('mails privacy staff once a week before the month ends and once when it passed, until answered', async () => {
    const test = await createTestApp({}, { webRoot: null });
    const dpo = `dpo-${randomUUID().slice(0, 8)}@example.com`;
    await createStaffUser(test.ctx, { email: dpo, password: PASSWORD, role: 'privacy' });
    const support = `support-${randomUUID().slice(0, 8)}@example.com`;
    await createStaffUser(test.ctx, { email: support, password: PASSWORD, role: 'support' });
    const user = await signUpAndLogIn(test);
    const made = await test.app.inject({
      method: 'POST',
      url: '/api/privacy/requests',
      headers: user.headers,
      payload: { type: 'rectification', password: PASSWORD, details: 'My display name is misspelt' },
    });
    expect(made.statusCode, made.body).toBe(201);
    const { id } = made.json<{ request: { id: string } }>().request;
    const reminders = () =>
      test.mailbox.messages.filter((message) => message.subject.startsWith('Privacy request'));

    await privacyRequestDeadlineReminder.handler(test.ctx);
    expect(reminders()).toHaveLength(0);

    test.clock.advance(25 * DAY);
    await privacyRequestDeadlineReminder.handler(test.ctx);
    await privacyRequestDeadlineReminder.handler(test.ctx);
    expect(reminders().map((message) => [message.to, message.subject])).toEqual([
      [dpo, `Privacy request due within 7 days: rectification ${id.slice(0, 8)}`],
    ]);
    expect(reminders()[0]!.text).toContain(id);
    // The mail names the request, never what the person wrote.
    expect(reminders()[0]!.text).not.toContain('misspelt');

    test.clock.advance(7 * DAY);
    await privacyRequestDeadlineReminder.handler(test.ctx);
    await privacyRequestDeadlineReminder.handler(test.ctx);
    expect(reminders()).toHaveLength(2);
    expect(reminders()[1]!.subject).toBe(`Privacy request overdue: rectification ${id.slice(0, 8)}`);

    // Answered: no more mail for it.
    const officer = await logInAs(test, dpo, PASSWORD);
    const completed = await test.app.inject({
      method: 'POST',
      url: `/api/console/privacy-requests/${id}/complete`,
      headers: officer.headers,
      payload: { reason: 'Display name corrected' },
    });
    expect(completed.statusCode, completed.body).toBe(200);
    test.clock.advance(DAY);
    await privacyRequestDeadlineReminder.handler(test.ctx);
    expect(reminders()).toHaveLength(2);
  });
});
