/**
 * Serves the React web app (web/, built into dist/web) at `/`: hashed files under /assets are
 * cached for a year, everything else is revalidated, and any other GET that asks for HTML gets
 * index.html so the app's own router shows the page (/chat, /billing, /verify-email?token=…).
 * Without a build (an install that skipped it), the plain landing page stands in.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { SESSION_COOKIE } from '../accounts/authenticate.js';
import type { App, AppContext } from '../app-context.js';
import { registerHomePage } from './home-page.js';
import { chunksOf, PAGE_DATA, PAGE_MODULES, readManifest, withPreloads } from './page-preloads.js';
import { findWebBuild, loadWebAssets, type WebAsset, webAsset } from './web-assets.js';

/** Paths the server answers itself: never handed to the web app, even when the route is unknown. */
const SERVER_PATHS = /^\/(api|v1|docs|legal|healthz|readyz|metrics)(\/|$|\?)/;

export interface WebApp {
  /** The not-found handler's first resort: true when it answered with the app. */
  serveClientRoute(request: FastifyRequest, reply: FastifyReply): boolean;
}

export async function registerWebApp(
  app: App,
  ctx: AppContext,
  webRoot: string | null = findWebBuild(path.dirname(fileURLToPath(import.meta.url))),
): Promise<WebApp> {
  const root = webRoot;
  if (!root) {
    registerHomePage(app, ctx);
    return { serveClientRoute: () => false };
  }
  const assets = await loadWebAssets(root);
  const index = assets.get('/index.html')!;
  const pages = await pageDocuments(root, index);
  /** The page's document; with its data preloaded only for a browser that has a session to load it with. */
  const documentFor = (request: FastifyRequest) => {
    const url = request.url;
    const page = pages.find(
      ({ prefix }) => url === prefix || url.startsWith(`${prefix}/`) || url.startsWith(`${prefix}?`),
    );
    if (!page) return index;
    return request.cookies[SESSION_COOKIE] ? page.signedIn : page.signedOut;
  };

  // A signed-in visitor of `/` goes on to the chat: give them the chat's document.
  const chat = pages.find(({ prefix }) => prefix === '/chat');
  app.get('/', { schema: { hide: true } }, (request, reply) =>
    send(request, reply, chat && request.cookies[SESSION_COOKIE] ? chat.signedIn : index, false),
  );
  app.get('/assets/*', { schema: { hide: true } }, (request, reply) => {
    const asset = assets.get(request.url.split('?')[0]!);
    if (!asset) return reply.status(404).type('text/plain; charset=utf-8').send('Not found');
    return send(request, reply, asset, true);
  });

  return {
    serveClientRoute(request, reply) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      if (SERVER_PATHS.test(request.url)) return false;
      const file = assets.get(request.url.split('?')[0]!);
      if (file && file !== index) {
        void send(request, reply, file, false);
        return true;
      }
      if (!(request.headers.accept ?? '').includes('text/html')) return false;
      void send(request, reply, documentFor(request), false);
      return true;
    },
  };
}

interface PageDocument {
  prefix: string;
  signedIn: WebAsset;
  signedOut: WebAsset;
}

/** index.html once per page, naming that page's chunks (and data); none without a manifest. */
async function pageDocuments(root: string, index: WebAsset): Promise<PageDocument[]> {
  const manifest = await readManifest(root);
  if (!manifest) return [];
  const html = index.body.toString('utf8');
  const document = (text: string) => webAsset(Buffer.from(text), '.html');
  return PAGE_MODULES.filter(([, module]) => manifest[module]).map(([prefix, module]) => {
    const chunks = chunksOf(manifest, module);
    return {
      prefix,
      signedIn: document(withPreloads(html, chunks, PAGE_DATA[prefix])),
      signedOut: document(withPreloads(html, chunks)),
    };
  });
}

function send(request: FastifyRequest, reply: FastifyReply, asset: WebAsset, immutable: boolean) {
  reply.header('cache-control', immutable ? 'public, max-age=31536000, immutable' : 'no-cache');
  reply.header('etag', asset.etag);
  reply.header('vary', 'accept-encoding');
  reply.type(asset.contentType);
  if (request.headers['if-none-match'] === asset.etag) return reply.status(304).send();
  const accepted = String(request.headers['accept-encoding'] ?? '');
  if (asset.brotli && /\bbr\b/.test(accepted))
    return reply.header('content-encoding', 'br').send(asset.brotli);
  if (asset.gzip && /\bgzip\b/.test(accepted))
    return reply.header('content-encoding', 'gzip').send(asset.gzip);
  return reply.send(asset.body);
}
