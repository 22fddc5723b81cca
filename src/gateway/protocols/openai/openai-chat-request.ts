/**
 * POST /v1/chat/completions as OpenAI documents it
 * (https://platform.openai.com/docs/api-reference/chat/create), with OpenRouter's additions
 * (`models`, `provider`, `reasoning`, `usage.include`, assistant `reasoning_details`), parsed into
 * the internal spec. Unknown top-level fields are ignored because the SDKs send ones we have no use
 * for; a known field with a wrong type or value is a 400 naming it. Optional fields take null as
 * "not given", as OpenAI does. Features we cannot honour yet (audio and file inputs, n > 1, the
 * legacy function calling) are refused rather than dropped, so no model answers without them.
 */
import { z } from 'zod';
import type { ChatMessage, ContentPart, ToolChoice, ToolDefinition } from '../../../providers/spec.js';
import { type RoutingRequest, ZRoutingFields } from '../../routing/routing-request.js';
import type { ParsedChatRequest } from '../protocol-types.js';
import { invalidParam, invalidRequest } from './openai-error-body.js';

// Providers download or inline images; plain http and other schemes are refused here.
const IMAGE_URL = /^(?:https:\/\/\S+|data:[\w.+-]+\/[\w.+-]+;base64,)/i;
// OpenAI's rule for function and schema names.
const NAME = /^[a-zA-Z0-9_-]{1,64}$/;
const NAME_RULE = 'must be 1 to 64 letters, digits, underscores or dashes';

/** A variant we recognise but cannot serve yet: refused by name with the reason. */
function refused<Key extends string, Value extends string>(key: Key, value: Value, reason: string) {
  return z
    .object({ [key]: z.literal(value) } as Record<Key, z.ZodLiteral<Value>>)
    .refine(() => false, { message: reason, path: [key] });
}

const ZTextPart = z.object({ type: z.literal('text'), text: z.string() });
const ZTextContent = z.union([z.string(), z.array(ZTextPart)]);

const ZUserPart = z.discriminatedUnion(
  'type',
  [
    ZTextPart,
    z.object({
      type: z.literal('image_url'),
      image_url: z.object({
        url: z.string().regex(IMAGE_URL, 'must be an https URL or a data:<media type>;base64 URL'),
        detail: z.enum(['auto', 'low', 'high']).nullish(),
      }),
    }),
    refused('type', 'input_audio', 'audio input parts are not supported yet'),
    refused('type', 'file', 'file parts are not supported yet; send text or images'),
  ],
  { error: () => "must be one of 'text', 'image_url'" },
);

const ZAssistantPart = z.discriminatedUnion('type', [
  ZTextPart,
  z.object({ type: z.literal('refusal'), refusal: z.string() }),
]);

const ZToolCall = z.object({
  id: z.string().min(1),
  type: z.literal('function', { error: "only 'function' tool calls are supported" }),
  function: z.object({ name: z.string().min(1), arguments: z.string() }),
});

/** OpenRouter's reasoning blocks sent back by the client; only text blocks carry over providers. */
const ZReasoningDetail = z.looseObject({
  type: z.string(),
  text: z.string().nullish(),
  signature: z.string().nullish(),
});

const ZMessage = z.discriminatedUnion(
  'role',
  [
    z.object({ role: z.literal('system'), content: ZTextContent }),
    z.object({ role: z.literal('developer'), content: ZTextContent }),
    z.object({ role: z.literal('user'), content: z.union([z.string(), z.array(ZUserPart)]) }),
    z
      .object({
        role: z.literal('assistant'),
        content: z.union([z.string(), z.array(ZAssistantPart)]).nullish(),
        refusal: z.string().nullish(),
        tool_calls: z.array(ZToolCall).nullish(),
        reasoning: z.string().nullish(),
        reasoning_details: z.array(ZReasoningDetail).nullish(),
      })
      .refine(
        (message) => message.content != null || message.refusal || (message.tool_calls?.length ?? 0) > 0,
        {
          message: 'is required unless tool_calls or refusal is given',
          path: ['content'],
        },
      ),
    z.object({ role: z.literal('tool'), tool_call_id: z.string().min(1), content: ZTextContent }),
    refused('role', 'function', "the legacy 'function' role is not supported; use 'tool' messages"),
  ],
  { error: () => "must be one of 'system', 'developer', 'user', 'assistant', 'tool'" },
);

const ZTool = z.object({
  type: z.literal('function', { error: "only 'function' tools are supported" }),
  function: z.object({
    name: z.string().regex(NAME, NAME_RULE),
    description: z.string().nullish(),
    parameters: z.record(z.string(), z.unknown()).nullish(),
    strict: z.boolean().nullish(),
  }),
});

const ZToolChoice = z.union([
  z.enum(['none', 'auto', 'required']),
  z.object({
    type: z.literal('function', { error: "only 'function' tool choices are supported" }),
    function: z.object({ name: z.string().min(1) }),
  }),
]);

const ZResponseFormat = z.discriminatedUnion(
  'type',
  [
    z.object({ type: z.literal('text') }),
    z.object({ type: z.literal('json_object') }),
    z.object({
      type: z.literal('json_schema'),
      json_schema: z.object({
        name: z.string().regex(NAME, NAME_RULE),
        description: z.string().nullish(),
        schema: z.record(z.string(), z.unknown()),
        strict: z.boolean().nullish(),
      }),
    }),
  ],
  { error: () => "must be one of 'text', 'json_object', 'json_schema'" },
);

const ZEffort = z.enum(['minimal', 'low', 'medium', 'high'], {
  error: "must be one of 'minimal', 'low', 'medium', 'high'",
});
const ZTokenCount = z.int({ error: 'must be a positive integer' }).positive('must be a positive integer');
// An opaque id for the provider's abuse monitoring; an e-mail address would leak to every provider.
export const ZEndUserId = z
  .string()
  .max(256)
  .refine((id) => !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(id), 'must be an opaque id, not an e-mail address');
// Accepted only as null or absent: fields we know and refuse rather than silently ignore.
const ZAbsent = (reason: string) => z.null({ error: reason }).optional();

export const ZOpenAiChatRequest = z.object({
  ...ZRoutingFields.shape,
  model: z.string().min(1).nullish(),
  messages: z.array(ZMessage).min(1, 'must contain at least one message'),
  tools: z.array(ZTool).max(128).nullish(),
  tool_choice: ZToolChoice.nullish(),
  parallel_tool_calls: z.boolean().nullish(),
  response_format: ZResponseFormat.nullish(),
  temperature: z.number().min(0).max(2).nullish(),
  top_p: z.number().min(0).max(1).nullish(),
  max_tokens: ZTokenCount.nullish(),
  max_completion_tokens: ZTokenCount.nullish(),
  stop: z.union([z.string().min(1), z.array(z.string().min(1)).max(4)]).nullish(),
  seed: z.int({ error: 'must be an integer' }).nullish(),
  user: ZEndUserId.nullish(),
  safety_identifier: ZEndUserId.nullish(),
  n: z.literal(1, { error: 'only 1 choice per request is supported; send separate requests' }).nullish(),
  stream: z.boolean().nullish(),
  stream_options: z.object({ include_usage: z.boolean().nullish() }).nullish(),
  usage: z.object({ include: z.boolean().nullish() }).nullish(),
  reasoning_effort: ZEffort.nullish(),
  reasoning: z
    .object({
      effort: ZEffort.nullish(),
      max_tokens: ZTokenCount.nullish(),
      enabled: z.boolean().nullish(),
      exclude: z
        .boolean()
        .refine((exclude) => !exclude, 'is not supported yet: reasoning is always returned')
        .nullish(),
    })
    .nullish(),
  modalities: z
    .array(z.string())
    .refine((list) => list.every((modality) => modality === 'text'), "only 'text' output is supported")
    .nullish(),
  functions: ZAbsent("the legacy 'functions' parameter is not supported; use 'tools'"),
  function_call: ZAbsent("the legacy 'function_call' parameter is not supported; use 'tool_choice'"),
});
export type TOpenAiChatRequest = z.infer<typeof ZOpenAiChatRequest>;

type TMessage = z.infer<typeof ZMessage>;

export function parseOpenAiChatRequest(body: unknown): ParsedChatRequest {
  const parsed = ZOpenAiChatRequest.safeParse(body);
  if (!parsed.success) throw invalidRequest(parsed.error);
  const request = parsed.data;
  const routing: RoutingRequest = {
    models: routingModels(request.model, request.models),
    ...(request.provider ? { provider: request.provider } : {}),
  };
  const tools = request.tools?.length ? request.tools.map(toToolDefinition) : undefined;
  const toolChoice = toToolChoice(request.tool_choice, tools);
  const stop = typeof request.stop === 'string' ? [request.stop] : request.stop;
  const reasoning = toReasoning(request);
  const user = request.safety_identifier ?? request.user;
  const chat: ParsedChatRequest['chat'] = {
    messages: toMessages(request.messages),
    ...defined('maxOutputTokens', request.max_completion_tokens ?? request.max_tokens),
    ...defined('temperature', request.temperature),
    ...defined('topP', request.top_p),
    ...(stop?.length ? { stop } : {}),
    ...defined('seed', request.seed),
    ...(tools ? { tools } : {}),
    ...(toolChoice ? { toolChoice } : {}),
    // OpenAI refuses parallel_tool_calls without tools; dropping it keeps adapters simple.
    ...(tools ? defined('parallelToolCalls', request.parallel_tool_calls) : {}),
    ...(request.response_format ? { responseFormat: toResponseFormat(request.response_format) } : {}),
    ...(reasoning ? { reasoning } : {}),
    ...defined('user', user),
  };
  const stream = request.stream === true;
  return {
    routing,
    stream,
    includeUsage:
      stream && (request.stream_options?.include_usage === true || request.usage?.include === true),
    chat,
  };
}

/** `{ [key]: value }`, or nothing when the client sent null or left it out. */
export function defined<Key extends string, Value>(key: Key, value: Value | null | undefined) {
  return (value === null || value === undefined ? {} : { [key]: value }) as Partial<Record<Key, Value>>;
}

/**
 * System and developer messages move to the front in their order: the spec keeps them first and
 * providers with a system parameter (Anthropic, Google) have nowhere else to put them.
 */
function toMessages(messages: TMessage[]): ChatMessage[] {
  const system: ChatMessage[] = [];
  const rest: ChatMessage[] = [];
  for (const message of messages) {
    if (message.role === 'system' || message.role === 'developer') {
      system.push({ role: 'system', content: joinText(message.content) });
    } else if (message.role === 'user') {
      rest.push({ role: 'user', content: toUserParts(message.content) });
    } else if (message.role === 'tool') {
      rest.push({ role: 'tool', toolCallId: message.tool_call_id, content: joinText(message.content) });
    } else if (message.role === 'assistant') {
      rest.push(toAssistant(message));
    }
  }
  return [...system, ...rest];
}

function joinText(content: string | { text: string }[]): string {
  return typeof content === 'string' ? content : content.map((part) => part.text).join('\n');
}

function toUserParts(content: Extract<TMessage, { role: 'user' }>['content']): ContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  return content.flatMap((part): ContentPart[] => {
    if (part.type === 'text') return [{ type: 'text', text: part.text }];
    if (part.type !== 'image_url') return []; // refused by the schema
    const { url, detail } = part.image_url;
    return [{ type: 'image', url, ...(detail ? { detail } : {}) }];
  });
}

function toAssistant(message: Extract<TMessage, { role: 'assistant' }>): ChatMessage {
  const parts = typeof message.content === 'string' ? [message.content] : (message.content ?? []);
  const text = parts
    .map((part) => (typeof part === 'string' ? part : part.type === 'text' ? part.text : ''))
    .join('');
  const refusal =
    message.refusal ??
    parts.map((part) => (typeof part !== 'string' && part.type === 'refusal' ? part.refusal : '')).join('');
  const toolCalls = (message.tool_calls ?? []).map((call) => ({
    id: call.id,
    name: call.function.name,
    arguments: call.function.arguments,
  }));
  const reasoning = toAssistantReasoning(message);
  return {
    role: 'assistant',
    // The spec has no refusal: a refused turn is replayed as its refusal text so the model sees it.
    content: text === '' ? refusal : text,
    ...(toolCalls.length > 0 ? { toolCalls } : {}),
    ...(reasoning.length > 0 ? { reasoning } : {}),
  };
}

function toAssistantReasoning(message: Extract<TMessage, { role: 'assistant' }>) {
  const blocks = (message.reasoning_details ?? []).flatMap((detail) =>
    detail.type === 'reasoning.text' && (detail.text || detail.signature)
      ? [{ text: detail.text ?? '', ...(detail.signature ? { signature: detail.signature } : {}) }]
      : [],
  );
  if (blocks.length > 0) return blocks;
  return message.reasoning ? [{ text: message.reasoning }] : [];
}

function toToolDefinition(tool: z.infer<typeof ZTool>): ToolDefinition {
  const { name, description, parameters, strict } = tool.function;
  return {
    name,
    ...defined('description', description),
    // OpenAI: omitting parameters defines a function that takes none.
    parameters: parameters ?? { type: 'object', properties: {} },
    ...defined('strict', strict),
  };
}

function toToolChoice(
  choice: z.infer<typeof ZToolChoice> | null | undefined,
  tools: ToolDefinition[] | undefined,
): ToolChoice | undefined {
  if (!choice) return undefined;
  if (typeof choice === 'string') {
    if (choice === 'required' && !tools) {
      throw invalidParam('tool_choice', "'required' needs at least one tool in 'tools'");
    }
    // Without tools 'auto' and 'none' mean nothing, and OpenAI refuses tool_choice without tools.
    return tools ? choice : undefined;
  }
  const { name } = choice.function;
  if (!tools?.some((tool) => tool.name === name)) {
    throw invalidParam('tool_choice', `names the function '${name}', which is not in 'tools'`);
  }
  return { name };
}

function toResponseFormat(
  format: z.infer<typeof ZResponseFormat>,
): NonNullable<ParsedChatRequest['chat']['responseFormat']> {
  if (format.type !== 'json_schema') return { type: format.type };
  const { name, description, schema, strict } = format.json_schema;
  return {
    type: 'json_schema',
    name,
    schema,
    ...defined('strict', strict),
    ...defined('description', description),
  };
}

/** OpenRouter's `reasoning` object wins over `reasoning_effort`, as on OpenRouter. */
function toReasoning(request: TOpenAiChatRequest): ParsedChatRequest['chat']['reasoning'] {
  const { reasoning } = request;
  if (reasoning) {
    if (reasoning.enabled === false) return undefined;
    if (reasoning.effort || reasoning.max_tokens) {
      return { ...defined('effort', reasoning.effort), ...defined('budgetTokens', reasoning.max_tokens) };
    }
    // OpenRouter: `enabled: true` alone means the medium effort.
    return reasoning.enabled ? { effort: 'medium' } : undefined;
  }
  return request.reasoning_effort ? { effort: request.reasoning_effort } : undefined;
}

/** The requested model first, then the `models` fallbacks, without duplicates. */
export function routingModels(model: string | null | undefined, fallbacks: string[] | undefined): string[] {
  const models = [...new Set([...(model ? [model] : []), ...(fallbacks ?? [])])];
  if (models.length === 0) throw invalidParam('model', 'is required');
  return models;
}
