/**
 * Long generations: POST /v1/jobs -> 202 with the job; GET /v1/jobs/:id to poll; DELETE to cancel;
 * GET /v1/jobs/:id/outputs/:file for the results. Only the job's owner sees it.
 */
import { z } from 'zod';
import { requireApiKeyOrSession } from '../../accounts/authenticate.js';
import type { App, AppContext } from '../../app-context.js';
import { MixgateError } from '../../lib/errors.js';
import { dataKeyFor } from '../../privacy/content-keys.js';
import { createJob } from '../jobs/create-job.js';
import { readJobOutput } from '../jobs/job-outputs.js';
import { jobView } from '../jobs/job-view.js';
import { findOwnJob, requestJobCancel } from '../jobs/own-jobs.js';

const ZJobParams = z.object({ id: z.string().regex(/^job-[0-9a-z]{26}$/, 'not a job id') });

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
      jobView(await findOwnJob(ctx.db, request.principal!.userId, request.params.id), ctx.config.publicUrl),
  );

  app.delete(
    '/v1/jobs/:id',
    { preHandler: inference, schema: { ...docs('Cancel a job; nothing is charged'), params: ZJobParams } },
    async (request, reply) => {
      const job = await findOwnJob(ctx.db, request.principal!.userId, request.params.id);
      const row = await requestJobCancel(ctx, job);
      return reply.status(202).send(jobView(row, ctx.config.publicUrl));
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
      const job = await findOwnJob(ctx.db, request.principal!.userId, request.params.id);
      const output = (job.outputs ?? []).find((candidate) => candidate.file === request.params.file);
      if (!output) throw new MixgateError('not_found', 'No such output');
      reply.header('content-type', output.mediaType);
      reply.header('content-disposition', `attachment; filename="${job.id}-${output.file}"`);
      const key = await dataKeyFor(ctx, job.userId);
      return reply.send(await readJobOutput(ctx.config.dataDir, job.id, key, output.file));
    },
  );
}
