/**
 * A user's jobs as /v1/jobs and the studio's gallery reach them: found only by their owner (another
 * user's job answers as a missing one does), cancelled on request, their output files discarded.
 */
import { and, eq, inArray } from 'drizzle-orm';
import type { AppContext } from '../../app-context.js';
import type { Db } from '../../db/database.js';
import { gatewayJobs } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';
import { deleteJobOutputs } from './job-outputs.js';
import type { JobRow } from './job-view.js';

export async function findOwnJob(db: Db, userId: string, id: string): Promise<JobRow> {
  const [row] = await db
    .select()
    .from(gatewayJobs)
    .where(and(eq(gatewayJobs.id, id), eq(gatewayJobs.userId, userId)));
  if (!row) throw new MixgateError('not_found', `No job "${id}" of yours`);
  return row;
}

/** The jobs among `ids` that are `userId`'s, by id. */
export async function findOwnJobs(
  db: Db,
  userId: string,
  ids: readonly string[],
): Promise<Map<string, JobRow>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select()
    .from(gatewayJobs)
    .where(and(inArray(gatewayJobs.id, [...ids]), eq(gatewayJobs.userId, userId)));
  return new Map(rows.map((row) => [row.id, row]));
}

export function isJobUnfinished(job: JobRow): boolean {
  return job.status === 'queued' || job.status === 'running';
}

/**
 * Asks for the job to be cancelled; its next step (scheduled now) cancels it upstream and releases
 * its hold, so nothing is charged. An ended job is a 409.
 */
export async function requestJobCancel(ctx: AppContext, job: JobRow): Promise<JobRow> {
  if (!isJobUnfinished(job)) {
    throw new MixgateError(
      'conflict',
      `The job has already ${job.status === 'cancelled' ? 'been cancelled' : job.status}`,
    );
  }
  const [row] = await ctx.db
    .update(gatewayJobs)
    .set({ cancelRequestedAt: job.cancelRequestedAt ?? ctx.now() })
    .where(eq(gatewayJobs.id, job.id))
    .returning();
  await ctx.gateway.jobScheduler.schedule(job.id, 0);
  return row!;
}

/** Deletes the job's output files and forgets them, so /v1/jobs/:id lists none (its owner deleted them). */
export async function discardJobOutputs(ctx: AppContext, jobId: string): Promise<void> {
  await ctx.db.update(gatewayJobs).set({ outputs: [] }).where(eq(gatewayJobs.id, jobId));
  await deleteJobOutputs(ctx.config.dataDir, jobId);
}
