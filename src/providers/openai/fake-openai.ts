/**
 * A fake OpenAI API on 127.0.0.1 (see ../fakes/fake-server.ts): /v1/chat/completions (streamed or
 * not, tools, refusals), /v1/embeddings, /v1/images/generations, /v1/audio/speech,
 * /v1/audio/transcriptions and GET /v1/models, in OpenAI's wire format with its real error bodies.
 * It refuses what OpenAI refuses (unknown arguments, max_tokens or temperature on reasoning models,
 * response_format on gpt-image), so a test fails when the adapter sends something OpenAI would not
 * take. A `flavour` makes it answer as a compatible server (reasoning fields, usage fields, Mistral's
 * strict validation, DeepSeek's reasoning replay rule, xAI's reasoning token count).
 * Used by tests, e2e tests and benchmarks; never by the product. The chat endpoint is in
 * fake-openai-chat.ts (its checks in fake-openai-chat-checks.ts), the others in fake-openai-media.ts.
 */
import { type FakeServer, sendScenarioError, startFakeServer } from '../fakes/fake-server.js';
import { answerChat } from './fake-openai-chat.js';
import { errorBody, fail } from './fake-openai-error.js';
import { answerEmbeddings, answerImages, answerSpeech, answerTranscription } from './fake-openai-media.js';

export { FAKE_REASONING, FAKE_REFUSAL, FAKE_REFUSAL_TRIGGER } from './fake-openai-chat.js';
export { FAKE_PNG_BASE64, fakeVector } from './fake-openai-media.js';

export type FakeOpenAiFlavour = 'openai' | 'openrouter' | 'deepseek' | 'xai' | 'mistral' | 'ollama';

export interface FakeOpenAiOptions {
  flavour?: FakeOpenAiFlavour;
}

export async function startFakeOpenAi(
  options: FakeOpenAiOptions = {},
): Promise<FakeServer & { baseUrl: string }> {
  const flavour = options.flavour ?? 'openai';
  const server = await startFakeServer(async (exchange) => {
    const { request } = exchange;
    if (sendScenarioError(exchange, errorBody(flavour, exchange.scenario.status ?? 500))) return;
    const route = `${request.method} ${request.url.split('?')[0]}`;
    if (flavour !== 'ollama' && !/^Bearer \S+$/.test(String(request.headers.authorization ?? ''))) {
      return fail(exchange, flavour, 401, "You didn't provide an API key.", { code: 'invalid_api_key' });
    }
    if (route === 'GET /v1/models') return exchange.send(200, modelList());
    if (route === 'POST /v1/chat/completions') return answerChat(exchange, flavour);
    if (route === 'POST /v1/embeddings') return answerEmbeddings(exchange);
    if (route === 'POST /v1/images/generations') return answerImages(exchange);
    if (route === 'POST /v1/audio/speech') return answerSpeech(exchange);
    if (route === 'POST /v1/audio/transcriptions') return answerTranscription(exchange);
    return fail(exchange, flavour, 404, `Invalid URL (${route})`);
  });
  return { ...server, baseUrl: `${server.origin}/v1` };
}

function modelList(): unknown {
  const ids = [
    'gpt-4o-mini',
    'gpt-5-mini',
    'o4-mini',
    'text-embedding-3-small',
    'gpt-image-1',
    'tts-1',
    'whisper-1',
  ];
  return {
    object: 'list',
    data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'system' })),
  };
}
