/**
 * Ending the contract in a real browser: a user closes their account with the password (a wrong one
 * refused on the field first), lands signed out on a page giving the deletion date, and can no
 * longer log in; an owner whose organisation others still use is told why they cannot close their
 * account, then closes the organisation from its danger zone, and its members are told by e-mail.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { organisationMembers } from '../../src/db/schema/index.js';
import { logInAs } from '../test-app.js';
import { startWebTest, type WebTest } from './web-test.js';

const DAY_MS = 86_400_000;
/** The browser's own reports of expected refusals: the wrong password, the signed-out session check, the refused log-in. */
const EXPECTED_REFUSALS = /Failed to load resource: the server responded with a status of (401|403|409)/;

describe('closing an account or an organisation, in a real browser', () => {
  let web: WebTest;
  beforeAll(async () => {
    web = await startWebTest();
  });
  afterAll(async () => {
    await web?.close();
  });

  it('closes the account with the password, shows the deletion date, and refuses the next log-in', async () => {
    const user = await web.creditedUser('5');
    const { page, problems } = await web.newPage({ user });
    await page.goto('/privacy');
    const card = page.getByTestId('close-account');
    await card.getByRole('heading', { name: 'Close my account' }).waitFor();
    // The remaining balance is named, with the way to ask for it back.
    await card.getByTestId('close-account-balance').filter({ hasText: '5.00' }).waitFor();
    expect(await card.getByRole('link', { name: 'refund policy' }).getAttribute('href')).toBe(
      '/legal/refund-policy',
    );

    await page.getByTestId('close-account-open').click();
    const modal = page.getByTestId('close-account-modal');
    // Nothing to type but the password.
    expect(await page.getByTestId('close-account-modal-typed').count()).toBe(0);
    await page.getByTestId('close-account-modal-password').fill('not my password');
    await page.getByTestId('close-account-modal-confirm').click();
    await modal.getByText('The password is not correct').waitFor();
    expect(new URL(page.url()).pathname).toBe('/privacy');

    await page.getByTestId('close-account-modal-password').fill(user.password);
    await page.getByTestId('close-account-modal-confirm').click();
    await page.waitForURL(/\/account-closed\?deletedAfter=/);
    await page.getByRole('heading', { name: 'Your account is closed' }).waitFor();
    const deletedAfter = new URL(page.url()).searchParams.get('deletedAfter')!;
    expect(Date.parse(deletedAfter) - web.server.ctx.now().getTime()).toBeGreaterThan(29 * DAY_MS);
    expect(Date.parse(deletedAfter) - web.server.ctx.now().getTime()).toBeLessThanOrEqual(30 * DAY_MS);
    const year = String(new Date(deletedAfter).getUTCFullYear());
    await page.getByTestId('account-closed-deletion').filter({ hasText: year }).waitFor();
    const mail = web.server.mailbox.messages.findLast((message) => message.to === user.email);
    expect(mail?.subject).toBe('Your Mixgate account is closed');

    await page.getByRole('link', { name: 'Go to the log-in page' }).click();
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'This account is closed' }).waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(logInAs(web.server, user.email, user.password)).rejects.toThrow();

    expect(problems.filter((problem) => !EXPECTED_REFUSALS.test(problem))).toEqual([]);
  });

  it('keeps an owner whose organisation others use from closing the account, and closes the organisation', async () => {
    const owner = await web.creditedUser('1');
    const member = await web.creditedUser('1');
    const created = await fetch(`${web.server.url}/api/organisations`, {
      method: 'POST',
      headers: { ...owner.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Closing Time Ltd', confirmAuthority: true }),
    });
    expect(created.status).toBe(201);
    const organisationId = ((await created.json()) as { id: string }).id;
    await web.server.ctx.db
      .insert(organisationMembers)
      .values({ organisationId, userId: member.userId, role: 'member', addedBy: owner.userId });

    const { page, problems } = await web.newPage({ user: owner });
    await page.goto('/privacy');
    await page.getByTestId('close-account-open').click();
    await page.getByTestId('close-account-modal-password').fill(owner.password);
    await page.getByTestId('close-account-modal-confirm').click();
    await page
      .getByTestId('close-account-modal')
      .getByRole('alert')
      .filter({ hasText: 'You own an organisation that other members still use' })
      .waitFor();
    expect(new URL(page.url()).pathname).toBe('/privacy');
    await page.getByTestId('close-account-modal').getByRole('button', { name: 'Cancel' }).click();

    await page.goto(`/organisation?id=${organisationId}`);
    await page.getByTestId('organisation-name').filter({ hasText: 'Closing Time Ltd' }).waitFor();
    await page.getByTestId('organisation-close').click();
    const modal = page.getByTestId('organisation-close-modal');
    await modal.getByText('Spending stops at once for every member').waitFor();
    await page.getByTestId('organisation-close-modal-password').fill('not my password');
    await page.getByTestId('organisation-close-modal-confirm').click();
    await modal.getByText('The password is not correct').waitFor();
    await page.getByTestId('organisation-close-modal-password').fill(owner.password);
    await page.getByTestId('organisation-close-modal-confirm').click();
    await page.getByTestId('organisation-closed').getByText('This organisation is closed').waitFor();
    expect(await page.getByTestId('organisation-close').count()).toBe(0);
    expect(await page.getByTestId('organisation-leave').count()).toBe(0);

    const told = web.server.mailbox.messages.findLast((message) => message.to === member.email);
    expect(told?.subject).toBe('The organisation "Closing Time Ltd" was closed');
    // The member sees it closed too, and nothing is spent through it.
    const other = await web.newPage({ user: member });
    await other.page.goto(`/organisation?id=${organisationId}`);
    await other.page.getByTestId('organisation-closed').waitFor();

    expect(problems.filter((problem) => !EXPECTED_REFUSALS.test(problem))).toEqual([]);
    expect(other.problems).toEqual([]);
  });
});
