/**
 * What the gateway wrote for a test user's request: the generation, the deployments it was sent
 * to, and its hold; and what a cut answer costs. Shared by the gateway's failure and abort tables.
 */
import { eq } from 'drizzle-orm';
import { countTokens } from 'gpt-tokenizer';
import { expect, vi } from 'vitest';
import type { CatalogModel } from '../src/catalog/catalog-schema.js';
import { chatCost } from '../src/catalog/prices.js';
import { generationRecipients, generations, ledgerHolds } from '../src/db/schema/index.js';
import type { GatewayTestApp } from './gateway-test-app.js';

/** The user's only generation (waiting for its settlement), its recipients (sorted) and its hold. */
export async function generationOf(app: GatewayTestApp, userId: string) {
  const db = app.ctx.db;
  const row = await vi.waitFor(
    async () => {
      await app.ctx.gateway.settlements.drain();
      const rows = await db.select().from(generations).where(eq(generations.userId, userId));
      expect(rows).toHaveLength(1);
      return rows[0]!;
    },
    { timeout: 5_000, interval: 20 },
  );
  const recipients = await db
    .select({ deploymentId: generationRecipients.deploymentId })
    .from(generationRecipients)
    .where(eq(generationRecipients.generationId, row.id));
  const holds = await db
    .select({ status: ledgerHolds.status, postedAmount: ledgerHolds.postedAmount })
    .from(ledgerHolds)
    .where(eq(ledgerHolds.idempotencyKey, row.id));
  expect(holds).toHaveLength(1);
  const attempts = (row.attempts as { deploymentId: string; outcome: string; status?: number }[]).map(
    ({ deploymentId, outcome, status }) =>
      status === undefined ? { deploymentId, outcome } : { deploymentId, outcome, status },
  );
  return {
    row,
    attempts,
    recipients: recipients.map((recipient) => recipient.deploymentId).sort(),
    hold: holds[0]!,
  };
}

/**
 * What a cut answer costs: the delivered text counted with the o200k tokenizer, and the prompt as
 * the gateway counts it when the provider never reported usage (its text plus 4 per message).
 */
export function deliveredCost(model: CatalogModel, prompt: string, delivered: string): bigint {
  return chatCost(model, { inputTokens: countTokens(prompt) + 4, outputTokens: countTokens(delivered) });
}
