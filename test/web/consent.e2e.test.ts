/**
 * The cookie test, in a real browser, with an operator's analytics script served by a
 * small local server: before consent, no request to it and no cookie beyond the essential one
 * (mg_session, HttpOnly, only once signed in; the CSRF token travels in a header, not a cookie);
 * after accepting, the script loads (and sets its cookie); after withdrawing from the footer's
 * "Cookie settings", the page reloads without it and its cookie is gone; with Global Privacy
 * Control it never loads and nobody is asked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { sql } from 'drizzle-orm';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWebTest, type WebTest } from './web-test.js';

const SCRIPT_COOKIE = 'mg_test_analytics';

/** Serves /script.js, which sets a first-party cookie as analytics scripts do, and counts requests. */
async function startAnalyticsServer(): Promise<{
  url: string;
  requests: () => number;
  close(): Promise<void>;
}> {
  let count = 0;
  const server: Server = createServer((_request, response) => {
    count += 1;
    response.writeHead(200, { 'content-type': 'text/javascript', 'cache-control': 'no-store' });
    response.end(`document.cookie = '${SCRIPT_COOKIE}=1; path=/; max-age=3600';`);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/script.js`,
    requests: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

// Signed out, the app's session check answers 401 by design: the browser logs it as an error.
const unexpected = (problems: string[]) => problems.filter((problem) => !problem.includes('status of 401'));

const cookieNames = async (context: BrowserContext) =>
  (await context.cookies()).map((cookie) => cookie.name).sort();

/** The page has asked the server for its consent state and everything it started has finished. */
async function settled(page: Page, load: () => Promise<unknown>): Promise<void> {
  await Promise.all([
    page.waitForResponse((response) => new URL(response.url()).pathname === '/api/privacy/consent'),
    load(),
  ]);
  await page.waitForLoadState('networkidle');
}

describe('cookies and consent, in a real browser', () => {
  let web: WebTest;
  let analytics: Awaited<ReturnType<typeof startAnalyticsServer>>;
  beforeAll(async () => {
    analytics = await startAnalyticsServer();
    web = await startWebTest({ ANALYTICS_SCRIPT_URL: analytics.url });
  });
  afterAll(async () => {
    await web?.close();
    await analytics?.close();
  });

  it('loads nothing before consent, the script after it, and nothing again after withdrawal', async () => {
    const { page, context, problems } = await web.newPage();
    const before = analytics.requests();
    await settled(page, () => page.goto('/login'));

    const banner = page.getByRole('region', { name: 'Cookie consent' });
    await banner.waitFor();
    // Not blocking: the form behind it still works; the refusal is the focused default.
    expect(await page.evaluate<string | null>('document.activeElement?.textContent ?? null')).toBe(
      'Essential only',
    );
    await page.getByLabel('E-mail').fill('still@usable.example');
    expect(analytics.requests()).toBe(before);
    expect(await cookieNames(context)).toEqual([]);
    expect(await page.evaluate<string | null>("localStorage.getItem('mg_consent_visitor')")).toBeNull();

    await banner.getByRole('button', { name: 'Accept analytics' }).click();
    await expect.poll(() => analytics.requests()).toBe(before + 1);
    await expect.poll(() => cookieNames(context)).toEqual([SCRIPT_COOKIE]);
    await banner.waitFor({ state: 'detached' });

    // Remembered for this browser: no banner after a reload, and the script comes back.
    await settled(page, () => page.reload());
    expect(await banner.count()).toBe(0);
    await expect.poll(() => analytics.requests()).toBe(before + 2);

    // Withdrawn from the footer: the page reloads without the script, and its cookie is gone.
    await page.getByRole('button', { name: 'Cookie settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cookie settings' });
    await dialog.getByRole('switch', { name: 'Analytics' }).uncheck();
    const reloaded = page.waitForEvent('load');
    await dialog.getByRole('button', { name: 'Save choices' }).click();
    await reloaded;
    await page.waitForLoadState('networkidle');
    const afterWithdrawal = analytics.requests();
    expect(await cookieNames(context)).toEqual([]);
    await settled(page, () => page.reload());
    expect(analytics.requests()).toBe(afterWithdrawal);
    expect(afterWithdrawal).toBe(before + 2);
    expect(await cookieNames(context)).toEqual([]);
    expect(await banner.count()).toBe(0);

    const visitorId = await page.evaluate<string | null>("localStorage.getItem('mg_consent_visitor')");
    const rows = await web.server.ctx.db.execute<{ granted: boolean; source: string }>(
      sql`SELECT granted, source FROM consent_records WHERE visitor_id = ${visitorId} ORDER BY id`,
    );
    expect(rows.rows).toEqual([
      { granted: true, source: 'banner' },
      { granted: false, source: 'settings' },
    ]);
    expect(unexpected(problems)).toEqual([]);
  });

  it('asks a signed-in user, keeps only mg_session until they agree, and offers the choice per purpose', async () => {
    const user = await web.creditedUser('1');
    const { page, context, problems } = await web.newPage({ user });
    const before = analytics.requests();
    await settled(page, () => page.goto('/chat'));
    const banner = page.getByRole('region', { name: 'Cookie consent' });
    await banner.waitFor();
    expect(analytics.requests()).toBe(before);
    expect(await cookieNames(context)).toEqual(['mg_session']);

    // "Choose" opens the settings, analytics off until turned on.
    await banner.getByRole('button', { name: 'Choose' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cookie settings' });
    const analyticsSwitch = dialog.getByRole('switch', { name: 'Analytics' });
    expect(await analyticsSwitch.isChecked()).toBe(false);
    expect(await dialog.getByRole('switch', { name: 'Essential' }).isDisabled()).toBe(true);
    await analyticsSwitch.check();
    await dialog.getByRole('button', { name: 'Save choices' }).click();
    await expect.poll(() => analytics.requests()).toBe(before + 1);
    expect(await banner.count()).toBe(0);

    const history = await page.evaluate<{ records: Array<{ granted: boolean; source: string }> }>(
      "fetch('/api/privacy/consent/history').then((response) => response.json())",
    );
    expect(history.records.map(({ granted, source }) => ({ granted, source }))).toEqual([
      { granted: true, source: 'banner' },
    ]);
    expect(unexpected(problems)).toEqual([]);
  });

  it('never loads the script nor asks when the browser sends Global Privacy Control', async () => {
    const user = await web.creditedUser('1');
    const context = await web.newContext({ extraHTTPHeaders: { 'Sec-GPC': '1' } });
    try {
      await context.addInitScript(
        "Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true })",
      );
      const before = analytics.requests();
      const page = await context.newPage();

      // Signed out: no banner, nothing loaded, nothing stored.
      await settled(page, () => page.goto('/login'));
      expect(await page.getByRole('region', { name: 'Cookie consent' }).count()).toBe(0);
      expect(await page.evaluate<string | null>("localStorage.getItem('mg_consent_visitor')")).toBeNull();

      // Signed in: the same, and the signal is put on record as the user's refusal.
      const [name, value] = user.cookie.split('=') as [string, string];
      await context.addCookies([{ name, value, url: web.server.url }]);
      await settled(page, () => page.goto('/chat'));
      expect(await page.getByRole('region', { name: 'Cookie consent' }).count()).toBe(0);
      await expect
        .poll(async () => {
          const rows = await web.server.ctx.db.execute<{ granted: boolean; source: string }>(
            sql`SELECT granted, source FROM consent_records WHERE user_id = ${user.userId}`,
          );
          return rows.rows;
        })
        .toEqual([{ granted: false, source: 'gpc' }]);

      await page.getByRole('button', { name: 'Cookie settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Cookie settings' });
      await dialog.getByText('Global Privacy Control').waitFor();
      expect(await dialog.getByRole('switch', { name: 'Analytics' }).isDisabled()).toBe(true);
      expect(analytics.requests()).toBe(before);
      expect(await cookieNames(context)).toEqual(['mg_session']);
    } finally {
      await context.close();
    }
  });
});

describe('cookies without analytics configured', () => {
  let web: WebTest;
  beforeAll(async () => {
    web = await startWebTest();
  });
  afterAll(async () => {
    await web?.close();
  });

  it('asks nothing, and the cookie settings say only essential cookies are used', async () => {
    const { page, context, problems } = await web.newPage();
    await settled(page, () => page.goto('/login'));
    expect(await page.getByRole('region', { name: 'Cookie consent' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Cookie settings' }).click();
    const dialog = page.getByRole('dialog', { name: 'Cookie settings' });
    await dialog.getByText('This site uses only essential cookies.').waitFor();
    expect(await dialog.getByRole('switch', { name: 'Analytics' }).count()).toBe(0);
    expect(await cookieNames(context)).toEqual([]);
    expect(unexpected(problems)).toEqual([]);
  });
});
