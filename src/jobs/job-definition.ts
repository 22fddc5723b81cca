import type { AppContext } from '../app-context.js';

/** A background job: a name, an optional cron schedule and a plain handler tests can call directly. */
export interface JobDefinition {
  name: string;
  /** Cron expression (UTC) when the job runs on a schedule. */
  cron?: string;
  retryLimit?: number;
  /** `data` is what `JobRunner.send` queued with the job (nothing for scheduled runs). */
  handler(ctx: AppContext, data?: unknown): Promise<void>;
}
