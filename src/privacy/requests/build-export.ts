/**
 * The access export (Art. 15, 20): a ZIP of one JSON file per data-map category, the files the
 * person generated, a README and a JSON Schema, all generated from the data map.
 *
 * The archive is a copy of the person's content, so it is kept as their content is: sealed with
 * their data key under DATA_DIR/exports/<user>/<request>.zip. A plain file (even 0600) would be
 * readable in every backup taken during its 7 days, and stay so after an erasure; sealed, the
 * erasure's crypto-shredding reaches those copies too. It is built in memory (fflate's zipSync,
 * then one AES-GCM seal), which bounds an export by memory: fine for chat histories and galleries
 * of a few hundred megabytes.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { and, eq, isNotNull, lte } from 'drizzle-orm';
import { type Zippable, zipSync } from 'fflate';
import type { AppContext } from '../../app-context.js';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import { privacyRequests, users } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';
import { contentFilePath, readSealedFile, writeSealedFile } from '../content-files.js';
import { dataKeyFor } from '../content-keys.js';
import { collectUserData } from './collect-user-data.js';
import { exportReadme } from './export-readme.js';
import { exportSchemaDocument } from './export-schema.js';
import { exportReadyMail } from './privacy-request-mails.js';
import { EXPORT_LIFETIME_MS, exportLocation } from './request-kinds.js';
import { withRequestLock } from './request-lock.js';

const json = (value: unknown) => new TextEncoder().encode(`${JSON.stringify(value, null, 2)}\n`);

/** The archive's bytes. Generated files are stored as they are: images, audio and video are compressed already. */
export async function buildArchive(
  ctx: AppContext,
  userId: string,
  requestId: string,
  madeAt: Date,
): Promise<Buffer> {
  const data = await collectUserData(ctx, userId);
  const entries: Zippable = {
    'README.md': new TextEncoder().encode(
      exportReadme({ config: ctx.config, requestId, userId, madeAt, data }),
    ),
    'schema.json': json(exportSchemaDocument()),
  };
  for (const file of data.categories) entries[`${file.category}.json`] = json(file);
  for (const file of data.files) entries[file.path] = [new Uint8Array(file.data), { level: 0 }];
  return Buffer.from(zipSync(entries, { level: 6, mtime: madeAt }));
}

/**
 * Builds the export of one verified access request, once: safe to run again after a crash (the
 * archive is written again under the same name) and beside another worker (it waits its turn).
 */
export async function buildDataExport(
  ctx: AppContext,
  requestId: string,
): Promise<'built' | 'busy' | 'skipped'> {
  const outcome = await withRequestLock(ctx.pool, requestId, async () => {
    const [request] = await ctx.db
      .select({ request: privacyRequests, email: users.email, userStatus: users.status })
      .from(privacyRequests)
      .innerJoin(users, eq(users.id, privacyRequests.userId))
      .where(eq(privacyRequests.id, requestId));
    if (request?.request.type !== 'access' || request.request.status !== 'in_progress') return 'skipped';
    const { userId } = request.request;
    const now = ctx.now();
    if (request.userStatus === 'erasing' || request.userStatus === 'erased') {
      // Nothing is left to copy, and no address to send it to.
      await ctx.db
        .update(privacyRequests)
        .set({
          status: 'rejected',
          completedAt: now,
          notes: 'The account was erased before the export was made.',
        })
        .where(eq(privacyRequests.id, requestId));
      return 'skipped';
    }
    const location = exportLocation(userId, requestId);
    const archive = await buildArchive(ctx, userId, requestId, now);
    await mkdir(path.dirname(contentFilePath(ctx.config.dataDir, location)), {
      recursive: true,
      mode: 0o700,
    });
    await writeSealedFile(ctx.config.dataDir, location, await dataKeyFor(ctx, userId), archive);
    const expiresAt = new Date(now.getTime() + EXPORT_LIFETIME_MS);
    await ctx.db.transaction(async (tx) => {
      await tx
        .update(privacyRequests)
        .set({ status: 'completed', completedAt: now, exportLocation: location, exportExpiresAt: expiresAt })
        .where(eq(privacyRequests.id, requestId));
      await recordSecurityEvent(tx, {
        type: 'data_export_ready',
        userId,
        occurredAt: now,
        details: { requestId, bytes: archive.length, expiresAt: expiresAt.toISOString() },
      });
    });
    try {
      await ctx.mailer.send(exportReadyMail(ctx, request.email, expiresAt));
    } catch {
      // The export is ready either way: the user's list of requests shows it with its link.
    }
    return 'built';
  });
  return outcome.busy ? 'busy' : outcome.result;
}

/** Builds every verified access request still waiting, oldest first; returns how many it built. */
export async function buildPendingExports(ctx: AppContext): Promise<number> {
  const pending = await ctx.db
    .select({ id: privacyRequests.id })
    .from(privacyRequests)
    .where(and(eq(privacyRequests.type, 'access'), eq(privacyRequests.status, 'in_progress')))
    .orderBy(privacyRequests.receivedAt)
    .limit(20);
  let built = 0;
  for (const { id } of pending) if ((await buildDataExport(ctx, id)) === 'built') built += 1;
  return built;
}

/** Deletes the archives past their 7 days; the request keeps its expiry, so a late download is told it is gone. */
export async function sweepExpiredExports(ctx: AppContext): Promise<number> {
  const expired = await ctx.db
    .select({ id: privacyRequests.id, location: privacyRequests.exportLocation })
    .from(privacyRequests)
    .where(and(isNotNull(privacyRequests.exportLocation), lte(privacyRequests.exportExpiresAt, ctx.now())));
  for (const request of expired) await deleteExport(ctx, request.id, request.location!);
  return expired.length;
}

async function deleteExport(ctx: AppContext, requestId: string, location: string): Promise<void> {
  await rm(contentFilePath(ctx.config.dataDir, location), { force: true });
  await ctx.db.update(privacyRequests).set({ exportLocation: null }).where(eq(privacyRequests.id, requestId));
}

/** The archive of one of the user's own access requests, opened; another user's request does not exist for them. */
export async function readExport(ctx: AppContext, userId: string, requestId: string): Promise<Buffer> {
  const [request] = await ctx.db
    .select()
    .from(privacyRequests)
    .where(
      and(
        eq(privacyRequests.id, requestId),
        eq(privacyRequests.userId, userId),
        eq(privacyRequests.type, 'access'),
      ),
    );
  if (!request) throw new MixgateError('not_found', 'No such export');
  if (request.status !== 'completed' || !request.exportExpiresAt) {
    throw new MixgateError('conflict', 'The export is not ready yet: we mail you when it is', 409, {
      status: request.status,
    });
  }
  if (request.exportExpiresAt <= ctx.now() || !request.exportLocation) {
    if (request.exportLocation) await deleteExport(ctx, request.id, request.exportLocation);
    throw new MixgateError('not_found', 'This export expired and was deleted: ask for a new one', 410);
  }
  return readSealedFile(ctx.config.dataDir, request.exportLocation, await dataKeyFor(ctx, userId));
}
