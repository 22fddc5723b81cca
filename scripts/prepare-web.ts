/**
 * `npm install` runs this (the `prepare` script): builds the web app into dist/web when its
 * sources are newer than the build, so `npm start` serves it at once. Never fails the install.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from '../src/http/ensure-web-build.js';

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
await ensureWebBuild(projectRoot, (message) => console.log(`[mixgate] ${message}`));
