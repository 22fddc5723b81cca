import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseAmount } from '../lib/money.js';
import type { TCatalogModel } from './catalog-schema.js';
import { loadCatalog, readCatalogFile, SHIPPED_CATALOG_FILE } from './load-catalog.js';
import { KNOWN_PROVIDERS } from './provider-deployments.js';

/** The shipped catalog, checked beyond its schema: the data the gateway bills with. */
const entries = readCatalogFile(SHIPPED_CATALOG_FILE);
const models: TCatalogModel[] = entries.flatMap((entry) => (entry.kind === 'model' ? [entry.model] : []));
const byId = new Map(models.map((model) => [model.id, model]));

describe('the shipped models.json', () => {
  it('parses, with a price check date, and has no disabled entries', () => {
    const raw = JSON.parse(readFileSync(SHIPPED_CATALOG_FILE, 'utf8')) as { pricesCheckedAt?: string };
    expect(raw.pricesCheckedAt).toBe('2026-12');
    expect(entries.every((entry) => entry.kind === 'model')).toBe(true);
    expect(() => loadCatalog({ markupPercent: 0 })).not.toThrow();
  });

  it('has at least 40 models, each with a price and a price source', () => {
    expect(models.length).toBeGreaterThanOrEqual(40);
    for (const model of models) {
      const { secondsOf: _unit, longContext: _tier, perImage, ...flat } = model.pricing;
      const prices = [
        ...Object.values(flat),
        ...(typeof perImage === 'string' ? [perImage] : Object.values(perImage ?? {})),
      ];
      expect(prices.length, model.id).toBeGreaterThan(0);
      expect(
        prices.some((price) => price !== undefined && parseAmount(price) > 0n),
        model.id,
      ).toBe(true);
      expect(model.priceSource, model.id).toMatch(/^(https:\/\/\S+|unverified|Mixgate demo price)/);
    }
  });

  it('names every model `provider/model` after a provider the deployments know', () => {
    for (const model of models) {
      const [provider, name] = [
        model.id.slice(0, model.id.indexOf('/')),
        model.id.slice(model.id.indexOf('/') + 1),
      ];
      expect(provider, model.id).toBe(model.provider);
      expect(name.length, model.id).toBeGreaterThan(0);
      expect(KNOWN_PROVIDERS, model.id).toContain(model.provider);
      for (const extra of model.deployments) expect(KNOWN_PROVIDERS, model.id).toContain(extra.deployment);
    }
  });

  it('has no duplicate ids or aliases, whatever their case', () => {
    const names = models.flatMap((model) => [
      model.id,
      ...model.aliases.filter((alias) => alias !== model.id),
    ]);
    const lower = names.map((name) => name.toLowerCase());
    expect(lower.filter((name, index) => lower.indexOf(name) !== index)).toEqual([]);
  });

  it('covers the providers and modalities the gateway offers', () => {
    // Self-hosted servers run whatever the operator loads, so they have no shipped models.
    const served = new Set(
      models.flatMap((model) => [model.provider, ...model.deployments.map((extra) => extra.deployment)]),
    );
    for (const provider of KNOWN_PROVIDERS.filter((id) => !['ollama', 'vllm', 'lmstudio'].includes(id))) {
      expect(served, provider).toContain(provider);
    }
    const modalities = new Set(models.map((model) => model.modality));
    expect([...modalities].sort()).toEqual([
      'embedding',
      'image',
      'music',
      'speech',
      'text',
      'transcription',
      'video',
    ]);
  });

  it('ships the models the operator guide promises', () => {
    const expected = [
      'openai/gpt-4o',
      'openai/gpt-4o-mini',
      'openai/gpt-4.1',
      'openai/gpt-4.1-mini',
      'openai/o3',
      'openai/o4-mini',
      'openai/gpt-5',
      'openai/text-embedding-3-small',
      'openai/text-embedding-3-large',
      'openai/gpt-image-1',
      'openai/dall-e-3',
      'openai/tts-1',
      'openai/tts-1-hd',
      'openai/gpt-4o-mini-tts',
      'openai/whisper-1',
      'openai/gpt-4o-transcribe',
      'google/gemini-2.5-pro',
      'google/gemini-2.5-flash',
      'google/gemini-2.5-flash-lite',
      'google/gemini-2.0-flash',
      'google/gemini-embedding-001',
      'replicate/flux-schnell',
      'replicate/video-01',
      'replicate/musicgen',
      'elevenlabs/eleven_multilingual_v2',
      'elevenlabs/eleven_flash_v2_5',
      'elevenlabs/scribe_v1',
      'stability/stable-image-core',
      'stability/stable-image-ultra',
      'stability/sd3.5-large',
    ];
    expect(expected.filter((id) => !byId.has(id))).toEqual([]);
    const claude = models.filter((model) => model.provider === 'anthropic').map((model) => model.id);
    for (const family of ['opus', 'sonnet', 'haiku'])
      expect(
        claude.some((id) => id.includes(family)),
        family,
      ).toBe(true);
  });

  it('has the built-in local models under short aliases', () => {
    const local = Object.fromEntries(
      models
        .filter((model) => model.provider === 'local')
        .map((model) => [model.id, [model.modality, model.aliases]]),
    );
    expect(local).toEqual({
      'local/echo': ['text', ['echo']],
      'local/pixels': ['image', ['pixels']],
      'local/espeak': ['speech', ['espeak']],
      'local/hash-embed': ['embedding', ['hash-embed']],
    });
  });

  it('keeps default holds reasonable and prices internally consistent', () => {
    for (const model of models) {
      if (model.modality === 'text') {
        expect(model.defaultMaxOutputTokens, model.id).toBeLessThanOrEqual(16_384);
        expect(model.maxOutputTokens!, model.id).toBeLessThanOrEqual(model.contextWindow!);
      }
      const { inputPer1M, cachedInputPer1M, longContext } = model.pricing;
      if (inputPer1M && cachedInputPer1M) {
        expect(parseAmount(cachedInputPer1M), model.id).toBeLessThanOrEqual(parseAmount(inputPer1M));
      }
      if (longContext?.inputPer1M && inputPer1M) {
        expect(parseAmount(longContext.inputPer1M), model.id).toBeGreaterThan(parseAmount(inputPer1M));
      }
      if (model.async) expect(['image', 'video', 'music', 'speech'], model.id).toContain(model.modality);
      if (['video', 'music'].includes(model.modality)) expect(model.async, model.id).toBe(true);
    }
  });
});
