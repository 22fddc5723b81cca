import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedInUser } from '../test-app.js';
import { startWebTest, type WebTest } from './web-test.js';

describe('the API keys and billing pages, in a real browser', () => {
  let web: WebTest;
  let user: SignedInUser;
  beforeAll(async () => {
    web = await startWebTest();
    user = await web.creditedUser('3');
  });
  afterAll(async () => {
    await web?.close();
  });

  it('creates a key shown once, which works, and revokes it, after which it does not', async () => {
    const { page, problems } = await web.newPage({ user });
    await page.goto('/keys');
    await page.getByTestId('create-key-button').click();
    await page.getByTestId('create-key-name').fill('browser test key');
    await page.getByTestId('create-key-submit').click();
    const key = (await page.getByTestId('created-key-value').innerText()).trim();
    expect(key).toMatch(/^mg-/);
    // The examples use this instance's base URL and the new key.
    expect(await page.getByTestId('created-key-modal').innerText()).toContain(`${web.server.url}/v1`);
    const models = () =>
      fetch(`${web.server.url}/v1/models`, { headers: { authorization: `Bearer ${key}` } });
    expect((await models()).status).toBe(200);
    await page.getByTestId('created-key-done').click();

    const row = page.getByTestId('key-row').filter({ hasText: 'browser test key' }).first();
    await row.waitFor();
    // The key itself is never shown again: only its prefix.
    expect(await page.locator('body').innerText()).not.toContain(key);
    await row.getByTestId('key-revoke-button').click();
    await page.getByTestId('revoke-key-confirm').click();
    await expect.poll(() => row.getByTestId('key-status').innerText()).toMatch(/revoked/i);
    // The key cache may hold it for its short TTL; the server refuses it once that passes.
    await expect.poll(async () => (await models()).status, { timeout: 15_000 }).toBe(401);
    expect(problems).toEqual([]);
  });

  it('shows the balance and the transactions, and downloads them as CSV', async () => {
    const { page, problems } = await web.newPage({ user });
    await page.goto('/billing');
    await page.getByTestId('balance-available').waitFor();
    expect(await page.getByTestId('balance-available').innerText()).toContain('3.00');
    const credit = page.getByTestId('transaction-row').first();
    await credit.waitFor();
    const download = page.waitForEvent('download');
    await page.getByTestId('transactions-download-csv').click();
    const csv = await readFile((await (await download).path())!, 'utf8');
    expect(csv.split('\n')[0]).toMatch(/amount/i);
    expect(csv).toContain('3.000000');
    expect(problems).toEqual([]);
  });

  it("plots a key's spend by day under its name, and shows it against the key's limit", async () => {
    const created = await web.server.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: user.headers,
      payload: { name: 'nightly batch', spendLimit: '2', spendLimitPeriod: 'month' },
    });
    expect(created.statusCode).toBe(201);
    const { key } = created.json() as { key: string };
    const chat = await fetch(`${web.server.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'Hello' }] }),
    });
    expect(chat.status).toBe(200);
    const cost = chat.headers.get('x-mixgate-cost')!;
    expect(cost).toMatch(/^0\.0*[1-9]/);
    // As the page shows it: trailing zeros dropped, two decimals kept ("0.000012", "0.10").
    const shown = cost.replace(/(\.\d\d\d*?)0+$/, '$1');
    await web.server.ctx.gateway.settlements.drain();

    const { page, problems } = await web.newPage({ user });
    await page.goto('/billing');
    const chart = page.getByTestId('spend-chart-days');
    await chart.waitFor();
    expect(await chart.innerText()).not.toContain('nightly batch');
    await page.getByTestId('spend-breakdown').getByText('By key').click();
    await expect.poll(() => chart.getAttribute('data-breakdown')).toBe('key');
    // The legend names the key; the table gives its exact amount for today.
    await expect.poll(() => chart.innerText()).toContain('nightly batch');
    await page.getByTestId('spend-days-table-toggle').click();
    const table = page.getByTestId('spend-days-table');
    expect(await table.locator('thead').innerText()).toContain('nightly batch');
    const today = table.locator('tbody tr').last();
    expect(await today.innerText()).toContain(shown);

    await page.goto('/keys');
    const row = page.getByTestId('key-row').filter({ hasText: 'nightly batch' });
    const usage = row.getByTestId('key-limit-usage');
    await usage.waitFor();
    expect(await usage.innerText()).toBe(`${shown} of 2.00 USD this month`);
    expect(await usage.getByRole('progressbar', { name: /nightly batch/ }).count()).toBe(1);
    expect(problems).toEqual([]);
  });
});
