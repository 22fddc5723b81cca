import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { createTestApp, logInAs, signUpAndLogIn } from '../../test/test-app.js';
import { securityEvents, users } from '../db/schema/index.js';
import { MixgateError } from '../lib/errors.js';
import { createStaffUser, createUserByOperator, usernameBase } from './create-staff.js';

const test = await createTestApp();
const PASSWORD = 'correct horse battery staple';

async function eventsOf(userId: string) {
  return test.ctx.db.select().from(securityEvents).where(eq(securityEvents.userId, userId));
}

function rejectsWith(code: string) {
  return (error: unknown) => error instanceof MixgateError && error.code === code;
}

describe('createStaffUser', () => {
  it('creates a verified staff account that can sign in', async () => {
    const created = await createStaffUser(test.ctx, {
      email: 'Ops.Lead@Example.com',
      password: PASSWORD,
      role: 'admin',
    });
    expect(created).toMatchObject({
      email: 'ops.lead@example.com',
      username: 'ops.lead',
      staffRole: 'admin',
      created: true,
    });

    const signedIn = await logInAs(test, 'ops.lead@example.com', PASSWORD);
    const session = await test.app.inject({
      method: 'GET',
      url: '/api/auth/session',
      headers: signedIn.headers,
    });
    expect(session.json()).toMatchObject({ user: { staffRole: 'admin', emailVerified: true } });
    const [row] = await test.ctx.db.select().from(users).where(eq(users.id, created.userId));
    expect(row?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(row?.ageConfirmed).toBe(true);
    const events = await eventsOf(created.userId);
    expect(events.filter((event) => event.type === 'staff_created').map((event) => event.details)).toEqual([
      { role: 'admin', existingAccount: false, via: 'cli' },
    ]);
  });

  it('gives an existing user the role without touching the password', async () => {
    const member = await signUpAndLogIn(test);
    const upgraded = await createStaffUser(test.ctx, {
      email: member.email,
      password: 'another long passphrase',
      role: 'support',
    });
    expect(upgraded).toMatchObject({ userId: member.userId, staffRole: 'support', created: false });
    await logInAs(test, member.email, member.password);
    const staffEvents = (await eventsOf(member.userId)).filter((event) => event.type === 'staff_created');
    expect(staffEvents.map((event) => event.details)).toEqual([
      { role: 'support', from: null, existingAccount: true, via: 'cli' },
    ]);
  });

  it('refuses an unknown role, a bad e-mail and a weak password', async () => {
    await expect(
      createStaffUser(test.ctx, { email: 'x@example.com', password: PASSWORD, role: 'root' }),
    ).rejects.toSatisfy(rejectsWith('invalid_request'));
    await expect(
      createStaffUser(test.ctx, { email: 'not-an-email', password: PASSWORD, role: 'admin' }),
    ).rejects.toSatisfy(rejectsWith('invalid_request'));
    await expect(
      createStaffUser(test.ctx, { email: 'weak@example.com', password: 'password', role: 'admin' }),
    ).rejects.toSatisfy(rejectsWith('invalid_request'));
    expect(await test.ctx.db.select().from(users).where(eq(users.email, 'weak@example.com'))).toEqual([]);
  });
});

describe('createUserByOperator', () => {
  it('creates verified users without a role and derives unique usernames', async () => {
    const first = await createUserByOperator(test.ctx, {
      email: 'jane+news@example.com',
      password: PASSWORD,
    });
    const second = await createUserByOperator(test.ctx, {
      email: 'jane+news@example.org',
      password: PASSWORD,
    });
    expect([first.username, second.username]).toEqual(['janenews', 'janenews2']);
    expect(first).toMatchObject({ staffRole: null, created: true });
    await logInAs(test, 'jane+news@example.com', PASSWORD);
    await expect(
      createUserByOperator(test.ctx, { email: 'jane+news@example.com', password: PASSWORD }),
    ).rejects.toSatisfy(rejectsWith('conflict'));
    await expect(
      createUserByOperator(test.ctx, {
        email: 'janet@example.com',
        password: PASSWORD,
        username: 'JaneNews',
      }),
    ).rejects.toSatisfy(rejectsWith('conflict'));
  });

  it('makes a valid username from any local part', () => {
    expect(usernameBase('a@example.com')).toBe('usera');
    expect(usernameBase('__x.y-z__@example.com')).toBe('x.y-z__');
    expect(usernameBase(`${'b'.repeat(60)}@example.com`)).toHaveLength(24);
    expect(usernameBase('ünïcødé@example.com')).toBe('ncd');
  });
});
