/**
 * The model catalog's file format: the shipped `models.json` and an operator's own file share it.
 *
 * ```json
 * { "pricesCheckedAt": "2026-12", "models": [ {
 *     "id": "openai/gpt-4o-mini",            // `provider/model`, lower case; what clients send
 *     "name": "GPT-4o mini",
 *     "provider": "openai",                  // the deployment id that serves it natively (= id prefix)
 *     "upstreamId": "gpt-4o-mini",           // the provider's own model id
 *     "aliases": ["gpt-4o-mini"],            // also accepted from clients, case-insensitively
 *     "modality": "text",                    // text|embedding|image|speech|transcription|video|music
 *     "contextWindow": 128000, "maxOutputTokens": 16384,
 *     "defaultMaxOutputTokens": 4096,        // used (and held for) when a client gives no max_tokens
 *     "capabilities": ["tools", "vision", "json_schema", "streaming"],
 *     "async": false,                        // true: run as a job (startJob/pollJob), e.g. video
 *     "pricing": { "inputPer1M": "0.15", "cachedInputPer1M": "0.075", "outputPer1M": "0.60" },
 *     "markupPercent": 5,                    // optional; else the global MARKUP setting
 *     "deployments": [{ "deployment": "openrouter", "upstreamId": "openai/gpt-4o-mini" }],
 *     "priceSource": "https://platform.openai.com/docs/pricing"   // or "unverified"
 * } ] }
 * ```
 *
 * Prices are decimal strings in currency units (never JSON numbers, which are floats), at most six
 * decimals, parsed exactly into micros by src/lib/money.ts. Pricing fields:
 * - `inputPer1M`, `outputPer1M`: per million tokens; reasoning tokens are billed as output.
 * - `cachedInputPer1M`: input read from the prompt cache; `cacheWritePer1M`: input written to it
 *   (Anthropic's 5-minute write price). Either absent: those tokens cost `inputPer1M`.
 * - `longContext`: a second price tier for requests whose prompt (all input tokens, cached and
 *   written included) is above `aboveInputTokens` (Gemini 2.5 Pro, Claude Haiku 5.5, Grok 4).
 * - `perImage`: one price, or a table whose keys are `quality/size`, `quality`, `size` or
 *   `default`, looked up in that order; a request matching none pays the highest entry.
 * - `per1MCharacters` (speech), `perSecond` | `perMinute` | `perHour` (audio length or job time;
 *   at most one of them), `perRequest` (a fixed price per call or per job).
 * - `secondsOf` (jobs only): which seconds the time price counts, the provider's compute time
 *   (`predict`, Replicate's metrics.predict_time) or the length of the output (`output`).
 *
 * An operator's file may also hold `{ "id": "...", "disabled": true }` to remove a shipped model;
 * any other entry with a shipped id replaces the shipped one whole.
 */
import { z } from 'zod';
import { isAmountText } from '../lib/money.js';

export const MODALITIES = [
  'text',
  'embedding',
  'image',
  'speech',
  'transcription',
  'video',
  'music',
] as const;
export type Modality = (typeof MODALITIES)[number];

export const CAPABILITIES = [
  'tools',
  'vision',
  'json_object',
  'json_schema',
  'reasoning',
  'streaming',
  'prompt_caching',
] as const;

const ZPrice = z.string().refine((text) => isAmountText(text) && !text.trim().startsWith('-'), {
  message: 'must be a decimal string in currency units with at most 6 decimals, e.g. "0.15"',
});

const ZTokenPrices = {
  inputPer1M: ZPrice.optional(),
  outputPer1M: ZPrice.optional(),
  cachedInputPer1M: ZPrice.optional(),
  cacheWritePer1M: ZPrice.optional(),
};

const ZLongContext = z.strictObject({
  /** The tier applies when the prompt has more input tokens than this. */
  aboveInputTokens: z.number().int().positive(),
  ...ZTokenPrices,
});

export const ZPricing = z
  .strictObject({
    ...ZTokenPrices,
    longContext: ZLongContext.optional(),
    perImage: z.union([ZPrice, z.record(z.string().min(1), ZPrice)]).optional(),
    per1MCharacters: ZPrice.optional(),
    perSecond: ZPrice.optional(),
    perMinute: ZPrice.optional(),
    perHour: ZPrice.optional(),
    perRequest: ZPrice.optional(),
    secondsOf: z.enum(['predict', 'output']).optional(),
  })
  .refine(
    (pricing) =>
      [pricing.perSecond, pricing.perMinute, pricing.perHour].filter((price) => price !== undefined).length <=
      1,
    { message: 'give at most one of perSecond, perMinute and perHour' },
  );
export type TPricing = z.infer<typeof ZPricing>;

/** A percentage with at most two decimals, so it converts exactly to basis points. */
export const ZMarkupPercent = z
  .number()
  .min(0)
  .max(1000)
  .refine((percent) => Math.abs(percent * 100 - Math.round(percent * 100)) < 1e-9, {
    message: 'must have at most 2 decimals',
  });

const ID_PATTERN = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9._:/-]*$/;

export const ZCatalogModel = z
  .strictObject({
    id: z.string().regex(ID_PATTERN, 'must be `provider/model` in lower case, e.g. "openai/gpt-4o-mini"'),
    name: z.string().min(1).max(100),
    provider: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'must be a deployment id such as "openai"'),
    upstreamId: z.string().min(1).max(200),
    aliases: z.array(z.string().min(1).max(100)).default([]),
    modality: z.enum(MODALITIES),
    contextWindow: z.number().int().positive().optional(),
    maxOutputTokens: z.number().int().positive().optional(),
    defaultMaxOutputTokens: z.number().int().positive().optional(),
    capabilities: z.array(z.enum(CAPABILITIES)).default([]),
    async: z.boolean().default(false),
    /** Jobs: the longest run (or output) in seconds the gateway holds credit for. */
    maxJobSeconds: z.number().int().positive().optional(),
    pricing: ZPricing,
    markupPercent: ZMarkupPercent.optional(),
    deployments: z
      .array(z.strictObject({ deployment: z.string().min(1), upstreamId: z.string().min(1) }))
      .default([]),
    priceSource: z.string().min(1),
    description: z.string().max(500).optional(),
    disabled: z.literal(false).optional(),
  })
  .superRefine((model, context) => {
    const issue = (path: (string | number)[], message: string) =>
      context.addIssue({ code: 'custom', path, message });
    if (model.id.split('/')[0] !== model.provider) {
      issue(['provider'], `must be the id's prefix "${model.id.split('/')[0]}"`);
    }
    const pricing = model.pricing;
    const timePrice = pricing.perSecond ?? pricing.perMinute ?? pricing.perHour;
    switch (model.modality) {
      case 'text':
        if (!model.contextWindow) issue(['contextWindow'], 'is required for a text model');
        if (!model.maxOutputTokens) issue(['maxOutputTokens'], 'is required for a text model');
        if (!model.defaultMaxOutputTokens) issue(['defaultMaxOutputTokens'], 'is required for a text model');
        if (!pricing.inputPer1M) issue(['pricing', 'inputPer1M'], 'is required for a text model');
        if (!pricing.outputPer1M) issue(['pricing', 'outputPer1M'], 'is required for a text model');
        break;
      case 'embedding':
        if (!pricing.inputPer1M) issue(['pricing', 'inputPer1M'], 'is required for an embedding model');
        break;
      case 'image':
        if (!pricing.perImage && !pricing.perRequest) {
          issue(['pricing', 'perImage'], 'is required for an image model');
        }
        break;
      case 'speech':
        if (!pricing.per1MCharacters) issue(['pricing', 'per1MCharacters'], 'is required for a speech model');
        break;
      case 'transcription':
        if (!timePrice && !(pricing.inputPer1M && pricing.outputPer1M)) {
          issue(['pricing'], 'needs perSecond, perMinute or perHour (or inputPer1M and outputPer1M)');
        }
        break;
      case 'video':
      case 'music':
        if (!timePrice && !pricing.perRequest) {
          issue(['pricing'], 'needs perRequest or a time price (perSecond, perMinute or perHour)');
        }
        break;
    }
    if (
      model.defaultMaxOutputTokens &&
      model.maxOutputTokens &&
      model.defaultMaxOutputTokens > model.maxOutputTokens
    ) {
      issue(['defaultMaxOutputTokens'], 'must not exceed maxOutputTokens');
    }
    if (model.async && timePrice && !model.maxJobSeconds) {
      issue(['maxJobSeconds'], 'is required for a job priced by time (the hold needs a bound)');
    }
    if (model.async && timePrice && !pricing.secondsOf) {
      issue(['pricing', 'secondsOf'], 'is required for a job priced by time ("predict" or "output")');
    }
  });
export type TCatalogModel = z.infer<typeof ZCatalogModel>;

/** An operator's entry that removes a shipped model. */
export const ZDisabledModel = z.looseObject({ id: z.string().min(1), disabled: z.literal(true) });

export const ZCatalogFile = z.strictObject({
  /** When the prices were last compared with the providers' pages, e.g. "2026-12". */
  pricesCheckedAt: z.string().optional(),
  /** Entries are validated one by one (ZCatalogModel or ZDisabledModel) to name the bad one. */
  models: z.array(z.unknown()),
});

/** A model as the catalog serves it: its effective markup is always set (its own or the global). */
export type CatalogModel = Readonly<Omit<TCatalogModel, 'markupPercent'> & { markupPercent: number }>;
