/**
 * GET /api/legal/acceptance: what the signed-in user still has to accept; POST accepts it. The web
 * app shows these before any page, so nobody uses the service under terms they never agreed to.
 */
import { z } from 'zod';
import { requireSession, sessionOf } from '../../accounts/authenticate.js';
import { requestMeta } from '../../accounts/request-meta.js';
import type { App, AppContext } from '../../app-context.js';
import { changesPath, documentPath } from './legal-paths.js';
import { acceptPending, pendingAcceptances } from './pending-acceptances.js';

const ZVersion = z.string().min(1).max(32);

const ZPendingResponse = z.object({
  documents: z.array(
    z.object({
      type: z.enum(['terms', 'privacy']),
      version: z.string(),
      url: z.string().describe('The document, at that version'),
      material: z.boolean().describe('Asked again because of a material change'),
      previousVersion: z.string().nullable().describe('The newest version the user accepted before'),
      changesUrl: z.string().nullable().describe('What changed since previousVersion; null without one'),
    }),
  ),
  ageConfirmationRequired: z.boolean(),
});

const ZAcceptBody = z.strictObject({
  terms: ZVersion.optional().describe('The version of the terms of service accepted'),
  privacy: ZVersion.optional().describe('The version of the privacy policy accepted'),
  ageConfirmed: z.literal(true, { error: 'You must confirm that you are 18 or older' }).optional(),
});

export function registerAcceptanceRoutes(app: App, ctx: AppContext): void {
  const guard = { preValidation: requireSession(ctx) };
  const pending = async (userId: string) => {
    const found = await pendingAcceptances(ctx.db, userId, ctx.now());
    return {
      documents: found.documents.map(({ type, version, material, previousVersion }) => ({
        type,
        version,
        url: documentPath(type, version),
        material,
        previousVersion,
        changesUrl: previousVersion === null ? null : changesPath(type, previousVersion, version),
      })),
      ageConfirmationRequired: found.ageConfirmationRequired,
    };
  };

  app.get(
    '/api/legal/acceptance',
    { ...guard, schema: { tags: ['legal'], response: { 200: ZPendingResponse } } },
    async (request) => pending(sessionOf(request).userId),
  );

  app.post(
    '/api/legal/acceptance',
    { ...guard, schema: { tags: ['legal'], body: ZAcceptBody, response: { 200: ZPendingResponse } } },
    async (request) => {
      const { userId } = sessionOf(request);
      const { ageConfirmed, ...accepted } = request.body;
      await acceptPending(ctx, userId, { accepted, ageConfirmed }, requestMeta(request));
      return pending(userId);
    },
  );
}
