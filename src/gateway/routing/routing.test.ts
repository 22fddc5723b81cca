import { describe, expect, it } from 'vitest';
import { type Deployment, ProviderError } from '../../providers/spec.js';
import { callWithRouting, RoutingError } from './call-with-routing.js';
import { createCircuitBreakers } from './circuit-breaker.js';
import { planRoute, type RouteCandidate } from './plan-route.js';

function deployment(id: string, extra: Partial<Deployment> = {}): Deployment {
  return {
    id,
    provider: extra.provider ?? id,
    baseUrl: `https://${id}.example/v1`,
    region: 'US',
    zeroRetention: false,
    transferSafeguard: 'EU-US Data Privacy Framework',
    ...extra,
  };
}

function candidate(modelId: string, d: Deployment): RouteCandidate {
  return { modelId, deployment: d, upstreamId: modelId.split('/')[1]! };
}

const openai = deployment('openai');
const openrouter = deployment('openrouter', { region: 'US' });
const mistral = deployment('mistral', { region: 'EU', zeroRetention: true });
const perModel = [
  {
    modelId: 'openai/gpt-4o-mini',
    candidates: [candidate('openai/gpt-4o-mini', openai), candidate('openai/gpt-4o-mini', openrouter)],
  },
  { modelId: 'mistral/mistral-small', candidates: [candidate('mistral/mistral-small', mistral)] },
];
const ids = (route: RouteCandidate[]) => route.map((c) => `${c.modelId}@${c.deployment.id}`);

describe('planRoute', () => {
  it('keeps the catalog order per model and the models in request order', () => {
    expect(ids(planRoute(perModel, undefined))).toEqual([
      'openai/gpt-4o-mini@openai',
      'openai/gpt-4o-mini@openrouter',
      'mistral/mistral-small@mistral',
    ]);
  });

  it('puts provider.order first and drops the rest without fallbacks', () => {
    expect(ids(planRoute(perModel, { order: ['openrouter'] }))[0]).toBe('openai/gpt-4o-mini@openrouter');
    expect(ids(planRoute(perModel, { order: ['openrouter'], allow_fallbacks: false }))).toEqual([
      'openai/gpt-4o-mini@openrouter',
    ]);
    expect(ids(planRoute(perModel.slice(0, 1), { allow_fallbacks: false }))).toEqual([
      'openai/gpt-4o-mini@openai',
    ]);
  });

  it('honours only, ignore, data_collection and region, and the user policy', () => {
    expect(ids(planRoute(perModel, { only: ['openrouter', 'mistral'] }))).toEqual([
      'openai/gpt-4o-mini@openrouter',
      'mistral/mistral-small@mistral',
    ]);
    expect(ids(planRoute(perModel, { ignore: ['openai'] }))[0]).toBe('openai/gpt-4o-mini@openrouter');
    expect(ids(planRoute(perModel, { data_collection: 'deny' }))).toEqual(['mistral/mistral-small@mistral']);
    expect(ids(planRoute(perModel, undefined, { regions: ['eu'] }))).toEqual([
      'mistral/mistral-small@mistral',
    ]);
    expect(ids(planRoute(perModel, undefined, { allowedProviders: ['openai'] }))).toEqual([
      'openai/gpt-4o-mini@openai',
    ]);
  });

  it('fails with the restriction that excluded everything instead of relaxing it', () => {
    const error = (() => {
      try {
        planRoute(perModel.slice(0, 1), undefined, { zeroRetentionOnly: true });
      } catch (e) {
        return e;
      }
    })();
    expect(error).toMatchObject({ code: 'no_eligible_provider', status: 400 });
    expect((error as Error).message).toContain('zero-retention');
    expect(() => planRoute([{ modelId: 'x/y', candidates: [] }], undefined)).toThrow(
      /No provider is configured/,
    );
  });
});

describe('circuit breakers', () => {
  it('open after consecutive failures, probe once after the pause, and back off on a failed probe', () => {
    let clock = 0;
    const breakers = createCircuitBreakers({ failureThreshold: 3, openMs: 1_000, now: () => clock });
    for (let i = 0; i < 3; i++) breakers.recordFailure('a');
    expect(breakers.tryAcquire('a')).toBe(false);
    clock = 1_000;
    expect(breakers.tryAcquire('a')).toBe(true);
    expect(breakers.tryAcquire('a')).toBe(false); // one probe at a time
    breakers.recordFailure('a');
    clock = 2_500;
    expect(breakers.tryAcquire('a')).toBe(false); // now open for 2 s
    clock = 3_000;
    expect(breakers.tryAcquire('a')).toBe(true);
    breakers.recordSuccess('a');
    expect(breakers.state('a')).toBe('closed');
    expect(breakers.tryAcquire('a')).toBe(true);
  });

  it('a success resets the failure count', () => {
    const breakers = createCircuitBreakers({ failureThreshold: 2 });
    breakers.recordFailure('b');
    breakers.recordSuccess('b');
    breakers.recordFailure('b');
    expect(breakers.state('b')).toBe('closed');
  });
});

describe('callWithRouting', () => {
  const route = planRoute(perModel, undefined);
  const noWait = { sleep: async () => {}, random: () => 0.5 };

  it('retries a retryable failure, then falls back, and records every attempt', async () => {
    const calls: string[] = [];
    const result = await callWithRouting(
      route,
      async (c) => {
        calls.push(c.deployment.id);
        if (c.deployment.id === 'openai')
          throw new ProviderError('server', 'openai answered 500', { status: 500 });
        return 'answer';
      },
      { breakers: createCircuitBreakers(), ...noWait },
    );
    expect(result.value).toBe('answer');
    expect(result.candidate.deployment.id).toBe('openrouter');
    expect(calls).toEqual(['openai', 'openai', 'openrouter']);
    expect(result.attempts.map((a) => a.outcome)).toEqual(['server', 'server', 'ok']);
    expect(result.attempts.every((a) => a.sent)).toBe(true);
  });

  it('waits as long as Retry-After asks when it fits, with jittered back-off otherwise', async () => {
    const waits: number[] = [];
    let n = 0;
    await callWithRouting(
      route,
      async () => {
        n += 1;
        if (n === 1) throw new ProviderError('rate_limited', '429', { status: 429, retryAfterMs: 1_500 });
        if (n === 2) throw new ProviderError('server', '500', { status: 500 });
        return 'ok';
      },
      {
        breakers: createCircuitBreakers(),
        attemptsPerDeployment: 3,
        random: () => 0.5,
        sleep: async (ms) => {
          waits.push(ms);
        },
      },
    );
    expect(waits).toEqual([1_500, 200]); // base 200 * 2^1 * 0.5
  });

  it('moves on without waiting when Retry-After is longer than the back-off cap', async () => {
    const calls: string[] = [];
    await callWithRouting(
      route,
      async (c) => {
        calls.push(c.deployment.id);
        if (c.deployment.id === 'openai')
          throw new ProviderError('rate_limited', '429', { retryAfterMs: 60_000 });
        return 'ok';
      },
      { breakers: createCircuitBreakers(), ...noWait },
    );
    expect(calls).toEqual(['openai', 'openrouter']);
  });

  it('stops at a bad request: the request is at fault, not the provider', async () => {
    const calls: string[] = [];
    const error = await callWithRouting(
      route,
      async (c) => {
        calls.push(c.deployment.id);
        throw new ProviderError('bad_request', 'openai answered 400: bad schema', { status: 400 });
      },
      { breakers: createCircuitBreakers(), ...noWait },
    ).catch((e: unknown) => e);
    expect(calls).toEqual(['openai']);
    expect(error).toBeInstanceOf(RoutingError);
    expect(error).toMatchObject({ code: 'invalid_request', status: 400 });
  });

  it('skips a deployment whose circuit is open', async () => {
    const breakers = createCircuitBreakers({ failureThreshold: 1 });
    breakers.recordFailure('openai');
    const result = await callWithRouting(route, async () => 'ok', { breakers, ...noWait });
    expect(result.attempts[0]).toMatchObject({
      deploymentId: 'openai',
      outcome: 'circuit_open',
      sent: false,
    });
    expect(result.candidate.deployment.id).toBe('openrouter');
  });

  it('times an attempt out, tells the adapter through its signal, and reports a timeout at the end', async () => {
    const signals: AbortSignal[] = [];
    const error = await callWithRouting(
      route.slice(0, 1),
      (_c, signal) =>
        new Promise((_, reject) => {
          signals.push(signal);
          signal.addEventListener('abort', () => reject(new ProviderError('aborted', 'cancelled')));
        }),
      { breakers: createCircuitBreakers(), attemptTimeoutMs: 20, ...noWait },
    ).catch((e: unknown) => e);
    expect(signals).toHaveLength(2);
    expect(signals.every((s) => s.aborted)).toBe(true);
    expect(error).toMatchObject({ code: 'upstream_timeout', status: 504 });
  });

  it('stops routing at once when the client goes away', async () => {
    const client = new AbortController();
    let calls = 0;
    const error = await callWithRouting(
      route,
      (_c, signal) =>
        new Promise((_, reject) => {
          calls += 1;
          signal.addEventListener('abort', () => reject(new ProviderError('aborted', 'cancelled')));
          setTimeout(() => client.abort(), 5);
        }),
      { breakers: createCircuitBreakers(), signal: client.signal, ...noWait },
    ).catch((e: unknown) => e);
    expect(calls).toBe(1);
    expect(error).toMatchObject({ status: 499 });
  });

  it('reports every provider rate-limited as a 429', async () => {
    const error = await callWithRouting(
      route,
      async () => {
        throw new ProviderError('rate_limited', 'answered 429', { status: 429 });
      },
      { breakers: createCircuitBreakers(), ...noWait },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'rate_limited', status: 429 });
  });
});
