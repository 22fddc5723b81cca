/**
 * The web app in the reader's language: switched in Settings it applies at once (no reload),
 * survives a reload, and switches back; before sign-in the browser's languages decide, and the
 * language a visitor signs up in stays theirs after signing in. The pages whose English ships with
 * them (billing, keys, settings) are German too.
 */
import { eq } from 'drizzle-orm';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { users } from '../../src/db/schema/index.js';
import type { SignedInUser } from '../test-app.js';
import { startWebTest, type WebTest } from './web-test.js';

/** Set by an effect after the page has rendered in the language: read it with `expect.poll`. */
const documentLanguage = (page: Page) => page.evaluate<string>('document.documentElement.lang');

async function chooseLanguage(page: Page, name: string) {
  await page.goto('/settings?tab=privacy');
  await page.getByTestId('preferences-language').click();
  await page.getByRole('option', { name }).click();
  await page.getByTestId('preferences-save').click();
}

describe('the web app in other languages, in a real browser', () => {
  let web: WebTest;
  beforeAll(async () => {
    web = await startWebTest();
  });
  afterAll(async () => {
    await web?.close();
  });

  async function preferGerman(user: SignedInUser) {
    const saved = await web.server.app.inject({
      method: 'PUT',
      url: '/api/account/preferences',
      headers: user.headers,
      payload: { language: 'de' },
    });
    expect(saved.statusCode).toBe(200);
  }

  it('switches to German from the settings at once, keeps it after a reload, and switches back', async () => {
    const user = await web.creditedUser('1234.5');
    const { page, problems } = await web.newPage({ user });
    await page.goto('/chat');
    await page.getByRole('link', { name: 'Settings' }).waitFor();
    expect(await documentLanguage(page)).toBe('en');

    await chooseLanguage(page, 'Deutsch');
    // No reload: the navigation around the settings page turns German as soon as it is saved.
    await page.getByRole('link', { name: 'Einstellungen' }).waitFor();
    await expect.poll(() => documentLanguage(page)).toBe('de');
    await page.getByRole('link', { name: 'API-Schlüssel' }).waitFor();
    expect(await page.getByRole('link', { name: 'Settings' }).count()).toBe(0);

    await page.getByRole('link', { name: 'Chat' }).first().click();
    await page.getByText('Unterhaltung beginnen').waitFor();
    expect(await page.getByTestId('new-chat').innerText()).toBe('Neuer Chat');
    expect(await page.getByTestId('composer-input').getAttribute('placeholder')).toBe('Nachricht schreiben…');
    // Amounts follow the language too: a decimal comma and a dot between thousands.
    await expect.poll(() => page.getByTestId('header-balance').innerText()).toBe('1.234,50 USD');
    expect(await page.evaluate<string | null>("localStorage.getItem('mg_language')")).toBe('de');

    await page.reload();
    await page.getByText('Unterhaltung beginnen').waitFor();
    await page.getByRole('link', { name: 'Einstellungen' }).waitFor();
    await expect.poll(() => documentLanguage(page)).toBe('de');

    await chooseLanguage(page, 'English');
    await page.getByRole('link', { name: 'Settings' }).waitFor();
    await expect.poll(() => documentLanguage(page)).toBe('en');
    await page.getByRole('link', { name: 'Chat' }).first().click();
    await page.getByText('Start a conversation').waitFor();
    await expect.poll(() => page.getByTestId('header-balance').innerText()).toBe('1,234.50 USD');
    expect(problems).toEqual([]);
  });

  it('shows the log-in page in German to a signed-out visitor whose browser prefers German', async () => {
    const context = await web.newContext({ locale: 'de-DE' });
    try {
      const page = await context.newPage();
      await page.goto('/login');
      await page.getByRole('heading', { name: 'Anmelden' }).waitFor();
      await expect.poll(() => documentLanguage(page)).toBe('de');
      await page.getByRole('textbox', { name: 'Passwort' }).waitFor();
      await page.getByRole('link', { name: 'Konto erstellen' }).waitFor();
      await page.getByRole('link', { name: 'Nutzungsbedingungen' }).waitFor();

      // The visitor's own choice wins over the browser's, and is remembered.
      await page.getByTestId('auth-language').selectOption('en');
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
      await expect.poll(() => documentLanguage(page)).toBe('en');
      await page.reload();
      await page.getByRole('heading', { name: 'Log in' }).waitFor();
    } finally {
      await context.close();
    }
  });

  it('shows the billing, API keys and settings pages in German, with no English left on them', async () => {
    const user = await web.creditedUser('12.5');
    await preferGerman(user);
    const { page, problems } = await web.newPage({ user });

    await page.goto('/billing');
    await page.getByRole('heading', { name: 'Abrechnung', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Ausgaben im Zeitverlauf' }).waitFor();
    await page.getByRole('heading', { name: 'Buchungen' }).waitFor();
    await page.getByTestId('transaction-row').first().getByText('Gutschrift durch den Betreiber').waitFor();
    expect(await page.getByTestId('balance-available').innerText()).toBe('12,50 USD');
    const billing = await page.getByTestId('billing-page').innerText();
    for (const english of [
      'Balance',
      'Spend over time',
      'Transactions',
      'Download CSV',
      'Credit by the operator',
    ]) {
      expect(billing).not.toContain(english);
    }

    await page.getByRole('link', { name: 'API-Schlüssel' }).click();
    await page.getByRole('heading', { name: 'API-Schlüssel', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Ihre Schlüssel' }).waitFor();
    await page.getByTestId('create-key-button').click();
    await page.getByRole('dialog', { name: 'API-Schlüssel erstellen' }).waitFor();
    await page.getByRole('textbox', { name: 'Name' }).fill('Übersetzungstest');
    await page.getByTestId('create-key-submit').click();
    await page.getByRole('dialog', { name: 'Ihr neuer API-Schlüssel' }).waitFor();
    await page.getByTestId('created-key-done').click();
    const row = page.getByTestId('key-row').filter({ hasText: 'Übersetzungstest' });
    expect((await row.getByTestId('key-status').innerText()).toLowerCase()).toBe('aktiv');
    expect(await page.getByTestId('api-keys-page').innerText()).not.toContain('Your keys');

    await page.getByRole('link', { name: 'Einstellungen' }).click();
    await page.getByRole('heading', { name: 'Einstellungen', level: 1 }).waitFor();
    await page.getByRole('heading', { name: 'Profil' }).waitFor();
    await page.getByTestId('settings-tab-security').click();
    await page.getByRole('heading', { name: 'Zwei-Faktor-Authentifizierung' }).waitFor();
    await page.getByTestId('settings-tab-devices').click();
    await page.getByRole('heading', { name: 'Wo Sie angemeldet sind' }).waitFor();
    expect(await page.getByTestId('settings-page').innerText()).not.toContain('Two-factor authentication');
    expect(problems).toEqual([]);
  });

  it('keeps a German visitor in German after signing up and signing in', async () => {
    const context = await web.newContext({ locale: 'de-DE' });
    try {
      const page = await context.newPage();
      const email = `deutsch${Date.now()}@example.com`;
      const password = 'eine lange und ungewöhnliche Passphrase';
      await page.goto('/signup');
      await page.getByRole('heading', { name: 'Ihr Konto erstellen' }).waitFor();
      await page.getByLabel('E-Mail').fill(email);
      await page.getByLabel('Benutzername').fill(`deutsch${Date.now()}`);
      await page.getByLabel('Passwort', { exact: false }).first().fill(password);
      await page.getByLabel('Ich bin mindestens 18 Jahre alt').check();
      await page.getByLabel(/Ich akzeptiere/).check();
      await page.getByRole('button', { name: 'Konto erstellen' }).click();
      await page.getByRole('heading', { name: 'Prüfen Sie Ihr Postfach' }).waitFor();
      const [account] = await web.server.ctx.db
        .select({ language: users.language })
        .from(users)
        .where(eq(users.email, email));
      expect(account?.language).toBe('de');

      await page.goto(`/verify-email?token=${web.server.mailbox.lastToken(email)}`);
      await page.getByRole('heading', { name: 'E-Mail-Adresse bestätigt' }).waitFor();
      await page.goto('/login');
      await page.getByLabel('E-Mail').fill(email);
      await page.getByRole('textbox', { name: 'Passwort' }).fill(password);
      const preferences = page.waitForResponse((response) =>
        response.url().endsWith('/api/account/preferences'),
      );
      await page.getByRole('button', { name: 'Anmelden' }).click();
      await page.waitForURL(/\/chat$/);
      // Once the account's own preference has arrived, the app is still German: it is the account's.
      expect(await (await preferences).json()).toMatchObject({ language: 'de' });
      await page.getByRole('link', { name: 'Einstellungen' }).waitFor();
      await page.getByText('Unterhaltung beginnen').waitFor();
      await expect.poll(() => documentLanguage(page)).toBe('de');
    } finally {
      await context.close();
    }
  });
});
