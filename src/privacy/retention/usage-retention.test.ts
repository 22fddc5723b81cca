import { describe, expect, it } from 'vitest';
import { createTestApp } from '../../../test/test-app.js';
import { newGenerationId } from '../../gateway/generation-id.js';
import { insertLedgerTestOrganisation, insertLedgerTestUser } from '../../ledger/ledger-test-fixtures.js';
import { placeLegalHold } from './legal-holds.js';
import { runRetention } from './run-retention.js';
import { usageRecordsRule } from './usage-retention.js';

const DAY = 86_400_000;
const test = await createTestApp({}, { webRoot: null });
const { pool } = test.ctx;
const rule = usageRecordsRule(2); // several batches, as a large table would take

async function sweep(): Promise<number> {
  return (await runRetention(test.ctx, [rule])).rules[0]!.affected;
}

/** A generation record with the provider that received it, made now. */
async function generation(userId: string, organisationId: string | null = null): Promise<string> {
  const now = test.clock.now;
  const id = newGenerationId(now.getTime());
  await pool.query(
    `INSERT INTO generations (id, user_id, organisation_id, kind, protocol, requested_model, model, status,
                              latency_ms, created_at, finished_at)
     VALUES ($1, $2, $3, 'chat', 'openai', 'gpt-4o', 'gpt-4o', 'succeeded', 800, $4, $4)`,
    [id, userId, organisationId, now],
  );
  await pool.query(
    `INSERT INTO generation_recipients (generation_id, deployment_id, provider, region, transfer_safeguard,
                                        zero_retention, sent_at)
     VALUES ($1, 'openai-eu', 'openai', 'eu', 'adequacy', true, $2)`,
    [id, now],
  );
  return id;
}

/** A long generation made now; `files` says whether its outputs are still stored. */
async function job(userId: string, options: { status?: string; files?: boolean } = {}): Promise<string> {
  const now = test.clock.now;
  const id = `job-${newGenerationId(now.getTime()).slice(4)}`;
  const outputs = options.files
    ? JSON.stringify([{ file: '0.mp4', mediaType: 'video/mp4', bytes: 10 }])
    : null;
  await pool.query(
    `INSERT INTO gateway_jobs (id, generation_id, user_id, requested_model, status, routing, hold_id, hold_amount,
                               outputs, created_at)
     VALUES ($1, $2, $3, 'veo', $4, '{"models":["veo"]}', 1, 1000000, $5, $6)`,
    [id, `gen-${id.slice(4)}`, userId, options.status ?? 'failed', outputs, now],
  );
  return id;
}

const sorted = (ids: string[]) => [...ids].sort();

async function remaining(table: string, column: string, ids: string[]): Promise<string[]> {
  const { rows } = await pool.query<{ id: string }>(
    `SELECT ${column} AS id FROM ${table} WHERE ${column} = ANY($1::text[])`,
    [ids],
  );
  return sorted(rows.map((row) => row.id));
}

describe('usage records past their period', () => {
  it('deletes old generations, their recipients and finished jobs, and keeps what must stay', async () => {
    const user = await insertLedgerTestUser(test.ctx.db);
    const heldUser = await insertLedgerTestUser(test.ctx.db);
    const heldOrganisation = await insertLedgerTestOrganisation(test.ctx.db, user);
    const officer = await insertLedgerTestUser(test.ctx.db);

    const oldGenerations = [await generation(user), await generation(user), await generation(user)];
    const reported = await generation(user);
    await pool.query(
      `INSERT INTO output_reports (user_id, generation_id, reason, status) VALUES ($1, $2, 'harmful', 'open')`,
      [user, reported],
    );
    const heldGenerations = [await generation(heldUser), await generation(user, heldOrganisation)];
    const oldJobs = [await job(user), await job(user, { status: 'cancelled' }), await job(user)];
    const keptJobs = [
      await job(user, { files: true }),
      await job(user, { status: 'running' }),
      await job(heldUser),
    ];
    const shown = await job(user, { status: 'succeeded' });
    await pool.query(
      `INSERT INTO studio_outputs (user_id, kind, model, prompt, job_id) VALUES ($1, 'video', 'veo', 'x', $2)`,
      [user, shown],
    );
    keptJobs.push(shown);
    for (const [scope, subjectId] of [
      ['user', heldUser],
      ['organisation', heldOrganisation],
    ] as const) {
      await placeLegalHold(test.ctx.db, {
        scope,
        subjectId,
        reason: 'Dispute',
        ownerId: officer,
        now: test.clock.now,
      });
    }

    test.clock.advance(1827 * DAY - DAY);
    const early = await generation(user);
    expect(await sweep()).toBe(0);

    test.clock.advance(2 * DAY);
    const recentGeneration = await generation(user);
    const recentJob = await job(user);
    expect(await sweep()).toBe(oldGenerations.length + oldJobs.length);

    const allGenerations = [...oldGenerations, reported, ...heldGenerations, early, recentGeneration];
    expect(await remaining('generations', 'id', allGenerations)).toEqual(
      sorted([reported, ...heldGenerations, early, recentGeneration]),
    );
    expect(await remaining('generation_recipients', 'generation_id', allGenerations)).toEqual(
      sorted([reported, ...heldGenerations, early, recentGeneration]),
    );
    expect(await remaining('gateway_jobs', 'id', [...oldJobs, ...keptJobs, recentJob])).toEqual(
      sorted([...keptJobs, recentJob]),
    );
    expect(await sweep()).toBe(0);
  });
});
