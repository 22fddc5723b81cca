/**
 * The language chosen at sign-up: the web app sends the one the visitor was reading, and the new
 * account keeps it, so signing in does not switch a German visitor to English.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, logInAs, type TestApp } from '../../../test/test-app.js';

let test: TestApp;
beforeAll(async () => {
  test = await createTestApp();
});

const PASSWORD = 'a long and unusual passphrase';

async function signUp(extra: Record<string, unknown>) {
  const current = (await test.app.inject({ method: 'GET', url: '/api/legal/current' })).json() as {
    terms: { version: string };
    privacy: { version: string };
  };
  const email = `language${Math.random().toString(36).slice(2)}@example.com`;
  const response = await test.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: {
      email,
      username: `lang${Math.random().toString(36).slice(2, 10)}`,
      password: PASSWORD,
      ageConfirmed: true,
      acceptedDocuments: { terms: current.terms.version, privacy: current.privacy.version },
      ...extra,
    },
  });
  return { email, response };
}

/** Confirms the address, logs in and reads the preferences the web app would load. */
async function languageAfterLogIn(email: string): Promise<string> {
  const verify = await test.app.inject({
    method: 'POST',
    url: '/api/auth/verify-email',
    payload: { token: test.mailbox.lastToken(email) },
  });
  expect(verify.statusCode).toBe(200);
  const user = await logInAs(test, email, PASSWORD);
  const preferences = await test.app.inject({
    method: 'GET',
    url: '/api/account/preferences',
    headers: { cookie: user.cookie },
  });
  expect(preferences.statusCode).toBe(200);
  return (preferences.json() as { language: string }).language;
}

describe('the language given at sign-up', () => {
  it('becomes the new account’s language', async () => {
    const { email, response } = await signUp({ language: 'de' });
    expect(response.statusCode).toBe(201);
    expect(await languageAfterLogIn(email)).toBe('de');
  });

  it('is optional: without it the account starts in English', async () => {
    const { email, response } = await signUp({});
    expect(response.statusCode).toBe(201);
    expect(await languageAfterLogIn(email)).toBe('en');
  });

  it('refuses a language the app does not speak, naming the ones it does', async () => {
    for (const language of ['it', 'DE', 'de-DE', '', 7]) {
      const { response } = await signUp({ language });
      expect(response.statusCode, String(language)).toBe(400);
      expect(response.json().error.message).toMatch(/en, de, fr, es/);
    }
  });
});
