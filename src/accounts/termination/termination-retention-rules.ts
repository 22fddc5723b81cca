/**
 * The end of the grace period, as retention rules (run by the daily sweep, around legal holds):
 * - a closed account's erasure starts: a privacy request (source `termination`) that the erasure
 *   job carries out like any other, with its deletion receipt mailed;
 * - an account never verified within RETENTION_UNVERIFIED_ACCOUNTS_DAYS is erased the same way
 *   (source `retention`), without the receipt mail: nobody showed the address was theirs;
 * - a closed organisation's content is deleted (erase-organisation-content.ts).
 * A subject that already has an erasure in progress gets no second one.
 */
import type { RetentionRule } from '../../privacy/retention/retention-rules.js';
import { eraseClosedOrganisations } from './erase-organisation-content.js';

const NO_ERASURE_IN_PROGRESS = `NOT EXISTS (SELECT 1 FROM privacy_requests r
   WHERE r.user_id = u.id AND r.type = 'erasure' AND r.status = 'in_progress')`;

/** Verified by the rule itself, so the erasure job takes it at once (no link to confirm). */
const ERASURE_REQUEST_COLUMNS = `(user_id, type, status, source, received_at, due_at, verified_at, notes)`;

export const CLOSED_ACCOUNTS_RULE: RetentionRule = {
  name: 'closed accounts past their grace period',
  category: 'account',
  setting: 'RETENTION_CLOSED_ACCOUNT_GRACE_DAYS',
  async sweep({ pool, holds, now }, cutoff) {
    const result = await pool.query(
      `INSERT INTO privacy_requests ${ERASURE_REQUEST_COLUMNS}
       SELECT u.id, 'erasure', 'in_progress', 'termination', $3, $3, $3,
              'Account closed on ' || to_char(u.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI "UTC"')
              || '; grace period ended'
         FROM users u
        WHERE u.status = 'closed' AND u.closed_at < $1
          AND NOT (u.id = ANY($2::uuid[])) AND ${NO_ERASURE_IN_PROGRESS}`,
      [cutoff, holds.userIds, now],
    );
    return result.rowCount ?? 0;
  },
};

export const UNVERIFIED_ACCOUNTS_RULE: RetentionRule = {
  name: 'accounts never verified',
  category: 'account',
  setting: 'RETENTION_UNVERIFIED_ACCOUNTS_DAYS',
  async sweep({ pool, holds, now, config }, cutoff) {
    // An account with money on its books or a staff role is someone's, whatever its address says.
    const result = await pool.query(
      `INSERT INTO privacy_requests ${ERASURE_REQUEST_COLUMNS}
       SELECT u.id, 'erasure', 'in_progress', 'retention', $3, $3, $3,
              'E-mail address never confirmed within ' || $4::int || ' days of sign-up'
         FROM users u
        WHERE u.status = 'active' AND u.email_verified_at IS NULL AND u.created_at < $1
          AND u.staff_role IS NULL
          AND NOT (u.id = ANY($2::uuid[])) AND ${NO_ERASURE_IN_PROGRESS}
          AND NOT EXISTS (SELECT 1 FROM ledger_accounts a
                JOIN ledger_transfers t ON t.debit_account_id = a.id OR t.credit_account_id = a.id
               WHERE a.user_id = u.id)
          AND NOT EXISTS (SELECT 1 FROM ledger_transfers t WHERE t.member_user_id = u.id)`,
      [cutoff, holds.userIds, now, config.RETENTION_UNVERIFIED_ACCOUNTS_DAYS],
    );
    return result.rowCount ?? 0;
  },
};

export const CLOSED_ORGANISATIONS_RULE: RetentionRule = {
  name: 'closed organisations past their grace period',
  category: 'organisations',
  setting: 'RETENTION_CLOSED_ACCOUNT_GRACE_DAYS',
  sweep: eraseClosedOrganisations,
};
