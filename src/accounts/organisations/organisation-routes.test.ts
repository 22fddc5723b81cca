import { and, asc, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp, type SignedInUser, signUpAndLogIn } from '../../../test/test-app.js';
import { organisationMembers, securityEvents } from '../../db/schema/index.js';

const test = await createTestApp();

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE';

function call(user: SignedInUser, method: Method, url: string, payload?: Record<string, unknown>) {
  return test.app.inject({ method, url, headers: user.headers, payload });
}

async function createOrganisation(owner: SignedInUser, name = 'Acme Ltd'): Promise<string> {
  const response = await call(owner, 'POST', '/api/organisations', { name, confirmAuthority: true });
  expect(response.statusCode).toBe(201);
  return (response.json() as { id: string }).id;
}

function invite(actor: SignedInUser, organisationId: string, email: string, role: string) {
  return call(actor, 'POST', `/api/organisations/${organisationId}/invitations`, { email, role });
}

function accept(user: SignedInUser, token: string) {
  return call(user, 'POST', '/api/organisations/invitations/accept', { token });
}

/** A new user who joined the organisation with `role` through an invitation from `inviter`. */
async function joinedMember(
  inviter: SignedInUser,
  organisationId: string,
  role: string,
): Promise<SignedInUser> {
  const user = await signUpAndLogIn(test);
  expect((await invite(inviter, organisationId, user.email, role)).statusCode).toBe(201);
  expect((await accept(user, test.mailbox.lastToken(user.email))).statusCode).toBe(200);
  return user;
}

interface Details {
  role: string;
  members: { userId: string; username: string; email: string; role: string; spendLimit: string | null }[];
  invitations: { id: string; email: string; role: string }[] | null;
}

async function details(user: SignedInUser, organisationId: string): Promise<Details> {
  const response = await call(user, 'GET', `/api/organisations/${organisationId}`);
  expect(response.statusCode).toBe(200);
  return response.json() as Details;
}

async function eventsOf(type: string, organisationId: string) {
  const rows = await test.ctx.db
    .select()
    .from(securityEvents)
    .where(eq(securityEvents.type, type))
    .orderBy(asc(securityEvents.id));
  return rows.filter((row) => (row.details as { organisationId?: string }).organisationId === organisationId);
}

describe('creating an organisation', () => {
  it.each([
    ['missing', { name: 'Acme Ltd' }],
    ['false', { name: 'Acme Ltd', confirmAuthority: false }],
  ])('refuses when the authority confirmation is %s', async (_, payload) => {
    const user = await signUpAndLogIn(test);
    const response = await call(user, 'POST', '/api/organisations', payload);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.message).toContain(
      'You must confirm that you have authority to bind the organisation',
    );
    expect((await call(user, 'GET', '/api/organisations')).json()).toEqual({ data: [] });
  });

  it('makes the creator the owner and logs who did it', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner, 'Acme Ltd');
    const mine = (await call(owner, 'GET', '/api/organisations')).json() as { data: object[] };
    expect(mine.data).toEqual([
      expect.objectContaining({ id: organisationId, name: 'Acme Ltd', role: 'owner' }),
    ]);
    const [event] = await eventsOf('organisation_created', organisationId);
    expect(event).toMatchObject({ userId: owner.userId, actorId: owner.userId });
  });
});

describe('invitations', () => {
  it('mails a link that only the invited address can accept, once', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner, 'Globex');
    const invitee = await signUpAndLogIn(test);
    const stranger = await signUpAndLogIn(test);

    const invited = await invite(owner, organisationId, invitee.email.toUpperCase(), 'billing');
    expect(invited.statusCode).toBe(201);
    const mail = test.mailbox.messages.at(-1)!;
    expect(mail.to).toBe(invitee.email);
    expect(mail.text).toContain(`${test.ctx.config.publicUrl}/invitations/accept?token=`);
    const token = test.mailbox.lastToken(invitee.email);

    expect((await accept(stranger, token)).statusCode).toBe(403);
    const joined = await accept(invitee, token);
    expect(joined.statusCode).toBe(200);
    expect(joined.json()).toEqual({ status: 'joined', organisationId, role: 'billing' });
    expect((await accept(invitee, token)).statusCode).toBe(409);

    const members = (await details(owner, organisationId)).members;
    expect(members.find((member) => member.userId === invitee.userId)).toMatchObject({
      email: invitee.email,
      username: invitee.username,
      role: 'billing',
    });
    const [event] = await eventsOf('member_joined', organisationId);
    expect(event).toMatchObject({ userId: invitee.userId, actorId: invitee.userId });
    const [row] = await test.ctx.db
      .select()
      .from(organisationMembers)
      .where(
        and(
          eq(organisationMembers.organisationId, organisationId),
          eq(organisationMembers.userId, invitee.userId),
        ),
      );
    expect(row?.addedBy).toBe(owner.userId);
  });

  it('refuses an expired, a withdrawn and an unknown invitation', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner);
    const lateEmail = `late${Date.now()}@example.com`;
    const withdrawn = await signUpAndLogIn(test);
    await invite(owner, organisationId, lateEmail, 'member');
    const lateToken = test.mailbox.lastToken(lateEmail);
    const invitation = (await invite(owner, organisationId, withdrawn.email, 'member')).json() as {
      id: string;
    };
    const revoke = await call(
      owner,
      'DELETE',
      `/api/organisations/${organisationId}/invitations/${invitation.id}`,
    );
    expect(revoke.statusCode).toBe(200);
    expect((await accept(withdrawn, test.mailbox.lastToken(withdrawn.email))).statusCode).toBe(400);

    test.clock.advance(7 * 24 * 3600_000 + 1_000);
    // Signed up after the clock moved, so the session is fresh while the invitation is not.
    const late = await signUpAndLogIn(test, { email: lateEmail });
    expect((await accept(late, lateToken)).statusCode).toBe(400);
    expect((await accept(late, 'A'.repeat(43))).statusCode).toBe(400);
  });

  it('answers 409 to a member accepting another invitation, and to a second invitation of a member', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner);
    const user = await signUpAndLogIn(test);
    await invite(owner, organisationId, user.email, 'member');
    // As if they had joined by other means meanwhile.
    await test.ctx.db
      .insert(organisationMembers)
      .values({ organisationId, userId: user.userId, role: 'member' });
    expect((await accept(user, test.mailbox.lastToken(user.email))).statusCode).toBe(409);
    expect((await invite(owner, organisationId, user.email, 'member')).statusCode).toBe(409);
  });

  it('lists pending invitations to the owner and admins only', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner);
    const billing = await joinedMember(owner, organisationId, 'billing');
    await invite(owner, organisationId, 'pending@example.com', 'member');
    expect((await details(owner, organisationId)).invitations).toEqual([
      expect.objectContaining({ email: 'pending@example.com', role: 'member' }),
    ]);
    expect((await details(billing, organisationId)).invitations).toBeNull();
  });
});

describe('roles', () => {
  it('keeps each role to what it may do', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner);
    const admin = await joinedMember(owner, organisationId, 'admin');
    const billing = await joinedMember(owner, organisationId, 'billing');
    const member = await joinedMember(admin, organisationId, 'member');
    const base = `/api/organisations/${organisationId}`;

    expect((await invite(member, organisationId, 'x@example.com', 'member')).statusCode).toBe(403);
    expect((await invite(admin, organisationId, 'x@example.com', 'owner')).statusCode).toBe(403);
    expect((await invite(admin, organisationId, 'x@example.com', 'admin')).statusCode).toBe(403);
    expect((await invite(owner, organisationId, 'x@example.com', 'owner')).statusCode).toBe(403);
    expect(
      (await call(admin, 'PATCH', `${base}/members/${member.userId}`, { role: 'owner' })).statusCode,
    ).toBe(403);
    expect(
      (await call(admin, 'PATCH', `${base}/members/${owner.userId}`, { role: 'member' })).statusCode,
    ).toBe(403);
    expect((await call(billing, 'DELETE', `${base}/members/${member.userId}`)).statusCode).toBe(403);
    expect((await call(member, 'DELETE', `${base}/members/${billing.userId}`)).statusCode).toBe(403);
    expect((await call(admin, 'DELETE', `${base}/members/${owner.userId}`)).statusCode).toBe(403);
    expect((await call(owner, 'DELETE', `${base}/members/${owner.userId}`)).statusCode).toBe(403);
    expect(
      (await call(admin, 'POST', `${base}/transfer-ownership`, { userId: admin.userId })).statusCode,
    ).toBe(403);

    expect((await details(member, organisationId)).members.map((entry) => entry.userId)).toEqual([
      member.userId,
    ]);
    const promoted = await call(admin, 'PATCH', `${base}/members/${member.userId}`, { role: 'billing' });
    expect(promoted.statusCode).toBe(200);
    expect(promoted.json()).toMatchObject({ role: 'billing' });
    expect((await details(billing, organisationId)).members).toHaveLength(4);

    const [changed] = await eventsOf('role_changed', organisationId);
    expect(changed).toMatchObject({
      userId: member.userId,
      actorId: admin.userId,
      details: { organisationId, role: { from: 'member', to: 'billing' } },
    });
  });

  it('lets a member leave, revoking the keys they made for the organisation', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner);
    const member = await joinedMember(owner, organisationId, 'member');
    const created = await call(member, 'POST', '/api/keys', { name: 'team', organisationId });
    expect(created.statusCode).toBe(201);
    const { key } = created.json() as { key: string };
    expect(await test.ctx.apiKeyCache.lookup(key)).not.toBeNull();

    const left = await call(
      member,
      'DELETE',
      `/api/organisations/${organisationId}/members/${member.userId}`,
    );
    expect(left.json()).toEqual({ status: 'removed', revokedKeys: 1 });
    expect(await test.ctx.apiKeyCache.lookup(key)).toBeNull();
    expect((await call(member, 'GET', `/api/organisations/${organisationId}`)).statusCode).toBe(404);
    const [removed] = await eventsOf('member_removed', organisationId);
    expect(removed).toMatchObject({ userId: member.userId, actorId: member.userId, details: { left: true } });
  });

  it('hides the organisation from non-members with the same 404 as a missing one', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner);
    const outsider = await signUpAndLogIn(test);
    const hidden = await call(outsider, 'GET', `/api/organisations/${organisationId}`);
    const missing = await call(outsider, 'GET', '/api/organisations/00000000-0000-4000-8000-000000000000');
    expect(hidden.statusCode).toBe(404);
    expect(hidden.json()).toEqual(missing.json());
    expect((await invite(outsider, organisationId, 'x@example.com', 'member')).statusCode).toBe(404);
    const keyAttempt = await call(outsider, 'POST', '/api/keys', { name: 'sneaky', organisationId });
    expect(keyAttempt.statusCode).toBe(404);
  });
});

describe('spend limits', () => {
  it('round-trips a spend limit as a decimal string and clears it with null', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner);
    const member = await joinedMember(owner, organisationId, 'member');
    const url = `/api/organisations/${organisationId}/members/${member.userId}`;

    const set = await call(owner, 'PATCH', url, { spendLimit: '12.5' });
    expect(set.json()).toEqual({
      userId: member.userId,
      role: 'member',
      spendLimit: '12.500000',
      spendLimitPeriod: 'month',
    });
    const listed = (await details(owner, organisationId)).members.find(
      (entry) => entry.userId === member.userId,
    );
    expect(listed?.spendLimit).toBe('12.500000');
    const [event] = await eventsOf('member_updated', organisationId);
    expect(event).toMatchObject({
      actorId: owner.userId,
      details: { spendLimit: { from: null, to: '12.500000' } },
    });

    expect((await call(owner, 'PATCH', url, { spendLimit: null })).json()).toMatchObject({
      spendLimit: null,
    });
    for (const spendLimit of ['-1', 'abc', '1.1234567', 12]) {
      expect((await call(owner, 'PATCH', url, { spendLimit })).statusCode).toBe(400);
    }
    expect((await call(owner, 'PATCH', url, {})).statusCode).toBe(400);
    expect((await call(owner, 'PATCH', url, { spendLimitPeriod: 'fortnight' })).statusCode).toBe(400);
  });

  it('changes the period alone, and recounts the member’s spending from scratch', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner);
    const member = await joinedMember(owner, organisationId, 'member');
    const url = `/api/organisations/${organisationId}/members/${member.userId}`;
    await call(owner, 'PATCH', url, { spendLimit: '5' });
    const scope = `member:${organisationId}:${member.userId}`;
    await test.ctx.pool.query(
      `INSERT INTO ledger_spend_counters (scope, period_start, spent) VALUES ($1, now(), 1)`,
      [scope],
    );
    const changed = await call(owner, 'PATCH', url, { spendLimitPeriod: 'day' });
    expect(changed.json()).toMatchObject({ spendLimit: '5.000000', spendLimitPeriod: 'day' });
    const counters = await test.ctx.pool.query('SELECT 1 FROM ledger_spend_counters WHERE scope = $1', [
      scope,
    ]);
    expect(counters.rowCount).toBe(0);
  });
});

describe('transferring ownership', () => {
  it('swaps the roles of the old and the new owner', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner);
    const heir = await joinedMember(owner, organisationId, 'member');
    const outsider = await signUpAndLogIn(test);
    const url = `/api/organisations/${organisationId}/transfer-ownership`;

    expect((await call(owner, 'POST', url, { userId: outsider.userId })).statusCode).toBe(404);
    expect((await call(owner, 'POST', url, { userId: heir.userId })).statusCode).toBe(200);
    const roles = Object.fromEntries(
      (await details(heir, organisationId)).members.map((member) => [member.userId, member.role]),
    );
    expect(roles).toEqual({ [owner.userId]: 'admin', [heir.userId]: 'owner' });
    expect((await call(owner, 'POST', url, { userId: owner.userId })).statusCode).toBe(403);
    const [event] = await eventsOf('ownership_transferred', organisationId);
    expect(event).toMatchObject({
      userId: heir.userId,
      actorId: owner.userId,
      details: { organisationId, previousOwnerId: owner.userId, newOwnerId: heir.userId },
    });
  });

  it('keeps exactly one owner when two transfers race', async () => {
    const owner = await signUpAndLogIn(test);
    const organisationId = await createOrganisation(owner);
    const first = await joinedMember(owner, organisationId, 'admin');
    const second = await joinedMember(owner, organisationId, 'admin');
    const url = `/api/organisations/${organisationId}/transfer-ownership`;
    const responses = await Promise.all([
      call(owner, 'POST', url, { userId: first.userId }),
      call(owner, 'POST', url, { userId: second.userId }),
    ]);
    expect(responses.map((response) => response.statusCode).sort()).toEqual([200, 403]);
    const owners = await test.ctx.db
      .select()
      .from(organisationMembers)
      .where(
        and(eq(organisationMembers.organisationId, organisationId), eq(organisationMembers.role, 'owner')),
      );
    expect(owners).toHaveLength(1);
  });
});
