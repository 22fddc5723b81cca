import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp, logInAs, type SignedInUser, signUpAndLogIn } from '../../../test/test-app.js';
import { createStaffUser } from '../../console/create-staff.js';
import type { StaffRole } from '../../console/staff-roles.js';
import { securityEvents } from '../../db/schema/index.js';
import { incidentDeadlineReminder } from '../../jobs/definitions/incident-deadline-reminder.js';

const HOUR = 3_600_000;
const test = await createTestApp({}, { webRoot: null });
const PASSWORD = 'correct horse battery staple';

async function staff(role: StaffRole): Promise<SignedInUser> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  await createStaffUser(test.ctx, { email, password: PASSWORD, role });
  return logInAs(test, email, PASSWORD);
}

const breach = {
  title: 'Backup bucket readable from the internet',
  description: 'The nightly database dump was public for two days; access logs show two downloads.',
  severity: 'high',
  personalDataBreach: true,
  dataCategories: ['account', 'billing'],
  approximateSubjects: 1200,
};

interface IncidentJson {
  id: string;
  status: string;
  awareAt: string;
  notifyAuthority: boolean | null;
  notificationDeadline: string;
  hoursLeft: number | null;
  overdue: boolean;
  closedAt: string | null;
}

async function record(officer: SignedInUser, payload: object) {
  return test.app.inject({
    method: 'POST',
    url: '/api/console/incidents',
    headers: officer.headers,
    payload,
  });
}

async function update(officer: SignedInUser, id: string, payload: object) {
  return test.app.inject({
    method: 'PATCH',
    url: `/api/console/incidents/${id}`,
    headers: officer.headers,
    payload,
  });
}

async function recorded(officer: SignedInUser, payload: object): Promise<IncidentJson> {
  const response = await record(officer, payload);
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ incident: IncidentJson }>().incident;
}

describe('the incident register', () => {
  it('is for admin and privacy staff only', async () => {
    const user = await signUpAndLogIn(test);
    const support = await staff('support');
    const billing = await staff('billing');
    for (const someone of [user, support, billing]) {
      expect((await record(someone, breach)).statusCode).toBe(403);
      const list = await test.app.inject({
        method: 'GET',
        url: '/api/console/incidents',
        headers: someone.headers,
      });
      expect(list.statusCode).toBe(403);
    }
    expect((await record(await staff('admin'), breach)).statusCode).toBe(201);
    expect((await record(await staff('privacy'), breach)).statusCode).toBe(201);
  });

  it('records an incident with the 72-hour clock started now, and logs it without its text', async () => {
    const officer = await staff('privacy');
    const incident = await recorded(officer, breach);
    expect(incident).toMatchObject({ status: 'open', notifyAuthority: null, overdue: false, hoursLeft: 72 });
    expect(incident.awareAt).toBe(test.clock.now.toISOString());
    expect(new Date(incident.notificationDeadline).getTime()).toBe(test.clock.now.getTime() + 72 * HOUR);

    const events = await test.ctx.pool.query<{ actor_id: string; details: Record<string, unknown> }>(
      `SELECT actor_id, details FROM security_events WHERE type = 'incident_recorded' AND details->>'incidentId' = $1`,
      [incident.id],
    );
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0]!.actor_id).toBe(officer.userId);
    const logged = JSON.stringify(events.rows[0]!.details);
    expect(logged).not.toContain('bucket');
    expect(logged).not.toContain('downloads');
  });

  it('validates the facts: categories from the data map, no awareness in the future', async () => {
    const officer = await staff('admin');
    const unknownCategory = await record(officer, { ...breach, dataCategories: ['account', 'shoe_sizes'] });
    expect(unknownCategory.statusCode).toBe(400);
    expect(unknownCategory.body).toContain('dataCategories');
    expect((await record(officer, { ...breach, severity: 'catastrophic' })).statusCode).toBe(400);
    expect((await record(officer, { ...breach, title: '' })).statusCode).toBe(400);
    expect((await record(officer, { ...breach, reportedBy: officer.userId })).statusCode).toBe(400);

    const future = await record(officer, {
      ...breach,
      awareAt: new Date(test.clock.now.getTime() + HOUR).toISOString(),
    });
    expect(future.statusCode).toBe(422);
    expect(future.json()).toMatchObject({ error: { message: 'awareAt cannot be in the future' } });
    const impossible = await record(officer, {
      ...breach,
      awareAt: new Date(test.clock.now.getTime() - 2 * HOUR).toISOString(),
      occurredAt: new Date(test.clock.now.getTime() - HOUR).toISOString(),
    });
    expect(impossible.statusCode).toBe(422);
  });

  it('asks for the reasons of a notification later than 72 hours', async () => {
    const officer = await staff('privacy');
    const awareAt = new Date(test.clock.now.getTime() - 80 * HOUR);
    const incident = await recorded(officer, { ...breach, awareAt: awareAt.toISOString() });
    expect(incident.overdue).toBe(true);
    expect(incident.hoursLeft).toBe(-8);

    const notifiedAt = test.clock.now.toISOString();
    const late = await update(officer, incident.id, {
      authorityNotifiedAt: notifiedAt,
      authorityReference: 'DPA-2025-118',
    });
    expect(late.statusCode).toBe(422);
    expect(late.json<{ error: { message: string } }>().error.message).toContain(
      'notified 80 hours after awareAt, later than the 72 hours of GDPR Art. 33(1): state the reasons for the delay in delayReason',
    );
    const explained = await update(officer, incident.id, {
      authorityNotifiedAt: notifiedAt,
      delayReason: 'The scope was unknown until the forensic report of day 3.',
    });
    expect(explained.statusCode, explained.body).toBe(200);
    expect(explained.json<{ incident: IncidentJson }>().incident).toMatchObject({
      notifyAuthority: true,
      hoursLeft: null,
      overdue: false,
    });
    // Within 72 hours no reason is needed.
    const timely = await recorded(officer, {
      ...breach,
      awareAt: new Date(test.clock.now.getTime() - 10 * HOUR).toISOString(),
    });
    expect(
      (await update(officer, timely.id, { authorityNotifiedAt: test.clock.now.toISOString() })).statusCode,
    ).toBe(200);
    // Notifying contradicts a decision not to.
    const contradiction = await update(officer, timely.id, { notifyAuthority: false });
    expect(contradiction.statusCode).toBe(422);
  });

  it('closes a breach only once the notification is decided, and only forward', async () => {
    const officer = await staff('privacy');
    const incident = await recorded(officer, breach);
    expect((await update(officer, incident.id, { status: 'contained' })).statusCode).toBe(200);
    const early = await update(officer, incident.id, { status: 'closed' });
    expect(early.statusCode).toBe(422);
    expect(early.body).toContain('can be closed only once the authority was notified');
    // A decision not to notify needs its reason.
    expect(
      (await update(officer, incident.id, { status: 'closed', notifyAuthority: false })).statusCode,
    ).toBe(422);
    const closed = await update(officer, incident.id, {
      status: 'closed',
      notifyAuthority: false,
      noNotificationReason: 'The dump was encrypted and the key was not exposed (Art. 34(3)(a)).',
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json<{ incident: IncidentJson }>().incident.closedAt).toBe(test.clock.now.toISOString());
    expect((await update(officer, incident.id, { status: 'open' })).statusCode).toBe(422);

    // An incident without personal data closes without a notification decision.
    const outage = await recorded(officer, { ...breach, personalDataBreach: false, dataCategories: [] });
    expect((await update(officer, outage.id, { status: 'closed' })).statusCode).toBe(200);
    expect((await update(officer, randomUUID(), { status: 'closed' })).statusCode).toBe(404);
    expect((await update(officer, outage.id, {})).statusCode).toBe(400);

    const events = await test.ctx.pool.query<{ details: { fields: string[] } }>(
      `SELECT details FROM security_events WHERE type = 'incident_updated' AND details->>'incidentId' = $1 ORDER BY id`,
      [incident.id],
    );
    expect(events.rows.map((row) => row.details.fields)).toEqual([
      ['status'],
      ['status', 'notifyAuthority', 'noNotificationReason'],
    ]);
    expect(JSON.stringify(events.rows)).not.toContain('encrypted');
  });

  it('lists incidents newest first, filtered by status, with the overdue ones marked', async () => {
    const officer = await staff('admin');
    const older = await recorded(officer, {
      ...breach,
      awareAt: new Date(test.clock.now.getTime() - 100 * HOUR).toISOString(),
    });
    const newer = await recorded(officer, {
      ...breach,
      awareAt: new Date(test.clock.now.getTime() - HOUR).toISOString(),
    });
    const list = await test.app.inject({
      method: 'GET',
      url: '/api/console/incidents?status=open',
      headers: officer.headers,
    });
    expect(list.statusCode).toBe(200);
    const incidents = list.json<{ incidents: IncidentJson[] }>().incidents;
    expect(incidents.every((incident) => incident.status === 'open')).toBe(true);
    const ids = incidents.map((incident) => incident.id);
    expect(ids.indexOf(newer.id)).toBeLessThan(ids.indexOf(older.id));
    expect(incidents.find((incident) => incident.id === older.id)).toMatchObject({
      overdue: true,
      hoursLeft: -28,
    });
    expect(incidents.find((incident) => incident.id === newer.id)).toMatchObject({
      overdue: false,
      hoursLeft: 71,
    });

    test.clock.advance(72 * HOUR);
    const one = await test.app.inject({
      method: 'GET',
      url: `/api/console/incidents/${newer.id}`,
      headers: await staffHeaders(),
    });
    expect(one.json<{ incident: IncidentJson }>().incident).toMatchObject({ overdue: true, hoursLeft: -1 });
    const closedOnly = await test.app.inject({
      method: 'GET',
      url: '/api/console/incidents?status=closed',
      headers: await staffHeaders(),
    });
    expect(
      closedOnly.json<{ incidents: IncidentJson[] }>().incidents.map((incident) => incident.id),
    ).not.toContain(newer.id);
    expect(
      (
        await test.app.inject({
          method: 'GET',
          url: '/api/console/incidents?status=lost',
          headers: await staffHeaders(),
        })
      ).statusCode,
    ).toBe(400);
  });
});

async function staffHeaders() {
  return (await staff('privacy')).headers;
}

describe('the incident deadline reminder', () => {
  it('mails incident staff once when a deadline is a day away and once when it passed', async () => {
    const reminderTest = await createTestApp({}, { webRoot: null });
    const email = `dpo-${randomUUID().slice(0, 8)}@example.com`;
    await createStaffUser(reminderTest.ctx, { email, password: PASSWORD, role: 'privacy' });
    const supportEmail = `support-${randomUUID().slice(0, 8)}@example.com`;
    await createStaffUser(reminderTest.ctx, { email: supportEmail, password: PASSWORD, role: 'support' });
    const officer = await logInAs(reminderTest, email, PASSWORD);
    const created = await reminderTest.app.inject({
      method: 'POST',
      url: '/api/console/incidents',
      headers: officer.headers,
      payload: breach,
    });
    const { id } = created.json<{ incident: IncidentJson }>().incident;
    await reminderTest.app.inject({
      method: 'POST',
      url: '/api/console/incidents',
      headers: officer.headers,
      payload: { ...breach, personalDataBreach: false, title: 'Outage without personal data' },
    });
    const reminders = () =>
      reminderTest.mailbox.messages.filter((message) => message.subject.includes('Breach notification'));

    await incidentDeadlineReminder.handler(reminderTest.ctx);
    expect(reminders()).toHaveLength(0);

    reminderTest.clock.advance(49 * HOUR);
    await incidentDeadlineReminder.handler(reminderTest.ctx);
    await incidentDeadlineReminder.handler(reminderTest.ctx);
    expect(reminders().map((message) => [message.to, message.subject])).toEqual([
      [email, `Breach notification due within 24 hours: ${breach.title}`],
    ]);
    expect(reminders()[0]!.text).toContain('23 hours left');

    reminderTest.clock.advance(24 * HOUR);
    await incidentDeadlineReminder.handler(reminderTest.ctx);
    await incidentDeadlineReminder.handler(reminderTest.ctx);
    expect(reminders()).toHaveLength(2);
    expect(reminders()[1]!.subject).toBe(`Breach notification overdue: ${breach.title}`);
    expect(reminders()[1]!.text).toContain(id);

    // A decision not to notify stops the clock: no more mail for it.
    const fresh = await logInAs(reminderTest, email, PASSWORD);
    const decided = await reminderTest.app.inject({
      method: 'PATCH',
      url: `/api/console/incidents/${id}`,
      headers: fresh.headers,
      payload: { notifyAuthority: false, noNotificationReason: 'Encrypted with a key that was not exposed.' },
    });
    expect(decided.statusCode).toBe(200);
    const second = await reminderTest.app.inject({
      method: 'POST',
      url: '/api/console/incidents',
      headers: fresh.headers,
      payload: { ...breach, awareAt: new Date(reminderTest.clock.now.getTime() - 60 * HOUR).toISOString() },
    });
    expect(second.statusCode).toBe(201);
    await incidentDeadlineReminder.handler(reminderTest.ctx);
    expect(reminders()).toHaveLength(3);
    expect(reminders()[2]!.subject).toContain('due within 24 hours');
  });
});

describe('telling organisations of a breach', () => {
  it("mails the owners and admins of the organisations named, in the staff's words, and logs only counts", async () => {
    const officer = await staff('privacy');
    const owner = await signUpAndLogIn(test);
    const bystander = await signUpAndLogIn(test);
    const organisation = async (user: SignedInUser, name: string) => {
      const response = await test.app.inject({
        method: 'POST',
        url: '/api/organisations',
        headers: user.headers,
        payload: { name, confirmAuthority: true },
      });
      expect(response.statusCode).toBe(201);
      return response.json<{ id: string }>().id;
    };
    const affected = await organisation(owner, `Affected ${randomUUID().slice(0, 6)}`);
    await organisation(bystander, `Elsewhere ${randomUUID().slice(0, 6)}`);
    const created = await record(officer, breach);
    const { id } = created.json<{ incident: IncidentJson }>().incident;
    const message = 'The nightly dump of the usage records was public for two days; no content was in it.';
    const notify = (user: SignedInUser, payload: object) =>
      test.app.inject({
        method: 'POST',
        url: `/api/console/incidents/${id}/notify-organisations`,
        headers: user.headers,
        payload,
      });

    expect((await notify(await staff('support'), { message, organisationIds: [affected] })).statusCode).toBe(
      403,
    );
    expect((await notify(officer, { message: 'too short' })).statusCode).toBe(400);
    const sent = await notify(officer, { message, organisationIds: [affected] });
    expect(sent.statusCode, sent.body).toBe(200);
    expect(sent.json()).toEqual({ organisations: 1, recipients: 1 });
    const mails = test.mailbox.messages.filter((mail) => mail.subject.startsWith('Security notice'));
    expect(mails.map((mail) => mail.to)).toEqual([owner.email]);
    expect(mails[0]!.text).toContain(message);
    expect(mails[0]!.text).toContain(id);

    const [event] = await test.ctx.db
      .select()
      .from(securityEvents)
      .where(eq(securityEvents.type, 'incident_organisations_notified'));
    expect(event!.details).toEqual({ incidentId: id, organisations: 1, recipients: 1 });

    const outage = await record(officer, { ...breach, personalDataBreach: false, title: 'Outage only' });
    const refused = await test.app.inject({
      method: 'POST',
      url: `/api/console/incidents/${outage.json<{ incident: IncidentJson }>().incident.id}/notify-organisations`,
      headers: officer.headers,
      payload: { message },
    });
    expect(refused.statusCode).toBe(422);
  });
});
