/**
 * "Report this output": a user flags the answer of one of their own generations as illegal,
 * harmful, inaccurate, a privacy problem or otherwise wrong. The support staff's side reads them.
 */
import { randomUUID } from 'node:crypto';
import { outputReports } from '../db/schema/index.js';
import { isOwnGeneration } from '../gateway/routes/generation-details.js';
import { MixgateError } from '../lib/errors.js';
import { contentField, openText, sealText } from '../privacy/content-cipher.js';
import { dataKeyFor, type KeyContext } from '../privacy/content-keys.js';

export const REPORT_REASONS = ['illegal', 'harmful', 'inaccurate', 'privacy', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export const MAX_REPORT_DETAILS = 2000;

/** The details are the user's words about an output: content, sealed with their data key. */
export async function reportOutput(
  ctx: KeyContext,
  userId: string,
  report: { generationId: string; reason: ReportReason; details?: string },
  now: Date,
): Promise<{ id: string }> {
  // Another user's generation answers as a missing one does.
  if (!(await isOwnGeneration(ctx.db, userId, report.generationId))) {
    throw new MixgateError('not_found', `No generation ${report.generationId} of yours`);
  }
  const id = randomUUID();
  const details = report.details
    ? sealText(await dataKeyFor(ctx, userId), report.details, contentField('output_reports', 'details', id))
    : null;
  await ctx.db.insert(outputReports).values({
    id,
    userId,
    generationId: report.generationId,
    reason: report.reason,
    details,
    createdAt: now,
  });
  return { id };
}

/** The details of a report as written, for the staff who handle it (`content_erased` once the reporter was erased). */
export async function openReportDetails(
  ctx: KeyContext,
  report: Pick<typeof outputReports.$inferSelect, 'id' | 'userId' | 'details'>,
): Promise<string | null> {
  if (report.details === null) return null;
  const key = await dataKeyFor(ctx, report.userId);
  return openText(key, report.details, contentField('output_reports', 'details', report.id));
}
