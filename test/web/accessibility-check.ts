/**
 * axe-core's serious and critical findings on a page as shown (contrast, names, labels, landmarks),
 * and whether a page is wider than the window, for every-page.e2e.test.ts and the browser tests of
 * states it does not reach (a page with data).
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { WebPage } from './web-test.js';

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: string[] }>;
}

const axeSource = readFile(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export async function accessibilityProblems(web: WebPage): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP (no inline scripts) does not stop.
  await web.page.evaluate(await axeSource);
  const result = await web.page.evaluate<{ violations: AxeViolation[] }>(
    "axe.run({ resultTypes: ['violations'] })",
  );
  return result.violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.help}): ${violation.nodes[0]?.target.join(' ')}`);
}

/** How far the page is wider than the window, in pixels (0 or less: it fits). */
export async function horizontalOverflow(web: WebPage): Promise<number> {
  // A string, not a function: it runs in the page, and this project's types are Node's, not the DOM's.
  return web.page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
}
