/**
 * One keep-alive connection pool per deployment origin (DESIGN.md: undici Pool, never global fetch;
 * measured 5x the throughput of fetch through a proxy).
 */
import { Pool } from 'undici';

export interface PoolOptions {
  /** Upper bound on parallel connections to one provider. */
  connections?: number;
  /** Longest wait for the status line (a slow first byte), in ms; the router's attempt timeout is shorter. */
  headersTimeoutMs?: number;
  /** Longest silence between two body chunks, in ms. */
  bodyTimeoutMs?: number;
}

export function createProviderPool(baseUrl: string, options: PoolOptions = {}): Pool {
  return new Pool(new URL(baseUrl).origin, {
    connections: options.connections ?? 256,
    pipelining: 1,
    keepAliveTimeout: 30_000,
    headersTimeout: options.headersTimeoutMs ?? 300_000,
    bodyTimeout: options.bodyTimeoutMs ?? 300_000,
  });
}
