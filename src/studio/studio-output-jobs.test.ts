/**
 * The studio's long generations against the Replicate fake: a job is queued (held), run by the job
 * steps and then shows its files, provider and the cost of its generation record; it can be
 * cancelled (nothing charged) or deleted with its files; short credit keeps nothing.
 */
import { access, readFile } from 'node:fs/promises';
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
import { gatewayJobs, generations, studioOutputs } from '../db/schema/index.js';
import { formatAmount } from '../lib/money.js';
import { isSealedBytes } from '../privacy/content-cipher.js';
import { type FakeReplicate, startFakeReplicate } from '../providers/replicate/fake-replicate.js';
import type { TStudioOutput } from './studio-output-routes.types.js';

const CREDIT = 2_000_000n;

let gateway: StudioGatewayApp;
let replicate: FakeReplicate;

beforeAll(async () => {
  replicate = await startFakeReplicate();
  gateway = await createStudioGatewayApp({
    REPLICATE_API_TOKEN: 'r8_test',
    REPLICATE_BASE_URL: replicate.baseUrl,
    GATEWAY_JOB_POLL_MS: '10',
  });
});
afterAll(async () => {
  await gateway.jobs.idle();
  await gateway.assertLedgerConsistent();
  await gateway.close();
  await replicate.close();
});

const fundedUser = (amount = CREDIT) => fundedSignedInUser(gateway, amount);
const call = (user: SignedInUser, method: 'GET' | 'POST' | 'DELETE', url: string, payload?: object) =>
  requestAs(gateway, user, method, url, payload);

async function startJob(user: SignedInUser, body: object): Promise<TStudioOutput> {
  const response = await call(user, 'POST', '/api/studio/jobs', body);
  expect(response.statusCode, response.body).toBe(202);
  return response.json() as TStudioOutput;
}

async function read(user: SignedInUser, id: string): Promise<TStudioOutput> {
  const response = await call(user, 'GET', `/api/studio/outputs/${id}`);
  expect(response.statusCode, response.body).toBe(200);
  return response.json() as TStudioOutput;
}

async function jobRow(id: string | null) {
  const [row] = await gateway.ctx.db.select().from(gatewayJobs).where(eq(gatewayJobs.id, id!));
  return row!;
}

async function untilRunning(jobId: string | null): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if ((await jobRow(jobId)).status === 'running') return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error(`job ${jobId} never started`);
}

describe('jobs', () => {
  it('queues a video, then shows its file, provider and recorded cost once the steps ran', async () => {
    // Enough polls that it is still running when the hold is read.
    replicate.readsToFinish = 20;
    const user = await fundedUser();
    const queued = await startJob(user, {
      model: 'replicate/video-01',
      input: { prompt: 'a red kite over the sea', duration: 6 },
    });
    expect(queued).toMatchObject({
      kind: 'video',
      model: 'replicate/video-01',
      provider: null,
      prompt: 'a red kite over the sea',
      status: 'queued',
      cost: null,
      error: null,
      files: [],
    });
    expect(queued.jobId).toMatch(/^job-/);
    expect(queued.generationId).toBe((await jobRow(queued.jobId)).generationId);
    expect(await gateway.balanceOf(user.userId)).toMatchObject({ held: 500_000n });

    await gateway.jobs.idle();
    const done = await read(user, queued.id);
    const [record] = await gateway.ctx.db
      .select()
      .from(generations)
      .where(eq(generations.id, done.generationId!));
    expect(record!.cost).toBe(500_000n);
    expect(done).toMatchObject({
      status: 'succeeded',
      model: 'replicate/video-01',
      provider: 'replicate',
      cost: formatAmount(record!.cost),
      error: null,
      files: [{ url: `/api/studio/outputs/${queued.id}/files/0`, mediaType: 'video/mp4' }],
    });
    expect(await gateway.balanceOf(user.userId)).toMatchObject({ balance: CREDIT - 500_000n, held: 0n });

    const file = await call(user, 'GET', done.files[0]!.url);
    expect(file.statusCode).toBe(200);
    expect(file.headers).toMatchObject({ 'content-type': 'video/mp4', 'cache-control': 'private' });
    expect(file.rawPayload.length).toBe(done.files[0]!.bytes);
    expect(file.headers['content-length']).toBe(String(done.files[0]!.bytes));
    expect(file.rawPayload.subarray(4, 8).toString('latin1')).toBe('ftyp');
    // On disk the file is sealed with the user's data key, bound to its place.
    const onDisk = await readFile(path.join(gateway.dataDir, 'outputs', queued.jobId!, '0.mp4'));
    expect(isSealedBytes(onDisk)).toBe(true);
    expect(onDisk.includes(file.rawPayload.subarray(0, 16))).toBe(false);
    const download = await call(user, 'GET', `${done.files[0]!.url}?download=1`);
    expect(download.headers['content-disposition']).toMatch(
      /^attachment; filename="a-red-kite-over-the-sea\.mp4"/,
    );
    // The prompt went to the provider; the gallery keeps it, the job row does not.
    expect((await jobRow(queued.jobId)).input).toBeNull();
  });

  it('files music under its kind', async () => {
    replicate.readsToFinish = 1;
    const user = await fundedUser();
    const queued = await startJob(user, { model: 'replicate/musicgen', input: { prompt: 'calm piano' } });
    expect(queued.kind).toBe('music');
    await gateway.jobs.idle();
    const done = await read(user, queued.id);
    expect(done).toMatchObject({ status: 'succeeded', files: [{ mediaType: 'audio/mpeg' }] });
    const list = await call(user, 'GET', '/api/studio/outputs?kind=music');
    expect((list.json() as { outputs: TStudioOutput[] }).outputs.map((output) => output.id)).toEqual([
      queued.id,
    ]);
    expect((await call(user, 'GET', '/api/studio/outputs?kind=video')).json()).toMatchObject({ outputs: [] });
  });

  it('cancels a running job: nothing is charged, and a second cancel is a conflict', async () => {
    replicate.readsToFinish = 1_000_000;
    const user = await fundedUser();
    const queued = await startJob(user, { model: 'replicate/video-01', input: { prompt: 'slow' } });
    await untilRunning(queued.jobId);
    const cancel = await call(user, 'POST', `/api/studio/outputs/${queued.id}/cancel`);
    expect(cancel.statusCode, cancel.body).toBe(202);
    expect(cancel.json()).toMatchObject({ id: queued.id, status: 'running' });
    expect((await jobRow(queued.jobId)).cancelRequestedAt).not.toBeNull();
    await gateway.jobs.idle();
    const done = await read(user, queued.id);
    expect(done).toMatchObject({ status: 'cancelled', cost: '0.000000', files: [] });
    expect(done.error).toBeTruthy();
    expect(replicate.requests.some((r) => r.method === 'POST' && r.url.endsWith('/cancel'))).toBe(true);
    expect(await gateway.balanceOf(user.userId)).toMatchObject({ balance: CREDIT, held: 0n });
    const again = await call(user, 'POST', `/api/studio/outputs/${queued.id}/cancel`);
    expect(again.statusCode).toBe(409);
    expect(again.json().error.type).toBe('conflict');
  });

  it('deletes a running job by cancelling it first', async () => {
    replicate.readsToFinish = 1_000_000;
    const user = await fundedUser();
    const queued = await startJob(user, { model: 'replicate/video-01', input: { prompt: 'never mind' } });
    await untilRunning(queued.jobId);
    expect((await call(user, 'DELETE', `/api/studio/outputs/${queued.id}`)).statusCode).toBe(204);
    expect((await call(user, 'GET', `/api/studio/outputs/${queued.id}`)).statusCode).toBe(404);
    await gateway.jobs.idle();
    expect((await jobRow(queued.jobId)).status).toBe('cancelled');
    expect(await gateway.balanceOf(user.userId)).toMatchObject({ balance: CREDIT, held: 0n });
  });

  it("deletes a finished job's files from disk", async () => {
    replicate.readsToFinish = 1;
    const user = await fundedUser();
    const queued = await startJob(user, { model: 'replicate/video-01', input: { prompt: 'keep briefly' } });
    await gateway.jobs.idle();
    const job = await jobRow(queued.jobId);
    const onDisk = path.join(gateway.dataDir, 'outputs', job.id, job.outputs![0]!.file);
    await access(onDisk);
    expect((await call(user, 'DELETE', `/api/studio/outputs/${queued.id}`)).statusCode).toBe(204);
    await expect(access(onDisk)).rejects.toMatchObject({ code: 'ENOENT' });
    expect((await jobRow(queued.jobId)).outputs).toEqual([]);
    const rows = await gateway.ctx.db
      .select()
      .from(studioOutputs)
      .where(eq(studioOutputs.userId, user.userId));
    expect(rows).toEqual([]);
  });

  it('answers 402 when the job cannot be held, keeping nothing', async () => {
    const user = await fundedUser(10n);
    const before = replicate.requests.length;
    const response = await call(user, 'POST', '/api/studio/jobs', {
      model: 'replicate/video-01',
      input: { prompt: 'too dear' },
    });
    expect(response.statusCode).toBe(402);
    expect(response.json().error).toMatchObject({
      type: 'insufficient_credit',
      details: { needed: '0.500000', available: '0.000010' },
    });
    expect(replicate.requests.length).toBe(before);
    const rows = await gateway.ctx.db
      .select()
      .from(studioOutputs)
      .where(eq(studioOutputs.userId, user.userId));
    expect(rows).toEqual([]);
  });
});
