import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, signUpAndLogIn, type TestApp } from '../../../test/test-app.js';

const SCRIPT = 'https://analytics.example.net/script.js';

interface Reply {
  purposes: {
    analytics: {
      available: boolean;
      granted: boolean;
      decision: { granted: boolean; source: string; policyVersion: string; decidedAt: string } | null;
    };
  };
  analyticsScriptUrl: string | null;
  policyVersion: string | null;
  globalPrivacyControl: boolean;
}

interface StoredRow {
  user_id: string | null;
  visitor_id: string | null;
  purpose: string;
  granted: boolean;
  source: string;
  policy_version: string;
  ip: string | null;
  user_agent: string | null;
}

describe('consent records', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp({ ANALYTICS_SCRIPT_URL: SCRIPT }, { webRoot: null });
  });

  const choose = (
    payload: Record<string, unknown>,
    headers: Record<string, string> = {},
    remoteAddress?: string,
  ) => test.app.inject({ method: 'POST', url: '/api/privacy/consent', headers, payload, remoteAddress });
  const current = async (headers: Record<string, string> = {}, visitorId?: string) => {
    const response = await test.app.inject({
      method: 'GET',
      url: `/api/privacy/consent${visitorId ? `?visitorId=${visitorId}` : ''}`,
      headers,
    });
    expect(response.statusCode, response.body).toBe(200);
    return response.json<Reply>();
  };
  const rowsOf = async (column: 'user_id' | 'visitor_id', id: string) =>
    (
      await test.ctx.db.execute<StoredRow & Record<string, unknown>>(
        sql`SELECT user_id, visitor_id, purpose, granted, source, policy_version, ip, user_agent
              FROM consent_records WHERE ${sql.identifier(column)} = ${id} ORDER BY id`,
      )
    ).rows;
  const privacyVersion = async () =>
    (
      (await test.app.inject({ method: 'GET', url: '/api/legal/current' })).json() as Record<
        string,
        { version: string }
      >
    ).privacy!.version;

  it('knows nothing of a new visitor, and offers analytics because a script is configured', async () => {
    const state = await current({}, randomUUID());
    expect(state).toEqual({
      purposes: { analytics: { available: true, granted: false, decision: null } },
      analyticsScriptUrl: SCRIPT,
      policyVersion: await privacyVersion(),
      globalPrivacyControl: false,
    });
  });

  it("records an anonymous visitor's grant and withdrawal, one row per change, with the evidence", async () => {
    const visitorId = randomUUID();
    const granted = await choose(
      { purposes: { analytics: true }, source: 'banner', visitorId },
      { 'user-agent': 'consent test browser' },
    );
    expect(granted.statusCode, granted.body).toBe(200);
    expect(granted.json<Reply>().purposes.analytics).toMatchObject({
      granted: true,
      decision: { granted: true, source: 'banner' },
    });
    expect((await current({}, visitorId)).purposes.analytics.granted).toBe(true);

    // The same choice again changes nothing, so it adds nothing.
    await choose({ purposes: { analytics: true }, source: 'settings', visitorId });
    const withdrawn = await choose({ purposes: { analytics: false }, source: 'settings', visitorId });
    expect(withdrawn.json<Reply>().purposes.analytics).toMatchObject({
      granted: false,
      decision: { granted: false, source: 'settings' },
    });
    expect((await current({}, visitorId)).purposes.analytics.granted).toBe(false);

    const version = await privacyVersion();
    expect(await rowsOf('visitor_id', visitorId)).toEqual([
      {
        user_id: null,
        visitor_id: visitorId,
        purpose: 'analytics',
        granted: true,
        source: 'banner',
        policy_version: version,
        ip: '127.0.0.1',
        user_agent: 'consent test browser',
      },
      expect.objectContaining({ granted: false, source: 'settings', policy_version: version }),
    ]);
    // Another browser's id sees none of it.
    expect((await current({}, randomUUID())).purposes.analytics.decision).toBeNull();
  });

  it("keeps a signed-in user's choices and gives them their own history, newest first", async () => {
    const user = await signUpAndLogIn(test);
    expect((await current(user.headers)).purposes.analytics.decision).toBeNull();
    for (const [analytics, source] of [
      [true, 'banner'],
      [false, 'settings'],
      [true, 'settings'],
    ] as const) {
      const response = await choose({ purposes: { analytics }, source }, user.headers);
      expect(response.statusCode, response.body).toBe(200);
    }
    expect((await current(user.headers)).purposes.analytics).toMatchObject({ granted: true });

    const history = await test.app.inject({
      method: 'GET',
      url: '/api/privacy/consent/history',
      headers: user.headers,
    });
    expect(history.statusCode).toBe(200);
    const records = history.json<{ records: Array<{ granted: boolean; source: string; purpose: string }> }>()
      .records;
    expect(records.map(({ purpose, granted, source }) => [purpose, granted, source])).toEqual([
      ['analytics', true, 'settings'],
      ['analytics', false, 'settings'],
      ['analytics', true, 'banner'],
    ]);

    // Another user's history holds none of it; the history needs a session.
    const other = await signUpAndLogIn(test);
    const theirs = await test.app.inject({
      method: 'GET',
      url: '/api/privacy/consent/history',
      headers: other.headers,
    });
    expect(theirs.json()).toEqual({ records: [] });
    expect((await test.app.inject({ method: 'GET', url: '/api/privacy/consent/history' })).statusCode).toBe(
      401,
    );
  });

  it('applies the choice made on the log-in page once the visitor signs in, until they choose themselves', async () => {
    const visitorId = randomUUID();
    await choose({ purposes: { analytics: true }, source: 'banner', visitorId });
    const user = await signUpAndLogIn(test);
    const inherited = await current(user.headers, visitorId);
    expect(inherited.purposes.analytics).toMatchObject({ granted: true, decision: { source: 'banner' } });

    // Confirming the same choice signed in records it as the user's own.
    await choose({ purposes: { analytics: true }, source: 'settings', visitorId }, user.headers);
    expect((await rowsOf('user_id', user.userId)).map((row) => [row.granted, row.visitor_id])).toEqual([
      [true, visitorId],
    ]);
    await choose({ purposes: { analytics: false }, source: 'settings', visitorId }, user.headers);
    expect((await current(user.headers, visitorId)).purposes.analytics.granted).toBe(false);
  });

  it('records a grant sent with Global Privacy Control as a refusal, and never reports analytics as granted under it', async () => {
    const user = await signUpAndLogIn(test);
    await choose({ purposes: { analytics: true }, source: 'banner' }, user.headers);
    const gpc = { ...user.headers, 'sec-gpc': '1' };
    // The earlier grant does not count while the browser sends the signal.
    const underSignal = await current(gpc);
    expect(underSignal.globalPrivacyControl).toBe(true);
    expect(underSignal.purposes.analytics).toMatchObject({ granted: false, decision: { granted: true } });

    const refused = await choose({ purposes: { analytics: true }, source: 'settings' }, gpc);
    expect(refused.statusCode).toBe(200);
    expect(refused.json<Reply>().purposes.analytics).toMatchObject({
      granted: false,
      decision: { granted: false, source: 'gpc' },
    });
    expect((await rowsOf('user_id', user.userId)).map((row) => [row.granted, row.source])).toEqual([
      [true, 'banner'],
      [false, 'gpc'],
    ]);
    // Without the signal, the refusal on record stands.
    expect((await current(user.headers)).purposes.analytics.granted).toBe(false);

    // An anonymous visitor's grant under the signal is refused the same way.
    const visitorId = randomUUID();
    await choose({ purposes: { analytics: true }, source: 'banner', visitorId }, { 'sec-gpc': '1' });
    expect((await rowsOf('visitor_id', visitorId)).map((row) => [row.granted, row.source])).toEqual([
      [false, 'gpc'],
    ]);
  });

  it('refuses bad input with 400 and writes nothing', async () => {
    const visitorId = randomUUID();
    for (const payload of [
      { purposes: { analytics: 'yes' }, source: 'banner', visitorId },
      { purposes: { analytics: true }, source: 'somewhere', visitorId },
      { purposes: { marketing: true }, source: 'banner', visitorId },
      { purposes: { analytics: true }, source: 'banner', visitorId: 'not-a-uuid' },
      { purposes: { analytics: true }, source: 'gpc', visitorId },
      // Neither signed in nor a browser id: nobody to record it for.
      { purposes: { analytics: true }, source: 'banner' },
    ]) {
      const response = await choose(payload);
      expect(response.statusCode, JSON.stringify(payload)).toBe(400);
    }
    expect(await rowsOf('visitor_id', visitorId)).toEqual([]);
    const badQuery = await test.app.inject({ method: 'GET', url: '/api/privacy/consent?visitorId=nope' });
    expect(badQuery.statusCode).toBe(400);
  });

  it("refuses a signed-in user's choice without the CSRF token, and treats an ended session as a visitor", async () => {
    const user = await signUpAndLogIn(test);
    const visitorId = randomUUID();
    const forged = await choose(
      { purposes: { analytics: true }, source: 'banner', visitorId },
      { cookie: user.cookie },
    );
    expect(forged.statusCode).toBe(403);
    expect(await rowsOf('user_id', user.userId)).toEqual([]);
    expect(await rowsOf('visitor_id', visitorId)).toEqual([]);

    const stale = await choose(
      { purposes: { analytics: false }, source: 'banner', visitorId },
      { cookie: 'mg_session=ended-long-ago' },
    );
    expect(stale.statusCode).toBe(200);
    expect((await rowsOf('visitor_id', visitorId)).map((row) => row.user_id)).toEqual([null]);
  });

  it('limits the choices one address can record', async () => {
    let last = 0;
    for (let attempt = 0; attempt < 121; attempt++) {
      last = (
        await choose(
          { purposes: { analytics: attempt % 2 === 0 }, source: 'banner', visitorId: randomUUID() },
          {},
          '198.51.100.77',
        )
      ).statusCode;
    }
    expect(last).toBe(429);
  });
});

describe('consent without analytics configured', () => {
  it('offers nothing to consent to, and refuses a grant of it', async () => {
    const test = await createTestApp({}, { webRoot: null });
    const visitorId = randomUUID();
    const grant = await test.app.inject({
      method: 'POST',
      url: '/api/privacy/consent',
      payload: { purposes: { analytics: true }, source: 'settings', visitorId },
    });
    expect(grant.statusCode).toBe(409);
    const response = await test.app.inject({
      method: 'GET',
      url: `/api/privacy/consent?visitorId=${visitorId}`,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json<Reply>()).toMatchObject({
      purposes: { analytics: { available: false, granted: false, decision: null } },
      analyticsScriptUrl: null,
    });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self';");
    expect(csp).not.toContain('analytics.example.net');
  });

  it("allows the configured script's origin in the Content-Security-Policy", async () => {
    const test = await createTestApp({ ANALYTICS_SCRIPT_URL: SCRIPT }, { webRoot: null });
    const response = await test.app.inject({ method: 'GET', url: '/api/privacy/consent' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self' https://analytics.example.net;");
    expect(csp).toContain("connect-src 'self' https://analytics.example.net;");
  });
});
