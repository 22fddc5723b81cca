import { sql } from 'drizzle-orm';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, logInAs, signUpAndLogIn, type TestApp } from '../../../test/test-app.js';
import { createUserByOperator } from '../../console/create-staff.js';

describe('accepting the legal documents after sign-up', () => {
  let test: TestApp;
  beforeAll(async () => {
    test = await createTestApp({}, { webRoot: null });
  });

  const operatorCreated = async () => {
    const email = `made${Date.now()}${Math.random().toString(36).slice(2, 6)}@example.com`;
    const password = 'an operator chose this one';
    await createUserByOperator(test.ctx, { email, password });
    return logInAs(test, email, password);
  };

  it('has nothing pending for a user who accepted at sign-up', async () => {
    const user = await signUpAndLogIn(test);
    const response = await test.app.inject({
      method: 'GET',
      url: '/api/legal/acceptance',
      headers: user.headers,
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ documents: [], ageConfirmationRequired: false });
  });

  it('asks a user the operator created to accept the current versions, then records them', async () => {
    const user = await operatorCreated();
    const pending = await test.app.inject({
      method: 'GET',
      url: '/api/legal/acceptance',
      headers: user.headers,
    });
    const body = pending.json() as { documents: Array<{ type: string; version: string; url: string }> };
    expect(body.documents.map((document) => document.type).sort()).toEqual(['privacy', 'terms']);
    expect(body.documents[0]!.url).toMatch(/^\/legal\/(terms|privacy)\?version=/);
    const versions = Object.fromEntries(body.documents.map((document) => [document.type, document.version]));

    const partial = await test.app.inject({
      method: 'POST',
      url: '/api/legal/acceptance',
      headers: user.headers,
      payload: { terms: versions.terms },
    });
    expect(partial.statusCode).toBe(400);
    expect(partial.json().error.message).toMatch(/privacy/);

    const stale = await test.app.inject({
      method: 'POST',
      url: '/api/legal/acceptance',
      headers: user.headers,
      payload: { terms: '0.0-old', privacy: versions.privacy },
    });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().error.details.currentVersion).toBe(versions.terms);

    const accepted = await test.app.inject({
      method: 'POST',
      url: '/api/legal/acceptance',
      headers: { ...user.headers, 'user-agent': 'acceptance test' },
      payload: versions,
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.json().documents).toEqual([]);
    const rows = await test.ctx.db.execute<{
      document_type: string;
      document_version: string;
      user_agent: string;
    }>(
      sql`SELECT document_type, document_version, user_agent FROM legal_acceptances WHERE user_id = ${user.userId} ORDER BY document_type`,
    );
    expect(rows.rows).toEqual([
      { document_type: 'privacy', document_version: versions.privacy, user_agent: 'acceptance test' },
      { document_type: 'terms', document_version: versions.terms, user_agent: 'acceptance test' },
    ]);
  });

  it('asks for the 18+ attestation when the account has none, and refuses to go on without it', async () => {
    const user = await operatorCreated();
    await test.ctx.db.execute(sql`UPDATE users SET age_confirmed = false WHERE id = ${user.userId}`);
    const pending = await test.app.inject({
      method: 'GET',
      url: '/api/legal/acceptance',
      headers: user.headers,
    });
    const body = pending.json() as {
      documents: Array<{ type: string; version: string }>;
      ageConfirmationRequired: boolean;
    };
    expect(body.ageConfirmationRequired).toBe(true);
    const versions = Object.fromEntries(body.documents.map((document) => [document.type, document.version]));
    const without = await test.app.inject({
      method: 'POST',
      url: '/api/legal/acceptance',
      headers: user.headers,
      payload: versions,
    });
    expect(without.statusCode).toBe(400);
    // Nothing was recorded by the refused request.
    const none = await test.ctx.db.execute<{ count: number }>(
      sql`SELECT count(*)::int AS count FROM legal_acceptances WHERE user_id = ${user.userId}`,
    );
    expect(none.rows[0]!.count).toBe(0);
    const withAge = await test.app.inject({
      method: 'POST',
      url: '/api/legal/acceptance',
      headers: user.headers,
      payload: { ...versions, ageConfirmed: true },
    });
    expect(withAge.json()).toEqual({ documents: [], ageConfirmationRequired: false });
  });

  it('needs a session and the CSRF token', async () => {
    expect((await test.app.inject({ method: 'GET', url: '/api/legal/acceptance' })).statusCode).toBe(401);
    const user = await signUpAndLogIn(test);
    const noCsrf = await test.app.inject({
      method: 'POST',
      url: '/api/legal/acceptance',
      headers: { cookie: user.cookie },
      payload: {},
    });
    expect(noCsrf.statusCode).toBe(403);
  });
});
