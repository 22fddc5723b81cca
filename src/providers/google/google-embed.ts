/**
 * Embeddings over Gemini's batchEmbedContents. Google takes at most 100 texts a request, so longer
 * inputs go in consecutive batches (one after the other: a batch already costs one request per
 * text against the per-minute quota). Google reports no token usage for embeddings.
 * Reference: https://ai.google.dev/api/embeddings#method:-models.batchembedcontents
 */
import { parseUpstreamJson, readBody } from '../http/upstream.js';
import type { CallOptions, EmbeddingRequest, EmbeddingResult } from '../spec.js';
import { ProviderError } from '../spec.js';
import {
  GOOGLE_MAX_EMBED_BATCH,
  type TBatchEmbedContentsRequest,
  ZBatchEmbedContentsResponse,
} from './google-api-types.js';
import { googleModelName, googleModelPath } from './google-chat.js';
import { GOOGLE, sendGoogleUpstream } from './google-error.js';

export async function googleEmbed(request: EmbeddingRequest, call: CallOptions): Promise<EmbeddingResult> {
  const embeddings: number[][] = [];
  for (let start = 0; start < request.input.length; start += GOOGLE_MAX_EMBED_BATCH) {
    const batch = request.input.slice(start, start + GOOGLE_MAX_EMBED_BATCH);
    embeddings.push(...(await embedBatch(request, batch, call)));
  }
  return { embeddings };
}

async function embedBatch(
  request: EmbeddingRequest,
  texts: string[],
  call: CallOptions,
): Promise<number[][]> {
  const path = googleModelPath(request.model);
  const body: TBatchEmbedContentsRequest = {
    requests: texts.map((text) => ({
      // Each request names the model again, and it must be the URL's.
      model: googleModelName(request.model),
      content: { parts: [{ text }] },
      ...(request.dimensions !== undefined && { outputDimensionality: request.dimensions }),
    })),
  };
  const response = await sendGoogleUpstream(call, { path: `${path}:batchEmbedContents`, body });
  const bytes = await readBody(GOOGLE, response.body, undefined, call.signal);
  const answer = parseUpstreamJson(
    GOOGLE,
    bytes.toString('utf8'),
    ZBatchEmbedContentsResponse,
    response.status,
  );
  if (answer.embeddings.length !== texts.length) {
    throw new ProviderError(
      'malformed',
      `${GOOGLE} answered ${answer.embeddings.length} embeddings for ${texts.length} inputs`,
      { status: response.status },
    );
  }
  return answer.embeddings.map((embedding) => embedding.values);
}
