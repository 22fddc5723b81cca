/**
 * Support tickets in the operator console: admin and support staff list, read, answer and move
 * tickets; billing staff and users are refused. Reading a ticket is recorded in the security log
 * without its content; the user's reply notice carries neither the reply nor the subject; an
 * erased owner's ticket is gone (410).
 */
import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp, logInAs, type SignedInUser, signUpAndLogIn } from '../../test/test-app.js';
import { createStaffUser } from '../console/create-staff.js';
import { securityEvents } from '../db/schema/index.js';
import { destroyUserDataKey } from '../privacy/content-keys.js';
import type { StaffTicketDetail, StaffTicketSummary } from './staff-tickets.js';
import type { TicketDetail } from './ticket-store.js';

const test = await createTestApp({}, { webRoot: null });
const PASSWORD = 'a support agent password';

async function staff(role: 'admin' | 'support' | 'billing' | 'privacy'): Promise<SignedInUser> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  await createStaffUser(test.ctx, { email, password: PASSWORD, role });
  return logInAs(test, email, PASSWORD);
}

function call(user: SignedInUser, method: 'GET' | 'POST', url: string, payload?: object) {
  return test.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
}

async function userTicket(subject: string, message: string) {
  const user = await signUpAndLogIn(test);
  const response = await call(user, 'POST', '/api/support/tickets', {
    subject,
    category: 'account',
    message,
  });
  expect(response.statusCode, response.body).toBe(201);
  return { user, ticket: (response.json() as { ticket: TicketDetail }).ticket };
}

describe('support tickets in the console', () => {
  it('lets support staff list, read, answer and close, with the user told without the content', async () => {
    const agent = await staff('support');
    const { user, ticket } = await userTicket('Locked out of my team', 'I cannot see the team page.');

    const list = await call(agent, 'GET', '/api/console/support/tickets?status=open&limit=200');
    expect(list.statusCode, list.body).toBe(200);
    const listed = (list.json() as { tickets: StaffTicketSummary[] }).tickets.find(
      (item) => item.id === ticket.id,
    );
    expect(listed).toMatchObject({
      subject: 'Locked out of my team',
      status: 'open',
      userId: user.userId,
      userEmail: user.email,
      messageCount: 1,
    });

    const read = await call(agent, 'GET', `/api/console/support/tickets/${ticket.id}`);
    expect(read.statusCode, read.body).toBe(200);
    expect((read.json() as { ticket: StaffTicketDetail }).ticket).toMatchObject({
      userId: user.userId,
      userEmail: user.email,
      assignedTo: null,
      messages: [{ fromStaff: false, body: 'I cannot see the team page.' }],
    });
    const [access] = await test.ctx.db
      .select()
      .from(securityEvents)
      .where(and(eq(securityEvents.type, 'staff_content_access'), eq(securityEvents.userId, user.userId)));
    expect(access).toMatchObject({
      actorId: agent.userId,
      details: { ticketId: ticket.id, reason: 'support ticket' },
    });
    expect(JSON.stringify(access!.details)).not.toContain('team page');

    const mailsBefore = test.mailbox.messages.length;
    const answered = await call(agent, 'POST', `/api/console/support/tickets/${ticket.id}/messages`, {
      body: 'Your role was changed back to member.',
    });
    expect(answered.statusCode, answered.body).toBe(201);
    expect((answered.json() as { ticket: StaffTicketDetail }).ticket).toMatchObject({
      status: 'answered',
      assignedTo: agent.userId,
      messageCount: 2,
    });
    const mails = test.mailbox.messages.slice(mailsBefore);
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toBe(user.email);
    expect(mails[0]!.text).toContain(`/support/${ticket.id}`);
    expect(mails[0]!.text).toContain(`opened on ${ticket.createdAt.slice(0, 10)}`);
    for (const content of ['Locked out', 'member', 'team page']) {
      expect(mails[0]!.subject + mails[0]!.text).not.toContain(content);
    }

    // The user sees the answer and the ticket waiting for them.
    const seen = (await call(user, 'GET', `/api/support/tickets/${ticket.id}`)).json() as {
      ticket: TicketDetail;
    };
    expect(seen.ticket.status).toBe('answered');
    expect(seen.ticket.messages.map((message) => [message.fromStaff, message.body])).toEqual([
      [false, 'I cannot see the team page.'],
      [true, 'Your role was changed back to member.'],
    ]);

    // A second agent's answer keeps the first as the handler.
    const admin = await staff('admin');
    const second = await call(admin, 'POST', `/api/console/support/tickets/${ticket.id}/messages`, {
      body: 'P.S.',
    });
    expect((second.json() as { ticket: StaffTicketDetail }).ticket.assignedTo).toBe(agent.userId);

    const closed = await call(admin, 'POST', `/api/console/support/tickets/${ticket.id}/status`, {
      status: 'closed',
      assignedTo: admin.userId,
    });
    expect(closed.statusCode, closed.body).toBe(200);
    expect((closed.json() as { ticket: StaffTicketDetail }).ticket).toMatchObject({
      status: 'closed',
      closedAt: test.clock.now.toISOString(),
      assignedTo: admin.userId,
    });
    const closedList = (await call(agent, 'GET', '/api/console/support/tickets?status=closed')).json() as {
      tickets: StaffTicketSummary[];
    };
    expect(closedList.tickets.map((item) => item.id)).toContain(ticket.id);
    const openList = (await call(agent, 'GET', '/api/console/support/tickets?status=open')).json() as {
      tickets: StaffTicketSummary[];
    };
    expect(openList.tickets.map((item) => item.id)).not.toContain(ticket.id);

    const reopened = await call(agent, 'POST', `/api/console/support/tickets/${ticket.id}/status`, {
      status: 'open',
      assignedTo: null,
    });
    expect((reopened.json() as { ticket: StaffTicketDetail }).ticket).toMatchObject({
      status: 'open',
      closedAt: null,
      assignedTo: null,
    });
  });

  it('refuses billing and privacy staff, users, bad input and a handler who is not support staff', async () => {
    const { user, ticket } = await userTicket('Question', 'Hello');
    for (const who of [await staff('billing'), await staff('privacy'), user]) {
      for (const [method, url, payload] of [
        ['GET', '/api/console/support/tickets', undefined],
        ['GET', `/api/console/support/tickets/${ticket.id}`, undefined],
        ['POST', `/api/console/support/tickets/${ticket.id}/messages`, { body: 'hi' }],
        ['POST', `/api/console/support/tickets/${ticket.id}/status`, { status: 'closed' }],
      ] as const) {
        expect((await call(who, method, url, payload)).statusCode, url).toBe(403);
      }
    }
    const agent = await staff('support');
    const billing = await staff('billing');
    expect((await call(agent, 'GET', '/api/console/support/tickets?status=waiting')).statusCode).toBe(400);
    expect((await call(agent, 'GET', '/api/console/support/tickets?limit=0')).statusCode).toBe(400);
    expect(
      (await call(agent, 'POST', `/api/console/support/tickets/${ticket.id}/status`, { status: 'done' }))
        .statusCode,
    ).toBe(400);
    expect(
      (
        await call(agent, 'POST', `/api/console/support/tickets/${ticket.id}/status`, {
          status: 'open',
          assignedTo: billing.userId,
        })
      ).statusCode,
    ).toBe(400);
    expect(
      (await call(agent, 'POST', `/api/console/support/tickets/${ticket.id}/messages`, { body: ' ' }))
        .statusCode,
    ).toBe(400);
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await call(agent, 'GET', `/api/console/support/tickets/${missing}`)).statusCode).toBe(404);
    expect(
      (await call(agent, 'POST', `/api/console/support/tickets/${missing}/messages`, { body: 'hi' }))
        .statusCode,
    ).toBe(404);
    expect(
      (await call(agent, 'POST', `/api/console/support/tickets/${missing}/status`, { status: 'open' }))
        .statusCode,
    ).toBe(404);
  });

  it("answers 410 for a ticket whose owner's key was destroyed, and leaves it out of the list", async () => {
    const agent = await staff('support');
    const { user, ticket } = await userTicket('Soon erased', 'Bye');
    await destroyUserDataKey(test.ctx.db, user.userId);
    expect((await call(agent, 'GET', `/api/console/support/tickets/${ticket.id}`)).statusCode).toBe(410);
    expect(
      (await call(agent, 'POST', `/api/console/support/tickets/${ticket.id}/messages`, { body: 'hi' }))
        .statusCode,
    ).toBe(410);
    const list = await call(agent, 'GET', '/api/console/support/tickets?limit=200');
    expect(list.statusCode).toBe(200);
    expect((list.json() as { tickets: StaffTicketSummary[] }).tickets.map((item) => item.id)).not.toContain(
      ticket.id,
    );
  });
});
