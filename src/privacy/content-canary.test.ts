/**
 * The storage-level canary: a user's conversation (title, message, a file and an image attached,
 * the answer), an output report, a studio output with its file, a job's input and output file all
 * carry one unique string. Every column of every table in the database (and a pg_dump, when the
 * machine's pg_dump can read this server) and every byte under the data directory are searched:
 * the string is nowhere in plaintext (nor in base64). After destroyUserDataKey, none of it can be
 * read any more, and nothing new is made for the user.
 */
import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { databaseUrl } from '../../test/database-url.js';
import {
  createStudioGatewayApp,
  fundedSignedInUser,
  requestAs,
  type StudioGatewayApp,
} from '../../test/studio-gateway-app.js';
import { newConversation, postTurn } from '../../test/studio-test-app.js';
import type { SignedInUser } from '../../test/test-app.js';
import { gatewayJobs, userDataKeys } from '../db/schema/index.js';
import { readJobOutput, storeJobOutputs } from '../gateway/jobs/job-outputs.js';
import { FAKE_PNG_BASE64 } from '../providers/openai/fake-openai.js';
import { type FakeReplicate, startFakeReplicate } from '../providers/replicate/fake-replicate.js';
import { readOutputFile, storeOutputFiles } from '../studio/output-files.js';
import { dataKeyFor, destroyUserDataKey } from './content-keys.js';

const CANARY = `mgcanary-${randomBytes(8).toString('hex')}`;
// The canary inside an image's bytes: in a data URL it would show as base64.
const IMAGE = Buffer.concat([Buffer.from(FAKE_PNG_BASE64, 'base64'), Buffer.from(` ${CANARY} `)]);
const IMAGE_URL = `data:image/png;base64,${IMAGE.toString('base64')}`;
/** What must appear nowhere: the canary as text, and the part of the data URL that encodes it. */
const NEEDLES = [CANARY, IMAGE_URL.slice(-24, -4)].map((needle) => Buffer.from(needle));

let replicate: FakeReplicate;
let gateway: StudioGatewayApp;
let user: SignedInUser;
let conversationId: string;
let outputId: string;
let jobId: string;
let studioFile: string;
let generationId: string;

function occurrences(haystack: Buffer | string): string[] {
  const bytes = typeof haystack === 'string' ? Buffer.from(haystack) : haystack;
  return NEEDLES.filter((needle) => bytes.includes(needle)).map((needle) => needle.toString());
}

/** Every row of every table of every schema, as text: where the canary is found, if anywhere. */
async function databaseOccurrences(): Promise<string[]> {
  const tables = await gateway.ctx.pool.query<{ name: string }>(
    `SELECT format('%I.%I', table_schema, table_name) AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')`,
  );
  expect(tables.rows.map((row) => row.name)).toEqual(
    expect.arrayContaining([
      'public.conversation_messages',
      'public.studio_outputs',
      'public.user_data_keys',
    ]),
  );
  const found: string[] = [];
  for (const { name } of tables.rows) {
    const { rows } = await gateway.ctx.pool.query<{ row: string }>(`SELECT t::text AS row FROM ${name} t`);
    for (const { row } of rows) for (const needle of occurrences(row)) found.push(`${name}: ${needle}`);
  }
  return found;
}

/** pg_dump of the test database, when the machine has one that can read this server; null otherwise. */
async function dumpOccurrences(): Promise<string[] | null> {
  const { rows } = await gateway.ctx.pool.query<{ name: string }>('SELECT current_database() AS name');
  try {
    const { stdout } = await promisify(execFile)(
      'pg_dump',
      [databaseUrl(inject('adminDatabaseUrl'), rows[0]!.name)],
      {
        maxBuffer: 512 * 1024 * 1024,
        encoding: 'buffer',
      },
    );
    return occurrences(stdout);
  } catch {
    return null;
  }
}

async function fileOccurrences(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile()) continue;
    const file = path.join(entry.parentPath, entry.name);
    for (const needle of occurrences(await readFile(file))) found.push(`${file}: ${needle}`);
  }
  return found;
}

beforeAll(async () => {
  replicate = await startFakeReplicate();
  gateway = await createStudioGatewayApp({
    REPLICATE_API_TOKEN: 'r8_test',
    REPLICATE_BASE_URL: replicate.baseUrl,
  });
  user = await fundedSignedInUser(gateway, 5_000_000n);

  conversationId = (await newConversation(gateway, user)).id;
  const turn = await postTurn(gateway.url, user, conversationId, {
    model: 'openai/gpt-4o-mini',
    parentId: null,
    content: {
      text: `${CANARY}: what do you make of it?`,
      attachments: [
        { kind: 'file', name: 'notes.txt', mediaType: 'text/plain', text: `the file says ${CANARY}` },
        { kind: 'image', name: 'dot.png', mediaType: 'image/png', dataUrl: IMAGE_URL },
      ],
    },
  });
  expect(turn.status, turn.body).toBe(200);
  expect(turn.text).toContain(CANARY);
  generationId = turn.headers['x-mixgate-generation-id'] as string;

  const report = await requestAs(gateway, user, 'POST', '/api/reports', {
    generationId,
    reason: 'privacy',
    details: `It repeated ${CANARY}`,
  });
  expect(report.statusCode, report.body).toBe(201);

  const image = await requestAs(gateway, user, 'POST', '/api/studio/images', {
    model: 'local/pixels',
    prompt: `a picture of ${CANARY}`,
    size: '16x16',
  });
  expect(image.statusCode, image.body).toBe(201);
  outputId = (image.json() as { id: string }).id;

  // The job stays queued (no step runs): its input is kept until a provider accepts it.
  const steps = gateway.ctx.gateway.jobScheduler;
  gateway.ctx.gateway.jobScheduler = { schedule: async () => {} };
  const job = await requestAs(gateway, user, 'POST', '/api/studio/jobs', {
    model: 'replicate/video-01',
    input: { prompt: `a film about ${CANARY}` },
  });
  gateway.ctx.gateway.jobScheduler = steps;
  expect(job.statusCode, job.body).toBe(202);
  jobId = (job.json() as { jobId: string }).jobId;

  // Files whose bytes carry the canary, written as the studio and the job runner write them.
  const key = await dataKeyFor(gateway.ctx, user.userId);
  const data = Buffer.from(`file bytes with ${CANARY}`);
  const [stored] = await storeOutputFiles(gateway.dataDir, user.userId, key, randomUUID(), [
    { data, mediaType: 'image/png' },
  ]);
  studioFile = stored!.file;
  await storeJobOutputs(gateway.dataDir, jobId, key, [{ data, mediaType: 'video/mp4' }]);
  expect(await readOutputFile(gateway.dataDir, user.userId, key, studioFile)).toEqual(data);
});

afterAll(async () => {
  await gateway.jobs.idle();
  await gateway.assertLedgerConsistent();
  await gateway.close();
  await replicate.close();
});

describe('a canary in every kind of content', () => {
  it('reads back whole to its owner', async () => {
    const read = await requestAs(gateway, user, 'GET', `/api/conversations/${conversationId}`);
    expect(read.statusCode).toBe(200);
    expect(occurrences(read.body)).toEqual([CANARY, NEEDLES[1]!.toString()]);
    const search = await requestAs(gateway, user, 'GET', `/api/conversations?q=${CANARY.toUpperCase()}`);
    expect((search.json() as { conversations: { id: string }[] }).conversations.map((c) => c.id)).toEqual([
      conversationId,
    ]);
    const output = await requestAs(gateway, user, 'GET', `/api/studio/outputs/${outputId}`);
    expect(output.json()).toMatchObject({ prompt: `a picture of ${CANARY}` });
  });

  it('is nowhere in the database, in a dump of it, or under the data directory', async () => {
    const [row] = await gateway.ctx.db.select().from(gatewayJobs).where(eq(gatewayJobs.id, jobId));
    expect(row!.input).toMatch(/^c1\./);
    expect(await databaseOccurrences()).toEqual([]);
    const dump = await dumpOccurrences();
    if (dump !== null) expect(dump).toEqual([]);
    expect(await fileOccurrences(gateway.dataDir)).toEqual([]);
  });

  it('can no longer be read by anyone once the data key is destroyed, and nothing new is made', async () => {
    expect(await destroyUserDataKey(gateway.ctx.db, user.userId)).toBe(true);
    const [tombstone] = await gateway.ctx.db
      .select()
      .from(userDataKeys)
      .where(eq(userDataKeys.userId, user.userId));
    expect(tombstone).toMatchObject({ keySealed: null, masterKeyId: null });

    for (const url of [
      `/api/conversations/${conversationId}`,
      '/api/conversations',
      `/api/conversations?q=${CANARY}`,
      `/api/conversations/${conversationId}/export?format=markdown`,
      `/api/studio/outputs/${outputId}`,
      `/api/studio/outputs/${outputId}/files/0`,
      '/api/studio/outputs',
    ]) {
      const response = await requestAs(gateway, user, 'GET', url);
      expect(response.statusCode, url).toBe(410);
      expect(response.json(), url).toMatchObject({ error: { type: 'content_erased' } });
    }
    const created = await requestAs(gateway, user, 'POST', '/api/conversations', { title: 'again' });
    expect(created.statusCode).toBe(410);
    const files = readOutputFile(gateway.dataDir, user.userId, randomBytes(32), studioFile);
    await expect(files).rejects.toThrow(/integrity/);
    await expect(readJobOutput(gateway.dataDir, jobId, randomBytes(32), '0.mp4')).rejects.toThrow(
      /integrity/,
    );
    expect(
      await gateway.ctx.db.select().from(userDataKeys).where(eq(userDataKeys.userId, user.userId)),
    ).toHaveLength(1);

    // Still nowhere, and the sealed rows and files are all that is left.
    expect(await databaseOccurrences()).toEqual([]);
    expect(await fileOccurrences(gateway.dataDir)).toEqual([]);
  });

  it("fails the erased user's queued job when it starts, holding nothing any more", async () => {
    await gateway.ctx.gateway.jobScheduler.schedule(jobId, 0);
    await gateway.jobs.idle();
    const [job] = await gateway.ctx.db.select().from(gatewayJobs).where(eq(gatewayJobs.id, jobId));
    expect(job).toMatchObject({ status: 'failed', errorCode: 'content_erased', input: null });
    expect(replicate.requests.some((request) => JSON.stringify(request.body).includes(CANARY))).toBe(false);
    expect(await gateway.balanceOf(user.userId)).toMatchObject({ held: 0n });
    const { rows } = await gateway.ctx.db.execute(
      sql`SELECT 1 FROM gateway_jobs WHERE input IS NOT NULL AND id = ${jobId}`,
    );
    expect(rows).toEqual([]);
  });
});
