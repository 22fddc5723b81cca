/**
 * Vitest global setup for the browser tests: builds the web app once, before any test file starts
 * a server that serves it (files running in parallel must not all rebuild dist/web at once).
 */
import path from 'node:path';
import { ensureWebBuild } from '../../src/http/ensure-web-build.js';

export default async function setup() {
  await ensureWebBuild(path.resolve('.'), (message) => console.log(`[web] ${message}`));
}
