/**
 * The English catalog: the source of every message and the shape the other languages must match.
 * `en` holds the areas bundled with the app; the areas of page-areas.ts ship with their own page
 * and join it when that page loads. The other languages hold every area and load on demand.
 * Imports carry `.js` because the catalogs are also read by Node tests (test/web/i18n-*.test.ts).
 */
import { auth } from './auth.js';
import { chat } from './chat.js';
import { common } from './common.js';
import { consent } from './consent.js';
import { layout } from './layout.js';
import { legal } from './legal.js';
import { legalChange } from './legal-change.js';
import { organisation } from './organisation.js';
import type { PageAreas } from './page-areas.js';
import { studio } from './studio.js';

export const en = { common, layout, legal, legalChange, auth, chat, studio, organisation, consent };

/** Every area, bundled or not: what each translation holds, and what message keys are typed from. */
export type Catalog = typeof en & PageAreas;

/** A catalog that may lack areas: English before the pages that bring theirs have loaded. */
export type PartialCatalog = Partial<Catalog>;
