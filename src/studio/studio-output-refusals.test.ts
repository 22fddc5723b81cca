/**
 * What the studio refuses, keeping nothing: no session (401), history off (409, before anything is
 * held or sent), short credit (402 with the amounts, as the gateway gives them), a wrong form (400
 * naming the field) or model (404, 400).
 */
import { access } from 'node:fs/promises';
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
import { imageCost } from '../catalog/prices.js';
import { generations, studioOutputs } from '../db/schema/index.js';
import { formatAmount } from '../lib/money.js';

const CREDIT = 5_000_000n;

let gateway: StudioGatewayApp;

beforeAll(async () => {
  gateway = await createStudioGatewayApp();
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await gateway.close();
});

const fundedUser = (amount = CREDIT) => fundedSignedInUser(gateway, amount);
const call = (user: SignedInUser, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  requestAs(gateway, user, method, url, payload);

async function storedRows(userId: string) {
  return gateway.ctx.db.select().from(studioOutputs).where(eq(studioOutputs.userId, userId));
}

function model(id: string) {
  return gateway.ctx.gateway.catalog.resolve(id)!;
}

async function expectNoFolder(userId: string) {
  await expect(access(path.join(gateway.dataDir, 'studio', userId))).rejects.toMatchObject({
    code: 'ENOENT',
  });
}

describe('refusals', () => {
  it('answers 401 without a session', async () => {
    const response = await gateway.app.inject({ method: 'GET', url: '/api/studio/outputs' });
    expect(response.statusCode).toBe(401);
  });

  it('answers 409 history_disabled with history off, holding, calling and keeping nothing', async () => {
    const user = await fundedUser();
    const off = await call(user, 'PUT', '/api/account/preferences', { historyEnabled: false });
    expect(off.statusCode).toBe(200);
    const calls = gateway.fakes.openai.requests.length;
    for (const [what, body] of [
      ['images', { model: 'openai/gpt-image-1', prompt: 'kept?' }],
      ['speech', { model: 'openai/tts-1', input: 'kept?' }],
      ['jobs', { model: 'replicate/video-01', input: { prompt: 'kept?' } }],
    ] as const) {
      const response = await call(user, 'POST', `/api/studio/${what}`, body);
      expect(response.statusCode, what).toBe(409);
      expect(response.json().error.type).toBe('history_disabled');
    }
    expect(gateway.fakes.openai.requests.length).toBe(calls);
    expect(await storedRows(user.userId)).toEqual([]);
    expect(
      await gateway.ctx.db.select().from(generations).where(eq(generations.userId, user.userId)),
    ).toEqual([]);
    expect(await gateway.balanceOf(user.userId)).toMatchObject({ balance: CREDIT, held: 0n });
    await expectNoFolder(user.userId);
  });

  it('answers 402 with the amounts when credit is short, keeping nothing', async () => {
    const user = await fundedUser(10n);
    const calls = gateway.fakes.openai.requests.length;
    const response = await call(user, 'POST', '/api/studio/images', {
      model: 'openai/dall-e-3',
      prompt: 'too dear',
    });
    expect(response.statusCode).toBe(402);
    const error = response.json().error;
    expect(error.type).toBe('insufficient_credit');
    expect(error.details).toMatchObject({ available: '0.000010' });
    expect(error.details.needed).toBe(
      formatAmount(imageCost(model('openai/dall-e-3'), { n: 1, size: undefined, quality: undefined })),
    );
    expect(gateway.fakes.openai.requests.length).toBe(calls);
    expect(await storedRows(user.userId)).toEqual([]);
    await expectNoFolder(user.userId);
  });

  it('answers 400 naming the field, before anything is held', async () => {
    const user = await fundedUser();
    const cases: Array<[string, object, string]> = [
      ['images', { model: 'local/pixels', prompt: 'x', n: 5 }, 'body.n: '],
      ['images', { model: 'local/pixels' }, 'body.prompt: '],
      ['images', { model: 'local/pixels', prompt: '   ' }, 'body.prompt: must not be empty'],
      ['images', { model: 'local/pixels', prompt: 'x', size: 'big' }, 'body.size: '],
      ['images', { model: 'local/pixels', prompt: 'x', colour: 'red' }, 'colour'],
      ['speech', { model: 'openai/tts-1', input: 'x', format: 'pcm' }, 'body.format: must be one of'],
      ['speech', { model: 'openai/tts-1', input: 'x', speed: 9 }, 'body.speed: '],
      ['jobs', { model: 'replicate/video-01', input: {} }, 'body.input: must not be empty'],
    ];
    for (const [what, body, message] of cases) {
      const response = await call(user, 'POST', `/api/studio/${what}`, body);
      expect(response.statusCode, JSON.stringify(body)).toBe(400);
      expect(response.json().error).toMatchObject({ type: 'invalid_request' });
      expect(response.json().error.message).toContain(message);
    }
    const wrongKind = await call(user, 'POST', '/api/studio/images', { model: 'openai/tts-1', prompt: 'x' });
    expect(wrongKind.statusCode).toBe(400);
    expect(wrongKind.json().error).toMatchObject({ details: { param: 'model' } });
    expect(wrongKind.json().error.message).toContain('not an image model');
    const notAJob = await call(user, 'POST', '/api/studio/jobs', {
      model: 'local/pixels',
      input: { prompt: 'x' },
    });
    expect(notAJob.statusCode).toBe(400);
    expect(notAJob.json().error).toMatchObject({ details: { param: 'model' } });
    const unknown = await call(user, 'POST', '/api/studio/speech', { model: 'acme/voice', input: 'x' });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.type).toBe('model_not_found');
    const badQuery = await call(user, 'GET', '/api/studio/outputs?kind=text');
    expect(badQuery.statusCode).toBe(400);
    expect(badQuery.json().error.message).toMatch(/^querystring\.kind: /);
    expect(await storedRows(user.userId)).toEqual([]);
    expect(await gateway.balanceOf(user.userId)).toMatchObject({ balance: CREDIT, held: 0n });
  });
});
