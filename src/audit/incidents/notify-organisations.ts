/**
 * The processor's breach notice (GDPR Art. 33(2), the DPA's section 10): a personal-data breach
 * affecting organisations' data is told to each organisation's owner and admins without undue
 * delay, in the staff's words (what happened, the data and people concerned, the likely
 * consequences, the measures taken, whom to contact). The notice is recorded in the security log
 * with its counts, never its text.
 */
import { and, eq, inArray } from 'drizzle-orm';
import { signedText } from '../../accounts/account-mails.js';
import type { AppContext } from '../../app-context.js';
import { organisationMembers, organisations, users } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';
import { recordSecurityEvent } from '../record-security-event.js';
import { getIncident } from './list-incidents.js';

export interface OrganisationNotice {
  incidentId: string;
  message: string;
  /** Only these organisations; every active one when absent. */
  organisationIds?: string[];
  staffId: string;
}

export async function notifyOrganisations(
  ctx: AppContext,
  notice: OrganisationNotice,
): Promise<{ organisations: number; recipients: number }> {
  const incident = await getIncident(ctx.db, notice.incidentId);
  if (!incident.personalDataBreach) {
    throw new MixgateError(
      'invalid_request',
      'This incident is not recorded as a personal-data breach: only breaches are notified to organisations',
      422,
      { field: 'personalDataBreach' },
    );
  }
  const rows = await ctx.db
    .select({ organisationId: organisations.id, name: organisations.name, email: users.email })
    .from(organisationMembers)
    .innerJoin(organisations, eq(organisations.id, organisationMembers.organisationId))
    .innerJoin(users, eq(users.id, organisationMembers.userId))
    .where(
      and(
        inArray(organisationMembers.role, ['owner', 'admin']),
        eq(organisations.status, 'active'),
        inArray(users.status, ['active', 'suspended']),
        notice.organisationIds ? inArray(organisations.id, notice.organisationIds) : undefined,
      ),
    );
  if (notice.organisationIds) {
    const found = new Set(rows.map((row) => row.organisationId));
    const missing = notice.organisationIds.filter((id) => !found.has(id));
    if (missing.length > 0) {
      throw new MixgateError(
        'not_found',
        `No active organisation with an owner or admin: ${missing.join(', ')}`,
      );
    }
  }
  for (const row of rows) {
    await ctx.mailer.send({
      to: row.email,
      subject: `Security notice: a personal data breach affecting ${row.name}`,
      text: signedText(ctx, [
        `We are informing you, as an owner or administrator of the organisation "${row.name}", of a personal`,
        'data breach that affects data we process on its behalf (our Data Processing Agreement, section 10):',
        '',
        notice.message,
        '',
        `We became aware of it on ${incident.awareAt.toISOString()}. Our reference: ${incident.id}.`,
        'If the breach concerns personal data you are responsible for, you may have to notify your supervisory',
        'authority within 72 hours of becoming aware of it (GDPR Art. 33). Reply to this message for any',
        `information you need; our privacy contact is ${ctx.config.OPERATOR_PRIVACY_EMAIL}.`,
      ]),
    });
  }
  const organisationCount = new Set(rows.map((row) => row.organisationId)).size;
  await recordSecurityEvent(ctx.db, {
    type: 'incident_organisations_notified',
    actorId: notice.staffId,
    details: { incidentId: incident.id, organisations: organisationCount, recipients: rows.length },
    occurredAt: ctx.now(),
  });
  return { organisations: organisationCount, recipients: rows.length };
}
