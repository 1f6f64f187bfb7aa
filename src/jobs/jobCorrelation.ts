// Every line a job logs carries its correlation id (src/core/correlation.ts): the processor runs
// under it, and so do the worker's "completed" and "failed" listeners, which BullMQ calls outside it.
import type { Job } from "bullmq";
import { withCorrelationId } from "../core/correlation.js";

/** A job's correlation id: its queue and BullMQ job id, e.g. "invitations:42". */
export const jobCorrelationId = (job: Pick<Job, "queueName" | "id">): string => `${job.queueName}:${job.id ?? "unsaved"}`;

/** One run of a job, as BullMQ stamped it: for metrics (how long it waited, which attempt, how it ended). */
export interface JobRun {
  queue: string;
  /** when the job was added, its delay, and when this run started: BullMQ's epoch milliseconds */
  timestamp: number;
  delay: number;
  processedOn: number | undefined;
  /** 1 for the first run */
  attempt: number;
  outcome: "completed" | "failed";
}

const runListeners = new Set<(run: JobRun) => void>();

/** Tells `listener` of every job run in this process (PromMetrics); returns the unsubscribe. */
export function onJobRun(listener: (run: JobRun) => void): () => void {
  runListeners.add(listener);
  return () => runListeners.delete(listener);
}

function reportRun(job: Job, outcome: JobRun["outcome"]): void {
  if (runListeners.size === 0) return;
  const run: JobRun = {
    queue: job.queueName,
    timestamp: job.timestamp,
    delay: job.delay,
    processedOn: job.processedOn,
    attempt: job.attemptsMade + 1,
    outcome,
  };
  for (const listener of runListeners) listener(run);
}

/** The processor, run under the job's correlation id; each run is reported to onJobRun's listeners. */
export function correlated<J extends Job, R>(processor: (job: J, token?: string) => Promise<R>): (job: J, token?: string) => Promise<R> {
  return (job, token) =>
    withCorrelationId(jobCorrelationId(job), async () => {
      try {
        const result = await processor(job, token);
        reportRun(job, "completed");
        return result;
      } catch (error) {
        reportRun(job, "failed");
        throw error;
      }
    });
}

/** A worker's per-job listener ("completed", "failed"), run under the job's correlation id. */
export function forJob<J extends Job | undefined, A extends unknown[]>(listener: (job: J, ...rest: A) => void): (job: J, ...rest: A) => void {
  return (job, ...rest) => (job ? withCorrelationId(jobCorrelationId(job), () => listener(job, ...rest)) : listener(job, ...rest));
}
