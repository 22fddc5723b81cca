/**
 * The official `openai` client against our encoders: a tiny HTTP server parses what the SDK sends
 * with our request parsers and answers with our response builders and stream encoder. If the SDK
 * parses the answers (and raises our errors) the way it does OpenAI's, clients will too.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import OpenAI, { APIError, toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MixgateError } from '../../../lib/errors.js';
import type { ChatEvent, ChatResult } from '../../../providers/spec.js';
import type { AnswerTotals, ClientError, ParsedChatRequest, ResponseMeta } from '../protocol-types.js';
import { parseOpenAiChatRequest } from './openai-chat-request.js';
import { toOpenAiChatCompletion } from './openai-chat-response.js';
import { OpenAiChatStreamEncoder } from './openai-chat-stream.js';
import { toOpenAiErrorBody } from './openai-error-body.js';
import {
  parseOpenAiEmbeddingRequest,
  parseOpenAiImageRequest,
  parseOpenAiSpeechRequest,
  parseOpenAiTranscriptionRequest,
} from './openai-media-requests.js';
import {
  toOpenAiEmbeddingList,
  toOpenAiImagesResponse,
  toOpenAiTranscription,
} from './openai-media-responses.js';

const meta: ResponseMeta = { id: 'gen-01JCOMPAT', model: 'openai/gpt-4o-mini', created: 1_770_000_000 };
const totals: AnswerTotals = {
  usage: { inputTokens: 40, outputTokens: 12, cachedInputTokens: 32, reasoningTokens: 4 },
  cost: '0.000042',
  finishReason: 'tool_calls',
};
const toolCallResult: ChatResult = {
  text: 'Let me check.',
  toolCalls: [
    { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
    { id: 'call_b', name: 'get_time', arguments: '{}' },
  ],
  finishReason: 'tool_calls',
};
const toolCallEvents: ChatEvent[] = [
  { type: 'text', text: 'Let me ' },
  { type: 'text', text: 'check.' },
  { type: 'tool_call', index: 0, id: 'call_a', name: 'get_weather' },
  { type: 'tool_arguments', index: 0, delta: '{"city":' },
  { type: 'tool_call', index: 1, id: 'call_b', name: 'get_time' },
  { type: 'tool_arguments', index: 0, delta: '"Paris"}' },
  { type: 'tool_arguments', index: 1, delta: '{}' },
  { type: 'finish', reason: 'tool_calls' },
];
const weatherTool = {
  type: 'function' as const,
  function: { name: 'get_weather', parameters: { type: 'object', properties: { city: { type: 'string' } } } },
};
const timeTool = { type: 'function' as const, function: { name: 'get_time' } };

/** What the next chat request is answered with; a stream fails with `failWith` instead of ending. */
let chatAnswer: { result: ChatResult; events: ChatEvent[]; totals: AnswerTotals; failWith?: ClientError };
const received: { path: string; parsed: unknown }[] = [];
let server: http.Server;
let client: OpenAI;

async function readBody(req: http.IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function answerChat(res: http.ServerResponse, parsed: ParsedChatRequest): void {
  if (!parsed.stream) {
    sendJson(res, 200, toOpenAiChatCompletion(chatAnswer.result, meta, chatAnswer.totals));
    return;
  }
  res.writeHead(200, { 'content-type': 'text/event-stream' });
  const encoder = new OpenAiChatStreamEncoder(meta, { includeUsage: parsed.includeUsage });
  res.write(encoder.start());
  for (const event of chatAnswer.events) res.write(encoder.event(event));
  res.end(chatAnswer.failWith ? encoder.fail(chatAnswer.failWith) : encoder.end(chatAnswer.totals));
}

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const raw = await readBody(req);
  const path = req.url ?? '';
  if (path === '/v1/audio/transcriptions') {
    const form = await new Response(raw, {
      headers: { 'content-type': req.headers['content-type']! },
    }).formData();
    const upload = form.get('file') as File;
    const fields = Object.fromEntries([...form.entries()].filter(([name]) => name !== 'file'));
    const parsed = parseOpenAiTranscriptionRequest(fields, {
      data: Buffer.from(await upload.arrayBuffer()),
      filename: upload.name,
      mediaType: upload.type,
    });
    received.push({ path, parsed });
    const answer = toOpenAiTranscription(
      { text: 'Bonjour.', language: 'french', durationSeconds: 1.5 },
      { responseFormat: parsed.responseFormat, cost: '0.000150' },
    );
    if (typeof answer === 'string') {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
      return void res.end(answer);
    }
    return sendJson(res, 200, answer);
  }
  const body: unknown = JSON.parse(raw.toString('utf8'));
  if (path === '/v1/chat/completions') {
    const parsed = parseOpenAiChatRequest(body);
    received.push({ path, parsed });
    return answerChat(res, parsed);
  }
  if (path === '/v1/embeddings') {
    const parsed = parseOpenAiEmbeddingRequest(body);
    received.push({ path, parsed });
    const embeddings = parsed.request.input.map((_, index) => [0.5, -0.25, 0.125 * (index + 1)]);
    const list = toOpenAiEmbeddingList(
      { embeddings },
      {
        model: parsed.routing.models[0]!,
        inputTokens: 7,
        cost: '0.000002',
        encodingFormat: parsed.encodingFormat,
      },
    );
    return sendJson(res, 200, list);
  }
  if (path === '/v1/images/generations') {
    const parsed = parseOpenAiImageRequest(body);
    received.push({ path, parsed });
    const images = Array.from({ length: parsed.request.n }, (_, index) => ({
      data: Buffer.from(`png-bytes-${index}`),
      mediaType: 'image/png',
      ...(index === 0 ? { revisedPrompt: 'A sea otter, revised' } : {}),
    }));
    return sendJson(
      res,
      200,
      toOpenAiImagesResponse({ images }, { created: meta.created, cost: '0.080000' }),
    );
  }
  if (path === '/v1/audio/speech') {
    const parsed = parseOpenAiSpeechRequest(body);
    received.push({ path, parsed });
    res.writeHead(200, { 'content-type': 'audio/mpeg' });
    return void res.end(Buffer.from('ID3-fake-mp3'));
  }
  sendJson(res, 404, toOpenAiErrorBody({ status: 404, code: 'not_found', message: 'No such route.' }));
}

beforeAll(async () => {
  server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!(error instanceof MixgateError)) throw error;
      const param = typeof error.details?.param === 'string' ? error.details.param : null;
      sendJson(res, error.status, toOpenAiErrorBody({ ...error, message: error.message, param }));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  client = new OpenAI({ baseURL: `http://127.0.0.1:${port}/v1`, apiKey: 'x', maxRetries: 0 });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('the openai SDK against our chat encoders', () => {
  it('reads a non-streamed completion with tool calls, reasoning usage and cost', async () => {
    chatAnswer = { result: toolCallResult, events: [], totals };
    const completion = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
      tools: [weatherTool, timeTool],
      max_completion_tokens: 200,
    });
    expect(completion.id).toBe('gen-01JCOMPAT');
    expect(completion.model).toBe('openai/gpt-4o-mini');
    expect(completion.choices[0]!.finish_reason).toBe('tool_calls');
    expect(completion.choices[0]!.message.content).toBe('Let me check.');
    expect(completion.choices[0]!.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
    expect(completion.usage).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 12,
      total_tokens: 52,
      prompt_tokens_details: { cached_tokens: 32 },
      completion_tokens_details: { reasoning_tokens: 4 },
      cost: 0.000042,
    });
    const parsed = received.at(-1)!.parsed as ParsedChatRequest;
    expect(parsed.chat.maxOutputTokens).toBe(200);
    expect(parsed.chat.tools?.map((tool) => tool.name)).toEqual(['get_weather', 'get_time']);
  });

  it('iterates a stream: text deltas, tool call deltas the SDK can reassemble, and the usage chunk', async () => {
    chatAnswer = { result: toolCallResult, events: toolCallEvents, totals };
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
      tools: [weatherTool, timeTool],
      stream: true,
      stream_options: { include_usage: true },
    });
    let text = '';
    const calls: { id?: string; name?: string; arguments: string }[] = [];
    let finish: string | null = null;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const chunk of stream) {
      expect(chunk.id).toBe('gen-01JCOMPAT');
      if (chunk.usage) usage = chunk.usage;
      const choice = chunk.choices[0];
      if (!choice) continue;
      text += choice.delta.content ?? '';
      for (const call of choice.delta.tool_calls ?? []) {
        calls[call.index] ??= { arguments: '' };
        const target = calls[call.index]!;
        if (call.id) target.id = call.id;
        if (call.function?.name) target.name = call.function.name;
        target.arguments += call.function?.arguments ?? '';
      }
      finish = choice.finish_reason ?? finish;
    }
    expect(text).toBe('Let me check.');
    expect(calls).toEqual([
      { id: 'call_a', name: 'get_weather', arguments: '{"city":"Paris"}' },
      { id: 'call_b', name: 'get_time', arguments: '{}' },
    ]);
    expect(finish).toBe('tool_calls');
    expect(usage).toMatchObject({
      prompt_tokens: 40,
      completion_tokens: 12,
      total_tokens: 52,
      cost: 0.000042,
    });
  });

  it("accumulates the stream with the SDK's own helper into a final completion", async () => {
    chatAnswer = { result: toolCallResult, events: toolCallEvents, totals };
    const runner = client.chat.completions.stream({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Weather and time in Paris?' }],
      tools: [weatherTool, timeTool],
      stream_options: { include_usage: true },
    });
    const final = await runner.finalChatCompletion();
    expect(final.choices[0]!.message.content).toBe('Let me check.');
    expect(final.choices[0]!.message.tool_calls).toEqual([
      { id: 'call_a', type: 'function', function: { name: 'get_weather', arguments: '{"city":"Paris"}' } },
      { id: 'call_b', type: 'function', function: { name: 'get_time', arguments: '{}' } },
    ]);
    expect(final.choices[0]!.finish_reason).toBe('tool_calls');
    expect(final.usage?.total_tokens).toBe(52);
  });

  it('throws an APIError while iterating a stream that ends with our error event', async () => {
    chatAnswer = {
      result: toolCallResult,
      events: [{ type: 'text', text: 'Partial answer' }],
      totals,
      failWith: { status: 502, code: 'upstream_error', message: 'The provider stopped mid-answer.' },
    };
    const stream = await client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      stream: true,
    });
    const seen: string[] = [];
    const iterate = async () => {
      for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
    };
    const error = await iterate().then(
      () => undefined,
      (thrown: unknown) => thrown,
    );
    expect(error).toBeInstanceOf(APIError);
    expect((error as APIError).message).toContain('The provider stopped mid-answer.');
    expect((error as APIError).code).toBe('upstream_error');
    expect(seen.join('')).toBe('Partial answer');
  });

  it('raises our 400 as a BadRequestError naming the parameter', async () => {
    const request = client.chat.completions.create({
      model: 'openai/gpt-4o-mini',
      messages: [{ role: 'user', content: 'Hi' }],
      n: 3,
    });
    await expect(request).rejects.toMatchObject({
      status: 400,
      type: 'invalid_request_error',
      code: 'invalid_request',
      param: 'n',
    });
    await expect(request).rejects.toBeInstanceOf(OpenAI.BadRequestError);
  });
});

describe('the openai SDK against our media builders', () => {
  it('decodes the base64 embeddings it asks for by default, and reads float ones', async () => {
    const response = await client.embeddings.create({
      model: 'openai/text-embedding-3-small',
      input: ['a', 'b'],
    });
    expect((received.at(-1)!.parsed as { encodingFormat: string }).encodingFormat).toBe('base64');
    expect(response.data.map((item) => item.embedding)).toEqual([
      [0.5, -0.25, 0.125],
      [0.5, -0.25, 0.25],
    ]);
    expect(response.usage).toEqual({ prompt_tokens: 7, total_tokens: 7, cost: 0.000002 });
    const floats = await client.embeddings.create({ model: 'm', input: 'a', encoding_format: 'float' });
    expect(floats.data[0]!.embedding).toEqual([0.5, -0.25, 0.125]);
  });

  it('reads generated images as b64_json with the revised prompt and the cost', async () => {
    const response = await client.images.generate({ model: 'openai/dall-e-3', prompt: 'A sea otter', n: 2 });
    expect(received.at(-1)!.parsed).toEqual({
      routing: { models: ['openai/dall-e-3'] },
      request: { prompt: 'A sea otter', n: 2 },
    });
    expect(response.data?.map((image) => Buffer.from(image.b64_json!, 'base64').toString())).toEqual([
      'png-bytes-0',
      'png-bytes-1',
    ]);
    expect(response.data?.[0]?.revised_prompt).toBe('A sea otter, revised');
    expect(response.output_format).toBe('png');
    expect(response.usage).toEqual({ cost: 0.08 });
  });

  it('receives speech bytes and sends the fields we parse', async () => {
    const response = await client.audio.speech.create({
      model: 'openai/gpt-4o-mini-tts',
      input: 'Bonjour',
      voice: 'alloy',
      speed: 1.25,
      instructions: 'Cheerful',
    });
    expect(Buffer.from(await response.arrayBuffer()).toString()).toBe('ID3-fake-mp3');
    expect(received.at(-1)!.parsed).toEqual({
      routing: { models: ['openai/gpt-4o-mini-tts'] },
      request: { input: 'Bonjour', voice: 'alloy', format: 'mp3', speed: 1.25, instructions: 'Cheerful' },
    });
  });

  it('uploads audio for transcription and reads json, verbose_json and text answers', async () => {
    const file = await toFile(Buffer.from('RIFF-fake-wav'), 'clip.wav', { type: 'audio/wav' });
    const verbose = await client.audio.transcriptions.create({
      file,
      model: 'openai/whisper-1',
      language: 'fr',
      temperature: 0.2,
      response_format: 'verbose_json',
    });
    expect(verbose).toMatchObject({
      task: 'transcribe',
      language: 'french',
      duration: 1.5,
      text: 'Bonjour.',
    });
    const parsed = received.at(-1)!.parsed as { request: Record<string, unknown>; responseFormat: string };
    expect(parsed.responseFormat).toBe('verbose_json');
    expect(parsed.request).toMatchObject({
      filename: 'clip.wav',
      mediaType: 'audio/wav',
      language: 'fr',
      temperature: 0.2,
    });
    expect((parsed.request.audio as Buffer).toString()).toBe('RIFF-fake-wav');

    const json = await client.audio.transcriptions.create({ file, model: 'openai/whisper-1' });
    expect(json).toEqual({ text: 'Bonjour.', usage: { type: 'duration', seconds: 1.5, cost: 0.00015 } });
    const text = await client.audio.transcriptions.create({
      file,
      model: 'openai/whisper-1',
      response_format: 'text',
    });
    expect(text).toBe('Bonjour.');
  });
});
