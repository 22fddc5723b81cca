import type { AppContext } from '../app-context.js';

/** A background job: a name, an optional cron schedule and a plain handler tests can call directly. */
export interface JobDefinition {
  name: string;
  /** Cron expression (UTC) when the job runs on a schedule. */
  cron?: string;
  retryLimit?: number;
  handler(ctx: AppContext): Promise<void>;
}
