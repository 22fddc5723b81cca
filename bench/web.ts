/**
 * The web app's first-load budgets (issue: the chat page's first load under 300 KB of JavaScript
 * gzipped, interactive within 1.5 s on localhost): the real server with the built app, a signed-in
 * user, Debian's Chromium, ten first loads of /chat, each in a new browser context. Reported as
 * best, median and worst against the budget, beside the same measure of the log-in page (the
 * smallest page: the shell alone) as this run's baseline.
 *
 * `npm run bench` runs it last; `tsx bench/web.ts` runs it alone.
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';
import { createSession } from '../src/accounts/sessions.js';
import { buildApp } from '../src/app.js';
import type { AppContext } from '../src/app-context.js';
import { createUserByOperator } from '../src/console/create-staff.js';
import { ensureWebBuild } from '../src/http/ensure-web-build.js';
import { acceptPending, pendingAcceptances } from '../src/privacy/legal/pending-acceptances.js';
import { withBenchRuntime } from './bench-runtime.js';
import { CHROMIUM, CHROMIUM_ARGS, type FirstLoad, measureFirstLoad } from './first-load.js';

const LOADS = 10;
const JS_BUDGET_BYTES = 300 * 1024;
const INTERACTIVE_BUDGET_MS = 1500;

/** A verified user who accepted the documents in effect, and a session cookie for them. */
async function signedInCookie(ctx: AppContext): Promise<{ name: string; value: string }> {
  const { userId } = await createUserByOperator(ctx, {
    email: `web-bench-${Date.now()}@example.com`,
    password: 'the web benchmark user',
  });
  const pending = await pendingAcceptances(ctx.db, userId, ctx.now());
  const accepted = Object.fromEntries(pending.documents.map((document) => [document.type, document.version]));
  await acceptPending(ctx, userId, { accepted }, { ip: null, userAgent: 'web bench' });
  const session = await createSession(
    ctx.db,
    userId,
    { ip: '127.0.0.1', userAgent: 'web bench' },
    ctx.now(),
    24,
  );
  return { name: 'mg_session', value: session.token };
}

function summary(loads: FirstLoad[]) {
  const times = loads.map((load) => load.interactiveMs).sort((a, b) => a - b);
  return {
    best: times[0]!,
    median: times[Math.floor(times.length / 2)]!,
    worst: times.at(-1)!,
    scriptBytes: Math.max(...loads.map((load) => load.scriptBytesGzipped)),
    scripts: Math.max(...loads.map((load) => load.scripts)),
  };
}

export async function runWebBench(ctx: AppContext): Promise<{ pass: boolean }> {
  const projectRoot = path.resolve('.');
  await ensureWebBuild(projectRoot, (message) => console.log(`[web bench] ${message}`));
  const app = await buildApp(ctx, { webRoot: path.join(projectRoot, 'dist', 'web') });
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  try {
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    const cookie = await signedInCookie(ctx);
    // Warm the server's code paths (not the browser's: every measured load is a new context).
    await measureFirstLoad(browser, {
      url: `${url}/chat`,
      cookie,
      readySelector: '[data-testid=composer-input]',
    });
    const rows: Array<[string, ReturnType<typeof summary>]> = [];
    for (const [name, pagePath, selector, withCookie] of [
      ['log-in page (baseline)', '/login', 'button[type=submit]', false],
      ['chat page', '/chat', '[data-testid=composer-input]', true],
    ] as const) {
      const loads: FirstLoad[] = [];
      for (let i = 0; i < LOADS; i++) {
        loads.push(
          await measureFirstLoad(browser, {
            url: `${url}${pagePath}`,
            ...(withCookie && { cookie }),
            readySelector: selector,
          }),
        );
      }
      rows.push([name, summary(loads)]);
    }
    console.log(`\nWeb app first loads: ${LOADS} per page, each in a new browser context (no cache)\n`);
    console.log('| page | interactive best ms | median ms | worst ms | scripts | JavaScript KB gzipped |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, row] of rows) {
      console.log(
        `| ${name} | ${Math.round(row.best)} | ${Math.round(row.median)} | ${Math.round(row.worst)} | ${row.scripts} | ${(row.scriptBytes / 1024).toFixed(1)} |`,
      );
    }
    const [, baseline] = rows[0]!;
    const [, chat] = rows[1]!;
    const timePass = chat.median < INTERACTIVE_BUDGET_MS;
    const sizePass = chat.scriptBytes < JS_BUDGET_BYTES;
    console.log(
      `\nchat page: median ${Math.round(chat.median)} ms (${(chat.median / baseline.median).toFixed(2)}x the log-in page) against ${INTERACTIVE_BUDGET_MS} ms: ${timePass ? 'PASS' : 'MISS'}; ${(chat.scriptBytes / 1024).toFixed(1)} KB against ${JS_BUDGET_BYTES / 1024} KB: ${sizePass ? 'PASS' : 'MISS'}`,
    );
    return { pass: timePass && sizePass };
  } finally {
    await browser.close();
    await app.close();
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  await withBenchRuntime(runWebBench);
}
