/**
 * Each page's HTML names the page's own code (`<link rel="modulepreload">`), so the browser
 * fetches and compiles it while the app's main script is still running, instead of discovering it
 * only when the router asks for it. Read from the build's manifest (Vite `build.manifest`).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';

/** The web app's pages by path prefix (web/src/app/routes.tsx), most specific first. */
export const PAGE_MODULES: ReadonlyArray<readonly [string, string]> = [
  ['/chat', 'src/pages/chat/chat-page.tsx'],
  ['/studio', 'src/pages/studio/studio-page.tsx'],
  ['/billing', 'src/pages/billing/billing-page.tsx'],
  ['/keys', 'src/pages/keys/api-keys-page.tsx'],
  ['/organisation', 'src/pages/organisation/organisation-page.tsx'],
  ['/invitations/accept', 'src/pages/organisation/accept-invitation-page.tsx'],
  ['/settings', 'src/pages/settings/settings-page.tsx'],
  ['/privacy/confirm-request', 'src/pages/privacy/confirm-request-page.tsx'],
  ['/privacy/account-deleted', 'src/pages/privacy/account-deleted-page.tsx'],
  ['/privacy', 'src/pages/privacy/privacy-page.tsx'],
  ['/login', 'src/pages/auth/log-in-page.tsx'],
  ['/signup', 'src/pages/auth/sign-up-page.tsx'],
  ['/verify-email', 'src/pages/auth/verify-email-page.tsx'],
  ['/confirm-email', 'src/pages/settings/confirm-email-page.tsx'],
  ['/reset-password', 'src/pages/auth/reset-password-page.tsx'],
];

/**
 * What a signed-in page asks the API for first, exactly as the app asks (same URL, same fetch
 * mode): preloaded with the HTML, these answers are ready before the app's code has even run.
 */
const SIGNED_IN_DATA = ['/api/auth/session', '/api/billing/balance', '/api/legal/acceptance'];
export const PAGE_DATA: Readonly<Record<string, readonly string[]>> = {
  '/chat': [...SIGNED_IN_DATA, '/api/account/preferences', '/v1/models', '/api/conversations?limit=100'],
  '/studio': SIGNED_IN_DATA,
  '/billing': SIGNED_IN_DATA,
  '/keys': SIGNED_IN_DATA,
  '/organisation': SIGNED_IN_DATA,
  '/settings': SIGNED_IN_DATA,
  '/privacy': SIGNED_IN_DATA,
};

const ZManifest = z.record(
  z.string(),
  z.object({ file: z.string(), isEntry: z.boolean().optional(), imports: z.array(z.string()).optional() }),
);
type Manifest = z.infer<typeof ZManifest>;

export async function readManifest(root: string): Promise<Manifest | null> {
  const file = path.join(root, '.vite', 'manifest.json');
  if (!existsSync(file)) return null;
  const parsed = ZManifest.safeParse(JSON.parse(await readFile(file, 'utf8')));
  return parsed.success ? parsed.data : null;
}

/** The URLs of a module's chunk and of every chunk it imports, minus what the entry loads anyway. */
export function chunksOf(manifest: Manifest, key: string): string[] {
  const entryKeys = new Set<string>();
  const collect = (from: string, into: Set<string>) => {
    if (into.has(from) || !manifest[from]) return;
    into.add(from);
    for (const imported of manifest[from].imports ?? []) collect(imported, into);
  };
  for (const [name, chunk] of Object.entries(manifest)) if (chunk.isEntry) collect(name, entryKeys);
  const page = new Set<string>();
  collect(key, page);
  return [...page].filter((name) => !entryKeys.has(name)).map((name) => `/${manifest[name]!.file}`);
}

/** index.html with modulepreload links for `chunks` and fetch preloads for `data` before </head>. */
export function withPreloads(
  indexHtml: string,
  chunks: readonly string[],
  data: readonly string[] = [],
): string {
  if (chunks.length === 0 && data.length === 0) return indexHtml;
  const links = [
    ...chunks.map((chunk) => `<link rel="modulepreload" crossorigin href="${chunk}">`),
    // `crossorigin` (anonymous) is fetch()'s own credentials mode for the same origin: the app's
    // request then takes the preloaded answer instead of asking again.
    ...data.map(
      (url) => `<link rel="preload" as="fetch" crossorigin href="${url.replaceAll('&', '&amp;')}">`,
    ),
  ].join('');
  return indexHtml.replace('</head>', `${links}</head>`);
}
