/**
 * Zod schemas of Anthropic's Messages API (https://docs.anthropic.com/en/api/messages): the request
 * we send (strict, as Anthropic rejects unknown fields; the fake validates with it) and every
 * response body and stream event we read (loose, so fields Anthropic adds do not break parsing).
 */
import { z } from 'zod';

// ---------------------------------------------------------------------------------------------
// Request

const ZTextParam = z.strictObject({ type: z.literal('text'), text: z.string().min(1) });

const ZImageParam = z.strictObject({
  type: z.literal('image'),
  source: z.discriminatedUnion('type', [
    z.strictObject({
      type: z.literal('base64'),
      media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
      data: z.string().min(1),
    }),
    z.strictObject({ type: z.literal('url'), url: z.string().min(1) }),
  ]),
});

const ZToolUseParam = z.strictObject({
  type: z.literal('tool_use'),
  id: z.string().min(1),
  name: z.string().min(1),
  input: z.record(z.string(), z.unknown()),
});

const ZToolResultParam = z.strictObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  content: z.string(),
  is_error: z.boolean().optional(),
});

const ZThinkingParam = z.strictObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().min(1),
});

const ZRedactedThinkingParam = z.strictObject({ type: z.literal('redacted_thinking'), data: z.string() });

export const ZAnthropicContentParam = z.discriminatedUnion('type', [
  ZTextParam,
  ZImageParam,
  ZToolUseParam,
  ZToolResultParam,
  ZThinkingParam,
  ZRedactedThinkingParam,
]);
export type TAnthropicContentParam = z.infer<typeof ZAnthropicContentParam>;

export const ZAnthropicMessageParam = z.strictObject({
  role: z.enum(['user', 'assistant']),
  content: z.union([z.string(), z.array(ZAnthropicContentParam).min(1)]),
});
export type TAnthropicMessageParam = z.infer<typeof ZAnthropicMessageParam>;

const ZToolParam = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }),
});

const ZToolChoice = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.strictObject({
    type: z.literal('tool'),
    name: z.string().min(1),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.strictObject({ type: z.literal('none') }),
]);
export type TAnthropicToolChoice = z.infer<typeof ZToolChoice>;

export const ZAnthropicRequest = z.strictObject({
  model: z.string().min(1),
  max_tokens: z.number().int().positive(),
  messages: z.array(ZAnthropicMessageParam).min(1),
  system: z.union([z.string(), z.array(ZTextParam)]).optional(),
  tools: z.array(ZToolParam).optional(),
  tool_choice: ZToolChoice.optional(),
  stop_sequences: z.array(z.string()).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  top_k: z.number().int().optional(),
  metadata: z.strictObject({ user_id: z.string().optional() }).optional(),
  thinking: z
    .strictObject({ type: z.literal('enabled'), budget_tokens: z.number().int().min(1024) })
    .optional(),
  stream: z.boolean().optional(),
});
export type TAnthropicRequest = z.infer<typeof ZAnthropicRequest>;

// ---------------------------------------------------------------------------------------------
// Responses

/**
 * Anthropic adds block, delta and event types over time (server tools, citations, `fallback`);
 * its docs ask clients to ignore the ones they do not know. A known type with a bad shape still
 * fails, because the catch-all refuses the known names.
 */
function orUnknown<T extends z.ZodType>(known: T, knownTypes: readonly string[]) {
  const unknown = z
    .looseObject({ type: z.string() })
    .refine((value) => !knownTypes.includes(value.type))
    .transform((value) => ({ type: 'unknown' as const, unknownType: value.type }));
  return z.union([known, unknown]);
}

const count = z.number().int().nonnegative().nullish();

/** Usage as Anthropic reports it; in a stream, `message_delta` repeats it cumulatively. */
export const ZAnthropicUsage = z.looseObject({
  input_tokens: count,
  output_tokens: count,
  cache_creation_input_tokens: count,
  cache_read_input_tokens: count,
  output_tokens_details: z.looseObject({ thinking_tokens: count }).nullish(),
});
export type TAnthropicUsage = z.infer<typeof ZAnthropicUsage>;

const ZTextBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const ZToolUseBlock = z.looseObject({
  type: z.literal('tool_use'),
  id: z.string(),
  name: z.string(),
  input: z.record(z.string(), z.unknown()),
});
const ZThinkingBlock = z.looseObject({
  type: z.literal('thinking'),
  thinking: z.string(),
  signature: z.string().nullish(),
});
const ZRedactedThinkingBlock = z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() });

const BLOCK_TYPES = ['text', 'tool_use', 'thinking', 'redacted_thinking'] as const;

export const ZAnthropicContentBlock = orUnknown(
  z.discriminatedUnion('type', [ZTextBlock, ZToolUseBlock, ZThinkingBlock, ZRedactedThinkingBlock]),
  BLOCK_TYPES,
);
export type TAnthropicContentBlock = z.infer<typeof ZAnthropicContentBlock>;

export const ZAnthropicMessage = z.looseObject({
  id: z.string().optional(),
  content: z.array(ZAnthropicContentBlock),
  stop_reason: z.string().nullish(),
  usage: ZAnthropicUsage.nullish(),
});
export type TAnthropicMessage = z.infer<typeof ZAnthropicMessage>;

// ---------------------------------------------------------------------------------------------
// Stream events (https://docs.anthropic.com/en/docs/build-with-claude/streaming)

/** A tool_use block starts with an empty `input`; its JSON arrives in `input_json_delta`s. */
const ZStartedBlock = orUnknown(
  z.discriminatedUnion('type', [
    ZTextBlock,
    z.looseObject({ type: z.literal('tool_use'), id: z.string(), name: z.string() }),
    ZThinkingBlock,
    ZRedactedThinkingBlock,
  ]),
  BLOCK_TYPES,
);

const ZBlockDelta = orUnknown(
  z.discriminatedUnion('type', [
    z.looseObject({ type: z.literal('text_delta'), text: z.string() }),
    z.looseObject({ type: z.literal('input_json_delta'), partial_json: z.string() }),
    z.looseObject({ type: z.literal('thinking_delta'), thinking: z.string() }),
    z.looseObject({ type: z.literal('signature_delta'), signature: z.string() }),
  ]),
  ['text_delta', 'input_json_delta', 'thinking_delta', 'signature_delta'],
);

export const ZAnthropicErrorDetail = z.looseObject({ type: z.string(), message: z.string().optional() });

const STREAM_EVENT_TYPES = [
  'message_start',
  'content_block_start',
  'content_block_delta',
  'content_block_stop',
  'message_delta',
  'message_stop',
  'ping',
  'error',
] as const;

export const ZAnthropicStreamEvent = orUnknown(
  z.discriminatedUnion('type', [
    z.looseObject({
      type: z.literal('message_start'),
      message: z.looseObject({ id: z.string().optional(), usage: ZAnthropicUsage.nullish() }),
    }),
    z.looseObject({
      type: z.literal('content_block_start'),
      index: z.number().int(),
      content_block: ZStartedBlock,
    }),
    z.looseObject({ type: z.literal('content_block_delta'), index: z.number().int(), delta: ZBlockDelta }),
    z.looseObject({ type: z.literal('content_block_stop'), index: z.number().int() }),
    z.looseObject({
      type: z.literal('message_delta'),
      delta: z.looseObject({ stop_reason: z.string().nullish() }),
      usage: ZAnthropicUsage.nullish(),
    }),
    z.looseObject({ type: z.literal('message_stop') }),
    z.looseObject({ type: z.literal('ping') }),
    z.looseObject({ type: z.literal('error'), error: ZAnthropicErrorDetail }),
  ]),
  STREAM_EVENT_TYPES,
);
export type TAnthropicStreamEvent = z.infer<typeof ZAnthropicStreamEvent>;

// ---------------------------------------------------------------------------------------------
// Errors (https://docs.anthropic.com/en/api/errors)

/** `{"type":"error","error":{"type":"rate_limit_error","message":"..."},"request_id":"req_..."}` */
export const ZAnthropicErrorBody = z.looseObject({ error: ZAnthropicErrorDetail });
