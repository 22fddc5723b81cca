/**
 * Cookie-banner choices of visitors who were not signed in (consent_records rows without a user).
 *
 * A consent record is the proof of consent (Art. 7(1) GDPR), needed while the consent is relied on.
 * The web app keeps only a random visitor id in the browser's localStorage, with no expiry, and asks
 * the server for the choice on every visit: the row is the choice itself. So:
 * - a choice superseded by a newer one on the same browser (signed in or not) is no longer relied on;
 *   it is deleted RETENTION_TECHNICAL_LOGS_DAYS after it was made, like other technical records;
 * - the browser's latest choice is relied on while it is in effect, and it does not stay in effect
 *   for ever: cookie consent is asked again after 13 months (the CNIL's guideline on cookie consent
 *   lifetimes, widely followed in the EU). Deleting the row after that makes the banner ask again,
 *   since the app then finds no decision. Should the technical period be set longer, it wins.
 * Anonymous rows name no account, so no legal hold can cover them; a signed-in user's rows are
 * legal records of the account and are not touched here.
 */
import type { RetentionRule } from './retention-rules.js';

const DAY_MS = 86_400_000;
/** 13 months, rounded up to whole days. */
export const ANONYMOUS_CONSENT_VALIDITY_DAYS = 395;

export const anonymousConsentRule: RetentionRule = {
  name: 'anonymous cookie choices',
  category: 'legal_records',
  setting: 'RETENTION_TECHNICAL_LOGS_DAYS',
  async sweep({ pool, now }, cutoff) {
    const validityCutoff = new Date(now.getTime() - ANONYMOUS_CONSENT_VALIDITY_DAYS * DAY_MS);
    const latestCutoff = cutoff < validityCutoff ? cutoff : validityCutoff;
    const result = await pool.query(
      `DELETE FROM consent_records r
        WHERE r.user_id IS NULL AND r.created_at < $1
          AND (r.created_at < $2 OR EXISTS (
                SELECT 1 FROM consent_records newer
                 WHERE newer.visitor_id = r.visitor_id AND newer.purpose = r.purpose
                   AND (newer.created_at, newer.id) > (r.created_at, r.id)))`,
      [cutoff, latestCutoff],
    );
    return result.rowCount ?? 0;
  },
};
