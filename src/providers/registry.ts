/**
 * The adapter for each provider id a deployment names. Adding a provider: one folder, one line here.
 */
import { createAnthropicAdapter } from './anthropic/anthropic-provider.js';
import { createElevenLabsAdapter } from './elevenlabs/elevenlabs-provider.js';
import { createGoogleAdapter } from './google/google-provider.js';
import { createLocalAdapter } from './local/local-provider.js';
import { createOpenAiAdapter } from './openai/openai-provider.js';
import { OPENAI_COMPATIBLE_FLAVOURS } from './openai-compatible/compat-quirks.js';
import { createOpenAiCompatibleAdapter } from './openai-compatible/openai-compatible-provider.js';
import { createReplicateAdapter } from './replicate/replicate-provider.js';
import type { ProviderAdapter } from './spec.js';
import { createStabilityAdapter } from './stability/stability-provider.js';

export interface ProviderRegistry {
  /** The adapter for a deployment's provider id, or undefined for an unknown one. */
  get(provider: string): ProviderAdapter | undefined;
}

export function createProviderRegistry(options: { localChunkDelayMs?: number } = {}): ProviderRegistry {
  const adapters = new Map<string, ProviderAdapter>([
    ['openai', createOpenAiAdapter()],
    ['anthropic', createAnthropicAdapter()],
    ['google', createGoogleAdapter()],
    ['replicate', createReplicateAdapter()],
    ['elevenlabs', createElevenLabsAdapter()],
    ['stability', createStabilityAdapter()],
    ['local', createLocalAdapter({ chunkDelayMs: options.localChunkDelayMs })],
  ]);
  for (const flavour of OPENAI_COMPATIBLE_FLAVOURS)
    adapters.set(flavour, createOpenAiCompatibleAdapter(flavour));
  return { get: (provider) => adapters.get(provider) };
}
