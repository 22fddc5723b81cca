/**
 * New versions of the legal documents: the console publishes them, the web app's banner announces
 * them (GET /api/legal/announcements) and the public changes page shows what changed.
 */
import { z } from 'zod';
import { requireSession, sessionOf } from '../../accounts/authenticate.js';
import type { App, AppContext } from '../../app-context.js';
import { listAnnouncements } from './announcements.js';
import { registerChangesPage } from './changes-page.js';
import { registerLegalConsoleRoutes } from './legal-console-routes.js';
import { ZLanguageQuery } from './legal-routes.types.js';

const ZDiffPart = z.object({ kind: z.enum(['same', 'added', 'removed']), text: z.string() });

const ZAnnouncements = z.object({
  announcements: z.array(
    z.object({
      type: z.string(),
      title: z.string(),
      version: z.string(),
      language: z.string(),
      effectiveAt: z.iso.datetime(),
      material: z.boolean(),
      changeSummary: z.string().nullable(),
      status: z.enum(['upcoming', 'in_effect']),
      acceptanceRequired: z.boolean(),
      url: z.string(),
      changesUrl: z.string(),
      previousVersion: z.string().nullable(),
      diff: z.array(ZDiffPart),
    }),
  ),
});

export function registerLegalVersionRoutes(app: App, ctx: AppContext): void {
  registerLegalConsoleRoutes(app, ctx);
  registerChangesPage(app, ctx);
  app.get(
    '/api/legal/announcements',
    {
      preValidation: requireSession(ctx),
      schema: { tags: ['legal'], querystring: ZLanguageQuery, response: { 200: ZAnnouncements } },
    },
    async (request) => ({
      announcements: await listAnnouncements(ctx, sessionOf(request).userId, request.query.lang),
    }),
  );
}
