/**
 * One circuit breaker per deployment: after `failureThreshold` consecutive failures that are the
 * provider's fault, the deployment is skipped for `openMs`; then one probe request is let through
 * (half-open), and its outcome closes the breaker or opens it again for twice as long (up to
 * `maxOpenMs`). Requests that fail through the client's fault (a bad request, a content filter)
 * say nothing about the provider's health and leave the breaker alone.
 */
export interface CircuitBreakerOptions {
  failureThreshold?: number;
  openMs?: number;
  maxOpenMs?: number;
  now?: () => number;
}

export type BreakerState = 'closed' | 'open' | 'half_open';

interface Breaker {
  failures: number;
  state: BreakerState;
  openUntil: number;
  openMs: number;
  probeInFlight: boolean;
}

export interface CircuitBreakers {
  /** May a request go to this deployment now? A half-open breaker admits one probe at a time. */
  tryAcquire(deploymentId: string): boolean;
  recordSuccess(deploymentId: string): void;
  recordFailure(deploymentId: string): void;
  /** A probe that ended without telling (cancelled by the client) frees the probe slot. */
  release(deploymentId: string): void;
  state(deploymentId: string): BreakerState;
}

export function createCircuitBreakers(options: CircuitBreakerOptions = {}): CircuitBreakers {
  const failureThreshold = options.failureThreshold ?? 5;
  const baseOpenMs = options.openMs ?? 30_000;
  const maxOpenMs = options.maxOpenMs ?? 300_000;
  const now = options.now ?? Date.now;
  const breakers = new Map<string, Breaker>();

  function get(id: string): Breaker {
    let breaker = breakers.get(id);
    if (!breaker) {
      breaker = { failures: 0, state: 'closed', openUntil: 0, openMs: baseOpenMs, probeInFlight: false };
      breakers.set(id, breaker);
    }
    if (breaker.state === 'open' && now() >= breaker.openUntil) breaker.state = 'half_open';
    return breaker;
  }

  function open(breaker: Breaker, openMs: number): void {
    breaker.state = 'open';
    breaker.openMs = openMs;
    breaker.openUntil = now() + openMs;
    breaker.probeInFlight = false;
  }

  return {
    tryAcquire(id) {
      const breaker = get(id);
      if (breaker.state === 'closed') return true;
      if (breaker.state === 'open' || breaker.probeInFlight) return false;
      breaker.probeInFlight = true;
      return true;
    },
    recordSuccess(id) {
      const breaker = get(id);
      breaker.failures = 0;
      breaker.state = 'closed';
      breaker.openMs = baseOpenMs;
      breaker.probeInFlight = false;
    },
    recordFailure(id) {
      const breaker = get(id);
      if (breaker.state === 'half_open') {
        open(breaker, Math.min(maxOpenMs, breaker.openMs * 2));
        return;
      }
      breaker.failures += 1;
      if (breaker.state === 'closed' && breaker.failures >= failureThreshold) open(breaker, baseOpenMs);
    },
    release(id) {
      get(id).probeInFlight = false;
    },
    state(id) {
      return get(id).state;
    },
  };
}
