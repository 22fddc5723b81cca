/**
 * A browser test's world: the real server (in this process, on a random loopback port) with the
 * provider fakes and the built web app, and Debian's Chromium driven by playwright-core. Every page
 * records its console errors and failed requests so a test can insist on none.
 */
import path from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
  type Response,
} from 'playwright-core';
import { CHROMIUM, CHROMIUM_ARGS } from '../../bench/first-load.js';
import { creditManually } from '../../src/ledger/manual-adjustments.js';
import { parseAmount } from '../../src/lib/money.js';
import { createGatewayTestApp, type GatewayTestApp } from '../gateway-test-app.js';
import { type SignedInUser, signUpAndLogIn } from '../test-app.js';

export { CHROMIUM, CHROMIUM_ARGS } from '../../bench/first-load.js';
export const DESKTOP = { width: 1280, height: 800 };
export const PHONE = { width: 375, height: 740 };

/**
 * The answer to the page's next `method` request to `pathname` (an exact path, or a pattern for
 * one with ids in it). Start waiting before the action that sends it: leaving the page before the
 * answer arrives would abort the request.
 */
export function answerTo(page: Page, method: string, pathname: string | RegExp): Promise<Response> {
  return page.waitForResponse((response) => {
    const path = new URL(response.url()).pathname;
    return (
      response.request().method() === method &&
      (typeof pathname === 'string' ? path === pathname : pathname.test(path))
    );
  });
}

export interface WebTest {
  server: GatewayTestApp;
  browser: Browser;
  /**
   * A browser context on the server's URL that asks for reduced motion: Mantine then skips its
   * transitions, which wait for animation frames. Once, under CI's load, a modal's closing
   * transition never finished and its overlay took every click for 30 s.
   */
  newContext(options?: BrowserContextOptions): Promise<BrowserContext>;
  /** A fresh browser context (cookies, storage) with console-error capture on its pages. */
  newPage(options?: { viewport?: { width: number; height: number }; user?: SignedInUser }): Promise<WebPage>;
  /** A verified, signed-in user with `amount` of credit (currency units, e.g. "5"). */
  creditedUser(amount: string): Promise<SignedInUser>;
  /** Credits a user as the operator does (`mixgate credit`). */
  credit(userId: string, amount: string): Promise<void>;
  close(): Promise<void>;
}

export interface WebPage {
  page: Page;
  context: BrowserContext;
  /** Console errors, uncaught exceptions and failed requests seen so far. */
  problems: string[];
}

export async function startWebTest(env: Record<string, string> = {}): Promise<WebTest> {
  const server = await createGatewayTestApp(env, { webRoot: path.resolve('dist/web') });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const contexts: BrowserContext[] = [];
  const credit = async (userId: string, amount: string) => {
    await creditManually(server.ctx.db, {
      owner: { userId },
      amount: parseAmount(amount),
      reason: 'browser test credit',
      actor: { cli: true },
      now: server.ctx.now(),
    });
  };
  const newContext = (options: BrowserContextOptions = {}) =>
    browser.newContext({ baseURL: server.url, reducedMotion: 'reduce', ...options });
  return {
    server,
    browser,
    newContext,
    async newPage(options = {}) {
      const context = await newContext({
        viewport: options.viewport ?? DESKTOP,
        permissions: ['clipboard-read', 'clipboard-write'],
      });
      contexts.push(context);
      if (options.user) {
        const [name, value] = options.user.cookie.split('=') as [string, string];
        await context.addCookies([{ name, value, url: server.url }]);
      }
      const page = await context.newPage();
      const problems: string[] = [];
      page.on('console', (message) => {
        if (message.type() === 'error') problems.push(`console: ${message.text()}`);
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      page.on('requestfailed', (request) => {
        // A stream the user stopped, or a page left mid-request, is not a failure of the app.
        if (request.failure()?.errorText === 'net::ERR_ABORTED') return;
        problems.push(`request failed: ${request.method()} ${request.url()} ${request.failure()?.errorText}`);
      });
      return { page, context, problems };
    },
    async creditedUser(amount) {
      const user = await signUpAndLogIn(server);
      await credit(user.userId, amount);
      return user;
    },
    credit,
    async close() {
      for (const context of contexts) await context.close().catch(() => {});
      await browser.close();
      await server.close();
    },
  };
}
