/**
 * Support tickets past RETENTION_SUPPORT_MESSAGES_DAYS (the data map's 'reports' category): a
 * ticket closed longer ago than that is deleted with its messages (a cascading foreign key).
 * A ticket left answered, waiting for a user who never came back, is closed after
 * ANSWERED_TICKET_IDLE_DAYS first: otherwise it would never close and be kept for ever. Closing
 * is no loss to the user; their reply reopens it.
 * Kept: the tickets of a user under a legal hold, and a ticket held on its own.
 */
import type pg from 'pg';
import type { RetentionRule } from './retention-rules.js';

export const ANSWERED_TICKET_IDLE_DAYS = 30;
const DAY_MS = 86_400_000;

async function affected(pool: pg.Pool, text: string, values: unknown[]): Promise<number> {
  return (await pool.query(text, values)).rowCount ?? 0;
}

export const supportTicketsRule: RetentionRule = {
  name: 'closed support tickets',
  category: 'reports',
  setting: 'RETENTION_SUPPORT_MESSAGES_DAYS',
  async sweep({ pool, holds, now }, cutoff) {
    const idleSince = new Date(now.getTime() - ANSWERED_TICKET_IDLE_DAYS * DAY_MS);
    const closed = await affected(
      pool,
      `UPDATE support_tickets SET status = 'closed', closed_at = $1, updated_at = $1
        WHERE status = 'answered' AND updated_at < $2`,
      [now, idleSince],
    );
    const deleted = await affected(
      pool,
      `DELETE FROM support_tickets
        WHERE status = 'closed' AND closed_at < $1
          AND NOT (user_id = ANY($2::uuid[])) AND NOT (id::text = ANY($3::text[]))`,
      [cutoff, holds.userIds, holds.ticketIds ?? []],
    );
    return closed + deleted;
  },
};
