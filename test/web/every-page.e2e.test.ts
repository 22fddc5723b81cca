/**
 * Every page of the web app at desktop and phone width, in the light and the dark theme: a
 * screenshot of each goes to test-results/pages/, and each must load without console errors,
 * failed requests, a page wider than the screen, or a serious accessibility fault found by
 * axe-core (contrast, missing names and labels, landmarks). Then the chat page's first-load budget.
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FirstLoad, measureFirstLoad } from '../../bench/first-load.js';
import type { SignedInUser } from '../test-app.js';
import { accessibilityProblems, horizontalOverflow } from './accessibility-check.js';
import { DESKTOP, PHONE, startWebTest, type WebPage, type WebTest } from './web-test.js';

const SCREENSHOTS = path.resolve('test-results/pages');
const SIGNED_OUT = [
  '/login',
  '/signup',
  '/reset-password',
  '/verify-email',
  '/privacy/confirm-request',
  // Reached after closing one's account, with the deletion date in the address (close-account-card.tsx).
  '/account-closed?deletedAfter=2026-04-01T00:00:00.000Z',
];
const SIGNED_IN = [
  '/chat',
  '/studio',
  '/billing',
  '/keys',
  '/organisation',
  '/settings',
  '/privacy',
  '/support',
];
/** The chat page's first load: JavaScript gzipped (the budget). */
const CHAT_JS_BUDGET_BYTES = 300 * 1024;

async function settle(web: WebPage) {
  await web.page.waitForLoadState('networkidle');
  // Nothing still loading: every page replaces its loaders with content, an empty or an error state.
  await web.page
    .getByRole('status')
    .first()
    .waitFor({ state: 'detached', timeout: 10_000 })
    .catch(() => {});
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
    it(`shows each page at ${viewport.width} px in the ${theme} theme without errors, overflow or accessibility faults`, async () => {
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
        const name =
          pagePath === conversationPath
            ? 'chat-conversation'
            : new URL(pagePath, 'http://page').pathname.slice(1);
        await current.page.screenshot({
          path: path.join(SCREENSHOTS, `${name}-${viewport.width}-${theme}.png`),
          fullPage: true,
        });
        expect(await horizontalOverflow(current), `${pagePath} is wider than the screen`).toBeLessThanOrEqual(
          0,
        );
        expect(await accessibilityProblems(current), pagePath).toEqual([]);
        // The signed-out pages check the session first; a 401 is their expected answer.
        const problems = current.problems.filter((problem) => !/status of 401/.test(problem));
        expect(problems, pagePath).toEqual([]);
        current.problems.length = 0;
      }
    });
  }

  it('loads the chat page within its JavaScript budget', async () => {
    // First loads (new context, no cache), the chat page alternating with the log-in page (the
    // shell alone). The times are printed, not judged: the web benchmark (bench/web.ts) judges the
    // 1.5 s budget and the ratio to the shell on a quiet machine. Judged here, the ratio (1.25x
    // there) reached 2.2x once in CI, with the other test files loading the machine.
    const cookie = { name: 'mg_session', value: user.cookie.split('=')[1]! };
    const chat: FirstLoad[] = [];
    const shell: FirstLoad[] = [];
    for (let attempt = 0; attempt < 5; attempt++) {
      shell.push(
        await measureFirstLoad(web.browser, {
          url: `${web.server.url}/login`,
          readySelector: 'button[type=submit]',
        }),
      );
      chat.push(
        await measureFirstLoad(web.browser, {
          url: `${web.server.url}/chat`,
          cookie,
          readySelector: '[data-testid=composer-input]',
        }),
      );
    }
    const median = (loads: FirstLoad[]) => loads.map((load) => load.interactiveMs).sort((a, b) => a - b)[2]!;
    const ratio = median(chat) / median(shell);
    console.log(
      `chat page first load: ${Math.round(median(chat))} ms median (${ratio.toFixed(2)}x the log-in page's ${Math.round(median(shell))} ms), ${(Math.max(...chat.map((load) => load.scriptBytesGzipped)) / 1024).toFixed(1)} KB of JavaScript gzipped`,
    );
    for (const load of chat) {
      expect(load.scriptBytesGzipped, JSON.stringify(load.scriptSizes)).toBeLessThan(CHAT_JS_BUDGET_BYTES);
    }
  });
});
