/**
 * Per-request routing in OpenRouter's conventions, shared by the OpenAI and Anthropic protocols:
 * a `models` fallback list and a `provider` object. Unknown fields inside `provider` are refused
 * rather than ignored, so a client never believes a restriction holds that we do not apply.
 */
import { z } from 'zod';

export const ZProviderRouting = z
  .object({
    /** Deployment or provider ids to try first, in this order. */
    order: z.array(z.string().min(1)).max(20).optional(),
    /** Only these providers (or deployments) may receive the request. */
    only: z.array(z.string().min(1)).max(50).optional(),
    /** These may not. */
    ignore: z.array(z.string().min(1)).max(50).optional(),
    /** false: try only the first eligible deployment. */
    allow_fallbacks: z.boolean().optional(),
    /** "deny": only providers that keep no data (zero retention). */
    data_collection: z.enum(['allow', 'deny']).optional(),
    /** Mixgate's addition: only deployments processing in these regions (e.g. ["EU"]). */
    region: z.array(z.string().min(1)).max(20).optional(),
  })
  .strict();
export type TProviderRouting = z.infer<typeof ZProviderRouting>;

/** The routing part of a request body, as both protocols accept it. */
export const ZRoutingFields = z.object({
  /** Fallback models, tried in order after `model`. */
  models: z.array(z.string().min(1)).max(10).optional(),
  provider: ZProviderRouting.optional(),
});

export interface RoutingRequest {
  /** The requested model first, then the fallbacks, without duplicates. */
  models: string[];
  provider?: TProviderRouting;
}
