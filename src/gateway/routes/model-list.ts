/**
 * GET /v1/models: the models this instance can serve (a configured deployment exists), in
 * OpenAI's list shape with our extras, or in Anthropic's when the client sends anthropic-version.
 * Prices are what the user pays (provider price with the operator's markup), as decimal strings.
 */
import { deploymentsForModel } from '../../catalog/catalog.js';
import type { CatalogModel } from '../../catalog/catalog-schema.js';
import { chatCost, embeddingCost, imageCost, speechCost } from '../../catalog/prices.js';
import { formatAmount } from '../../lib/money.js';
import type { GatewayServices } from '../gateway-services.js';

/** The catalog has no release dates; a fixed epoch keeps `created` stable across restarts. */
const CATALOG_EPOCH = 1_735_689_600; // 2025-01-01

export function servableModels(gateway: GatewayServices): CatalogModel[] {
  return gateway.catalog.list().filter((model) => deploymentsForModel(model, gateway.deployments).length > 0);
}

function salePrices(model: CatalogModel): Record<string, string> {
  const prices: Record<string, string> = {};
  const safely = (name: string, compute: () => bigint) => {
    try {
      prices[name] = formatAmount(compute());
    } catch {
      // A model without that kind of price: leave the field out.
    }
  };
  const p = model.pricing;
  if (p.inputPer1M)
    safely('input_per_1m_tokens', () => chatCost(model, { inputTokens: 1_000_000, outputTokens: 0 }));
  if (p.outputPer1M)
    safely('output_per_1m_tokens', () => chatCost(model, { inputTokens: 0, outputTokens: 1_000_000 }));
  if (p.cachedInputPer1M) {
    safely('cached_input_per_1m_tokens', () =>
      chatCost(model, { inputTokens: 1_000_000, cachedInputTokens: 1_000_000, outputTokens: 0 }),
    );
  }
  if (model.modality === 'embedding' && p.inputPer1M)
    safely('input_per_1m_tokens', () => embeddingCost(model, 1_000_000));
  if (p.perImage) safely('per_image', () => imageCost(model, { n: 1 }));
  if (p.per1MCharacters) safely('per_1m_characters', () => speechCost(model, 1_000_000));
  for (const unit of ['perSecond', 'perMinute', 'perHour', 'perRequest'] as const) {
    if (p[unit]) prices[unit.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`)] = p[unit]!;
  }
  return prices;
}

export function openAiModelList(gateway: GatewayServices, currency: string) {
  return {
    object: 'list' as const,
    data: servableModels(gateway).map((model) => ({
      id: model.id,
      object: 'model' as const,
      created: CATALOG_EPOCH,
      owned_by: model.provider,
      name: model.name,
      modality: model.modality,
      context_length: model.contextWindow ?? null,
      max_output_tokens: model.maxOutputTokens ?? null,
      capabilities: model.capabilities,
      aliases: model.aliases,
      async: model.async,
      pricing: { currency, ...salePrices(model) },
    })),
  };
}

export function anthropicModelList(gateway: GatewayServices) {
  const data = servableModels(gateway)
    .filter((model) => model.modality === 'text')
    .map((model) => ({
      type: 'model' as const,
      id: model.id,
      display_name: model.name,
      created_at: new Date(CATALOG_EPOCH * 1000).toISOString(),
    }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
