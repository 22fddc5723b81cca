import { describe, expect, it } from 'vitest';
import { createTestApp, signUpAndLogIn } from '../../../test/test-app.js';

async function signUp(test: Awaited<ReturnType<typeof createTestApp>>, index: number, ip: string) {
  return test.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    remoteAddress: ip,
    payload: {
      email: `limit${index}@example.com`,
      username: `limit${index}`,
      password: 'a long and unusual passphrase',
      ageConfirmed: true,
      acceptedDocuments: { terms: '1.0', privacy: '1.0' },
    },
  });
}

describe('per-IP limits', () => {
  it('refuses sign-ups past the hourly limit from one address, with Retry-After, and not from another', async () => {
    const test = await createTestApp({ SIGNUP_LIMIT_PER_IP_HOUR: '2' });
    expect((await signUp(test, 1, '198.51.100.7')).statusCode).toBe(201);
    expect((await signUp(test, 2, '198.51.100.7')).statusCode).toBe(201);
    const third = await signUp(test, 3, '198.51.100.7');
    expect(third.statusCode).toBe(429);
    expect(third.json().error.type).toBe('rate_limited');
    expect(Number(third.headers['retry-after'])).toBeGreaterThan(0);
    expect((await signUp(test, 4, '203.0.113.9')).statusCode).toBe(201);
    test.clock.advance(3600_000);
    expect((await signUp(test, 5, '198.51.100.7')).statusCode).toBe(201);
  });

  it('refuses log-in attempts past the limit from one address', async () => {
    const test = await createTestApp({ LOGIN_LIMIT_PER_IP_10MIN: '3' });
    const statuses = [];
    for (let attempt = 0; attempt < 4; attempt++) {
      const response = await test.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        remoteAddress: '198.51.100.8',
        payload: { email: `nobody${attempt}@example.com`, password: 'whatever it is' },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('refuses reset mails past the limit from one address', async () => {
    const test = await createTestApp({ RESET_LIMIT_PER_IP_HOUR: '2' });
    const statuses = [];
    for (let attempt = 0; attempt < 3; attempt++) {
      const response = await test.app.inject({
        method: 'POST',
        url: '/api/auth/password-reset',
        remoteAddress: '198.51.100.9',
        payload: { email: `someone${attempt}@example.com` },
      });
      statuses.push(response.statusCode);
    }
    expect(statuses).toEqual([202, 202, 429]);
  });
});

describe('session cookie', () => {
  it('is Secure when the instance is served over HTTPS', async () => {
    const test = await createTestApp({ PUBLIC_URL: 'https://ai.example.com' });
    const user = await signUpAndLogIn(test);
    const login = await test.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: user.password },
    });
    expect(String(login.headers['set-cookie'])).toMatch(/; Secure/);
    expect(login.headers['strict-transport-security']).toBeDefined();
  });
});
