/**
 * The OpenAI fake's /v1/chat/completions: the answer (text, a tool call or a refusal, streamed or
 * not) and its usage, in the shape of the flavour it plays.
 */
import { createHash } from 'node:crypto';
import { type FakeExchange, fakeReplyText, fakeTokenCount, splitIntoChunks } from '../fakes/fake-server.js';
import type { FakeOpenAiFlavour } from './fake-openai.js';
import {
  isReasoningModel,
  type LooseChatBody,
  type LooseMessage,
  validateChat,
} from './fake-openai-chat-checks.js';
import { fail } from './fake-openai-error.js';

/** The reasoning the flavours that think stream before answering. */
export const FAKE_REASONING = 'Thinking it over.';

/** A prompt containing this is refused (chat) or blocked by moderation (images). */
export const FAKE_REFUSAL_TRIGGER = 'please refuse';

export const FAKE_REFUSAL = "I'm sorry, I can't help with that.";

const REASONING_FIELD: Partial<Record<FakeOpenAiFlavour, string>> = {
  openrouter: 'reasoning',
  ollama: 'reasoning',
  deepseek: 'reasoning_content',
  xai: 'reasoning_content',
};

export async function answerChat(exchange: FakeExchange, flavour: FakeOpenAiFlavour): Promise<void> {
  const body = exchange.request.body as LooseChatBody;
  const refusal = validateChat(body, flavour);
  if (refusal) return fail(exchange, flavour, refusal.status, refusal.message, refusal);
  const { scenario } = exchange;
  const messages = body.messages ?? [];
  const last = messages.at(-1);
  const lastUser = messages.filter((message) => message.role === 'user').at(-1);
  const prompt = textOf(lastUser?.content);
  const forced = typeof body.tool_choice === 'object' ? body.tool_choice.function?.name : undefined;
  const wantsTool = (body.tools?.length ?? 0) > 0 && body.tool_choice !== 'none' && last?.role === 'user';
  const toolCall = scenario.empty
    ? undefined
    : (scenario.toolCall ??
      (wantsTool
        ? { name: forced ?? body.tools?.[0]?.function?.name ?? 'tool', arguments: '{"query":"fake"}' }
        : undefined));
  const refused = !scenario.empty && !toolCall && prompt.includes(FAKE_REFUSAL_TRIGGER);
  const text = scenario.empty || toolCall || refused ? '' : (scenario.text ?? fakeReplyText(prompt, flavour));
  const reasoningField = REASONING_FIELD[flavour];
  const reasoning = reasoningField && !scenario.empty ? FAKE_REASONING : '';
  // OpenAI reports `stop` when tool_choice named the function.
  const finish = toolCall ? (forced && flavour === 'openai' ? 'stop' : 'tool_calls') : 'stop';
  const usage = scenario.omitUsage
    ? undefined
    : usageFor(
        flavour,
        body.model ?? '',
        messages,
        toolCall?.arguments ?? text + (refused ? FAKE_REFUSAL : ''),
        reasoning,
      );
  const id = `chatcmpl-fake${createHash('sha256').update(prompt).digest('hex').slice(0, 20)}`;
  // Mistral's ids are nine letters and digits.
  const callId = flavour === 'mistral' ? id.slice(-9) : `call_${id.slice(-12)}`;
  const base = { id, created: 1_770_000_000, model: body.model, system_fingerprint: 'fp_fake' };

  if (!body.stream) {
    const message: Record<string, unknown> = {
      role: 'assistant',
      content: toolCall || refused ? null : text,
      refusal: refused ? FAKE_REFUSAL : null,
      annotations: [],
    };
    if (reasoning && reasoningField) message[reasoningField] = reasoning;
    if (toolCall) {
      message.tool_calls = [{ id: callId, type: 'function', function: toolCall }];
    }
    const completion = {
      ...base,
      object: 'chat.completion',
      choices: [{ index: 0, message, logprobs: null, finish_reason: finish }],
      ...(usage && { usage }),
    };
    return exchange.send(200, completion);
  }

  const includeUsage = body.stream_options?.include_usage === true;
  const chunk = (delta: Record<string, unknown>, finishReason: string | null = null) => ({
    ...base,
    object: 'chat.completion.chunk',
    choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
    ...(includeUsage && { usage: null }),
  });
  const chunks: unknown[] = [chunk({ role: 'assistant', content: toolCall ? null : '', refusal: null })];
  for (const piece of splitIntoChunks(reasoning)) chunks.push(chunk({ [reasoningField ?? '']: piece }));
  for (const piece of splitIntoChunks(text)) chunks.push(chunk({ content: piece }));
  if (refused) for (const piece of splitIntoChunks(FAKE_REFUSAL)) chunks.push(chunk({ refusal: piece }));
  if (toolCall && flavour === 'xai') {
    // xAI streams each call whole, in one delta.
    chunks.push(chunk({ tool_calls: [{ id: callId, function: toolCall, index: 0, type: 'function' }] }));
  } else if (toolCall) {
    chunks.push(
      chunk({
        tool_calls: [
          { index: 0, id: callId, type: 'function', function: { name: toolCall.name, arguments: '' } },
        ],
      }),
    );
    for (const piece of toolCall.arguments.match(/[\s\S]{1,4}/g) ?? []) {
      chunks.push(chunk({ tool_calls: [{ index: 0, function: { arguments: piece } }] }));
    }
  }
  // Mistral puts the usage in the finish chunk; OpenRouter always sends it; the others on request.
  const finishChunk: Record<string, unknown> = chunk({}, finish);
  if (usage && flavour === 'mistral') finishChunk.usage = usage;
  chunks.push(finishChunk);
  if (usage && (includeUsage || flavour === 'openrouter'))
    chunks.push({ ...base, object: 'chat.completion.chunk', choices: [], usage });
  const lines = chunks.map((item) => `data: ${JSON.stringify(item)}\n\n`);
  lines.push('data: [DONE]\n\n');
  await exchange.stream(lines);
}

function usageFor(
  flavour: FakeOpenAiFlavour,
  model: string,
  messages: LooseMessage[],
  answer: string,
  reasoning: string,
): Record<string, unknown> {
  const promptTokens = fakeTokenCount(messages.map((message) => textOf(message.content)).join('\n'));
  const answerTokens = answer ? fakeTokenCount(answer) : 0;
  const reasoningTokens = reasoning
    ? fakeTokenCount(reasoning)
    : flavour === 'openai' && isReasoningModel(model)
      ? 64
      : 0;
  const completion = answerTokens + reasoningTokens;
  const total = promptTokens + completion;
  switch (flavour) {
    case 'openrouter':
      return {
        prompt_tokens: promptTokens,
        completion_tokens: completion,
        total_tokens: total,
        prompt_tokens_details: {
          cached_tokens: Math.floor(promptTokens / 2),
          cache_write_tokens: 3,
          audio_tokens: 0,
        },
        completion_tokens_details: { reasoning_tokens: reasoningTokens },
        cost: 0.000123,
        cost_details: { upstream_inference_cost: null },
      };
    case 'deepseek': {
      const hit = Math.floor(promptTokens / 2);
      return {
        prompt_tokens: promptTokens,
        completion_tokens: completion,
        total_tokens: total,
        prompt_cache_hit_tokens: hit,
        prompt_cache_miss_tokens: promptTokens - hit,
        completion_tokens_details: { reasoning_tokens: reasoningTokens },
      };
    }
    case 'xai':
      // xAI counts reasoning beside the completion: total = prompt + completion + reasoning.
      return {
        prompt_tokens: promptTokens,
        completion_tokens: answerTokens,
        total_tokens: total,
        prompt_tokens_details: {
          text_tokens: promptTokens,
          audio_tokens: 0,
          image_tokens: 0,
          cached_tokens: 1,
        },
        completion_tokens_details: { reasoning_tokens: reasoningTokens, audio_tokens: 0 },
        num_sources_used: 0,
      };
    case 'mistral':
    case 'ollama':
      return { prompt_tokens: promptTokens, completion_tokens: completion, total_tokens: total };
    default:
      return {
        prompt_tokens: promptTokens,
        completion_tokens: completion,
        total_tokens: total,
        // OpenAI caches prompts from 1,024 tokens on; the fake acts as if the prefix was seen.
        prompt_tokens_details: { cached_tokens: promptTokens >= 1024 ? 1024 : 0, audio_tokens: 0 },
        completion_tokens_details: {
          reasoning_tokens: reasoningTokens,
          audio_tokens: 0,
          accepted_prediction_tokens: 0,
          rejected_prediction_tokens: 0,
        },
      };
  }
}

function textOf(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  return content
    .map((part: { type?: string; text?: unknown }) =>
      part?.type === 'text' && typeof part.text === 'string' ? part.text : '',
    )
    .join(' ');
}
