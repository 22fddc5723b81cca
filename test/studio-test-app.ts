/**
 * Test helpers of the studio's route tests: the app with the studio's routes, a funded signed-in
 * user, and a chat turn read to its end as the browser reads it. Used by tests only.
 */
import { once } from 'node:events';
import http from 'node:http';
import { expect } from 'vitest';
import type * as AppModule from '../src/app.js';
import { grantPromotion } from '../src/ledger/manual-adjustments.js';
import { parseAmount } from '../src/lib/money.js';
import { registerStudioRoutes } from '../src/studio/studio-routes.js';
import type { SignedInUser, TestApp } from './test-app.js';

/**
 * buildApp with the studio's routes, for `vi.mock('../app.js', …)` in the studio's tests while
 * src/app.ts does not register them yet; once it does, this changes nothing.
 */
export function withStudioRoutes(original: typeof AppModule): typeof AppModule {
  return {
    ...original,
    async buildApp(ctx, options) {
      const app = await original.buildApp(ctx, options);
      if (!app.hasRoute({ method: 'GET', url: '/api/conversations' })) registerStudioRoutes(app, ctx);
      return app;
    },
  };
}

export async function fund(test: TestApp, user: SignedInUser, amount: bigint): Promise<void> {
  await grantPromotion(test.ctx.db, {
    owner: { userId: user.userId },
    amount,
    reason: 'test credit',
    idempotencyKey: `studio-test-${user.userId}-${amount}`,
    now: test.ctx.now(),
  });
}

export async function newConversation(test: TestApp, user: SignedInUser, body: Record<string, unknown> = {}) {
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/conversations',
    headers: user.headers,
    payload: body,
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as { id: string; title: string; model: string | null; activeLeafId: string | null };
}

export interface StreamChunk {
  choices?: { delta: { content?: string | null }; finish_reason: string | null }[];
  usage?: { cost: number; prompt_tokens: number; completion_tokens: number } | null;
}

export interface TurnResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The whole body as received. */
  body: string;
  /** The parsed `data:` chunks (not [DONE]). */
  chunks: StreamChunk[];
  text: string;
  done: boolean;
}

/** Reads the `data:` events of an OpenAI-format stream. */
export function parseStream(body: string): { chunks: StreamChunk[]; text: string; done: boolean } {
  const events = body
    .split('\n\n')
    .filter((block) => block.startsWith('data: '))
    .map((block) => block.slice(6));
  const chunks = events
    .filter((event) => event !== '[DONE]')
    .flatMap((event) => {
      try {
        return [JSON.parse(event) as StreamChunk];
      } catch {
        return [];
      }
    });
  // An error event (`data: {"error": …}`) has no choices.
  const text = chunks.map((chunk) => chunk.choices?.[0]?.delta.content ?? '').join('');
  return { chunks, text, done: events.at(-1) === '[DONE]' };
}

/** The cost a finished OpenAI stream reported, in its one usage chunk (`include_usage`). */
export function streamedCost(body: string): bigint {
  const { chunks, done } = parseStream(body);
  expect(done).toBe(true);
  const usage = chunks.flatMap((chunk) => (chunk.usage ? [chunk.usage] : []));
  expect(usage).toHaveLength(1);
  return parseAmount(usage[0]!.cost.toFixed(6));
}

/**
 * POSTs a chat turn over a real connection and reads the answer; `leaveWhen` destroys the
 * connection once the received text satisfies it, as a browser tab that closes.
 */
export async function postTurn(
  url: string,
  user: SignedInUser,
  conversationId: string,
  body: unknown,
  leaveWhen?: (received: string) => boolean,
): Promise<TurnResult> {
  const request = http.request(`${url}/api/conversations/${conversationId}/messages`, {
    method: 'POST',
    agent: false,
    headers: { ...user.headers, 'content-type': 'application/json' },
  });
  request.end(JSON.stringify(body));
  const [response] = (await once(request, 'response')) as [http.IncomingMessage];
  let received = '';
  for await (const chunk of response) {
    received += (chunk as Buffer).toString('utf8');
    if (leaveWhen?.(parseStream(received).text)) break;
  }
  request.destroy();
  return {
    status: response.statusCode ?? 0,
    headers: response.headers,
    body: received,
    ...parseStream(received),
  };
}
