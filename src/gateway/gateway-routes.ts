import { z } from 'zod';
import { requireApiKeyOrSession } from '../accounts/authenticate.js';
import type { App, AppContext } from '../app-context.js';

const ZModelList = z.object({
  object: z.literal('list'),
  data: z.array(
    z.object({ id: z.string(), object: z.literal('model'), created: z.number(), owned_by: z.string() }),
  ),
});

/** The OpenAI-compatible API. The model catalog and providers arrive with the gateway work. */
export function registerGatewayRoutes(app: App, ctx: AppContext): void {
  app.get(
    '/v1/models',
    {
      preHandler: requireApiKeyOrSession(ctx, 'models:read'),
      schema: { tags: ['openai-compatible'], security: [{ apiKey: [] }], response: { 200: ZModelList } },
    },
    async () => ({ object: 'list' as const, data: [] }),
  );
}
