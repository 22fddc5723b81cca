/**
 * Privacy requests through the real app: the password verifies a request made in the app; a
 * request staff entered waits for the link mailed to the account; the export is the owner's alone
 * and gone after 7 days; an erasure is never executed while a legal hold or an owned organisation
 * blocks it, resumes where it stopped, and leaves a receipt staff can download; staff see what is
 * overdue. The export's content and the erasure's completeness are canary.test.ts's part.
 */
import { randomUUID } from 'node:crypto';
import { access, rm } from 'node:fs/promises';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestApp, logInAs, type SignedInUser, signUpAndLogIn } from '../../../test/test-app.js';
import { createApiKey } from '../../accounts/api-keys.js';
import { createStaffUser } from '../../console/create-staff.js';
import {
  organisationMembers,
  organisations,
  privacyRequests,
  securityEvents,
  users,
} from '../../db/schema/index.js';
import { buildDataExport } from '../../jobs/definitions/build-data-export.js';
import { eraseUserData } from '../../jobs/definitions/erase-user-data.js';
import { checkLedger } from '../../ledger/check-ledger.js';
import { contentFilePath } from '../content-files.js';
import { placeLegalHold, releaseLegalHold } from '../retention/legal-holds.js';
import { dueDate } from './request-kinds.js';

const DAY = 86_400_000;
const dataDir = path.join('.tmp', `privacy-requests-${randomUUID()}`);
const test = await createTestApp({ MIXGATE_DATA_DIR: dataDir });
afterAll(() => rm(dataDir, { recursive: true, force: true }));
const PASSWORD = 'correct horse battery staple';

async function staff(role: 'privacy' | 'support'): Promise<SignedInUser> {
  const email = `${role}-${randomUUID().slice(0, 8)}@example.com`;
  await createStaffUser(test.ctx, { email, password: PASSWORD, role });
  return logInAs(test, email, PASSWORD);
}

function call(user: SignedInUser | null, method: 'GET' | 'POST', url: string, payload?: object) {
  return test.app.inject({ method, url, headers: user?.headers ?? {}, ...(payload ? { payload } : {}) });
}

async function ownRequest(user: SignedInUser, type: string) {
  const response = await call(user, 'POST', '/api/privacy/requests', { type, password: PASSWORD });
  expect(response.statusCode, response.body).toBe(201);
  return (response.json() as { request: { id: string; status: string; dueAt: string; receivedAt: string } })
    .request;
}

async function staffRequest(officer: SignedInUser, user: SignedInUser, type: string) {
  const response = await call(officer, 'POST', '/api/console/privacy-requests', {
    userId: user.userId,
    type,
    reason: 'Received by e-mail from the account address',
  });
  expect(response.statusCode, response.body).toBe(201);
  const { id } = (response.json() as { request: { id: string } }).request;
  return { id, token: test.mailbox.lastToken(user.email) };
}

async function requestRow(id: string) {
  const [row] = await test.ctx.db.select().from(privacyRequests).where(eq(privacyRequests.id, id));
  return row!;
}

async function userRow(userId: string) {
  const [row] = await test.ctx.db.select().from(users).where(eq(users.id, userId));
  return row!;
}

async function eventTypes(userId: string): Promise<string[]> {
  const rows = await test.ctx.db.select().from(securityEvents).where(eq(securityEvents.userId, userId));
  return rows.map((row) => row.type);
}

describe('a request made in the app', () => {
  it('needs the account password, and keeps nothing when it is wrong', async () => {
    const user = await signUpAndLogIn(test);
    const wrong = await call(user, 'POST', '/api/privacy/requests', { type: 'access', password: 'not it' });
    expect(wrong.statusCode).toBe(403);
    expect(wrong.json()).toMatchObject({ error: { type: 'forbidden', details: { field: 'password' } } });
    expect((await call(user, 'GET', '/api/privacy/requests')).json()).toEqual({ requests: [] });
    expect(
      (await call(null, 'POST', '/api/privacy/requests', { type: 'access', password: PASSWORD })).statusCode,
    ).toBe(401);
  });

  it('is due one calendar month after it was received', () => {
    expect(dueDate(new Date('2026-01-31T10:00:00Z')).toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(dueDate(new Date('2028-01-31T10:00:00Z')).toISOString()).toBe('2028-02-29T10:00:00.000Z');
    expect(dueDate(new Date('2026-03-15T23:30:00Z')).toISOString()).toBe('2026-04-15T23:30:00.000Z');
    expect(dueDate(new Date('2026-12-20T08:00:00Z')).toISOString()).toBe('2027-01-20T08:00:00.000Z');
  });
});

describe('the access export', () => {
  it('is downloaded by its owner only, and is gone after 7 days', async () => {
    const owner = await signUpAndLogIn(test);
    const other = await signUpAndLogIn(test);
    const request = await ownRequest(owner, 'access');
    expect(request).toMatchObject({ status: 'in_progress' });
    expect(request.dueAt).toBe(dueDate(new Date(request.receivedAt)).toISOString());
    const url = `/api/privacy/requests/${request.id}/export`;
    expect((await call(owner, 'GET', url)).statusCode).toBe(409);
    expect(
      (await call(owner, 'POST', '/api/privacy/requests', { type: 'access', password: PASSWORD })).statusCode,
    ).toBe(409);

    await buildDataExport.handler(test.ctx);
    const mail = test.mailbox.messages.findLast((message) => message.to === owner.email);
    expect(mail?.subject).toBe('Your data export is ready');
    // The mail leads to the privacy centre's download button, not to the API route behind it.
    expect(mail?.text).toContain(`${test.ctx.config.publicUrl}/privacy\n`);
    expect(mail?.text).not.toContain('/api/');
    const listed = (await call(owner, 'GET', '/api/privacy/requests')).json() as {
      requests: Array<{ status: string; export: { url: string | null } }>;
    };
    expect(listed.requests[0]).toMatchObject({ status: 'completed', export: { url } });
    const download = await call(owner, 'GET', url);
    expect(download.statusCode).toBe(200);
    expect(download.headers['content-disposition']).toMatch(/^attachment; filename="my-data-/);
    expect(download.rawPayload.subarray(0, 2).toString('latin1')).toBe('PK');
    expect(await eventTypes(owner.userId)).toEqual(
      expect.arrayContaining(['privacy_request_received', 'data_export_ready', 'data_export_downloaded']),
    );

    expect((await call(other, 'GET', url)).statusCode).toBe(404);

    const { exportLocation } = await requestRow(request.id);
    const file = contentFilePath(test.ctx.config.dataDir, exportLocation!);
    await access(file);
    test.clock.advance(7 * DAY + 1000);
    const late = await call(owner, 'GET', url);
    expect(late.statusCode).toBe(410);
    await expect(access(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(
      ((await call(owner, 'GET', '/api/privacy/requests')).json() as typeof listed).requests[0],
    ).toMatchObject({
      export: { url: null },
    });
  });

  it('is deleted by the schedule once expired, downloaded or not', async () => {
    const owner = await signUpAndLogIn(test);
    const request = await ownRequest(owner, 'access');
    await buildDataExport.handler(test.ctx);
    const file = contentFilePath(test.ctx.config.dataDir, (await requestRow(request.id)).exportLocation!);
    await access(file);
    test.clock.advance(7 * DAY + 1000);
    await buildDataExport.handler(test.ctx);
    await expect(access(file)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await requestRow(request.id)).toMatchObject({ exportLocation: null, status: 'completed' });
  });
});

describe('an erasure that something blocks', () => {
  it('is refused while a legal hold is active, and nothing is executed', async () => {
    const officer = await staff('privacy');
    const user = await signUpAndLogIn(test);
    await placeLegalHold(test.ctx.db, {
      scope: 'user',
      subjectId: user.userId,
      reason: 'Pending dispute',
      ownerId: officer.userId,
      now: test.ctx.now(),
    });
    const refused = await call(user, 'POST', '/api/privacy/requests', {
      type: 'erasure',
      password: PASSWORD,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { type: 'conflict', details: { reason: 'legal_hold' } } });
    expect(refused.json().error.message).toMatch(/legal hold/);
    const byStaff = await call(officer, 'POST', '/api/console/privacy-requests', {
      userId: user.userId,
      type: 'erasure',
      reason: 'Letter received',
    });
    expect(byStaff.statusCode).toBe(409);
    expect((await call(user, 'GET', '/api/privacy/requests')).json()).toEqual({ requests: [] });
    expect(await userRow(user.userId)).toMatchObject({ status: 'active', email: user.email });
    expect(await eventTypes(user.userId)).toContain('privacy_request_refused');
  });

  it('waits, untouched, when a hold is placed after it was verified, and runs once the hold is released', async () => {
    const officer = await staff('privacy');
    const user = await signUpAndLogIn(test);
    const request = await ownRequest(user, 'erasure');
    const hold = await placeLegalHold(test.ctx.db, {
      scope: 'user',
      subjectId: user.userId,
      reason: 'Investigation',
      ownerId: officer.userId,
      now: test.ctx.now(),
    });
    await eraseUserData.handler(test.ctx);
    expect(await requestRow(request.id)).toMatchObject({ status: 'in_progress', receipt: null });
    expect((await requestRow(request.id)).blockedReason).toMatch(/legal hold/);
    expect(await userRow(user.userId)).toMatchObject({ status: 'erasing', email: user.email });

    await releaseLegalHold(test.ctx.db, { id: hold.id, actorId: officer.userId, now: test.ctx.now() });
    await eraseUserData.handler(test.ctx);
    expect(await requestRow(request.id)).toMatchObject({ status: 'completed', blockedReason: null });
    expect(await userRow(user.userId)).toMatchObject({
      status: 'erased',
      email: `erased+${user.userId}@invalid`,
    });
  });

  it('is refused while the user owns an organisation with other members', async () => {
    const owner = await signUpAndLogIn(test);
    const member = await signUpAndLogIn(test);
    const created = await call(owner, 'POST', '/api/organisations', {
      name: 'Acme Team',
      confirmAuthority: true,
    });
    expect(created.statusCode, created.body).toBe(201);
    const organisationId = (created.json() as { id: string }).id;
    await test.ctx.db
      .insert(organisationMembers)
      .values({ organisationId, userId: member.userId, role: 'member', addedBy: owner.userId });
    const refused = await call(owner, 'POST', '/api/privacy/requests', {
      type: 'erasure',
      password: PASSWORD,
    });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ error: { details: { reason: 'organisation_owner' } } });
    expect(refused.json().error.message).toMatch(/"Acme Team".*[Tt]ransfer/);
    expect(await userRow(owner.userId)).toMatchObject({ status: 'active' });
  });
});

describe('a request received by staff', () => {
  it('is entered by privacy staff only, and starts when the user opens the mailed link', async () => {
    const officer = await staff('privacy');
    const support = await staff('support');
    const user = await signUpAndLogIn(test);
    const body = {
      userId: user.userId,
      type: 'rectification',
      reason: 'E-mail of 3 March',
      details: 'Fix my name',
    };
    expect((await call(support, 'POST', '/api/console/privacy-requests', body)).statusCode).toBe(403);
    expect((await call(user, 'POST', '/api/console/privacy-requests', body)).statusCode).toBe(403);

    const created = await call(officer, 'POST', '/api/console/privacy-requests', body);
    expect(created.statusCode, created.body).toBe(201);
    const { request } = created.json() as { request: { id: string; status: string; source: string } };
    expect(request).toMatchObject({ status: 'awaiting_verification', source: 'staff' });
    const mail = test.mailbox.messages.findLast((message) => message.to === user.email);
    expect(mail?.text).toContain('/privacy/confirm-request?token=');
    const token = test.mailbox.lastToken(user.email);

    // Only a verified request can be completed.
    const early = await call(officer, 'POST', `/api/console/privacy-requests/${request.id}/complete`, {
      reason: 'Done',
    });
    expect(early.statusCode).toBe(409);
    expect(
      (await call(null, 'POST', '/api/privacy/requests/confirm', { token: 'x'.repeat(43) })).statusCode,
    ).toBe(400);
    const confirmed = await call(null, 'POST', '/api/privacy/requests/confirm', { token });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    expect(confirmed.json()).toMatchObject({ request: { id: request.id, status: 'in_progress' } });
    expect((await call(null, 'POST', '/api/privacy/requests/confirm', { token })).statusCode).toBe(400);
    expect(await requestRow(request.id)).toMatchObject({
      verification: 'email_link',
      verificationTokenHash: null,
    });

    const completed = await call(officer, 'POST', `/api/console/privacy-requests/${request.id}/complete`, {
      reason: 'Your display name was corrected.',
    });
    expect(completed.statusCode, completed.body).toBe(200);
    expect(completed.json()).toMatchObject({ request: { status: 'completed', handledBy: officer.userId } });
    expect(test.mailbox.messages.findLast((message) => message.to === user.email)?.text).toContain(
      'Your display name was corrected.',
    );
    const again = await call(officer, 'POST', `/api/console/privacy-requests/${request.id}/reject`, {
      reason: 'No',
    });
    expect(again.statusCode).toBe(409);
    expect(await eventTypes(user.userId)).toEqual(
      expect.arrayContaining([
        'privacy_request_received',
        'privacy_request_verified',
        'privacy_request_completed',
      ]),
    );
  });

  it('leaves access and erasure to their jobs: staff may reject them, not complete them', async () => {
    const officer = await staff('privacy');
    const user = await signUpAndLogIn(test);
    const request = await ownRequest(user, 'access');
    const complete = await call(officer, 'POST', `/api/console/privacy-requests/${request.id}/complete`, {
      reason: 'Sent by hand',
    });
    expect(complete.statusCode).toBe(409);
    const reject = await call(officer, 'POST', `/api/console/privacy-requests/${request.id}/reject`, {
      reason: 'Manifestly unfounded',
    });
    expect(reject.json()).toMatchObject({ request: { status: 'rejected' } });
  });

  it('unlocks the account when an erasure is rejected before it started', async () => {
    const officer = await staff('privacy');
    const user = await signUpAndLogIn(test);
    const { id, token } = await staffRequest(officer, user, 'erasure');
    expect((await call(null, 'POST', '/api/privacy/requests/confirm', { token })).statusCode).toBe(200);
    expect(await userRow(user.userId)).toMatchObject({ status: 'erasing' });
    expect((await call(user, 'GET', '/api/privacy/requests')).statusCode).toBe(401);
    const rejected = await call(officer, 'POST', `/api/console/privacy-requests/${id}/reject`, {
      reason: 'The person withdrew the request by phone.',
    });
    expect(rejected.statusCode, rejected.body).toBe(200);
    expect(await userRow(user.userId)).toMatchObject({ status: 'active' });
    await logInAs(test, user.email, PASSWORD);
  });
});

describe('an erasure entered by staff', () => {
  it('runs once confirmed, resumes after the receipt could not be mailed, and leaves a receipt for staff', async () => {
    const officer = await staff('privacy');
    const user = await signUpAndLogIn(test);
    await createApiKey(test.ctx.db, { userId: user.userId, name: 'cli' }, null, test.ctx.now());
    const solo = await call(user, 'POST', '/api/organisations', { name: 'Solo Ltd', confirmAuthority: true });
    const organisationId = (solo.json() as { id: string }).id;
    const { id, token } = await staffRequest(officer, user, 'erasure');
    expect(await requestRow(id)).toMatchObject({ status: 'awaiting_verification' });
    await eraseUserData.handler(test.ctx);
    expect(await userRow(user.userId)).toMatchObject({ status: 'active' });
    expect((await call(null, 'POST', '/api/privacy/requests/confirm', { token })).statusCode).toBe(200);
    const login = await test.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { email: user.email, password: PASSWORD },
    });
    expect(login.statusCode).toBe(403);

    // The mail server is down when the receipt is due: everything else is done, the address kept.
    const send = test.mailbox.send;
    test.mailbox.send = async (message) => {
      if (message.subject === 'Your account was erased') throw new Error('SMTP unavailable');
      return send(message);
    };
    try {
      await eraseUserData.handler(test.ctx);
    } finally {
      test.mailbox.send = send;
    }
    const stopped = await requestRow(id);
    expect(stopped).toMatchObject({ status: 'in_progress' });
    expect(stopped.blockedReason).toMatch(/could not be mailed/);
    expect(await userRow(user.userId)).toMatchObject({ status: 'erasing', email: user.email });
    const counted = stopped.receipt!;
    const keys = await test.ctx.pool.query('SELECT 1 FROM api_keys WHERE user_id = $1', [user.userId]);
    expect(keys.rowCount).toBe(0);

    await eraseUserData.handler(test.ctx);
    const done = await requestRow(id);
    expect(done).toMatchObject({ status: 'completed', blockedReason: null });
    expect(done.receipt!.categories).toEqual(counted.categories);
    expect(done.receipt!.categories).toContainEqual(
      expect.objectContaining({
        id: 'account',
        action: 'deleted',
        tables: ['recovery_codes', 'api_keys'],
        rows: 1,
      }),
    );
    expect(await userRow(user.userId)).toMatchObject({
      status: 'erased',
      displayName: null,
      passwordHash: 'erased',
    });
    const [organisation] = await test.ctx.db
      .select()
      .from(organisations)
      .where(eq(organisations.id, organisationId));
    expect(organisation!.name).toBe(`Erased organisation ${organisationId.slice(0, 8)}`);
    const receiptMail = test.mailbox.messages.findLast(
      (message) => message.subject === 'Your account was erased',
    );
    expect(receiptMail?.to).toBe(user.email);

    // Running again changes nothing.
    await eraseUserData.handler(test.ctx);
    expect(await requestRow(id)).toEqual(done);

    const url = `/api/console/privacy-requests/${id}/receipt`;
    expect((await call(await signUpAndLogIn(test), 'GET', url)).statusCode).toBe(403);
    const receipt = await call(officer, 'GET', url);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    expect(receipt.rawPayload.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(await eventTypes(user.userId)).toEqual(
      expect.arrayContaining([
        'privacy_request_received',
        'privacy_request_verified',
        'erasure_started',
        'privacy_request_refused',
        'erasure_completed',
        'deletion_receipt_downloaded',
      ]),
    );
    expect((await checkLedger(test.ctx.db)).problems).toEqual([]);
  });
});

describe("staff's list", () => {
  it('shows every request with its due date, and flags the open ones past it', async () => {
    const officer = await staff('privacy');
    const late = await signUpAndLogIn(test);
    const answered = await signUpAndLogIn(test);
    const open = await ownRequest(late, 'objection');
    const closed = await ownRequest(answered, 'restriction');
    await call(officer, 'POST', `/api/console/privacy-requests/${closed.id}/complete`, {
      reason: 'Restricted.',
    });
    test.clock.advance(32 * DAY);
    // Sessions last 30 days without use: sign in again, a month later.
    const reader = await staff('privacy');

    type Listed = { requests: Array<{ id: string; overdue: boolean; dueAt: string; email: string }> };
    const all = (await call(reader, 'GET', '/api/console/privacy-requests')).json() as Listed;
    expect(all.requests.find((item) => item.id === open.id)).toMatchObject({
      overdue: true,
      dueAt: open.dueAt,
      email: late.email,
    });
    expect(all.requests.find((item) => item.id === closed.id)).toMatchObject({ overdue: false });
    const overdue = (
      await call(reader, 'GET', '/api/console/privacy-requests?overdue=true')
    ).json() as Listed;
    expect(overdue.requests.map((item) => item.id)).toContain(open.id);
    expect(overdue.requests.map((item) => item.id)).not.toContain(closed.id);
    expect(overdue.requests.every((item) => item.overdue)).toBe(true);
    expect((await call(await signUpAndLogIn(test), 'GET', '/api/console/privacy-requests')).statusCode).toBe(
      403,
    );
  });
});
