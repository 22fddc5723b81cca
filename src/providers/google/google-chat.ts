/**
 * Chat over Gemini's generateContent and streamGenerateContent?alt=sse: Gemini's answer ->
 * ChatResult or ChatEvents (the request is built in google-chat-request.ts). Every stream event
 * is a whole GenerateContentResponse, so the stream and the single answer are read by the same
 * part-by-part function.
 * Reference: https://ai.google.dev/api/generate-content
 */
import { readServerSentEvents } from '../http/sse.js';
import { parseUpstreamJson, readBody } from '../http/upstream.js';
import type { CallOptions, ChatEvent, ChatRequest, ChatResult, FinishReason, Usage } from '../spec.js';
import { ProviderError } from '../spec.js';
import {
  type TGenerateContentResponse,
  type TGooglePart,
  type TGoogleUsageMetadata,
  ZGenerateContentResponse,
} from './google-api-types.js';
import { buildGenerateContentRequest, SIGNATURE_PREFIX } from './google-chat-request.js';
import { GOOGLE, googleStreamError, sendGoogleUpstream } from './google-error.js';

const FILTER_REASONS: ReadonlySet<string> = new Set([
  'SAFETY',
  'RECITATION',
  'BLOCKLIST',
  'PROHIBITED_CONTENT',
  'SPII',
  'IMAGE_SAFETY',
  'IMAGE_PROHIBITED_CONTENT',
  'IMAGE_RECITATION',
]);

export async function googleChat(request: ChatRequest, call: CallOptions): Promise<ChatResult> {
  const response = await sendGoogleUpstream(call, {
    path: `${googleModelPath(request.model)}:generateContent`,
    body: buildGenerateContentRequest(request),
  });
  const bytes = await readBody(GOOGLE, response.body, undefined, call.signal);
  const answer = parseUpstreamJson(GOOGLE, bytes.toString('utf8'), ZGenerateContentResponse, response.status);
  const state: AnswerState = { toolCalls: 0 };
  const result: ChatResult = { text: '', toolCalls: [], finishReason: 'stop' };
  for (const event of readAnswer(answer, state)) addToResult(result, event);
  if (state.finish === undefined && !answer.candidates?.length) {
    throw new ProviderError('malformed', `${GOOGLE} answered without a candidate`, {
      status: response.status,
    });
  }
  result.finishReason = finishOf(state);
  if (answer.responseId !== undefined) result.providerResponseId = answer.responseId;
  if (state.usage !== undefined) result.usage = state.usage;
  return result;
}

export async function* googleChatStream(request: ChatRequest, call: CallOptions): AsyncGenerator<ChatEvent> {
  const response = await sendGoogleUpstream(call, {
    path: `${googleModelPath(request.model)}:streamGenerateContent?alt=sse`,
    body: buildGenerateContentRequest(request),
  });
  const state: AnswerState = { toolCalls: 0 };
  for await (const event of readServerSentEvents(GOOGLE, response.body, call.signal)) {
    yield* readAnswer(parseUpstreamJson(GOOGLE, event.data, ZGenerateContentResponse), state);
  }
  // Google's last event carries the finishReason: a stream closed without one was cut short.
  if (state.finish === undefined) {
    throw new ProviderError('interrupted', `${GOOGLE} ended the stream before the answer was finished`);
  }
  yield { type: 'finish', reason: finishOf(state) };
  if (state.usage !== undefined) yield { type: 'usage', usage: state.usage };
}

/** `models/gemini-2.5-flash`; a full resource name (`tunedModels/x`, `models/y`) is kept. */
export function googleModelName(model: string): string {
  return model.includes('/') ? model : `models/${model}`;
}

export function googleModelPath(model: string): string {
  return `/${googleModelName(model).split('/').map(encodeURIComponent).join('/')}`;
}

// ---------------------------------------------------------------------------------------------
// Answer

interface AnswerState {
  /** Function calls seen so far: the next one's index. */
  toolCalls: number;
  finish?: FinishReason;
  /** The last usage reported (every stream event repeats the running totals). */
  usage?: Usage;
}

function* readAnswer(answer: TGenerateContentResponse, state: AnswerState): Generator<ChatEvent> {
  if (answer.error !== undefined) throw googleStreamError(answer.error);
  const usage = mapUsage(answer.usageMetadata);
  if (usage !== undefined) state.usage = usage;
  // A refused prompt has no candidate at all, only the reason.
  if (answer.promptFeedback?.blockReason !== undefined) state.finish = 'content_filter';
  const candidate = answer.candidates?.[0];
  for (const part of candidate?.content?.parts ?? []) yield* readPart(part, state);
  if (candidate?.finishReason !== undefined) state.finish = finishReasonOf(candidate.finishReason);
}

function* readPart(part: TGooglePart, state: AnswerState): Generator<ChatEvent> {
  const signature = part.thoughtSignature ? `${SIGNATURE_PREFIX}${part.thoughtSignature}` : undefined;
  if (part.thought) {
    if (part.text || signature) yield reasoningEvent(part.text ?? '', signature);
    return;
  }
  if (part.functionCall !== undefined) {
    // The signature Gemini 3 wants back with this call travels as a reasoning entry without text.
    if (signature !== undefined) yield reasoningEvent('', signature);
    const index = state.toolCalls++;
    const { id, name, args } = part.functionCall;
    yield { type: 'tool_call', index, id: id ?? `call_${index}`, name };
    // Gemini sends a call whole: its arguments are one delta.
    yield { type: 'tool_arguments', index, delta: JSON.stringify(args ?? {}) };
    return;
  }
  // A text part's own signature is optional to replay (Google's docs), so only its text counts;
  // the last stream event often is an empty text part that only carries one.
  if (part.text) yield { type: 'text', text: part.text };
}

function reasoningEvent(text: string, signature: string | undefined): ChatEvent {
  return signature === undefined ? { type: 'reasoning', text } : { type: 'reasoning', text, signature };
}

function finishReasonOf(reason: string): FinishReason {
  if (reason === 'MAX_TOKENS') return 'length';
  if (FILTER_REASONS.has(reason)) return 'content_filter';
  return 'stop';
}

/** Gemini says STOP after function calls too. */
function finishOf(state: AnswerState): FinishReason {
  const finish = state.finish ?? 'stop';
  return finish === 'stop' && state.toolCalls > 0 ? 'tool_calls' : finish;
}

/**
 * promptTokenCount includes the cached tokens (so cachedInputTokens is a part of inputTokens, as
 * with OpenAI); candidatesTokenCount excludes the thinking, which is billed as output.
 */
export function mapUsage(metadata: TGoogleUsageMetadata | undefined): Usage | undefined {
  // Vertex's first stream events carry only trafficType: not a usage yet.
  if (metadata?.promptTokenCount === undefined) return undefined;
  const thoughts = metadata.thoughtsTokenCount;
  const usage: Usage = {
    inputTokens: metadata.promptTokenCount + (metadata.toolUsePromptTokenCount ?? 0),
    outputTokens: (metadata.candidatesTokenCount ?? 0) + (thoughts ?? 0),
  };
  if (metadata.cachedContentTokenCount !== undefined)
    usage.cachedInputTokens = metadata.cachedContentTokenCount;
  if (thoughts !== undefined) usage.reasoningTokens = thoughts;
  return usage;
}

function addToResult(result: ChatResult, event: ChatEvent): void {
  if (event.type === 'text') result.text += event.text;
  else if (event.type === 'reasoning') {
    const { text, signature } = event;
    result.reasoning = [
      ...(result.reasoning ?? []),
      signature === undefined ? { text } : { text, signature },
    ];
  } else if (event.type === 'tool_call') {
    result.toolCalls.push({ id: event.id, name: event.name, arguments: '' });
  } else if (event.type === 'tool_arguments') {
    const toolCall = result.toolCalls[event.index];
    if (toolCall !== undefined) toolCall.arguments += event.delta;
  }
}
