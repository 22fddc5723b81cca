/**
 * The user's preferences (history on or off, language) and "report this output" for the user's
 * own generations only.
 */
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGatewayTestApp, type GatewayTestApp } from '../../test/gateway-test-app.js';
import { fund, newConversation, postTurn } from '../../test/studio-test-app.js';
import { type SignedInUser, signUpAndLogIn } from '../../test/test-app.js';
import { outputReports } from '../db/schema/index.js';
import { openReportDetails } from './output-reports.js';

vi.mock('../app.js', async (importOriginal) =>
  (await import('../../test/studio-test-app.js')).withStudioRoutes(await importOriginal()),
);

let gateway: GatewayTestApp;
beforeAll(async () => {
  gateway = await createGatewayTestApp();
});
afterAll(async () => {
  await gateway.assertLedgerConsistent();
  await gateway.close();
});

function preferences(user: SignedInUser | null, method: 'GET' | 'PUT', payload?: Record<string, unknown>) {
  return gateway.app.inject({
    method,
    url: '/api/account/preferences',
    headers: user?.headers ?? {},
    ...(payload === undefined ? {} : { payload }),
  });
}

function report(user: SignedInUser, payload: Record<string, unknown>) {
  return gateway.app.inject({ method: 'POST', url: '/api/reports', headers: user.headers, payload });
}

/** A generation of `user`'s, made by a chat turn. */
async function generationOf(user: SignedInUser): Promise<string> {
  await fund(gateway, user, 1_000_000n);
  const conversation = await newConversation(gateway, user);
  const answer = await postTurn(gateway.url, user, conversation.id, {
    model: 'openai/gpt-4o-mini',
    parentId: null,
    content: { text: 'Say something' },
  });
  expect(answer.status).toBe(200);
  return answer.headers['x-mixgate-generation-id'] as string;
}

describe('preferences', () => {
  it('start with history on in English, and round-trip a change of either', async () => {
    const user = await signUpAndLogIn(gateway);
    expect((await preferences(user, 'GET')).json()).toEqual({ historyEnabled: true, language: 'en' });
    const german = await preferences(user, 'PUT', { language: 'de' });
    expect(german.statusCode).toBe(200);
    expect(german.json()).toEqual({ historyEnabled: true, language: 'de' });
    const off = await preferences(user, 'PUT', { historyEnabled: false });
    expect(off.json()).toEqual({ historyEnabled: false, language: 'de' });
    expect((await preferences(user, 'GET')).json()).toEqual({ historyEnabled: false, language: 'de' });
    const both = await preferences(user, 'PUT', { historyEnabled: true, language: 'es' });
    expect(both.json()).toEqual({ historyEnabled: true, language: 'es' });
    // Another user's are their own.
    const other = await signUpAndLogIn(gateway);
    expect((await preferences(other, 'GET')).json()).toEqual({ historyEnabled: true, language: 'en' });
  });

  it('refuses an unknown language, an empty change and an anonymous caller', async () => {
    const user = await signUpAndLogIn(gateway);
    const italian = await preferences(user, 'PUT', { language: 'it' });
    expect(italian.statusCode).toBe(400);
    expect(italian.json().error.message).toBe('body.language: must be one of en, de, fr, es');
    const empty = await preferences(user, 'PUT', {});
    expect(empty.statusCode).toBe(400);
    expect(empty.json().error.message).toContain('give historyEnabled or language');
    expect((await preferences(null, 'GET')).statusCode).toBe(401);
    expect((await preferences(user, 'GET')).json()).toEqual({ historyEnabled: true, language: 'en' });
  });
});

describe('reports of an output', () => {
  it('are kept, open, for a generation of your own', async () => {
    const user = await signUpAndLogIn(gateway);
    const generationId = await generationOf(user);
    const created = await report(user, {
      generationId,
      reason: 'inaccurate',
      details: '  The date is wrong. ',
    });
    expect(created.statusCode, created.body).toBe(201);
    const { id } = created.json() as { id: string };
    const rows = await gateway.ctx.db.select().from(outputReports).where(eq(outputReports.id, id));
    expect(rows).toEqual([
      {
        id,
        userId: user.userId,
        generationId,
        reason: 'inaccurate',
        details: expect.stringMatching(/^c1\./),
        status: 'open',
        createdAt: gateway.ctx.now(),
      },
    ]);
    // The user's words are sealed with their data key; the staff's side opens them.
    expect(rows[0]!.details).not.toContain('date');
    expect(await openReportDetails(gateway.ctx, rows[0]!)).toBe('The date is wrong.');
  });

  it("answer 404 for another user's generation, as for a missing one, and keep nothing", async () => {
    const owner = await signUpAndLogIn(gateway);
    const generationId = await generationOf(owner);
    const stranger = await signUpAndLogIn(gateway);
    const foreign = await report(stranger, { generationId, reason: 'harmful' });
    expect(foreign.statusCode).toBe(404);
    const missing = await report(stranger, {
      generationId: 'gen-00000000000000000000000000',
      reason: 'harmful',
    });
    expect(missing.statusCode).toBe(404);
    expect(foreign.json().error.type).toBe(missing.json().error.type);
    expect(
      await gateway.ctx.db.select().from(outputReports).where(eq(outputReports.userId, stranger.userId)),
    ).toEqual([]);
  });

  it('refuse an unknown reason and details over 2,000 characters', async () => {
    const user = await signUpAndLogIn(gateway);
    const generationId = await generationOf(user);
    const reason = await report(user, { generationId, reason: 'boring' });
    expect(reason.statusCode).toBe(400);
    expect(reason.json().error.message).toBe(
      'body.reason: must be one of illegal, harmful, inaccurate, privacy, other',
    );
    const long = await report(user, { generationId, reason: 'other', details: 'x'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.json().error.message).toMatch(/^body\.details: /);
    expect(
      (await report(user, { generationId, reason: 'other', details: 'x'.repeat(2000) })).statusCode,
    ).toBe(201);
  });
});
