import { randomUUID } from 'node:crypto';
import Fastify from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase } from '../../../test/test-database.js';
import type { AppContext } from '../../app-context.js';
import { loadConfig } from '../../config.js';
import { legalDocuments } from '../../db/schema/index.js';
import { isMixgateError } from '../../lib/errors.js';
import { LEGAL_DOCUMENT_TYPES } from './legal-document-types.js';
import { registerLegalRoutes, wantsJson } from './legal-routes.js';
import { seedLegalDocuments } from './seed-legal-documents.js';

const database = await createTestDatabase();
const SEEDED_AT = new Date('2026-01-01T00:00:00Z');
const clock = { now: new Date('2026-02-01T00:00:00Z') };
const ctx = {
  db: database.db,
  config: loadConfig({ OPERATOR_NAME: 'Acme Test Ltd', PUBLIC_URL: 'https://ai.acme.test' }),
  now: () => clock.now,
  gateway: { deployments: [] } as unknown as AppContext['gateway'],
} as AppContext;

const app = Fastify().withTypeProvider<ZodTypeProvider>();
app.setValidatorCompiler(validatorCompiler);
app.setSerializerCompiler(serializerCompiler);
app.setErrorHandler((error, _request, reply) => {
  if (isMixgateError(error)) {
    return reply.status(error.status).send({ error: { type: error.code, message: error.message } });
  }
  if (error instanceof Error && 'validation' in error) {
    return reply.status(400).send({ error: { type: 'invalid_request', message: error.message } });
  }
  return reply.status(500).send({ error: { type: 'internal_error', message: 'Internal error' } });
});

beforeAll(async () => {
  await seedLegalDocuments(ctx.db, ctx.config, SEEDED_AT);
  await registerLegalRoutes(app, ctx);
  await app.ready();
  return () => app.close();
});

const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8';

async function insertTerms(version: string, effectiveAt: Date, bodyMarkdown: string) {
  await ctx.db.insert(legalDocuments).values({
    id: randomUUID(),
    type: 'terms',
    version,
    language: 'en',
    authoritative: true,
    title: `Terms of Service ${version}`,
    bodyMarkdown,
    effectiveAt,
  });
}

describe('GET /legal/:type', () => {
  it('serves the terms to a browser as a page with the operator filled in', async () => {
    const response = await app.inject({ url: '/legal/terms', headers: { accept: BROWSER_ACCEPT } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.body).toMatch(/^<!doctype html>/);
    expect(response.body).toContain('<title>Terms of Service · Acme Test Ltd</title>');
    expect(response.body).toContain('Version 1.0 · effective January 1, 2026');
    expect(response.body).toContain('<h2>4. Prepaid credit</h2>');
    expect(response.body).toContain('Acme Test Ltd');
    expect(response.body).not.toContain('{{');
  });

  it('serves JSON with placeholders filled when the client asks for application/json', async () => {
    const response = await app.inject({ url: '/legal/privacy', headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    const body = response.json() as Record<string, string>;
    expect(body).toMatchObject({
      type: 'privacy',
      version: '1.0',
      language: 'en',
      title: 'Privacy Policy',
      effectiveAt: SEEDED_AT.toISOString(),
    });
    expect(body.bodyMarkdown).toContain('Acme Test Ltd');
    expect(body.bodyMarkdown).toContain('https://ai.acme.test');
    expect(body.bodyMarkdown).not.toContain('{{');
  });

  it('serves JSON for ?format=json whatever the Accept header says', async () => {
    const response = await app.inject({
      url: '/legal/terms?format=json',
      headers: { accept: BROWSER_ACCEPT },
    });
    expect((response.json() as { bodyMarkdown: string }).bodyMarkdown).toContain('Acme Test Ltd');
  });

  it('answers an unknown type with a JSON 404', async () => {
    const response = await app.inject({ url: '/legal/cookies', headers: { accept: BROWSER_ACCEPT } });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({
      error: { type: 'not_found', message: 'No legal document of type cookies' },
    });
    expect((await app.inject({ url: '/legal/cookies/versions' })).statusCode).toBe(404);
  });

  it('answers an unknown version with a 404', async () => {
    const response = await app.inject({ url: '/legal/terms?version=7.0' });
    expect(response.statusCode).toBe(404);
    expect((response.json() as { error: { type: string } }).error.type).toBe('not_found');
  });

  it('shows a script tag written in the Markdown as text', async () => {
    await insertTerms(
      'script-test',
      new Date('2030-01-01T00:00:00Z'),
      'Hello\n\n<script>alert("owned")</script>\n\n[x](javascript:alert(1)) <img src=x onerror=alert(2)>',
    );
    const response = await app.inject({
      url: '/legal/terms?version=script-test',
      headers: { accept: BROWSER_ACCEPT },
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).not.toMatch(/<script|<img|javascript:alert\(1\)"/i);
    expect(response.body).toContain('&lt;script&gt;alert(&quot;owned&quot;)&lt;/script&gt;');
    expect(response.body).toContain('This version is announced and not yet in effect.');
  });
});

const NEW_DOCUMENTS = [
  [
    'public-offer',
    'Public Offer and Service Agreement',
    '6. Immediate performance and your right of withdrawal',
  ],
  ['refund-policy', 'Refund Policy', '2. Withdrawal within 14 days'],
  ['dpa', 'Data Processing Agreement', '7. Sub-processors'],
  ['acceptable-use', 'Acceptable Use Policy', '2. Child sexual abuse material'],
  ['ai-disclaimer', 'AI Disclaimer', '5. Output is marked as AI-generated'],
] as const;

describe.each(NEW_DOCUMENTS)('GET /legal/%s', (type, title, heading) => {
  it('serves the page with the operator filled in and links to the other documents', async () => {
    const response = await app.inject({ url: `/legal/${type}`, headers: { accept: BROWSER_ACCEPT } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.body).toContain(`<title>${title} · Acme Test Ltd</title>`);
    expect(response.body).toContain(`<h2>${heading}</h2>`);
    expect(response.body).toContain('https://ai.acme.test/legal/terms');
    expect(response.body).not.toContain('{{');
    expect(response.body).toContain('<a href="/legal">All legal documents</a>');
    expect(response.body).toContain('<a href="/legal/terms">Terms of Service</a>');
    expect(response.body).not.toContain(`<a href="/legal/${type}">`);
  });

  it('serves JSON with placeholders filled', async () => {
    const response = await app.inject({ url: `/legal/${type}`, headers: { accept: 'application/json' } });
    expect(response.statusCode).toBe(200);
    const body = response.json() as Record<string, string>;
    expect(body).toMatchObject({ type, version: '1.0', language: 'en', title });
    expect(body.bodyMarkdown).toContain('Acme Test Ltd');
    expect(body.bodyMarkdown).not.toContain('{{');
  });

  it('lists its versions', async () => {
    const response = await app.inject({ url: `/legal/${type}/versions` });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ type, versions: [{ version: '1.0', status: 'current' }] });
  });
});

describe('GET /legal', () => {
  it('lists every document in effect as a page, with the sub-processors', async () => {
    const response = await app.inject({ url: '/legal', headers: { accept: BROWSER_ACCEPT } });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['content-security-policy']).toContain("default-src 'none'");
    expect(response.body).toContain('<title>Legal documents · Acme Test Ltd</title>');
    const linked = [...response.body.matchAll(/<td><a href="\/legal\/([a-z-]+)">/g)].map((match) => match[1]);
    expect(linked).toEqual([...LEGAL_DOCUMENT_TYPES]);
    expect(response.body).toContain('<a href="/legal/public-offer">Public Offer and Service Agreement</a>');
    expect(response.body).toContain('<td>January 1, 2026</td>');
    expect(response.body).toContain('<a href="/legal/sub-processors">');
  });

  it('lists them as JSON for ?format=json, saying which are accepted at sign-up', async () => {
    const response = await app.inject({
      url: '/legal?format=json&lang=de',
      headers: { accept: BROWSER_ACCEPT },
    });
    expect(response.statusCode).toBe(200);
    const body = response.json() as {
      documents: {
        type: string;
        version: string;
        acceptedAtSignUp: boolean;
        url: string;
        effectiveAt: string;
      }[];
      subProcessorsUrl: string;
    };
    expect(body.documents.map((document) => document.type)).toEqual([...LEGAL_DOCUMENT_TYPES]);
    expect(
      body.documents.filter((document) => document.acceptedAtSignUp).map((document) => document.type),
    ).toEqual(['terms', 'privacy']);
    expect(body.documents.find((document) => document.type === 'dpa')).toEqual({
      type: 'dpa',
      title: 'Data Processing Agreement',
      version: '1.0',
      language: 'en',
      effectiveAt: SEEDED_AT.toISOString(),
      acceptedAtSignUp: false,
      url: 'https://ai.acme.test/legal/dpa?lang=de',
    });
    expect(body.subProcessorsUrl).toBe('https://ai.acme.test/legal/sub-processors');
  });

  it('answers JSON when the client asks for application/json', async () => {
    const response = await app.inject({ url: '/legal', headers: { accept: 'application/json' } });
    expect(response.headers['content-type']).toMatch(/^application\/json/);
    expect((response.json() as { documents: unknown[] }).documents).toHaveLength(LEGAL_DOCUMENT_TYPES.length);
  });

  it('rejects a malformed language tag', async () => {
    const response = await app.inject({ url: '/legal?lang=<x>' });
    expect(response.statusCode).toBe(400);
  });
});

describe('a future-dated version', () => {
  const effectiveAt = new Date('2026-06-01T00:00:00Z');

  it('is listed as upcoming but not served as current before its effective date', async () => {
    await insertTerms('2.0', effectiveAt, 'Version two by {{operator_name}}, from {{effective_date}}.');
    clock.now = new Date(effectiveAt.getTime() - 1);

    const current = await app.inject({ url: '/legal/terms?format=json' });
    expect((current.json() as { version: string }).version).toBe('1.0');
    const signUpVersions = await app.inject({ url: '/api/legal/current' });
    expect((signUpVersions.json() as { terms: { version: string } }).terms.version).toBe('1.0');

    const versions = await app.inject({ url: '/legal/terms/versions' });
    expect(versions.statusCode).toBe(200);
    expect(
      (versions.json() as { versions: { version: string; status: string }[] }).versions.map((entry) => [
        entry.version,
        entry.status,
      ]),
    ).toEqual([
      ['script-test', 'upcoming'],
      ['2.0', 'upcoming'],
      ['1.0', 'current'],
    ]);
  });

  it('becomes current on its effective date', async () => {
    clock.now = effectiveAt;
    const response = await app.inject({ url: '/legal/terms', headers: { accept: 'application/json' } });
    expect(response.json()).toMatchObject({
      version: '2.0',
      effectiveAt: effectiveAt.toISOString(),
      bodyMarkdown: 'Version two by Acme Test Ltd, from June 1, 2026.',
    });
    const old = await app.inject({ url: '/legal/terms?version=1.0', headers: { accept: BROWSER_ACCEPT } });
    expect(old.body).toContain('This version is no longer in effect.');
  });
});

describe('GET /api/legal/current', () => {
  it('gives the sign-up form the version of each document to accept', async () => {
    clock.now = new Date('2026-02-01T00:00:00Z');
    const response = await app.inject({ url: '/api/legal/current?lang=de' });
    expect(response.statusCode).toBe(200);
    const body = response.json() as Record<string, Record<string, string>>;
    expect(Object.keys(body).sort()).toEqual(['privacy', 'terms']);
    expect(body.terms).toMatchObject({
      version: '1.0',
      language: 'en',
      title: 'Terms of Service',
      effectiveAt: SEEDED_AT.toISOString(),
      url: 'https://ai.acme.test/legal/terms?version=1.0&lang=en',
    });
    expect(body.privacy!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects a malformed language tag', async () => {
    const response = await app.inject({ url: '/api/legal/current?lang=<script>' });
    expect(response.statusCode).toBe(400);
    expect((response.json() as { error: { type: string } }).error.type).toBe('invalid_request');
  });
});

describe('wantsJson', () => {
  it.each([
    [undefined, undefined, false],
    ['*/*', undefined, false],
    [BROWSER_ACCEPT, undefined, false],
    ['application/json', undefined, true],
    ['application/json, text/plain, */*', undefined, true],
    ['text/html;q=0.5, application/json', undefined, true],
    ['application/json;q=0.4, text/html', undefined, false],
    ['application/json', 'html', false],
    [BROWSER_ACCEPT, 'json', true],
  ] as const)('Accept %s with format %s -> %s', (accept, format, expected) => {
    expect(wantsJson(accept, format)).toBe(expected);
  });
});
