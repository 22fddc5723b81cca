import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CatalogModel, ZCatalogModel } from './catalog-schema.js';
import {
  chatCost,
  embeddingCost,
  imageCost,
  jobCost,
  speechCost,
  transcriptionCost,
  worstCaseChatCost,
} from './prices.js';

type Overrides = Record<string, unknown> & { pricing: Record<string, unknown>; markupPercent?: number };

/** A validated catalog model, as loadCatalog serves it (markup 0 unless given). */
function model(overrides: Overrides): CatalogModel {
  const { markupPercent = 0, ...rest } = overrides;
  const parsed = ZCatalogModel.parse({
    id: 'test/model',
    name: 'Test',
    provider: 'test',
    upstreamId: 'model',
    modality: 'text',
    contextWindow: 1_000_000,
    maxOutputTokens: 100_000,
    defaultMaxOutputTokens: 4096,
    priceSource: 'test',
    ...rest,
  });
  return { ...parsed, markupPercent };
}

const anthropicLike = model({
  pricing: { inputPer1M: '3.00', outputPer1M: '15.00', cachedInputPer1M: '0.30', cacheWritePer1M: '3.75' },
});

describe('chat cost', () => {
  it('bills uncached, cached, written and output tokens each at their price', () => {
    // 10,000 input of which 6,000 cached and 1,000 written: 3,000 uncached.
    const cost = chatCost(anthropicLike, {
      inputTokens: 10_000,
      cachedInputTokens: 6_000,
      cacheWriteTokens: 1_000,
      outputTokens: 2_000,
    });
    // 3000*3 + 6000*0.3 + 1000*3.75 + 2000*15 = 9000 + 1800 + 3750 + 30000 micros
    expect(cost).toBe(44_550n);
  });

  it('bills reasoning tokens as output, once', () => {
    const plain = chatCost(anthropicLike, { inputTokens: 100, outputTokens: 1_000 });
    const reasoning = chatCost(anthropicLike, {
      inputTokens: 100,
      outputTokens: 1_000,
      reasoningTokens: 800,
    });
    expect(reasoning).toBe(plain);
    expect(plain).toBe(15_300n);
  });

  it('charges cached and written tokens the input price when the model has no cache prices', () => {
    const plain = model({ pricing: { inputPer1M: '2.00', outputPer1M: '8.00' } });
    expect(
      chatCost(plain, { inputTokens: 1_000, cachedInputTokens: 900, cacheWriteTokens: 100, outputTokens: 0 }),
    ).toBe(2_000n);
  });

  it('never counts more cached or written tokens than there were input tokens', () => {
    const cost = chatCost(anthropicLike, {
      inputTokens: 1_000,
      cachedInputTokens: 5_000,
      cacheWriteTokens: 5_000,
      outputTokens: 0,
    });
    expect(cost).toBe(300n); // all 1,000 at the cached price, none written, none negative
  });

  it('rounds up to the micro once, after adding every part, not per part', () => {
    const cheap = model({ pricing: { inputPer1M: '0.15', outputPer1M: '0.60' } });
    // 1 token in (0.15 micro) + 1 token out (0.6 micro) = 0.75 micro -> 1, not 1 + 1.
    expect(chatCost(cheap, { inputTokens: 1, outputTokens: 1 })).toBe(1n);
    expect(chatCost(cheap, { inputTokens: 0, outputTokens: 0 })).toBe(0n);
  });

  it('applies the markup as an exact rational with two decimals', () => {
    const marked = model({ markupPercent: 12.34, pricing: { inputPer1M: '1.00', outputPer1M: '1.00' } });
    expect(chatCost(marked, { inputTokens: 1_000_000, outputTokens: 0 })).toBe(1_123_400n);
    const tiny = model({ markupPercent: 0.01, pricing: { inputPer1M: '1.00', outputPer1M: '1.00' } });
    // 100 micros * 1.0001 = 100.01 -> 101
    expect(chatCost(tiny, { inputTokens: 100, outputTokens: 0 })).toBe(101n);
  });

  it('switches to the long-context tier only above its threshold, for the whole request', () => {
    const tiered = model({
      pricing: {
        inputPer1M: '1.25',
        outputPer1M: '10.00',
        cachedInputPer1M: '0.125',
        longContext: { aboveInputTokens: 200_000, inputPer1M: '2.50', outputPer1M: '15.00' },
      },
    });
    expect(chatCost(tiered, { inputTokens: 200_000, outputTokens: 1_000 })).toBe(260_000n);
    // Above: input and output at the long prices; cached keeps its price (the tier has none).
    // 200,000 * 2.5 + 1 * 0.125 + 1,000 * 15 = 515,000.125 -> 515,001
    expect(chatCost(tiered, { inputTokens: 200_001, cachedInputTokens: 1, outputTokens: 1_000 })).toBe(
      515_001n,
    );
  });

  it('keeps exact values far beyond the precision of a double', () => {
    const dear = model({ pricing: { inputPer1M: '75.123456', outputPer1M: '1.00' } });
    const tokens = Number.MAX_SAFE_INTEGER;
    const expected = (BigInt(tokens) * 75_123_456n + 999_999n) / 1_000_000n;
    expect(chatCost(dear, { inputTokens: tokens, outputTokens: 0 })).toBe(expected);
  });

  it('refuses token counts that are not non-negative integers', () => {
    expect(() => chatCost(anthropicLike, { inputTokens: 1.5, outputTokens: 0 })).toThrow(RangeError);
    expect(() => chatCost(anthropicLike, { inputTokens: 1, outputTokens: -1 })).toThrow(/outputTokens/);
  });

  it('equals the exact rational cost rounded up, for any usage and markup (property)', () => {
    const prices = { input: 3_000_000n, cached: 300_000n, write: 3_750_000n, output: 15_000_000n };
    fc.assert(
      fc.property(
        fc.nat({ max: 10_000_000 }),
        fc.nat({ max: 10_000_000 }),
        fc.nat({ max: 10_000_000 }),
        fc.nat({ max: 10_000_000 }),
        fc.integer({ min: 0, max: 100_000 }),
        (input, cachedShare, writeShare, output, basisPoints) => {
          const cached = cachedShare % (input + 1);
          const written = writeShare % (input - cached + 1);
          const marked = { ...anthropicLike, markupPercent: basisPoints / 100 };
          const base =
            BigInt(input - cached - written) * prices.input +
            BigInt(cached) * prices.cached +
            BigInt(written) * prices.write +
            BigInt(output) * prices.output;
          const numerator = base * (10_000n + BigInt(basisPoints));
          const denominator = 1_000_000n * 10_000n;
          const expected = (numerator + denominator - 1n) / denominator;
          const usage = {
            inputTokens: input,
            cachedInputTokens: cached,
            cacheWriteTokens: written,
            outputTokens: output,
          };
          expect(chatCost(marked, usage)).toBe(expected);
        },
      ),
    );
  });
});

describe('worst-case chat cost', () => {
  it('holds every input token at the dearest input price and every allowed output token', () => {
    // The cache write price (3.75) is above the input price (3.00).
    expect(worstCaseChatCost(anthropicLike, 10_000, 4_096)).toBe(37_500n + 61_440n);
  });

  it('is never below the cost of any usage within its bounds (property)', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 300_000 }),
        fc.nat({ max: 300_000 }),
        fc.nat({ max: 100_000 }),
        fc.nat({ max: 100_000 }),
        (input, cachedShare, writeShare, output) => {
          const cached = cachedShare % (input + 1);
          const written = writeShare % (input - cached + 1);
          const usage = {
            inputTokens: input,
            cachedInputTokens: cached,
            cacheWriteTokens: written,
            outputTokens: output,
          };
          expect(worstCaseChatCost(anthropicLike, input, output)).toBeGreaterThanOrEqual(
            chatCost(anthropicLike, usage),
          );
        },
      ),
    );
  });

  it('uses the long-context tier when the input bound is above its threshold', () => {
    const tiered = model({
      pricing: {
        inputPer1M: '0.10',
        outputPer1M: '0.50',
        longContext: { aboveInputTokens: 100_000, inputPer1M: '0.50', outputPer1M: '2.50' },
      },
    });
    expect(worstCaseChatCost(tiered, 100_000, 1_000)).toBe(10_500n);
    expect(worstCaseChatCost(tiered, 100_001, 1_000)).toBe(52_501n); // 50,000.5 + 2,500 -> up
  });

  it('includes the markup and a per-request price', () => {
    const marked = model({
      markupPercent: 10,
      pricing: { inputPer1M: '1.00', outputPer1M: '2.00', perRequest: '0.001' },
    });
    expect(worstCaseChatCost(marked, 1_000, 1_000)).toBe(((1_000n + 2_000n + 1_000n) * 11n) / 10n);
  });
});

describe('other modalities', () => {
  it('prices embeddings per million input tokens', () => {
    const embedding = model({ modality: 'embedding', pricing: { inputPer1M: '0.02' } });
    expect(embeddingCost(embedding, 1_000_000)).toBe(20_000n);
    expect(embeddingCost(embedding, 1)).toBe(1n); // 0.02 micro rounds up
  });

  it('prices speech per million characters', () => {
    const speech = model({ modality: 'speech', pricing: { per1MCharacters: '15.00' } });
    expect(speechCost(speech, 1_000)).toBe(15_000n);
  });

  const dalle = model({
    modality: 'image',
    pricing: {
      perImage: {
        'standard/1024x1024': '0.04',
        'hd/1024x1024': '0.08',
        'hd/1792x1024': '0.12',
        '1792x1024': '0.08',
        default: '0.04',
      },
    },
  });

  it('looks image prices up by quality and size, then size, then the default', () => {
    expect(imageCost(dalle, { n: 2, size: '1024x1024', quality: 'HD' })).toBe(160_000n);
    expect(imageCost(dalle, { n: 1, size: '1792x1024' })).toBe(80_000n);
    expect(imageCost(dalle, { n: 1, size: '1792x1024', quality: 'standard' })).toBe(80_000n);
    expect(imageCost(dalle, { n: 3 })).toBe(120_000n);
  });

  it('charges the dearest image price when nothing in the table matches and there is no default', () => {
    const table = model({ modality: 'image', pricing: { perImage: { low: '0.011', high: '0.167' } } });
    expect(imageCost(table, { n: 1, quality: 'ultra' })).toBe(167_000n);
    expect(imageCost(table, { n: 1, quality: 'low' })).toBe(11_000n);
  });

  it('prices a token-priced image model by its reported usage when there is one', () => {
    const gptImage = model({
      modality: 'image',
      pricing: { inputPer1M: '5.00', outputPer1M: '40.00', perImage: { 'high/1024x1024': '0.167' } },
    });
    expect(imageCost(gptImage, { n: 1, size: '1024x1024', quality: 'high' })).toBe(167_000n);
    expect(imageCost(gptImage, { n: 1, usage: { inputTokens: 50, outputTokens: 4_160 } })).toBe(166_650n);
  });

  it('prices transcription by audio length, rounding the length up to the millisecond', () => {
    const whisper = model({ modality: 'transcription', pricing: { perMinute: '0.006' } });
    expect(transcriptionCost(whisper, { seconds: 60 })).toBe(6_000n);
    expect(transcriptionCost(whisper, { seconds: 0.0001 })).toBe(1n); // 1 ms = 0.1 micro -> 1
    expect(transcriptionCost(whisper, { seconds: 12.345 })).toBe(1_235n); // 1234.5 -> 1235
    expect(() => transcriptionCost(whisper, {})).toThrow(/seconds/);
  });

  it('prices per hour exactly, without a rounded per-second price', () => {
    const scribe = model({ modality: 'transcription', pricing: { perHour: '0.22' } });
    expect(transcriptionCost(scribe, { seconds: 3_600 })).toBe(220_000n);
    expect(transcriptionCost(scribe, { seconds: 36 })).toBe(2_200n);
    expect(transcriptionCost(scribe, { seconds: 1 })).toBe(62n); // 61.1 -> 62
  });

  it('prices a token-priced transcription by usage when reported, else by length', () => {
    const transcribe = model({
      modality: 'transcription',
      pricing: { inputPer1M: '6.00', outputPer1M: '10.00', perMinute: '0.006' },
    });
    expect(
      transcriptionCost(transcribe, { seconds: 30, usage: { inputTokens: 1_000, outputTokens: 100 } }),
    ).toBe(7_000n);
    expect(transcriptionCost(transcribe, { seconds: 30 })).toBe(3_000n);
  });

  it('prices jobs by time, fixed price and outputs', () => {
    const music = model({
      modality: 'music',
      async: true,
      maxJobSeconds: 300,
      pricing: { perSecond: '0.0014', secondsOf: 'predict' },
    });
    expect(jobCost(music, { seconds: 45.5 })).toBe(63_700n);
    expect(() => jobCost(music, {})).toThrow(/seconds/);
    const video = model({ modality: 'video', async: true, pricing: { perRequest: '0.50' } });
    expect(jobCost(video, {})).toBe(500_000n);
    const images = model({
      modality: 'image',
      async: true,
      markupPercent: 50,
      pricing: { perImage: '0.04' },
    });
    expect(jobCost(images, { outputs: 3 })).toBe(180_000n);
  });

  it('refuses a model without the price a function needs', () => {
    const speech = model({ modality: 'speech', pricing: { per1MCharacters: '15.00' } });
    expect(() => embeddingCost(speech, 10)).toThrow('Model test/model has no inputPer1M price');
  });
});
