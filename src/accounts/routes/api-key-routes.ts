import { z } from 'zod';
import type { App, AppContext } from '../../app-context.js';
import { ZSpendLimitPeriod } from '../../ledger/spend-periods.js';
import { formatAmount, isAmountText, parseAmount } from '../../lib/money.js';
import { API_KEY_SCOPES, createApiKey, listApiKeys, revokeApiKey } from '../api-keys.js';
import { requireSession, sessionOf } from '../authenticate.js';
import { assertMemberCanUseKeys } from '../organisations/organisation-access.js';
import { requestMeta } from '../request-meta.js';

const ZCreateKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  scopes: z.array(z.enum(API_KEY_SCOPES)).min(1).max(API_KEY_SCOPES.length).optional(),
  expiresAt: z.iso.datetime({ offset: true }).optional(),
  spendLimit: z
    .string()
    // One refinement: zod runs them all, and parseAmount must not see text that is not an amount.
    .refine((text) => isAmountText(text) && parseAmount(text) > 0n, {
      error: 'A positive amount like "25" or "12.50"',
    })
    .optional(),
  /** day, week, month or total (the default): when the spend limit starts again, in UTC. */
  spendLimitPeriod: ZSpendLimitPeriod.optional(),
  organisationId: z.uuid().optional(),
});

export function registerApiKeyRoutes(app: App, ctx: AppContext): void {
  const guard = { preHandler: requireSession(ctx) };

  app.post(
    '/api/keys',
    { ...guard, schema: { tags: ['api keys'], body: ZCreateKeyBody } },
    async (request, reply) => {
      const principal = sessionOf(request);
      const body = request.body;
      if (body.organisationId) await assertMemberCanUseKeys(ctx.db, body.organisationId, principal.userId);
      const created = await createApiKey(
        ctx.db,
        {
          userId: principal.userId,
          name: body.name,
          scopes: body.scopes,
          expiresAt: body.expiresAt ? new Date(body.expiresAt) : null,
          spendLimitMicros: body.spendLimit ? parseAmount(body.spendLimit) : null,
          spendLimitPeriod: body.spendLimitPeriod,
          organisationId: body.organisationId ?? null,
        },
        requestMeta(request),
        ctx.now(),
      );
      return reply.status(201).send({
        id: created.id,
        key: created.key,
        prefix: created.prefix,
        name: body.name,
        notice: 'Copy this key now: it is shown only once.',
      });
    },
  );

  app.get('/api/keys', { ...guard, schema: { tags: ['api keys'] } }, async (request) => {
    const rows = await listApiKeys(ctx.db, sessionOf(request).userId, ctx.now());
    return {
      data: rows.map((row) => ({
        id: row.id,
        name: row.name,
        prefix: row.prefix,
        organisationId: row.organisationId,
        scopes: row.scopes,
        spendLimit: row.spendLimitMicros === null ? null : formatAmount(row.spendLimitMicros),
        spendLimitPeriod: row.spendLimitPeriod,
        /** Spent in the limit's current period (UTC), null without a limit. */
        spent: row.spentMicros === null ? null : formatAmount(row.spentMicros),
        expiresAt: row.expiresAt?.toISOString() ?? null,
        lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
        createdAt: row.createdAt.toISOString(),
        revokedAt: row.revokedAt?.toISOString() ?? null,
      })),
    };
  });

  app.delete(
    '/api/keys/:id',
    { ...guard, schema: { tags: ['api keys'], params: z.object({ id: z.uuid() }) } },
    async (request) => {
      const keyHash = await revokeApiKey(
        ctx.db,
        sessionOf(request).userId,
        request.params.id,
        requestMeta(request),
        ctx.now(),
      );
      ctx.apiKeyCache.invalidate(keyHash);
      return { status: 'revoked' };
    },
  );
}
