/**
 * The message box takes input before the model list has arrived (it comes with /v1/models): a
 * message sent then is not lost. The send button says the models are loading, and the message
 * goes as soon as a model is there.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebTest, type WebTest } from './web-test.js';

describe('sending before the models have loaded, in a real browser', () => {
  let web: WebTest;
  beforeAll(async () => {
    web = await startWebTest();
  });
  afterAll(async () => {
    await web?.close();
  });

  it('keeps the message, says the models are loading, and sends it once a model is there', async () => {
    const user = await web.creditedUser('1');
    const { page, problems } = await web.newPage({ user });
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The model list answers only when the test says so (the page's preload and its own request alike).
    await page.route('**/v1/models', async (route) => {
      await held;
      await route.continue();
    });
    web.server.fakes.openai.enqueue({ text: 'Sent after all.' });

    await page.goto('/chat');
    const box = page.getByTestId('composer-input');
    await box.fill('Written before the models came');
    await box.press('Enter');
    const send = page.getByTestId('send-button');
    await expect.poll(() => send.innerText()).toBe('Loading models…');
    expect(await send.getAttribute('data-queued')).toBe('true');
    expect(await box.inputValue()).toBe('Written before the models came');

    release();
    await page.getByText('Sent after all.').waitFor();
    await page.getByTestId('message-user').getByText('Written before the models came').waitFor();
    expect(await box.inputValue()).toBe('');
    expect(problems).toEqual([]);
  });
});
