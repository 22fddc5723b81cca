/**
 * Long generations through /v1/jobs against the Replicate fake: held on creation, started and
 * polled by the job steps, outputs kept and served, charged exactly once with a generation record,
 * a signed webhook on completion, cancellation that charges nothing, and resumption after a crash.
 */
import { createHmac } from 'node:crypto';
import { once } from 'node:events';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import { jobCost } from '../catalog/prices.js';
import { gatewayJobs } from '../db/schema/index.js';
import { type FakeReplicate, startFakeReplicate } from '../providers/replicate/fake-replicate.js';
import type { jobView } from './jobs/job-view.js';
import { checkWebhookUrl, isPrivateAddress } from './jobs/job-webhook.js';
import { resumeUnfinishedJobs } from './jobs/run-job-step.js';

let gateway: GatewayTestApp;
let replicate: FakeReplicate;
let receiver: http.Server;
let receiverUrl: string;
const webhooks: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];

beforeAll(async () => {
  replicate = await startFakeReplicate();
  receiver = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    webhooks.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
    res.writeHead(204).end();
  });
  receiver.listen(0, '127.0.0.1');
  await once(receiver, 'listening');
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  gateway = await createGatewayTestApp({
    REPLICATE_API_TOKEN: 'r8_test',
    REPLICATE_BASE_URL: replicate.baseUrl,
    JOB_WEBHOOK_ALLOW_PRIVATE: 'true',
    GATEWAY_JOB_POLL_MS: '10',
  });
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await gateway.close();
  await replicate.close();
  receiver.close();
});

type JobBody = ReturnType<typeof jobView> & { webhook_secret?: string };
interface GenerationBody {
  data: { status: string; cost: string; provider: string; processed_by: Array<Record<string, unknown>> };
}

async function call(key: string, method: string, path: string, body?: unknown) {
  return fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
}

async function api<T = JobBody>(key: string, method: string, path: string, body?: unknown) {
  const response = await call(key, method, path, body);
  return { status: response.status, headers: response.headers, body: (await response.json()) as T };
}

describe('/v1/jobs', () => {
  it('holds, runs, stores the output, charges once and calls the signed webhook', async () => {
    replicate.readsToFinish = 3;
    const { key, userId } = await gateway.fundedUser(2_000_000n);
    const created = await api(key, 'POST', '/v1/jobs', {
      model: 'replicate/video-01',
      input: { prompt: 'a red kite over the sea' },
      webhook: receiverUrl,
    });
    expect(created.status).toBe(202);
    const job = created.body;
    expect(job).toMatchObject({
      object: 'job',
      status: 'queued',
      model: 'replicate/video-01',
      held: '0.500000',
    });
    expect(job.id).toMatch(/^job-/);
    expect(job.webhook_secret).toMatch(/^whsec_/);
    expect(created.headers.get('x-mixgate-generation-id')).toBe(job.generation_id);

    await gateway.jobs.idle();
    const done = (await api(key, 'GET', `/v1/jobs/${job.id}`)).body;
    expect(done).toMatchObject({ status: 'succeeded', cost: '0.500000', held: '0.000000', error: null });
    expect(done.outputs).toHaveLength(1);
    expect(done.outputs[0]).toMatchObject({ media_type: 'video/mp4' });
    const file = await call(key, 'GET', new URL(done.outputs[0]!.url).pathname);
    expect(file.status).toBe(200);
    expect(
      Buffer.from(await file.arrayBuffer())
        .subarray(4, 8)
        .toString('latin1'),
    ).toBe('ftyp');
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: 1_500_000n, held: 0n });

    // The prompt went to the provider and is no longer kept here.
    const [row] = await gateway.ctx.db.select().from(gatewayJobs).where(eq(gatewayJobs.id, job.id));
    expect(row!.input).toBeNull();
    expect(replicate.requests.some((r) => JSON.stringify(r.body).includes('a red kite'))).toBe(true);

    const generation = (await api<GenerationBody>(key, 'GET', `/v1/generations/${job.generation_id}`)).body;
    expect(generation.data).toMatchObject({ status: 'succeeded', cost: '0.500000', provider: 'replicate' });
    expect(generation.data.processed_by).toEqual([
      expect.objectContaining({ deployment: 'replicate', answered: true }),
    ]);

    const hook = webhooks.find((w) => w.body.includes(job.id))!;
    expect(JSON.parse(hook.body)).toMatchObject({ id: job.id, status: 'succeeded', cost: '0.500000' });
    const id = hook.headers['webhook-id'] as string;
    const timestamp = hook.headers['webhook-timestamp'] as string;
    const expected = createHmac('sha256', Buffer.from(job.webhook_secret!.slice('whsec_'.length), 'base64'))
      .update(`${id}.${timestamp}.${hook.body}`)
      .digest('base64');
    expect(hook.headers['webhook-signature']).toBe(`v1,${expected}`);
  });

  it('charges a time-priced model by the seconds the provider reports', async () => {
    replicate.readsToFinish = 1;
    const { key, userId } = await gateway.fundedUser(2_000_000n);
    const created = await api(key, 'POST', '/v1/jobs', {
      model: 'replicate/musicgen',
      input: { prompt: 'calm piano' },
    });
    expect(created.status).toBe(202);
    const job = created.body;
    const model = gateway.ctx.gateway.catalog.resolve('replicate/musicgen')!;
    expect(job.held).toBe((Number(jobCost(model, { seconds: 300 })) / 1e6).toFixed(6));
    await gateway.jobs.idle();
    const [row] = await gateway.ctx.db.select().from(gatewayJobs).where(eq(gatewayJobs.id, job.id));
    const seconds = row!.metrics!.predictSeconds!;
    expect(seconds).toBeGreaterThan(0);
    const expected = jobCost(model, { seconds, outputs: 1 });
    expect(row!.cost).toBe(expected);
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: 2_000_000n - expected, held: 0n });
  });

  it('cancels a running job upstream and charges nothing', async () => {
    replicate.readsToFinish = 1_000_000;
    const { key, userId } = await gateway.fundedUser(2_000_000n);
    const job = (
      await api(key, 'POST', '/v1/jobs', { model: 'replicate/video-01', input: { prompt: 'slow' } })
    ).body;
    // Let it start and poll a few times.
    for (let i = 0; i < 100; i++) {
      const [row] = await gateway.ctx.db.select().from(gatewayJobs).where(eq(gatewayJobs.id, job.id));
      if (row!.status === 'running') break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const cancelled = await api(key, 'DELETE', `/v1/jobs/${job.id}`);
    expect(cancelled.status).toBe(202);
    expect(cancelled.body).toMatchObject({ cancel_requested: true });
    await gateway.jobs.idle();
    const done = (await api(key, 'GET', `/v1/jobs/${job.id}`)).body;
    expect(done).toMatchObject({ status: 'cancelled', cost: '0.000000' });
    expect(replicate.requests.some((r) => r.method === 'POST' && r.url.endsWith('/cancel'))).toBe(true);
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: 2_000_000n, held: 0n });
    expect((await api(key, 'DELETE', `/v1/jobs/${job.id}`)).status).toBe(409);
  });

  it('records a failed prediction and charges nothing', async () => {
    replicate.readsToFinish = 1;
    replicate.failWith = 'CUDA out of memory';
    try {
      const { key, userId } = await gateway.fundedUser(2_000_000n);
      const job = (
        await api(key, 'POST', '/v1/jobs', { model: 'replicate/video-01', input: { prompt: 'x' } })
      ).body;
      await gateway.jobs.idle();
      const done = (await api(key, 'GET', `/v1/jobs/${job.id}`)).body;
      expect(done.status).toBe('failed');
      expect(done.error?.code).toBeTruthy();
      expect(done.error?.message).not.toContain('CUDA');
      expect(await gateway.balanceOf(userId)).toMatchObject({ balance: 2_000_000n, held: 0n });
    } finally {
      replicate.failWith = undefined;
    }
  });

  it('refuses before anything starts: no credit (402), a chat model (400), another user’s job (404)', async () => {
    const poor = await gateway.fundedUser(10n);
    const before = replicate.requests.length;
    const refused = await api(poor.key, 'POST', '/v1/jobs', {
      model: 'replicate/video-01',
      input: { prompt: 'x' },
    });
    expect(refused.status).toBe(402);
    expect(replicate.requests.length).toBe(before);
    const chat = await api(poor.key, 'POST', '/v1/jobs', {
      model: 'openai/gpt-4o-mini',
      input: { prompt: 'x' },
    });
    expect(chat.status).toBe(400);
    const rich = await gateway.fundedUser(2_000_000n);
    replicate.readsToFinish = 1;
    const job = (
      await api(rich.key, 'POST', '/v1/jobs', { model: 'replicate/video-01', input: { prompt: 'x' } })
    ).body;
    expect((await api(poor.key, 'GET', `/v1/jobs/${job.id}`)).status).toBe(404);
    await gateway.jobs.idle();
  });

  it('resumes a job whose process died before it ran', async () => {
    replicate.readsToFinish = 1;
    const { key, userId } = await gateway.fundedUser(2_000_000n);
    const real = gateway.ctx.gateway.jobScheduler;
    // A crash right after the 202: the step is never run by this process.
    gateway.ctx.gateway.jobScheduler = { schedule: async () => {} };
    const job = (
      await api(key, 'POST', '/v1/jobs', { model: 'replicate/video-01', input: { prompt: 'resume me' } })
    ).body;
    gateway.ctx.gateway.jobScheduler = real;
    expect((await api(key, 'GET', `/v1/jobs/${job.id}`)).body).toMatchObject({ status: 'queued' });
    expect(await resumeUnfinishedJobs(gateway.ctx)).toBeGreaterThanOrEqual(1);
    await gateway.jobs.idle();
    expect((await api(key, 'GET', `/v1/jobs/${job.id}`)).body).toMatchObject({ status: 'succeeded' });
    expect(await gateway.balanceOf(userId)).toMatchObject({ balance: 1_500_000n, held: 0n });
  });
});

describe('webhook URLs', () => {
  it('refuses private, loopback and non-http targets unless the operator allows them', async () => {
    expect(isPrivateAddress('127.0.0.1')).toBe(true);
    expect(isPrivateAddress('10.1.2.3')).toBe(true);
    expect(isPrivateAddress('192.168.0.1')).toBe(true);
    expect(isPrivateAddress('::1')).toBe(true);
    expect(isPrivateAddress('::ffff:172.16.0.1')).toBe(true);
    expect(isPrivateAddress('93.184.216.34')).toBe(false);
    await expect(checkWebhookUrl('http://127.0.0.1:9/x', false)).rejects.toMatchObject({ status: 400 });
    await expect(checkWebhookUrl('ftp://example.com/x', true)).rejects.toMatchObject({ status: 400 });
    await expect(checkWebhookUrl('https://user:pw@example.com/x', true)).rejects.toMatchObject({
      status: 400,
    });
    await expect(checkWebhookUrl('http://127.0.0.1:9/x', true)).resolves.toBeUndefined();
  });
});
