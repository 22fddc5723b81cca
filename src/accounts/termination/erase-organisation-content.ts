/**
 * When a closed organisation's grace period ends, what belongs to the organisation rather than to
 * one of its members is deleted: its memberships (roles, spend limits and their counters), its
 * invitations (the invitees' addresses), and the inputs, outputs and webhook settings of the long
 * generations made for it. Its wallet, ledger and usage records stay for the billing records, under
 * a neutral name. Rows change in one transaction; the files and the owner's receipt follow.
 * Members' own accounts, and the revoked keys in them, are untouched: they are theirs.
 */
import { sql } from 'drizzle-orm';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import { deleteJobOutputs } from '../../gateway/jobs/job-outputs.js';
import type { RetentionContext } from '../../privacy/retention/retention-rules.js';
import { type OrganisationErasureCounts, organisationErasedMail } from './termination-mails.js';

interface ErasedOrganisation {
  id: string;
  formerName: string;
  newName: string;
  ownerEmail: string | null;
  counts: OrganisationErasureCounts;
  jobFolders: string[];
}

export async function eraseClosedOrganisations(context: RetentionContext, cutoff: Date): Promise<number> {
  const { app, pool, holds, now } = context;
  if (!app) return 0;
  const due = await pool.query<{ id: string }>(
    `SELECT id FROM organisations
      WHERE status = 'closed' AND closed_at < $1 AND content_erased_at IS NULL
        AND NOT (id::text = ANY($2::text[]))
      ORDER BY closed_at`,
    [cutoff, holds.organisationIds],
  );
  let erased = 0;
  for (const { id } of due.rows) {
    const organisation = await eraseOrganisationRows(app.db, id, now);
    if (!organisation) continue;
    erased += 1;
    for (const jobId of organisation.jobFolders) await deleteJobOutputs(app.config.dataDir, jobId);
    if (organisation.ownerEmail) {
      // The rows are gone whatever happens to the mail; the security log records what was done.
      await app.mailer
        .send(organisationErasedMail(app, organisation.ownerEmail, organisation, organisation.counts))
        .catch(() => {});
    }
  }
  return erased;
}

async function eraseOrganisationRows(
  db: NonNullable<RetentionContext['app']>['db'],
  organisationId: string,
  now: Date,
): Promise<ErasedOrganisation | null> {
  return db.transaction(async (tx) => {
    const locked = await tx.execute<{ name: string }>(sql`
      SELECT name FROM organisations
       WHERE id = ${organisationId} AND status = 'closed' AND content_erased_at IS NULL
       FOR UPDATE`);
    const formerName = locked.rows[0]?.name;
    if (formerName === undefined) return null; // reopened, or erased by another run meanwhile
    const owner = await tx.execute<{ email: string }>(sql`
      SELECT u.email FROM organisation_members m JOIN users u ON u.id = m.user_id
       WHERE m.organisation_id = ${organisationId} AND m.role = 'owner' AND u.status <> 'erased'`);
    const invitations = await tx.execute(
      sql`DELETE FROM organisation_invitations WHERE organisation_id = ${organisationId}`,
    );
    // A counter still holding credit belongs to a request in flight; it settles first.
    const spendCounters = await tx.execute(sql`
      DELETE FROM ledger_spend_counters
       WHERE scope LIKE ${`member:${organisationId}:%`} AND held = 0`);
    const members = await tx.execute(
      sql`DELETE FROM organisation_members WHERE organisation_id = ${organisationId}`,
    );
    const jobs = await tx.execute<{ id: string; had_files: boolean }>(sql`
      WITH before AS (
        SELECT id, coalesce(jsonb_array_length(outputs), 0) > 0 AS had_files FROM gateway_jobs
         WHERE organisation_id = ${organisationId} AND status NOT IN ('queued', 'running')
           AND (input IS NOT NULL OR outputs IS NOT NULL OR error_message IS NOT NULL
                OR webhook_url IS NOT NULL OR webhook_secret IS NOT NULL)
         FOR UPDATE)
      UPDATE gateway_jobs j
         SET input = NULL, outputs = NULL, error_message = NULL, webhook_url = NULL, webhook_secret = NULL
        FROM before WHERE j.id = before.id
      RETURNING j.id, before.had_files`);
    const newName = `Closed organisation ${organisationId.slice(0, 8)}`;
    await tx.execute(sql`
      UPDATE organisations SET name = ${newName}, content_erased_at = ${now} WHERE id = ${organisationId}`);
    const jobFolders = jobs.rows.filter((job) => job.had_files).map((job) => job.id);
    const counts: OrganisationErasureCounts = {
      invitations: invitations.rowCount ?? 0,
      members: members.rowCount ?? 0,
      spendCounters: spendCounters.rowCount ?? 0,
      jobsCleared: jobs.rows.length,
      jobFolders: jobFolders.length,
    };
    await recordSecurityEvent(tx, {
      type: 'organisation_content_erased',
      occurredAt: now,
      details: { organisationId, ...counts },
    });
    return {
      id: organisationId,
      formerName,
      newName,
      ownerEmail: owner.rows[0]?.email ?? null,
      counts,
      jobFolders,
    };
  });
}
