/**
 * Which deployments may receive a request, in which order: the catalog's order per model (models
 * in the request's fallback order), narrowed by the user's standing restrictions and the
 * request's `provider` object (OpenRouter's conventions). A restriction is never relaxed to find a
 * route: when nothing is left, the request fails with the reason.
 */
import { MixgateError } from '../../lib/errors.js';
import type { Deployment } from '../../providers/spec.js';
import type { TProviderRouting } from './routing-request.js';

export interface RouteCandidate {
  /** The catalog id of the model this attempt would use. */
  modelId: string;
  deployment: Deployment;
  /** The provider's own model id on this deployment. */
  upstreamId: string;
}

/** The user's (or organisation's) standing restrictions, from their settings. */
export interface RoutingPolicy {
  /** Provider or deployment ids allowed to receive the user's data; undefined: all. */
  allowedProviders?: string[];
  /** Only deployments that keep no prompts or outputs. */
  zeroRetentionOnly?: boolean;
  /** Only deployments processing in these regions, e.g. ["EU"]. */
  regions?: string[];
}

function matches(deployment: Deployment, names: readonly string[]): boolean {
  return names.some((name) => {
    const lower = name.toLowerCase();
    return lower === deployment.id.toLowerCase() || lower === deployment.provider.toLowerCase();
  });
}

function inRegions(deployment: Deployment, regions: readonly string[]): boolean {
  return regions.some((region) => region.toLowerCase() === deployment.region.toLowerCase());
}

/**
 * `perModel` holds each requested model's deployments in catalog order, models in request order.
 * Returns the candidates to try in order, or throws `no_eligible_provider` naming what excluded
 * them.
 */
export function planRoute(
  perModel: ReadonlyArray<{ modelId: string; candidates: RouteCandidate[] }>,
  request: TProviderRouting | undefined,
  policy: RoutingPolicy = {},
): RouteCandidate[] {
  const reasons = new Set<string>();
  const planned: RouteCandidate[] = [];
  for (const { candidates } of perModel) {
    let eligible = candidates.filter((candidate) => {
      const d = candidate.deployment;
      if (policy.allowedProviders && !matches(d, policy.allowedProviders)) {
        reasons.add('your allowed providers');
        return false;
      }
      if (policy.zeroRetentionOnly && !d.zeroRetention) {
        reasons.add('your zero-retention setting');
        return false;
      }
      if (policy.regions && !inRegions(d, policy.regions)) {
        reasons.add(`your region setting (${policy.regions.join(', ')})`);
        return false;
      }
      if (request?.only && !matches(d, request.only)) {
        reasons.add('provider.only');
        return false;
      }
      if (request?.ignore && matches(d, request.ignore)) {
        reasons.add('provider.ignore');
        return false;
      }
      if (request?.data_collection === 'deny' && !d.zeroRetention) {
        reasons.add('provider.data_collection "deny"');
        return false;
      }
      if (request?.region && !inRegions(d, request.region)) {
        reasons.add('provider.region');
        return false;
      }
      return true;
    });
    const order = request?.order;
    if (order) {
      const rank = (candidate: RouteCandidate) => {
        const index = order.findIndex((name) => matches(candidate.deployment, [name]));
        return index === -1 ? order.length : index;
      };
      // A stable sort keeps the catalog's order among the deployments `order` does not name.
      eligible = eligible
        .map((candidate, index) => ({ candidate, index }))
        .sort((a, b) => rank(a.candidate) - rank(b.candidate) || a.index - b.index)
        .map(({ candidate }) => candidate);
    }
    if (request?.allow_fallbacks === false) {
      eligible = order
        ? eligible
            .filter((candidate) => matches(candidate.deployment, order))
            .slice(0, Math.max(1, order.length))
        : eligible.slice(0, 1);
    }
    planned.push(...eligible);
  }
  if (planned.length > 0) return planned;
  const models = perModel.map((entry) => entry.modelId).join(', ');
  const anyConfigured = perModel.some((entry) => entry.candidates.length > 0);
  if (!anyConfigured) {
    throw new MixgateError(
      'no_eligible_provider',
      `No provider is configured for ${models} on this instance`,
      undefined,
      { models: perModel.map((entry) => entry.modelId) },
    );
  }
  throw new MixgateError(
    'no_eligible_provider',
    `No provider for ${models} satisfies ${[...reasons].join(' and ')}; the restriction was kept, so the request was not sent anywhere`,
    undefined,
    { models: perModel.map((entry) => entry.modelId), restrictions: [...reasons] },
  );
}
