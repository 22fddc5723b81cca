/** Test helper: CallOptions for an adapter pointed at a fake server. */
import type { Pool } from 'undici';
import { createProviderPool } from '../http/pools.js';
import type { CallOptions, Deployment } from '../spec.js';

export interface TestCall extends CallOptions {
  controller: AbortController;
  pool: Pool;
}

export function testCallOptions(
  provider: string,
  baseUrl: string,
  overrides: Partial<Deployment> = {},
): TestCall {
  const controller = new AbortController();
  const pool = createProviderPool(baseUrl, { headersTimeoutMs: 5_000, bodyTimeoutMs: 5_000 });
  return {
    deployment: {
      id: provider,
      provider,
      baseUrl,
      apiKey: 'test-key-not-secret',
      region: 'US',
      zeroRetention: false,
      transferSafeguard: 'Standard Contractual Clauses',
      ...overrides,
    },
    dispatcher: pool,
    signal: controller.signal,
    controller,
    pool,
  };
}
