/**
 * Closing through the real app: the holder closes their account, the owner their organisation, the
 * operator terminates either with a statement of reasons and reopens it in the grace period. Access
 * and spending stop at once; the mails carry the dates, the balance and, from the operator, the reasons.
 */
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp, logInAs, type SignedInUser, signUpAndLogIn } from '../../../test/test-app.js';
import { createStaffUser } from '../../console/create-staff.js';
import {
  gatewayJobs,
  organisationMembers,
  organisations,
  securityEvents,
  users,
} from '../../db/schema/index.js';
import { placeHold } from '../../ledger/holds.js';
import { readBalance } from '../../ledger/read-balance.js';
import { resolveSpender } from '../../ledger/spender.js';
import { SYSTEM_ACCOUNTS } from '../../ledger/system-accounts.js';
import { transfer } from '../../ledger/transfer.js';
import { ensureWallet } from '../../ledger/wallets.js';
import { createApiKey } from '../api-keys.js';

const DAY = 86_400_000;
const test = await createTestApp();
const PASSWORD = 'correct horse battery staple';

function call(user: SignedInUser | null, url: string, payload?: object, method: 'POST' | 'GET' = 'POST') {
  return test.app.inject({ method, url, headers: user?.headers ?? {}, ...(payload ? { payload } : {}) });
}

async function staff(role: 'support' | 'billing'): Promise<SignedInUser> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  await createStaffUser(test.ctx, { email, password: PASSWORD, role });
  return logInAs(test, email, PASSWORD);
}

async function keyOf(userId: string, organisationId: string | null = null): Promise<string> {
  return (await createApiKey(test.ctx.db, { userId, name: 'k', organisationId }, null, test.clock.now)).key;
}

async function models(key: string): Promise<number> {
  const response = await test.app.inject({
    method: 'GET',
    url: '/v1/models',
    headers: { authorization: `Bearer ${key}` },
  });
  return response.statusCode;
}

async function topUp(owner: { userId: string } | { organisationId: string }, amount: bigint) {
  await transfer(test.ctx.db, {
    debitAccountId: SYSTEM_ACCOUNTS.payments_clearing,
    creditAccountId: await ensureWallet(test.ctx.db, owner),
    amount,
    kind: 'top_up',
    idempotencyKey: `termination-test:${randomUUID()}`,
    actor: 'system',
    now: test.clock.now,
  });
}

function lastMailTo(email: string) {
  return test.mailbox.messages.findLast((message) => message.to === email);
}

/** A long generation still queued for the organisation, with its credit held as the gateway does. */
async function queuedJob(userId: string, organisationId: string): Promise<string> {
  const suffix = randomUUID().replaceAll('-', '').slice(0, 26);
  const { holdId } = await placeHold(test.ctx.db, {
    wallet: { organisationId },
    amount: 500_000n,
    idempotencyKey: `gen-${suffix}`,
    expiresAt: new Date(test.clock.now.getTime() + DAY),
    now: test.clock.now,
    actor: `user:${userId}`,
    memberUserId: userId,
  });
  await test.ctx.db.insert(gatewayJobs).values({
    id: `job-${suffix}`,
    generationId: `gen-${suffix}`,
    userId,
    organisationId,
    requestedModel: 'replicate/video-01',
    status: 'queued',
    routing: { models: ['replicate/video-01'] },
    holdId,
    holdAmount: 500_000n,
    createdAt: test.clock.now,
  });
  return `job-${suffix}`;
}

async function jobRow(jobId: string) {
  const [row] = await test.ctx.db.select().from(gatewayJobs).where(eq(gatewayJobs.id, jobId));
  return row!;
}

async function createOrganisation(owner: SignedInUser, name: string): Promise<string> {
  const created = await call(owner, '/api/organisations', { name, confirmAuthority: true });
  expect(created.statusCode, created.body).toBe(201);
  return (created.json() as { id: string }).id;
}

async function organisationWithMember(owner: SignedInUser, member: SignedInUser): Promise<string> {
  const id = await createOrganisation(owner, 'Acme Research');
  await test.ctx.db
    .insert(organisationMembers)
    .values({ organisationId: id, userId: member.userId, role: 'member', addedBy: owner.userId });
  return id;
}

describe('closing one’s own account', () => {
  it('needs the password, then ends sign-in, sessions and keys at once and mails the dates and balance', async () => {
    const user = await signUpAndLogIn(test);
    const key = await keyOf(user.userId);
    await topUp({ userId: user.userId }, 12_500_000n);
    expect(await models(key)).toBe(200);

    const wrong = await call(user, '/api/account/close', { password: 'not it' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ error: { details: { field: 'password' } } });

    const closed = await call(user, '/api/account/close', { password: PASSWORD });
    expect(closed.statusCode, closed.body).toBe(200);
    const { closedAt, contentDeletedAfter } = closed.json() as {
      closedAt: string;
      contentDeletedAfter: string;
    };
    expect(closedAt).toBe(test.clock.now.toISOString());
    expect(new Date(contentDeletedAfter).getTime() - new Date(closedAt).getTime()).toBe(30 * DAY);

    expect(await models(key)).toBe(401);
    expect((await call(user, '/api/keys', undefined, 'GET')).statusCode).toBe(401);
    const login = await test.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: PASSWORD },
    });
    expect(login.statusCode).toBe(403);
    expect(login.json().error.message).toMatch(/account is closed/);

    const mail = lastMailTo(user.email);
    expect(mail?.subject).toBe('Your Mixgate account is closed');
    expect(mail?.text).toContain(closedAt.slice(0, 10));
    expect(mail?.text).toContain(contentDeletedAfter.slice(0, 10));
    expect(mail?.text).toContain('12.500000');
    expect(mail?.text).toContain('/legal/refund-policy');
    const [row] = await test.ctx.db.select().from(users).where(eq(users.id, user.userId));
    expect(row).toMatchObject({ status: 'closed', closedBy: user.userId, closureReason: null });
    const events = await test.ctx.db
      .select()
      .from(securityEvents)
      .where(eq(securityEvents.userId, user.userId));
    expect(events.map((event) => event.type)).toContain('account_closed');
  });

  it('is refused while the user owns an organisation that other members use', async () => {
    const owner = await signUpAndLogIn(test);
    const member = await signUpAndLogIn(test);
    await organisationWithMember(owner, member);
    const refused = await call(owner, '/api/account/close', { password: PASSWORD });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().error.message).toMatch(/Acme Research.*close the account again/);
  });

  it('closes with it the organisations its holder owns alone, their keys, wallet and long generations', async () => {
    const owner = await signUpAndLogIn(test);
    const alone = await createOrganisation(owner, 'Solo Lab');
    await topUp({ organisationId: alone }, 2_000_000n);
    const organisationKey = await keyOf(owner.userId, alone);
    const job = await queuedJob(owner.userId, alone);
    // Another organisation's long generation goes on.
    const stranger = await signUpAndLogIn(test);
    const elsewhere = await createOrganisation(stranger, 'Elsewhere');
    await topUp({ organisationId: elsewhere }, 1_000_000n);
    const otherJob = await queuedJob(stranger.userId, elsewhere);

    const closed = await call(owner, '/api/account/close', { password: PASSWORD });
    expect(closed.statusCode, closed.body).toBe(200);

    const [organisation] = await test.ctx.db.select().from(organisations).where(eq(organisations.id, alone));
    expect(organisation).toMatchObject({
      status: 'closed',
      closedAt: test.clock.now,
      closedBy: owner.userId,
      closureReason: null,
    });
    expect(await models(organisationKey)).toBe(401);
    await expect(
      resolveSpender(test.ctx.db, { userId: owner.userId, organisationId: alone }),
    ).rejects.toMatchObject({
      code: 'organisation_closed',
    });
    expect((await jobRow(job)).cancelRequestedAt).not.toBeNull();
    expect((await jobRow(otherJob)).cancelRequestedAt).toBeNull();
    await test.jobs.idle();
    expect((await jobRow(job)).status).toBe('cancelled');
    expect(await readBalance(test.ctx.db, { organisationId: alone })).toMatchObject({
      balance: 2_000_000n,
      held: 0n,
    });

    const organisationMail = test.mailbox.messages.find(
      (message) => message.to === owner.email && message.subject === 'The organisation "Solo Lab" was closed',
    );
    expect(organisationMail?.text).toContain('closed with your account');
    expect(organisationMail?.text).toContain('2.000000');
    expect(organisationMail?.text).not.toContain('Your own account is not affected');
    expect(lastMailTo(owner.email)?.subject).toBe('Your Mixgate account is closed');
    const events = await test.ctx.db
      .select()
      .from(securityEvents)
      .where(eq(securityEvents.actorId, owner.userId));
    expect(events.find((event) => event.type === 'organisation_closed')?.details).toMatchObject({
      organisationId: alone,
      by: 'owner',
      withOwnerAccount: true,
    });
    expect(events.find((event) => event.type === 'account_closed')?.details).toMatchObject({
      organisationsClosed: 1,
    });
  });
});

describe('closing an organisation', () => {
  it('is the owner’s alone; then its keys, wallet and invitations stop and every member is told', async () => {
    const owner = await signUpAndLogIn(test);
    const member = await signUpAndLogIn(test);
    const organisationId = await organisationWithMember(owner, member);
    await topUp({ organisationId }, 3_000_000n);
    const memberKey = await keyOf(member.userId, organisationId);
    expect(await models(memberKey)).toBe(200);
    const job = await queuedJob(member.userId, organisationId);
    const sideProject = await createOrganisation(member, 'Member Side Project');
    await topUp({ organisationId: sideProject }, 1_000_000n);
    const ownJob = await queuedJob(member.userId, sideProject);

    const byMember = await call(member, `/api/organisations/${organisationId}/close`, { password: PASSWORD });
    expect(byMember.statusCode).toBe(403);
    const closed = await call(owner, `/api/organisations/${organisationId}/close`, { password: PASSWORD });
    expect(closed.statusCode, closed.body).toBe(200);
    expect(closed.json()).toMatchObject({ closedAt: test.clock.now.toISOString() });
    // Its long generations are cancelled without charge; the member's other ones go on.
    expect((await jobRow(job)).cancelRequestedAt).not.toBeNull();
    expect((await jobRow(ownJob)).cancelRequestedAt).toBeNull();
    await test.jobs.idle();
    expect((await jobRow(job)).status).toBe('cancelled');
    expect(await readBalance(test.ctx.db, { organisationId })).toMatchObject({
      balance: 3_000_000n,
      held: 0n,
    });

    expect(await models(memberKey)).toBe(401);
    await expect(
      resolveSpender(test.ctx.db, { userId: member.userId, organisationId }),
    ).rejects.toMatchObject({ code: 'organisation_closed', status: 403 });
    const newKey = await call(member, '/api/keys', { name: 'again', organisationId });
    expect(newKey.statusCode).toBe(403);
    expect(newKey.json()).toMatchObject({ error: { type: 'organisation_closed' } });
    // Their own accounts go on.
    expect(await models(await keyOf(member.userId))).toBe(200);
    for (const email of [owner.email, member.email]) {
      const mail = lastMailTo(email);
      expect(mail?.subject).toBe('The organisation "Acme Research" was closed');
      expect(mail?.text).toContain('3.000000');
    }
    const again = await call(owner, `/api/organisations/${organisationId}/close`, { password: PASSWORD });
    expect(again.statusCode).toBe(409);
  });
});

describe('termination by the operator', () => {
  it('needs a statement of reasons, mails it with how to contest, and can be undone in the grace period', async () => {
    const support = await staff('support');
    const user = await signUpAndLogIn(test);
    const url = `/api/console/users/${user.userId}/terminate`;
    expect((await call(user, url, { reason: 'Repeated abuse of the service' })).statusCode).toBe(403);
    expect((await call(await staff('billing'), url, { reason: 'Repeated abuse' })).statusCode).toBe(403);
    expect((await call(support, url, { reason: 'short' })).statusCode).toBe(400);

    const reason = 'Repeated generation of content forbidden by the acceptable use policy, section 3.';
    const terminated = await call(support, url, { reason });
    expect(terminated.statusCode, terminated.body).toBe(200);
    const mail = lastMailTo(user.email);
    expect(mail?.subject).toBe('Your Mixgate account was terminated');
    expect(mail?.text).toContain(reason);
    expect(mail?.text).toContain('Statement of reasons');
    expect(mail?.text).toContain(test.ctx.config.OPERATOR_EMAIL);
    const [row] = await test.ctx.db.select().from(users).where(eq(users.id, user.userId));
    expect(row).toMatchObject({ status: 'closed', closedBy: support.userId, closureReason: reason });

    const reopened = await call(support, `/api/console/users/${user.userId}/reopen`);
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect(reopened.json()).toEqual({ status: 'active' });
    await logInAs(test, user.email, PASSWORD);
    expect((await call(support, `/api/console/users/${user.userId}/reopen`)).statusCode).toBe(409);
  });

  it('never terminates a staff account, its own included', async () => {
    const support = await staff('support');
    const other = await staff('billing');
    const reason = 'A reason long enough to be stated.';
    for (const target of [support, other]) {
      const response = await call(support, `/api/console/users/${target.userId}/terminate`, { reason });
      expect(response.statusCode).toBe(403);
    }
  });

  it('terminates and reopens an organisation', async () => {
    const support = await staff('support');
    const owner = await signUpAndLogIn(test);
    const member = await signUpAndLogIn(test);
    const organisationId = await organisationWithMember(owner, member);
    const reason = 'The organisation resold access against the terms, section 5.2.';
    const terminated = await call(support, `/api/console/organisations/${organisationId}/terminate`, {
      reason,
    });
    expect(terminated.statusCode, terminated.body).toBe(200);
    expect(lastMailTo(member.email)?.text).toContain(reason);
    const reopened = await call(support, `/api/console/organisations/${organisationId}/reopen`, {
      reason: 'Objection upheld',
    });
    expect(reopened.statusCode, reopened.body).toBe(200);
    expect((await call(member, '/api/keys', { name: 'new', organisationId })).statusCode).toBe(201);
  });
});
