import type { AppContext } from '../../app-context.js';
import { recordSecurityEvent } from '../../audit/record-security-event.js';
import { activeHolds } from './legal-holds.js';
import { cutoffFor, RETENTION_RULES, type RetentionContext, type RetentionRule } from './retention-rules.js';

export interface RetentionReport {
  ranAt: string;
  rules: Array<{ rule: string; category: string; cutoff: string; affected: number }>;
}

/**
 * One retention sweep: every rule with its configured period, around the legal holds active now.
 * Rules run one after another, each in its own statements, so a failing rule leaves the others'
 * work done and is retried by the next run. The sweep's totals go to the security log.
 */
export async function runRetention(
  ctx: Pick<AppContext, 'pool' | 'db' | 'config' | 'now' | 'mailer'>,
  rules: readonly RetentionRule[] = RETENTION_RULES,
): Promise<RetentionReport> {
  const now = ctx.now();
  const context: RetentionContext = {
    pool: ctx.pool,
    config: ctx.config,
    now,
    holds: await activeHolds(ctx.db),
    app: ctx,
  };
  const report: RetentionReport = { ranAt: now.toISOString(), rules: [] };
  for (const rule of rules) {
    const cutoff = cutoffFor(rule, context);
    const affected = await rule.sweep(context, cutoff);
    report.rules.push({ rule: rule.name, category: rule.category, cutoff: cutoff.toISOString(), affected });
  }
  await recordSecurityEvent(ctx.db, {
    type: 'retention_sweep',
    details: { rules: report.rules.map(({ rule, affected }) => ({ rule, affected })) },
    occurredAt: now,
  });
  return report;
}
