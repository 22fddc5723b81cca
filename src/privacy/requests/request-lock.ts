import type pg from 'pg';

// Seeds the hash of the request id, so these locks differ from the other advisory locks (database.ts).
const LOCK_SEED = 7_325_011_003;

/**
 * Runs `work` while holding a session advisory lock on one privacy request, or returns `busy`
 * without running it when another worker (a second instance, an overlapping schedule, a staff
 * action) holds it. An export or an erasure spans many transactions, so the lock is held by a
 * connection of its own; a crashed process loses its connection, and so its lock.
 */
export async function withRequestLock<T>(
  pool: pg.Pool,
  requestId: string,
  work: () => Promise<T>,
): Promise<{ busy: true } | { busy: false; result: T }> {
  const client = await pool.connect();
  try {
    const { rows } = await client.query<{ locked: boolean }>(
      'SELECT pg_try_advisory_lock(hashtextextended($1, $2)) AS locked',
      [requestId, LOCK_SEED],
    );
    if (!rows[0]?.locked) return { busy: true };
    try {
      return { busy: false, result: await work() };
    } finally {
      await client.query('SELECT pg_advisory_unlock(hashtextextended($1, $2))', [requestId, LOCK_SEED]);
    }
  } finally {
    client.release();
  }
}
