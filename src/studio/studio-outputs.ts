/**
 * The studio's gallery: a user's outputs as the web app shows them (model, provider and cost from
 * the generation record, or from the job while it runs), listed newest first, read, cancelled and
 * deleted with their files. Another user's output answers exactly as a missing one does.
 */
import { and, desc, eq, type SQL, sql } from 'drizzle-orm';
import type { AppContext } from '../app-context.js';
import type { Db } from '../db/database.js';
import { studioOutputs } from '../db/schema/index.js';
import { readJobOutput } from '../gateway/jobs/job-outputs.js';
import type { JobRow } from '../gateway/jobs/job-view.js';
import {
  discardJobOutputs,
  findOwnJob,
  findOwnJobs,
  isJobUnfinished,
  requestJobCancel,
} from '../gateway/jobs/own-jobs.js';
import { type GenerationSummary, generationSummaries } from '../gateway/routes/generation-details.js';
import { MixgateError } from '../lib/errors.js';
import { formatAmount } from '../lib/money.js';
import { contentField, openText, type Sealed, sealText } from '../privacy/content-cipher.js';
import { dataKeyFor } from '../privacy/content-keys.js';
import { deleteOutputFiles, readOutputFile } from './output-files.js';
import type { OutputKind, TStudioOutput } from './studio-output-routes.types.js';

/** As stored: the prompt sealed with the owner's data key. */
export type SealedOutputRow = typeof studioOutputs.$inferSelect;
/** As the gallery works with it: the prompt opened. */
export type OutputRow = Omit<SealedOutputRow, 'prompt'> & { prompt: string };

export function sealPrompt(key: Buffer, outputId: string, prompt: string): Sealed<string> {
  return sealText(key, prompt, contentField('studio_outputs', 'prompt', outputId));
}

export function openOutput(key: Buffer, row: SealedOutputRow): OutputRow {
  return { ...row, prompt: openText(key, row.prompt, contentField('studio_outputs', 'prompt', row.id)) };
}

/** What a provider that answered with nothing left: the generation was recorded as `empty`. */
const EMPTY_ANSWER = 'The provider returned nothing; nothing was charged';

export interface OutputSources {
  generations: Map<string, GenerationSummary>;
  jobs: Map<string, JobRow>;
}

async function sourcesOf(
  db: Db,
  userId: string,
  rows: ReadonlyArray<Pick<OutputRow, 'generationId' | 'jobId'>>,
): Promise<OutputSources> {
  const generationIds = rows.flatMap((row) => (row.generationId ? [row.generationId] : []));
  const jobIds = rows.flatMap((row) => (row.jobId ? [row.jobId] : []));
  const [generations, jobs] = await Promise.all([
    generationSummaries(db, userId, generationIds),
    findOwnJobs(db, userId, jobIds),
  ]);
  return { generations, jobs };
}

export function outputView(ctx: AppContext, row: OutputRow, sources: OutputSources): TStudioOutput {
  const generation = row.generationId ? sources.generations.get(row.generationId) : undefined;
  const job = row.jobId ? sources.jobs.get(row.jobId) : undefined;
  const files = job ? (job.outputs ?? []) : row.files;
  const deployment = job?.deploymentId ? ctx.gateway.deploymentsById.get(job.deploymentId) : undefined;
  const ended = job ? !isJobUnfinished(job) : true;
  const failed = !job && files.length === 0;
  return {
    id: row.id,
    kind: row.kind as OutputKind,
    model: generation?.model ?? job?.model ?? job?.requestedModel ?? row.model,
    provider: generation?.provider ?? deployment?.provider ?? null,
    prompt: row.prompt,
    status: job ? (job.status as TStudioOutput['status']) : failed ? 'failed' : 'succeeded',
    progress: job ? job.progress : null,
    cost: generation ? formatAmount(generation.cost) : job && ended ? formatAmount(job.cost) : null,
    error: job ? job.errorMessage : failed ? EMPTY_ANSWER : null,
    createdAt: row.createdAt.toISOString(),
    generationId: row.generationId,
    jobId: row.jobId,
    files: files.map((file, index) => ({
      url: `/api/studio/outputs/${row.id}/files/${index}`,
      mediaType: file.mediaType,
      bytes: file.bytes,
    })),
  };
}

/** The output as stored, if it is `userId`'s; otherwise 404 whether or not it exists. */
export async function findOutput(db: Db, userId: string, id: string): Promise<SealedOutputRow> {
  const [row] = await db
    .select()
    .from(studioOutputs)
    .where(and(eq(studioOutputs.id, id), eq(studioOutputs.userId, userId)));
  if (!row) throw new MixgateError('not_found', `No output ${id}`);
  return row;
}

export async function readOutput(ctx: AppContext, userId: string, id: string): Promise<TStudioOutput> {
  // An output just generated in this request: its capture, with the generation's record, may
  // still be on its way from the settlement journal to the database.
  await ctx.gateway.settlements.committed();
  const row = openOutput(await dataKeyFor(ctx, userId), await findOutput(ctx.db, userId, id));
  return outputView(ctx, row, await sourcesOf(ctx.db, userId, [row]));
}

/** A page position: older than this output (`id`), or, when it is gone, created before `instant`. */
export interface OutputCursor {
  instant: Date;
  id?: string;
}

/** Newest first, in the order they were made; `kind` keeps only images, speech, video or music. */
export async function listOutputs(
  ctx: AppContext,
  userId: string,
  query: { kind?: OutputKind; limit: number; before?: OutputCursor },
): Promise<{ outputs: TStudioOutput[]; nextBefore: string | null }> {
  const { kind, limit, before } = query;
  const conditions: SQL[] = [eq(studioOutputs.userId, userId)];
  if (kind) conditions.push(eq(studioOutputs.kind, kind));
  if (before) conditions.push(await olderThan(ctx.db, userId, before));
  const rows = await ctx.db
    .select()
    .from(studioOutputs)
    .where(and(...conditions))
    .orderBy(desc(studioOutputs.sequence))
    .limit(limit + 1);
  const page = rows.slice(0, limit);
  const sources = await sourcesOf(ctx.db, userId, page);
  const key = page.length > 0 ? await dataKeyFor(ctx, userId) : undefined;
  const last = page.at(-1);
  return {
    outputs: page.map((row) => outputView(ctx, openOutput(key!, row), sources)),
    nextBefore: rows.length > limit && last ? `${last.createdAt.toISOString()}_${last.id}` : null,
  };
}

async function olderThan(db: Db, userId: string, before: OutputCursor): Promise<SQL> {
  if (before.id) {
    const [cursor] = await db
      .select({ sequence: studioOutputs.sequence })
      .from(studioOutputs)
      .where(and(eq(studioOutputs.id, before.id), eq(studioOutputs.userId, userId)));
    if (cursor) return sql`${studioOutputs.sequence} < ${cursor.sequence}`;
  }
  return sql`${studioOutputs.createdAt} < ${before.instant.toISOString()}::timestamptz`;
}

/**
 * Asks for the output's job to be cancelled, as DELETE /v1/jobs/:id does; 409 for an output that
 * is not a job still queued or running.
 */
export async function cancelOutput(ctx: AppContext, userId: string, id: string): Promise<TStudioOutput> {
  const row = openOutput(await dataKeyFor(ctx, userId), await findOutput(ctx.db, userId, id));
  if (!row.jobId) throw new MixgateError('conflict', 'Only a job can be cancelled; this output is finished');
  const job = await requestJobCancel(ctx, await findOwnJob(ctx.db, userId, row.jobId));
  // As of the request: the step that cancels it may already be running, the answer does not wait.
  return outputView(ctx, row, { generations: new Map(), jobs: new Map([[job.id, job]]) });
}

/** Deletes the output and its files; a job still running is cancelled first (nothing is charged). */
export async function deleteOutput(ctx: AppContext, userId: string, id: string): Promise<void> {
  const row = await findOutput(ctx.db, userId, id);
  const job = row.jobId ? await findOwnJob(ctx.db, userId, row.jobId) : undefined;
  if (job && isJobUnfinished(job)) await requestJobCancel(ctx, job);
  const deleted = await ctx.db
    .delete(studioOutputs)
    .where(and(eq(studioOutputs.id, id), eq(studioOutputs.userId, userId)))
    .returning({ id: studioOutputs.id });
  if (deleted.length === 0) throw new MixgateError('not_found', `No output ${id}`);
  if (job) await discardJobOutputs(ctx, job.id);
  else await deleteOutputFiles(ctx.config.dataDir, userId, row.files);
}

/** The output's file number `index` (for a job, the job's own output file). */
export async function outputFile(ctx: AppContext, userId: string, id: string, index: number) {
  const key = await dataKeyFor(ctx, userId);
  const row = openOutput(key, await findOutput(ctx.db, userId, id));
  const job = row.jobId ? await findOwnJob(ctx.db, userId, row.jobId) : undefined;
  const files = job ? (job.outputs ?? []) : row.files;
  const file = files[index];
  if (!file) throw new MixgateError('not_found', `Output ${id} has no file ${index}`);
  try {
    const data = job
      ? await readJobOutput(ctx.config.dataDir, job.id, key, file.file)
      : await readOutputFile(ctx.config.dataDir, userId, key, file.file);
    return { data, mediaType: file.mediaType, file: file.file, count: files.length, prompt: row.prompt };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new MixgateError('not_found', `The file ${index} of output ${id} is gone`);
    }
    throw error;
  }
}
