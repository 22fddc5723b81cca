/** German: one chunk, loaded when someone reads the app in German. */
import type { Catalog } from '../en/index.js';
import { auth } from './auth.js';
import { billing } from './billing.js';
import { chat } from './chat.js';
import { common } from './common.js';
import { consent } from './consent.js';
import { keys } from './keys.js';
import { layout } from './layout.js';
import { legal } from './legal.js';
import { legalChange } from './legal-change.js';
import { organisation } from './organisation.js';
import { privacy } from './privacy.js';
import { settings } from './settings.js';
import { studio } from './studio.js';
import { support } from './support.js';
import { termination } from './termination.js';

export const de: Catalog = {
  common,
  layout,
  legal,
  legalChange,
  auth,
  chat,
  studio,
  organisation,
  settings,
  consent,
  privacy,
  billing,
  keys,
  termination,
  support,
};
