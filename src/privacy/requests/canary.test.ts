/**
 * The acceptance test of issue 7's data subject requests. A user writes one unique canary string
 * into a chat title, a chat prompt, an attached file, a studio prompt, a long generation's prompt,
 * an output report's details, a support ticket's subject and message (which a staff member answers,
 * quoting it) and their display name. Their export holds every category of the data map that has data of
 * theirs, each file valid against the archive's schema.json, with the canary in it. After their
 * erasure, neither a dump of the whole database nor a byte search of the whole data directory
 * finds the canary; the billing records stay, pseudonymised, and the ledger still checks out.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { eq } from 'drizzle-orm';
import { strFromU8, unzipSync } from 'fflate';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createStudioGatewayApp,
  fundedSignedInUser,
  requestAs,
  type StudioGatewayApp,
} from '../../../test/studio-gateway-app.js';
import { postTurn } from '../../../test/studio-test-app.js';
import { logInAs, type SignedInUser } from '../../../test/test-app.js';
import { createApiKey } from '../../accounts/api-keys.js';
import { createStaffUser } from '../../console/create-staff.js';
import {
  gatewayJobs,
  generations,
  ledgerAccounts,
  privacyRequests,
  userDataKeys,
  users,
} from '../../db/schema/index.js';
import { buildDataExport } from '../../jobs/definitions/build-data-export.js';
import { eraseUserData } from '../../jobs/definitions/erase-user-data.js';
import { checkLedger } from '../../ledger/check-ledger.js';
import { type FakeReplicate, startFakeReplicate } from '../../providers/replicate/fake-replicate.js';
import { DATA_TABLES } from '../datamap.js';
import { EXPORTED_CATEGORIES } from './export-schema.js';

const run = promisify(execFile);
const CANARY = `canary-${randomBytes(12).toString('hex')}`;

let gateway: StudioGatewayApp;
let replicate: FakeReplicate;
let user: SignedInUser;

beforeAll(async () => {
  replicate = await startFakeReplicate();
  replicate.readsToFinish = 1;
  gateway = await createStudioGatewayApp({
    REPLICATE_API_TOKEN: 'r8_test',
    REPLICATE_BASE_URL: replicate.baseUrl,
    GATEWAY_JOB_POLL_MS: '10',
  });
  user = await fundedSignedInUser(gateway, 5_000_000n);
});
afterAll(async () => {
  await gateway.jobs.idle();
  await gateway.close();
  await replicate.close();
});

const call = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
  requestAs(gateway, user, method, url, payload);

/** Every table's rows as PostgreSQL prints them: pg_dump when it can read this server, else one SELECT per table. */
async function dumpDatabase(pool: pg.Pool): Promise<{ dump: string; how: string }> {
  const url = pool.options.connectionString!;
  const serverMajor = Math.floor(
    Number(
      (await pool.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0]!.v,
    ) / 10_000,
  );
  try {
    const version = (await run('pg_dump', ['--version'])).stdout;
    const dumpMajor = Number(/(\d+)\.\d+/.exec(version)?.[1]);
    // pg_dump refuses servers newer than itself (the embedded PostgreSQL may be).
    if (dumpMajor >= serverMajor) {
      const { stdout } = await run('pg_dump', ['--no-owner', url], { maxBuffer: 512 * 1024 * 1024 });
      return { dump: stdout, how: 'pg_dump' };
    }
  } catch {
    // No pg_dump on this machine: the SELECTs below read the same rows.
  }
  const tables = await pool.query<{ schemaname: string; tablename: string }>(
    "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN ('pg_catalog', 'information_schema')",
  );
  const parts: string[] = [];
  for (const { schemaname, tablename } of tables.rows) {
    const rows = await pool.query<{ row: string }>(
      `SELECT t::text AS row FROM "${schemaname}"."${tablename}" t`,
    );
    parts.push(`-- ${schemaname}.${tablename}`, ...rows.rows.map((row) => row.row));
  }
  return { dump: parts.join('\n'), how: 'SELECT of every table' };
}

/** Every file under `directory` whose bytes contain `needle`. */
async function filesContaining(directory: string, needle: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(directory, { recursive: true })) {
    const file = path.join(directory, entry);
    if (!(await stat(file)).isFile()) continue;
    if ((await readFile(file)).includes(Buffer.from(needle))) found.push(file);
  }
  return found;
}

async function rowsOfUser(): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const map of DATA_TABLES) {
    if (map.userRows === null) continue;
    const { rows } = await gateway.ctx.pool.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM "${map.table}" WHERE (${map.userRows})`,
      [user.userId],
    );
    counts.set(map.table, rows[0]!.n);
  }
  return counts;
}

describe('a canary written everywhere a user can write', () => {
  let generationCount = 0;
  let walletTransfers = 0;

  it('is written into the chat, an attachment, the studio, a job, a report, a support ticket and the display name', async () => {
    expect((await call('PATCH', '/api/account/profile', { displayName: `Ann ${CANARY}` })).statusCode).toBe(
      200,
    );
    const conversation = await call('POST', '/api/conversations', { title: `Trip ${CANARY}` });
    expect(conversation.statusCode, conversation.body).toBe(201);
    const turn = await postTurn(gateway.url, user, (conversation.json() as { id: string }).id, {
      model: 'openai/gpt-4o-mini',
      parentId: null,
      content: {
        text: `Plan my trip, ${CANARY}`,
        attachments: [{ kind: 'file', name: 'notes.txt', mediaType: 'text/plain', text: `notes ${CANARY}` }],
      },
    });
    expect(turn.status, turn.body).toBe(200);
    const image = await call('POST', '/api/studio/images', {
      model: 'openai/gpt-image-1',
      prompt: `A lighthouse, ${CANARY}`,
      n: 1,
    });
    expect(image.statusCode, image.body).toBe(201);
    const job = await call('POST', '/api/studio/jobs', {
      model: 'replicate/video-01',
      input: { prompt: `A kite, ${CANARY}` },
    });
    expect(job.statusCode, job.body).toBe(202);
    await gateway.jobs.idle();
    const report = await call('POST', '/api/reports', {
      generationId: (image.json() as { generationId: string }).generationId,
      reason: 'other',
      details: `Looks wrong, ${CANARY}`,
    });
    expect(report.statusCode, report.body).toBe(201);
    const ticket = await call('POST', '/api/support/tickets', {
      subject: `Help ${CANARY}`,
      category: 'technical',
      message: `My lighthouse, ${CANARY}`,
    });
    expect(ticket.statusCode, ticket.body).toBe(201);
    // The staff's answer is sealed with the user's key too: the erasure shreds it with theirs.
    await createStaffUser(gateway.ctx, {
      email: 'helpdesk@example.com',
      password: 'a patient support agent',
      role: 'support',
    });
    const agent = await logInAs(gateway, 'helpdesk@example.com', 'a patient support agent');
    const answer = await requestAs(
      gateway,
      agent,
      'POST',
      `/api/console/support/tickets/${(ticket.json() as { ticket: { id: string } }).ticket.id}/messages`,
      { body: `About "${CANARY}": fixed.` },
    );
    expect(answer.statusCode, answer.body).toBe(201);
    // An API key in use: its generation keeps pointing at it until the erasure deletes the key.
    const { key } = await createApiKey(
      gateway.ctx.db,
      { userId: user.userId, name: 'cli' },
      null,
      gateway.ctx.now(),
    );
    const completion = await gateway.app.inject({
      method: 'POST',
      url: '/v1/chat/completions',
      headers: { authorization: `Bearer ${key}` },
      payload: { model: 'openai/gpt-4o-mini', messages: [{ role: 'user', content: 'hello' }] },
    });
    expect(completion.statusCode, completion.body).toBe(200);
    await gateway.ctx.gateway.settlements.drain();

    generationCount = (
      await gateway.ctx.db.select().from(generations).where(eq(generations.userId, user.userId))
    ).length;
    expect(generationCount).toBe(4);
    walletTransfers = (await rowsOfUser()).get('ledger_transfers')!;
    expect(walletTransfers).toBeGreaterThan(1);
    // The dump can see a canary: the display name is plain text in the user row.
    expect((await dumpDatabase(gateway.ctx.pool)).dump).toContain(CANARY);
  });

  it('is in the export, whose files cover every category with data and match schema.json', async () => {
    const created = await call('POST', '/api/privacy/requests', { type: 'access', password: user.password });
    expect(created.statusCode, created.body).toBe(201);
    const requestId = (created.json() as { request: { id: string } }).request.id;
    await buildDataExport.handler(gateway.ctx);
    const download = await call('GET', `/api/privacy/requests/${requestId}/export`);
    expect(download.statusCode, download.body).toBe(200);
    expect(download.headers['content-type']).toBe('application/zip');

    const archive = unzipSync(new Uint8Array(download.rawPayload));
    const names = Object.keys(archive);
    const counts = await rowsOfUser();
    const withData = EXPORTED_CATEGORIES.filter((category) =>
      DATA_TABLES.some((map) => map.category === category.id && (counts.get(map.table) ?? 0) > 0),
    ).map((category) => `${category.id}.json`);
    expect(names.filter((name) => name.endsWith('.json') && name !== 'schema.json').sort()).toEqual(
      withData.sort(),
    );
    expect(names).toEqual(expect.arrayContaining(['README.md', 'schema.json']));

    const ajv = new Ajv2020({ allErrors: true, strict: false });
    addFormats.default(ajv);
    const schemas = JSON.parse(strFromU8(archive['schema.json']!)) as { files: Record<string, object> };
    for (const name of withData) {
      const validate = ajv.compile(schemas.files[name]!);
      const valid = validate(JSON.parse(strFromU8(archive[name]!)));
      expect(valid, `${name}: ${JSON.stringify(validate.errors)}`).toBe(true);
    }

    const content = strFromU8(archive['content.json']!);
    for (const written of [
      `Trip ${CANARY}`,
      `Plan my trip, ${CANARY}`,
      `notes ${CANARY}`,
      `A lighthouse, ${CANARY}`,
    ]) {
      expect(content).toContain(written);
    }
    const reports = strFromU8(archive['reports.json']!);
    for (const written of [
      `Looks wrong, ${CANARY}`,
      `Help ${CANARY}`,
      `My lighthouse, ${CANARY}`,
      `fixed.`,
    ]) {
      expect(reports).toContain(written);
    }
    expect(strFromU8(archive['account.json']!)).toContain(`Ann ${CANARY}`);
    // The generated files, opened: a studio image and the job's video.
    expect(names.some((name) => /^files\/studio\/[^/]+\.png$/.test(name))).toBe(true);
    expect(names.some((name) => /^files\/outputs\/job-[^/]+\/[^/]+$/.test(name))).toBe(true);
    // Secrets are never handed out.
    const everything = names.map((name) => strFromU8(archive[name]!, true)).join('\n');
    expect(everything).not.toMatch(/password_hash|totp_secret|key_hash|token_hash|\$argon2/);
  });

  it('is found nowhere after the erasure, while the pseudonymised billing records stay consistent', async () => {
    // A long generation still running when the erasure comes: cancelled, nothing charged.
    replicate.readsToFinish = 1_000_000;
    const slow = await call('POST', '/api/studio/jobs', {
      model: 'replicate/video-01',
      input: { prompt: `Slow ${CANARY}` },
    });
    expect(slow.statusCode, slow.body).toBe(202);
    const slowJobId = (slow.json() as { jobId: string }).jobId;
    const before = await rowsOfUser();
    const created = await call('POST', '/api/privacy/requests', { type: 'erasure', password: user.password });
    expect(created.statusCode, created.body).toBe(201);
    // The erasure ended the session it was asked from.
    expect((await call('GET', '/api/privacy/requests')).statusCode).toBe(401);
    await eraseUserData.handler(gateway.ctx);
    await gateway.jobs.idle();
    const [job] = await gateway.ctx.db.select().from(gatewayJobs).where(eq(gatewayJobs.id, slowJobId));
    expect(job).toMatchObject({ status: 'cancelled', cost: 0n, input: null });

    const [request] = await gateway.ctx.db
      .select()
      .from(privacyRequests)
      .where(eq(privacyRequests.id, (created.json() as { request: { id: string } }).request.id));
    expect(request).toMatchObject({ status: 'completed', blockedReason: null });

    const { dump, how } = await dumpDatabase(gateway.ctx.pool);
    expect(dump.length, how).toBeGreaterThan(10_000);
    expect(dump.includes(CANARY), `the canary is in the database (${how})`).toBe(false);
    expect(dump.includes(user.email), `the e-mail address is in the database (${how})`).toBe(false);
    expect(await filesContaining(gateway.dataDir, CANARY)).toEqual([]);
    for (const folder of ['studio', 'outputs', 'exports']) {
      const left = await readdir(path.join(gateway.dataDir, folder)).catch(() => []);
      expect(left, folder).toEqual([]);
    }

    const after = await rowsOfUser();
    for (const table of [
      'conversations',
      'conversation_messages',
      'studio_outputs',
      'output_reports',
      'support_tickets',
      'support_messages',
      'api_keys',
    ]) {
      expect(after.get(table), table).toBe(0);
    }
    expect(after.get('ledger_transfers')).toBe(walletTransfers);
    expect(after.get('ledger_accounts')).toBe(1);
    const kept = await gateway.ctx.db.select().from(generations).where(eq(generations.userId, user.userId));
    // The cancelled job's generation record joined them, at no cost.
    expect(kept.length).toBeGreaterThanOrEqual(generationCount);
    expect(kept.every((generation) => generation.apiKeyId === null)).toBe(true);
    expect(after.get('generation_recipients')).toBeGreaterThanOrEqual(before.get('generation_recipients')!);
    expect(after.get('security_events')).toBeGreaterThanOrEqual(before.get('security_events')!);

    const [pseudonym] = await gateway.ctx.db.select().from(users).where(eq(users.id, user.userId));
    expect(pseudonym).toMatchObject({
      email: `erased+${user.userId}@invalid`,
      username: `erased-${user.userId.replaceAll('-', '')}`,
      displayName: null,
      status: 'erased',
      staffRole: null,
    });
    const [key] = await gateway.ctx.db
      .select()
      .from(userDataKeys)
      .where(eq(userDataKeys.userId, user.userId));
    expect(key).toMatchObject({ keySealed: null });
    const [wallet] = await gateway.ctx.db
      .select()
      .from(ledgerAccounts)
      .where(eq(ledgerAccounts.userId, user.userId));
    expect(wallet!.balance).toBeGreaterThan(0n);
    const ledger = await checkLedger(gateway.ctx.db);
    expect(ledger.problems).toEqual([]);

    // The receipt went to the address the account had, with the PDF.
    const receipt = gateway.mailbox.messages.find((message) => message.subject === 'Your account was erased');
    expect(receipt?.to).toBe(user.email);
    expect(receipt?.attachments?.[0]?.content.subarray(0, 5).toString('latin1')).toBe('%PDF-');
  });
});
