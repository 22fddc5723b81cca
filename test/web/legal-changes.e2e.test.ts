/**
 * A new version of the terms in a real browser: an admin publishes a material change; a user sees
 * the notice on every page and the word-by-word comparison, and can dismiss the notice for good;
 * once the change takes effect the user must accept it, with the comparison one click away, and
 * the acceptance of the exact new version is on record.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { and, eq } from 'drizzle-orm';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../../src/console/create-staff.js';
import { legalAcceptances } from '../../src/db/schema/index.js';
import { getCurrentDocument } from '../../src/privacy/legal/current-documents.js';
import { logInAs, signUpAndLogIn } from '../test-app.js';
import { startWebTest, type WebTest } from './web-test.js';

const DAY_MS = 24 * 60 * 60_000;
const OLD_SENTENCE = 'We strongly recommend enabling two-factor authentication.';
const NEW_SENTENCE = 'We require two-factor authentication for every account.';

describe('a change to the terms, in a real browser', () => {
  let web: WebTest;
  beforeAll(async () => {
    web = await startWebTest({ LEGAL_NOTICE_DAYS: '1' });
  });
  afterAll(async () => {
    await web?.close();
  });

  it('is announced with its changes, then accepted once it takes effect', async () => {
    const { ctx, clock } = web.server;
    const user = await signUpAndLogIn(web.server);
    const adminEmail = `legal-${randomUUID().slice(0, 8)}@example.com`;
    await createStaffUser(ctx, { email: adminEmail, password: 'an administrator', role: 'admin' });
    const admin = await logInAs(web.server, adminEmail, 'an administrator');

    const current = await getCurrentDocument(ctx.db, 'terms', 'en', ctx.now());
    if (!current) throw new Error('no terms in effect');
    expect(current.bodyMarkdown).toContain(OLD_SENTENCE);
    const version = `${current.version}-2fa`;
    const published = await fetch(`${web.server.url}/api/console/legal-documents`, {
      method: 'POST',
      headers: { ...admin.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        type: 'terms',
        version,
        language: 'en',
        title: current.title,
        bodyMarkdown: current.bodyMarkdown.replace(OLD_SENTENCE, NEW_SENTENCE),
        material: true,
        changeSummary: 'Two-factor authentication becomes mandatory.',
        effectiveAt: new Date(ctx.now().getTime() + DAY_MS + 60 * 60_000).toISOString(),
      }),
    });
    expect(published.status, await published.clone().text()).toBe(201);

    const { page, problems } = await web.newPage({ user });
    await page.goto('/keys');
    const banner = page.locator(`[data-testid=legal-change-banner][data-version="${version}"]`);
    await banner.getByText(`The ${current.title} changes on`).waitFor();
    await banner.getByText('You will be asked to accept it after that date.').waitFor();
    await banner.getByText('Two-factor authentication becomes mandatory.').waitFor();
    expect(await seriousAccessibilityFaults(page)).toEqual([]);

    await banner.getByRole('button', { name: 'See what changes' }).click();
    const comparison = page.getByRole('dialog', { name: `What changes in the ${current.title}` });
    await expectChangedWords(comparison);
    await comparison.getByRole('link', { name: 'Read the full new version' }).waitFor();
    expect(await seriousAccessibilityFaults(page)).toEqual([]);
    await comparison.getByRole('button', { name: 'Close' }).click();
    await comparison.waitFor({ state: 'detached' });

    // Dismissed, the notice stays away, on this page and the next.
    await banner.getByRole('button', { name: 'Dismiss this notice' }).click();
    await banner.waitFor({ state: 'detached' });
    await page.goto('/settings');
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    expect(await banner.count()).toBe(0);

    clock.advance(2 * DAY_MS);
    await page.reload();
    const gate = page.getByTestId('legal-acceptance-gate');
    const terms = gate.locator('[data-testid=legal-pending-document][data-type=terms]');
    await terms.getByText(`updated from version ${current.version}`).waitFor();
    await terms.getByRole('button', { name: 'See what changed' }).click();
    await expectChangedWords(page.getByRole('dialog', { name: `What changes in the ${current.title}` }));
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });

    await gate.getByLabel('I have read them and accept').check();
    await page.getByTestId('legal-accept').click();
    await gate.waitFor({ state: 'detached' });
    await page.getByRole('heading', { level: 1 }).first().waitFor();

    const accepted = await ctx.db
      .select({ version: legalAcceptances.documentVersion })
      .from(legalAcceptances)
      .where(and(eq(legalAcceptances.userId, user.userId), eq(legalAcceptances.documentType, 'terms')));
    expect(accepted.map((row) => row.version)).toContain(version);
    expect(problems).toEqual([]);
  });
});

/** The comparison shows the removed and the added words, and leaves most of the unchanged text out. */
async function expectChangedWords(comparison: Locator) {
  await comparison.locator('del', { hasText: 'recommend' }).waitFor();
  await comparison.locator('ins', { hasText: 'require' }).waitFor();
  expect(await comparison.locator('ins', { hasText: 'recommend' }).count()).toBe(0);
  expect(await comparison.getByText('…', { exact: true }).count()).toBeGreaterThan(0);
}

/** axe-core's serious and critical findings on the page as shown (as in every-page.e2e.test.ts). */
async function seriousAccessibilityFaults(page: Page): Promise<string[]> {
  const axe = await readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');
  await page.evaluate(axe);
  const { violations } = await page.evaluate<{
    violations: Array<{ id: string; impact: string | null; nodes: Array<{ target: string[] }> }>;
  }>("axe.run({ resultTypes: ['violations'] })");
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map(
      (violation) => `${violation.id}: ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
    );
}
