import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebTest, type WebTest } from './web-test.js';

describe('the profile settings, in a real browser', () => {
  let web: WebTest;
  beforeAll(async () => {
    web = await startWebTest();
  });
  afterAll(async () => {
    await web?.close();
  });

  it('changes the username and display name in place, and they stay after a reload', async () => {
    const taken = await web.creditedUser('1');
    const user = await web.creditedUser('1');
    const { page, problems } = await web.newPage({ user });
    await page.goto('/settings?tab=profile');
    await page.getByTestId('profile-username').filter({ hasText: user.username }).waitFor();

    await page.getByTestId('profile-edit').click();
    await page.getByTestId('profile-username-input').fill(taken.username);
    await page.getByTestId('profile-save').click();
    await page.getByText('That username is taken').waitFor();

    const username = `renamed${Date.now().toString(36)}`;
    await page.getByTestId('profile-username-input').fill(username);
    await page.getByTestId('profile-display-name-input').fill('  Grace Hopper ');
    await page.getByTestId('profile-save').click();
    await page.getByText('Profile saved').waitFor();
    await page.getByTestId('profile-username').filter({ hasText: username }).waitFor();

    await page.reload();
    await page.getByTestId('profile-username').filter({ hasText: username }).waitFor();
    expect(await page.getByTestId('profile-display-name').innerText()).toBe('Grace Hopper');
    const expected = /status of 409/;
    expect(problems.filter((problem) => !expected.test(problem))).toEqual([]);
  });

  it('asks for an e-mail change with the password, says a link was sent, and changes the address by the link', async () => {
    const user = await web.creditedUser('1');
    const { page, problems } = await web.newPage({ user });
    await page.goto('/settings?tab=profile');
    await page.getByTestId('profile-email-change').click();
    const newEmail = `moved${Date.now().toString(36)}@example.com`;
    await page.getByTestId('change-email-new').fill(newEmail);
    await page.getByTestId('change-email-password').fill('not the password');
    await page.getByTestId('change-email-submit').click();
    await page.getByText('The password is not correct').waitFor();

    await page.getByTestId('change-email-password').fill(user.password);
    await page.getByTestId('change-email-submit').click();
    await page.getByTestId('change-email-sent').filter({ hasText: newEmail }).waitFor();
    await page.getByTestId('change-email-done').click();
    await page.getByTestId('profile-email-pending').filter({ hasText: newEmail }).waitFor();
    expect(await page.getByTestId('profile-email').innerText()).toContain(user.email);

    const mail = web.server.mailbox.messages.findLast((message) => message.to === newEmail);
    const link = /\/confirm-email\?token=[\w-]+/.exec(mail?.text ?? '')?.[0];
    expect(link).toBeDefined();
    await page.goto(link!);
    await page.getByTestId('confirm-email-done').filter({ hasText: newEmail }).waitFor();
    await page.getByRole('link', { name: 'Go to settings' }).click();
    await page.getByTestId('profile-email').filter({ hasText: newEmail }).waitFor();
    const expected = /status of 403/;
    expect(problems.filter((problem) => !expected.test(problem))).toEqual([]);
  });
});
