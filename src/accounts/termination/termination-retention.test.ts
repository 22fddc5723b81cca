/**
 * The end of the grace period, through the retention sweep: a closed account is erased by the
 * erasure pipeline with its receipt mailed (unless a legal hold keeps it), an account never verified
 * is erased without a mail, and a closed organisation's content is deleted with a receipt to its owner.
 */
import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedInUser, signUpAndLogIn } from '../../../test/test-app.js';
import { createStaffUser } from '../../console/create-staff.js';
import {
  organisationInvitations,
  organisationMembers,
  organisations,
  privacyRequests,
  users,
} from '../../db/schema/index.js';
import { checkLedger } from '../../ledger/check-ledger.js';
import { insertLedgerTestUser } from '../../ledger/ledger-test-fixtures.js';
import { readBalance } from '../../ledger/read-balance.js';
import { SYSTEM_ACCOUNTS } from '../../ledger/system-accounts.js';
import { transfer } from '../../ledger/transfer.js';
import { ensureWallet } from '../../ledger/wallets.js';
import { processPendingErasures } from '../../privacy/requests/erase-user.js';
import { placeLegalHold } from '../../privacy/retention/legal-holds.js';
import { runRetention } from '../../privacy/retention/run-retention.js';

const DAY = 86_400_000;
const dataDir = path.join('.tmp', `termination-${randomUUID()}`);
const test = await createTestApp({ MIXGATE_DATA_DIR: dataDir });
afterAll(() => rm(dataDir, { recursive: true, force: true }));
const PASSWORD = 'correct horse battery staple';

async function closeAccount(user: SignedInUser): Promise<void> {
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/account/close',
    headers: user.headers,
    payload: { password: PASSWORD },
  });
  expect(response.statusCode, response.body).toBe(200);
}

async function statusOf(userId: string): Promise<string> {
  const [row] = await test.ctx.db.select({ status: users.status }).from(users).where(eq(users.id, userId));
  return row!.status;
}

async function staffId(): Promise<string> {
  const email = `privacy-${randomUUID().slice(0, 8)}@example.com`;
  return (await createStaffUser(test.ctx, { email, password: PASSWORD, role: 'privacy' })).userId;
}

async function unverifiedUser(ageDays: number, verified = false): Promise<string> {
  const userId = await insertLedgerTestUser(test.ctx.db);
  const then = new Date(test.clock.now.getTime() - ageDays * DAY);
  await test.ctx.db
    .update(users)
    .set({ createdAt: then, emailVerifiedAt: verified ? then : null })
    .where(eq(users.id, userId));
  return userId;
}

describe('the end of the grace period', () => {
  it('erases a closed account with its receipt mailed, but not one under a legal hold', async () => {
    const closed = await signUpAndLogIn(test);
    const held = await signUpAndLogIn(test);
    await transfer(test.ctx.db, {
      debitAccountId: SYSTEM_ACCOUNTS.payments_clearing,
      creditAccountId: await ensureWallet(test.ctx.db, { userId: closed.userId }),
      amount: 2_000_000n,
      kind: 'top_up',
      idempotencyKey: `grace:${closed.userId}`,
      actor: 'system',
      now: test.clock.now,
    });
    await closeAccount(closed);
    await closeAccount(held);
    await placeLegalHold(test.ctx.db, {
      scope: 'user',
      subjectId: held.userId,
      reason: 'Chargeback dispute #77',
      ownerId: await staffId(),
      now: test.clock.now,
    });

    test.clock.advance(29 * DAY);
    await runRetention(test.ctx);
    await processPendingErasures(test.ctx);
    expect(await statusOf(closed.userId)).toBe('closed');

    test.clock.advance(2 * DAY);
    const report = await runRetention(test.ctx);
    expect(
      report.rules.find((rule) => rule.rule === 'closed accounts past their grace period')?.affected,
    ).toBe(1);
    await processPendingErasures(test.ctx);
    expect(await statusOf(closed.userId)).toBe('erased');
    expect(await statusOf(held.userId)).toBe('closed');
    const [request] = await test.ctx.db
      .select()
      .from(privacyRequests)
      .where(eq(privacyRequests.userId, closed.userId));
    expect(request).toMatchObject({ source: 'termination', status: 'completed' });
    expect(request!.notes).toMatch(/^Account closed on .*; grace period ended$/);
    const receipt = test.mailbox.messages.findLast((message) => message.to === closed.email);
    expect(receipt?.subject).toBe('Your account was erased');
    expect(receipt?.attachments?.[0]?.contentType).toBe('application/pdf');
    expect(await readBalance(test.ctx.db, { userId: closed.userId })).toMatchObject({ balance: 2_000_000n });
    expect((await checkLedger(test.ctx.db)).problems).toEqual([]);
  });

  it('erases an account never verified after its period, without a mail, and keeps the others', async () => {
    const stale = await unverifiedUser(31);
    const recent = await unverifiedUser(29);
    const verified = await unverifiedUser(31, true);
    const mailsBefore = test.mailbox.messages.length;
    await runRetention(test.ctx);
    await processPendingErasures(test.ctx);
    expect(await statusOf(stale)).toBe('erased');
    expect(await statusOf(recent)).toBe('active');
    expect(await statusOf(verified)).toBe('active');
    expect(test.mailbox.messages.slice(mailsBefore).map((message) => message.to)).not.toContain(
      `${stale}@ledger.test`,
    );
    const [request] = await test.ctx.db
      .select()
      .from(privacyRequests)
      .where(eq(privacyRequests.userId, stale));
    expect(request).toMatchObject({ source: 'retention', status: 'completed', verification: null });
    expect(request!.notes).toContain('The receipt was not mailed');
  });

  it('deletes a closed organisation’s content and tells its owner what was kept', async () => {
    const owner = await signUpAndLogIn(test);
    const member = await signUpAndLogIn(test);
    const created = await test.app.inject({
      method: 'POST',
      url: '/api/organisations',
      headers: owner.headers,
      payload: { name: 'Closing Ltd', confirmAuthority: true },
    });
    const { id: organisationId } = created.json() as { id: string };
    await test.ctx.db
      .insert(organisationMembers)
      .values({ organisationId, userId: member.userId, role: 'member', addedBy: owner.userId });
    const invited = await test.app.inject({
      method: 'POST',
      url: `/api/organisations/${organisationId}/invitations`,
      headers: owner.headers,
      payload: { email: 'invitee@example.com', role: 'member' },
    });
    expect(invited.statusCode, invited.body).toBe(201);
    const closed = await test.app.inject({
      method: 'POST',
      url: `/api/organisations/${organisationId}/close`,
      headers: owner.headers,
      payload: { password: PASSWORD },
    });
    expect(closed.statusCode, closed.body).toBe(200);

    test.clock.advance(31 * DAY);
    const report = await runRetention(test.ctx);
    expect(
      report.rules.find((rule) => rule.rule === 'closed organisations past their grace period')?.affected,
    ).toBe(1);
    const [organisation] = await test.ctx.db
      .select()
      .from(organisations)
      .where(eq(organisations.id, organisationId));
    expect(organisation).toMatchObject({
      name: `Closed organisation ${organisationId.slice(0, 8)}`,
      status: 'closed',
      contentErasedAt: test.clock.now,
    });
    const members = await test.ctx.db
      .select()
      .from(organisationMembers)
      .where(eq(organisationMembers.organisationId, organisationId));
    expect(members).toEqual([]);
    const invitations = await test.ctx.db
      .select()
      .from(organisationInvitations)
      .where(eq(organisationInvitations.organisationId, organisationId));
    expect(invitations).toEqual([]);
    const mail = test.mailbox.messages.findLast((message) => message.to === owner.email);
    expect(mail?.subject).toBe('The content of the closed organisation "Closing Ltd" was deleted');
    expect(mail?.text).toContain('- 2 membership(s)');
    expect(mail?.text).toContain('- 1 invitation(s)');
    expect(mail?.text).toContain('Kept, and why:');
    // Reopening is too late now, and a second sweep does nothing more.
    expect(
      (await runRetention(test.ctx)).rules.find(
        (rule) => rule.rule === 'closed organisations past their grace period',
      )?.affected,
    ).toBe(0);
  });
});
