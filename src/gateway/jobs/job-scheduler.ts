/**
 * When the next step of a gateway job runs. With the job queue enabled (`mixgate serve`), steps are
 * pg-boss jobs and survive restarts on their own; without it (tests, JOBS_ENABLED=false) they are
 * timers in this process, and resumeUnfinishedJobs picks unfinished jobs up again at start.
 */
export interface JobScheduler {
  schedule(jobId: string, delayMs: number): Promise<void>;
}

export interface TimerJobScheduler extends JobScheduler {
  /** Resolves when no step is running or waiting (tests). */
  idle(): Promise<void>;
  close(): void;
}

export function createTimerJobScheduler(runStep: (jobId: string) => Promise<void>): TimerJobScheduler {
  const timers = new Set<NodeJS.Timeout>();
  const running = new Set<Promise<void>>();
  let closed = false;
  return {
    async schedule(jobId, delayMs) {
      if (closed) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        const step = runStep(jobId).catch(() => undefined);
        running.add(step);
        void step.finally(() => running.delete(step));
      }, delayMs);
      timers.add(timer);
    },
    async idle() {
      while (timers.size > 0 || running.size > 0) {
        await Promise.all(running);
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    },
    close() {
      closed = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
    },
  };
}
