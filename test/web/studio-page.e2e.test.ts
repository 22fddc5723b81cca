import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAmount } from '../../src/lib/money.js';
import type { SignedInUser } from '../test-app.js';
import { startWebTest, type WebTest } from './web-test.js';

describe('the studio, in a real browser', () => {
  let web: WebTest;
  let user: SignedInUser;
  beforeAll(async () => {
    web = await startWebTest();
    user = await web.creditedUser('2');
  });
  afterAll(async () => {
    await web?.close();
  });

  it('generates an image that shows its cost, model and label, and the balance drops by that cost', async () => {
    const { page, problems } = await web.newPage({ user });
    await page.goto('/studio');
    await page.getByTestId('header-balance').waitFor();
    const before = parseAmount((await page.getByTestId('header-balance').getAttribute('data-amount'))!);
    await page.getByTestId('studio-prompt').fill('A lighthouse at dusk');
    await page.getByTestId('studio-generate').click();

    const item = page.getByTestId('gallery-item').first();
    await item.locator('img').first().waitFor();
    await item.getByTestId('ai-label').waitFor();
    const shown = parseAmount((await item.getByTestId('output-cost').innerText()).replace(/[^\d.]/g, ''));
    const recorded = await web.server.ctx.db.execute<{ cost: string; model: string }>(
      sql`SELECT cost::text AS cost, model FROM generations WHERE user_id = ${user.userId} ORDER BY created_at DESC LIMIT 1`,
    );
    expect(shown).toBe(BigInt(recorded.rows[0]!.cost));
    expect(await item.innerText()).toContain(recorded.rows[0]!.model);
    await expect
      .poll(async () => parseAmount((await page.getByTestId('header-balance').getAttribute('data-amount'))!))
      .toBe(before - shown);

    // The image is served back to its owner, and is there after a reload.
    const src = await item.locator('img').first().getAttribute('src');
    const image = await page.request.get(src!);
    expect(image.status()).toBe(200);
    expect(image.headers()['content-type']).toBe('image/png');
    await page.reload();
    await page.getByTestId('gallery-item').first().locator('img').first().waitFor();
    expect(problems).toEqual([]);
  });
});
