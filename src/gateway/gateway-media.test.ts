/**
 * The OpenAI media endpoints through the official `openai` SDK against the real server: embeddings
 * (float and the SDK's default base64), images (gpt-image-1 over the fake, local/pixels drawn in
 * process), speech and transcription. Every answer's cost is checked three ways, to the micro: the
 * price computed here from the catalog, what the answer reports (usage.cost or x-mixgate-cost) and
 * what left the wallet; and its generation record says what was made and who processed it.
 */
import { createHash } from 'node:crypto';
import { crc32, inflateSync } from 'node:zlib';
import OpenAI, { toFile } from 'openai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import type { CatalogModel } from '../catalog/catalog-schema.js';
import { embeddingCost, imageCost, speechCost, transcriptionCost } from '../catalog/prices.js';
import { parseAmount } from '../lib/money.js';
import { startFakeServer } from '../providers/fakes/fake-server.js';
import { DIGITAL_SOURCE_TYPE } from '../providers/local/local-image.js';
import { FAKE_PNG_BASE64, fakeVector } from '../providers/openai/fake-openai.js';

const CREDIT = 10_000_000n;

let gateway: GatewayTestApp;

beforeAll(async () => {
  gateway = await createGatewayTestApp();
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await gateway.close();
});

async function openAiClient(test: GatewayTestApp = gateway) {
  const user = await test.fundedUser(CREDIT);
  return { ...user, client: new OpenAI({ baseURL: `${test.url}/v1`, apiKey: user.key, maxRetries: 0 }) };
}

function model(id: string, test: GatewayTestApp = gateway): CatalogModel {
  const found = test.ctx.gateway.catalog.resolve(id);
  if (!found) throw new Error(`no model ${id} in the catalog`);
  return found;
}

/** `usage.cost` as the decimal the ledger captured: JSON numbers print exactly at six decimals. */
function micros(cost: unknown): bigint {
  if (typeof cost !== 'number') throw new Error(`usage.cost is ${JSON.stringify(cost)}, not a number`);
  return parseAmount(cost.toFixed(6));
}

function headerCost(response: Response): bigint {
  const header = response.headers.get('x-mixgate-cost');
  if (header === null) throw new Error('no x-mixgate-cost header');
  return parseAmount(header);
}

async function generation(id: string, key: string, test: GatewayTestApp = gateway) {
  const response = await fetch(`${test.url}/v1/generations/${id}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  expect(response.status).toBe(200);
  return ((await response.json()) as { data: Record<string, unknown> }).data;
}

async function expectCharged(userId: string, cost: bigint, test: GatewayTestApp = gateway) {
  expect(await test.balanceOf(userId)).toEqual({
    balance: CREDIT - cost,
    held: 0n,
    available: CREDIT - cost,
    openHolds: 0,
  });
}

const OPENAI_RECIPIENT = {
  deployment: 'openai',
  provider: 'openai',
  region: 'US',
  transfer_safeguard: 'EU-US Data Privacy Framework',
  zero_retention: false,
  answered: true,
};

/** The fake counts one token per four characters, as its usage says. */
const fakeTokens = (text: string) => Math.max(1, Math.ceil(text.length / 4));

describe('embeddings', () => {
  // 2,100 characters each: long enough that the cost is more than the one micro it rounds up to.
  const inputs = ['The quick brown fox. '.repeat(100), 'Jumps over the lazy dog. '.repeat(84)];
  const tokens = fakeTokens(inputs.join(' '));

  it('answers float vectors and charges the provider-reported tokens', async () => {
    const { client, userId, key } = await openAiClient();
    const { data, response } = await client.embeddings
      .create({ model: 'openai/text-embedding-3-small', input: inputs, encoding_format: 'float' })
      .withResponse();
    expect(data.data.map((item) => item.embedding)).toEqual(
      inputs.map((input) => fakeVector(`text-embedding-3-small\0${input}`, 8)),
    );
    expect(data.data.map((item) => item.index)).toEqual([0, 1]);
    expect(data.model).toBe('openai/text-embedding-3-small');
    expect(tokens).toBe(1051);
    // 1,051 tokens at 0.02 per million are 21.02 micros, rounded up once.
    const expected = embeddingCost(model('openai/text-embedding-3-small'), tokens);
    expect(expected).toBe(22n);
    const usage = data.usage as typeof data.usage & { cost: number };
    expect(usage).toEqual({ prompt_tokens: tokens, total_tokens: tokens, cost: 0.000022 });
    expect(micros(usage.cost)).toBe(expected);
    expect(headerCost(response)).toBe(expected);
    await expectCharged(userId, expected);

    const record = await generation(response.headers.get('x-mixgate-generation-id')!, key);
    expect(record).toMatchObject({
      model: 'openai/text-embedding-3-small',
      provider: 'openai',
      upstream_model: 'text-embedding-3-small',
      status: 'succeeded',
      streamed: false,
      tokens_prompt: tokens,
      tokens_completion: 0,
      usage_estimated: false,
      units: null,
      cost: '0.000022',
      processed_by: [OPENAI_RECIPIENT],
    });
    // The upstream got the provider's own model id and float vectors asked for explicitly.
    expect(gateway.fakes.openai.requests.at(-1)!.body).toMatchObject({
      model: 'text-embedding-3-small',
      input: inputs,
      encoding_format: 'float',
    });
  });

  it("answers the SDK's default base64 as little-endian float32 that the SDK decodes", async () => {
    const { client, userId } = await openAiClient();
    const { data, response } = await client.embeddings
      .create({ model: 'text-embedding-3-small', input: inputs[0]! })
      .withResponse();
    const expectedVector = fakeVector(`text-embedding-3-small\0${inputs[0]}`, 8).map(Math.fround);
    expect(data.data).toHaveLength(1);
    expect(Array.from(data.data[0]!.embedding)).toEqual(expectedVector);
    const cost = embeddingCost(model('openai/text-embedding-3-small'), fakeTokens(inputs[0]!));
    expect(cost).toBe(11n);
    expect(headerCost(response)).toBe(cost);
    expect(micros((data.usage as typeof data.usage & { cost: number }).cost)).toBe(cost);
    await expectCharged(userId, cost);
  });

  it('sends base64 on the wire when asked: a string of float32 values, not an array', async () => {
    const { key } = await gateway.fundedUser(CREDIT);
    const response = await fetch(`${gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/text-embedding-3-small',
        input: 'hi',
        encoding_format: 'base64',
      }),
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as { data: { embedding: unknown }[] };
    const encoded = body.data[0]!.embedding;
    expect(typeof encoded).toBe('string');
    const bytes = Buffer.from(encoded as string, 'base64');
    expect(bytes.length).toBe(8 * 4);
    const decoded = Array.from({ length: 8 }, (_, i) => bytes.readFloatLE(i * 4));
    expect(decoded).toEqual(fakeVector('text-embedding-3-small\0hi', 8).map(Math.fround));
  });

  it('refuses a text model with 400 naming the model, before any hold or provider call', async () => {
    const { key, userId } = await gateway.fundedUser(CREDIT);
    const before = gateway.fakes.openai.requests.length;
    const response = await fetch(`${gateway.url}/v1/embeddings`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'openai/gpt-4o-mini', input: 'hello' }),
    });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: Record<string, unknown> };
    expect(body.error).toMatchObject({
      type: 'invalid_request_error',
      code: 'invalid_request',
      param: 'model',
    });
    expect(body.error.message).toMatch(/^"openai\/gpt-4o-mini" is a text model, not an? embedding model$/);
    expect(gateway.fakes.openai.requests.length).toBe(before);
    await expectCharged(userId, 0n);
  });
});

describe('images', () => {
  it('generates with gpt-image-1 as b64_json and charges its token usage', async () => {
    const { client, userId, key } = await openAiClient();
    const prompt = 'A lighthouse at dusk';
    const { data, response } = await client.images
      .generate({
        model: 'openai/gpt-image-1',
        prompt,
        size: '1024x1024',
        quality: 'low',
        response_format: 'b64_json',
      })
      .withResponse();
    expect(data.data).toEqual([{ b64_json: FAKE_PNG_BASE64 }]);
    expect(data.output_format).toBe('png');
    // gpt-image-1 is billed by tokens when it reports them: 5 input at 5.00 and 272 output at 40.00.
    const usage = { inputTokens: fakeTokens(prompt), outputTokens: 272 };
    const expected = imageCost(model('openai/gpt-image-1'), { n: 1, usage });
    expect(expected).toBe(10_905n);
    expect(data.usage).toEqual({ input_tokens: 5, output_tokens: 272, total_tokens: 277, cost: 0.010905 });
    expect(headerCost(response)).toBe(expected);
    await expectCharged(userId, expected);
    // response_format is ours to drop: gpt-image-1 refuses it (the fake answers 400 if sent).
    expect(gateway.fakes.openai.requests.at(-1)!.body).toEqual({
      model: 'gpt-image-1',
      prompt,
      n: 1,
      size: '1024x1024',
      quality: 'low',
    });

    const record = await generation(response.headers.get('x-mixgate-generation-id')!, key);
    expect(record).toMatchObject({
      model: 'openai/gpt-image-1',
      status: 'succeeded',
      tokens_prompt: 5,
      tokens_completion: 272,
      units: { images: 1 },
      cost: '0.010905',
      processed_by: [OPENAI_RECIPIENT],
    });
  });

  it('draws a real PNG with local/pixels, marked as AI-generated, at the demo price', async () => {
    const { client, userId, key } = await openAiClient();
    const { data, response } = await client.images
      .generate({ model: 'local/pixels', prompt: 'a calm sea', size: '64x48', n: 2 })
      .withResponse();
    expect(data.data).toHaveLength(2);
    const pngs = data.data!.map((image) => Buffer.from(image.b64_json!, 'base64'));
    for (const png of pngs) {
      const chunks = readPng(png);
      expect(chunks[0]!.type).toBe('IHDR');
      expect(chunks[0]!.data.readUInt32BE(0)).toBe(64);
      expect(chunks[0]!.data.readUInt32BE(4)).toBe(48);
      expect(chunks.at(-1)!.type).toBe('IEND');
      const text = chunks.filter((item) => item.type === 'tEXt').map((item) => item.data.toString('latin1'));
      expect(text).toContain('AI generated\0yes');
      expect(text).toContain('Software\0Mixgate local demo');
      const xmp = chunks.find((item) => item.type === 'iTXt')!.data.toString('utf8');
      expect(xmp.startsWith('XML:com.adobe.xmp\0')).toBe(true);
      expect(xmp).toContain(`Iptc4xmpExt:DigitalSourceType="${DIGITAL_SOURCE_TYPE}"`);
      // The pixels decompress to 48 rows of a filter byte and 64 RGB pixels.
      const idat = Buffer.concat(chunks.filter((item) => item.type === 'IDAT').map((item) => item.data));
      expect(inflateSync(idat).length).toBe(48 * (1 + 64 * 3));
    }
    // Two different pictures of one prompt (the index seeds each).
    expect(pngs[0]!.equals(pngs[1]!)).toBe(false);
    expect(data.output_format).toBe('png');
    const expected = imageCost(model('local/pixels'), { n: 2 });
    expect(expected).toBe(4_000n);
    expect(data.usage).toEqual({ cost: 0.004 });
    expect(headerCost(response)).toBe(expected);
    await expectCharged(userId, expected);
    const record = await generation(response.headers.get('x-mixgate-generation-id')!, key);
    expect(record).toMatchObject({
      model: 'local/pixels',
      provider: 'local',
      status: 'succeeded',
      units: { images: 2 },
      cost: '0.004000',
      processed_by: [
        {
          deployment: 'local',
          provider: 'local',
          region: 'local',
          transfer_safeguard: 'none (runs inside Mixgate)',
          zero_retention: true,
          answered: true,
        },
      ],
    });
  });

  it('charges only for the images that came back when the provider returns fewer than n', async () => {
    // The OpenAI fake always returns n images; this upstream returns one, as a provider whose
    // safety filter dropped the other would.
    const stub = await startFakeServer((exchange) => {
      exchange.send(200, { created: 1_770_000_000, data: [{ b64_json: FAKE_PNG_BASE64 }] });
    });
    const test = await createGatewayTestApp({ OPENAI_BASE_URL: `${stub.origin}/v1` });
    try {
      const { client, userId, key } = await openAiClient(test);
      const { data, response } = await client.images
        .generate({
          model: 'openai/dall-e-3',
          prompt: 'two cats',
          n: 2,
          size: '1024x1024',
          quality: 'standard',
        })
        .withResponse();
      expect(data.data).toHaveLength(1);
      expect(stub.requests.at(-1)!.body).toMatchObject({
        model: 'dall-e-3',
        n: 2,
        response_format: 'b64_json',
      });
      const one = imageCost(model('openai/dall-e-3', test), { n: 1, size: '1024x1024', quality: 'standard' });
      expect(one).toBe(40_000n);
      expect(data.usage).toEqual({ cost: 0.04 });
      expect(micros((data.usage as unknown as { cost: number }).cost)).toBe(one);
      expect(headerCost(response)).toBe(one);
      await expectCharged(userId, one, test);
      const record = await generation(response.headers.get('x-mixgate-generation-id')!, key, test);
      expect(record).toMatchObject({ units: { images: 1 }, cost: '0.040000', status: 'succeeded' });
      await test.assertLedgerConsistent();
    } finally {
      await test.close();
      await stub.close();
    }
  });
});

describe('speech', () => {
  it('returns the audio bytes with their content type and charges per character', async () => {
    const { client, userId, key } = await openAiClient();
    // 13 characters, 14 UTF-16 code units: billing counts characters.
    const input = 'Hello 👋 world';
    const { data, response } = await client.audio.speech
      .create({ model: 'openai/tts-1', voice: 'alloy', input })
      .withResponse();
    expect(data.headers.get('content-type')).toBe('audio/mpeg');
    const audio = Buffer.from(await data.arrayBuffer());
    expect(audio).toEqual(
      Buffer.concat([Buffer.from('FAKE-MP3:'), createHash('sha256').update(input).digest()]),
    );
    const expected = speechCost(model('openai/tts-1'), 13);
    expect(expected).toBe(195n);
    expect(headerCost(response)).toBe(expected);
    await expectCharged(userId, expected);
    expect(gateway.fakes.openai.requests.at(-1)!.body).toEqual({
      model: 'tts-1',
      input,
      voice: 'alloy',
      response_format: 'mp3',
    });
    const record = await generation(response.headers.get('x-mixgate-generation-id')!, key);
    expect(record).toMatchObject({
      model: 'openai/tts-1',
      status: 'succeeded',
      units: { characters: 13 },
      cost: '0.000195',
      processed_by: [OPENAI_RECIPIENT],
    });
  });
});

describe('transcription', () => {
  // 4,044 bytes: the gateway holds for a second per started kilobyte (5 s), more than the fake's 2.5 s.
  const clip = wavOfSilence(4_000);
  const whisper = () => model('openai/whisper-1');

  it('transcribes a file (json) and charges the reported duration', async () => {
    const { client, userId, key } = await openAiClient();
    const { data, response } = await client.audio.transcriptions
      .create({
        model: 'openai/whisper-1',
        file: await toFile(clip, 'clip.wav', { type: 'audio/wav' }),
        response_format: 'json',
      })
      .withResponse();
    // 2.5 seconds at 0.006 a minute.
    const expected = transcriptionCost(whisper(), { seconds: 2.5 });
    expect(expected).toBe(250n);
    expect(data).toEqual({
      text: 'fake transcription',
      usage: { type: 'duration', seconds: 2.5, cost: 0.00025 },
    });
    expect(headerCost(response)).toBe(expected);
    await expectCharged(userId, expected);
    const sent = gateway.fakes.openai.requests.at(-1)!;
    expect(sent.url).toBe('/v1/audio/transcriptions');
    expect(sent.rawBody.includes(clip)).toBe(true);
    const record = await generation(response.headers.get('x-mixgate-generation-id')!, key);
    expect(record).toMatchObject({
      model: 'openai/whisper-1',
      status: 'succeeded',
      units: { seconds: 2.5 },
      cost: '0.000250',
      processed_by: [OPENAI_RECIPIENT],
    });
  });

  it('answers the bare text for response_format text, with the cost in the header', async () => {
    const { client, userId } = await openAiClient();
    const { data, response } = await client.audio.transcriptions
      .create({
        model: 'whisper-1',
        file: await toFile(clip, 'clip.wav', { type: 'audio/wav' }),
        response_format: 'text',
      })
      .withResponse();
    expect(data).toBe('fake transcription');
    expect(response.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(headerCost(response)).toBe(250n);
    await expectCharged(userId, 250n);
  });

  it('never charges more than it held, even when the provider bills a longer duration', async () => {
    const { client, userId } = await openAiClient();
    // 1,044 bytes hold for 2 seconds (200 micros); the fake says 2.5 s (250 micros).
    const answer = await client.audio.transcriptions.create({
      model: 'openai/whisper-1',
      file: await toFile(wavOfSilence(1_000), 'short.wav', { type: 'audio/wav' }),
      response_format: 'json',
    });
    const held = transcriptionCost(whisper(), { seconds: 2 });
    expect(held).toBe(200n);
    expect(answer).toEqual({
      text: 'fake transcription',
      usage: { type: 'duration', seconds: 2.5, cost: 0.0002 },
    });
    expect(micros((answer as unknown as { usage: { cost: number } }).usage.cost)).toBe(held);
    await expectCharged(userId, held);
  });

  it('refuses a form without a file with 400 naming it, and charges nothing', async () => {
    const { key, userId } = await gateway.fundedUser(CREDIT);
    const before = gateway.fakes.openai.requests.length;
    const form = new FormData();
    form.append('model', 'openai/whisper-1');
    const response = await fetch(`${gateway.url}/v1/audio/transcriptions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({
      error: {
        message: "Invalid 'file': is required.",
        type: 'invalid_request_error',
        param: 'file',
        code: 'invalid_request',
      },
    });
    expect(gateway.fakes.openai.requests.length).toBe(before);
    await expectCharged(userId, 0n);
  });
});

/** A PNG's chunks after checking its signature and every chunk's CRC. */
function readPng(png: Buffer): { type: string; data: Buffer }[] {
  expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const chunks: { type: string; data: Buffer }[] = [];
  let offset = 8;
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const typeAndData = png.subarray(offset + 4, offset + 8 + length);
    expect(png.readUInt32BE(offset + 8 + length)).toBe(crc32(typeAndData));
    chunks.push({ type: typeAndData.subarray(0, 4).toString('latin1'), data: typeAndData.subarray(4) });
    offset += 12 + length;
  }
  expect(offset).toBe(png.length);
  return chunks;
}

/** A valid 8 kHz, 8-bit mono WAV of `samples` bytes of silence (44-byte header). */
function wavOfSilence(samples: number): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(8_000, 24);
  header.writeUInt32LE(8_000, 28);
  header.writeUInt16LE(1, 32);
  header.writeUInt16LE(8, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples, 40);
  return Buffer.concat([header, Buffer.alloc(samples, 0x80)]);
}
