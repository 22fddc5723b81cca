import Fastify from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { registerSecurityHeaders, securityHeaders } from './security-headers.js';

const options = {
  contentSecurityPolicy: { directives: { defaultSrc: ["'self'"], frameAncestors: ["'none'"] } },
  hsts: false,
};

describe('security headers', () => {
  const app = Fastify();
  registerSecurityHeaders(app, options);
  app.get('/plain', async () => ({ ok: true }));
  app.get('/strict', async (_request, reply) =>
    reply.header('content-security-policy', "default-src 'none'").send('strict'),
  );
  app.get('/stream', (_request, reply) => {
    reply.hijack();
    reply.raw.writeHead(200, { 'content-type': 'text/event-stream' });
    reply.raw.end('data: [DONE]\n\n');
  });
  afterAll(() => app.close());

  it("works out helmet's headers for the options once", () => {
    const headers = securityHeaders(options);
    // helmet adds its defaults (base-uri, object-src…) to the directives given.
    expect(headers['content-security-policy']).toMatch(/^default-src 'self';.*frame-ancestors 'none'/);
    expect(headers['content-security-policy']).toContain("object-src 'none'");
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['x-frame-options']).toBe('SAMEORIGIN');
    expect(headers['strict-transport-security']).toBeUndefined();
    expect(securityHeaders({ ...options, hsts: true })['strict-transport-security']).toMatch(/max-age=/);
  });

  it('sends them with a reply, with a hijacked stream, and lets a route replace one', async () => {
    const plain = await app.inject({ url: '/plain' });
    expect(plain.headers['content-security-policy']).toBe(
      securityHeaders(options)['content-security-policy'],
    );
    expect(plain.headers['cross-origin-opener-policy']).toBe('same-origin');
    const stream = await app.inject({ url: '/stream' });
    expect(stream.headers['x-content-type-options']).toBe('nosniff');
    expect(stream.headers['content-security-policy']).toContain("default-src 'self'");
    const strict = await app.inject({ url: '/strict' });
    expect(strict.headers['content-security-policy']).toBe("default-src 'none'");
  });
});
