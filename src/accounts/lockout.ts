/**
 * Brute-force policy. After LOCK_THRESHOLD consecutive failures an account locks for
 * BASE_LOCK_MINUTES; every further failure after a lock doubles it, up to a day.
 */
export const LOCK_THRESHOLD = 10;
const BASE_LOCK_MINUTES = 15;
const MAX_LOCK_MINUTES = 24 * 60;

/** When the account unlocks after `failures` consecutive failures, or null when it stays open. */
export function lockedUntilAfter(failures: number, now: Date): Date | null {
  if (failures < LOCK_THRESHOLD) return null;
  const minutes = Math.min(BASE_LOCK_MINUTES * 2 ** (failures - LOCK_THRESHOLD), MAX_LOCK_MINUTES);
  return new Date(now.getTime() + minutes * 60_000);
}

export function minutesUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 60_000));
}
