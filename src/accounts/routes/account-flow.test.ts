import { eq } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, logInAs, signUpAndLogIn, type TestApp } from '../../../test/test-app.js';
import { verifySecurityLog } from '../../audit/verify-security-log.js';
import { legalAcceptances, securityEvents, users } from '../../db/schema/index.js';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});

function logInRequest(payload: Record<string, unknown>) {
  return test.app.inject({ method: 'POST', url: '/api/auth/login', payload });
}

function sessionRequest(cookie: string) {
  return test.app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
}

async function currentVersions() {
  const response = await test.app.inject({ method: 'GET', url: '/api/legal/current' });
  return response.json() as { terms: { version: string }; privacy: { version: string } };
}

async function signUpBody(overrides: Record<string, unknown> = {}) {
  const current = await currentVersions();
  return {
    email: `flow${Math.random().toString(36).slice(2)}@example.com`,
    username: `flow${Math.random().toString(36).slice(2, 10)}`,
    password: 'a long and unusual passphrase',
    ageConfirmed: true,
    acceptedDocuments: { terms: current.terms.version, privacy: current.privacy.version },
    ...overrides,
  };
}

describe('sign-up', () => {
  it('stores the age attestation and each legal acceptance as evidence with IP and user agent', async () => {
    const body = await signUpBody();
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: body,
      headers: { 'user-agent': 'EvidenceBrowser/1.0' },
    });
    expect(response.statusCode).toBe(201);
    const [user] = await test.ctx.db.select().from(users).where(eq(users.email, body.email));
    expect(user?.ageConfirmed).toBe(true);
    expect(user?.emailVerifiedAt).toBeNull();
    expect(user?.passwordHash).toMatch(/^\$argon2id\$/);
    const acceptances = await test.ctx.db
      .select()
      .from(legalAcceptances)
      .where(eq(legalAcceptances.userId, user!.id));
    expect(acceptances.map((row) => row.documentType).sort()).toEqual(['privacy', 'terms']);
    for (const row of acceptances) {
      expect(row.ip).toBe('127.0.0.1');
      expect(row.userAgent).toBe('EvidenceBrowser/1.0');
      expect(row.documentVersion).toBeTruthy();
    }
  });

  it('names the missing attestation or acceptance in a 400', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ageConfirmed: undefined }, /18 or older/],
      [{ ageConfirmed: false }, /18 or older/],
      [{ acceptedDocuments: undefined }, /Terms of Service and the Privacy Policy/],
      [{ acceptedDocuments: { privacy: '1.0' } }, /Terms of Service/],
      [{ acceptedDocuments: { terms: '1.0' } }, /Privacy Policy/],
    ];
    for (const [override, message] of cases) {
      const response = await test.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: await signUpBody(override),
      });
      expect(response.statusCode, JSON.stringify(override)).toBe(400);
      expect(response.json().error.message).toMatch(message);
    }
  });

  it('refuses a stale document version with 409 naming the current one', async () => {
    const response = await test.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: await signUpBody({
        acceptedDocuments: { terms: '0.9', privacy: (await currentVersions()).privacy.version },
      }),
    });
    expect(response.statusCode).toBe(409);
    expect(response.json().error.message).toMatch(/Terms of Service changed/);
  });

  it('refuses common and short passwords', async () => {
    for (const password of ['short', 'password123', '1234567890']) {
      const response = await test.app.inject({
        method: 'POST',
        url: '/api/auth/signup',
        payload: await signUpBody({ password }),
      });
      expect(response.statusCode, password).toBe(400);
      expect(response.json().error.message).toMatch(/^password: /);
    }
  });

  it('answers a second sign-up with the same e-mail exactly like a new one, and mails the owner instead', async () => {
    const first = await signUpBody();
    await test.app.inject({ method: 'POST', url: '/api/auth/signup', payload: first });
    const again = await test.app.inject({
      method: 'POST',
      url: '/api/auth/signup',
      payload: { ...(await signUpBody()), email: first.email },
    });
    expect(again.statusCode).toBe(201);
    expect(again.json()).toEqual({
      status: 'accepted',
      message: 'Check your e-mail to confirm your address',
    });
    expect(test.mailbox.messages.at(-1)?.subject).toMatch(/tried to sign up/);
  });
});

describe('verification and log-in', () => {
  it('refuses log-in before the e-mail is verified and accepts a verification token once', async () => {
    const body = await signUpBody();
    await test.app.inject({ method: 'POST', url: '/api/auth/signup', payload: body });
    const early = await logInRequest({ email: body.email, password: body.password });
    expect(early.statusCode).toBe(403);
    expect(early.json().error.type).toBe('email_not_verified');
    const token = test.mailbox.lastToken(body.email);
    const first = await test.app.inject({
      method: 'POST',
      url: '/api/auth/verify-email',
      payload: { token },
    });
    expect(first.statusCode).toBe(200);
    const second = await test.app.inject({
      method: 'POST',
      url: '/api/auth/verify-email',
      payload: { token },
    });
    expect(second.statusCode).toBe(400);
    const login = await logInRequest({ email: body.email, password: body.password });
    expect(login.statusCode).toBe(200);
    const cookie = login.headers['set-cookie'];
    expect(String(cookie)).toMatch(/mg_session=.+HttpOnly/i);
    expect(String(cookie)).toMatch(/SameSite=Lax/i);
  });

  it('gives the same answer for an unknown e-mail and a wrong password', async () => {
    const user = await signUpAndLogIn(test);
    const wrong = await logInRequest({ email: user.email, password: 'not the password at all' });
    const unknown = await logInRequest({ email: 'nobody@example.com', password: 'not the password at all' });
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json()).toEqual(unknown.json());
  });

  it('locks the account after ten wrong passwords, logs every attempt, and unlocks with time', async () => {
    const user = await signUpAndLogIn(test);
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      const response = await test.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: user.email, password: `wrong password ${attempt}` },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
    const locked = await logInRequest({ email: user.email, password: user.password });
    expect(locked.statusCode).toBe(429);
    expect(locked.json().error.type).toBe('account_locked');
    expect(locked.headers['retry-after']).toBeDefined();

    const events = await test.ctx.db
      .select()
      .from(securityEvents)
      .where(eq(securityEvents.userId, user.userId));
    const failures = events.filter((event) => event.type === 'sign_in_failed');
    expect(failures).toHaveLength(12);
    expect(events.some((event) => event.type === 'account_locked')).toBe(true);
    expect((await verifySecurityLog(test.ctx.db)).ok).toBe(true);

    test.clock.advance(16 * 60_000);
    const after = await logInRequest({ email: user.email, password: user.password });
    expect(after.statusCode).toBe(200);
  });

  it('locks an unknown e-mail after the same number of attempts, so lockout reveals nothing', async () => {
    const statuses: number[] = [];
    for (let attempt = 0; attempt < 11; attempt++) {
      const response = await test.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { email: 'ghost@example.com', password: `wrong password ${attempt}` },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses[10]).toBe(429);
  });
});

describe('sessions and CSRF', () => {
  it('refuses a state-changing request without the CSRF token', async () => {
    const user = await signUpAndLogIn(test);
    const without = await test.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: { cookie: user.cookie },
      payload: { name: 'k' },
    });
    expect(without.statusCode).toBe(403);
    expect(without.json().error.type).toBe('csrf_failed');
    const wrong = await test.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: { cookie: user.cookie, 'x-csrf-token': 'x'.repeat(32) },
      payload: { name: 'k' },
    });
    expect(wrong.statusCode).toBe(403);
    const right = await test.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: user.headers,
      payload: { name: 'k' },
    });
    expect(right.statusCode).toBe(201);
  });

  it('lists sessions and logs out other devices', async () => {
    const first = await signUpAndLogIn(test);
    const second = await logInAs(test, first.email, first.password);
    const list = await test.app.inject({
      method: 'GET',
      url: '/api/account/sessions',
      headers: { cookie: first.cookie },
    });
    expect(list.json().data).toHaveLength(2);
    const revoke = await test.app.inject({
      method: 'POST',
      url: '/api/account/sessions/revoke-others',
      headers: first.headers,
    });
    expect(revoke.json().count).toBe(1);
    const secondNow = await sessionRequest(second.cookie);
    expect(secondNow.statusCode).toBe(401);
    const firstNow = await sessionRequest(first.cookie);
    expect(firstNow.statusCode).toBe(200);
  });

  it('shows each session with the country of its address, looked up offline, and no more', async () => {
    const user = await signUpAndLogIn(test);
    const abroad = await test.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      remoteAddress: '81.2.69.160',
      payload: { email: user.email, password: user.password },
    });
    expect(abroad.statusCode).toBe(200);
    const list = await test.app.inject({
      method: 'GET',
      url: '/api/account/sessions',
      headers: { cookie: user.cookie },
    });
    const sessions = list.json().data as Array<{ ip: string; country: string | null }>;
    expect(sessions.map(({ ip, country }) => [ip, country]).sort()).toEqual([
      ['127.0.0.1', null],
      ['81.2.69.160', 'GB'],
    ]);
  });

  it('resets a password by e-mail, ending every session', async () => {
    const user = await signUpAndLogIn(test);
    const request = await test.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: user.email },
    });
    expect(request.statusCode).toBe(202);
    const unknown = await test.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: 'nobody@example.com' },
    });
    expect(unknown.json()).toEqual(request.json());
    const token = test.mailbox.lastToken(user.email);
    const confirm = await test.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'a brand new long passphrase' },
    });
    expect(confirm.statusCode).toBe(200);
    const old = await sessionRequest(user.cookie);
    expect(old.statusCode).toBe(401);
    await expect(logInAs(test, user.email, 'a brand new long passphrase')).resolves.toBeTruthy();
    const reused = await test.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token, password: 'yet another long passphrase' },
    });
    expect(reused.statusCode).toBe(400);
  });
});

describe('API keys', () => {
  it('shows a key once, lists it by prefix, authenticates /v1/models, and stops within a second of revocation', async () => {
    const user = await signUpAndLogIn(test);
    const created = await test.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: user.headers,
      payload: {
        name: 'laptop',
        spendLimit: '25.50',
        spendLimitPeriod: 'week',
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      },
    });
    expect(created.statusCode).toBe(201);
    const { key, id } = created.json() as { key: string; id: string };
    expect(key).toMatch(/^mg-[A-Za-z0-9_-]{43}$/);

    const list = await test.app.inject({ method: 'GET', url: '/api/keys', headers: { cookie: user.cookie } });
    const listed = list.json().data[0];
    expect(listed).toMatchObject({
      id,
      name: 'laptop',
      prefix: key.slice(0, 11),
      spendLimit: '25.500000',
      spendLimitPeriod: 'week',
    });
    expect(await test.ctx.apiKeyCache.lookup(key)).toMatchObject({
      spendLimitMicros: 25_500_000n,
      spendLimitPeriod: 'week',
    });
    expect(JSON.stringify(list.json())).not.toContain(key);

    const models = await test.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(models.statusCode).toBe(200);
    expect(models.json()).toMatchObject({ object: 'list', data: expect.any(Array) });

    const revoke = await test.app.inject({ method: 'DELETE', url: `/api/keys/${id}`, headers: user.headers });
    expect(revoke.statusCode).toBe(200);
    const after = await test.app.inject({
      method: 'GET',
      url: '/v1/models',
      headers: { authorization: `Bearer ${key}` },
    });
    expect(after.statusCode).toBe(401);
    expect(after.json().error).toMatchObject({ type: 'authentication_error', code: 'invalid_api_key' });
  });

  it('rejects unknown and malformed keys in the OpenAI error shape', async () => {
    for (const authorization of [
      'Bearer mg-unknownkeyunknownkeyunknownkeyunknownkey123',
      'Bearer sk-other',
      'Basic abc',
      'Bearer',
    ]) {
      const response = await test.app.inject({
        method: 'GET',
        url: '/v1/models',
        headers: { authorization },
      });
      expect(response.statusCode, authorization).toBe(401);
      expect(response.json().error.type).toBe('authentication_error');
    }
    const none = await test.app.inject({ method: 'GET', url: '/v1/models' });
    expect(none.statusCode).toBe(401);
  });

  it('sees a revocation made elsewhere (another instance, the CLI) within one second', async () => {
    const user = await signUpAndLogIn(test);
    const created = await test.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: user.headers,
      payload: { name: 'elsewhere' },
    });
    const { key, id } = created.json() as { key: string; id: string };
    expect(
      (
        await test.app.inject({
          method: 'GET',
          url: '/v1/models',
          headers: { authorization: `Bearer ${key}` },
        })
      ).statusCode,
    ).toBe(200);
    await test.ctx.pool.query('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]);
    test.clock.advance(1000);
    expect(
      (
        await test.app.inject({
          method: 'GET',
          url: '/v1/models',
          headers: { authorization: `Bearer ${key}` },
        })
      ).statusCode,
    ).toBe(401);
  });
});
