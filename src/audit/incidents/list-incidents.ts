import { desc, eq } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { incidents } from '../../db/schema/index.js';
import { MixgateError } from '../../lib/errors.js';
import { notificationClock } from './incident-clock.js';
import type { IncidentStatus } from './incident-routes.types.js';
import type { Incident } from './incident-rules.js';

export async function listIncidents(
  db: Db,
  options: { status?: IncidentStatus; limit: number },
): Promise<Incident[]> {
  return db
    .select()
    .from(incidents)
    .where(options.status ? eq(incidents.status, options.status) : undefined)
    .orderBy(desc(incidents.awareAt), desc(incidents.createdAt))
    .limit(options.limit);
}

export async function getIncident(db: Db, id: string): Promise<Incident> {
  const [incident] = await db.select().from(incidents).where(eq(incidents.id, id));
  if (!incident) throw new MixgateError('not_found', 'No incident with this id');
  return incident;
}

const iso = (date: Date | null) => date?.toISOString() ?? null;

/** An incident as the console shows it, with its 72-hour clock computed at `now`. */
export function incidentJson(incident: Incident, now: Date) {
  const clock = notificationClock(incident, now);
  return {
    id: incident.id,
    title: incident.title,
    description: incident.description,
    awareAt: incident.awareAt.toISOString(),
    occurredAt: iso(incident.occurredAt),
    severity: incident.severity,
    status: incident.status,
    personalDataBreach: incident.personalDataBreach,
    dataCategories: incident.dataCategories,
    approximateSubjects: incident.approximateSubjects,
    likelyConsequences: incident.likelyConsequences,
    measuresTaken: incident.measuresTaken,
    notifyAuthority: incident.notifyAuthority,
    noNotificationReason: incident.noNotificationReason,
    authorityNotifiedAt: iso(incident.authorityNotifiedAt),
    authorityReference: incident.authorityReference,
    delayReason: incident.delayReason,
    subjectsNotifiedAt: iso(incident.subjectsNotifiedAt),
    reportedBy: incident.reportedBy,
    closedAt: iso(incident.closedAt),
    createdAt: incident.createdAt.toISOString(),
    updatedAt: incident.updatedAt.toISOString(),
    notificationDeadline: clock.notificationDeadline.toISOString(),
    hoursLeft: clock.hoursLeft,
    overdue: clock.overdue,
  };
}
