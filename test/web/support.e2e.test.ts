/**
 * Support in a real browser: a user opens a ticket from the navigation (the form's own checks
 * first), finds it listed, sees a staff member's answer after a reload marked "Waiting for you",
 * replies, closes the ticket and reopens it by replying. Messages are shown as typed, line breaks
 * kept and markup left as text. On a phone, in the dark theme, the conversation fits the screen and passes axe-core.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../../src/console/create-staff.js';
import { logInAs, type SignedInUser, signUpAndLogIn } from '../test-app.js';
import { accessibilityProblems, horizontalOverflow } from './accessibility-check.js';
import { PHONE, startWebTest, type WebTest } from './web-test.js';

const FIRST_MESSAGE = 'My invoice for March is missing.\n\nIt should show <b>two</b> top-ups.';
const STAFF_ANSWER = 'Thank you for writing.\nThe invoice is now in your billing page.';

describe('support tickets, in a real browser', () => {
  let web: WebTest;
  let staff: SignedInUser;

  beforeAll(async () => {
    web = await startWebTest();
    const email = `support-${randomUUID().slice(0, 8)}@example.com`;
    await createStaffUser(web.server.ctx, { email, password: 'a support agent', role: 'support' });
    staff = await logInAs(web.server, email, 'a support agent');
  });
  afterAll(async () => {
    await web?.close();
  });

  async function answerAsStaff(ticketId: string, body: string) {
    const response = await fetch(`${web.server.url}/api/console/support/tickets/${ticketId}/messages`, {
      method: 'POST',
      headers: { ...staff.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ body }),
    });
    expect(response.ok, await response.clone().text()).toBe(true);
  }

  it('opens a ticket, shows the staff answer as waiting for the user, takes a reply, closes and reopens', async () => {
    const user = await signUpAndLogIn(web.server);
    const tab = await web.newPage({ user });
    const { page, problems } = tab;
    await page.goto('/privacy');
    await page.getByRole('navigation').getByRole('link', { name: 'Support' }).click();
    await page.waitForURL('**/support');
    await page.getByText('No tickets yet').waitFor();

    await page.getByTestId('new-ticket-open').click();
    await page.getByTestId('new-ticket-submit').click();
    await page.getByText('Enter a subject').waitFor();
    await page.getByText('Enter a message').waitFor();

    await page.getByTestId('new-ticket-subject').fill('Missing invoice');
    await page.getByTestId('new-ticket-category').click();
    await page.getByRole('option', { name: 'Billing' }).click();
    await page.getByTestId('new-ticket-message').fill(FIRST_MESSAGE);
    await page.getByTestId('new-ticket-submit').click();
    await page.waitForURL(/\/support\/[^/]+$/);
    const ticketId = new URL(page.url()).pathname.split('/').pop()!;
    await page.getByTestId('ticket-subject').filter({ hasText: 'Missing invoice' }).waitFor();
    const first = page.getByTestId('ticket-message-body').first();
    // As typed: the line breaks kept, the markup shown as text rather than made bold.
    expect(await first.innerText()).toBe(FIRST_MESSAGE);
    expect(await first.locator('b').count()).toBe(0);

    await page.getByRole('link', { name: 'All tickets' }).click();
    const row = page.locator(`[data-testid=ticket-row][data-ticket-id="${ticketId}"]`);
    await row.getByText('Missing invoice').waitFor();
    expect(await row.getAttribute('data-status')).toBe('open');
    await row.getByText('Billing').waitFor();
    expect(await row.getByTestId('ticket-waiting').count()).toBe(0);

    await answerAsStaff(ticketId, STAFF_ANSWER);
    await page.reload();
    await row.getByTestId('ticket-waiting').filter({ hasText: 'Waiting for you' }).waitFor();
    expect(await row.getAttribute('data-status')).toBe('answered');

    await row.getByRole('link', { name: 'Missing invoice' }).click();
    const answer = page.locator('[data-testid=ticket-message][data-from=staff]');
    await answer
      .getByTestId('ticket-message-author')
      .filter({ hasText: /^Support$/ })
      .waitFor();
    expect(await answer.getByTestId('ticket-message-body').innerText()).toBe(STAFF_ANSWER);

    await page.getByTestId('ticket-reply').fill('Found it, thanks.');
    await page.getByTestId('ticket-reply-send').click();
    await page.getByTestId('ticket-message-body').filter({ hasText: 'Found it, thanks.' }).waitFor();
    expect(await page.getByTestId('ticket-message').count()).toBe(3);
    await page.getByTestId('ticket-waiting').waitFor({ state: 'detached' });
    // The box is emptied after the answer is shown, once the ticket list is marked stale.
    await expect.poll(() => page.getByTestId('ticket-reply').inputValue()).toBe('');

    await page.getByTestId('ticket-close').click();
    await page.getByTestId('ticket-closed-note').filter({ hasText: 'Reply to reopen it' }).waitFor();
    await page.getByTestId('ticket-status').filter({ hasText: 'Closed' }).waitFor();
    expect(await page.getByTestId('ticket-close').count()).toBe(0);

    await page.getByTestId('ticket-reply').fill('One more question, sorry.');
    await page.getByTestId('ticket-reply-send').click();
    await page.getByTestId('ticket-status').filter({ hasText: 'Open' }).waitFor();
    expect(await page.getByTestId('ticket-closed-note').count()).toBe(0);
    await page.getByTestId('ticket-close').waitFor();
    expect(await accessibilityProblems(tab)).toEqual([]);

    expect(problems).toEqual([]);
  });

  it('fits a phone, passes axe-core, and does not show another user’s ticket', async () => {
    const user = await signUpAndLogIn(web.server);
    const opened = await fetch(`${web.server.url}/api/support/tickets`, {
      method: 'POST',
      headers: { ...user.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        subject: `A long subject without spaces ${'x'.repeat(120)}`,
        category: 'technical',
        message: `A long word: ${'y'.repeat(400)}\nand a second line`,
      }),
    });
    expect(opened.status).toBe(201);
    const { ticket } = (await opened.json()) as { ticket: { id: string } };
    await answerAsStaff(ticket.id, 'We are looking into it.');

    const phone = await web.newPage({ user, viewport: PHONE });
    // The dark theme: the staff's tinted bubble and coloured label are where contrast could fail.
    await phone.context.addInitScript(`localStorage.setItem('mixgate-color-scheme', 'dark')`);
    await phone.page.goto(`/support/${ticket.id}`);
    await phone.page.getByTestId('ticket-message').nth(1).waitFor();
    // Beside every-page.e2e.test.ts's screenshots, for a look at a conversation on a phone.
    await phone.page.screenshot({ path: 'test-results/pages/support-ticket-375-dark.png', fullPage: true });
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(phone)).toEqual([]);
    await phone.page.goto('/support');
    await phone.page.getByTestId('ticket-waiting').waitFor();
    expect(await horizontalOverflow(phone)).toBeLessThanOrEqual(0);
    expect(await accessibilityProblems(phone)).toEqual([]);
    expect(phone.problems).toEqual([]);

    const stranger = await web.newPage({ user: await signUpAndLogIn(web.server) });
    await stranger.page.goto(`/support/${ticket.id}`);
    await stranger.page.getByText('Ticket not found').waitFor();
    const expected = /Failed to load resource: the server responded with a status of 404/;
    expect(stranger.problems.filter((problem) => !expected.test(problem))).toEqual([]);
  });
});
