/**
 * The acceptance: a person who has never seen Mixgate signs up, chats, generates an image
 * and finds what each cost, using only what the pages show (no test ids where a person would read
 * a label), and the keyboard alone is enough to send a message.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findUserByEmail } from '../../src/accounts/find-user.js';
import { parseAmount } from '../../src/lib/money.js';
import { startWebTest, type WebTest } from './web-test.js';

const MESSAGE_BOX_FOCUSED = "document.activeElement?.getAttribute('aria-label') === 'Message'";
const amountIn = (text: string) => parseAmount(/\d+\.\d+/.exec(text)![0]);

describe('a first visit, in a real browser', () => {
  let web: WebTest;
  beforeAll(async () => {
    web = await startWebTest();
  });
  afterAll(async () => {
    await web?.close();
  });

  it('signs up, chats, makes an image and finds both costs on the billing page', async () => {
    const { page, problems } = await web.newPage();
    const email = `first-visit${Date.now()}@example.com`;
    await page.goto('/');
    await page.getByRole('link', { name: 'Create an account' }).click();
    await page.getByLabel('E-mail').fill(email);
    await page.getByLabel('Username').fill(`firstvisit${Date.now()}`);
    await page.getByLabel('Password', { exact: false }).first().fill('a first visit pass phrase');
    await page.getByLabel('I am 18 years of age or older').check();
    await page.getByLabel(/I accept the/).check();
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.getByRole('heading', { name: 'Check your e-mail' }).waitFor();
    await page.goto(`/verify-email?token=${web.server.mailbox.lastToken(email)}`);
    await page.getByRole('link', { name: 'Log in' }).click();
    await page.getByLabel('E-mail').fill(email);
    await page.getByRole('textbox', { name: 'Password' }).fill('a first visit pass phrase');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL(/\/chat$/);

    // The operator gives the new user credit (top-ups arrive with payments).
    const user = await findUserByEmail(web.server.ctx.db, email);
    await web.credit(user!.id, '2');
    await page.reload();

    // Chat, by keyboard only: Tab until the message box has focus, type, Enter (once a model is
    // chosen: the first of the list, when /v1/models has answered).
    web.server.fakes.openai.enqueue({ text: 'Welcome to Mixgate.' });
    await expect
      .poll(() => page.locator('input[aria-label="Model"]').inputValue(), { timeout: 15_000 })
      .not.toBe('');
    for (let presses = 0; presses < 40; presses++) {
      if (await page.evaluate<boolean>(MESSAGE_BOX_FOCUSED)) break;
      await page.keyboard.press('Tab');
    }
    expect(await page.evaluate<boolean>(MESSAGE_BOX_FOCUSED)).toBe(true);
    await page.keyboard.type('Hello there');
    await page.keyboard.press('Enter');
    await page.getByText('Welcome to Mixgate.').waitFor();
    const chatCost = amountIn(
      await page
        .getByText(/· \d+\.\d+/)
        .last()
        .innerText(),
    );

    // An image, from the navigation.
    await page.getByRole('link', { name: 'Studio' }).click();
    await page.getByRole('textbox', { name: 'Prompt' }).fill('A lighthouse at dusk');
    await page.getByRole('button', { name: /Generate/ }).click();
    const card = page.getByTestId('gallery-item').first();
    await card.locator('img').first().waitFor();
    await card.getByText('AI-generated').waitFor();
    const imageCost = amountIn(await card.getByTestId('output-cost').innerText());

    // Billing shows both as usage, with the same amounts.
    await page.getByRole('link', { name: 'Billing' }).click();
    const usage = page.locator('[data-testid="transaction-row"][data-kind="usage"]');
    await expect.poll(() => usage.count()).toBe(2);
    const amounts = await usage.locator('[data-testid="transaction-amount"]').allInnerTexts();
    expect(amounts.map(amountIn).sort()).toEqual([chatCost, imageCost].sort());
    // The signed-out visit's session checks answer 401, as they should; nothing else may fail.
    expect(problems.filter((problem) => !/status of 401/.test(problem))).toEqual([]);
  });
});
