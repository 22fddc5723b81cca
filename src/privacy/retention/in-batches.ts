/** What one batch statement reports: how many rows it touched and the last row id, the next batch's start. */
export interface BatchResult {
  done: number;
  last: string | null;
}

/**
 * Runs `runBatch` from `first` on, each time after the last id the previous batch reached, until a
 * batch comes back short. Retention works through large tables this way so that no statement holds
 * its locks for long. Returns the total of rows touched.
 */
export async function inBatches(
  first: string,
  batchSize: number,
  runBatch: (after: string) => Promise<BatchResult>,
): Promise<number> {
  let total = 0;
  let after = first;
  for (;;) {
    const batch = await runBatch(after);
    total += batch.done;
    if (batch.done < batchSize || batch.last === null) return total;
    after = batch.last;
  }
}
