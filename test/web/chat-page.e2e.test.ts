import { readFile } from 'node:fs/promises';
import { sql } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatAmount, parseAmount } from '../../src/lib/money.js';
import type { SignedInUser } from '../test-app.js';
import { answerTo, startWebTest, type WebTest } from './web-test.js';

const MODEL = 'openai/gpt-4o-mini';

async function chooseModel(page: Page, id: string) {
  const picker = page.locator('input[aria-label="Model"]');
  await picker.click();
  await picker.fill('gpt-4o mini');
  await page
    .getByRole('option', { name: /GPT-4o mini/i })
    .first()
    .click();
  await expect
    .poll(() => page.evaluate<string | null>("localStorage.getItem('mixgate-chat-model')"))
    .toBe(JSON.stringify(id));
}

async function sendMessage(page: Page, text: string) {
  // The message box takes input at once; sending waits for a model, which comes with /v1/models.
  await expect
    .poll(() => page.locator('input[aria-label="Model"]').inputValue(), { timeout: 15_000 })
    .not.toBe('');
  await page.getByTestId('composer-input').fill(text);
  await page.getByTestId('send-button').click();
}

/** The header's available balance, in micros. */
async function headerBalance(page: Page): Promise<bigint> {
  return parseAmount((await page.getByTestId('header-balance').getAttribute('data-amount')) ?? '');
}

describe('the chat page, in a real browser', () => {
  let web: WebTest;
  let user: SignedInUser;
  beforeAll(async () => {
    web = await startWebTest();
    user = await web.creditedUser('5');
  });
  afterAll(async () => {
    await web?.close();
  });

  it('streams an answer, shows its cost and model, and the balance drops by that cost', async () => {
    const { page, problems } = await web.newPage({ user });
    await page.goto('/chat');
    await expect.poll(() => headerBalance(page)).toBe(5_000_000n);
    await chooseModel(page, MODEL);

    web.server.fakes.openai.enqueue({ text: 'Here is the code:\n\n```js\nconsole.log("hi");\n```\n\nDone.' });
    await sendMessage(page, 'Write a tiny program');
    await page.waitForURL(/\/chat\/[0-9a-f-]{36}$/);
    const answer = page.getByTestId('message-assistant').last();
    await answer.getByText('Done.').waitFor();
    // The code block is highlighted (its own chunk) and has a copy button.
    await answer.getByRole('button', { name: 'Copy code' }).waitFor();
    await answer.getByTestId('message-cost').waitFor();
    expect(await answer.getByTestId('message-model').innerText()).toBe(MODEL);
    await answer.getByTestId('ai-label').waitFor();

    const shownCost = parseAmount(
      (await answer.getByTestId('message-cost').innerText()).replace(/[^\d.]/g, ''),
    );
    // Read from the database directly: first let any journaled capture reach it.
    await web.server.ctx.gateway.settlements.committed();
    const recorded = await web.server.ctx.db.execute<{ cost: string }>(
      sql`SELECT cost::text AS cost FROM generations WHERE user_id = ${user.userId} ORDER BY created_at DESC LIMIT 1`,
    );
    expect(shownCost).toBe(BigInt(recorded.rows[0]!.cost));
    expect(shownCost).toBeGreaterThan(0n);
    await expect.poll(() => headerBalance(page)).toBe(5_000_000n - shownCost);
    expect(problems).toEqual([]);
  });

  it('regenerates an answer as a second version and switches between versions', async () => {
    const { page, problems } = await web.newPage({ user });
    await page.goto('/chat');
    web.server.fakes.openai.enqueue({ text: 'First version.' }, { text: 'Second version.' });
    await sendMessage(page, 'Say something');
    await page.getByText('First version.').waitFor();
    await page.getByRole('button', { name: 'Regenerate answer' }).click();
    await page.getByText('Second version.').waitFor();
    await expect.poll(() => page.getByTestId('branch-switcher').innerText()).toContain('2/2');
    // The page shows the chosen version at once and saves it with a PATCH: a reload before its
    // answer would abort it.
    const selected = answerTo(page, 'PATCH', /^\/api\/conversations\/[^/]+$/);
    await page.getByRole('button', { name: 'Previous version' }).click();
    await page.getByText('First version.').waitFor();
    expect((await selected).status()).toBe(200);
    // The shown branch is remembered across reloads.
    await page.reload();
    await page.getByText('First version.').waitFor();
    expect(problems).toEqual([]);
  });

  it('stops a streaming answer and keeps the part that was shown, paid for', async () => {
    const { page, problems } = await web.newPage({ user });
    await page.goto('/chat');
    const words = Array.from({ length: 60 }, (_, index) => `word${index}`).join(' ');
    web.server.fakes.openai.enqueue({ text: words, chunkDelayMs: 100 });
    await sendMessage(page, 'Count slowly');
    await page.getByText('word3', { exact: false }).waitFor();
    await page.getByTestId('stop-button').click();
    await page.getByText('Stopped. You paid only for the part shown.').waitFor({ timeout: 10_000 });
    await web.server.ctx.gateway.settlements.committed();
    const stored = await web.server.ctx.db.execute<{ status: string; cost: string }>(
      sql`SELECT status, cost::text AS cost FROM generations WHERE user_id = ${user.userId} ORDER BY created_at DESC LIMIT 1`,
    );
    expect(stored.rows[0]!.status).toBe('cancelled');
    const text = await page.getByTestId('message-assistant').last().getByTestId('assistant-text').innerText();
    expect(text).not.toContain('word59');
    expect(formatAmount(BigInt(stored.rows[0]!.cost))).toMatch(/^0\.\d{6}$/);
    expect(problems).toEqual([]);
  });

  it('renames, exports as Markdown and deletes a conversation', async () => {
    const { page, problems } = await web.newPage({ user });
    await page.goto('/chat');
    web.server.fakes.openai.enqueue({ text: 'Exported answer.' });
    await sendMessage(page, 'Something to export');
    await page.getByText('Exported answer.').waitFor();
    const item = page.getByTestId('conversation-item').filter({ hasText: 'Something to export' });
    await item.getByRole('button', { name: /Actions for/ }).click();
    const download = page.waitForEvent('download');
    await page.getByRole('menuitem', { name: 'Export as Markdown' }).click();
    const markdown = await readFile((await (await download).path())!, 'utf8');
    expect(markdown).toContain('Something to export');
    expect(markdown).toContain('Exported answer.');

    await item.getByRole('button', { name: /Actions for/ }).click();
    await page.getByRole('menuitem', { name: 'Rename' }).click();
    await page.getByRole('textbox', { name: 'New title' }).fill('Renamed chat');
    await page.getByRole('button', { name: 'Rename' }).click();
    const renamed = page.getByTestId('conversation-item').filter({ hasText: 'Renamed chat' });
    await renamed.waitFor();

    await renamed.getByRole('button', { name: /Actions for/ }).click();
    await page.getByRole('menuitem', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await renamed.waitFor({ state: 'detached' });
    await page.waitForURL(/\/chat$/);
    expect(problems).toEqual([]);
  });

  it('with history off, chats through the public API and keeps nothing', async () => {
    const private_ = await web.creditedUser('1');
    const off = await fetch(`${web.server.url}/api/account/preferences`, {
      method: 'PUT',
      headers: { ...private_.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ historyEnabled: false }),
    });
    expect(off.status).toBe(200);
    const { page, problems } = await web.newPage({ user: private_ });
    await page.goto('/chat');
    await page.getByTestId('history-off-notice').waitFor();
    web.server.fakes.openai.enqueue({ text: 'Not kept anywhere.' });
    await sendMessage(page, 'A private question');
    await page.getByText('Not kept anywhere.').waitFor();
    await page.getByTestId('message-assistant').last().getByTestId('message-cost').waitFor();
    const kept = await web.server.ctx.db.execute<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM conversations WHERE user_id = ${private_.userId}`,
    );
    expect(kept.rows[0]!.count).toBe(0);
    await page.reload();
    await page.getByTestId('history-off-notice').waitFor();
    expect(await page.getByText('Not kept anywhere.').count()).toBe(0);
    expect(problems).toEqual([]);
  });
});
