/**
 * The local demo's "language model": a fixed rule, not AI. It says plainly that it is Mixgate's
 * built-in demo, reflects the user's last message, and otherwise behaves like a real model as far
 * as the gateway can see: tool calls, JSON answers, reasoning, stop sequences, the output token
 * cap and usage counted with a real tokenizer, all deterministic so tests and demos repeat.
 */
import { createHash } from 'node:crypto';
import { countTokens, decodeTokens, encodeTokens } from '../../catalog/count-tokens.js';
import type { ChatMessage, ChatRequest, FinishReason, ToolCall, ToolDefinition, Usage } from '../spec.js';
import { ProviderError } from '../spec.js';
import { valueForSchema } from './local-schema-value.js';

export interface LocalAnswer {
  id: string;
  reasoning?: string;
  text: string;
  toolCalls: ToolCall[];
  finishReason: FinishReason;
  usage: Usage;
}

const REASONING_TEXT =
  'The demo model does not think. This fixed note stands in for reasoning so that clients can see how a reasoning model streams its thoughts before the answer.';

export async function answerLocally(request: ChatRequest): Promise<LocalAnswer> {
  const id = `local-${digest(JSON.stringify(request.messages)).slice(0, 24)}`;
  let remaining = Math.max(0, request.maxOutputTokens);
  let truncated = false;
  let reasoning: string | undefined;
  let reasoningTokens = 0;
  if (wantsReasoning(request)) {
    const thinkingBudget = request.reasoning?.budgetTokens ?? Number.POSITIVE_INFINITY;
    const tokens = await encodeTokens(REASONING_TEXT);
    const kept = Math.min(tokens.length, remaining, thinkingBudget);
    truncated = kept < Math.min(tokens.length, thinkingBudget);
    reasoning = kept === tokens.length ? REASONING_TEXT : await detokenize(tokens.slice(0, kept));
    reasoningTokens = kept;
    remaining -= kept;
  }
  const inputTokens = await countPromptTokens(request);
  const usage = (outputTokens: number): Usage => ({
    inputTokens,
    outputTokens: reasoningTokens + outputTokens,
    ...(reasoning !== undefined ? { reasoningTokens } : {}),
  });

  const tool = chooseTool(request);
  if (tool) {
    const nameTokens = await countTokens(tool.name);
    const fullArguments = JSON.stringify(argumentsFor(tool));
    const tokens = await encodeTokens(fullArguments);
    const room = Math.max(0, remaining - nameTokens);
    const cut = truncated || tokens.length > room;
    if (cut && room === 0) {
      // Not even the start of the arguments fits: a real model would have stopped before the call.
      return { id, reasoning, text: '', toolCalls: [], finishReason: 'length', usage: usage(0) };
    }
    const call: ToolCall = {
      id: `call_${digest(`${id}\u0000${tool.name}`).slice(0, 24)}`,
      name: tool.name,
      // A real model cut off by max tokens leaves its arguments unfinished; so does this one.
      arguments: cut ? await detokenize(tokens.slice(0, room)) : fullArguments,
    };
    const outputTokens = Math.min(remaining, nameTokens + tokens.length);
    return {
      id,
      reasoning,
      text: '',
      toolCalls: [call],
      finishReason: cut ? 'length' : 'tool_calls',
      usage: usage(outputTokens),
    };
  }

  const text = cutAtStop(answerText(request), request.stop);
  const tokens = await encodeTokens(text);
  const cut = truncated || tokens.length > remaining;
  return {
    id,
    reasoning,
    text: cut ? await detokenize(tokens.slice(0, remaining)) : text,
    toolCalls: [],
    finishReason: cut ? 'length' : 'stop',
    usage: usage(Math.min(tokens.length, remaining)),
  };
}

async function detokenize(tokens: number[]): Promise<string> {
  // A cut can split a multi-byte character; drop its replacement character rather than show it.
  return (await decodeTokens(tokens)).replace(/\uFFFD+$/, '');
}

/** The prompt as a model would see it: every message's text, tool calls and tool definitions. */
async function countPromptTokens(request: ChatRequest): Promise<number> {
  const texts = [
    ...request.messages.map(messageText),
    ...(request.tools ?? []).map(
      (tool) => `${tool.name}\n${tool.description ?? ''}\n${JSON.stringify(tool.parameters)}`,
    ),
  ];
  const counts = await Promise.all(texts.map(countTokens));
  return counts.reduce((sum, count) => sum + count, 0);
}

function messageText(message: ChatMessage): string {
  switch (message.role) {
    case 'system':
    case 'tool':
      return message.content;
    case 'user':
      return message.content.map((part) => (part.type === 'text' ? part.text : '')).join('\n');
    case 'assistant':
      return [
        message.content,
        ...(message.reasoning ?? []).map((block) => block.text),
        ...(message.toolCalls ?? []).map((call) => `${call.name}(${call.arguments})`),
      ].join('\n');
  }
}

function wantsReasoning(request: ChatRequest): boolean {
  const reasoning = request.reasoning;
  if (!reasoning) return false;
  return reasoning.effort !== undefined || (reasoning.budgetTokens ?? 0) > 0;
}

// ---------------------------------------------------------------------------------------------
// The answer's text

function answerText(request: ChatRequest): string {
  const format = request.responseFormat;
  const said = lastUserText(request.messages);
  if (format?.type === 'json_schema') return JSON.stringify(valueForSchema(format.schema, format.schema, 0));
  if (format?.type === 'json_object') {
    return JSON.stringify({
      demo: true,
      note: "Mixgate's built-in demo model answered; no AI was called.",
      you_said: excerpt(said, 60),
    });
  }
  const opening =
    "This is Mixgate's built-in demo model: it calls no AI, works offline and answers by a fixed rule.";
  const closing = 'Connect a real provider in the configuration to get real answers.';
  const last = request.messages.at(-1);
  if (last?.role === 'tool') {
    return `${opening} The tool answered with ${Array.from(last.content).length} characters, starting “${excerpt(last.content, 60)}”. ${closing}`;
  }
  if (said === '') {
    const sentImage = request.messages.some(
      (message) => message.role === 'user' && message.content.some((part) => part.type === 'image'),
    );
    const reflection = sentImage
      ? 'You sent an image, which the demo model cannot look at.'
      : 'Your message had no text to reflect.';
    return `${opening} ${reflection} ${closing}`;
  }
  const words = said.split(' ').length;
  const backwards = Array.from(excerpt(said, 30, ''))
    .reverse()
    .join('');
  return `${opening} You wrote ${words} ${words === 1 ? 'word' : 'words'}, starting “${excerpt(said, 60)}”, and backwards the start reads “${backwards}”. ${closing}`;
}

function lastUserText(messages: ChatMessage[]): string {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i]!;
    if (message.role !== 'user') continue;
    return messageText(message).replace(/\s+/g, ' ').trim();
  }
  return '';
}

/** The first `length` characters (code points, so emoji stay whole), with an ellipsis when cut. */
function excerpt(text: string, length: number, ellipsis = '…'): string {
  const characters = Array.from(text.replace(/\s+/g, ' ').trim());
  return characters.length <= length
    ? characters.join('')
    : `${characters.slice(0, length).join('')}${ellipsis}`;
}

/** Stop sequences end the answer before the first of them, as providers do. */
function cutAtStop(text: string, stop: string[] | undefined): string {
  let end = text.length;
  for (const sequence of stop ?? []) {
    if (sequence === '') continue;
    const at = text.indexOf(sequence);
    if (at !== -1 && at < end) end = at;
  }
  return text.slice(0, end);
}

// ---------------------------------------------------------------------------------------------
// Tool calls

/**
 * A forced choice (`required`, a named tool) always calls; `auto` calls a tool only when the
 * user's latest message names it, so an agent loop ends once the tool has answered.
 */
function chooseTool(request: ChatRequest): ToolDefinition | undefined {
  const tools = request.tools ?? [];
  const choice = request.toolChoice;
  if (tools.length === 0 || choice === 'none') return undefined;
  if (typeof choice === 'object') {
    const tool = tools.find((candidate) => candidate.name === choice.name);
    if (!tool) throw new ProviderError('bad_request', 'tool_choice names a tool that is not among the tools');
    return tool;
  }
  const last = request.messages.at(-1);
  const said = last?.role === 'user' ? messageText(last).toLowerCase() : '';
  const mentioned = tools.find((tool) => mentions(said, tool.name));
  if (choice === 'required') return mentioned ?? tools[0];
  return mentioned;
}

/** `get_weather` is mentioned by "get_weather", "get weather" or "getWeather" as whole words. */
function mentions(text: string, name: string): boolean {
  if (text === '') return false;
  const spellings = new Set([
    name,
    name.replace(/[_\-.]+/g, ' '),
    name.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/[_\-.]+/g, ' '),
  ]);
  for (const spelling of spellings) {
    const escaped = spelling
      .toLowerCase()
      .trim()
      .replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    if (escaped !== '' && new RegExp(`(^|[^\\p{L}\\p{N}_])${escaped}($|[^\\p{L}\\p{N}_])`, 'u').test(text)) {
      return true;
    }
  }
  return false;
}

function argumentsFor(tool: ToolDefinition): Record<string, unknown> {
  const value = valueForSchema(tool.parameters, tool.parameters, 0);
  return value !== null && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

function digest(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
