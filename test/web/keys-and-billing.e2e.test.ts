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
});
