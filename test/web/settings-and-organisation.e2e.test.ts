import { TOTP } from 'otpauth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerTo, startWebTest, type WebTest } from './web-test.js';

describe('the settings and organisation pages, in a real browser', () => {
  let web: WebTest;
  beforeAll(async () => {
    web = await startWebTest();
  });
  afterAll(async () => {
    await web?.close();
  });

  it('turns two-factor on, then logs in with a code from the authenticator', async () => {
    const user = await web.creditedUser('1');
    const { page, problems } = await web.newPage({ user });
    await page.goto('/settings?tab=security');
    await page.getByTestId('two-factor-start').click();
    const secret = (await page.getByTestId('two-factor-secret').innerText()).trim();
    const totp = new TOTP({ secret, algorithm: 'SHA1', digits: 6, period: 30 });
    const now = web.server.clock.now.getTime();
    await page.getByTestId('two-factor-code').fill(totp.generate({ timestamp: now }));
    await page.getByTestId('two-factor-enable').click();
    await page.getByTestId('recovery-codes').waitFor();
    expect(await page.getByTestId('recovery-code').count()).toBeGreaterThanOrEqual(8);
    await page.getByTestId('recovery-codes-done').click();

    const fresh = await web.newPage();
    await fresh.page.goto('/login');
    await fresh.page.getByLabel('E-mail').fill(user.email);
    await fresh.page.getByRole('textbox', { name: 'Password' }).fill(user.password);
    await fresh.page.getByRole('button', { name: 'Log in' }).click();
    const code = fresh.page.getByLabel('Authentication code');
    await code.waitFor();
    // The next time step: the one used to turn it on cannot be used again.
    await code.fill(totp.generate({ timestamp: now + 30_000 }));
    await fresh.page.getByRole('button', { name: 'Log in' }).click();
    await fresh.page.waitForURL(/\/chat$/);
    const expected = /status of 401/;
    expect(fresh.problems.filter((problem) => !expected.test(problem))).toEqual([]);
    expect(problems).toEqual([]);
  });

  it('turns chat history off from the settings', async () => {
    const user = await web.creditedUser('1');
    const { page, problems } = await web.newPage({ user });
    await page.goto('/settings?tab=privacy');
    await page.getByTestId('preferences-history').click();
    // Leaving the page before the save is answered would abort it: wait for the answer.
    const saved = answerTo(page, 'PUT', '/api/account/preferences');
    await page.getByTestId('preferences-save').click();
    expect((await saved).status()).toBe(200);
    await page.goto('/chat');
    await page.getByTestId('history-off-notice').waitFor();
    expect(problems).toEqual([]);
  });

  it('creates an organisation and invites a member who accepts by the mailed link', async () => {
    const owner = await web.creditedUser('1');
    const invitee = await web.creditedUser('1');
    const { page, problems } = await web.newPage({ user: owner });
    await page.goto('/organisation');
    await page.getByTestId('organisation-create').first().click();
    await page.getByTestId('create-organisation-name').fill('Browser Test Ltd');
    await page.getByTestId('create-organisation-authority').click();
    await page.getByTestId('create-organisation-submit').click();
    await page.getByTestId('organisation-name').filter({ hasText: 'Browser Test Ltd' }).waitFor();
    await page.getByTestId('invite-email').fill(invitee.email);
    await page.getByTestId('invite-submit').click();
    await page.getByTestId('invitation-row').first().waitFor();

    const mail = web.server.mailbox.messages.findLast((message) => message.to === invitee.email);
    const link = /\/invitations\/accept\?token=[\w-]+/.exec(mail?.text ?? '')?.[0];
    expect(link).toBeDefined();
    const other = await web.newPage({ user: invitee });
    await other.page.goto(link!);
    await other.page.getByTestId('invitation-accept').click();
    await other.page.waitForURL(/\/organisation\?id=/);
    await other.page.getByTestId('organisation-name').filter({ hasText: 'Browser Test Ltd' }).waitFor();

    await page.reload();
    await expect.poll(() => page.getByTestId('member-row').count()).toBe(2);
    expect(problems).toEqual([]);
    expect(other.problems).toEqual([]);
  });
});
