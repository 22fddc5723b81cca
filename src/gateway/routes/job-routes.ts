/**
 * Long generations: POST /v1/jobs -> 202 with the job; GET /v1/jobs/:id to poll; DELETE to cancel;
 * GET /v1/jobs/:id/outputs/:file for the results. Only the job's owner sees it.
 */
import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import { requireApiKeyOrSession } from '../../accounts/authenticate.js';
import type { App, AppContext } from '../../app-context.js';
import { gatewayJobs } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';
import { createJob } from '../jobs/create-job.js';
import { readJobOutput } from '../jobs/job-outputs.js';
import { type JobRow, jobView } from '../jobs/job-view.js';

const ZJobParams = z.object({ id: z.string().regex(/^job-[0-9a-z]{26}$/, 'not a job id') });

async function ownJob(ctx: AppContext, userId: string, id: string): Promise<JobRow> {
  const [row] = await ctx.db
    .select()
    .from(gatewayJobs)
    .where(and(eq(gatewayJobs.id, id), eq(gatewayJobs.userId, userId)));
  if (!row) throw new MixgateError('not_found', `No job "${id}" of yours`);
  return row;
}

export function registerJobRoutes(app: App, ctx: AppContext): void {
  const inference = requireApiKeyOrSession(ctx, 'inference');
  const docs = (summary: string) => ({ tags: ['openai-compatible'], summary, security: [{ apiKey: [] }] });

  app.post(
    '/v1/jobs',
    {
      preHandler: inference,
      schema: { ...docs('Start a long generation (video, music…)'), body: z.unknown() },
    },
    async (request, reply) => {
      const job = await createJob(ctx, request);
      reply.header('x-mixgate-generation-id', job.generation_id);
      return reply.status(202).send(job);
    },
  );

  app.get(
    '/v1/jobs/:id',
    {
      preHandler: inference,
      schema: { ...docs('A job’s status, progress, outputs and cost'), params: ZJobParams },
    },
    async (request) =>
      jobView(await ownJob(ctx, request.principal!.userId, request.params.id), ctx.config.publicUrl),
  );

  app.delete(
    '/v1/jobs/:id',
    { preHandler: inference, schema: { ...docs('Cancel a job; nothing is charged'), params: ZJobParams } },
    async (request, reply) => {
      const job = await ownJob(ctx, request.principal!.userId, request.params.id);
      if (job.status !== 'queued' && job.status !== 'running') {
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
      return reply.status(202).send(jobView(row!, ctx.config.publicUrl));
    },
  );

  app.get(
    '/v1/jobs/:id/outputs/:file',
    {
      preHandler: inference,
      schema: {
        ...docs('One output file of a finished job'),
        params: ZJobParams.extend({ file: z.string().regex(/^\d+\.[a-z0-9]+$/) }),
      },
    },
    async (request, reply) => {
      const job = await ownJob(ctx, request.principal!.userId, request.params.id);
      const output = (job.outputs ?? []).find((candidate) => candidate.file === request.params.file);
      if (!output) throw new MixgateError('not_found', 'No such output');
      reply.header('content-type', output.mediaType);
      reply.header('content-disposition', `attachment; filename="${job.id}-${output.file}"`);
      return reply.send(await readJobOutput(ctx.config.dataDir, job.id, output.file));
    },
  );
}
