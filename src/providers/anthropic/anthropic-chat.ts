/**
 * ChatRequest -> Anthropic's Messages API request (https://docs.anthropic.com/en/api/messages).
 * The answer is read in anthropic-answer.ts, the stream in anthropic-stream.ts.
 */
import { z } from 'zod';
import type {
  ChatMessage,
  ChatRequest,
  ContentPart,
  ImagePart,
  ReasoningEffort,
  ReasoningItem,
  ToolCall,
} from '../spec.js';
import { ProviderError } from '../spec.js';
import type {
  TAnthropicContentParam,
  TAnthropicMessageParam,
  TAnthropicRequest,
  TAnthropicToolChoice,
} from './anthropic-api-types.js';
import { ANTHROPIC } from './anthropic-error.js';

/**
 * Structured output. The stable Messages API of version 2023-06-01 has no `response_format`
 * (`output_config.format` exists only on the newest models), so a JSON answer is asked for the way
 * that works on every Claude model: one more tool whose input schema is the wanted schema, forced
 * with `tool_choice`. Its input is the answer and comes back to the client as the text, never as a
 * tool call. Anthropic refuses a forced tool_choice when thinking is on; then the tool is only
 * offered (`auto`) and an answer the model gives as plain text passes through unchanged.
 */
export const JSON_ANSWER_TOOL = 'json_response';

/**
 * A `redacted_thinking` block must be replayed unchanged, but spec.ts's reasoning items hold only
 * text and a signature. Until the spec has it (proposed), a redacted block is a reasoning item with
 * `redacted: true` whose signature is the block's opaque `data`, the convention the gateway's
 * Anthropic protocol also uses.
 */
export type RedactableReasoning = ReasoningItem;

/** Anthropic's minimum `budget_tokens`. */
const MIN_THINKING_BUDGET = 1024;
const EFFORT_BUDGET: Record<ReasoningEffort, number> = {
  minimal: 1024,
  low: 1024,
  medium: 4096,
  high: 16384,
};

const IMAGE_MEDIA_TYPES = ['image/jpeg', 'image/png', 'image/gif', 'image/webp'] as const;

export interface AnthropicChatCall {
  body: TAnthropicRequest;
  /** The answer is the input of JSON_ANSWER_TOOL, turned back into text. */
  jsonAnswer: boolean;
}

export function toAnthropicRequest(request: ChatRequest): AnthropicChatCall {
  const budget = thinkingBudget(request);
  const { system, messages } = toAnthropicMessages(request.messages);
  const { tools, toolChoice, jsonAnswer } = toAnthropicTools(request, budget !== undefined);
  const body: TAnthropicRequest = { model: request.model, max_tokens: request.maxOutputTokens, messages };
  if (system) body.system = system;
  if (tools.length > 0) body.tools = tools;
  if (toolChoice) body.tool_choice = toolChoice;
  if (request.stop?.length) body.stop_sequences = request.stop;
  if (budget !== undefined) {
    body.thinking = { type: 'enabled', budget_tokens: budget };
    // With thinking Anthropic refuses any temperature and a top_p below 0.95, so those are dropped.
    if (request.topP !== undefined && request.topP >= 0.95) body.top_p = request.topP;
  } else {
    if (request.temperature !== undefined) body.temperature = request.temperature;
    if (request.topP !== undefined) body.top_p = request.topP;
  }
  if (request.user) body.metadata = { user_id: request.user };
  // `seed` has no Anthropic equivalent and is left out.
  return { body, jsonAnswer };
}

/**
 * The thinking budget, always below max_tokens: the gateway holds credit for maxOutputTokens, which
 * includes thinking, so the budget shrinks to fit rather than max_tokens growing. An effort leaves at
 * least half of max_tokens for the answer; a client's own budget may take all but one token. A budget
 * is raised to Anthropic's minimum of 1024; when even that does not fit, there is no thinking. A
 * budget of 0 asks for none.
 */
function thinkingBudget(request: ChatRequest): number | undefined {
  const { budgetTokens, effort } = request.reasoning ?? {};
  let wanted: number;
  let cap: number;
  if (budgetTokens !== undefined) {
    wanted = budgetTokens;
    cap = request.maxOutputTokens - 1;
  } else if (effort) {
    wanted = EFFORT_BUDGET[effort];
    cap = Math.floor(request.maxOutputTokens / 2);
  } else return undefined;
  if (wanted <= 0 || cap < MIN_THINKING_BUDGET) return undefined;
  return Math.min(Math.max(wanted, MIN_THINKING_BUDGET), cap);
}

function toAnthropicMessages(messages: ChatMessage[]): {
  system?: string;
  messages: TAnthropicMessageParam[];
} {
  const system: string[] = [];
  const turns: { role: 'user' | 'assistant'; content: TAnthropicContentParam[] }[] = [];
  // Anthropic wants user and assistant turns to alternate: consecutive turns of one role merge.
  const push = (role: 'user' | 'assistant', blocks: TAnthropicContentParam[]) => {
    if (blocks.length === 0) return;
    const last = turns.at(-1);
    if (last?.role === role) last.content.push(...blocks);
    else turns.push({ role, content: blocks });
  };
  for (const message of messages) {
    if (message.role === 'system') {
      if (message.content) system.push(message.content);
    } else if (message.role === 'user') {
      push('user', message.content.flatMap(userBlock));
    } else if (message.role === 'assistant') {
      push('assistant', assistantBlocks(message));
    } else {
      push('user', [
        {
          type: 'tool_result',
          tool_use_id: message.toolCallId,
          content: message.content,
          ...(message.isError !== undefined && { is_error: message.isError }),
        },
      ]);
    }
  }
  for (const turn of turns) {
    // Tool results must open their user turn (a stable sort keeps the rest in order).
    if (turn.role === 'user') turn.content.sort((a, b) => rank(a) - rank(b));
  }
  return { system: system.length > 0 ? system.join('\n\n') : undefined, messages: turns };
}

function rank(block: TAnthropicContentParam): number {
  return block.type === 'tool_result' ? 0 : 1;
}

function userBlock(part: ContentPart): TAnthropicContentParam[] {
  if (part.type === 'image') return [imageBlock(part)];
  // Anthropic refuses empty text blocks.
  return part.text ? [{ type: 'text', text: part.text }] : [];
}

function imageBlock(part: ImagePart): TAnthropicContentParam {
  if (part.url.startsWith('data:')) {
    const match = /^data:([^;,]+);base64,(.+)$/s.exec(part.url);
    if (!match) throw new ProviderError('bad_request', `${ANTHROPIC} takes data: images only base64-encoded`);
    const mediaType = IMAGE_MEDIA_TYPES.find((type) => type === match[1]!.toLowerCase());
    if (!mediaType)
      throw new ProviderError('bad_request', `${ANTHROPIC} accepts only JPEG, PNG, GIF and WebP images`);
    return { type: 'image', source: { type: 'base64', media_type: mediaType, data: match[2]! } };
  }
  if (!part.url.startsWith('https://'))
    throw new ProviderError('bad_request', `${ANTHROPIC} takes images as https: or data: URLs`);
  return { type: 'image', source: { type: 'url', url: part.url } };
}

function assistantBlocks(message: ChatMessage & { role: 'assistant' }): TAnthropicContentParam[] {
  const blocks: TAnthropicContentParam[] = [];
  const reasoning: RedactableReasoning[] = message.reasoning ?? [];
  for (const item of reasoning) {
    // Anthropic verifies replayed thinking by its signature; other providers' reasoning has none,
    // or one of theirs (Google's are prefixed `google:`), which Anthropic would reject.
    if (!item.signature || item.signature.startsWith('google:')) continue;
    if (item.redacted) {
      blocks.push({ type: 'redacted_thinking', data: item.signature });
    } else {
      blocks.push({ type: 'thinking', thinking: item.text, signature: item.signature });
    }
  }
  if (message.content) blocks.push({ type: 'text', text: message.content });
  for (const call of message.toolCalls ?? []) {
    blocks.push({ type: 'tool_use', id: call.id, name: call.name, input: toolInput(call) });
  }
  return blocks;
}

const ZToolInput = z.record(z.string(), z.unknown());

/** Anthropic replays a call's input as an object; our history holds the JSON text the model wrote. */
function toolInput(call: ToolCall): Record<string, unknown> {
  if (call.arguments.trim() === '') return {};
  let json: unknown;
  try {
    json = JSON.parse(call.arguments);
  } catch {
    json = undefined;
  }
  const parsed = ZToolInput.safeParse(json);
  if (!parsed.success)
    throw new ProviderError(
      'bad_request',
      `${ANTHROPIC} needs each earlier tool call's arguments as a JSON object`,
    );
  return parsed.data;
}

function toAnthropicTools(
  request: ChatRequest,
  thinking: boolean,
): {
  tools: NonNullable<TAnthropicRequest['tools']>;
  toolChoice?: TAnthropicToolChoice;
  jsonAnswer: boolean;
} {
  const format = request.responseFormat;
  const jsonAnswer = format?.type === 'json_object' || format?.type === 'json_schema';
  let choice = request.toolChoice;
  let userTools = request.tools ?? [];
  if (jsonAnswer && choice === 'none') {
    // The client wants no tool calls but a JSON answer: only the answer tool is offered.
    userTools = [];
    choice = undefined;
  }
  // `strict` is not sent: only the newest models accept it, and OpenAI clients set it by habit.
  const tools: NonNullable<TAnthropicRequest['tools']> = userTools.map((tool) => ({
    name: tool.name,
    ...(tool.description !== undefined && { description: tool.description }),
    input_schema: { type: 'object' as const, ...tool.parameters },
  }));
  if (jsonAnswer) {
    if (userTools.some((tool) => tool.name === JSON_ANSWER_TOOL))
      throw new ProviderError(
        'bad_request',
        `a tool may not be named ${JSON_ANSWER_TOOL} with a JSON response format`,
      );
    const schema = format.type === 'json_schema' ? format.schema : {};
    const what = format.type === 'json_schema' ? `the "${format.name}" JSON object` : 'a JSON object';
    const detail = format.type === 'json_schema' && format.description ? ` ${format.description}` : '';
    tools.push({
      name: JSON_ANSWER_TOOL,
      description: `Give your final answer by calling this tool: its input is the answer, ${what}.${detail}`,
      input_schema: { type: 'object' as const, ...schema },
    });
  }
  if (tools.length === 0) return { tools, jsonAnswer };
  const parallel = request.parallelToolCalls === false ? { disable_parallel_tool_use: true } : {};
  let toolChoice: TAnthropicToolChoice | undefined;
  if (choice === 'none') toolChoice = { type: 'none' };
  else if (typeof choice === 'object') toolChoice = { type: 'tool', name: choice.name, ...parallel };
  else if (jsonAnswer && !thinking) {
    // Some tool must be called: the client's, or the answer tool.
    toolChoice =
      userTools.length > 0 ? { type: 'any', ...parallel } : { type: 'tool', name: JSON_ANSWER_TOOL };
  } else if (choice === 'required') toolChoice = { type: 'any', ...parallel };
  else if (choice === 'auto' || request.parallelToolCalls === false)
    toolChoice = { type: 'auto', ...parallel };
  return { tools, toolChoice, jsonAnswer };
}
