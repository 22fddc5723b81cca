/**
 * Every page of the web app at desktop and phone width, in the light and the dark theme: a
 * screenshot of each goes to test-results/pages/, and each must load without console errors,
 * failed requests or a page wider than the screen. Then the chat page's first-load budget.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SignedInUser } from '../test-app.js';
import { DESKTOP, PHONE, startWebTest, type WebPage, type WebTest } from './web-test.js';

const SCREENSHOTS = path.resolve('test-results/pages');
const SIGNED_OUT = ['/login', '/signup', '/reset-password', '/verify-email'];
const SIGNED_IN = ['/chat', '/studio', '/billing', '/keys', '/organisation', '/settings'];
/** The chat page's first load: JavaScript gzipped, and time until the message box takes input. */
const CHAT_JS_BUDGET_BYTES = 300 * 1024;
const CHAT_INTERACTIVE_BUDGET_MS = 1500;

async function settle(web: WebPage) {
  await web.page.waitForLoadState('networkidle');
  // Nothing still loading: every page replaces its loaders with content, an empty or an error state.
  await web.page
    .getByRole('status')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => {});
}

async function horizontalOverflow(web: WebPage): Promise<number> {
  // Strings, not functions: these run in the page, and this project's types are Node's, not the DOM's.
  return web.page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}

describe('every page, in a real browser', () => {
  let web: WebTest;
  let user: SignedInUser;
  let conversationPath: string;

  beforeAll(async () => {
    web = await startWebTest();
    user = await web.creditedUser('20');
    await mkdir(SCREENSHOTS, { recursive: true });
    // A conversation with an answer, so the chat page is shown with content too.
    const response = await fetch(`${web.server.url}/api/conversations`, {
      method: 'POST',
      headers: { ...user.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        title: 'A conversation with a rather long title that must not widen the page at all',
      }),
    });
    const { id } = (await response.json()) as { id: string };
    const turn = await fetch(`${web.server.url}/api/conversations/${id}/messages`, {
      method: 'POST',
      headers: { ...user.headers, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        parentId: null,
        content: { text: `A long word: ${'x'.repeat(300)} and some code` },
      }),
    });
    await turn.text();
    conversationPath = `/chat/${id}`;
  });
  afterAll(async () => {
    await web?.close();
  });

  for (const [theme, viewport] of [
    ['light', DESKTOP],
    ['light', PHONE],
    ['dark', DESKTOP],
    ['dark', PHONE],
  ] as const) {
    it(`shows each page at ${viewport.width} px in the ${theme} theme without errors or overflow`, async () => {
      const paths = [...SIGNED_OUT, ...SIGNED_IN, conversationPath];
      const signedOut = await web.newPage({ viewport });
      const signedIn = await web.newPage({ viewport, user });
      for (const context of [signedOut.context, signedIn.context]) {
        await context.addInitScript(`localStorage.setItem('mixgate-color-scheme', ${JSON.stringify(theme)})`);
      }
      for (const pagePath of paths) {
        const current = SIGNED_OUT.includes(pagePath) ? signedOut : signedIn;
        await current.page.goto(pagePath);
        await settle(current);
        const name = pagePath === conversationPath ? 'chat-conversation' : pagePath.slice(1);
        await current.page.screenshot({
          path: path.join(SCREENSHOTS, `${name}-${viewport.width}-${theme}.png`),
          fullPage: true,
        });
        expect(await horizontalOverflow(current), `${pagePath} is wider than the screen`).toBeLessThanOrEqual(
          0,
        );
        // The signed-out pages check the session first; a 401 is their expected answer.
        const problems = current.problems.filter((problem) => !/status of 401/.test(problem));
        expect(problems, pagePath).toEqual([]);
        current.problems.length = 0;
      }
    });
  }

  it('loads the chat page within its JavaScript and time-to-interactive budgets', async () => {
    const current = await web.newPage({ user });
    const scripts = new Map<string, number>();
    current.page.on('response', async (response) => {
      if (!response.url().endsWith('.js')) return;
      const body = await response.body().catch(() => null);
      if (body) scripts.set(response.url(), gzipSync(body, { level: 9 }).length);
    });
    await current.page.goto('/chat');
    await current.page.getByTestId('composer-input').waitFor();
    const interactiveMs = await current.page.evaluate<number>('performance.now()');
    await current.page.waitForLoadState('networkidle');
    const total = [...scripts.values()].reduce((sum, size) => sum + size, 0);
    console.log(
      `chat page first load: ${scripts.size} scripts, ${(total / 1024).toFixed(1)} KB gzipped; interactive after ${Math.round(interactiveMs)} ms`,
    );
    expect(total).toBeLessThan(CHAT_JS_BUDGET_BYTES);
    expect(interactiveMs).toBeLessThan(CHAT_INTERACTIVE_BUDGET_MS);
  });
});
