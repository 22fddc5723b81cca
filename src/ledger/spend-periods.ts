import { z } from 'zod';

/** When a spend limit starts again; every period boundary is in UTC. */
export const SPEND_LIMIT_PERIODS = ['day', 'week', 'month', 'total'] as const;
export type SpendLimitPeriod = (typeof SPEND_LIMIT_PERIODS)[number];
export const ZSpendLimitPeriod = z.enum(SPEND_LIMIT_PERIODS);

const DAY_MS = 86_400_000;

/** The start of the period containing `now`: midnight, Monday midnight, the 1st, or the epoch. */
export function periodStart(period: SpendLimitPeriod, now: Date): Date {
  const midnight = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  switch (period) {
    case 'day':
      return new Date(midnight);
    case 'week':
      // getUTCDay: Sunday 0 … Saturday 6; weeks start on Monday (ISO 8601).
      return new Date(midnight - ((now.getUTCDay() + 6) % 7) * DAY_MS);
    case 'month':
      return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    case 'total':
      return new Date(0);
  }
}
