import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Deployment } from '../providers/spec.js';
import { Catalog, deploymentsForModel } from './catalog.js';
import type { CatalogModel } from './catalog-schema.js';
import { CatalogError, loadCatalog } from './load-catalog.js';
import { chatCost } from './prices.js';

const folder = mkdtempSync(path.join(tmpdir(), 'mixgate-catalog-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

let fileCount = 0;
function operatorFile(content: unknown): string {
  fileCount += 1;
  const file = path.join(folder, `catalog-${fileCount}.json`);
  writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

const house = {
  id: 'vllm/house-llama',
  name: 'House Llama',
  provider: 'vllm',
  upstreamId: 'meta-llama/Llama-3.1-8B-Instruct',
  aliases: ['House-Llama'],
  modality: 'text',
  contextWindow: 32768,
  maxOutputTokens: 8192,
  defaultMaxOutputTokens: 2048,
  capabilities: ['streaming'],
  pricing: { inputPer1M: '0.05', outputPer1M: '0.10' },
  priceSource: 'our own GPU',
};

function loadError(content: unknown): string {
  try {
    loadCatalog({ file: operatorFile(content), markupPercent: 0 });
  } catch (error) {
    expect(error).toBeInstanceOf(CatalogError);
    return (error as Error).message;
  }
  throw new Error('expected the catalog to be refused');
}

describe('loading the catalog', () => {
  it('serves the shipped models with the global markup', () => {
    const catalog = loadCatalog({ markupPercent: 7.5 });
    const mini = catalog.resolve('openai/gpt-4o-mini')!;
    expect(mini.markupPercent).toBe(7.5);
    expect(mini.pricing.inputPer1M).toBe('0.15');
    // 1M input tokens at 0.15 + 7.5 %
    expect(chatCost(mini, { inputTokens: 1_000_000, outputTokens: 0 })).toBe(161_250n);
  });

  it("lets an operator's file add models, replace shipped ones whole and remove them", () => {
    const file = operatorFile({
      models: [
        house,
        {
          ...house,
          id: 'openai/gpt-4o-mini',
          name: 'Our GPT-4o mini',
          provider: 'openai',
          upstreamId: 'gpt-4o-mini',
          aliases: ['gpt-4o-mini'],
          pricing: { inputPer1M: '0.20', outputPer1M: '0.80' },
          markupPercent: 0,
        },
        { id: 'openai/gpt-4o', disabled: true },
      ],
    });
    const catalog = loadCatalog({ file, markupPercent: 20 });
    expect(catalog.resolve('vllm/house-llama')?.markupPercent).toBe(20);
    const replaced = catalog.resolve('gpt-4o-mini')!;
    expect(replaced.name).toBe('Our GPT-4o mini');
    expect(replaced.pricing.cachedInputPer1M).toBeUndefined(); // replaced whole, not merged
    expect(replaced.markupPercent).toBe(0); // its own markup wins over the global one
    expect(catalog.resolve('openai/gpt-4o')).toBeUndefined();
    expect(catalog.resolve('gpt-4o')).toBeUndefined();
    expect(catalog.list().at(-1)?.id).toBe('vllm/house-llama');
  });

  it('names the entry and the field of bad data', () => {
    expect(
      loadError({ models: [{ ...house, pricing: { inputPer1M: '0.1234567', outputPer1M: '1' } }] }),
    ).toMatch(/model "vllm\/house-llama" \(entry 1\): pricing\.inputPer1M: must be a decimal string/);
    expect(loadError({ models: [{ ...house, pricing: { inputPer1M: 0.05, outputPer1M: '1' } }] })).toMatch(
      /pricing\.inputPer1M/,
    );
    const { contextWindow: _omitted, ...withoutContext } = house;
    expect(loadError({ models: [house, { ...withoutContext, id: 'vllm/second' }] })).toMatch(
      /model "vllm\/second" \(entry 2\): contextWindow: is required for a text model/,
    );
    expect(loadError({ models: [{ ...house, provider: 'ollama' }] })).toMatch(
      /provider: must be the id's prefix/,
    );
    expect(loadError({ models: [{ ...house, pricing: { ...house.pricing, inputPer1m: '1' } }] })).toMatch(
      /pricing: .*inputPer1m/,
    );
    expect(loadError({ models: [{ ...house, id: 'House Llama' }] })).toMatch(
      /entry 1.*id: must be `provider\/model`/,
    );
    expect(loadError({ models: [{ ...house, defaultMaxOutputTokens: 9000 }] })).toMatch(
      /defaultMaxOutputTokens: must not exceed maxOutputTokens/,
    );
    expect(loadError({ models: [{ ...house, markupPercent: 1.234 }] })).toMatch(
      /markupPercent: must have at most 2/,
    );
  });

  it('refuses duplicate ids, clashing aliases and files that are not a catalog', () => {
    expect(loadError({ models: [house, house] })).toMatch(
      /model "vllm\/house-llama" \(entry 2\): the id appears twice/,
    );
    expect(loadError({ models: [{ ...house, aliases: ['GPT-4o'] }] })).toMatch(
      /model "vllm\/house-llama": "GPT-4o" is already used by "openai\/gpt-4o"/,
    );
    expect(loadError('{ not json')).toMatch(/cannot read it as JSON/);
    expect(loadError({ model: [] })).toMatch(/Catalog .*catalog-\d+\.json: /);
  });

  it('refuses a markup with more than two decimals', () => {
    expect(() => loadCatalog({ markupPercent: 0.125 })).toThrow(CatalogError);
    expect(() => loadCatalog({ markupPercent: -1 })).toThrow(CatalogError);
  });

  it('hands out frozen models so no caller can change a price for everyone', () => {
    const model = loadCatalog({ markupPercent: 0 }).resolve('openai/gpt-4o')!;
    expect(Object.isFrozen(model)).toBe(true);
    expect(Object.isFrozen(model.pricing)).toBe(true);
    expect(() => {
      (model.pricing as { inputPer1M?: string }).inputPer1M = '0';
    }).toThrow(TypeError);
  });
});

describe('the catalog', () => {
  const catalog = loadCatalog({ file: operatorFile({ models: [house] }), markupPercent: 0 });

  it('resolves ids and aliases whatever their case', () => {
    expect(catalog.resolve('house-llama')?.id).toBe('vllm/house-llama');
    expect(catalog.resolve('HOUSE-LLAMA')?.id).toBe('vllm/house-llama');
    expect(catalog.resolve('VLLM/House-Llama')?.id).toBe('vllm/house-llama');
    expect(catalog.resolve(' echo ')?.id).toBe('local/echo');
    expect(catalog.resolve('no-such-model')).toBeUndefined();
  });

  it('lists models in catalog order and by modality', () => {
    const ids = catalog.list().map((model) => model.id);
    expect(ids.indexOf('openai/gpt-4o')).toBeLessThan(ids.indexOf('vllm/house-llama'));
    const images = catalog.forModality('image');
    expect(images.length).toBeGreaterThan(3);
    expect(images.every((model) => model.modality === 'image')).toBe(true);
    expect(images.map((model) => model.id)).toContain('local/pixels');
  });

  it('returns copies of the list, not its own array', () => {
    catalog.list().length = 0;
    expect(catalog.list().length).toBeGreaterThan(40);
  });
});

describe('deployments for a model', () => {
  function deployment(id: string, provider = id): Deployment {
    return {
      id,
      provider,
      baseUrl: `https://${id}.example`,
      region: 'US',
      zeroRetention: false,
      transferSafeguard: 'x',
    };
  }
  const model: CatalogModel = new Catalog([
    {
      ...loadCatalog({ markupPercent: 0 }).resolve('openai/gpt-4o-mini')!,
      deployments: [
        { deployment: 'openrouter', upstreamId: 'openai/gpt-4o-mini' },
        { deployment: 'azure', upstreamId: 'gpt-4o-mini-2024-07-18' },
      ],
    },
  ]).list()[0]!;

  it('tries the native deployment first, then the configured extra ones in catalog order', () => {
    const routes = deploymentsForModel(model, [
      deployment('local'),
      deployment('azure'),
      deployment('openrouter'),
      deployment('openai'),
    ]);
    expect(routes.map((route) => [route.deployment.id, route.upstreamId])).toEqual([
      ['openai', 'gpt-4o-mini'],
      ['openrouter', 'openai/gpt-4o-mini'],
      ['azure', 'gpt-4o-mini-2024-07-18'],
    ]);
  });

  it('includes other deployments of the native adapter after the native one, and skips missing ones', () => {
    const routes = deploymentsForModel(model, [deployment('openai-eu', 'openai'), deployment('openai')]);
    expect(routes.map((route) => route.deployment.id)).toEqual(['openai', 'openai-eu']);
    expect(deploymentsForModel(model, [deployment('openrouter')]).map((route) => route.upstreamId)).toEqual([
      'openai/gpt-4o-mini',
    ]);
    expect(deploymentsForModel(model, [deployment('groq')])).toEqual([]);
  });
});
