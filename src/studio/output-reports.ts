/**
 * "Report this output": a user flags the answer of one of their own generations as illegal,
 * harmful, inaccurate, a privacy problem or otherwise wrong. The support staff's side reads them.
 */
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database.js';
import { outputReports } from '../db/schema/index.js';
import { isOwnGeneration } from '../gateway/routes/generation-details.js';
import { MixgateError } from '../lib/errors.js';

export const REPORT_REASONS = ['illegal', 'harmful', 'inaccurate', 'privacy', 'other'] as const;
export type ReportReason = (typeof REPORT_REASONS)[number];
export const MAX_REPORT_DETAILS = 2000;

export async function reportOutput(
  db: Db,
  userId: string,
  report: { generationId: string; reason: ReportReason; details?: string },
  now: Date,
): Promise<{ id: string }> {
  // Another user's generation answers as a missing one does.
  if (!(await isOwnGeneration(db, userId, report.generationId))) {
    throw new MixgateError('not_found', `No generation ${report.generationId} of yours`);
  }
  const id = randomUUID();
  await db.insert(outputReports).values({
    id,
    userId,
    generationId: report.generationId,
    reason: report.reason,
    details: report.details || null,
    createdAt: now,
  });
  return { id };
}
