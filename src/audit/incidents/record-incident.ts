import { eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { incidents } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';
import { recordSecurityEvent } from '../record-security-event.js';
import type { TCreateIncidentBody, TUpdateIncidentBody } from './incident-routes.types.js';
import { checkIncidentRules, type Incident } from './incident-rules.js';

/**
 * What the security log says of an incident: ids, enums and the names of the fields changed, never
 * the free text (a description may quote personal data, and the log outlives the register entry).
 */
function logDetails(incident: Incident, fields: string[]) {
  return {
    incidentId: incident.id,
    status: incident.status,
    severity: incident.severity,
    personalDataBreach: incident.personalDataBreach,
    fields,
  };
}

export async function createIncident(
  db: Db,
  input: TCreateIncidentBody & { reportedBy: string; now: Date },
): Promise<Incident> {
  const { reportedBy, now, ...facts } = input;
  const values = {
    ...facts,
    awareAt: facts.awareAt ?? now,
    occurredAt: facts.occurredAt ?? null,
    status: 'open',
    notifyAuthority: null,
    noNotificationReason: null,
    authorityNotifiedAt: null,
    delayReason: null,
    subjectsNotifiedAt: null,
  };
  checkIncidentRules(values, null, now);
  return db.transaction(async (tx) => {
    const [incident] = await tx
      .insert(incidents)
      .values({ ...values, reportedBy, createdAt: now, updatedAt: now })
      .returning();
    await recordSecurityEvent(tx, {
      type: 'incident_recorded',
      actorId: reportedBy,
      details: logDetails(incident!, Object.keys(facts)),
      occurredAt: now,
    });
    return incident!;
  });
}

export async function updateIncident(
  db: Db,
  input: { id: string; changes: TUpdateIncidentBody; actorId: string; now: Date },
): Promise<Incident> {
  const { changes, now } = input;
  return db.transaction(async (tx) => {
    const [previous] = await tx.select().from(incidents).where(eq(incidents.id, input.id)).for('update');
    if (!previous) throw new MixgateError('not_found', 'No incident with this id');
    const next: Incident = { ...previous, ...changes, updatedAt: now };
    // Recording the notification records the decision to notify, unless staff said otherwise.
    if (next.authorityNotifiedAt && next.notifyAuthority === null) next.notifyAuthority = true;
    if (next.status === 'closed' && previous.status !== 'closed') next.closedAt = now;
    checkIncidentRules(next, previous, now);
    const { id: _id, reportedBy: _reportedBy, createdAt: _createdAt, ...stored } = next;
    const [incident] = await tx.update(incidents).set(stored).where(eq(incidents.id, input.id)).returning();
    await recordSecurityEvent(tx, {
      type: 'incident_updated',
      actorId: input.actorId,
      details: logDetails(incident!, Object.keys(changes)),
      occurredAt: now,
    });
    return incident!;
  });
}
