/**
 * ChatRequest -> the body of OpenAI's /chat/completions, shaped by the server's ChatDialect.
 */
import type { ChatMessage, ChatRequest } from '../spec.js';
import { ProviderError } from '../spec.js';
import type { TOpenAiChatRequest, TOpenAiMessageParam } from './openai-api-types.js';
import type { ChatDialect } from './openai-chat.js';

type TChatMessageBody = TOpenAiMessageParam | (TOpenAiMessageParam & { reasoning_content: string });
export type TChatBody = Omit<TOpenAiChatRequest, 'messages'> & {
  messages: TChatMessageBody[];
  random_seed?: number;
  reasoning?: { effort?: string; max_tokens?: number };
};

export function buildChatBody(request: ChatRequest, dialect: ChatDialect, stream = false): TChatBody {
  const reasoningModel = dialect.isReasoningModel?.(request.model) ?? false;
  const body: TChatBody = {
    model: request.model,
    messages: request.messages.map((message) => messageParam(message, dialect, reasoningModel)),
    [dialect.maxTokensField]: request.maxOutputTokens,
  };
  // Reasoning models refuse sampling parameters (400 unsupported_parameter); they are dropped as
  // OpenRouter does, rather than failing a request another model would take.
  if (!reasoningModel) {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.topP !== undefined) body.top_p = request.topP;
  }
  if (request.stop?.length) body.stop = request.stop;
  if (request.seed !== undefined && dialect.seedField) body[dialect.seedField] = request.seed;
  // tool_choice and parallel_tool_calls are refused without tools.
  if (request.tools?.length) {
    body.tools = request.tools.map((tool) => ({
      type: 'function' as const,
      function: {
        name: tool.name,
        ...(tool.description !== undefined && { description: tool.description }),
        parameters: tool.parameters,
        ...(tool.strict !== undefined && { strict: tool.strict }),
      },
    }));
    if (request.toolChoice !== undefined) {
      body.tool_choice =
        typeof request.toolChoice === 'string'
          ? request.toolChoice
          : { type: 'function', function: { name: request.toolChoice.name } };
    }
    if (request.parallelToolCalls !== undefined) body.parallel_tool_calls = request.parallelToolCalls;
  }
  const format = request.responseFormat;
  if (format?.type === 'json_object') body.response_format = { type: 'json_object' };
  if (format?.type === 'json_schema') {
    body.response_format = {
      type: 'json_schema',
      json_schema: {
        name: format.name,
        ...(format.description !== undefined && { description: format.description }),
        schema: format.schema,
        ...(format.strict !== undefined && { strict: format.strict }),
      },
    };
  }
  addReasoning(body, request, dialect, reasoningModel);
  if (request.user !== undefined && dialect.userField) body[dialect.userField] = request.user.slice(0, 64);
  if (stream) {
    body.stream = true;
    if (dialect.streamUsage) body.stream_options = { include_usage: true };
  }
  return body;
}

function addReasoning(body: TChatBody, request: ChatRequest, dialect: ChatDialect, reasoningModel: boolean) {
  const { effort, budgetTokens } = request.reasoning ?? {};
  if (dialect.reasoningStyle === 'openrouter') {
    if (effort) body.reasoning = { effort };
    else if (budgetTokens) body.reasoning = { max_tokens: budgetTokens };
    return;
  }
  // A thinking budget (Anthropic's clients send one) becomes the nearest effort, since OpenAI's
  // reasoning models take no budget: the same thresholds Anthropic's adapter maps efforts to.
  const wanted = effort ?? (budgetTokens ? effortForBudget(budgetTokens) : undefined);
  // OpenAI's other models reject reasoning_effort; compatible servers have no such list.
  if (dialect.reasoningStyle !== 'reasoning_effort' || !wanted) return;
  if (dialect.isReasoningModel && !reasoningModel) return;
  body.reasoning_effort = dialect.effortNames?.[wanted] ?? wanted;
}

function effortForBudget(budgetTokens: number): 'low' | 'medium' | 'high' {
  if (budgetTokens <= 2_048) return 'low';
  if (budgetTokens <= 8_192) return 'medium';
  return 'high';
}

function messageParam(message: ChatMessage, dialect: ChatDialect, reasoningModel: boolean): TChatMessageBody {
  switch (message.role) {
    case 'system':
      return { role: reasoningModel ? 'developer' : 'system', content: message.content };
    case 'user': {
      const texts = message.content.flatMap((part) => (part.type === 'text' ? [part.text] : []));
      if (texts.length === message.content.length && (texts.length <= 1 || dialect.stringContentOnly)) {
        return { role: 'user', content: texts.join('\n') };
      }
      if (dialect.stringContentOnly) {
        throw new ProviderError('bad_request', `${dialect.provider} does not accept images`);
      }
      return {
        role: 'user',
        content: message.content.map((part) =>
          part.type === 'text'
            ? { type: 'text' as const, text: part.text }
            : {
                type: 'image_url' as const,
                image_url: { url: part.url, ...(part.detail !== undefined && { detail: part.detail }) },
              },
        ),
      };
    }
    case 'assistant': {
      const toolCalls = message.toolCalls ?? [];
      if (toolCalls.length === 0) return { role: 'assistant', content: message.content };
      const param = {
        role: 'assistant' as const,
        content: message.content,
        tool_calls: toolCalls.map((toolCall) => ({
          id: dialect.toolCallId?.(toolCall.id) ?? toolCall.id,
          type: 'function' as const,
          function: { name: toolCall.name, arguments: toolCall.arguments },
        })),
      };
      if (!dialect.replayReasoning) return param;
      return { ...param, reasoning_content: (message.reasoning ?? []).map((block) => block.text).join('') };
    }
    case 'tool':
      // OpenAI has no error flag on tool results; the content says what went wrong.
      return {
        role: 'tool',
        tool_call_id: dialect.toolCallId?.(message.toolCallId) ?? message.toolCallId,
        content: message.content,
      };
  }
}
