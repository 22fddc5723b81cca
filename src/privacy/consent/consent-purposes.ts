/**
 * What a visitor can consent to, and where a choice came from. Essential cookies (the session) need
 * no consent (ePrivacy Directive Art. 5(3), "strictly necessary") and are not a purpose here.
 */

/** Purposes that need consent. `analytics`: the operator's analytics script (ANALYTICS_SCRIPT_URL). */
export const CONSENT_PURPOSES = ['analytics'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/**
 * - `banner`: the first-visit banner; `settings`: the cookie settings, opened from the footer;
 * - `gpc`: the browser's Global Privacy Control signal decided (a refusal, never a grant);
 * - `sign_up`: a choice made on the sign-up form.
 */
export const CONSENT_SOURCES = ['banner', 'settings', 'gpc', 'sign_up'] as const;
export type ConsentSource = (typeof CONSENT_SOURCES)[number];
