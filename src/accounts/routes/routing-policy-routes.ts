/**
 * GET/PUT /api/account/routing: the signed-in user's standing routing restrictions (allowed
 * providers, zero-retention only, regions). The gateway applies them to every request, on top of
 * a request's own `provider` object, and refuses rather than relaxes them.
 */
import { eq } from 'drizzle-orm';
import { z } from 'zod';
import type { App, AppContext } from '../../app-context.js';
import { KNOWN_PROVIDERS } from '../../catalog/provider-deployments.js';
import { users } from '../../db/schema/index.js';
import { requireSession, sessionOf } from '../authenticate.js';

export const ZRoutingPolicy = z.strictObject({
  allowedProviders: z
    .array(
      z.string().refine((name) => KNOWN_PROVIDERS.includes(name), {
        error: `must be one of: ${KNOWN_PROVIDERS.join(', ')}`,
      }),
    )
    .min(1)
    .max(50)
    .nullish()
    .describe('Only these providers may receive your requests; null: any'),
  zeroRetentionOnly: z.boolean().default(false).describe('Only providers that keep no prompts or outputs'),
  regions: z
    .array(z.string().min(2).max(40))
    .min(1)
    .max(20)
    .nullish()
    .describe('Only providers processing in these regions, e.g. ["EU"]; null: any'),
});

const ZRoutingPolicyResponse = z.object({
  allowedProviders: z.array(z.string()).nullable(),
  zeroRetentionOnly: z.boolean(),
  regions: z.array(z.string()).nullable(),
});

function view(policy: (typeof users.$inferSelect)['routingPolicy']) {
  return {
    allowedProviders: policy?.allowedProviders ?? null,
    zeroRetentionOnly: policy?.zeroRetentionOnly ?? false,
    regions: policy?.regions ?? null,
  };
}

export function registerRoutingPolicyRoutes(app: App, ctx: AppContext): void {
  const guard = { preHandler: requireSession(ctx) };
  app.get(
    '/api/account/routing',
    { ...guard, schema: { tags: ['account'], response: { 200: ZRoutingPolicyResponse } } },
    async (request) => view(sessionOf(request).user.routingPolicy),
  );
  app.put(
    '/api/account/routing',
    {
      ...guard,
      schema: { tags: ['account'], body: ZRoutingPolicy, response: { 200: ZRoutingPolicyResponse } },
    },
    async (request) => {
      const { userId } = sessionOf(request);
      const body = request.body;
      const policy = {
        ...(body.allowedProviders ? { allowedProviders: [...new Set(body.allowedProviders)] } : {}),
        ...(body.zeroRetentionOnly ? { zeroRetentionOnly: true } : {}),
        ...(body.regions
          ? { regions: [...new Set(body.regions.map((region) => region.toUpperCase()))] }
          : {}),
      };
      const stored = Object.keys(policy).length > 0 ? policy : null;
      await ctx.db
        .update(users)
        .set({ routingPolicy: stored, updatedAt: ctx.now() })
        .where(eq(users.id, userId));
      return view(stored);
    },
  );
}
