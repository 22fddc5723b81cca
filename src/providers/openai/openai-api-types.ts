/**
 * Zod schemas of OpenAI's API (https://platform.openai.com/docs/api-reference): the chat request we
 * send (strict, as OpenAI rejects unknown arguments; the fake validates with it) and every response
 * body and stream chunk we read (loose, so fields OpenAI or a compatible server adds do not break
 * parsing, and only what the adapters use is required). The compatible servers (DeepSeek, Mistral,
 * OpenRouter...) answer in the same shapes with a few extra fields, listed here too.
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Chat request

const ZTextPartParam = z.strictObject({ type: z.literal('text'), text: z.string() });

const ZImagePartParam = z.strictObject({
  type: z.literal('image_url'),
  image_url: z.strictObject({ url: z.string().min(1), detail: z.enum(['auto', 'low', 'high']).optional() }),
});

export const ZToolCallParam = z.strictObject({
  id: z.string().min(1),
  type: z.literal('function'),
  function: z.strictObject({ name: z.string().min(1), arguments: z.string() }),
});

export const ZOpenAiMessageParam = z.discriminatedUnion('role', [
  // `developer` replaces `system` for the o-series and gpt-5 reasoning models.
  z.strictObject({ role: z.enum(['system', 'developer']), content: z.string() }),
  z.strictObject({
    role: z.literal('user'),
    content: z.union([
      z.string(),
      z.array(z.discriminatedUnion('type', [ZTextPartParam, ZImagePartParam])).min(1),
    ]),
  }),
  z.strictObject({
    role: z.literal('assistant'),
    content: z.string().nullable(),
    tool_calls: z.array(ZToolCallParam).min(1).optional(),
  }),
  z.strictObject({ role: z.literal('tool'), tool_call_id: z.string().min(1), content: z.string() }),
]);
export type TOpenAiMessageParam = z.infer<typeof ZOpenAiMessageParam>;

const ZResponseFormatParam = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('text') }),
  z.strictObject({ type: z.literal('json_object') }),
  z.strictObject({
    type: z.literal('json_schema'),
    json_schema: z.strictObject({
      name: z.string().min(1),
      description: z.string().optional(),
      schema: z.record(z.string(), z.unknown()),
      strict: z.boolean().optional(),
    }),
  }),
]);

export const ZOpenAiChatRequest = z.strictObject({
  model: z.string().min(1),
  messages: z.array(ZOpenAiMessageParam).min(1),
  max_completion_tokens: z.number().int().positive().optional(),
  max_tokens: z.number().int().positive().optional(),
  temperature: z.number().min(0).max(2).optional(),
  top_p: z.number().min(0).max(1).optional(),
  stop: z.array(z.string()).max(4).optional(),
  seed: z.number().int().optional(),
  tools: z
    .array(
      z.strictObject({
        type: z.literal('function'),
        function: z.strictObject({
          name: z.string().min(1),
          description: z.string().optional(),
          parameters: z.record(z.string(), z.unknown()),
          strict: z.boolean().optional(),
        }),
      }),
    )
    .optional(),
  tool_choice: z
    .union([
      z.enum(['auto', 'none', 'required']),
      z.strictObject({ type: z.literal('function'), function: z.strictObject({ name: z.string().min(1) }) }),
    ])
    .optional(),
  parallel_tool_calls: z.boolean().optional(),
  response_format: ZResponseFormatParam.optional(),
  reasoning_effort: z.enum(['none', 'minimal', 'low', 'medium', 'high', 'xhigh']).optional(),
  /** Replaces the deprecated `user` for abuse monitoring; at most 64 characters. */
  safety_identifier: z.string().max(64).optional(),
  user: z.string().optional(),
  stream: z.boolean().optional(),
  stream_options: z.strictObject({ include_usage: z.boolean().optional() }).optional(),
});
export type TOpenAiChatRequest = z.infer<typeof ZOpenAiChatRequest>;

// ---------------------------------------------------------------------------------------------
// Chat response and stream chunks

/**
 * Token counts. `prompt_tokens` includes the cached ones and `completion_tokens` the reasoning ones
 * (except xAI's, see the compatible adapter's quirks). DeepSeek reports its cache hits as
 * `prompt_cache_hit_tokens`, OpenRouter adds `cache_write_tokens` and the `cost` in credits.
 */
export const ZOpenAiUsage = z.looseObject({
  prompt_tokens: z.number().nullish(),
  completion_tokens: z.number().nullish(),
  prompt_tokens_details: z
    .looseObject({ cached_tokens: z.number().nullish(), cache_write_tokens: z.number().nullish() })
    .nullish(),
  completion_tokens_details: z.looseObject({ reasoning_tokens: z.number().nullish() }).nullish(),
  prompt_cache_hit_tokens: z.number().nullish(),
  cost: z.number().nullish(),
});
export type TOpenAiUsage = z.infer<typeof ZOpenAiUsage>;

/** Mistral's reasoning models answer with an array of chunks instead of a string. */
const ZContentChunk = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  thinking: z.array(z.looseObject({ type: z.string(), text: z.string().nullish() })).nullish(),
});
const ZContent = z.union([z.string(), z.array(ZContentChunk)]).nullish();
export type TOpenAiContent = z.infer<typeof ZContent>;

/** The reasoning text of compatible servers: `reasoning_content` or `reasoning`; OpenAI sends none. */
const reasoningFields = { reasoning_content: z.string().nullish(), reasoning: z.string().nullish() };

export const ZOpenAiErrorObject = z.looseObject({
  // Mistral and vLLM put a structured validation report in `message`.
  message: z.unknown().optional(),
  type: z.string().nullish(),
  // OpenRouter, vLLM and Mistral send numbers here.
  code: z.union([z.string(), z.number()]).nullish(),
  param: z.string().nullish(),
});

export const ZOpenAiChatCompletion = z.looseObject({
  id: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        message: z.looseObject({
          content: ZContent,
          refusal: z.string().nullish(),
          tool_calls: z
            .array(
              z.looseObject({
                id: z.string().nullish(),
                function: z.looseObject({
                  name: z.string().min(1),
                  // Some local servers send the arguments as an object.
                  arguments: z.union([z.string(), z.record(z.string(), z.unknown())]).nullish(),
                }),
              }),
            )
            .nullish(),
          ...reasoningFields,
        }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: ZOpenAiUsage.nullish(),
});
export type TOpenAiChatCompletion = z.infer<typeof ZOpenAiChatCompletion>;

export const ZOpenAiChatChunk = z.looseObject({
  id: z.string().nullish(),
  choices: z
    .array(
      z.looseObject({
        delta: z
          .looseObject({
            content: ZContent,
            refusal: z.string().nullish(),
            tool_calls: z
              .array(
                z.looseObject({
                  index: z.number().int().nonnegative().nullish(),
                  id: z.string().nullish(),
                  function: z
                    .looseObject({ name: z.string().nullish(), arguments: z.string().nullish() })
                    .nullish(),
                }),
              )
              .nullish(),
            ...reasoningFields,
          })
          .nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: ZOpenAiUsage.nullish(),
  /** Groq reports a stream's usage here. */
  x_groq: z.looseObject({ usage: ZOpenAiUsage.nullish() }).nullish(),
  /** A failure after the 200 status line (OpenAI, OpenRouter). */
  error: ZOpenAiErrorObject.nullish(),
});
export type TOpenAiChatChunk = z.infer<typeof ZOpenAiChatChunk>;

// ---------------------------------------------------------------------------------------------
// Other endpoints

export const ZOpenAiEmbeddingResponse = z.looseObject({
  data: z.array(z.looseObject({ index: z.number().int().nonnegative(), embedding: z.array(z.number()) })),
  usage: z.looseObject({ prompt_tokens: z.number().nullish() }).nullish(),
});

export const ZOpenAiImagesResponse = z.looseObject({
  data: z
    .array(
      z.looseObject({
        b64_json: z.string().nullish(),
        url: z.string().nullish(),
        revised_prompt: z.string().nullish(),
      }),
    )
    .nullish(),
  /** gpt-image models: png (default), jpeg or webp. */
  output_format: z.string().nullish(),
  usage: z
    .looseObject({
      input_tokens: z.number(),
      output_tokens: z.number(),
      input_tokens_details: z.looseObject({ cached_tokens: z.number().nullish() }).nullish(),
    })
    .nullish(),
});

export const ZOpenAiTranscription = z.looseObject({
  text: z.string(),
  /** verbose_json only (whisper-1): the language's English name and the audio's length. */
  language: z.string().nullish(),
  duration: z.number().nullish(),
  /** `{type:'tokens', input_tokens, output_tokens}` (gpt-4o-transcribe) or `{type:'duration', seconds}`. */
  usage: z
    .looseObject({
      type: z.string().nullish(),
      input_tokens: z.number().nullish(),
      output_tokens: z.number().nullish(),
      seconds: z.number().nullish(),
    })
    .nullish(),
});

/** OpenAI's `{error:{...}}` (Ollama: `{error:"..."}`); Mistral and vLLM send the bare object. */
export const ZOpenAiErrorBody = z.looseObject({ error: z.union([ZOpenAiErrorObject, z.string()]) });
