/**
 * The local demo's embeddings: character trigrams and words hashed into a fixed number of
 * dimensions (the "hashing trick"), then scaled to unit length. Texts that share spelling get
 * similar vectors, which is enough to try similarity search end to end; it knows nothing of
 * meaning ("car" and "automobile" are unrelated to it).
 */

import { countTokens } from '../../catalog/count-tokens.js';
import type { EmbeddingRequest, EmbeddingResult } from '../spec.js';
import { ProviderError } from '../spec.js';

export const DEFAULT_EMBEDDING_DIMENSIONS = 256;
export const MAX_EMBEDDING_DIMENSIONS = 4096;

export async function embedLocally(request: EmbeddingRequest): Promise<EmbeddingResult> {
  const dimensions = request.dimensions ?? DEFAULT_EMBEDDING_DIMENSIONS;
  if (!Number.isInteger(dimensions) || dimensions < 1 || dimensions > MAX_EMBEDDING_DIMENSIONS) {
    throw new ProviderError(
      'bad_request',
      `local embeddings have 1 to ${MAX_EMBEDDING_DIMENSIONS} dimensions`,
    );
  }
  const counts = await Promise.all(request.input.map(countTokens));
  const embeddings = request.input.map((text) => embedText(text, dimensions));
  return { embeddings, usage: { inputTokens: counts.reduce((sum, count) => sum + count, 0) } };
}

/** One unit vector; the same text and dimensions always give the same vector. */
export function embedText(text: string, dimensions: number): number[] {
  const vector = new Float64Array(dimensions);
  const normalised = text.normalize('NFKC').toLowerCase().replace(/\s+/g, ' ').trim();
  const characters = Array.from(` ${normalised} `);
  for (let i = 0; i + 3 <= characters.length; i++) {
    addFeature(vector, `3:${characters[i]}${characters[i + 1]}${characters[i + 2]}`, 1);
  }
  for (const word of normalised.split(' ')) {
    if (word !== '') addFeature(vector, `w:${word}`, 1);
  }
  let length = 0;
  for (const value of vector) length += value * value;
  // An empty text has no features; give it a fixed direction so it is still a unit vector.
  if (length === 0) {
    vector[0] = 1;
    length = 1;
  }
  const scale = 1 / Math.sqrt(length);
  return Array.from(vector, (value) => value * scale);
}

/**
 * A signed feature: the sign comes from a second hash, so collisions cancel out on average
 * instead of piling up (Weinberger et al., "Feature Hashing for Large Scale Multitask Learning").
 */
function addFeature(vector: Float64Array, feature: string, weight: number): void {
  let hash = 0x811c9dc5;
  for (let i = 0; i < feature.length; i++) {
    hash ^= feature.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  const index = (hash >>> 0) % vector.length;
  let mixed = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  mixed = Math.imul(mixed ^ (mixed >>> 13), 0xc2b2ae35);
  const sign = (mixed ^ (mixed >>> 16)) & 1 ? 1 : -1;
  vector[index] = (vector[index] ?? 0) + sign * weight;
}
