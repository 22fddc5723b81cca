/**
 * Runs one request over its planned deployments: retries a retryable failure on the same
 * deployment with exponential back-off and full jitter (or the provider's Retry-After), then falls
 * back to the next deployment; skips deployments whose circuit is open; bounds each attempt and
 * the whole request in time; stops at once when the client goes away.
 *
 * `attempt` must resolve only once the answer is committed to: for a stream, when its first event
 * arrived. Until then nothing reached the client, so another attempt is safe; after it, a failure
 * belongs to the stream and is never retried.
 */
import { MixgateError } from '../../lib/errors.js';
import { ProviderError } from '../../providers/spec.js';
import type { CircuitBreakers } from './circuit-breaker.js';
import type { RouteCandidate } from './plan-route.js';

export interface RoutingOptions {
  breakers: CircuitBreakers;
  /** Tries per deployment for retryable failures (the first included). */
  attemptsPerDeployment?: number;
  /** Until the attempt is committed (headers, or a stream's first event). */
  attemptTimeoutMs?: number;
  /** For everything, waits between tries included. */
  totalTimeoutMs?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
  /** The client's signal: aborts the attempt in flight and stops routing. */
  signal?: AbortSignal;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** What each try did, for the generation record (no content, only who and how it ended). */
export interface AttemptRecord {
  deploymentId: string;
  modelId: string;
  /** 'ok', a ProviderError kind, or 'circuit_open' when skipped. */
  outcome: string;
  status?: number;
  ms: number;
  /** True when the request (and so the user's data) was sent to this deployment. */
  sent: boolean;
}

export interface RoutedResult<T> {
  value: T;
  candidate: RouteCandidate;
  attempts: AttemptRecord[];
  /** Aborting it cancels the upstream request of the winning attempt (streams read on after). */
  controller: AbortController;
}

export class RoutingError extends MixgateError {
  constructor(
    message: string,
    readonly attempts: AttemptRecord[],
    readonly last: ProviderError | undefined,
    code:
      | 'upstream_error'
      | 'upstream_timeout'
      | 'invalid_request'
      | 'unavailable'
      | 'rate_limited' = 'upstream_error',
    status?: number,
    details?: Record<string, unknown>,
  ) {
    super(code, message, status, details);
    this.name = 'RoutingError';
  }
}

export async function callWithRouting<T>(
  candidates: readonly RouteCandidate[],
  attempt: (candidate: RouteCandidate, signal: AbortSignal) => Promise<T>,
  options: RoutingOptions,
): Promise<RoutedResult<T>> {
  const attemptsPerDeployment = options.attemptsPerDeployment ?? 2;
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 60_000;
  const totalTimeoutMs = options.totalTimeoutMs ?? 120_000;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 4_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? abortableSleep;
  const started = Date.now();
  const deadline = started + totalTimeoutMs;
  const attempts: AttemptRecord[] = [];
  let last: ProviderError | undefined;

  for (const candidate of candidates) {
    const id = candidate.deployment.id;
    for (let tryIndex = 0; tryIndex < attemptsPerDeployment; tryIndex++) {
      if (options.signal?.aborted) throw clientGone(attempts, last);
      if (!options.breakers.tryAcquire(id)) {
        attempts.push({
          deploymentId: id,
          modelId: candidate.modelId,
          outcome: 'circuit_open',
          ms: 0,
          sent: false,
        });
        break;
      }
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw timedOut(attempts, last);
      const controller = new AbortController();
      const onClientAbort = () => controller.abort(options.signal?.reason);
      options.signal?.addEventListener('abort', onClientAbort, { once: true });
      const timeoutMs = Math.min(attemptTimeoutMs, remaining);
      const timer = setTimeout(
        () => controller.abort(new ProviderError('timeout', `${id} did not answer within ${timeoutMs} ms`)),
        timeoutMs,
      );
      const tryStarted = Date.now();
      try {
        const value = await attempt(candidate, controller.signal);
        clearTimeout(timer);
        options.breakers.recordSuccess(id);
        attempts.push({
          deploymentId: id,
          modelId: candidate.modelId,
          outcome: 'ok',
          ms: Date.now() - tryStarted,
          sent: true,
        });
        // The winning attempt's controller lives on with its stream; the client's abort still reaches it.
        return { value, candidate, attempts, controller };
      } catch (error) {
        clearTimeout(timer);
        options.signal?.removeEventListener('abort', onClientAbort);
        const failure = asProviderError(error, controller.signal, id);
        attempts.push({
          deploymentId: id,
          modelId: candidate.modelId,
          outcome: failure.kind,
          status: failure.status,
          ms: Date.now() - tryStarted,
          sent: true,
        });
        if (options.signal?.aborted) {
          options.breakers.release(id);
          throw clientGone(attempts, failure);
        }
        last = failure;
        if (failure.kind === 'bad_request' || failure.kind === 'content_filter') {
          // The request itself is at fault: another provider would refuse it too. Not the
          // provider's health either.
          options.breakers.release(id);
          throw new RoutingError(
            failure.message,
            attempts,
            failure,
            'invalid_request',
            failure.status === 413 ? 413 : 400,
          );
        }
        options.breakers.recordFailure(id);
        if (!failure.isRetryable) break; // auth: this deployment's key; try the next one
        if (tryIndex + 1 >= attemptsPerDeployment) break;
        const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** tryIndex) * random();
        const wait = failure.retryAfterMs ?? backoff;
        // A provider asking for more patience than we have left: move on rather than wait.
        if (wait > maxDelayMs || Date.now() + wait >= deadline) break;
        await sleep(wait, options.signal).catch(() => undefined);
      }
    }
  }
  if (last?.kind === 'timeout') throw timedOut(attempts, last);
  if (!last) {
    throw new RoutingError(
      'Every provider for this model is failing right now and is paused; try again shortly',
      attempts,
      undefined,
      'unavailable',
    );
  }
  if (last.kind === 'rate_limited') {
    throw new RoutingError(
      `Every provider for this model is rate-limited right now (${last.message})`,
      attempts,
      last,
      'rate_limited',
      undefined,
      // The error handler turns this into our own Retry-After header.
      last.retryAfterMs === undefined
        ? undefined
        : { retryAfterSeconds: Math.ceil(last.retryAfterMs / 1000) },
    );
  }
  throw new RoutingError(
    `The provider failed after ${attempts.length} attempt(s): ${last.message}`,
    attempts,
    last,
  );
}

function asProviderError(error: unknown, signal: AbortSignal, deploymentId: string): ProviderError {
  if (error instanceof ProviderError) {
    // An adapter reporting 'aborted' for our own per-attempt timeout is a timeout.
    if (error.kind === 'aborted' && signal.reason instanceof ProviderError) return signal.reason;
    return error;
  }
  if (signal.reason instanceof ProviderError) return signal.reason;
  return new ProviderError('server', `${deploymentId} failed unexpectedly`);
}

function clientGone(attempts: AttemptRecord[], last: ProviderError | undefined): RoutingError {
  return new RoutingError('The client closed the request', attempts, last, 'invalid_request', 499);
}

function timedOut(attempts: AttemptRecord[], last: ProviderError | undefined): RoutingError {
  return new RoutingError('The provider did not answer in time', attempts, last, 'upstream_timeout');
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
