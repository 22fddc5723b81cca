import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createUserByOperator } from '../../src/console/create-staff.js';
import { logInAs } from '../test-app.js';
import { startWebTest, type WebTest } from './web-test.js';

describe('signing up, verifying and logging in, in a real browser', () => {
  let web: WebTest;
  beforeAll(async () => {
    web = await startWebTest();
  });
  afterAll(async () => {
    await web?.close();
  });

  it('takes a new person from sign-up to the chat page', async () => {
    const { page, problems } = await web.newPage();
    await page.goto('/');
    // Signed out: the app sends the visitor to log in, from where sign-up is one link away.
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole('link', { name: 'Create an account' }).click();

    await page.getByRole('button', { name: 'Create account' }).click();
    await expect.poll(() => page.getByText('You must be 18 or older to use Mixgate').count()).toBe(1);
    await expect.poll(() => page.getByText('Enter a valid e-mail address').count()).toBe(1);

    const email = `browser${Date.now()}@example.com`;
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Username').fill(`browser${Date.now()}`);
    await page.getByLabel('Password', { exact: false }).first().fill('password123');
    await page.getByLabel('I am 18 years of age or older').check();
    await page.getByLabel(/I accept the/).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    // The server's own verdict on a common password, shown on the field.
    await expect.poll(() => page.getByText(/common|guess/i).count()).toBeGreaterThan(0);

    await page.getByLabel('Password', { exact: false }).first().fill('a long and unusual pass phrase');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();

    const token = web.server.mailbox.lastToken(email);
    await page.goto(`/verify-email?token=${token}`);
    await page.getByRole('heading', { name: 'E-mail confirmed' }).waitFor();
    await page.getByRole('link', { name: 'Log in' }).click();

    await page.getByLabel('E-mail').fill(email);
    await page.getByRole('textbox', { name: 'Password' }).fill('wrong password here');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    await page.getByRole('textbox', { name: 'Password' }).fill('a long and unusual pass phrase');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/chat$/);
    await page.getByTestId('header-balance').waitFor();
    // The refused sign-up (400), the wrong password and the signed-out session check (401) are
    // logged by the browser itself; anything else is the app's fault.
    const expected = /Failed to load resource: the server responded with a status of (400|401)/;
    expect(problems.filter((problem) => !expected.test(problem))).toEqual([]);
  });

  it('asks a user the operator created to accept the documents before anything else', async () => {
    const email = `operator-made${Date.now()}@example.com`;
    await createUserByOperator(web.server.ctx, { email, password: 'an operator chose this one' });
    const user = await logInAs(web.server, email, 'an operator chose this one');
    const { page, problems } = await web.newPage({ user });
    await page.goto('/chat');
    await page.getByTestId('legal-acceptance-gate').waitFor();
    expect(await page.getByTestId('composer-input').count()).toBe(0);
    expect(await page.getByTestId('legal-accept').isDisabled()).toBe(true);
    await page.getByLabel(/I have read them and accept/).check();
    await page.getByTestId('legal-accept').click();
    await page.getByTestId('composer-input').waitFor();
    await page.reload();
    await page.getByTestId('composer-input').waitFor();
    expect(await page.getByTestId('legal-acceptance-gate').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
