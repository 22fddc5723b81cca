/**
 * What a call costs, in bigint micros (1 currency unit = 1,000,000 micros), from the catalog's
 * prices. Every function adds exact fractions of a micro, applies the model's markup as an exact
 * rational and rounds UP to the micro once, at the end: a cost is never a float and never rounded
 * down below what the provider charges us.
 *
 * Token counts follow the Usage contract: `inputTokens` counts every input token, the ones read
 * from the cache (`cachedInputTokens`) and written to it (`cacheWriteTokens`) included, and
 * `outputTokens` includes `reasoningTokens`, which are billed as output.
 */
import { parseAmount } from '../lib/money.js';
import type { Usage } from '../providers/spec.js';
import type { CatalogModel, TPricing } from './catalog-schema.js';

/**
 * Amounts are summed in 1/18,000,000 of a micro: the least common multiple of the divisors used
 * below (per million tokens or characters, per second, minute or hour counted in milliseconds),
 * so every partial sum is an exact integer.
 */
const FINE_PER_MICRO = 18_000_000n;
const PER_MILLION = 1_000_000n;
const BASIS_POINTS = 10_000n;

type PriceField = Exclude<keyof TPricing, 'longContext' | 'perImage' | 'secondsOf'>;
type TokenPrices = Pick<TPricing, 'inputPer1M' | 'outputPer1M' | 'cachedInputPer1M' | 'cacheWritePer1M'>;

function micros(price: string): bigint {
  return parseAmount(price);
}

function requirePrice(model: CatalogModel, prices: TokenPrices | TPricing, field: PriceField): bigint {
  const price = (prices as Record<string, string | undefined>)[field];
  if (price === undefined) throw new Error(`Model ${model.id} has no ${field} price`);
  return micros(price);
}

function count(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${what} must be a non-negative integer, got ${value}`);
  }
  return BigInt(value);
}

/** Seconds (possibly fractional) as whole milliseconds, rounded up, ignoring float noise. */
function milliseconds(seconds: number): bigint {
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new RangeError(`seconds must be a non-negative number, got ${seconds}`);
  }
  return BigInt(Math.ceil(Math.round(seconds * 1_000_000) / 1000));
}

/** The markup as basis points: 12.5 % -> 1250. The schema allows at most two decimals. */
function markupBasisPoints(model: CatalogModel): bigint {
  return BigInt(Math.round(model.markupPercent * 100));
}

/** Applies the markup to an exact amount in fine units and rounds up to the micro, once. */
function settle(model: CatalogModel, fine: bigint): bigint {
  const numerator = fine * (BASIS_POINTS + markupBasisPoints(model));
  const denominator = FINE_PER_MICRO * BASIS_POINTS;
  return (numerator + denominator - 1n) / denominator;
}

function perMillion(tokens: bigint, priceMicros: bigint): bigint {
  return tokens * priceMicros * (FINE_PER_MICRO / PER_MILLION);
}

function perRequest(model: CatalogModel): bigint {
  return model.pricing.perRequest ? micros(model.pricing.perRequest) * FINE_PER_MICRO : 0n;
}

/** The prices that apply to a prompt of this many input tokens (the long-context tier, if any). */
function tierFor(model: CatalogModel, inputTokens: number): TokenPrices {
  const long = model.pricing.longContext;
  if (!long || inputTokens <= long.aboveInputTokens) return model.pricing;
  return {
    inputPer1M: long.inputPer1M ?? model.pricing.inputPer1M,
    outputPer1M: long.outputPer1M ?? model.pricing.outputPer1M,
    cachedInputPer1M: long.cachedInputPer1M ?? model.pricing.cachedInputPer1M,
    cacheWritePer1M: long.cacheWritePer1M ?? model.pricing.cacheWritePer1M,
  };
}

/** Token cost in fine units; cached and written tokens fall back to the input price. */
function tokenCost(model: CatalogModel, usage: Usage): bigint {
  const prices = tierFor(model, usage.inputTokens);
  const input = count(usage.inputTokens, 'inputTokens');
  const output = count(usage.outputTokens, 'outputTokens');
  // Clamped so a provider reporting more cached tokens than input never makes a negative count.
  const cached = minimum(count(usage.cachedInputTokens ?? 0, 'cachedInputTokens'), input);
  const written = minimum(count(usage.cacheWriteTokens ?? 0, 'cacheWriteTokens'), input - cached);
  const inputPrice = requirePrice(model, prices, 'inputPer1M');
  const cachedPrice = prices.cachedInputPer1M ? micros(prices.cachedInputPer1M) : inputPrice;
  const writePrice = prices.cacheWritePer1M ? micros(prices.cacheWritePer1M) : inputPrice;
  return (
    perMillion(input - cached - written, inputPrice) +
    perMillion(cached, cachedPrice) +
    perMillion(written, writePrice) +
    perMillion(output, requirePrice(model, prices, 'outputPer1M'))
  );
}

function minimum(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

function maximum(...values: bigint[]): bigint {
  return values.reduce((a, b) => (a > b ? a : b));
}

function hasTokenPrices(model: CatalogModel): boolean {
  return model.pricing.inputPer1M !== undefined && model.pricing.outputPer1M !== undefined;
}

/** Time cost in fine units, from whichever of perSecond, perMinute or perHour the model has. */
function timeCost(model: CatalogModel, seconds: number): bigint {
  const { perSecond, perMinute, perHour } = model.pricing;
  const elapsed = milliseconds(seconds);
  if (perSecond) return (elapsed * micros(perSecond) * FINE_PER_MICRO) / 1000n;
  if (perMinute) return (elapsed * micros(perMinute) * FINE_PER_MICRO) / 60_000n;
  if (perHour) return (elapsed * micros(perHour) * FINE_PER_MICRO) / 3_600_000n;
  throw new Error(`Model ${model.id} has no time price`);
}

/** The price of one image: the table entry for quality and size, else the highest entry. */
export function imageUnitPrice(model: CatalogModel, options: { size?: string; quality?: string }): bigint {
  const table = model.pricing.perImage;
  if (table === undefined) return 0n;
  if (typeof table === 'string') return micros(table);
  const size = options.size?.toLowerCase();
  const quality = options.quality?.toLowerCase();
  const keys = [quality && size ? `${quality}/${size}` : undefined, quality, size, 'default'];
  for (const key of keys) {
    if (key !== undefined && table[key] !== undefined) return micros(table[key]);
  }
  // An unknown size or quality may well cost more than the default: never hold or charge less.
  return maximum(...Object.values(table).map(micros));
}

/** A chat answer, from the usage the provider reported (or the gateway counted). */
export function chatCost(model: CatalogModel, usage: Usage): bigint {
  return settle(model, tokenCost(model, usage) + perRequest(model));
}

/**
 * The most a chat can cost: every input token at the dearest input price (a cache write costs
 * more than plain input), the long-context tier when the bound reaches it, and every allowed
 * output token. The gateway holds this much credit before calling the provider.
 */
export function worstCaseChatCost(
  model: CatalogModel,
  inputTokensBound: number,
  maxOutputTokens: number,
): bigint {
  const prices = tierFor(model, inputTokensBound);
  const inputPrice = maximum(
    ...[prices.inputPer1M, prices.cachedInputPer1M, prices.cacheWritePer1M]
      .filter((price): price is string => price !== undefined)
      .map(micros),
    0n,
  );
  const fine =
    perMillion(count(inputTokensBound, 'inputTokensBound'), inputPrice) +
    perMillion(count(maxOutputTokens, 'maxOutputTokens'), requirePrice(model, prices, 'outputPer1M')) +
    perRequest(model);
  return settle(model, fine);
}

export function embeddingCost(model: CatalogModel, tokens: number): bigint {
  const fine = perMillion(count(tokens, 'tokens'), requirePrice(model, model.pricing, 'inputPer1M'));
  return settle(model, fine + perRequest(model));
}

/**
 * Images: per image from the table, or, when the provider reported token usage and the model has
 * token prices (gpt-image-1), by tokens. Holds are computed without usage.
 */
export function imageCost(
  model: CatalogModel,
  options: { n: number; size?: string; quality?: string; usage?: Usage },
): bigint {
  if (options.usage && hasTokenPrices(model)) {
    return settle(model, tokenCost(model, options.usage) + perRequest(model));
  }
  const images = count(options.n, 'n');
  return settle(model, images * imageUnitPrice(model, options) * FINE_PER_MICRO + perRequest(model));
}

export function speechCost(model: CatalogModel, characters: number): bigint {
  const fine = perMillion(
    count(characters, 'characters'),
    requirePrice(model, model.pricing, 'per1MCharacters'),
  );
  return settle(model, fine + perRequest(model));
}

/**
 * Transcription: by tokens when the provider reported them and the model has token prices
 * (gpt-4o-transcribe), otherwise by the audio's length.
 */
export function transcriptionCost(model: CatalogModel, options: { seconds?: number; usage?: Usage }): bigint {
  if (options.usage && hasTokenPrices(model)) {
    return settle(model, tokenCost(model, options.usage) + perRequest(model));
  }
  if (options.seconds === undefined) {
    throw new Error(`Model ${model.id} is priced by audio length: the seconds are needed`);
  }
  return settle(model, timeCost(model, options.seconds) + perRequest(model));
}

/**
 * A job (video, music, some images): its fixed price, its time price for `seconds` (compute or
 * output seconds, as the model's `pricing.secondsOf` says) and its per-image price for `outputs`.
 */
export function jobCost(model: CatalogModel, options: { seconds?: number; outputs?: number }): bigint {
  const { perSecond, perMinute, perHour } = model.pricing;
  let fine = perRequest(model);
  if (perSecond ?? perMinute ?? perHour) {
    if (options.seconds === undefined)
      throw new Error(`Model ${model.id} is priced by time: the seconds are needed`);
    fine += timeCost(model, options.seconds);
  }
  if (model.pricing.perImage !== undefined) {
    fine += count(options.outputs ?? 1, 'outputs') * imageUnitPrice(model, {}) * FINE_PER_MICRO;
  }
  return settle(model, fine);
}
