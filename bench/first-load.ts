/**
 * One first load of a page in a real browser: a new context (no cache, only the session cookie),
 * the time until the page takes input (`performance.now()` when `readySelector` appears) and the
 * gzipped size of every script it loaded. Shared by the web benchmark (bench/web.ts, which judges
 * the time budget on a quiet machine) and the browser tests (which judge the script budget).
 */
import { gzipSync } from 'node:zlib';
import type { Browser } from 'playwright-core';

/** Debian's Chromium, headless, with nothing running in the background that could skew a measure. */
export const CHROMIUM = '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface FirstLoad {
  interactiveMs: number;
  scripts: number;
  scriptBytesGzipped: number;
  /** Each script's file name and gzipped size, largest first. */
  scriptSizes: Array<[string, number]>;
}

export async function measureFirstLoad(
  browser: Browser,
  options: { url: string; cookie?: { name: string; value: string }; readySelector: string },
): Promise<FirstLoad> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  try {
    if (options.cookie) await context.addCookies([{ ...options.cookie, url: options.url }]);
    const page = await context.newPage();
    const scripts = new Map<string, number>();
    const sizes: Array<Promise<void>> = [];
    page.on('response', (response) => {
      if (!response.url().endsWith('.js')) return;
      sizes.push(
        response
          .body()
          .then((body) => {
            scripts.set(response.url(), gzipSync(body, { level: 9 }).length);
          })
          .catch(() => {}),
      );
    });
    await page.goto(options.url);
    await page.locator(options.readySelector).first().waitFor();
    const interactiveMs = await page.evaluate<number>('performance.now()');
    await page.waitForLoadState('networkidle');
    await Promise.all(sizes);
    const scriptBytesGzipped = [...scripts.values()].reduce((sum, size) => sum + size, 0);
    const scriptSizes = [...scripts]
      .map(([url, size]): [string, number] => [url.split('/').pop()!, size])
      .sort((a, b) => b[1] - a[1]);
    return { interactiveMs, scripts: scripts.size, scriptBytesGzipped, scriptSizes };
  } finally {
    await context.close();
  }
}
