import { and, eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  createTestApp,
  logInAs,
  type SignedInUser,
  signUpAndLogIn,
  type TestApp,
} from '../../../test/test-app.js';
import { verifySecurityLog } from '../../audit/verify-security-log.js';
import { securityEvents } from '../../db/schema/index.js';

let test: TestApp;
beforeAll(async () => {
  // Every request here comes from 127.0.0.1: the per-address mail limit is tested on its own app.
  test = await createTestApp({ RESET_LIMIT_PER_IP_HOUR: '1000' });
});

function patchProfile(user: SignedInUser | null, payload: unknown) {
  return test.app.inject({
    method: 'PATCH',
    url: '/api/account/profile',
    headers: user?.headers ?? {},
    payload: payload as Record<string, unknown>,
  });
}

function requestChange(user: SignedInUser | null, payload: Record<string, unknown>) {
  return test.app.inject({
    method: 'POST',
    url: '/api/account/email',
    headers: user?.headers ?? {},
    payload,
  });
}

function confirmChange(token: string) {
  return test.app.inject({ method: 'POST', url: '/api/account/email/confirm', payload: { token } });
}

async function sessionUser(cookie: string) {
  const response = await test.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
  return response.json().user as { email: string; username: string; displayName: string | null };
}

async function eventsOf(userId: string, type: string) {
  return test.ctx.db
    .select()
    .from(securityEvents)
    .where(and(eq(securityEvents.userId, userId), eq(securityEvents.type, type)));
}

function newAddress() {
  return `moved${Math.random().toString(36).slice(2, 10)}@example.com`;
}

describe('PATCH /api/account/profile', () => {
  it('changes the username and display name, answers the public user and logs which fields changed', async () => {
    const user = await signUpAndLogIn(test);
    const username = `renamed${Math.random().toString(36).slice(2, 8)}`;
    const response = await patchProfile(user, { username, displayName: '  Ada Lovelace  ' });
    expect(response.statusCode).toBe(200);
    expect(response.json().user).toMatchObject({
      id: user.userId,
      email: user.email,
      username,
      displayName: 'Ada Lovelace',
      emailVerified: true,
    });
    expect(await sessionUser(user.cookie)).toMatchObject({ username, displayName: 'Ada Lovelace' });
    const [event] = await eventsOf(user.userId, 'profile_updated');
    expect(event?.details).toEqual({ fields: ['username', 'displayName'] });
    expect(JSON.stringify(event?.details)).not.toContain('Ada');
    expect((await verifySecurityLog(test.ctx.db)).ok).toBe(true);
  });

  it('clears the display name with an empty string or null, and logs nothing when nothing changes', async () => {
    const user = await signUpAndLogIn(test);
    await patchProfile(user, { displayName: 'Someone' });
    const emptied = await patchProfile(user, { displayName: '   ' });
    expect(emptied.json().user.displayName).toBeNull();
    await patchProfile(user, { displayName: 'Someone again' });
    const nulled = await patchProfile(user, { displayName: null });
    expect(nulled.json().user.displayName).toBeNull();
    const same = await patchProfile(user, { displayName: null, username: user.username });
    expect(same.statusCode).toBe(200);
    expect(await eventsOf(user.userId, 'profile_updated')).toHaveLength(4);
  });

  it('refuses a username another account has, in any case, with 409 naming the field', async () => {
    const taken = await signUpAndLogIn(test);
    const user = await signUpAndLogIn(test);
    const response = await patchProfile(user, { username: taken.username.toUpperCase() });
    expect(response.statusCode).toBe(409);
    expect(response.json().error).toMatchObject({
      type: 'conflict',
      message: 'That username is taken',
      details: { field: 'username' },
    });
    expect((await sessionUser(user.cookie)).username).toBe(user.username);
  });

  it('lets the owner change only the case of their own username', async () => {
    const user = await signUpAndLogIn(test);
    const response = await patchProfile(user, { username: user.username.toUpperCase() });
    expect(response.statusCode).toBe(200);
    expect(response.json().user.username).toBe(user.username.toUpperCase());
  });

  it('answers bad input with 400 and a message that names the problem', async () => {
    const user = await signUpAndLogIn(test);
    const cases: [unknown, RegExp][] = [
      [{ username: 'ab' }, /username: A username has 3 to 32/],
      [{ username: '-starts-with-dash' }, /starts with a letter or digit/],
      [{ displayName: 'x'.repeat(101) }, /displayName: A display name has at most 100 characters/],
      [{ displayName: '<script>' }, /cannot contain <, >/],
      [{}, /Send a username or a displayName/],
      [{ email: 'new@example.com' }, /email/],
    ];
    for (const [payload, message] of cases) {
      const response = await patchProfile(user, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.message, JSON.stringify(payload)).toMatch(message);
    }
    expect(await eventsOf(user.userId, 'profile_updated')).toHaveLength(0);
  });

  it('needs a session and its CSRF token', async () => {
    const anonymous = await patchProfile(null, { displayName: 'Nobody' });
    expect(anonymous.statusCode).toBe(401);
    const user = await signUpAndLogIn(test);
    const withoutCsrf = await test.app.inject({
      method: 'PATCH',
      url: '/api/account/profile',
      headers: { cookie: user.cookie },
      payload: { displayName: 'Forged' },
    });
    expect(withoutCsrf.statusCode).toBe(403);
    expect(withoutCsrf.json().error.type).toBe('csrf_failed');
  });
});

describe('changing the e-mail address', () => {
  it('mails a link to the new address and a notice to the old one, and changes the address only on the link', async () => {
    const user = await signUpAndLogIn(test);
    const otherDevice = await logInAs(test, user.email, user.password);
    const newEmail = newAddress();
    const response = await requestChange(user, { newEmail, password: user.password });
    expect(response.statusCode).toBe(202);
    expect(response.json()).toEqual({
      status: 'accepted',
      message: `We sent a confirmation link to ${newEmail}. Your address changes when you open it.`,
    });

    const link = test.mailbox.messages.findLast((message) => message.to === newEmail);
    expect(link?.subject).toBe('Confirm your new e-mail address');
    expect(link?.text).toMatch(/\/confirm-email\?token=[A-Za-z0-9_-]{43}\b/);
    const notice = test.mailbox.messages.findLast((message) => message.to === user.email);
    expect(notice?.subject).toMatch(/change of your e-mail address was requested/);
    expect(notice?.text).toContain(newEmail);
    expect(notice?.text).not.toMatch(/token=/);
    expect((await sessionUser(user.cookie)).email).toBe(user.email);

    const confirmed = await confirmChange(test.mailbox.lastToken(newEmail));
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.json()).toEqual({ status: 'email_changed', email: newEmail });
    expect(await sessionUser(user.cookie)).toMatchObject({ email: newEmail, emailVerified: true });
    expect((await sessionUser(otherDevice.cookie)).email).toBe(newEmail);
    const changed = test.mailbox.messages.at(-1);
    expect(changed).toMatchObject({ to: user.email });
    expect(changed?.text).toContain(`your e-mail address was changed to ${newEmail}`);

    await expect(logInAs(test, newEmail, user.password)).resolves.toBeTruthy();
    await expect(logInAs(test, user.email, user.password)).rejects.toThrow(/log-in failed/);
    const requested = await eventsOf(user.userId, 'email_change_requested');
    const done = await eventsOf(user.userId, 'email_changed');
    expect(requested).toHaveLength(1);
    expect(done).toHaveLength(1);
    expect(JSON.stringify([...requested, ...done].map((event) => event.details))).not.toContain(newEmail);
    expect((await verifySecurityLog(test.ctx.db)).ok).toBe(true);
  });

  it('accepts a link once', async () => {
    const user = await signUpAndLogIn(test);
    const newEmail = newAddress();
    await requestChange(user, { newEmail, password: user.password });
    const token = test.mailbox.lastToken(newEmail);
    expect((await confirmChange(token)).statusCode).toBe(200);
    const again = await confirmChange(token);
    expect(again.statusCode).toBe(400);
    expect(again.json().error.message).toMatch(/invalid, already used or expired/);
  });

  it('refuses a wrong password with 403 and mails nobody', async () => {
    const user = await signUpAndLogIn(test);
    const mailed = test.mailbox.messages.length;
    const response = await requestChange(user, { newEmail: newAddress(), password: 'not my password' });
    expect(response.statusCode).toBe(403);
    expect(response.json().error).toMatchObject({
      type: 'forbidden',
      message: 'The password is not correct',
      details: { field: 'password' },
    });
    expect(test.mailbox.messages.length).toBe(mailed);
    expect(await eventsOf(user.userId, 'email_change_requested')).toHaveLength(0);
  });

  it('refuses an address another account has with 409, and the current address with 400', async () => {
    const other = await signUpAndLogIn(test);
    const user = await signUpAndLogIn(test);
    const taken = await requestChange(user, { newEmail: other.email.toUpperCase(), password: user.password });
    expect(taken.statusCode).toBe(409);
    expect(taken.json().error).toMatchObject({
      message: 'Another account uses that e-mail address',
      details: { field: 'newEmail' },
    });
    const own = await requestChange(user, { newEmail: user.email, password: user.password });
    expect(own.statusCode).toBe(400);
    expect(own.json().error.message).toBe('That is already your e-mail address');
  });

  it('answers 409 at the link when the address was taken after it was sent', async () => {
    const user = await signUpAndLogIn(test);
    const newEmail = newAddress();
    await requestChange(user, { newEmail, password: user.password });
    const token = test.mailbox.lastToken(newEmail);
    await signUpAndLogIn(test, { email: newEmail });
    const response = await confirmChange(token);
    expect(response.statusCode).toBe(409);
    expect((await sessionUser(user.cookie)).email).toBe(user.email);
  });

  it('answers bad input with 400 and a message', async () => {
    const user = await signUpAndLogIn(test);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ newEmail: 'not an address', password: user.password }, /newEmail: Enter a valid e-mail address/],
      [{ newEmail: newAddress() }, /password/],
      [{ newEmail: newAddress(), password: '' }, /Enter a password/],
    ];
    for (const [payload, message] of cases) {
      const response = await requestChange(user, payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
      expect(response.json().error.message).toMatch(message);
    }
    const malformed = await confirmChange('short');
    expect(malformed.statusCode).toBe(400);
  });

  it('needs a session to ask, but not to open the link', async () => {
    const anonymous = await requestChange(null, { newEmail: newAddress(), password: 'whatever it is' });
    expect(anonymous.statusCode).toBe(401);
  });

  it('keeps only the newest link working', async () => {
    const user = await signUpAndLogIn(test);
    const first = newAddress();
    const second = newAddress();
    await requestChange(user, { newEmail: first, password: user.password });
    const firstToken = test.mailbox.lastToken(first);
    await requestChange(user, { newEmail: second, password: user.password });
    expect((await confirmChange(firstToken)).statusCode).toBe(400);
    expect((await confirmChange(test.mailbox.lastToken(second))).statusCode).toBe(200);
    expect((await sessionUser(user.cookie)).email).toBe(second);
  });

  it('cancels a pending change when the password changes, and old-address reset links after a change', async () => {
    const user = await signUpAndLogIn(test);
    const newEmail = newAddress();
    await requestChange(user, { newEmail, password: user.password });
    const pending = test.mailbox.lastToken(newEmail);
    const changed = await test.app.inject({
      method: 'POST',
      url: '/api/account/password',
      headers: user.headers,
      payload: { currentPassword: user.password, newPassword: 'another long passphrase here' },
    });
    expect(changed.statusCode).toBe(200);
    expect((await confirmChange(pending)).statusCode).toBe(400);

    await test.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: user.email },
    });
    const resetToken = test.mailbox.lastToken(user.email);
    await requestChange(user, { newEmail, password: 'another long passphrase here' });
    expect((await confirmChange(test.mailbox.lastToken(newEmail))).statusCode).toBe(200);
    const reset = await test.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token: resetToken, password: 'a hijacker would like this one' },
    });
    expect(reset.statusCode).toBe(400);
  });

  it('limits requests per user, counting wrong passwords', async () => {
    const user = await signUpAndLogIn(test);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const response = await requestChange(user, { newEmail: newAddress(), password: `guess ${attempt}` });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([403, 403, 403, 403, 403, 429]);
    test.clock.advance(3600_000);
    expect((await requestChange(user, { newEmail: newAddress(), password: user.password })).statusCode).toBe(
      202,
    );
  });

  it('limits the mails sent from one address', async () => {
    const limited = await createTestApp({ RESET_LIMIT_PER_IP_HOUR: '1' });
    const user = await signUpAndLogIn(limited);
    const send = () =>
      limited.app.inject({
        method: 'POST',
        url: '/api/account/email',
        headers: user.headers,
        remoteAddress: '198.51.100.20',
        payload: { newEmail: newAddress(), password: user.password },
      });
    expect((await send()).statusCode).toBe(202);
    const second = await send();
    expect(second.statusCode).toBe(429);
    expect(second.json().error.type).toBe('rate_limited');
  });
});
