import { eq } from 'drizzle-orm';
import * as OTPAuth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { createTestApp, type SignedInUser, signUpAndLogIn } from '../../../test/test-app.js';
import { recoveryCodes, securityEvents, users } from '../../db/schema/index.js';

const test = await createTestApp();

function codeAt(secret: string, time: Date): string {
  return new OTPAuth.TOTP({ secret: OTPAuth.Secret.fromBase32(secret) }).generate({
    timestamp: time.getTime(),
  });
}

/** A well-formed code that matches none of the steps the server accepts right now. */
function wrongCode(secret: string): string {
  const accepted = [-30_000, 0, 30_000].map((offset) =>
    codeAt(secret, new Date(test.clock.now.getTime() + offset)),
  );
  for (let candidate = 0; ; candidate++) {
    const code = String(candidate).padStart(6, '0');
    if (!accepted.includes(code)) return code;
  }
}

/** A code from the next time step, so it has not been used yet. */
function freshCode(secret: string): string {
  test.clock.advance(30_000);
  return codeAt(secret, test.clock.now);
}

function post(user: SignedInUser, path: string, payload?: Record<string, unknown>) {
  return test.app.inject({ method: 'POST', url: `/api/account/2fa/${path}`, headers: user.headers, payload });
}

function logIn(user: SignedInUser, extra: Record<string, string> = {}) {
  return test.app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { email: user.email, password: user.password, ...extra },
  });
}

async function enabledUser(): Promise<{ user: SignedInUser; secret: string; codes: string[] }> {
  const user = await signUpAndLogIn(test);
  const setup = await post(user, 'setup');
  const { secret } = setup.json() as { secret: string };
  const enable = await post(user, 'enable', { code: codeAt(secret, test.clock.now) });
  expect(enable.statusCode).toBe(200);
  return { user, secret, codes: (enable.json() as { recoveryCodes: string[] }).recoveryCodes };
}

async function userRow(userId: string) {
  const [row] = await test.ctx.db.select().from(users).where(eq(users.id, userId));
  return row!;
}

async function eventTypes(userId: string): Promise<string[]> {
  const rows = await test.ctx.db.select().from(securityEvents).where(eq(securityEvents.userId, userId));
  return rows.map((row) => row.type);
}

describe('two-factor authentication', () => {
  it('sets up, enables, demands a code at sign-in, refuses replays and used recovery codes, and disables', async () => {
    const user = await signUpAndLogIn(test);

    const setup = await post(user, 'setup');
    expect(setup.statusCode).toBe(200);
    const { secret, otpauthUrl } = setup.json() as { secret: string; otpauthUrl: string };
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(otpauthUrl).toMatch(/^otpauth:\/\/totp\//);
    expect(otpauthUrl).toContain(`secret=${secret}`);
    expect((await userRow(user.userId)).totpEnabledAt).toBeNull();

    const wrong = await post(user, 'enable', { code: wrongCode(secret) });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json()).toMatchObject({
      error: { type: 'invalid_request', message: 'Incorrect authentication code' },
    });

    const enable = await post(user, 'enable', { code: codeAt(secret, test.clock.now) });
    expect(enable.statusCode).toBe(200);
    const codes = (enable.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    expect((await userRow(user.userId)).totpEnabledAt).not.toBeNull();
    expect(test.mailbox.messages.at(-1)).toMatchObject({
      to: user.email,
      subject: 'Security notice: two-factor authentication was turned on',
    });
    expect(await eventTypes(user.userId)).toContain('two_factor_enabled');

    expect((await post(user, 'setup')).statusCode).toBe(409);

    const logout = await test.app.inject({ method: 'POST', url: '/api/auth/logout', headers: user.headers });
    expect(logout.statusCode).toBe(200);

    const withoutCode = await logIn(user);
    expect(withoutCode.statusCode).toBe(401);
    expect(withoutCode.json()).toMatchObject({ error: { type: 'two_factor_required' } });

    const code = freshCode(secret);
    expect((await logIn(user, { totpCode: code })).statusCode).toBe(200);
    const replay = await logIn(user, { totpCode: code });
    expect(replay.statusCode).toBe(401);
    expect(replay.json()).toMatchObject({ error: { type: 'unauthenticated' } });

    const recovered = await logIn(user, { recoveryCode: codes[0]! });
    expect(recovered.statusCode).toBe(200);
    expect((await logIn(user, { recoveryCode: codes[0]! })).statusCode).toBe(401);

    const session = recovered.cookies.find((cookie) => cookie.name === 'mg_session')!;
    const signedIn: SignedInUser = {
      ...user,
      headers: {
        cookie: `mg_session=${session.value}`,
        'x-csrf-token': (recovered.json() as { csrfToken: string }).csrfToken,
      },
    };
    const disable = await post(signedIn, 'disable', { password: user.password, code: freshCode(secret) });
    expect(disable.statusCode).toBe(200);
    const row = await userRow(user.userId);
    expect(row.totpSecretSealed).toBeNull();
    expect(row.totpEnabledAt).toBeNull();
    expect(
      await test.ctx.db.select().from(recoveryCodes).where(eq(recoveryCodes.userId, user.userId)),
    ).toEqual([]);
    expect(await eventTypes(user.userId)).toContain('two_factor_disabled');
    expect(test.mailbox.messages.at(-1)?.subject).toBe(
      'Security notice: two-factor authentication was turned off',
    );
    expect((await logIn(user)).statusCode).toBe(200);
  });

  it('stores the secret sealed, never in plain text', async () => {
    const user = await signUpAndLogIn(test);
    const { secret } = (await post(user, 'setup')).json() as { secret: string };
    const { rows } = await test.ctx.pool.query<{ row: string }>(
      'SELECT row_to_json(users)::text AS row FROM users WHERE id = $1',
      [user.userId],
    );
    expect(rows[0]!.row).not.toContain(secret);
    expect(rows[0]!.row.toLowerCase()).not.toContain(secret.toLowerCase());
    expect((await userRow(user.userId)).totpSecretSealed).toMatch(/^v1\./);
  });

  it('enables only with a code from the latest pending secret', async () => {
    const user = await signUpAndLogIn(test);
    expect((await post(user, 'enable', { code: '123456' })).statusCode).toBe(409);
    const first = (await post(user, 'setup')).json() as { secret: string };
    const second = (await post(user, 'setup')).json() as { secret: string };
    expect(second.secret).not.toBe(first.secret);
    const stale = await post(user, 'enable', { code: codeAt(first.secret, test.clock.now) });
    expect(stale.statusCode).toBe(400);
    expect((await post(user, 'enable', { code: codeAt(second.secret, test.clock.now) })).statusCode).toBe(
      200,
    );
  });

  it('disables with a recovery code, but not with a wrong password or a wrong code', async () => {
    const { user, codes } = await enabledUser();
    const wrongPassword = await post(user, 'disable', {
      password: 'not the password at all',
      code: codes[0]!,
    });
    expect(wrongPassword.statusCode).toBe(403);
    const wrongCode = await post(user, 'disable', { password: user.password, code: 'aaaa-bbbb-cccc' });
    expect(wrongCode.statusCode).toBe(400);
    expect(wrongCode.json()).toMatchObject({
      error: { type: 'invalid_request', message: 'Incorrect authentication code' },
    });
    expect((await userRow(user.userId)).totpEnabledAt).not.toBeNull();

    expect((await post(user, 'disable', { password: user.password, code: codes[0]! })).statusCode).toBe(200);
    expect((await userRow(user.userId)).totpEnabledAt).toBeNull();
    expect((await post(user, 'disable', { password: user.password, code: codes[1]! })).statusCode).toBe(409);
  });

  it('replaces the recovery codes when asked with the password', async () => {
    const { user, codes: oldCodes } = await enabledUser();
    expect((await post(user, 'recovery-codes', { password: 'not the password at all' })).statusCode).toBe(
      403,
    );
    const renewed = await post(user, 'recovery-codes', { password: user.password });
    expect(renewed.statusCode).toBe(200);
    const newCodes = (renewed.json() as { recoveryCodes: string[] }).recoveryCodes;
    expect(newCodes).toHaveLength(10);
    expect((await logIn(user, { recoveryCode: oldCodes[1]! })).statusCode).toBe(401);
    expect((await logIn(user, { recoveryCode: newCodes[1]! })).statusCode).toBe(200);
  });

  it('needs the CSRF header and refuses unknown body fields', async () => {
    const user = await signUpAndLogIn(test);
    const noCsrf = await test.app.inject({
      method: 'POST',
      url: '/api/account/2fa/setup',
      headers: { cookie: user.cookie },
    });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json()).toMatchObject({ error: { type: 'csrf_failed' } });
    const extra = await post(user, 'recovery-codes', { password: user.password, role: 'admin' });
    expect(extra.statusCode).toBe(400);
  });
});
