/**
 * Publishing a new version of a legal document, end to end: the console validates it, every user
 * with a confirmed address is mailed a notice, the banner shows the diff, re-acceptance is asked
 * for once a material version takes effect, and the acceptance is stored with the version.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import {
  createTestApp,
  logInAs,
  type SignedInUser,
  signUpAndLogIn,
  type TestApp,
} from '../../../test/test-app.js';
import { createStaffUser } from '../../console/create-staff.js';
import { legalNoticeMail } from '../../jobs/definitions/legal-notice-mail.js';
import { sendLegalNotices } from './notice-mail.js';

const DAY = 86_400_000;
const PASSWORD = 'correct horse battery staple';
const NOTICE_SUBJECT = 'Changes to our Terms of Service';

async function newTestApp() {
  // Sessions outlive the clock jumps of these tests.
  const test = await createTestApp({ SESSION_TTL_HOURS: String(24 * 365) }, { webRoot: null });
  const queued: Array<{ name: string; data: object }> = [];
  test.ctx.jobs = {
    async send(name, data) {
      queued.push({ name, data });
      return randomUUID();
    },
  };
  return { test, queued };
}

async function staff(test: TestApp, role: string): Promise<SignedInUser> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  await createStaffUser(test.ctx, { email, password: PASSWORD, role });
  return logInAs(test, email, PASSWORD);
}

async function seededTermsBody(test: TestApp): Promise<string> {
  const rows = await test.ctx.db.execute<{ body_markdown: string }>(
    sql`SELECT body_markdown FROM legal_documents WHERE type = 'terms' AND version = '1.0'`,
  );
  return rows.rows[0]!.body_markdown;
}

function publish(test: TestApp, user: SignedInUser, payload: Record<string, unknown>) {
  return test.app.inject({
    method: 'POST',
    url: '/api/console/legal-documents',
    headers: user.headers,
    payload,
  });
}

function get(test: TestApp, user: SignedInUser, url: string) {
  return test.app.inject({ method: 'GET', url, headers: user.headers });
}

describe('publishing a legal document version', async () => {
  const { test, queued } = await newTestApp();
  const admin = await staff(test, 'admin');
  const valid = {
    type: 'privacy',
    version: '2.0',
    language: 'en',
    title: 'Privacy Policy',
    bodyMarkdown: 'Contact {{operator_email}}.',
    material: false,
    changeSummary: 'Shorter.',
  };

  it('is for admin and privacy staff only', async () => {
    expect((await publish(test, await signUpAndLogIn(test), valid)).statusCode).toBe(403);
    expect((await publish(test, await staff(test, 'support'), valid)).statusCode).toBe(403);
    const list = await get(test, await staff(test, 'privacy'), '/api/console/legal-documents');
    expect(list.statusCode).toBe(200);
  });

  it('refuses a version that exists, too short a notice, an unknown placeholder and a missing summary', async () => {
    const existing = await publish(test, admin, { ...valid, version: '1.0' });
    expect(existing.statusCode).toBe(409);

    const soon = new Date(test.clock.now.getTime() + 10 * DAY).toISOString();
    const tooSoon = await publish(test, admin, { ...valid, effectiveAt: soon });
    expect(tooSoon.statusCode).toBe(422);
    const earliest = new Date(test.clock.now.getTime() + 30 * DAY).toISOString();
    expect(tooSoon.json().error.message).toContain(`earliest effective date is ${earliest}`);

    const placeholder = await publish(test, admin, {
      ...valid,
      bodyMarkdown: 'Hello {{operator_shoe_size}}',
    });
    expect(placeholder.statusCode).toBe(422);
    expect(placeholder.json().error.message).toContain('{{operator_shoe_size}}');

    const { changeSummary: _summary, ...withoutSummary } = valid;
    expect((await publish(test, admin, withoutSummary)).statusCode).toBe(400);
    const { material: _material, ...withoutMaterial } = valid;
    expect((await publish(test, admin, withoutMaterial)).statusCode).toBe(400);
    expect((await publish(test, admin, { ...valid, version: 'two words' })).statusCode).toBe(400);
    expect(queued).toEqual([]);
  });

  it('publishes with 30 days of notice by default, and a translation takes its dates', async () => {
    const published = await publish(test, admin, valid);
    expect(published.statusCode).toBe(201);
    const { document } = published.json();
    expect(document).toMatchObject({
      type: 'privacy',
      version: '2.0',
      authoritative: true,
      status: 'upcoming',
      material: false,
      changeSummary: 'Shorter.',
      noticeCompletedAt: null,
      effectiveAt: new Date(test.clock.now.getTime() + 30 * DAY).toISOString(),
    });
    expect(queued).toEqual([{ name: 'legal-notice-mail', data: { documentId: document.id } }]);
    const events = await test.ctx.db.execute<{ details: Record<string, unknown>; actor_id: string }>(
      sql`SELECT details, actor_id FROM security_events WHERE type = 'legal_document_published'`,
    );
    expect(events.rows).toEqual([
      expect.objectContaining({
        actor_id: admin.userId,
        details: expect.objectContaining({ documentType: 'privacy', version: '2.0' }),
      }),
    ]);

    const missing = await publish(test, admin, {
      type: 'privacy',
      version: '9.9',
      language: 'de',
      authoritative: false,
      title: 'Datenschutzerklärung',
      bodyMarkdown: 'Kontakt {{operator_email}}.',
    });
    expect(missing.statusCode).toBe(404);
    const translation = await publish(test, admin, {
      type: 'privacy',
      version: '2.0',
      language: 'de',
      authoritative: false,
      title: 'Datenschutzerklärung',
      bodyMarkdown: 'Kontakt {{operator_email}}.',
    });
    expect(translation.statusCode).toBe(201);
    expect(translation.json().document).toMatchObject({
      language: 'de',
      authoritative: false,
      effectiveAt: document.effectiveAt,
      material: false,
      changeSummary: 'Shorter.',
    });
    expect(queued).toHaveLength(1);

    const list = await get(test, admin, '/api/console/legal-documents');
    const versions = (list.json().documents as Array<{ type: string; version: string; status: string }>)
      .filter((entry) => entry.type === 'privacy')
      .map((entry) => [entry.version, entry.status]);
    expect(versions).toEqual([
      ['2.0', 'upcoming'],
      ['2.0', 'upcoming'],
      ['1.0', 'current'],
    ]);

    const later = await publish(test, admin, {
      ...valid,
      version: '1.9',
      effectiveAt: new Date(test.clock.now.getTime() + 20 * DAY + 30 * DAY).toISOString(),
    });
    expect(later.statusCode).toBe(201);
    const earlier = await publish(test, admin, {
      ...valid,
      version: '1.8',
      effectiveAt: new Date(test.clock.now.getTime() + 31 * DAY).toISOString(),
    });
    expect(earlier.statusCode).toBe(422);
    expect(earlier.json().error.message).toContain('must take effect after version 1.9');
  });
});

describe('a new terms version', async () => {
  const { test, queued } = await newTestApp();
  const admin = await staff(test, 'admin');
  const alice = await signUpAndLogIn(test);
  const bob = await signUpAndLogIn(test);
  const unverifiedEmail = `unverified-${randomUUID().slice(0, 8)}@example.com`;
  const signup = await test.app.inject({
    method: 'POST',
    url: '/api/auth/signup',
    payload: {
      email: unverifiedEmail,
      username: `unverified${randomUUID().slice(0, 6)}`,
      password: PASSWORD,
      ageConfirmed: true,
      acceptedDocuments: { terms: '1.0', privacy: '1.0' },
    },
  });
  expect(signup.statusCode).toBe(201);
  await test.ctx.db.execute(sql`UPDATE users SET language = 'de' WHERE id = ${alice.userId}`);
  const oldBody = await seededTermsBody(test);
  // A word removed, a sentence added.
  const firstWord = /\b([A-Za-z]{6,})\b/.exec(oldBody)![1]!;
  const newBody = `${oldBody.replace(firstWord, 'Rewritten')}\n\nRefunds are handled within fourteen days.\n`;

  it('mails every verified user a notice, resumably, and announces the diff', async () => {
    const published = await publish(test, admin, {
      type: 'terms',
      version: '1.1',
      language: 'en',
      title: 'Terms of Service',
      bodyMarkdown: newBody,
      material: true,
      changeSummary: 'We now explain refunds.',
    });
    expect(published.statusCode).toBe(201);
    const { document } = published.json();
    expect(queued.map((job) => job.name)).toEqual([legalNoticeMail.name]);
    const german = await publish(test, admin, {
      type: 'terms',
      version: '1.1',
      language: 'de',
      authoritative: false,
      title: 'Nutzungsbedingungen',
      bodyMarkdown: newBody,
    });
    expect(german.statusCode).toBe(201);

    const mailsBefore = test.mailbox.messages.length;
    // One batch of one, as if the job stopped there: the cursor remembers who was mailed.
    expect(await sendLegalNotices(test.ctx, { batchSize: 1, maxBatches: 1 })).toEqual({
      mailed: 1,
      failed: 0,
    });
    const cursor = await test.ctx.db.execute<{
      notice_cursor: string | null;
      notice_completed_at: Date | null;
    }>(sql`SELECT notice_cursor, notice_completed_at FROM legal_documents WHERE id = ${document.id}`);
    expect(cursor.rows[0]!.notice_cursor).not.toBeNull();
    expect(cursor.rows[0]!.notice_completed_at).toBeNull();
    await legalNoticeMail.handler(test.ctx);
    await legalNoticeMail.handler(test.ctx);

    const notices = test.mailbox.messages.slice(mailsBefore);
    const verified = await test.ctx.db.execute<{ email: string }>(
      sql`SELECT email FROM users WHERE email_verified_at IS NOT NULL AND status IN ('active', 'suspended')`,
    );
    expect(notices.map((mail) => mail.to).sort()).toEqual(verified.rows.map((row) => row.email).sort());
    expect(notices.map((mail) => mail.to)).toEqual(expect.arrayContaining([alice.email, bob.email]));
    expect(notices.map((mail) => mail.to)).not.toContain(unverifiedEmail);
    const toBob = notices.find((mail) => mail.to === bob.email)!;
    expect(toBob.subject).toBe(NOTICE_SUBJECT);
    expect(toBob.text).toContain('We now explain refunds.');
    expect(toBob.text).toContain('This is a material change.');
    expect(toBob.text).toContain('/legal/terms/changes?from=1.0&to=1.1');
    expect(notices.find((mail) => mail.to === alice.email)!.subject).toBe(
      'Changes to our Nutzungsbedingungen',
    );
    const done = await test.ctx.db.execute<{ notice_completed_at: Date | null }>(
      sql`SELECT notice_completed_at FROM legal_documents WHERE id = ${document.id}`,
    );
    expect(done.rows[0]!.notice_completed_at).not.toBeNull();

    const announcements = (await get(test, bob, '/api/legal/announcements')).json().announcements;
    expect(announcements).toHaveLength(1);
    const [terms] = announcements;
    expect(terms).toMatchObject({
      type: 'terms',
      version: '1.1',
      language: 'en',
      status: 'upcoming',
      material: true,
      acceptanceRequired: true,
      previousVersion: '1.0',
      changeSummary: 'We now explain refunds.',
      changesUrl: '/legal/terms/changes?from=1.0&to=1.1',
      effectiveAt: document.effectiveAt,
    });
    const diff = terms.diff as Array<{ kind: string; text: string }>;
    expect(diff).toContainEqual({ kind: 'removed', text: firstWord });
    expect(
      diff
        .filter((part) => part.kind === 'added')
        .map((part) => part.text)
        .join(''),
    ).toContain('Refunds are handled within fourteen days.');
    const forAlice = (await get(test, alice, '/api/legal/announcements')).json().announcements;
    expect(forAlice[0]).toMatchObject({ title: 'Nutzungsbedingungen', language: 'de' });
  });

  it('asks for nothing before the effective date, then for the new version, and records it', async () => {
    expect((await get(test, bob, '/api/legal/acceptance')).json().documents).toEqual([]);

    test.clock.advance(31 * DAY);
    const pending = await get(test, bob, '/api/legal/acceptance');
    expect(pending.json().documents).toEqual([
      {
        type: 'terms',
        version: '1.1',
        url: '/legal/terms?version=1.1',
        material: true,
        previousVersion: '1.0',
        changesUrl: '/legal/terms/changes?from=1.0&to=1.1',
      },
    ]);
    const announced = (await get(test, bob, '/api/legal/announcements')).json().announcements;
    expect(announced).toMatchObject([{ version: '1.1', status: 'in_effect', acceptanceRequired: true }]);

    const stale = await test.app.inject({
      method: 'POST',
      url: '/api/legal/acceptance',
      headers: bob.headers,
      payload: { terms: '1.0' },
    });
    expect(stale.statusCode).toBe(409);
    const accepted = await test.app.inject({
      method: 'POST',
      url: '/api/legal/acceptance',
      headers: bob.headers,
      payload: { terms: '1.1' },
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().documents).toEqual([]);
    const rows = await test.ctx.db.execute<{ document_version: string; version: string }>(
      sql`SELECT a.document_version, d.version FROM legal_acceptances a JOIN legal_documents d ON d.id = a.document_id
          WHERE a.user_id = ${bob.userId} AND a.document_type = 'terms' ORDER BY a.accepted_at DESC LIMIT 1`,
    );
    expect(rows.rows).toEqual([{ document_version: '1.1', version: '1.1' }]);
    expect((await get(test, bob, '/api/legal/announcements')).json().announcements).toEqual([]);
  });

  it('requires nothing for a later non-material version', async () => {
    const published = await publish(test, admin, {
      type: 'terms',
      version: '1.2',
      language: 'en',
      title: 'Terms of Service',
      bodyMarkdown: `${newBody}\nTypo fixed.\n`,
      material: false,
      changeSummary: 'A typo.',
    });
    expect(published.statusCode).toBe(201);
    // Two instances running the job at once: each user still gets one notice.
    const mailsBefore = test.mailbox.messages.length;
    await Promise.all([
      sendLegalNotices(test.ctx, { batchSize: 2 }),
      sendLegalNotices(test.ctx, { batchSize: 2 }),
    ]);
    const notices = test.mailbox.messages.slice(mailsBefore).map((mail) => mail.to);
    expect(notices).toContain(bob.email);
    expect(new Set(notices).size).toBe(notices.length);
    expect(test.mailbox.messages.at(-1)!.text).toContain('This change is not material');
    test.clock.advance(31 * DAY);
    expect((await get(test, bob, '/api/legal/acceptance')).json().documents).toEqual([]);
    const announced = (await get(test, bob, '/api/legal/announcements')).json().announcements;
    expect(announced).toMatchObject([
      { version: '1.2', status: 'in_effect', acceptanceRequired: false, previousVersion: '1.1' },
    ]);
    // Alice never accepted 1.1: she is still asked for the material change, at the version in effect.
    expect((await get(test, alice, '/api/legal/acceptance')).json().documents).toMatchObject([
      { type: 'terms', version: '1.2', material: true, previousVersion: '1.0' },
    ]);
  });

  it('shows the changes as a page with <ins> and <del>, and as JSON', async () => {
    const page = await test.app.inject({
      url: '/legal/terms/changes?from=1.0&to=1.1',
      headers: { accept: 'text/html' },
    });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.body).toContain(`<del>${firstWord}</del>`);
    expect(page.body).toMatch(/<ins>[^<]*Refunds are handled within fourteen days\.[^<]*<\/ins>/);
    const json = await test.app.inject({ url: '/legal/terms/changes?from=1.0&to=1.1&format=json' });
    expect(json.json()).toMatchObject({ type: 'terms', from: { version: '1.0' }, to: { version: '1.1' } });
    expect((await test.app.inject({ url: '/legal/terms/changes?from=1.0&to=7.7' })).statusCode).toBe(404);
    expect((await test.app.inject({ url: '/legal/shoes/changes?from=1.0&to=1.1' })).statusCode).toBe(404);
  });
});
