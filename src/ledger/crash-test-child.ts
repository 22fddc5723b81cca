/**
 * A server process that dies in the middle of a generation, for ledger-crash.e2e.test.ts: it reserves
 * credit, prints `{"holdId":…}` on stdout and then waits, as if for a provider, until it is killed.
 * Usage: DATABASE_URL=… node --import tsx src/ledger/crash-test-child.ts <user id> <amount> <expiry ms>
 */
import { z } from 'zod';
import { loadConfig } from '../config.js';
import { openDatabase } from '../db/database.js';
import { placeHold } from './holds.js';

const ZArguments = z.tuple([z.uuid(), z.coerce.bigint().positive(), z.coerce.number().int().positive()]);
const [userId, amount, expiryMs] = ZArguments.parse(process.argv.slice(2));

const database = await openDatabase(loadConfig(), { migrate: false });
const now = new Date();
const hold = await placeHold(database.db, {
  wallet: { userId },
  amount,
  idempotencyKey: `crash-test:${userId}`,
  expiresAt: new Date(now.getTime() + expiryMs),
  now,
  actor: `user:${userId}`,
  model: 'test/slow-provider',
});
process.stdout.write(`${JSON.stringify({ holdId: hold.holdId })}\n`);
// The provider never answers; only SIGKILL ends this process.
setInterval(() => {}, 60_000);
