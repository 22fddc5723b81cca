import { z } from 'zod';
import { requireApiKeyOrSession } from '../accounts/authenticate.js';
import type { App, AppContext } from '../app-context.js';
import { registerChatRoutes } from './routes/chat-routes.js';
import { generationDetails } from './routes/generation-details.js';
import { registerJobRoutes } from './routes/job-routes.js';
import { registerMediaRoutes } from './routes/media-routes.js';
import { anthropicModelList, openAiModelList } from './routes/model-list.js';

/** The OpenAI- and Anthropic-compatible API under /v1. */
export async function registerGatewayRoutes(app: App, ctx: AppContext): Promise<void> {
  app.get(
    '/v1/models',
    {
      preHandler: requireApiKeyOrSession(ctx, 'models:read'),
      schema: {
        tags: ['openai-compatible'],
        summary: 'Models this instance can serve, with modality, capabilities and sale prices',
        security: [{ apiKey: [] }],
      },
    },
    async (request) =>
      request.headers['anthropic-version'] !== undefined
        ? anthropicModelList(ctx.gateway)
        : openAiModelList(ctx.gateway, ctx.config.CURRENCY),
  );
  app.get(
    '/v1/generations/:id',
    {
      preHandler: requireApiKeyOrSession(ctx, 'models:read'),
      schema: {
        tags: ['openai-compatible'],
        summary: 'Model, provider, tokens, cost, latency and processing location of one request',
        security: [{ apiKey: [] }],
        params: z.object({ id: z.string().min(1).max(64) }),
      },
    },
    async (request) => generationDetails(ctx.db, request.principal!.userId, request.params.id),
  );
  registerChatRoutes(app, ctx);
  await registerMediaRoutes(app, ctx);
  registerJobRoutes(app, ctx);
}
