/**
 * A user's standing routing restrictions (PUT /api/account/routing) are honoured by the gateway,
 * or the request fails with the restriction named and reaches no provider.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import { signUpAndLogIn } from '../../test/test-app.js';
import { createApiKey } from '../accounts/api-keys.js';
import { grantPromotion } from '../ledger/manual-adjustments.js';

let gateway: GatewayTestApp;
beforeAll(async () => {
  gateway = await createGatewayTestApp();
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await gateway.close();
});

async function userWithPolicy(policy: Record<string, unknown>) {
  const user = await signUpAndLogIn(gateway);
  const put = await gateway.app.inject({
    method: 'PUT',
    url: '/api/account/routing',
    headers: user.headers,
    payload: policy,
  });
  expect(put.statusCode, put.body).toBe(200);
  await grantPromotion(gateway.ctx.db, {
    owner: { userId: user.userId },
    amount: 5_000_000n,
    reason: 'test credit',
    idempotencyKey: `routing-test-${user.userId}`,
    now: gateway.ctx.now(),
  });
  const { key } = await createApiKey(
    gateway.ctx.db,
    { userId: user.userId, name: 't' },
    null,
    gateway.ctx.now(),
  );
  return { ...user, key };
}

async function chat(key: string, model: string) {
  const response = await fetch(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
  });
  return {
    status: response.status,
    body: (await response.json()) as { error?: { code: string; message: string } },
  };
}

describe('routing policy', () => {
  it('round-trips the settings and refuses unknown providers', async () => {
    const user = await signUpAndLogIn(gateway);
    const empty = await gateway.app.inject({
      method: 'GET',
      url: '/api/account/routing',
      headers: user.headers,
    });
    expect(empty.json()).toEqual({ allowedProviders: null, zeroRetentionOnly: false, regions: null });
    const bad = await gateway.app.inject({
      method: 'PUT',
      url: '/api/account/routing',
      headers: user.headers,
      payload: { allowedProviders: ['acme'] },
    });
    expect(bad.statusCode).toBe(400);
    const saved = await gateway.app.inject({
      method: 'PUT',
      url: '/api/account/routing',
      headers: user.headers,
      payload: { allowedProviders: ['openai', 'openai'], regions: ['eu'] },
    });
    expect(saved.json()).toEqual({ allowedProviders: ['openai'], zeroRetentionOnly: false, regions: ['EU'] });
  });

  it('zero-retention only: refuses a provider that keeps data, with no provider called, and serves one that keeps none', async () => {
    const { key } = await userWithPolicy({ zeroRetentionOnly: true });
    const before = gateway.fakes.openai.requests.length + gateway.fakes.openrouter.requests.length;
    const refused = await chat(key, 'openai/gpt-4o-mini');
    expect(refused.status).toBe(400);
    expect(refused.body.error).toMatchObject({ code: 'no_eligible_provider' });
    expect(refused.body.error!.message).toContain('zero-retention');
    expect(gateway.fakes.openai.requests.length + gateway.fakes.openrouter.requests.length).toBe(before);
    expect((await chat(key, 'local/echo')).status).toBe(200);
  });

  it('allowed providers: sends the request only to an allowed deployment', async () => {
    const { key } = await userWithPolicy({ allowedProviders: ['openrouter'] });
    const before = gateway.fakes.openai.requests.length;
    const answer = await chat(key, 'openai/gpt-4o-mini');
    expect(answer.status).toBe(200);
    expect(gateway.fakes.openai.requests.length).toBe(before);
    expect(gateway.fakes.openrouter.requests.at(-1)!.body).toMatchObject({ model: 'openai/gpt-4o-mini' });
  });

  it('regions: refuses when no deployment processes there', async () => {
    const { key } = await userWithPolicy({ regions: ['EU'] });
    const refused = await chat(key, 'anthropic/claude-haiku-4-5');
    expect(refused.status).toBe(400);
    expect(refused.body.error!.message).toContain('region');
  });
});
