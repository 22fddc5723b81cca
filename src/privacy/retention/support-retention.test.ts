/**
 * The support tickets rule alone, with the clock moved: closed tickets go with their messages once
 * RETENTION_SUPPORT_MESSAGES_DAYS passed, answered ones idle for 30 days are closed first, and
 * nothing under a legal hold (of the user or of the ticket) is touched. A held ticket also holds
 * its owner's erasure: the erasure would shred its key.
 */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createTestApp, logInAs, type SignedInUser, signUpAndLogIn } from '../../../test/test-app.js';
import { createStaffUser } from '../../console/create-staff.js';
import type { TicketDetail } from '../../support/ticket-store.js';
import { erasureBlocker } from '../requests/erasure-blockers.js';
import { activeHolds, placeLegalHold, releaseLegalHold } from './legal-holds.js';
import { supportTicketsRule } from './support-retention.js';

const DAY = 86_400_000;
const test = await createTestApp({ RETENTION_SUPPORT_MESSAGES_DAYS: '180' }, { webRoot: null });
const { pool } = test.ctx;

async function sweep(): Promise<number> {
  const now = test.ctx.now();
  const cutoff = new Date(now.getTime() - test.ctx.config.RETENTION_SUPPORT_MESSAGES_DAYS * DAY);
  return supportTicketsRule.sweep(
    { pool, config: test.ctx.config, now, holds: await activeHolds(test.ctx.db) },
    cutoff,
  );
}

async function ticket(user: SignedInUser, then?: 'close' | 'answer'): Promise<string> {
  const opened = await test.app.inject({
    method: 'POST',
    url: '/api/support/tickets',
    headers: user.headers,
    payload: { subject: 'A question', category: 'other', message: 'Hello' },
  });
  expect(opened.statusCode, opened.body).toBe(201);
  const id = (opened.json() as { ticket: TicketDetail }).ticket.id;
  if (then === 'close') {
    const closed = await test.app.inject({
      method: 'POST',
      url: `/api/support/tickets/${id}/close`,
      headers: user.headers,
    });
    expect(closed.statusCode).toBe(200);
  }
  if (then === 'answer') {
    await pool.query(`UPDATE support_tickets SET status = 'answered' WHERE id = $1`, [id]);
  }
  return id;
}

async function state(id: string): Promise<{ status: string; messages: number } | null> {
  const { rows } = await pool.query<{ status: string; messages: number }>(
    `SELECT status, (SELECT count(*)::int FROM support_messages WHERE ticket_id = t.id) AS messages
       FROM support_tickets t WHERE id = $1`,
    [id],
  );
  return rows[0] ?? null;
}

describe('the support tickets retention rule', () => {
  it('deletes tickets closed past the period, closes idle answered ones, and spares held ones', async () => {
    const staffEmail = `dpo-${randomUUID().slice(0, 8)}@example.com`;
    const officer = await createStaffUser(test.ctx, {
      email: staffEmail,
      password: 'a privacy officer',
      role: 'privacy',
    });
    const user = await signUpAndLogIn(test);
    const heldUser = await signUpAndLogIn(test);

    const closedOld = await ticket(user, 'close');
    const heldTicket = await ticket(user, 'close');
    const ofHeldUser = await ticket(heldUser, 'close');
    const openOld = await ticket(user);
    const answeredIdle = await ticket(user, 'answer');
    const holdOnTicket = await placeLegalHold(test.ctx.db, {
      scope: 'ticket',
      subjectId: heldTicket,
      reason: 'Complaint before the authority',
      ownerId: officer.userId,
      now: test.ctx.now(),
    });
    await placeLegalHold(test.ctx.db, {
      scope: 'user',
      subjectId: heldUser.userId,
      reason: 'Chargeback dispute',
      ownerId: officer.userId,
      now: test.ctx.now(),
    });

    test.clock.advance(170 * DAY);
    // The first session ended with the months.
    const closedRecent = await ticket(await logInAs(test, user.email, user.password), 'close');
    test.clock.advance(20 * DAY);

    expect(await sweep()).toBe(2); // one closed, one deleted
    expect(await state(closedOld)).toBeNull();
    expect(
      (await pool.query('SELECT 1 FROM support_messages WHERE ticket_id = $1', [closedOld])).rowCount,
    ).toBe(0);
    expect(await state(heldTicket)).toEqual({ status: 'closed', messages: 1 });
    expect(await state(ofHeldUser)).toEqual({ status: 'closed', messages: 1 });
    expect(await state(openOld)).toEqual({ status: 'open', messages: 1 });
    expect(await state(closedRecent)).toEqual({ status: 'closed', messages: 1 });
    // Closed now, by the sweep: deleted a period from now, not at once.
    expect(await state(answeredIdle)).toEqual({ status: 'closed', messages: 1 });

    // A held ticket holds its owner's erasure too.
    expect((await erasureBlocker(test.ctx.db, user.userId))?.code).toBe('legal_hold');
    await releaseLegalHold(test.ctx.db, {
      id: holdOnTicket.id,
      actorId: officer.userId,
      now: test.ctx.now(),
    });
    expect(await erasureBlocker(test.ctx.db, user.userId)).toBeNull();
    expect(await sweep()).toBe(1);
    expect(await state(heldTicket)).toBeNull();
    expect(await state(answeredIdle)).toEqual({ status: 'closed', messages: 1 });
  });
});
