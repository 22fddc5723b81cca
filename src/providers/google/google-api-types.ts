/**
 * Zod schemas of the Gemini API's own requests and answers (generativelanguage.googleapis.com
 * v1beta: generateContent, streamGenerateContent?alt=sse, batchEmbedContents). Objects are loose so
 * a field Google adds tomorrow does not break parsing; only what the adapter reads is required.
 * The request schemas type what the adapter sends and let the fake check what it received.
 * Reference: https://ai.google.dev/api/generate-content
 */
import { z } from 'zod';

const ZJsonObject = z.record(z.string(), z.unknown());

export const ZGoogleFunctionCall = z.looseObject({
  /** Set by some Gemini surfaces (Live API); absent from generateContent today. */
  id: z.string().optional(),
  name: z.string(),
  args: ZJsonObject.optional(),
});

export const ZGooglePart = z.looseObject({
  text: z.string().optional(),
  /** A thought summary (only with thinkingConfig.includeThoughts). */
  thought: z.boolean().optional(),
  /** Opaque, base64: Gemini 3 requires it back on the function call parts it came with. */
  thoughtSignature: z.string().optional(),
  inlineData: z.looseObject({ mimeType: z.string(), data: z.string() }).optional(),
  fileData: z.looseObject({ mimeType: z.string().optional(), fileUri: z.string() }).optional(),
  functionCall: ZGoogleFunctionCall.optional(),
  functionResponse: z
    .looseObject({ id: z.string().optional(), name: z.string(), response: ZJsonObject })
    .optional(),
});
export type TGooglePart = z.infer<typeof ZGooglePart>;

export const ZGoogleContent = z.looseObject({
  /** `user` or `model`; Google treats a missing role as `user`. */
  role: z.string().optional(),
  parts: z.array(ZGooglePart).optional(),
});
export type TGoogleContent = z.infer<typeof ZGoogleContent>;

// ---------------------------------------------------------------------------------------------
// generateContent request

export const ZGoogleThinkingConfig = z.looseObject({
  /** Gemini 2.5: tokens of thinking (0 turns it off where the model allows, -1 is dynamic). */
  thinkingBudget: z.number().int().optional(),
  /** Gemini 3 and later: `minimal` | `low` | `medium` | `high`; never together with a budget. */
  thinkingLevel: z.string().optional(),
  includeThoughts: z.boolean().optional(),
});

export const ZGoogleGenerationConfig = z.looseObject({
  maxOutputTokens: z.number().int().optional(),
  temperature: z.number().optional(),
  topP: z.number().optional(),
  stopSequences: z.array(z.string()).optional(),
  seed: z.number().int().optional(),
  responseMimeType: z.string().optional(),
  /** Plain JSON Schema; `responseSchema` takes only Google's OpenAPI subset. */
  responseJsonSchema: ZJsonObject.optional(),
  thinkingConfig: ZGoogleThinkingConfig.optional(),
});

export const ZGoogleFunctionDeclaration = z.looseObject({
  name: z.string(),
  description: z.string().optional(),
  /** Plain JSON Schema; `parameters` takes only Google's OpenAPI subset (no `$schema`, ...). */
  parametersJsonSchema: ZJsonObject.optional(),
});

export const ZGoogleFunctionCallingMode = z.enum(['AUTO', 'ANY', 'NONE', 'VALIDATED']);

export const ZGenerateContentRequest = z.looseObject({
  contents: z.array(ZGoogleContent),
  systemInstruction: ZGoogleContent.optional(),
  generationConfig: ZGoogleGenerationConfig.optional(),
  tools: z
    .array(z.looseObject({ functionDeclarations: z.array(ZGoogleFunctionDeclaration).optional() }))
    .optional(),
  toolConfig: z
    .looseObject({
      functionCallingConfig: z
        .looseObject({
          mode: ZGoogleFunctionCallingMode.optional(),
          allowedFunctionNames: z.array(z.string()).optional(),
        })
        .optional(),
    })
    .optional(),
});
export type TGenerateContentRequest = z.infer<typeof ZGenerateContentRequest>;

// ---------------------------------------------------------------------------------------------
// generateContent answer (also each event of the stream)

export const ZGoogleUsageMetadata = z.looseObject({
  /** Includes cachedContentTokenCount. */
  promptTokenCount: z.number().int().nonnegative().optional(),
  /** The answer without the thinking. */
  candidatesTokenCount: z.number().int().nonnegative().optional(),
  thoughtsTokenCount: z.number().int().nonnegative().optional(),
  cachedContentTokenCount: z.number().int().nonnegative().optional(),
  /** Results of Google-run tools (search, URL context) fed back in: billed as input. */
  toolUsePromptTokenCount: z.number().int().nonnegative().optional(),
  totalTokenCount: z.number().int().nonnegative().optional(),
});
export type TGoogleUsageMetadata = z.infer<typeof ZGoogleUsageMetadata>;

export const ZGoogleCandidate = z.looseObject({
  content: ZGoogleContent.optional(),
  finishReason: z.string().optional(),
});

export const ZGoogleErrorObject = z.looseObject({
  code: z.number().int().optional(),
  message: z.string().optional(),
  /** The google.rpc.Code name, e.g. `RESOURCE_EXHAUSTED`. */
  status: z.string().optional(),
  details: z
    .array(
      z.looseObject({
        '@type': z.string().optional(),
        /** RetryInfo: a protobuf Duration, e.g. `34.4s`. */
        retryDelay: z.string().optional(),
        /** ErrorInfo: e.g. `API_KEY_INVALID`. */
        reason: z.string().optional(),
      }),
    )
    .optional(),
});

export const ZGoogleErrorBody = z.looseObject({ error: ZGoogleErrorObject });

export const ZGenerateContentResponse = z.looseObject({
  candidates: z.array(ZGoogleCandidate).optional(),
  promptFeedback: z.looseObject({ blockReason: z.string().optional() }).optional(),
  usageMetadata: ZGoogleUsageMetadata.optional(),
  responseId: z.string().optional(),
  modelVersion: z.string().optional(),
  /** Only in a stream: Google reports a failure after the 200 as one more event. */
  error: ZGoogleErrorObject.optional(),
});
export type TGenerateContentResponse = z.infer<typeof ZGenerateContentResponse>;

// ---------------------------------------------------------------------------------------------
// batchEmbedContents

/** Google refuses a batch of more than this many requests (400 INVALID_ARGUMENT). */
export const GOOGLE_MAX_EMBED_BATCH = 100;

export const ZBatchEmbedContentsRequest = z.looseObject({
  requests: z.array(
    z.looseObject({
      /** `models/<model>`, the same model as the URL's. */
      model: z.string(),
      content: ZGoogleContent,
      outputDimensionality: z.number().int().positive().optional(),
    }),
  ),
});
export type TBatchEmbedContentsRequest = z.infer<typeof ZBatchEmbedContentsRequest>;

export const ZBatchEmbedContentsResponse = z.looseObject({
  embeddings: z.array(z.looseObject({ values: z.array(z.number()) })),
});
