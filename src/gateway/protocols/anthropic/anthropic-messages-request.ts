/**
 * An Anthropic Messages request (POST /v1/messages, https://docs.anthropic.com/en/api/messages) in
 * the internal spec's terms. What the spec cannot carry (documents, server tools, Files API
 * sources) is refused with a 400 naming the field, never dropped: a client must not believe a
 * feature ran that did not.
 */
import { z } from 'zod';
import { MixgateError } from '../../../lib/errors.js';
import type {
  ChatMessage,
  ContentPart,
  ReasoningEffort,
  ReasoningItem,
  ToolCall,
  ToolChoice,
  ToolDefinition,
} from '../../../providers/spec.js';
import { ZRoutingFields } from '../../routing/routing-request.js';
import type { ParsedChatRequest } from '../protocol-types.js';

/** Clear words for the block types Anthropic has and we do not relay yet. */
function unsupportedBlockMessage(input: unknown): string {
  const type = typeof input === 'object' && input !== null && 'type' in input ? input.type : undefined;
  if (typeof type !== 'string') return 'must be a content block object with a type';
  if (type === 'document') return 'document blocks are not supported yet';
  if (type === 'search_result') return 'search_result blocks are not supported yet';
  if (type === 'server_tool_use' || type === 'container_upload' || type.endsWith('_tool_result')) {
    return `${type.slice(0, 60)} blocks belong to server tools, which are not supported`;
  }
  return `unknown content block type "${type.slice(0, 60)}"`;
}

/** A string is shorthand for one text block (in system, content and tool_result content alike). */
function textShorthand(value: unknown): unknown {
  return typeof value === 'string' ? [{ type: 'text', text: value }] : value;
}

const ZTextBlock = z.looseObject({ type: z.literal('text'), text: z.string() });

const ZTextBlocks = z.preprocess(
  textShorthand,
  z.array(z.discriminatedUnion('type', [ZTextBlock], { error: (issue) => onlyText(issue.input) }), {
    error: 'must be a string or an array of text blocks',
  }),
);

function onlyText(input: unknown): string {
  const message = unsupportedBlockMessage(input);
  return message.startsWith('unknown') ? 'only text blocks are allowed here' : message;
}

const ZImageSource = z.discriminatedUnion(
  'type',
  [
    z.looseObject({
      type: z.literal('base64'),
      media_type: z.enum(['image/jpeg', 'image/png', 'image/gif', 'image/webp']),
      data: z.string().min(1),
    }),
    z.looseObject({
      type: z.literal('url'),
      url: z.url({ protocol: /^https$/, error: 'must be an https URL' }),
    }),
  ],
  { error: 'must be a base64 or url image source (Files API sources are not supported yet)' },
);

const ZToolResultBlock = z.looseObject({
  type: z.literal('tool_result'),
  tool_use_id: z.string().min(1),
  // Images in tool results have no place in the internal tool message (text only) yet.
  content: z
    .preprocess(
      textShorthand,
      z.array(
        z.discriminatedUnion('type', [ZTextBlock], {
          error: (issue) => `${onlyText(issue.input)} in a tool_result for now`,
        }),
        { error: 'must be a string or an array of text blocks' },
      ),
    )
    .optional(),
  is_error: z.boolean().optional(),
});

const ZContentBlock = z.discriminatedUnion(
  'type',
  [
    ZTextBlock,
    z.looseObject({ type: z.literal('image'), source: ZImageSource }),
    z.looseObject({
      type: z.literal('tool_use'),
      id: z.string().min(1),
      name: z.string().min(1),
      input: z.record(z.string(), z.unknown()),
    }),
    ZToolResultBlock,
    // The signature is Anthropic's proof the thinking is untouched; other providers' reasoning
    // replayed through our own responses carries none (we send '' then).
    z.looseObject({ type: z.literal('thinking'), thinking: z.string(), signature: z.string().optional() }),
    z.looseObject({ type: z.literal('redacted_thinking'), data: z.string() }),
  ],
  { error: (issue) => unsupportedBlockMessage(issue.input) },
);
type TContentBlock = z.infer<typeof ZContentBlock>;

const ZTool = z.looseObject({
  // Server tools (web_search_20250305, bash_20250124...) run at Anthropic; no other provider has them.
  type: z
    .enum(['custom'], {
      error: (issue) => `server tools like "${String(issue.input).slice(0, 60)}" are not supported`,
    })
    .nullish(),
  name: z.string().regex(/^[a-zA-Z0-9_-]{1,128}$/, 'must be 1 to 128 letters, digits, _ or -'),
  description: z.string().optional(),
  input_schema: z.looseObject({ type: z.literal('object') }),
  strict: z.boolean().optional(),
});

const ZToolChoice = z.discriminatedUnion('type', [
  z.looseObject({ type: z.literal('auto'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({ type: z.literal('any'), disable_parallel_tool_use: z.boolean().optional() }),
  z.looseObject({
    type: z.literal('tool'),
    name: z.string().min(1),
    disable_parallel_tool_use: z.boolean().optional(),
  }),
  z.looseObject({ type: z.literal('none') }),
]);

export const ZAnthropicMessagesRequest = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.int().min(1),
  system: ZTextBlocks.optional(),
  messages: z
    .array(
      z.looseObject({
        role: z.enum(['user', 'assistant', 'system']),
        content: z.preprocess(
          textShorthand,
          z.array(ZContentBlock, { error: 'must be a string or an array of content blocks' }),
        ),
      }),
    )
    .min(1),
  tools: z.array(ZTool).optional(),
  tool_choice: ZToolChoice.optional(),
  stop_sequences: z.array(z.string().min(1)).optional(),
  temperature: z.number().min(0).max(1).optional(),
  top_p: z.number().min(0).max(1).optional(),
  // Accepted and ignored: the internal spec has no top-k, as most providers behind it have none.
  top_k: z.int().min(0).optional(),
  metadata: z.looseObject({ user_id: z.string().max(256).nullish() }).optional(),
  thinking: z
    .discriminatedUnion('type', [
      z.looseObject({ type: z.literal('enabled'), budget_tokens: z.int().min(1024) }),
      z.looseObject({ type: z.literal('disabled') }),
      // The model decides how much to think; there is no budget to pass on.
      z.looseObject({ type: z.literal('adaptive') }),
    ])
    .optional(),
  output_config: z
    .looseObject({
      effort: z.enum(['low', 'medium', 'high', 'xhigh', 'max']).nullish(),
      format: z
        .looseObject({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) })
        .nullish(),
    })
    .optional(),
  // A region restriction we would not apply is refused, as the routing fields refuse theirs.
  inference_geo: z.null({ error: 'is not supported; restrict regions with provider.region' }).optional(),
  stream: z.boolean().optional(),
  ...ZRoutingFields.shape,
});
export type TAnthropicMessagesRequest = z.infer<typeof ZAnthropicMessagesRequest>;

function invalid(param: string, message: string): MixgateError {
  return new MixgateError('invalid_request', `${param}: ${message}`, 400, { param });
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = Reflect.get(value, key);
  }
  return value;
}

/**
 * Parses an Anthropic Messages body. Throws MixgateError('invalid_request', 400, { param }) naming
 * the first offending field (`messages.2.content.0.source.media_type`).
 */
export function parseAnthropicMessagesRequest(body: unknown): ParsedChatRequest {
  const parsed = ZAnthropicMessagesRequest.safeParse(body);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const param = issue.path.map(String).join('.') || 'body';
    if (issue.code === 'invalid_type' && issue.path.length > 0 && valueAt(body, issue.path) === undefined) {
      throw new MixgateError('invalid_request', `${param} is required`, 400, { param });
    }
    throw invalid(param, issue.message);
  }
  const request = parsed.data;

  const messages: ChatMessage[] = textsOf(request.system ?? []).map((content) => ({
    role: 'system',
    content,
  }));
  let conversationStarted = false;
  request.messages.forEach((message, index) => {
    if (message.role === 'system') {
      // The internal spec holds system messages before the conversation only.
      if (conversationStarted) {
        throw invalid(
          `messages.${index}.role`,
          'a system message after the conversation began is not supported',
        );
      }
      messages.push(...systemTurn(message.content, index));
      return;
    }
    conversationStarted = true;
    messages.push(...(message.role === 'user' ? userTurn : assistantTurn)(message.content, index));
  });

  const chat: ParsedChatRequest['chat'] = { messages, maxOutputTokens: request.max_tokens };
  if (request.temperature !== undefined) chat.temperature = request.temperature;
  if (request.top_p !== undefined) chat.topP = request.top_p;
  if (request.stop_sequences !== undefined) chat.stop = request.stop_sequences;
  if (request.tools !== undefined) chat.tools = request.tools.map(toToolDefinition);
  Object.assign(chat, toToolChoice(request));
  const reasoning = toReasoning(request);
  if (reasoning) chat.reasoning = reasoning;
  const format = request.output_config?.format;
  if (format) {
    // Anthropic's structured outputs always hold to the schema, hence strict.
    chat.responseFormat = { type: 'json_schema', name: 'response', schema: format.schema, strict: true };
  }
  if (request.metadata?.user_id) chat.user = request.metadata.user_id;

  return {
    routing: {
      models: [...new Set([request.model, ...(request.models ?? [])])],
      ...(request.provider ? { provider: request.provider } : {}),
    },
    stream: request.stream === true,
    includeUsage: true,
    chat,
  };
}

function textsOf(blocks: { text: string }[]): string[] {
  return blocks.map((block) => block.text).filter((text) => text !== '');
}

function systemTurn(blocks: TContentBlock[], index: number): ChatMessage[] {
  return blocks.map((block, blockIndex) => {
    if (block.type !== 'text') {
      throw invalid(
        `messages.${index}.content.${blockIndex}`,
        'only text blocks are allowed in a system message',
      );
    }
    return { role: 'system', content: block.text };
  });
}

/** Tool results become `tool` messages placed first, then the rest of the turn as one user message. */
function userTurn(blocks: TContentBlock[], index: number): ChatMessage[] {
  const toolMessages: ChatMessage[] = [];
  const parts: ContentPart[] = [];
  blocks.forEach((block, blockIndex) => {
    switch (block.type) {
      case 'text':
        parts.push({ type: 'text', text: block.text });
        break;
      case 'image':
        parts.push({
          type: 'image',
          url:
            block.source.type === 'base64'
              ? `data:${block.source.media_type};base64,${block.source.data}`
              : block.source.url,
        });
        break;
      case 'tool_result':
        toolMessages.push({
          role: 'tool',
          toolCallId: block.tool_use_id,
          content: (block.content ?? []).map((part) => part.text).join('\n'),
          ...(block.is_error ? { isError: true } : {}),
        });
        break;
      default:
        throw invalid(
          `messages.${index}.content.${blockIndex}`,
          `${block.type} blocks belong in assistant turns`,
        );
    }
  });
  if (parts.length === 0 && toolMessages.length === 0) {
    throw invalid(`messages.${index}.content`, 'a user turn needs at least one content block');
  }
  return parts.length > 0 ? [...toolMessages, { role: 'user', content: parts }] : toolMessages;
}

type AssistantMessage = Extract<ChatMessage, { role: 'assistant' }>;

function assistantTurn(blocks: TContentBlock[], index: number): ChatMessage[] {
  let text = '';
  const toolCalls: ToolCall[] = [];
  const reasoning: ReasoningItem[] = [];
  blocks.forEach((block, blockIndex) => {
    switch (block.type) {
      case 'text':
        text += block.text;
        break;
      case 'tool_use':
        toolCalls.push({ id: block.id, name: block.name, arguments: JSON.stringify(block.input) });
        break;
      case 'thinking':
        reasoning.push(
          block.signature ? { text: block.thinking, signature: block.signature } : { text: block.thinking },
        );
        break;
      case 'redacted_thinking':
        // The spec's convention: the opaque data travels as the signature.
        reasoning.push({ text: '', signature: block.data, redacted: true });
        break;
      default:
        throw invalid(`messages.${index}.content.${blockIndex}`, `${block.type} blocks belong in user turns`);
    }
  });
  const message: AssistantMessage = { role: 'assistant', content: text };
  if (toolCalls.length > 0) message.toolCalls = toolCalls;
  if (reasoning.length > 0) message.reasoning = reasoning;
  return [message];
}

function toToolDefinition(tool: NonNullable<TAnthropicMessagesRequest['tools']>[number]): ToolDefinition {
  const definition: ToolDefinition = { name: tool.name, parameters: tool.input_schema };
  if (tool.description !== undefined) definition.description = tool.description;
  if (tool.strict !== undefined) definition.strict = tool.strict;
  return definition;
}

function toToolChoice(request: TAnthropicMessagesRequest): {
  toolChoice?: ToolChoice;
  parallelToolCalls?: boolean;
} {
  const choice = request.tool_choice;
  if (!choice) return {};
  const toolNames = new Set((request.tools ?? []).map((tool) => tool.name));
  if ((choice.type === 'any' || choice.type === 'tool') && toolNames.size === 0) {
    throw invalid('tool_choice', `type "${choice.type}" needs tools`);
  }
  if (choice.type === 'tool' && !toolNames.has(choice.name)) {
    throw invalid('tool_choice.name', 'names no tool given in tools');
  }
  const toolChoice: ToolChoice =
    choice.type === 'auto'
      ? 'auto'
      : choice.type === 'any'
        ? 'required'
        : choice.type === 'none'
          ? 'none'
          : { name: choice.name };
  if (choice.type === 'none' || choice.disable_parallel_tool_use === undefined) return { toolChoice };
  return { toolChoice, parallelToolCalls: !choice.disable_parallel_tool_use };
}

/** Anthropic's efforts above high have no internal counterpart; high is the nearest. */
const EFFORT: Record<'low' | 'medium' | 'high' | 'xhigh' | 'max', ReasoningEffort> = {
  low: 'low',
  medium: 'medium',
  high: 'high',
  xhigh: 'high',
  max: 'high',
};

function toReasoning(request: TAnthropicMessagesRequest): ParsedChatRequest['chat']['reasoning'] {
  const reasoning: NonNullable<ParsedChatRequest['chat']['reasoning']> = {};
  if (request.thinking?.type === 'enabled') {
    if (request.thinking.budget_tokens >= request.max_tokens) {
      throw invalid('thinking.budget_tokens', 'must be less than max_tokens');
    }
    reasoning.budgetTokens = request.thinking.budget_tokens;
  }
  const effort = request.output_config?.effort;
  if (effort) reasoning.effort = EFFORT[effort];
  return Object.keys(reasoning).length > 0 ? reasoning : undefined;
}
