/**
 * The English areas that are not bundled with the app. Each is imported by its own page, which
 * adds it to the English catalog when it loads (`addEnglishArea` in load-catalog.ts), so the
 * chat page's first load does not carry the words of the billing, keys and settings pages. This
 * object itself is only for the Node tests and for the catalog's type: the app never imports it.
 */
import { billing } from './billing.js';
import { keys } from './keys.js';
import { privacy } from './privacy.js';
import { settings } from './settings.js';
import { support } from './support.js';
import { termination } from './termination.js';

export const pageAreas = { billing, keys, settings, privacy, termination, support };

export type PageAreas = typeof pageAreas;
export type PageArea = keyof PageAreas;
