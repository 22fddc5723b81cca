/**
 * The privacy centre in a real browser: a copy of one's data asked for with the password (a wrong
 * one is refused on the field), prepared by the export job and downloaded as a ZIP; another right
 * exercised with a detail; the account deleted, after which it cannot log in; and the mailed link
 * of a request staff entered, confirmed signed out.
 */
import { randomUUID } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStaffUser } from '../../src/console/create-staff.js';
import { buildDataExport } from '../../src/jobs/definitions/build-data-export.js';
import { logInAs, signUpAndLogIn } from '../test-app.js';
import { DESKTOP, PHONE, startWebTest, type WebTest } from './web-test.js';

const dataDir = path.join('.tmp', `privacy-centre-${randomUUID()}`);

describe('the privacy centre, in a real browser', () => {
  let web: WebTest;
  beforeAll(async () => {
    web = await startWebTest({ MIXGATE_DATA_DIR: dataDir });
  });
  afterAll(async () => {
    await web?.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('exports the data as a ZIP, takes another request, and deletes the account for good', async () => {
    const user = await signUpAndLogIn(web.server);
    const { page, problems } = await web.newPage({ user });
    await page.goto('/privacy');
    await page.getByRole('heading', { name: 'Privacy', level: 1 }).waitFor();
    await page.getByText('No requests yet').waitFor();
    // The providers this test instance is configured with (their own request, apart from the requests').
    await expect.poll(() => page.getByTestId('sub-processor').count()).toBeGreaterThan(0);

    await page.getByTestId('export-request').click();
    const modal = page.getByTestId('export-modal');
    await modal.getByRole('textbox', { name: 'Password' }).fill('not my password');
    await page.getByTestId('export-modal-confirm').click();
    await modal.getByText('The password is not correct').waitFor();
    expect(await page.getByTestId('request-row').count()).toBe(0);

    await modal.getByRole('textbox', { name: 'Password' }).fill(user.password);
    await page.getByTestId('export-modal-confirm').click();
    const accessRow = page.locator('[data-testid=request-row][data-type=access]');
    await accessRow.and(page.locator('[data-status=in_progress]')).waitFor();
    await page.getByTestId('export-preparing').waitFor();

    await buildDataExport.handler(web.server.ctx);
    await page.reload();
    await accessRow.and(page.locator('[data-status=completed]')).waitFor();
    const downloading = page.waitForEvent('download');
    await accessRow.getByTestId('export-download').click();
    const download = await downloading;
    expect(download.suggestedFilename()).toMatch(/^my-data-.*\.zip$/);
    const archive = await readFile(await download.path());
    expect(archive.subarray(0, 2).toString('latin1')).toBe('PK');

    await page.getByTestId('other-right-objection').check();
    await page.getByTestId('other-right-details').fill('I object to my usage being analysed.');
    await page.getByTestId('other-right-password').fill(user.password);
    await page.getByTestId('other-right-submit').click();
    const objection = page.locator('[data-testid=request-row][data-type=objection]');
    await objection.getByText('I object to my usage being analysed.').waitFor();
    expect(await objection.getAttribute('data-status')).toBe('in_progress');
    // On a phone the requests become cards, and nothing is wider than the screen.
    await page.setViewportSize(PHONE);
    await page.locator('[data-testid=requests-table]').waitFor({ state: 'detached' });
    expect(await page.getByTestId('request-row').count()).toBe(2);
    expect(
      await page.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth'),
    ).toBeLessThanOrEqual(0);
    await page.setViewportSize(DESKTOP);

    await page.getByTestId('delete-open').click();
    const confirm = page.getByTestId('delete-modal-confirm');
    await page.getByTestId('delete-modal-password').fill(user.password);
    // Nothing happens until the e-mail address is typed out.
    expect(await confirm.isDisabled()).toBe(true);
    await page.getByTestId('delete-modal-typed').fill(user.email.toUpperCase());
    await confirm.click();
    await page.waitForURL(/\/privacy\/account-deleted$/);
    await page.getByRole('heading', { name: 'Your account is being deleted' }).waitFor();

    await page.goto('/login');
    await page.getByLabel('E-mail').fill(user.email);
    await page.getByRole('textbox', { name: 'Password' }).fill(user.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').waitFor();
    expect(new URL(page.url()).pathname).toBe('/login');
    await expect(logInAs(web.server, user.email, user.password)).rejects.toThrow();

    // The wrong password (403), the signed-out session check and the refused log-in are the
    // browser's own reports of expected answers.
    const expected = /Failed to load resource: the server responded with a status of (401|403)/;
    expect(problems.filter((problem) => !expected.test(problem))).toEqual([]);
  });

  it('confirms a request staff entered from the mailed link, signed out, and only once', async () => {
    const officerEmail = `privacy-${randomUUID().slice(0, 8)}@example.com`;
    await createStaffUser(web.server.ctx, {
      email: officerEmail,
      password: 'a privacy officer',
      role: 'privacy',
    });
    const officer = await logInAs(web.server, officerEmail, 'a privacy officer');
    const user = await signUpAndLogIn(web.server);
    const entered = await fetch(`${web.server.url}/api/console/privacy-requests`, {
      method: 'POST',
      headers: { ...officer.headers, 'content-type': 'application/json' },
      body: JSON.stringify({ userId: user.userId, type: 'rectification', reason: 'Letter of 1 December' }),
    });
    expect(entered.status).toBe(201);
    const link = `/privacy/confirm-request?token=${web.server.mailbox.lastToken(user.email)}`;

    const { page, problems } = await web.newPage();
    await page.goto(link);
    await page.getByTestId('confirm-request-button').click();
    await page.getByRole('heading', { name: 'Request confirmed' }).waitFor();
    await page.getByText(/Correct my data/).waitFor();

    await page.goto(link);
    await page.getByTestId('confirm-request-button').click();
    await page.getByRole('heading', { name: 'Request not confirmed' }).waitFor();
    await page.getByText('This link is invalid, has already been used or has expired.').waitFor();

    const signedIn = await web.newPage({ user });
    await signedIn.page.goto('/privacy');
    const row = signedIn.page.locator('[data-testid=request-row][data-type=rectification]');
    await row.getByText('Received by e-mail or post').waitFor();
    expect(await row.getAttribute('data-status')).toBe('in_progress');

    const expected = /Failed to load resource: the server responded with a status of (400|401)/;
    expect(problems.filter((problem) => !expected.test(problem))).toEqual([]);
    expect(signedIn.problems).toEqual([]);
  });
});
