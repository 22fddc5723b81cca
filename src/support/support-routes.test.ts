/**
 * The account holder's support tickets through the real app: opening, listing, reading, replying,
 * closing and reopening by a reply; another user's ticket is missing to them; what is stored is
 * sealed; the access export holds the conversation, opened.
 */
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, type SignedInUser, signUpAndLogIn } from '../../test/test-app.js';
import { collectUserData } from '../privacy/requests/collect-user-data.js';
import type { TicketDetail, TicketSummary } from './ticket-store.js';

const test = await createTestApp({}, { webRoot: null });

function call(user: SignedInUser, method: 'GET' | 'POST', url: string, payload?: object) {
  return test.app.inject({ method, url, headers: user.headers, ...(payload ? { payload } : {}) });
}

async function openTicket(user: SignedInUser, subject = 'Missing invoice', message = 'Where is it?') {
  const response = await call(user, 'POST', '/api/support/tickets', {
    subject,
    category: 'billing',
    message,
  });
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { ticket: TicketDetail }).ticket;
}

describe('support tickets of the signed-in user', () => {
  it('opens, lists, reads, takes replies, closes, and reopens on a reply', async () => {
    const user = await signUpAndLogIn(test);
    const ticket = await openTicket(user, '  Missing invoice  ', 'My invoice for March\n  is missing.');
    expect(ticket).toMatchObject({
      subject: 'Missing invoice',
      category: 'billing',
      status: 'open',
      closedAt: null,
      messageCount: 1,
      messages: [{ fromStaff: false, body: 'My invoice for March\n  is missing.' }],
    });

    test.clock.advance(60_000);
    const second = await openTicket(user, 'Second question');
    const list = await call(user, 'GET', '/api/support/tickets');
    expect(list.statusCode).toBe(200);
    const tickets = (list.json() as { tickets: TicketSummary[] }).tickets;
    // Newest activity first.
    expect(tickets.map((item) => item.id)).toEqual([second.id, ticket.id]);
    expect(tickets[1]).toEqual({
      id: ticket.id,
      subject: 'Missing invoice',
      category: 'billing',
      status: 'open',
      createdAt: ticket.createdAt,
      updatedAt: ticket.updatedAt,
      closedAt: null,
      messageCount: 1,
    });

    test.clock.advance(60_000);
    const replied = await call(user, 'POST', `/api/support/tickets/${ticket.id}/messages`, {
      body: 'Any news?',
    });
    expect(replied.statusCode, replied.body).toBe(201);
    const afterReply = (replied.json() as { ticket: TicketDetail }).ticket;
    expect(afterReply.messages.map((message) => message.body)).toEqual([
      'My invoice for March\n  is missing.',
      'Any news?',
    ]);
    expect(afterReply.messageCount).toBe(2);
    const relisted = (await call(user, 'GET', '/api/support/tickets')).json() as { tickets: TicketSummary[] };
    expect(relisted.tickets[0]!.id).toBe(ticket.id);

    const closed = await call(user, 'POST', `/api/support/tickets/${ticket.id}/close`);
    expect(closed.statusCode, closed.body).toBe(200);
    const closedTicket = (closed.json() as { ticket: TicketDetail }).ticket;
    expect(closedTicket.status).toBe('closed');
    expect(closedTicket.closedAt).toBe(test.clock.now.toISOString());
    // Closing again keeps the first closing.
    test.clock.advance(1000);
    const again = await call(user, 'POST', `/api/support/tickets/${ticket.id}/close`);
    expect((again.json() as { ticket: TicketDetail }).ticket.closedAt).toBe(closedTicket.closedAt);

    const reopened = await call(user, 'POST', `/api/support/tickets/${ticket.id}/messages`, {
      body: 'Still missing, sorry',
    });
    expect(reopened.statusCode).toBe(201);
    expect((reopened.json() as { ticket: TicketDetail }).ticket).toMatchObject({
      status: 'open',
      closedAt: null,
      messageCount: 3,
    });

    const read = await call(user, 'GET', `/api/support/tickets/${ticket.id}`);
    expect(read.statusCode).toBe(200);
    expect((read.json() as { ticket: TicketDetail }).ticket.messages.map((message) => message.body)).toEqual([
      'My invoice for March\n  is missing.',
      'Any news?',
      'Still missing, sorry',
    ]);
  });

  it('keeps messages in the order written, even in the same millisecond', async () => {
    const user = await signUpAndLogIn(test);
    const ticket = await openTicket(user);
    for (const body of ['one', 'two', 'three']) {
      expect(
        (await call(user, 'POST', `/api/support/tickets/${ticket.id}/messages`, { body })).statusCode,
      ).toBe(201);
    }
    const read = (await call(user, 'GET', `/api/support/tickets/${ticket.id}`)).json() as {
      ticket: TicketDetail;
    };
    expect(read.ticket.messages.map((message) => message.body)).toEqual([
      'Where is it?',
      'one',
      'two',
      'three',
    ]);
  });

  it("answers another user's ticket as a missing one, to every route", async () => {
    const owner = await signUpAndLogIn(test);
    const other = await signUpAndLogIn(test);
    const ticket = await openTicket(owner);
    for (const [method, url, payload] of [
      ['GET', `/api/support/tickets/${ticket.id}`, undefined],
      ['POST', `/api/support/tickets/${ticket.id}/messages`, { body: 'hi' }],
      ['POST', `/api/support/tickets/${ticket.id}/close`, undefined],
      ['GET', '/api/support/tickets/00000000-0000-4000-8000-000000000000', undefined],
    ] as const) {
      const response = await call(other, method, url, payload);
      expect(response.statusCode, url).toBe(404);
    }
    expect(
      ((await call(other, 'GET', '/api/support/tickets')).json() as { tickets: unknown[] }).tickets,
    ).toEqual([]);
    const still = (await call(owner, 'GET', `/api/support/tickets/${ticket.id}`)).json() as {
      ticket: TicketDetail;
    };
    expect(still.ticket).toMatchObject({ status: 'open', messageCount: 1 });
  });

  it('refuses what is invalid, signed out or without the CSRF token', async () => {
    const user = await signUpAndLogIn(test);
    const valid = { subject: 'A question', category: 'technical', message: 'Hello' };
    for (const payload of [
      { ...valid, subject: '   ' },
      { ...valid, subject: 'x'.repeat(201) },
      { ...valid, category: 'complaint' },
      { ...valid, message: '' },
      { ...valid, message: '  \n ' },
      { ...valid, message: 'x'.repeat(20_001) },
      { ...valid, extra: true },
      { subject: 'A question', category: 'technical' },
    ]) {
      const response = await call(user, 'POST', '/api/support/tickets', payload);
      expect(response.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
    }
    const ticket = await openTicket(user);
    expect(
      (await call(user, 'POST', `/api/support/tickets/${ticket.id}/messages`, { body: '' })).statusCode,
    ).toBe(400);
    expect((await call(user, 'GET', '/api/support/tickets/not-a-uuid')).statusCode).toBe(400);
    const signedOut = await test.app.inject({ method: 'GET', url: '/api/support/tickets' });
    expect(signedOut.statusCode).toBe(401);
    const noCsrf = await test.app.inject({
      method: 'POST',
      url: '/api/support/tickets',
      headers: { cookie: user.cookie },
      payload: valid,
    });
    expect(noCsrf.statusCode).toBe(403);
  });

  it('limits how many tickets one user opens in an hour', async () => {
    const user = await signUpAndLogIn(test);
    for (let index = 0; index < 10; index++) await openTicket(user, `Question ${index}`);
    const refused = await call(user, 'POST', '/api/support/tickets', {
      subject: 'One more',
      category: 'other',
      message: 'Hello',
    });
    expect(refused.statusCode).toBe(429);
    test.clock.advance(3_600_000);
    await openTicket(user, 'An hour later');
  });

  it('stores subject and messages sealed, and exports them opened', async () => {
    const user = await signUpAndLogIn(test);
    const secret = `secret-${randomBytes(8).toString('hex')}`;
    const ticket = await openTicket(user, `Subject ${secret}`, `Message ${secret}`);
    const { rows } = await test.ctx.pool.query<{ subject: string; body: string }>(
      `SELECT t.subject, m.body FROM support_tickets t JOIN support_messages m ON m.ticket_id = t.id
        WHERE t.id = $1`,
      [ticket.id],
    );
    expect(rows).toHaveLength(1);
    for (const value of [rows[0]!.subject, rows[0]!.body]) {
      expect(value.startsWith('c1.')).toBe(true);
      expect(value).not.toContain(secret);
    }

    const data = await collectUserData(test.ctx, user.userId);
    const reports = data.categories.find((category) => category.category === 'reports');
    expect(reports?.tables.support_tickets).toEqual([
      expect.objectContaining({ subject: `Subject ${secret}`, category: 'billing', status: 'open' }),
    ]);
    expect(reports?.tables.support_messages).toEqual([
      expect.objectContaining({ body: `Message ${secret}`, from_staff: false }),
    ]);
  });
});
