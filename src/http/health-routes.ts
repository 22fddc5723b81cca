import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { App, AppContext } from '../app-context.js';
import { MixgateError } from '../lib/errors.js';

export function registerHealthRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/healthz',
    { logLevel: 'warn', schema: { hide: true, response: { 200: z.object({ status: z.literal('ok') }) } } },
    async () => ({ status: 'ok' as const }),
  );

  // Ready means the database answers: a load balancer should not send traffic before that.
  app.get('/readyz', { logLevel: 'warn', schema: { hide: true } }, async () => {
    try {
      await ctx.db.execute(sql`SELECT 1`);
    } catch {
      throw new MixgateError('unavailable', 'The database is not reachable');
    }
    return { status: 'ready' };
  });
}
