/**
 * The main thread's garbage-collection pauses during one benchmark run: every request in flight
 * waits through each, so the longest of them sits in the run's p99. From perf_hooks' `gc` entries,
 * which cost nothing between collections (an event-loop delay monitor would add its own timer).
 */
import { type PerformanceEntry, PerformanceObserver } from 'node:perf_hooks';

export interface GcPauses {
  count: number;
  totalMs: number;
  longestMs: number;
}

/** Starts counting; the returned function stops and tells what it saw. */
export function watchGcPauses(): () => GcPauses {
  const pauses: GcPauses = { count: 0, totalMs: 0, longestMs: 0 };
  const add = (entries: readonly PerformanceEntry[]) => {
    for (const entry of entries) {
      pauses.count++;
      pauses.totalMs += entry.duration;
      pauses.longestMs = Math.max(pauses.longestMs, entry.duration);
    }
  };
  const observer = new PerformanceObserver((list) => add(list.getEntries()));
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    // Entries are delivered asynchronously: take those still queued before letting go.
    add(observer.takeRecords());
    observer.disconnect();
    return pauses;
  };
}
