import { z } from 'zod';
import { runJobStep } from '../../gateway/jobs/run-job-step.js';
import type { JobDefinition } from '../job-definition.js';

const ZData = z.object({ jobId: z.string().min(1) });

/** One step of a long generation (/v1/jobs): start it upstream or poll it; see run-job-step.ts. */
export const gatewayJobStep: JobDefinition = {
  name: 'gateway-job-step',
  // A failed step is retried by the next poll the step itself schedules, not by the queue.
  retryLimit: 0,
  async handler(ctx, data) {
    const parsed = ZData.safeParse(data);
    if (parsed.success) await runJobStep(ctx, parsed.data.jobId);
  },
};
