import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createTestApp, signUpAndLogIn } from '../../test/test-app.js';

describe('logs', () => {
  it('never contain passwords, session tokens, CSRF tokens, e-mailed tokens or API keys', async () => {
    let logged = '';
    const logStream = new Writable({
      write(chunk, _encoding, done) {
        logged += chunk.toString();
        done();
      },
    });
    const test = await createTestApp({ LOG_LEVEL: 'trace' }, { logStream });
    const user = await signUpAndLogIn(test);
    const created = await test.app.inject({
      method: 'POST',
      url: '/api/keys',
      headers: user.headers,
      payload: { name: 'k' },
    });
    const { key } = created.json() as { key: string };
    await test.app.inject({ method: 'GET', url: '/v1/models', headers: { authorization: `Bearer ${key}` } });
    await test.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset',
      payload: { email: user.email },
    });
    const resetToken = test.mailbox.lastToken(user.email);
    await test.app.inject({
      method: 'POST',
      url: '/api/auth/password-reset/confirm',
      payload: { token: resetToken, password: 'another secret passphrase' },
    });

    expect(logged.length).toBeGreaterThan(1000);
    expect(logged).toContain('/api/auth/login');
    const secrets = [
      user.password,
      'another secret passphrase',
      user.cookie.split('=')[1]!,
      user.csrfToken,
      key,
      resetToken,
    ];
    for (const secret of secrets) expect(logged).not.toContain(secret);
  });
});
