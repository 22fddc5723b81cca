/**
 * The upgrade of content stored before encryption: a database at migration 0010 holding plaintext
 * conversations, messages with attachments, reports, studio outputs and job inputs, and plaintext
 * files; migration 0011 marks them, the startup pass seals them, and everything reads back as it
 * was written. The pass is idempotent, safe to run twice at once, and leaves an erased user's
 * plaintext alone rather than making them a new key.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { eq } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { migrate } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { databaseUrl } from '../../test/database-url.js';
import { runMigrations } from '../db/database.js';
import * as schema from '../db/schema/index.js';
import { gatewayJobs, outputReports, studioOutputs } from '../db/schema/index.js';
import { readJobOutput } from '../gateway/jobs/job-outputs.js';
import { listConversations, readConversation } from '../studio/conversations.js';
import { readOutputFile } from '../studio/output-files.js';
import { openReportDetails } from '../studio/output-reports.js';
import { openOutput } from '../studio/studio-outputs.js';
import { contentField, isSealedBytes, openJson } from './content-cipher.js';
import { dataKeyFor, destroyUserDataKey } from './content-keys.js';
import { FILES_SEALED_MARKER, type LegacyPassContext, sealLegacyContent } from './content-legacy.js';

const MIGRATIONS = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'db', 'migrations');
const LAST_PLAINTEXT_MIGRATION = '0010_email_change';

let admin: pg.Client;
let pool: pg.Pool;
let name: string;
let dataDir: string;
let ctx: LegacyPassContext;

/** Applies the committed migrations up to (and with) `lastTag`, from a copy of the folder with a cut journal. */
async function migrateUpTo(target: pg.Pool, lastTag: string): Promise<void> {
  const folder = await mkdtemp(path.join(os.tmpdir(), 'mg-migrations-'));
  try {
    await cp(MIGRATIONS, folder, { recursive: true });
    const journalFile = path.join(folder, 'meta', '_journal.json');
    const journal = JSON.parse(await readFile(journalFile, 'utf8')) as { entries: { tag: string }[] };
    const last = journal.entries.findIndex((entry) => entry.tag === lastTag);
    expect(last, `${lastTag} in the journal`).toBeGreaterThan(0);
    journal.entries = journal.entries.slice(0, last + 1);
    await writeFile(journalFile, JSON.stringify(journal));
    await migrate(drizzle(target), { migrationsFolder: folder });
  } finally {
    await rm(folder, { recursive: true, force: true });
  }
}

const alice = randomUUID();
const erased = randomUUID();
const conversationId = randomUUID();
const erasedConversationId = randomUUID();
const [question, answer, bare] = [randomUUID(), randomUUID(), randomUUID()];
const reportId = randomUUID();
const outputId = randomUUID();
const jobId = `job-${'a1b2c3d4e5'.repeat(2)}0a1b2c`;
const imageBytes = Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), Buffer.from('legacy pixels')]);
const videoBytes = Buffer.from('....ftypisom legacy video frames');
const attachments = [
  { kind: 'file', name: 'notes.txt', mediaType: 'text/plain', text: 'legacy file text' },
  { kind: 'image', name: 'dot.png', mediaType: 'image/png', dataUrl: 'data:image/png;base64,iVBORw0KGgo=' },
];

/** What an instance before content encryption wrote (schema of migration 0010). */
async function writePlaintext(db: pg.Pool): Promise<void> {
  for (const [id, label] of [
    [alice, 'alice'],
    [erased, 'erased'],
  ] as const) {
    await db.query(
      `INSERT INTO users (id, email, username, password_hash, age_confirmed, age_confirmed_at)
       VALUES ($1, $2, $3, 'x', true, now())`,
      [id, `${label}-${id}@example.com`, `${label}${id.slice(0, 8)}`],
    );
  }
  await db.query(
    `INSERT INTO conversations (id, user_id, title, updated_at) VALUES
       ($1, $2, 'Legacy sourdough', now()), ($3, $4, 'Erased plaintext title', now())`,
    [conversationId, alice, erasedConversationId, erased],
  );
  await db.query(
    `INSERT INTO conversation_messages (id, conversation_id, parent_id, role, content, status) VALUES
       ($1, $4, NULL, 'user', $5, 'complete'),
       ($2, $4, $1, 'assistant', '{"text":"Knead it for ten minutes."}', 'complete'),
       ($3, $4, NULL, 'user', '{"text":"no files","attachments":[]}', 'complete')`,
    [question, answer, bare, conversationId, JSON.stringify({ text: 'How long to KNEAD?', attachments })],
  );
  await db.query(
    `INSERT INTO output_reports (id, user_id, generation_id, reason, details) VALUES
       ($1, $2, 'gen-legacy', 'inaccurate', 'Legacy details'), ($3, $2, 'gen-legacy', 'other', NULL)`,
    [reportId, alice, randomUUID()],
  );
  await db.query(
    `INSERT INTO gateway_jobs (id, generation_id, user_id, requested_model, status, input, routing, hold_id,
                               hold_amount, outputs, created_at)
     VALUES ($1, 'gen-legacy-job', $2, 'replicate/video-01', 'queued', $3, '{"models":[]}', 1, 0, $4, now())`,
    [
      jobId,
      alice,
      JSON.stringify({ prompt: 'legacy job prompt', duration: 5 }),
      JSON.stringify([{ file: '0.mp4', mediaType: 'video/mp4', bytes: videoBytes.length }]),
    ],
  );
  await db.query(
    `INSERT INTO studio_outputs (id, user_id, kind, model, prompt, files) VALUES ($1, $2, 'image', 'local/pixels', 'Legacy prompt', $3)`,
    [
      outputId,
      alice,
      JSON.stringify([{ file: `${outputId}-0.png`, mediaType: 'image/png', bytes: imageBytes.length }]),
    ],
  );
  await mkdir(path.join(dataDir, 'studio', alice), { recursive: true });
  await writeFile(path.join(dataDir, 'studio', alice, `${outputId}-0.png`), imageBytes);
  await mkdir(path.join(dataDir, 'outputs', jobId), { recursive: true });
  await writeFile(path.join(dataDir, 'outputs', jobId, '0.mp4'), videoBytes);
  await mkdir(path.join(dataDir, 'studio', erased), { recursive: true });
  await writeFile(path.join(dataDir, 'studio', erased, `${randomUUID()}-0.png`), imageBytes);
}

beforeAll(async () => {
  const adminUrl = inject('adminDatabaseUrl');
  name = `mgt_${inject('testRunId')}_legacy_${randomBytes(3).toString('hex')}`;
  admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  pool = new pg.Pool({ connectionString: databaseUrl(adminUrl, name), max: 4 });
  pool.on('error', () => {});
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'mg-legacy-'));
  await migrateUpTo(pool, LAST_PLAINTEXT_MIGRATION);
  await writePlaintext(pool);
  await runMigrations(pool);
  ctx = { db: drizzle(pool, { schema }), masterKey: randomBytes(32), config: { dataDir } };
});

afterAll(async () => {
  await pool?.end();
  await admin?.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  await admin?.end();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('content stored before encryption', () => {
  it('is marked by migration 0011, a message split into its text and its attachments', async () => {
    const { rows } = await pool.query(
      'SELECT id, content, attachments FROM conversation_messages ORDER BY sequence',
    );
    expect(rows).toEqual([
      { id: question, content: 'p0.How long to KNEAD?', attachments: expect.stringMatching(/^p0\.\[/) },
      { id: answer, content: 'p0.Knead it for ten minutes.', attachments: null },
      { id: bare, content: 'p0.no files', attachments: 'p0.[]' },
    ]);
    expect(JSON.parse(rows[0].attachments.slice(3))).toEqual(attachments);
    const job = await pool.query('SELECT input FROM gateway_jobs');
    expect(JSON.parse(job.rows[0].input.slice(3))).toEqual({ prompt: 'legacy job prompt', duration: 5 });
  });

  it('is sealed by the startup pass, twice at once without harm, and reads back as it was', async () => {
    await destroyUserDataKey(ctx.db, erased);
    const [first, second] = await Promise.all([sealLegacyContent(ctx), sealLegacyContent(ctx)]);
    // 1 title + 3 messages + 1 report + 1 prompt + 1 job input, each sealed exactly once.
    expect(first.rows + second.rows).toBe(7);

    const plaintext = await pool.query(
      `SELECT 'conversations' AS t, title AS v FROM conversations WHERE user_id = $1
       UNION ALL SELECT 'messages', content FROM conversation_messages
       UNION ALL SELECT 'attachments', attachments FROM conversation_messages WHERE attachments IS NOT NULL
       UNION ALL SELECT 'reports', details FROM output_reports WHERE details IS NOT NULL
       UNION ALL SELECT 'outputs', prompt FROM studio_outputs
       UNION ALL SELECT 'jobs', input FROM gateway_jobs`,
      [alice],
    );
    for (const row of plaintext.rows) expect(row.v, row.t).toMatch(/^c1\./);

    const key = await dataKeyFor(ctx, alice);
    const { conversation, messages } = await readConversation(ctx, alice, conversationId);
    expect(conversation.title).toBe('Legacy sourdough');
    expect(messages.map((message) => message.content)).toEqual([
      { text: 'How long to KNEAD?', attachments },
      { text: 'Knead it for ten minutes.' },
      { text: 'no files', attachments: [] },
    ]);
    const found = await listConversations(ctx, alice, { q: 'knead', limit: 10 });
    expect(found.conversations.map((row) => row.id)).toEqual([conversationId]);

    const [report] = await ctx.db.select().from(outputReports).where(eq(outputReports.id, reportId));
    expect(await openReportDetails(ctx, report!)).toBe('Legacy details');
    const [output] = await ctx.db.select().from(studioOutputs).where(eq(studioOutputs.id, outputId));
    expect(openOutput(key, output!).prompt).toBe('Legacy prompt');
    const [job] = await ctx.db.select().from(gatewayJobs).where(eq(gatewayJobs.id, jobId));
    const input = openJson(
      key,
      job!.input!,
      contentField('gateway_jobs', 'input', jobId),
      z.record(z.string(), z.unknown()),
    );
    expect(input).toEqual({ prompt: 'legacy job prompt', duration: 5 });

    const studioFile = path.join(dataDir, 'studio', alice, `${outputId}-0.png`);
    expect(isSealedBytes(await readFile(studioFile))).toBe(true);
    expect(await readOutputFile(dataDir, alice, key, `${outputId}-0.png`)).toEqual(imageBytes);
    expect(isSealedBytes(await readFile(path.join(dataDir, 'outputs', jobId, '0.mp4')))).toBe(true);
    expect(await readJobOutput(dataDir, jobId, key, '0.mp4')).toEqual(videoBytes);
  });

  it("leaves an erased user's plaintext for the erasure to delete, and makes them no key", async () => {
    const { rows } = await pool.query('SELECT title FROM conversations WHERE id = $1', [
      erasedConversationId,
    ]);
    expect(rows[0].title).toBe('p0.Erased plaintext title');
    const keys = await pool.query('SELECT key_sealed, destroyed_at FROM user_data_keys WHERE user_id = $1', [
      erased,
    ]);
    expect(keys.rows).toEqual([{ key_sealed: null, destroyed_at: expect.any(Date) }]);
    // Not everything was sealed: the file pass will look again at the next start.
    expect(await readdir(dataDir)).not.toContain(FILES_SEALED_MARKER);
  });

  it('finds nothing more to do once everything that can be sealed is, and then skips the files', async () => {
    await rm(path.join(dataDir, 'studio', erased), { recursive: true });
    await pool.query('DELETE FROM conversations WHERE id = $1', [erasedConversationId]);
    expect(await sealLegacyContent(ctx)).toEqual({ rows: 0, files: 0, skipped: 0 });
    expect(await readdir(dataDir)).toContain(FILES_SEALED_MARKER);
    // A plaintext file appearing now is not looked for again: the pass ran to its end once.
    await writeFile(path.join(dataDir, 'studio', alice, `${randomUUID()}-0.png`), imageBytes);
    expect(await sealLegacyContent(ctx)).toEqual({ rows: 0, files: 0, skipped: 0 });
  });

  it('creates a data directory that does not exist yet (a configured key and database need none)', async () => {
    const fresh = path.join(dataDir, 'not-yet');
    expect(await sealLegacyContent({ ...ctx, config: { dataDir: fresh } })).toEqual({
      rows: 0,
      files: 0,
      skipped: 0,
    });
    expect(await readdir(fresh)).toEqual([FILES_SEALED_MARKER]);
  });

  it('leaves stray entries and the files of unknown users or jobs alone, and looks again next time', async () => {
    const odd = path.join(dataDir, 'odd');
    const strays = [
      path.join(odd, 'studio', randomUUID(), `${randomUUID()}-0.png`),
      path.join(odd, 'studio', 'not-a-user', `${randomUUID()}-0.png`),
      path.join(odd, 'outputs', 'job-unknown', '0.mp4'),
    ];
    for (const file of strays) await mkdir(path.dirname(file), { recursive: true });
    await mkdir(path.join(odd, 'studio', alice, 'nested'), { recursive: true });
    await writeFile(path.join(odd, 'studio', 'notes.txt'), 'not a folder');
    for (const file of strays) await writeFile(file, imageBytes);
    expect(await sealLegacyContent({ ...ctx, config: { dataDir: odd } })).toEqual({
      rows: 0,
      files: 0,
      skipped: 3,
    });
    for (const file of strays) expect(await readFile(file)).toEqual(imageBytes);
    expect(await readdir(odd)).not.toContain(FILES_SEALED_MARKER);
  });
});
