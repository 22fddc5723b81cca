import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp, logInAs, type SignedInUser, signUpAndLogIn } from '../../test/test-app.js';
import { users } from '../db/schema/index.js';
import { createStaffUser } from './create-staff.js';
import type { StaffRole } from './staff-roles.js';

const test = await createTestApp();
const PASSWORD = 'correct horse battery staple';

async function staff(role: StaffRole): Promise<SignedInUser> {
  const email = `${role}-${randomBytes(4).toString('hex')}@example.com`;
  await createStaffUser(test.ctx, { email, password: PASSWORD, role });
  return logInAs(test, email, PASSWORD);
}

function suspend(actor: SignedInUser, target: string, action: 'suspend' | 'unsuspend' = 'suspend') {
  return test.app.inject({
    method: 'POST',
    url: `/api/console/users/${target}/${action}`,
    headers: actor.headers,
    payload: { reason: 'Abuse report #12' },
  });
}

function setRole(actor: SignedInUser, target: string, role: StaffRole | null) {
  return test.app.inject({
    method: 'PUT',
    url: `/api/console/users/${target}/staff-role`,
    headers: actor.headers,
    payload: { role, reason: 'Joined the team' },
  });
}

function get(actor: SignedInUser, url: string) {
  return test.app.inject({ method: 'GET', url, headers: actor.headers });
}

describe('operator console', () => {
  it('refuses members on every console route, and anonymous callers too', async () => {
    const member = await signUpAndLogIn(test);
    const other = await signUpAndLogIn(test);
    const responses = [
      await get(member, '/api/console/users'),
      await suspend(member, other.userId),
      await suspend(member, other.userId, 'unsuspend'),
      await setRole(member, member.userId, 'admin'),
      await get(member, '/api/console/security-events'),
    ];
    for (const response of responses) {
      expect(response.statusCode).toBe(403);
      expect(response.json()).toMatchObject({ error: { type: 'forbidden' } });
    }
    const [row] = await test.ctx.db.select().from(users).where(eq(users.id, member.userId));
    expect(row?.staffRole).toBeNull();
    expect((await test.app.inject({ method: 'GET', url: '/api/console/users' })).statusCode).toBe(401);
  });

  it('lets support search and suspend users but not change roles or read the security log', async () => {
    const support = await staff('support');
    const target = await signUpAndLogIn(test);

    const found = await get(
      support,
      `/api/console/users?query=${encodeURIComponent(target.email.slice(0, 12))}`,
    );
    expect(found.statusCode).toBe(200);
    const body = found.json() as { data: Record<string, unknown>[] };
    expect(body.data.map((user) => user.id)).toContain(target.userId);
    for (const user of body.data) {
      expect(Object.keys(user)).not.toContain('passwordHash');
      expect(Object.keys(user)).not.toContain('totpSecretSealed');
    }
    const byUsername = await get(support, `/api/console/users?query=${target.username.toUpperCase()}`);
    expect((byUsername.json() as { data: { id: string }[] }).data.map((user) => user.id)).toEqual([
      target.userId,
    ]);

    expect((await suspend(support, target.userId)).statusCode).toBe(200);
    expect((await setRole(support, target.userId, 'support')).statusCode).toBe(403);
    expect((await get(support, '/api/console/security-events')).statusCode).toBe(403);
  });

  it('lets billing page the user list, with % in a query taken literally, but not suspend', async () => {
    const billing = await staff('billing');
    const first = await get(billing, '/api/console/users?limit=2');
    const page = first.json() as { data: { email: string }[]; nextCursor: string | null };
    expect(page.data).toHaveLength(2);
    expect(page.nextCursor).toBe(page.data[1]!.email);
    const second = await get(
      billing,
      `/api/console/users?limit=2&cursor=${encodeURIComponent(page.nextCursor!)}`,
    );
    const next = (second.json() as { data: { email: string }[] }).data;
    expect(next[0]!.email > page.data[1]!.email).toBe(true);
    expect((await get(billing, '/api/console/users?query=%25')).json()).toMatchObject({ data: [] });
    const member = await signUpAndLogIn(test);
    expect((await suspend(billing, member.userId)).statusCode).toBe(403);
  });

  it("ends a suspended user's sessions and refuses their sign-in until reinstated", async () => {
    const support = await staff('support');
    const target = await signUpAndLogIn(test);
    const session = () =>
      test.app.inject({ method: 'GET', url: '/api/auth/session', headers: target.headers });
    expect((await session()).statusCode).toBe(200);

    const suspended = await suspend(support, target.userId);
    expect(suspended.json()).toEqual({ status: 'suspended', sessionsRevoked: 1 });
    expect((await session()).statusCode).toBe(401);
    const refused = await test.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: target.email, password: target.password },
    });
    expect(refused.statusCode).toBe(403);
    expect((await suspend(support, target.userId)).statusCode).toBe(409);

    expect((await suspend(support, target.userId, 'unsuspend')).statusCode).toBe(200);
    await logInAs(test, target.email, target.password);
  });

  it('keeps support from suspending staff and staff from suspending themselves', async () => {
    const support = await staff('support');
    const admin = await staff('admin');
    expect((await suspend(support, admin.userId)).json()).toMatchObject({ error: { type: 'forbidden' } });
    expect((await suspend(admin, admin.userId)).statusCode).toBe(403);
    expect((await suspend(admin, support.userId)).statusCode).toBe(200);
  });

  it('lets an admin change a role, which the security log records with its reason', async () => {
    const admin = await staff('admin');
    const target = await signUpAndLogIn(test);
    const changed = await setRole(admin, target.userId, 'privacy');
    expect(changed.statusCode).toBe(200);
    expect(changed.json()).toEqual({ userId: target.userId, from: null, to: 'privacy', changed: true });

    const log = await get(admin, `/api/console/security-events?userId=${target.userId}&type=role_changed`);
    expect(log.statusCode).toBe(200);
    expect((log.json() as { data: unknown[] }).data).toEqual([
      expect.objectContaining({
        type: 'role_changed',
        userId: target.userId,
        actorId: admin.userId,
        details: { scope: 'staff', from: null, to: 'privacy', reason: 'Joined the team' },
      }),
    ]);

    // The new role applies to the session the user already has.
    expect((await get(target, '/api/console/security-events?limit=1')).statusCode).toBe(200);
    expect((await setRole(admin, target.userId, null)).statusCode).toBe(200);
    expect((await get(target, '/api/console/security-events?limit=1')).statusCode).toBe(403);
  });

  it('does not let an admin remove their own admin role', async () => {
    const admin = await staff('admin');
    const response = await setRole(admin, admin.userId, 'support');
    expect(response.statusCode).toBe(403);
    expect(response.json()).toMatchObject({ error: { type: 'forbidden' } });
    const [row] = await test.ctx.db.select().from(users).where(eq(users.id, admin.userId));
    expect(row?.staffRole).toBe('admin');
    expect((await setRole(admin, '00000000-0000-4000-8000-000000000000', 'support')).statusCode).toBe(404);
  });

  it('validates console inputs', async () => {
    const admin = await staff('admin');
    const target = await signUpAndLogIn(test);
    const noReason = await test.app.inject({
      method: 'PUT',
      url: `/api/console/users/${target.userId}/staff-role`,
      headers: admin.headers,
      payload: { role: 'admin' },
    });
    expect(noReason.statusCode).toBe(400);
    expect((await setRole(admin, target.userId, 'owner' as StaffRole)).statusCode).toBe(400);
    expect((await get(admin, '/api/console/security-events?type=made_up')).statusCode).toBe(400);
    expect((await get(admin, '/api/console/users?limit=500')).statusCode).toBe(400);
  });
});
