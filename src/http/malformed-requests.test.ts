import { beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type SignedInUser, signUpAndLogIn, type TestApp } from '../../test/test-app.js';

let test: TestApp;
let user: SignedInUser;
beforeAll(async () => {
  test = await createTestApp({}, { webRoot: null });
  user = await signUpAndLogIn(test);
});

const json = { 'content-type': 'application/json' };
const validSignUp = {
  email: 'valid@example.com',
  username: 'validname',
  password: 'a long and unusual passphrase',
  ageConfirmed: true,
  acceptedDocuments: { terms: '1.0', privacy: '1.0' },
};

interface Case {
  name: string;
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  url: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  signedIn?: boolean;
  status: number;
  type?: string;
}

const cases: Case[] = [
  {
    name: 'bad JSON',
    url: '/api/auth/signup',
    headers: json,
    body: '{"email": ',
    status: 400,
    type: 'invalid_json',
  },
  {
    name: 'not JSON at all',
    url: '/api/auth/login',
    headers: json,
    body: 'email=a&password=b',
    status: 400,
    type: 'invalid_json',
  },
  {
    name: 'empty JSON body',
    url: '/api/auth/login',
    headers: json,
    body: '',
    status: 400,
    type: 'invalid_json',
  },
  {
    name: '10 MB body',
    url: '/api/auth/signup',
    headers: json,
    body: `{"email":"${'a'.repeat(10 * 1024 * 1024)}"}`,
    status: 413,
    type: 'payload_too_large',
  },
  {
    name: 'wrong content type',
    url: '/api/auth/login',
    headers: { 'content-type': 'text/plain' },
    body: '{}',
    status: 415,
    type: 'unsupported_media_type',
  },
  {
    name: 'form content type',
    url: '/api/auth/login',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: 'email=a',
    status: 415,
    type: 'unsupported_media_type',
  },
  {
    name: 'JSON array instead of object',
    url: '/api/auth/login',
    headers: json,
    body: '[1,2]',
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'wrong types',
    url: '/api/auth/signup',
    headers: json,
    body: JSON.stringify({ ...validSignUp, email: 12, ageConfirmed: 'yes' }),
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'missing fields',
    url: '/api/auth/signup',
    headers: json,
    body: '{}',
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'unknown fields',
    url: '/api/auth/signup',
    headers: json,
    body: JSON.stringify({ ...validSignUp, staffRole: 'admin' }),
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'prototype pollution',
    url: '/api/auth/login',
    headers: json,
    body: '{"email":"a@example.com","password":"x","__proto__":{"admin":true}}',
    status: 400,
  },
  {
    name: 'SQL injection in e-mail',
    url: '/api/auth/login',
    headers: json,
    body: JSON.stringify({ email: "admin@example.com' OR '1'='1", password: 'x' }),
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'SQL injection in username',
    url: '/api/auth/signup',
    headers: json,
    body: JSON.stringify({ ...validSignUp, username: "bob'); DROP TABLE users;--" }),
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'HTML in display name',
    url: '/api/auth/signup',
    headers: json,
    body: JSON.stringify({ ...validSignUp, displayName: '<script>alert(1)</script>' }),
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'invalid UTF-8',
    url: '/api/auth/login',
    headers: json,
    body: Buffer.concat([
      Buffer.from('{"email":"a'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('@example.com","password":"x"}'),
    ]),
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'token with bad characters',
    url: '/api/auth/verify-email',
    headers: json,
    body: JSON.stringify({ token: "' OR 1=1; --aaaaaaaaaaaa" }),
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'key id not a uuid',
    method: 'DELETE',
    url: '/api/keys/1%20OR%201=1',
    signedIn: true,
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'negative spend limit',
    url: '/api/keys',
    headers: json,
    body: JSON.stringify({ name: 'k', spendLimit: '-5' }),
    signedIn: true,
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'text spend limit',
    url: '/api/keys',
    headers: json,
    body: JSON.stringify({ name: 'k', spendLimit: 'abc' }),
    signedIn: true,
    status: 400,
    type: 'invalid_request',
  },
  {
    name: 'float-ish spend limit',
    url: '/api/keys',
    headers: json,
    body: JSON.stringify({ name: 'k', spendLimit: 1e21 }),
    signedIn: true,
    status: 400,
    type: 'invalid_request',
  },
  { name: 'unknown route', method: 'GET', url: '/api/nothing-here', status: 404, type: 'not_found' },
  {
    name: 'wrong method',
    method: 'PUT',
    url: '/api/auth/login',
    headers: json,
    body: '{}',
    status: 404,
    type: 'not_found',
  },
];

async function counts(): Promise<string> {
  const result = await test.ctx.pool.query(
    `SELECT (SELECT count(*) FROM users) AS users, (SELECT count(*) FROM sessions) AS sessions,
            (SELECT count(*) FROM api_keys) AS keys, (SELECT count(*) FROM user_tokens) AS tokens,
            (SELECT count(*) FROM legal_acceptances) AS acceptances`,
  );
  return JSON.stringify(result.rows[0]);
}

describe('malformed requests', () => {
  it.each(cases)('$name -> $status with a JSON error and no change', async (item) => {
    const before = await counts();
    const response = await test.app.inject({
      method: item.method ?? 'POST',
      url: item.url,
      headers: { ...(item.headers ?? {}), ...(item.signedIn ? user.headers : {}) },
      ...(item.body !== undefined ? { payload: item.body } : {}),
    });
    expect(response.statusCode).toBe(item.status);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json() as { error: { type: string; message: string } };
    expect(typeof body.error.message).toBe('string');
    if (item.type) expect(body.error.type).toBe(item.type);
    expect(response.body).not.toMatch(/node_modules|\n\s+at /);
    expect(await counts()).toBe(before);
  });
});

describe('HTTP hygiene', () => {
  it('sets security headers and a request id on every response', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
    expect(response.headers['x-frame-options']).toBeDefined();
    expect(response.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('keeps a well-formed caller request id and replaces a hostile one', async () => {
    const kept = await test.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'trace-12345678' },
    });
    expect(kept.headers['x-request-id']).toBe('trace-12345678');
    const replaced = await test.app.inject({
      method: 'GET',
      url: '/healthz',
      headers: { 'x-request-id': 'bad id\r\nx: y' },
    });
    expect(replaced.headers['x-request-id']).not.toContain('bad');
  });

  it('serves a plain landing page when the web app is not built', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/html/);
    expect(response.body).toContain('/v1</code>');
  });

  it('reports readiness from the database', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
  });

  it('serves the OpenAPI document at /docs', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/docs/json' });
    expect(response.statusCode).toBe(200);
    expect(Object.keys(response.json().paths)).toEqual(
      expect.arrayContaining(['/api/auth/signup', '/v1/models']),
    );
  });
});
