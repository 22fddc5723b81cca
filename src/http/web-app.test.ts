import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../../test/test-app.js';

const INDEX =
  '<!doctype html><html><head><title>t</title></head><body><div id="root"></div><script type="module" src="/assets/app-abc123.js"></script></body></html>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

describe('the web app', () => {
  let test: TestApp;
  let root: string;

  beforeAll(async () => {
    root = await mkdtemp(path.join(tmpdir(), 'mixgate-web-'));
    await mkdir(path.join(root, 'assets'));
    await writeFile(path.join(root, 'index.html'), INDEX);
    await writeFile(path.join(root, 'assets', 'app-abc123.js'), SCRIPT);
    await writeFile(path.join(root, 'robots.txt'), 'User-agent: *\n');
    await mkdir(path.join(root, '.vite'));
    await writeFile(
      path.join(root, '.vite', 'manifest.json'),
      JSON.stringify({
        'index.html': { file: 'assets/app-abc123.js', isEntry: true, imports: ['_shared-1.js'] },
        '_shared-1.js': { file: 'assets/shared-1.js' },
        '_icons-2.js': { file: 'assets/icons-2.js', imports: ['_shared-1.js'] },
        'src/pages/chat/chat-page.tsx': {
          file: 'assets/chat-page-3.js',
          imports: ['index.html', '_shared-1.js', '_icons-2.js'],
        },
      }),
    );
    test = await createTestApp({}, { webRoot: root });
  });

  afterAll(async () => {
    await test?.app.close();
    await rm(root, { recursive: true, force: true });
  });

  it('serves index.html at / and revalidates it every time', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers['cache-control']).toBe('no-cache');
    expect(response.body).toBe(INDEX);
  });

  it('serves the hashed assets compressed and cached for a year', async () => {
    const response = await test.app.inject({
      method: 'GET',
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': 'gzip, deflate' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-encoding']).toBe('gzip');
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(response.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(gunzipSync(response.rawPayload).toString()).toBe(SCRIPT);
    expect(response.rawPayload.length).toBeLessThan(SCRIPT.length / 4);

    const brotli = await test.app.inject({
      method: 'GET',
      url: '/assets/app-abc123.js',
      headers: { 'accept-encoding': 'gzip, br' },
    });
    expect(brotli.headers['content-encoding']).toBe('br');
    const plain = await test.app.inject({ method: 'GET', url: '/assets/app-abc123.js' });
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(SCRIPT);
  });

  it('answers 304 to a matching ETag', async () => {
    const first = await test.app.inject({ method: 'GET', url: '/' });
    const again = await test.app.inject({
      method: 'GET',
      url: '/',
      headers: { 'if-none-match': String(first.headers.etag) },
    });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it("hands the app's own routes to the app when a browser asks for a page", async () => {
    for (const url of [
      '/chat',
      '/chat/8c1d4e0a-0000-4000-8000-000000000000',
      '/verify-email?token=abc',
      '/billing',
    ]) {
      const response = await test.app.inject({ method: 'GET', url, headers: { accept: 'text/html,*/*' } });
      expect(response.statusCode, url).toBe(200);
      expect(response.headers['cache-control'], url).toBe('no-cache');
      expect(response.body, url).toContain('<script type="module" src="/assets/app-abc123.js"></script>');
    }
  });

  it('serves other files of the build by name', async () => {
    const response = await test.app.inject({ method: 'GET', url: '/robots.txt' });
    expect(response.statusCode).toBe(200);
    expect(response.body).toBe('User-agent: *\n');
  });

  it("keeps the server's own paths and non-page requests as JSON 404s", async () => {
    for (const url of ['/api/nothing-here', '/v1/nothing-here', '/chat', '/assets/missing.js']) {
      const accept = url === '/chat' ? 'application/json' : 'text/html';
      const response = await test.app.inject({ method: 'GET', url, headers: { accept } });
      expect(response.statusCode, url).toBe(404);
      expect(response.body, url).not.toBe(INDEX);
    }
    const post = await test.app.inject({ method: 'POST', url: '/chat', headers: { accept: 'text/html' } });
    expect(post.statusCode).toBe(404);
    expect(post.json().error.type).toBe('not_found');
  });

  it("names a page's own chunks in its HTML, and nothing the main script loads anyway", async () => {
    const chat = await test.app.inject({ method: 'GET', url: '/chat/123', headers: { accept: 'text/html' } });
    expect(chat.statusCode).toBe(200);
    const preloads = [...chat.body.matchAll(/<link rel="modulepreload" crossorigin href="([^"]+)">/g)].map(
      (match) => match[1],
    );
    expect(preloads.sort()).toEqual(['/assets/chat-page-3.js', '/assets/icons-2.js']);
    expect(chat.body.indexOf('modulepreload')).toBeLessThan(chat.body.indexOf('</head>'));
    // Without a session the page's data is not preloaded (it would only answer 401)...
    expect(chat.body).not.toContain('as="fetch"');
    // ...with one, the first requests the app makes are.
    const signedIn = await test.app.inject({
      method: 'GET',
      url: '/chat',
      headers: { accept: 'text/html', cookie: 'mg_session=anything' },
    });
    const data = [
      ...signedIn.body.matchAll(/<link rel="preload" as="fetch" crossorigin href="([^"]+)">/g),
    ].map((match) => match[1]);
    expect(data).toEqual(expect.arrayContaining(['/api/auth/session', '/api/conversations?limit=100']));
    const root = await test.app.inject({
      method: 'GET',
      url: '/',
      headers: { cookie: 'mg_session=anything' },
    });
    expect(root.body).toBe(signedIn.body);
    // A page the manifest does not know, and the root, get the plain document.
    const settings = await test.app.inject({
      method: 'GET',
      url: '/settings',
      headers: { accept: 'text/html' },
    });
    expect(settings.body).toBe(INDEX);
    expect(
      (await test.app.inject({ method: 'GET', url: '/chatter', headers: { accept: 'text/html' } })).body,
    ).toBe(INDEX);
  });

  it("does not serve the build's manifest", async () => {
    const response = await test.app.inject({ method: 'GET', url: '/.vite/manifest.json' });
    expect(response.statusCode).toBe(404);
  });
});
