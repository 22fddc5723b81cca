/**
 * Erasure (Art. 17) of a verified request, in this order:
 *  1. refuse while a legal hold or an owned organisation blocks it (erasure-blockers.ts): the request
 *     waits, nothing is touched;
 *  2. end access: sessions and API keys revoked, the account locked, unfinished long generations
 *     cancelled (lock-out-user.ts);
 *  3. count what there is, once, for the receipt (erasure-receipt.ts);
 *  4. rows, in one transaction (erasure-plan.ts): kept rows lose their `clearOnErasure` columns,
 *     then the person's rows of every `delete` category go, children before parents;
 *  5. files: the person's folders (DATA_FILES: studio files, job outputs, export archives) and the
 *     mail files addressed to them;
 *  6. the data key is destroyed (crypto-shredding); then steps 4 and 5 run once more, for anything
 *     a request still in flight wrote meanwhile (after 6 nothing new can be sealed for the person);
 *  7. the receipt is mailed to the account's address, the last use of it (not for an account never
 *     verified that the retention sweep erases: the address was never shown to be the holder's, so
 *     the request's notes say why instead);
 *  8. the user row is pseudonymised and the request completed, in one transaction.
 * The security log is kept as it is (it holds no content; kept until its period ends).
 * Every step can run again: a run stopped anywhere (a crash, a mail server down) resumes on the
 * next schedule from the request row, and finishes with the same result.
 */
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { and, eq } from 'drizzle-orm';
import type pg from 'pg';
import type { AppContext } from '../../app-context.js';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import { privacyRequests, users } from '../../db/schema/index.js';
import { destroyUserDataKey } from '../content-keys.js';
import { receiptPdf } from './deletion-receipt.js';
import { erasureBlocker } from './erasure-blockers.js';
import { deletionOrder, erasurePlan, type TableErasure } from './erasure-plan.js';
import { countErasure } from './erasure-receipt.js';
import { cancelUnfinishedJobs, forgetRevokedKeys, lockOutUser } from './lock-out-user.js';
import { erasureReceiptMail } from './privacy-request-mails.js';
import { pseudonymiseUser } from './pseudonymise-user.js';
import type { PrivacyRequest } from './request-kinds.js';
import { withRequestLock } from './request-lock.js';
import { mailFilesTo, userFolders } from './user-folders.js';

export type ErasureOutcome = 'erased' | 'blocked' | 'busy' | 'skipped';

export async function eraseUser(ctx: AppContext, requestId: string): Promise<ErasureOutcome> {
  const outcome = await withRequestLock(ctx.pool, requestId, () => runErasure(ctx, requestId));
  return outcome.busy ? 'busy' : outcome.result;
}

/** Runs every verified erasure still waiting, oldest first; returns how many it completed. */
export async function processPendingErasures(ctx: AppContext): Promise<number> {
  const pending = await ctx.db
    .select({ id: privacyRequests.id })
    .from(privacyRequests)
    .where(and(eq(privacyRequests.type, 'erasure'), eq(privacyRequests.status, 'in_progress')))
    .orderBy(privacyRequests.receivedAt)
    .limit(20);
  let erased = 0;
  for (const { id } of pending) if ((await eraseUser(ctx, id)) === 'erased') erased += 1;
  return erased;
}

async function runErasure(ctx: AppContext, requestId: string): Promise<ErasureOutcome> {
  const [row] = await ctx.db
    .select({ request: privacyRequests, email: users.email, userStatus: users.status })
    .from(privacyRequests)
    .innerJoin(users, eq(users.id, privacyRequests.userId))
    .where(eq(privacyRequests.id, requestId));
  if (row?.request.type !== 'erasure' || row.request.status !== 'in_progress') return 'skipped';
  const { request, email } = row;
  const userId = request.userId;
  const now = ctx.now();
  if (row.userStatus === 'erased') {
    // A second request for an account another request already erased.
    await ctx.db
      .update(privacyRequests)
      .set({ status: 'completed', completedAt: now, notes: 'The account had already been erased.' })
      .where(eq(privacyRequests.id, requestId));
    return 'skipped';
  }

  const blocker = await erasureBlocker(ctx.db, userId);
  if (blocker) {
    await block(ctx, request, blocker.message, blocker.code);
    return 'blocked';
  }

  const keyHashes = await ctx.db.transaction(async (tx) => (await lockOutUser(tx, userId, now)).keyHashes);
  forgetRevokedKeys(ctx, keyHashes);
  await cancelUnfinishedJobs(ctx, userId);

  const plan = erasurePlan();
  let receipt = request.receipt;
  if (!receipt) {
    receipt = await countErasure(ctx.pool, { plan, userId, email, dataDir: ctx.config.dataDir, now });
    await ctx.db.update(privacyRequests).set({ receipt }).where(eq(privacyRequests.id, requestId));
  }

  const order = await deletionOrder(
    ctx.pool,
    plan.filter((step) => step.action === 'delete').map((step) => step.map.table),
  );
  await eraseRows(ctx.pool, plan, order, userId);
  await deleteFiles(ctx, userId, email);
  await destroyUserDataKey(ctx.db, userId, now);
  await eraseRows(ctx.pool, plan, order, userId);
  await deleteFiles(ctx, userId, email);

  if (request.source === 'retention') {
    await noteReceiptNotMailed(ctx, request);
  } else if (!receipt.mailedAt) {
    const pdf = await receiptPdf(ctx.config, request, receipt, now);
    try {
      await ctx.mailer.send(erasureReceiptMail(ctx, email, requestId, pdf));
    } catch (error) {
      // The address is still on the row: the next run mails it again, then finishes.
      await block(
        ctx,
        request,
        `The deletion receipt could not be mailed yet: ${(error as Error).message}`,
        'mail',
      );
      return 'blocked';
    }
    receipt = { ...receipt, mailedAt: now.toISOString() };
    await ctx.db.update(privacyRequests).set({ receipt }).where(eq(privacyRequests.id, requestId));
  }

  const totals = { deletedRecords: 0, pseudonymisedRecords: 0, keptRecords: 0, deletedFiles: 0 };
  for (const line of receipt.categories) {
    if (line.action === 'deleted') totals.deletedRecords += line.rows;
    if (line.action === 'pseudonymised') totals.pseudonymisedRecords += line.rows;
    if (line.action === 'kept') totals.keptRecords += line.rows;
    totals.deletedFiles += line.files;
  }
  await ctx.db.transaction(async (tx) => {
    await pseudonymiseUser(tx, userId, now);
    await tx
      .update(privacyRequests)
      .set({ status: 'completed', completedAt: now, blockedReason: null })
      .where(eq(privacyRequests.id, requestId));
    await recordSecurityEvent(tx, {
      type: 'erasure_completed',
      userId,
      occurredAt: now,
      details: { requestId, ...totals },
    });
  });
  return 'erased';
}

const RECEIPT_NOT_MAILED =
  'The receipt was not mailed: the e-mail address was never confirmed to belong to the account holder.';

async function noteReceiptNotMailed(ctx: AppContext, request: PrivacyRequest): Promise<void> {
  if (request.notes?.includes(RECEIPT_NOT_MAILED)) return;
  const notes = request.notes ? `${request.notes}\n${RECEIPT_NOT_MAILED}` : RECEIPT_NOT_MAILED;
  await ctx.db.update(privacyRequests).set({ notes }).where(eq(privacyRequests.id, request.id));
}

/** Records why the request waits (once per reason: the schedule retries every minute). */
async function block(ctx: AppContext, request: PrivacyRequest, reason: string, code: string): Promise<void> {
  if (request.blockedReason === reason) return;
  await ctx.db.transaction(async (tx) => {
    await tx.update(privacyRequests).set({ blockedReason: reason }).where(eq(privacyRequests.id, request.id));
    await recordSecurityEvent(tx, {
      type: 'privacy_request_refused',
      userId: request.userId,
      occurredAt: ctx.now(),
      details: { requestId: request.id, type: request.type, blockedBy: code },
    });
  });
}

// The map's predicates, table and column names are constants of this code base, never input.
async function eraseRows(
  pool: pg.Pool,
  plan: TableErasure[],
  order: string[],
  userId: string,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Kept rows first: some of the cleared columns point at rows deleted below (an API key).
    for (const step of plan) {
      if (step.action !== 'clear') continue;
      const assignments = step.clearColumns.map((column) => `"${column}" = NULL`).join(', ');
      await client.query(`UPDATE "${step.map.table}" SET ${assignments} WHERE (${step.map.userRows})`, [
        userId,
      ]);
    }
    // An organisation the person created that nobody else uses stays for its billing records, renamed.
    await client.query(
      `UPDATE organisations o SET name = 'Erased organisation ' || left(o.id::text, 8)
        WHERE o.created_by = $1
          AND NOT EXISTS (SELECT 1 FROM organisation_members m WHERE m.organisation_id = o.id AND m.user_id <> $1)`,
      [userId],
    );
    const predicates = new Map(plan.map((step) => [step.map.table, step.map.userRows]));
    for (const table of order) {
      await client.query(`DELETE FROM "${table}" WHERE (${predicates.get(table)})`, [userId]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  } finally {
    client.release();
  }
}

async function deleteFiles(ctx: AppContext, userId: string, email: string): Promise<void> {
  for (const folder of await userFolders(ctx.pool, userId)) {
    await rm(path.join(ctx.config.dataDir, ...folder.location.split('/')), { recursive: true, force: true });
  }
  for (const file of await mailFilesTo(ctx.config.dataDir, email)) await rm(file, { force: true });
}
