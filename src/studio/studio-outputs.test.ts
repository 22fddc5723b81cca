/**
 * The studio's images and speech through the real server: made through the gateway's metered
 * pipeline (the OpenAI fake, the local provider), kept on disk and served back byte for byte with
 * the cost of their generation record; listed newest first, a page at a time; deleted with their
 * files; invisible to other users.
 */
import { createHash } from 'node:crypto';
import { access, readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStudioGatewayApp,
  fundedSignedInUser,
  requestAs,
  type StudioGatewayApp,
} from '../../test/studio-gateway-app.js';
import type { SignedInUser } from '../../test/test-app.js';
import { imageCost, speechCost } from '../catalog/prices.js';
import { generations, studioOutputs } from '../db/schema/index.js';
import { formatAmount } from '../lib/money.js';
import { isSealedBytes } from '../privacy/content-cipher.js';
import { dataKeyFor } from '../privacy/content-keys.js';
import { renderLocalImage } from '../providers/local/local-image.js';
import { isLocalSpeechAvailable } from '../providers/local/local-speech.js';
import { FAKE_PNG_BASE64 } from '../providers/openai/fake-openai.js';
import type { TStudioOutput } from './studio-output-routes.types.js';
import { openOutput } from './studio-outputs.js';

const CREDIT = 5_000_000n;
const espeak = await isLocalSpeechAvailable();

let gateway: StudioGatewayApp;

beforeAll(async () => {
  gateway = await createStudioGatewayApp();
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await gateway.close();
});

const fundedUser = () => fundedSignedInUser(gateway, CREDIT);
const call = (user: SignedInUser, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  requestAs(gateway, user, method, url, payload);

async function create(user: SignedInUser, what: 'images' | 'speech', body: object): Promise<TStudioOutput> {
  const response = await call(user, 'POST', `/api/studio/${what}`, body);
  expect(response.statusCode, response.body).toBe(201);
  return response.json() as TStudioOutput;
}

async function generationRow(id: string | null) {
  const [row] = await gateway.ctx.db.select().from(generations).where(eq(generations.id, id!));
  return row!;
}

async function storedRows(userId: string) {
  return gateway.ctx.db.select().from(studioOutputs).where(eq(studioOutputs.userId, userId));
}

function model(id: string) {
  return gateway.ctx.gateway.catalog.resolve(id)!;
}

describe('images', () => {
  it('keeps the images of gpt-image-1 and serves them byte for byte, at the cost recorded', async () => {
    const user = await fundedUser();
    const output = await create(user, 'images', {
      model: 'openai/gpt-image-1',
      prompt: 'A lighthouse at dusk',
      n: 2,
    });
    expect(output).toMatchObject({
      kind: 'image',
      model: 'openai/gpt-image-1',
      provider: 'openai',
      prompt: 'A lighthouse at dusk',
      status: 'succeeded',
      progress: null,
      error: null,
      jobId: null,
    });
    expect(output.generationId).toMatch(/^gen-/);
    const record = await generationRow(output.generationId);
    expect(record).toMatchObject({
      userId: user.userId,
      kind: 'image',
      provider: 'openai',
      status: 'succeeded',
    });
    expect(record.cost).toBeGreaterThan(0n);
    expect(output.cost).toBe(formatAmount(record.cost));
    expect((await gateway.balanceOf(user.userId)).balance).toBe(CREDIT - record.cost);

    const png = Buffer.from(FAKE_PNG_BASE64, 'base64');
    expect(output.files).toEqual([
      { url: `/api/studio/outputs/${output.id}/files/0`, mediaType: 'image/png', bytes: png.length },
      { url: `/api/studio/outputs/${output.id}/files/1`, mediaType: 'image/png', bytes: png.length },
    ]);
    const file = await call(user, 'GET', output.files[1]!.url);
    expect(file.statusCode).toBe(200);
    expect(file.rawPayload).toEqual(png);
    expect(file.headers).toMatchObject({
      'content-type': 'image/png',
      'cache-control': 'private',
      'content-disposition': 'inline; filename="A-lighthouse-at-dusk-2.png"',
      'x-content-type-options': 'nosniff',
    });
    const download = await call(user, 'GET', `${output.files[0]!.url}?download=1`);
    expect(download.rawPayload).toEqual(png);
    expect(download.headers['content-disposition']).toBe(
      `attachment; filename="A-lighthouse-at-dusk-1.png"; filename*=UTF-8''A%20lighthouse%20at%20dusk.png`,
    );
    // On disk where the brief says, one file per image.
    expect((await readdir(path.join(gateway.dataDir, 'studio', user.userId))).sort()).toEqual([
      `${output.id}-0.png`,
      `${output.id}-1.png`,
    ]);
  });

  it('draws with local/pixels by its alias, kept under the catalog id with its demo price', async () => {
    const user = await fundedUser();
    const prompt = 'a calm sea';
    const output = await create(user, 'images', { model: 'pixels', prompt, size: '64x48' });
    expect(output).toMatchObject({ model: 'local/pixels', provider: 'local', status: 'succeeded' });
    expect(output.cost).toBe(formatAmount(imageCost(model('local/pixels'), { n: 1 })));
    expect(output.cost).toBe(formatAmount((await generationRow(output.generationId)).cost));
    const [row] = await storedRows(user.userId);
    // The prompt and the file are kept sealed with the user's data key, and open to what was made.
    expect(row!.prompt).not.toContain('calm');
    expect(openOutput(await dataKeyFor(gateway.ctx, user.userId), row!)).toMatchObject({
      model: 'local/pixels',
      kind: 'image',
      prompt,
    });
    const image = renderLocalImage({ prompt, index: 0, width: 64, height: 48 });
    const onDisk = await readFile(path.join(gateway.dataDir, 'studio', user.userId, row!.files[0]!.file));
    expect(isSealedBytes(onDisk)).toBe(true);
    expect(onDisk.includes(image.subarray(16, 48))).toBe(false);
    const file = await call(user, 'GET', output.files[0]!.url);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['content-length']).toBe(String(image.length));
    expect(file.rawPayload).toEqual(image);
  });

  it('keeps the first 4,000 characters of a long prompt', async () => {
    const user = await fundedUser();
    const prompt = `${'word '.repeat(999)}end ${'x'.repeat(1000)}`;
    const output = await create(user, 'images', { model: 'local/pixels', prompt, size: '16x16' });
    expect(Array.from(output.prompt)).toHaveLength(4000);
    expect(output.prompt).toBe(`${prompt.slice(0, 3999)}…`);
    const file = await call(user, 'GET', output.files[0]!.url);
    // The picture was drawn from the whole prompt, not the part kept.
    expect(file.rawPayload).toEqual(renderLocalImage({ prompt, index: 0, width: 16, height: 16 }));
  });

  it('keeps an empty answer as failed, charged nothing', async () => {
    const user = await fundedUser();
    gateway.fakes.openai.enqueue({ empty: true });
    const output = await create(user, 'images', { model: 'openai/gpt-image-1', prompt: 'nothing back' });
    expect(output).toMatchObject({ status: 'failed', cost: '0.000000', files: [] });
    expect(output.error).toContain('returned nothing');
    expect(await gateway.balanceOf(user.userId)).toMatchObject({ balance: CREDIT, held: 0n });
  });
});

describe('speech', () => {
  it('keeps the audio of tts-1 and serves it byte for byte, charged per character', async () => {
    const user = await fundedUser();
    const input = 'Hello 👋 world';
    const output = await create(user, 'speech', { model: 'openai/tts-1', input, voice: 'nova' });
    const expected = speechCost(model('openai/tts-1'), 13);
    expect(output).toMatchObject({
      kind: 'speech',
      model: 'openai/tts-1',
      provider: 'openai',
      prompt: input,
      status: 'succeeded',
      cost: formatAmount(expected),
    });
    expect((await generationRow(output.generationId)).cost).toBe(expected);
    expect(gateway.fakes.openai.requests.at(-1)!.body).toEqual({
      model: 'tts-1',
      input,
      voice: 'nova',
      response_format: 'mp3',
    });
    const audio = Buffer.concat([Buffer.from('FAKE-MP3:'), createHash('sha256').update(input).digest()]);
    expect(output.files).toEqual([
      { url: `/api/studio/outputs/${output.id}/files/0`, mediaType: 'audio/mpeg', bytes: audio.length },
    ]);
    const file = await call(user, 'GET', output.files[0]!.url);
    expect(file.headers['content-type']).toBe('audio/mpeg');
    expect(file.headers['content-disposition']).toBe('inline; filename="Hello-world.mp3"');
    expect(file.rawPayload).toEqual(audio);
  });

  it.skipIf(!espeak)('speaks WAV with local/espeak', async () => {
    const user = await fundedUser();
    const output = await create(user, 'speech', {
      model: 'local/espeak',
      input: 'Hello there',
      format: 'wav',
    });
    expect(output).toMatchObject({
      provider: 'local',
      status: 'succeeded',
      files: [{ mediaType: 'audio/wav' }],
    });
    expect(output.cost).toBe(formatAmount((await generationRow(output.generationId)).cost));
    const file = await call(user, 'GET', output.files[0]!.url);
    expect(file.headers['content-type']).toBe('audio/wav');
    expect(file.rawPayload.subarray(0, 4).toString('latin1')).toBe('RIFF');
    expect(file.rawPayload.length).toBe(output.files[0]!.bytes);
  });
});

describe('the gallery', () => {
  it('lists newest first, a page at a time, and by kind', async () => {
    const user = await fundedUser();
    // The test clock stands still: the order is the order they were made in.
    const first = await create(user, 'images', { model: 'local/pixels', prompt: 'one', size: '16x16' });
    const spoken = await create(user, 'speech', { model: 'openai/tts-1', input: 'two' });
    const third = await create(user, 'images', { model: 'local/pixels', prompt: 'three', size: '16x16' });
    const list = async (query: string) => {
      const response = await call(user, 'GET', `/api/studio/outputs${query}`);
      expect(response.statusCode, response.body).toBe(200);
      return response.json() as { outputs: TStudioOutput[]; nextBefore: string | null };
    };
    const all = await list('');
    expect(all.outputs.map((output) => output.prompt)).toEqual(['three', 'two', 'one']);
    expect(all.outputs[0]).toEqual(third);
    expect(all.nextBefore).toBeNull();

    const page1 = await list('?limit=2');
    expect(page1.outputs.map((output) => output.id)).toEqual([third.id, spoken.id]);
    expect(page1.nextBefore).toBe(`${spoken.createdAt}_${spoken.id}`);
    const page2 = await list(`?limit=2&before=${encodeURIComponent(page1.nextBefore!)}`);
    expect(page2.outputs.map((output) => output.id)).toEqual([first.id]);
    expect(page2.nextBefore).toBeNull();

    expect((await list('?kind=speech')).outputs.map((output) => output.id)).toEqual([spoken.id]);
    expect((await list('?kind=image&limit=1')).outputs.map((output) => output.id)).toEqual([third.id]);
    const read = await call(user, 'GET', `/api/studio/outputs/${spoken.id}`);
    expect(read.json()).toEqual(spoken);
  });

  it('documents its routes in the OpenAPI description', async () => {
    const response = await gateway.app.inject({ method: 'GET', url: '/docs/json' });
    const paths = (response.json() as { paths: Record<string, Record<string, { tags?: string[] }>> }).paths;
    for (const [route, method] of [
      ['/api/studio/images', 'post'],
      ['/api/studio/speech', 'post'],
      ['/api/studio/jobs', 'post'],
      ['/api/studio/outputs', 'get'],
      ['/api/studio/outputs/{id}', 'get'],
      ['/api/studio/outputs/{id}', 'delete'],
      ['/api/studio/outputs/{id}/files/{index}', 'get'],
      ['/api/studio/outputs/{id}/cancel', 'post'],
    ]) {
      expect(paths[route!]?.[method!]?.tags, `${method} ${route}`).toEqual(['studio']);
    }
  });

  it('deletes an output with its files', async () => {
    const user = await fundedUser();
    const output = await create(user, 'images', {
      model: 'local/pixels',
      prompt: 'gone soon',
      size: '16x16',
    });
    const onDisk = path.join(gateway.dataDir, 'studio', user.userId, `${output.id}-0.png`);
    await access(onDisk);
    const deleted = await call(user, 'DELETE', `/api/studio/outputs/${output.id}`);
    expect(deleted.statusCode).toBe(204);
    await expect(access(onDisk)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await storedRows(user.userId)).toEqual([]);
    expect((await call(user, 'GET', `/api/studio/outputs/${output.id}`)).statusCode).toBe(404);
    expect((await call(user, 'GET', output.files[0]!.url)).statusCode).toBe(404);
    expect((await call(user, 'DELETE', `/api/studio/outputs/${output.id}`)).statusCode).toBe(404);
  });

  it("answers another user's output as a missing one, and keeps it", async () => {
    const owner = await fundedUser();
    const other = await fundedUser();
    const output = await create(owner, 'images', { model: 'local/pixels', prompt: 'mine', size: '16x16' });
    for (const [method, url] of [
      ['GET', `/api/studio/outputs/${output.id}`],
      ['GET', output.files[0]!.url],
      ['POST', `/api/studio/outputs/${output.id}/cancel`],
      ['DELETE', `/api/studio/outputs/${output.id}`],
    ] as const) {
      const response = await call(other, method, url);
      expect(response.statusCode, `${method} ${url}`).toBe(404);
      expect(response.json().error.type).toBe('not_found');
    }
    const list = await call(other, 'GET', '/api/studio/outputs');
    expect(list.json()).toEqual({ outputs: [], nextBefore: null });
    expect((await call(owner, 'GET', output.files[0]!.url)).statusCode).toBe(200);
  });

  it('refuses to cancel an output that is not a job', async () => {
    const user = await fundedUser();
    const output = await create(user, 'images', { model: 'local/pixels', prompt: 'done', size: '16x16' });
    const cancel = await call(user, 'POST', `/api/studio/outputs/${output.id}/cancel`);
    expect(cancel.statusCode).toBe(409);
    expect(cancel.json().error.type).toBe('conflict');
  });
});
